// GATv2 on CPU: the naive torch reference and the fused kernels (one pass per destination
// node: scores, max, exp-sum, normalised weights and the weighted sum of source features).
#include "gatv2_engine.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::kernels::detail {
namespace {

torch::ScalarType accumulation_type(const torch::Tensor& t) {
  return t.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat;
}

template <typename T>
struct View {
  const T* xs;
  const T* xd;
  const T* xe; // may be null
  const T* att;
  const std::int64_t* rp;
  const std::int64_t* ci;
  std::int64_t N, H, C;
  T slope;

  [[nodiscard]] T z(std::int64_t i, std::int64_t j, std::int64_t e, std::int64_t h, std::int64_t c) const {
    const std::int64_t hc = h * C + c;
    T v = xd[i * H * C + hc] + xs[j * H * C + hc];
    if (xe) v += xe[e * H * C + hc];
    return v;
  }
  [[nodiscard]] T leaky(T v) const { return v > T(0) ? v : slope * v; }
  [[nodiscard]] T score(std::int64_t i, std::int64_t j, std::int64_t e, std::int64_t h) const {
    T s = 0;
    for (std::int64_t c = 0; c < C; ++c)
      s += att[h * C + c] * leaky(z(i, j, e, h, c));
    return s;
  }
};

template <typename T>
struct Prepared {
  torch::Tensor xs, xd, xe, att, rp, ci;
  View<T> view;
};

template <typename T>
Prepared<T> prepare(const GraphInputs& in) {
  const auto st = c10::CppTypeToScalarType<T>::value;
  Prepared<T> p;
  p.xs = in.x_src.to(st).contiguous();
  p.xd = in.x_dst.to(st).contiguous();
  p.xe = in.x_edge.defined() ? in.x_edge.to(st).contiguous() : torch::Tensor();
  p.att = in.att.to(st).contiguous();
  p.rp = in.row_ptr.to(torch::kLong).contiguous();
  p.ci = in.col_idx.to(torch::kLong).contiguous();
  p.view = View<T>{p.xs.template data_ptr<T>(),
                   p.xd.template data_ptr<T>(),
                   p.xe.defined() ? p.xe.template data_ptr<T>() : nullptr,
                   p.att.template data_ptr<T>(),
                   p.rp.template data_ptr<std::int64_t>(),
                   p.ci.numel() ? p.ci.template data_ptr<std::int64_t>() : nullptr,
                   p.xs.size(0),
                   p.xs.size(1),
                   p.xs.size(2),
                   static_cast<T>(in.negative_slope)};
  return p;
}

// Normalised weights of node i's incoming edges for head h into alpha[(e - first) * stride].
template <typename T>
void node_alpha(const View<T>& g, std::int64_t i, std::int64_t h, T* alpha, std::int64_t stride) {
  const auto first = g.rp[i], last = g.rp[i + 1];
  T mx = -std::numeric_limits<T>::infinity();
  for (auto e = first; e < last; ++e) {
    const T s = g.score(i, g.ci[e], e, h);
    alpha[(e - first) * stride] = s;
    mx = std::max(mx, s);
  }
  T sum = 0;
  for (auto e = first; e < last; ++e)
    sum += (alpha[(e - first) * stride] = std::exp(alpha[(e - first) * stride] - mx));
  for (auto e = first; e < last; ++e)
    alpha[(e - first) * stride] /= sum;
}

template <typename T>
Gatv2Forward forward_impl(const GraphInputs& in) {
  const auto p = prepare<T>(in);
  const auto& g = p.view;
  const auto E = p.ci.numel();
  auto out = torch::zeros({g.N, g.H, g.C}, p.xs.options());
  auto alpha = torch::zeros({E, g.H}, p.xs.options());
  T* op = out.template data_ptr<T>();
  T* ap = alpha.template data_ptr<T>();
  at::parallel_for(0, g.N, 256, [&](std::int64_t begin, std::int64_t end) {
    for (auto i = begin; i < end; ++i) {
      for (std::int64_t h = 0; h < g.H; ++h) {
        node_alpha(g, i, h, ap + g.rp[i] * g.H + h, g.H);
        T* o = op + (i * g.H + h) * g.C;
        for (auto e = g.rp[i]; e < g.rp[i + 1]; ++e) {
          const T a = ap[e * g.H + h];
          const T* x = g.xs + (g.ci[e] * g.H + h) * g.C;
          for (std::int64_t c = 0; c < g.C; ++c)
            o[c] += a * x[c];
        }
      }
    }
  });
  return {out.to(in.x_src.scalar_type()), alpha};
}

template <typename T>
Gatv2Grads backward_impl(const GraphInputs& in, const torch::Tensor& alpha_in,
                         const torch::Tensor& grad_out) {
  const auto p = prepare<T>(in);
  const auto& g = p.view;
  const auto st = c10::CppTypeToScalarType<T>::value;
  const auto alpha = alpha_in.to(st).contiguous();
  const auto go = grad_out.to(st).contiguous();
  const T* ap = alpha.template data_ptr<T>();
  const T* gp = go.template data_ptr<T>();
  // Source nodes and att are shared between destinations: per-thread accumulators, summed.
  const int threads = at::get_num_threads();
  auto d_src_t = torch::zeros({threads, g.N, g.H, g.C}, p.xs.options());
  auto d_att_t = torch::zeros({threads, g.H, g.C}, p.xs.options());
  auto d_dst = torch::zeros_like(p.xd);
  auto d_edge = p.xe.defined() ? torch::zeros_like(p.xe) : torch::Tensor();
  T* dd = d_dst.template data_ptr<T>();
  T* de_p = d_edge.defined() ? d_edge.template data_ptr<T>() : nullptr;
  const std::int64_t HC = g.H * g.C;
  at::parallel_for(0, g.N, 256, [&](std::int64_t begin, std::int64_t end) {
    const int tid = at::get_thread_num();
    T* ds = d_src_t[tid].template data_ptr<T>();
    T* da = d_att_t[tid].template data_ptr<T>();
    std::vector<T> dalpha;
    for (auto i = begin; i < end; ++i) {
      const auto first = g.rp[i], last = g.rp[i + 1];
      dalpha.resize(static_cast<std::size_t>(last - first));
      for (std::int64_t h = 0; h < g.H; ++h) {
        const T* gi = gp + i * HC + h * g.C;
        T weighted = 0;
        for (auto e = first; e < last; ++e) {
          const T* x = g.xs + g.ci[e] * HC + h * g.C;
          T d = 0;
          for (std::int64_t c = 0; c < g.C; ++c)
            d += gi[c] * x[c];
          dalpha[static_cast<std::size_t>(e - first)] = d;
          weighted += ap[e * g.H + h] * d;
        }
        for (auto e = first; e < last; ++e) {
          const std::int64_t j = g.ci[e];
          const T a = ap[e * g.H + h];
          const T dscore = a * (dalpha[static_cast<std::size_t>(e - first)] - weighted);
          T* dsj = ds + j * HC + h * g.C;
          for (std::int64_t c = 0; c < g.C; ++c) {
            const T z = g.z(i, j, e, h, c);
            const T w = g.att[h * g.C + c];
            da[h * g.C + c] += dscore * g.leaky(z);
            const T dz = dscore * w * (z > T(0) ? T(1) : g.slope);
            dd[i * HC + h * g.C + c] += dz;
            dsj[c] += dz + a * gi[c];
            if (de_p) de_p[e * HC + h * g.C + c] = dz;
          }
        }
      }
    }
  });
  const auto dtype = in.x_src.scalar_type();
  return {d_src_t.sum(0).to(dtype), d_dst.to(dtype), d_edge.defined() ? d_edge.to(dtype) : torch::Tensor(),
          d_att_t.sum(0).to(in.att.scalar_type())};
}

template <typename T>
std::pair<torch::Tensor, torch::Tensor> alpha_impl(const GraphInputs& in,
                                                   const std::vector<std::int64_t>& nodes) {
  const auto p = prepare<T>(in);
  const auto& g = p.view;
  std::vector<std::int64_t> edges;
  for (const auto i : nodes)
    for (auto e = g.rp[i]; e < g.rp[i + 1]; ++e)
      edges.push_back(e);
  auto alpha = torch::zeros({static_cast<std::int64_t>(edges.size()), g.H}, p.xs.options());
  T* ap = alpha.template data_ptr<T>();
  std::int64_t offset = 0;
  for (const auto i : nodes) {
    for (std::int64_t h = 0; h < g.H; ++h)
      node_alpha(g, i, h, ap + offset * g.H + h, g.H);
    offset += g.rp[i + 1] - g.rp[i];
  }
  auto edge_ids = torch::tensor(edges, torch::kLong);
  return {edge_ids, alpha};
}

} // namespace

torch::Tensor gatv2_naive(const GraphInputs& in) {
  const auto ct = accumulation_type(in.x_src);
  const auto N = in.x_src.size(0), H = in.x_src.size(1), C = in.x_src.size(2);
  const auto rp = in.row_ptr.to(torch::kLong);
  const auto src = in.col_idx.to(torch::kLong);
  const auto deg = rp.slice(0, 1) - rp.slice(0, 0, N);
  const auto dst = torch::repeat_interleave(torch::arange(N, rp.options()), deg);
  const auto xs = in.x_src.to(ct), xd = in.x_dst.to(ct);
  auto z = xd.index_select(0, dst) + xs.index_select(0, src);
  if (in.x_edge.defined()) z = z + in.x_edge.to(ct);
  const auto s = (torch::leaky_relu(z, in.negative_slope) * in.att.to(ct)).sum(-1); // [E, H]
  const auto idx = dst.view({-1, 1}).expand({dst.size(0), H});
  const auto mx = torch::zeros({N, H}, s.options()).scatter_reduce(0, idx, s.detach(), "amax", false);
  const auto ex = torch::exp(s - mx.index_select(0, dst));
  const auto denom = torch::zeros({N, H}, s.options()).index_add(0, dst, ex);
  const auto alpha = ex / denom.index_select(0, dst);
  const auto msg = alpha.unsqueeze(-1) * xs.index_select(0, src);
  return torch::zeros({N, H, C}, s.options()).index_add(0, dst, msg).to(in.x_src.scalar_type());
}

Gatv2Forward gatv2_cpu_forward(const GraphInputs& in) {
  return accumulation_type(in.x_src) == torch::kDouble ? forward_impl<double>(in) : forward_impl<float>(in);
}

Gatv2Grads gatv2_cpu_backward(const GraphInputs& in, const torch::Tensor& alpha,
                              const torch::Tensor& grad_out) {
  return accumulation_type(in.x_src) == torch::kDouble ? backward_impl<double>(in, alpha, grad_out)
                                                       : backward_impl<float>(in, alpha, grad_out);
}

std::pair<torch::Tensor, torch::Tensor> gatv2_cpu_alpha(const GraphInputs& in,
                                                        const std::vector<std::int64_t>& nodes) {
  return accumulation_type(in.x_src) == torch::kDouble ? alpha_impl<double>(in, nodes)
                                                       : alpha_impl<float>(in, nodes);
}

} // namespace gc::kernels::detail
