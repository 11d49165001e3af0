#pragma once
// Internal: GATv2 reference and fused CPU kernels (see gc/kernels/gatv2.h for the maths).
#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace gc::kernels::detail {

struct GraphInputs {
  torch::Tensor x_src, x_dst, x_edge, att; // x_edge may be undefined
  torch::Tensor row_ptr, col_idx;
  double negative_slope = 0.2;
};

// Torch ops over [E, H, C] gathered tensors: the ground truth (differentiable).
[[nodiscard]] torch::Tensor gatv2_naive(const GraphInputs& in);

struct Gatv2Forward {
  torch::Tensor out;   // [N, H, C], input dtype
  torch::Tensor alpha; // [E, H], accumulation dtype
};
// Fused score + segment softmax + aggregation, parallel over destination nodes.
[[nodiscard]] Gatv2Forward gatv2_cpu_forward(const GraphInputs& in);

struct Gatv2Grads {
  torch::Tensor d_src, d_dst, d_edge, d_att;
};
[[nodiscard]] Gatv2Grads gatv2_cpu_backward(const GraphInputs& in, const torch::Tensor& alpha,
                                            const torch::Tensor& grad_out);

// Alpha of the incoming edges of `nodes` only: returns (edge ids [M], alpha [M, H]).
[[nodiscard]] std::pair<torch::Tensor, torch::Tensor> gatv2_cpu_alpha(const GraphInputs& in,
                                                                      const std::vector<std::int64_t>& nodes);

} // namespace gc::kernels::detail
