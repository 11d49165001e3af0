// Sliding-window + global-token attention: dispatch and inspect entry points.
#include "gc/kernels/sliding_window.h"

#include "dispatch.h"

#include "gc/util/error.h"

namespace gc::kernels {
namespace {

detail::EngineParams params_of(const SlidingWindowOptions& options, const torch::Tensor& q) {
  if (options.window < 0) throw InputError("sliding_window_attention: window must be >= 0");
  detail::EngineParams params;
  params.key_padding_mask = options.key_padding_mask;
  params.scale = detail::resolve_scale(options.scale, q);
  return params;
}

} // namespace

torch::Tensor sliding_window_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                       const SlidingWindowOptions& options) {
  detail::check_attention_inputs(q, k, v, options.key_padding_mask, true);
  const auto params = params_of(options, q);
  const std::int64_t n = q.size(2);
  const auto pattern = detail::sliding_pattern(n, options.window, options.global_tokens);
  const std::int64_t per_row =
      std::min(n, 2 * options.window + 1) + static_cast<std::int64_t>(pattern->globals.size());
  const auto backend = detail::resolve_backend(options.backend, q, n * per_row);
  return detail::run_attention(pattern, q, k, v, params, backend);
}

torch::Tensor sliding_window_inspect(const torch::Tensor& q, const torch::Tensor& k,
                                     const SlidingWindowOptions& options,
                                     const std::vector<std::int64_t>& queries,
                                     const std::vector<std::int64_t>& heads) {
  detail::check_attention_inputs(q, k, k, options.key_padding_mask, true);
  const auto params = params_of(options, q);
  const auto pattern = detail::sliding_pattern(q.size(2), options.window, options.global_tokens);
  return detail::inspect_probabilities(*pattern, q.detach(), k.detach(), params, queries, heads);
}

} // namespace gc::kernels
