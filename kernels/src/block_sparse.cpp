// Block-sparse attention: layouts (CSR, BigBird), dispatch and inspect entry points.
#include "gc/kernels/block_sparse.h"

#include "dispatch.h"

#include "gc/util/error.h"
#include "gc/util/rng.h"

#include <algorithm>
#include <set>
#include <string>

namespace gc::kernels {

double BlockLayout::density() const noexcept {
  return num_blocks == 0
             ? 0.0
             : static_cast<double>(col_idx.size()) / (static_cast<double>(num_blocks) * num_blocks);
}

void BlockLayout::validate() const {
  if (block_size <= 0) throw InputError("block layout: block_size must be positive");
  if (num_blocks < 0 || static_cast<std::int64_t>(row_ptr.size()) != num_blocks + 1)
    throw InputError("block layout: row_ptr must have num_blocks + 1 entries");
  if (row_ptr.front() != 0 || row_ptr.back() != static_cast<std::int64_t>(col_idx.size()))
    throw InputError("block layout: row_ptr must start at 0 and end at the number of blocks");
  for (std::int64_t r = 0; r < num_blocks; ++r) {
    const auto b = row_ptr[static_cast<std::size_t>(r)], e = row_ptr[static_cast<std::size_t>(r) + 1];
    if (e < b) throw InputError("block layout: row_ptr decreases at row " + std::to_string(r));
    for (auto x = b; x < e; ++x) {
      const auto c = col_idx[static_cast<std::size_t>(x)];
      if (c < 0 || c >= num_blocks)
        throw InputError("block layout: row " + std::to_string(r) + " has key block " + std::to_string(c) +
                         " outside [0, " + std::to_string(num_blocks) + ")");
      if (x > b && c <= col_idx[static_cast<std::size_t>(x) - 1])
        throw InputError("block layout: key blocks of row " + std::to_string(r) +
                         " are not strictly increasing");
    }
  }
}

BlockLayout make_bigbird_layout(std::int64_t n, std::int64_t block_size, const BigBirdOptions& options) {
  if (n < 0 || block_size <= 0) throw InputError("bigbird layout: need n >= 0 and block_size > 0");
  if (options.local_blocks < 0 || options.random_blocks < 0 || options.global_blocks < 0)
    throw InputError("bigbird layout: block counts must be >= 0");
  BlockLayout layout;
  layout.block_size = block_size;
  layout.num_blocks = (n + block_size - 1) / block_size;
  const auto nb = layout.num_blocks;
  std::vector<std::set<std::int64_t>> rows(static_cast<std::size_t>(nb));
  for (const auto& [r, c] : options.extra_blocks) {
    if (r < 0 || r >= nb || c < 0 || c >= nb)
      throw InputError("bigbird layout: extra block (" + std::to_string(r) + ", " + std::to_string(c) +
                       ") is outside the " + std::to_string(nb) + " x " + std::to_string(nb) + " grid");
    rows[static_cast<std::size_t>(r)].insert(c);
  }
  const Rng rng(options.seed);
  for (std::int64_t r = 0; r < nb; ++r) {
    auto& row = rows[static_cast<std::size_t>(r)];
    for (auto c = std::max<std::int64_t>(0, r - options.local_blocks);
         c <= std::min(nb - 1, r + options.local_blocks); ++c)
      row.insert(c);
    for (std::int64_t g = 0; g < std::min(options.global_blocks, nb); ++g) {
      row.insert(g);
      rows[static_cast<std::size_t>(g)].insert(r);
    }
  }
  // Random blocks after the deterministic ones, one independent stream per row so a row's
  // choice does not depend on the others.
  for (std::int64_t r = 0; r < nb; ++r) {
    auto& row = rows[static_cast<std::size_t>(r)];
    std::vector<std::int64_t> candidates;
    for (std::int64_t c = 0; c < nb; ++c)
      if (!row.count(c)) candidates.push_back(c);
    auto stream = rng.fork(static_cast<std::uint64_t>(r));
    stream.shuffle(candidates);
    const auto take =
        std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(options.random_blocks));
    row.insert(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(take));
  }
  layout.row_ptr.push_back(0);
  for (const auto& row : rows) {
    layout.col_idx.insert(layout.col_idx.end(), row.begin(), row.end());
    layout.row_ptr.push_back(static_cast<std::int64_t>(layout.col_idx.size()));
  }
  return layout;
}

namespace {

c10::intrusive_ptr<detail::AttentionPattern> pattern_of(const BlockSparseOptions& options, std::int64_t n) {
  const auto& layout = options.layout;
  layout.validate();
  if (layout.num_blocks != (n + layout.block_size - 1) / layout.block_size)
    throw InputError("block_sparse_attention: layout has " + std::to_string(layout.num_blocks) +
                     " blocks but the sequence of " + std::to_string(n) + " tokens needs " +
                     std::to_string((n + layout.block_size - 1) / layout.block_size));
  return detail::block_sparse_pattern(n, layout.block_size, layout.row_ptr, layout.col_idx);
}

detail::EngineParams params_of(const BlockSparseOptions& options, const torch::Tensor& q) {
  detail::EngineParams params;
  params.key_padding_mask = options.key_padding_mask;
  params.scale = detail::resolve_scale(options.scale, q);
  return params;
}

} // namespace

torch::Tensor block_sparse_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                     const BlockSparseOptions& options) {
  detail::check_attention_inputs(q, k, v, options.key_padding_mask, true);
  const auto pattern = pattern_of(options, q.size(2));
  const auto work = static_cast<std::int64_t>(options.layout.col_idx.size()) * options.layout.block_size *
                    options.layout.block_size;
  const auto backend = detail::resolve_backend(options.backend, q, work);
  return detail::run_attention(pattern, q, k, v, params_of(options, q), backend);
}

torch::Tensor block_sparse_inspect(const torch::Tensor& q, const torch::Tensor& k,
                                   const BlockSparseOptions& options,
                                   const std::vector<std::int64_t>& queries,
                                   const std::vector<std::int64_t>& heads) {
  detail::check_attention_inputs(q, k, k, options.key_padding_mask, true);
  const auto pattern = pattern_of(options, q.size(2));
  return detail::inspect_probabilities(*pattern, q.detach(), k.detach(), params_of(options, q), queries,
                                       heads);
}

} // namespace gc::kernels
