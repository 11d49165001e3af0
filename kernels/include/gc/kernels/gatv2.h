#pragma once
// GATv2 graph attention with edge features (DESIGN §4.1 L4, §4.2 graph induction).
// For a destination node i with incoming edges e = (j -> i):
//   score[e,h] = att[h] . LeakyReLU(x_dst[i,h] + x_src[j,h] + x_edge[e,h])
//   alpha[e,h] = softmax of score over the incoming edges of i
//   out[i,h]   = sum_e alpha[e,h] x_src[j,h]
// where x_dst = W_dst h_i, x_src = W_src h_j, x_edge = W_edge f_ij are per-head projections
// (W [h_i || h_j || f_ij] split into its three blocks). The projections are torch Linear
// layers (Gatv2Layer); the fused score + segment softmax + aggregation is the kernel.
// Nodes without incoming edges get zeros; an empty graph is valid.
#include "gc/kernels/backend.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace gc::kernels {

// Incoming edges per destination node: the edges of node i are row_ptr[i] .. row_ptr[i+1]-1,
// col_idx[e] is the source node of edge e. Both int64 on the features' device.
struct GraphCsr {
  torch::Tensor row_ptr; // [N + 1]
  torch::Tensor col_idx; // [E]

  // From (src, dst) edge lists; edge order within a node follows the input order. Also
  // returns the permutation: csr edge e is input edge perm[e].
  static GraphCsr from_edges(const torch::Tensor& src, const torch::Tensor& dst, std::int64_t num_nodes,
                             torch::Tensor* perm = nullptr);
  [[nodiscard]] std::int64_t num_nodes() const { return row_ptr.size(0) - 1; }
  [[nodiscard]] std::int64_t num_edges() const { return col_idx.size(0); }
  // Throws gc::InputError when sizes, offsets or node indices are inconsistent.
  void validate() const;
};

struct Gatv2Options {
  double negative_slope = 0.2;
  Backend backend = Backend::Auto;
};

// x_src, x_dst [N,H,C]; x_edge [E,H,C] or undefined; att [H,C] -> [N,H,C]. Differentiable in
// x_src, x_dst, x_edge and att.
[[nodiscard]] torch::Tensor gatv2_aggregate(const torch::Tensor& x_src, const torch::Tensor& x_dst,
                                            const torch::Tensor& x_edge, const torch::Tensor& att,
                                            const GraphCsr& graph, const Gatv2Options& options = {});

// Attention coefficients of the incoming edges of the given destination nodes, in CSR order.
struct Gatv2Attention {
  torch::Tensor edge;  // [M] CSR edge index
  torch::Tensor src;   // [M]
  torch::Tensor dst;   // [M]
  torch::Tensor alpha; // [M, H] f32 (f64 for f64 inputs)
};
[[nodiscard]] Gatv2Attention gatv2_inspect(const torch::Tensor& x_src, const torch::Tensor& x_dst,
                                           const torch::Tensor& x_edge, const torch::Tensor& att,
                                           const GraphCsr& graph, const std::vector<std::int64_t>& nodes,
                                           const Gatv2Options& options = {});

// A GATv2 layer: projections + fused kernel, heads concatenated ([N, H*C]) or averaged ([N, C]).
struct Gatv2LayerOptions {
  std::int64_t in_dim = 0;
  std::int64_t edge_dim = 0; // 0: no edge features
  std::int64_t heads = 1;
  std::int64_t out_dim = 0; // per head
  bool concat = true;
  double negative_slope = 0.2;
};

class Gatv2LayerImpl : public torch::nn::Module {
public:
  explicit Gatv2LayerImpl(const Gatv2LayerOptions& options);
  // x [N, in_dim]; edge_attr [E, edge_dim] in CSR edge order (ignored when edge_dim == 0).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& edge_attr, const GraphCsr& graph);
  [[nodiscard]] const Gatv2LayerOptions& options() const noexcept { return m_options; }

private:
  Gatv2LayerOptions m_options;
  torch::nn::Linear m_src{nullptr}, m_dst{nullptr}, m_edge{nullptr};
  torch::Tensor m_att, m_bias;
};
TORCH_MODULE(Gatv2Layer);

} // namespace gc::kernels
