#pragma once
// Internal: backend resolution, argument checks and the autograd adapter shared by the
// attention operators (flash, sliding window, block sparse).
#include "../cpu/attention_engine.h"
#include "gc/kernels/backend.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

#ifdef GC_WITH_CUDA
#include "../cuda/launch.h"
#endif

namespace gc::kernels::detail {

// The backend to run: the request, else the override, else by device and size.
[[nodiscard]] Backend resolve_backend(Backend requested, const torch::Tensor& sample, std::int64_t work);

// Checks q [B,H,Nq,D], k/v [B,H,Nk,D] and the key padding mask [B,Nk]; throws gc::InputError.
void check_attention_inputs(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            const torch::Tensor& key_padding_mask, bool same_length);

[[nodiscard]] double resolve_scale(const std::optional<double>& scale, const torch::Tensor& q);

// Runs the pattern on the chosen backend; differentiable in q, k and v.
[[nodiscard]] torch::Tensor run_attention(const c10::intrusive_ptr<AttentionPattern>& pattern,
                                          const torch::Tensor& q, const torch::Tensor& k,
                                          const torch::Tensor& v, const EngineParams& params,
                                          Backend backend);

#ifdef GC_WITH_CUDA
// Torch's current stream under a CUDA LibTorch, else the default stream.
[[nodiscard]] cudaStream_t current_cuda_stream();
// Launcher dtype of a tensor; throws gc::InputError for dtypes the CUDA kernels lack.
[[nodiscard]] cuda::DType cuda_dtype(const torch::Tensor& t);
#endif

} // namespace gc::kernels::detail
