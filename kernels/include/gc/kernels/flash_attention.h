#pragma once
// Dense scaled dot-product attention with an online softmax (DESIGN §4.1, L1-L3).
//   out[b,h,i,:] = sum_j softmax_j(scale * q[b,h,i,:] . k[b,h,j,:]) v[b,h,j,:]
// q [B,H,Nq,D], k and v [B,H,Nk,D]; f32, f64, bf16 and f16 (accumulation in f32 or f64).
// Rows whose keys are all masked give zeros, never NaN.
#include "gc/kernels/backend.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace gc::kernels {

struct FlashOptions {
  // [B, Nk] bool, true marks a padding key that no query may attend (torch's convention).
  torch::Tensor key_padding_mask;
  bool causal = false; // query i sees keys j <= i
  // Dropout on the attention probabilities, applied only when `training` (see dropout.h).
  double dropout = 0.0;
  bool training = false;
  std::uint64_t seed = 0;
  std::optional<double> scale; // default 1 / sqrt(D)
  Backend backend = Backend::Auto;
};

// Differentiable with respect to q, k and v on every backend.
[[nodiscard]] torch::Tensor flash_attention(const torch::Tensor& q, const torch::Tensor& k,
                                            const torch::Tensor& v, const FlashOptions& options = {});

// Exact attention probabilities (before dropout) of the given query indices for the given
// heads (all heads when empty): [B, |heads|, |queries|, Nk], f32 (f64 for f64 inputs), at
// O(|queries| * Nk) memory per head. Not differentiable.
[[nodiscard]] torch::Tensor flash_attention_inspect(const torch::Tensor& q, const torch::Tensor& k,
                                                    const FlashOptions& options,
                                                    const std::vector<std::int64_t>& queries,
                                                    const std::vector<std::int64_t>& heads = {});

} // namespace gc::kernels
