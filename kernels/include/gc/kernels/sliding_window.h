#pragma once
// Longformer-style attention (DESIGN §4.1, L6): token i attends to keys j with |i - j| <= window,
// plus the global tokens; a global token attends to every key and every token attends to it.
// q, k, v [B,H,N,D]. Rows whose keys are all masked give zeros.
#include "gc/kernels/backend.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace gc::kernels {

struct SlidingWindowOptions {
  std::int64_t window = 256;               // keys on each side
  std::vector<std::int64_t> global_tokens; // indices in [0, N); duplicates are ignored
  torch::Tensor key_padding_mask;          // [B, N] bool, true = padding
  std::optional<double> scale;             // default 1 / sqrt(D)
  Backend backend = Backend::Auto;
};

[[nodiscard]] torch::Tensor sliding_window_attention(const torch::Tensor& q, const torch::Tensor& k,
                                                     const torch::Tensor& v,
                                                     const SlidingWindowOptions& options);

// Probabilities of the given queries and heads (all when empty): [B, |heads|, |queries|, N].
[[nodiscard]] torch::Tensor sliding_window_inspect(const torch::Tensor& q, const torch::Tensor& k,
                                                   const SlidingWindowOptions& options,
                                                   const std::vector<std::int64_t>& queries,
                                                   const std::vector<std::int64_t>& heads = {});

} // namespace gc::kernels
