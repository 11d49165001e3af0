// Dense flash attention: dispatch and inspect entry points.
#include "gc/kernels/flash_attention.h"

#include "dispatch.h"

#include "gc/util/error.h"

namespace gc::kernels {

torch::Tensor flash_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                              const FlashOptions& options) {
  detail::check_attention_inputs(q, k, v, options.key_padding_mask, false);
  if (options.dropout < 0.0 || options.dropout >= 1.0)
    throw InputError("flash_attention: dropout must be in [0, 1)");
  detail::EngineParams params;
  params.key_padding_mask = options.key_padding_mask;
  params.scale = detail::resolve_scale(options.scale, q);
  params.dropout = options.training ? options.dropout : 0.0;
  params.seed = options.seed;
  const auto backend = detail::resolve_backend(options.backend, q, q.size(2) * k.size(2));
  return detail::run_attention(detail::dense_pattern(q.size(2), k.size(2), options.causal), q, k, v, params,
                               backend);
}

torch::Tensor flash_attention_inspect(const torch::Tensor& q, const torch::Tensor& k,
                                      const FlashOptions& options, const std::vector<std::int64_t>& queries,
                                      const std::vector<std::int64_t>& heads) {
  detail::check_attention_inputs(q, k, k, options.key_padding_mask, false);
  detail::EngineParams params;
  params.key_padding_mask = options.key_padding_mask;
  params.scale = detail::resolve_scale(options.scale, q);
  // The inspect path never tiles, so the pattern needs no query tiles.
  detail::AttentionPattern pattern;
  pattern.n_q = q.size(2);
  pattern.n_k = k.size(2);
  pattern.causal = options.causal;
  return detail::inspect_probabilities(pattern, q.detach(), k.detach(), params, queries, heads);
}

} // namespace gc::kernels
