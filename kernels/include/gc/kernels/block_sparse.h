#pragma once
// Block-sparse attention (DESIGN §4.1, L5): the sequence is cut into blocks of `block_size`
// tokens (the last may be shorter) and query block r attends to the key blocks listed in
// row r of a CSR layout. BigBird layouts (local + random + caller-given blocks) are built by
// make_bigbird_layout. q, k, v [B,H,N,D].
#include "gc/kernels/backend.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace gc::kernels {

struct BlockLayout {
  std::int64_t block_size = 64;
  std::int64_t num_blocks = 0;       // query blocks = key blocks = ceil(N / block_size)
  std::vector<std::int64_t> row_ptr; // num_blocks + 1 offsets into col_idx
  std::vector<std::int64_t> col_idx; // key blocks of each query block, strictly increasing

  // Fraction of the num_blocks^2 block pairs that are present.
  [[nodiscard]] double density() const noexcept;
  // Throws gc::InputError naming the first inconsistency (sizes, order, range).
  void validate() const;
};

struct BigBirdOptions {
  std::int64_t local_blocks = 1;  // neighbouring blocks on each side (the diagonal is always in)
  std::int64_t random_blocks = 2; // random key blocks per query block (distinct, not local)
  std::int64_t global_blocks = 0; // the first global_blocks blocks attend and are attended by all
  std::vector<std::pair<std::int64_t, std::int64_t>> extra_blocks; // (query block, key block)
  std::uint64_t seed = 0;                                          // gc::Rng seed for the random blocks
};

[[nodiscard]] BlockLayout make_bigbird_layout(std::int64_t n, std::int64_t block_size,
                                              const BigBirdOptions& options);

struct BlockSparseOptions {
  BlockLayout layout;
  torch::Tensor key_padding_mask; // [B, N] bool, true = padding
  std::optional<double> scale;    // default 1 / sqrt(D)
  Backend backend = Backend::Auto;
};

[[nodiscard]] torch::Tensor block_sparse_attention(const torch::Tensor& q, const torch::Tensor& k,
                                                   const torch::Tensor& v, const BlockSparseOptions& options);

// Probabilities of the given queries and heads (all when empty): [B, |heads|, |queries|, N].
[[nodiscard]] torch::Tensor block_sparse_inspect(const torch::Tensor& q, const torch::Tensor& k,
                                                 const BlockSparseOptions& options,
                                                 const std::vector<std::int64_t>& queries,
                                                 const std::vector<std::int64_t>& heads = {});

} // namespace gc::kernels
