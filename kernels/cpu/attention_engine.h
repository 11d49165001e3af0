#pragma once
// Internal: the attention engine shared by flash, sliding-window and block-sparse attention.
// An AttentionPattern says which (query, key) pairs are allowed; the CPU engine walks it as
// query tiles, each with a list of key segments, so no backend ever holds n x n scores except
// the naive reference.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace gc::kernels::detail {

enum class PatternKind : std::uint8_t { Dense, Sliding, BlockSparse };
// How a key segment filters pairs by distance (sliding window only).
enum class Band : std::uint8_t { Any, Inside, Outside };

struct KeySegment {
  std::int64_t begin = 0, end = 0; // contiguous keys [begin, end) when `index` is empty
  std::vector<std::int64_t> index; // otherwise: these keys, gathered
  Band band = Band::Any;
};

struct QueryTile {
  std::vector<std::int64_t> rows; // query indices, each in exactly one tile
  std::vector<KeySegment> keys;
};

// Held in an IValue capsule by the autograd adapter, hence the CustomClassHolder base.
struct AttentionPattern : torch::CustomClassHolder {
  PatternKind kind = PatternKind::Dense;
  std::int64_t n_q = 0, n_k = 0;
  bool causal = false;                        // Dense
  std::int64_t window = 0;                    // Sliding
  std::vector<std::uint8_t> is_global;        // Sliding, [n]
  std::vector<std::int64_t> globals;          // Sliding, sorted unique
  std::int64_t block = 0;                     // BlockSparse
  std::vector<std::int64_t> row_ptr, col_idx; // BlockSparse
  std::vector<QueryTile> tiles;

  // The pattern's own rule (key padding aside); the tiles enumerate exactly these pairs.
  [[nodiscard]] bool allowed(std::int64_t i, std::int64_t j) const;
};

[[nodiscard]] c10::intrusive_ptr<AttentionPattern> dense_pattern(std::int64_t n_q, std::int64_t n_k,
                                                                 bool causal);
[[nodiscard]] c10::intrusive_ptr<AttentionPattern> sliding_pattern(std::int64_t n, std::int64_t window,
                                                                   std::vector<std::int64_t> globals);
[[nodiscard]] c10::intrusive_ptr<AttentionPattern>
block_sparse_pattern(std::int64_t n, std::int64_t block, const std::vector<std::int64_t>& row_ptr,
                     const std::vector<std::int64_t>& col_idx);

struct EngineParams {
  torch::Tensor key_padding_mask; // [B, Nk] bool or undefined
  double scale = 1.0;
  double dropout = 0.0; // 0 when not training
  std::uint64_t seed = 0;
};

// Naive reference: materialises scores and probabilities with torch ops (differentiable).
[[nodiscard]] torch::Tensor naive_attention(const AttentionPattern& pattern, const torch::Tensor& q,
                                            const torch::Tensor& k, const torch::Tensor& v,
                                            const EngineParams& params);

struct ForwardResult {
  torch::Tensor out; // [B,H,Nq,D], input dtype
  torch::Tensor lse; // [B,H,Nq], accumulation dtype; -inf for rows without keys
};
[[nodiscard]] ForwardResult tiled_forward(const AttentionPattern& pattern, const torch::Tensor& q,
                                          const torch::Tensor& k, const torch::Tensor& v,
                                          const EngineParams& params);

struct Gradients {
  torch::Tensor dq, dk, dv;
};
[[nodiscard]] Gradients tiled_backward(const AttentionPattern& pattern, const torch::Tensor& q,
                                       const torch::Tensor& k, const torch::Tensor& v,
                                       const torch::Tensor& out, const torch::Tensor& lse,
                                       const torch::Tensor& grad_out, const EngineParams& params);

// Exact probabilities for the chosen queries/heads: [B, |heads|, |queries|, Nk].
[[nodiscard]] torch::Tensor inspect_probabilities(const AttentionPattern& pattern, const torch::Tensor& q,
                                                  const torch::Tensor& k, const EngineParams& params,
                                                  const std::vector<std::int64_t>& queries,
                                                  const std::vector<std::int64_t>& heads);

} // namespace gc::kernels::detail
