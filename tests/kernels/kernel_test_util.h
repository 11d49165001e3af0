#pragma once
// Helpers shared by the kernel tests: deterministic inputs and "forward + gradients" runs.
#include <torch/torch.h>

#include <functional>
#include <vector>

namespace gc::test {

inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.numel() == 0 && b.numel() == 0) return 0.0;
  return (a.to(torch::kDouble).cpu() - b.to(torch::kDouble).cpu()).abs().max().item<double>();
}

inline bool all_finite(const torch::Tensor& t) {
  return t.numel() == 0 || torch::isfinite(t).all().item<bool>();
}

struct Run {
  torch::Tensor out;
  std::vector<torch::Tensor> grads;
};

// Runs fn on fresh leaf copies of `inputs` (undefined entries stay undefined), back-propagates
// a fixed random cotangent and returns the output and the input gradients.
inline Run run_with_grads(const std::function<torch::Tensor(const std::vector<torch::Tensor>&)>& fn,
                          const std::vector<torch::Tensor>& inputs, std::uint64_t seed = 99) {
  std::vector<torch::Tensor> leaves;
  for (const auto& t : inputs)
    leaves.push_back(t.defined() ? t.detach().clone().requires_grad_(true) : t);
  Run r;
  r.out = fn(leaves);
  torch::manual_seed(seed);
  const auto cot = torch::randn(r.out.sizes(), r.out.options().requires_grad(false));
  (r.out * cot).sum().backward();
  for (const auto& l : leaves)
    r.grads.push_back(l.defined() && l.grad().defined() ? l.grad() : torch::Tensor());
  r.out = r.out.detach();
  return r;
}

} // namespace gc::test
