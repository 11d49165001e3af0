// GATv2: graph checks, dispatch, the autograd adapter of the fused kernel and the layer.
#include "gc/kernels/gatv2.h"

#include "../cpu/gatv2_engine.h"
#include "dispatch.h"

#include "gc/util/error.h"

#include <limits>
#include <string>

namespace gc::kernels {

GraphCsr GraphCsr::from_edges(const torch::Tensor& src, const torch::Tensor& dst, std::int64_t num_nodes,
                              torch::Tensor* perm) {
  if (src.dim() != 1 || dst.dim() != 1 || src.size(0) != dst.size(0))
    throw InputError("graph: src and dst must be 1-D and of equal length");
  const auto s = src.to(torch::kLong), d = dst.to(torch::kLong);
  if (s.numel() && (s.min().item<std::int64_t>() < 0 || s.max().item<std::int64_t>() >= num_nodes ||
                    d.min().item<std::int64_t>() < 0 || d.max().item<std::int64_t>() >= num_nodes))
    throw InputError("graph: an edge endpoint is outside [0, " + std::to_string(num_nodes) + ")");
  // A stable sort keeps the input order of each node's edges.
  const auto order = std::get<1>(d.sort(true, 0, false));
  GraphCsr g;
  g.col_idx = s.index_select(0, order);
  const auto counts = torch::zeros({num_nodes}, s.options()).index_add(0, d, torch::ones_like(d));
  g.row_ptr = torch::cat({torch::zeros({1}, s.options()), counts.cumsum(0)});
  if (perm) *perm = order;
  return g;
}

void GraphCsr::validate() const {
  if (!row_ptr.defined() || !col_idx.defined() || row_ptr.dim() != 1 || col_idx.dim() != 1 ||
      row_ptr.numel() < 1)
    throw InputError("graph: row_ptr [N+1] and col_idx [E] must be 1-D tensors");
  if (row_ptr.scalar_type() != torch::kLong || col_idx.scalar_type() != torch::kLong)
    throw InputError("graph: row_ptr and col_idx must be int64");
  const auto rp = row_ptr.cpu();
  const auto n = num_nodes();
  if (rp[0].item<std::int64_t>() != 0 || rp[n].item<std::int64_t>() != num_edges())
    throw InputError("graph: row_ptr must start at 0 and end at the number of edges");
  if (n > 0 && (rp.slice(0, 1) - rp.slice(0, 0, n)).lt(0).any().item<bool>())
    throw InputError("graph: row_ptr must not decrease");
  if (num_edges() > 0) {
    const auto ci = col_idx.cpu();
    if (ci.min().item<std::int64_t>() < 0 || ci.max().item<std::int64_t>() >= n)
      throw InputError("graph: col_idx has a source node outside [0, " + std::to_string(n) + ")");
  }
}

namespace {

detail::GraphInputs inputs_of(const torch::Tensor& x_src, const torch::Tensor& x_dst,
                              const torch::Tensor& x_edge, const torch::Tensor& att, const GraphCsr& graph,
                              const Gatv2Options& options) {
  graph.validate();
  if (x_src.dim() != 3 || x_dst.sizes() != x_src.sizes())
    throw InputError("gatv2: x_src and x_dst must both be [N, H, C]");
  if (x_src.size(0) != graph.num_nodes())
    throw InputError("gatv2: features have " + std::to_string(x_src.size(0)) + " nodes, the graph " +
                     std::to_string(graph.num_nodes()));
  if (att.dim() != 2 || att.size(0) != x_src.size(1) || att.size(1) != x_src.size(2))
    throw InputError("gatv2: att must be [H, C]");
  if (x_edge.defined() && (x_edge.dim() != 3 || x_edge.size(0) != graph.num_edges() ||
                           x_edge.size(1) != x_src.size(1) || x_edge.size(2) != x_src.size(2)))
    throw InputError("gatv2: x_edge must be [E, H, C]");
  return {x_src, x_dst, x_edge, att, graph.row_ptr, graph.col_idx, options.negative_slope};
}

#ifdef GC_WITH_CUDA
using detail::cuda_dtype;

struct CudaInputs {
  torch::Tensor xs, xd, xe, att, rp, ci;
  cuda::GraphShape shape;
};

CudaInputs cuda_inputs(const detail::GraphInputs& in) {
  const auto t = in.x_src.scalar_type();
  CudaInputs c{in.x_src.contiguous(),
               in.x_dst.to(t).contiguous(),
               in.x_edge.defined() ? in.x_edge.to(t).contiguous() : torch::Tensor(),
               in.att.to(t).contiguous(),
               in.row_ptr.contiguous(),
               in.col_idx.contiguous(),
               {}};
  c.shape.N = c.xs.size(0);
  c.shape.H = c.xs.size(1);
  c.shape.C = c.xs.size(2);
  c.shape.E = c.ci.numel();
  c.shape.negative_slope = static_cast<float>(in.negative_slope);
  c.shape.row_ptr = c.rp.data_ptr<std::int64_t>();
  c.shape.col_idx = c.shape.E ? c.ci.data_ptr<std::int64_t>() : nullptr;
  return c;
}
#endif

detail::Gatv2Forward forward_on(bool use_cuda, const detail::GraphInputs& in) {
#ifdef GC_WITH_CUDA
  if (use_cuda) {
    auto c = cuda_inputs(in);
    auto out = torch::empty_like(c.xs);
    auto alpha = torch::empty({c.shape.E, c.shape.H}, c.xs.options().dtype(torch::kFloat));
    cuda::gatv2_forward(cuda_dtype(c.xs), c.xs.data_ptr(), c.xd.data_ptr(),
                        c.xe.defined() ? c.xe.data_ptr() : nullptr, c.att.data_ptr(), out.data_ptr(),
                        alpha.data_ptr<float>(), c.shape, detail::current_cuda_stream());
    return {out, alpha};
  }
#endif
  (void)use_cuda;
  return detail::gatv2_cpu_forward(in);
}

detail::Gatv2Grads backward_on(bool use_cuda, const detail::GraphInputs& in, const torch::Tensor& alpha,
                               const torch::Tensor& grad_out) {
#ifdef GC_WITH_CUDA
  if (use_cuda) {
    auto c = cuda_inputs(in);
    const auto go = grad_out.to(c.xs.scalar_type()).contiguous();
    const auto f32 = c.xs.options().dtype(torch::kFloat);
    auto ds = torch::zeros(c.xs.sizes(), f32), dd = torch::zeros(c.xd.sizes(), f32);
    auto de = c.xe.defined() ? torch::zeros(c.xe.sizes(), f32) : torch::Tensor();
    auto da = torch::zeros(c.att.sizes(), f32);
    cuda::gatv2_backward(cuda_dtype(c.xs), c.xs.data_ptr(), c.xd.data_ptr(),
                         c.xe.defined() ? c.xe.data_ptr() : nullptr, c.att.data_ptr(), go.data_ptr(),
                         alpha.contiguous().data_ptr<float>(), ds.data_ptr<float>(), dd.data_ptr<float>(),
                         de.defined() ? de.data_ptr<float>() : nullptr, da.data_ptr<float>(), c.shape,
                         detail::current_cuda_stream());
    const auto t = in.x_src.scalar_type();
    return {ds.to(t), dd.to(t), de.defined() ? de.to(t) : torch::Tensor(), da.to(in.att.scalar_type())};
  }
#endif
  (void)use_cuda;
  return detail::gatv2_cpu_backward(in, alpha, grad_out);
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class Gatv2Function : public torch::autograd::Function<Gatv2Function> {
public:
  // x_edge is optional so that a missing one is not recorded as an autograd input.
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& x_src, const torch::Tensor& x_dst,
                               const c10::optional<torch::Tensor>& edge, const torch::Tensor& att,
                               const torch::Tensor& row_ptr, const torch::Tensor& col_idx,
                               double negative_slope, bool use_cuda) {
    const auto x_edge = edge ? *edge : torch::Tensor();
    const detail::GraphInputs in{x_src, x_dst, x_edge, att, row_ptr, col_idx, negative_slope};
    auto r = forward_on(use_cuda, in);
    ctx->save_for_backward({x_src, x_dst, x_edge, att, row_ptr, col_idx, r.alpha});
    ctx->saved_data["slope"] = negative_slope;
    ctx->saved_data["cuda"] = use_cuda;
    ctx->mark_non_differentiable({r.alpha});
    return {r.out, r.alpha};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto s = ctx->get_saved_variables();
    const detail::GraphInputs in{s[0], s[1], s[2], s[3], s[4], s[5], ctx->saved_data["slope"].toDouble()};
    const auto grad_out = grads[0].defined() ? grads[0] : torch::zeros_like(s[0]);
    auto g = backward_on(ctx->saved_data["cuda"].toBool(), in, s[6], grad_out);
    return {g.d_src,         g.d_dst,         g.d_edge,        g.d_att,
            torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

Backend gatv2_backend(Backend requested, const torch::Tensor& sample) {
  // The fused kernel beats the gathered torch reference at every size, so Auto never picks naive.
  return detail::resolve_backend(requested, sample, std::numeric_limits<std::int64_t>::max());
}

} // namespace

torch::Tensor gatv2_aggregate(const torch::Tensor& x_src, const torch::Tensor& x_dst,
                              const torch::Tensor& x_edge, const torch::Tensor& att, const GraphCsr& graph,
                              const Gatv2Options& options) {
  const auto in = inputs_of(x_src, x_dst, x_edge, att, graph, options);
  const auto backend = gatv2_backend(options.backend, x_src);
  if (backend == Backend::Naive) return detail::gatv2_naive(in);
  const auto edge = in.x_edge.defined() ? c10::optional<torch::Tensor>(in.x_edge) : c10::nullopt;
  return Gatv2Function::apply(in.x_src, in.x_dst, edge, in.att, in.row_ptr, in.col_idx, in.negative_slope,
                              backend == Backend::Cuda)[0];
}

Gatv2Attention gatv2_inspect(const torch::Tensor& x_src, const torch::Tensor& x_dst,
                             const torch::Tensor& x_edge, const torch::Tensor& att, const GraphCsr& graph,
                             const std::vector<std::int64_t>& nodes, const Gatv2Options& options) {
  const torch::NoGradGuard no_grad;
  const auto cpu = [](const torch::Tensor& t) { return t.defined() ? t.detach().cpu() : t; };
  const GraphCsr g{graph.row_ptr.cpu(), graph.col_idx.cpu()};
  const auto in = inputs_of(cpu(x_src), cpu(x_dst), cpu(x_edge), cpu(att), g, options);
  for (const auto i : nodes) {
    if (i < 0 || i >= g.num_nodes())
      throw InputError("gatv2_inspect: node " + std::to_string(i) + " is outside [0, " +
                       std::to_string(g.num_nodes()) + ")");
  }
  auto [edges, alpha] = detail::gatv2_cpu_alpha(in, nodes);
  const auto rp = g.row_ptr;
  const auto deg = rp.slice(0, 1) - rp.slice(0, 0, g.num_nodes());
  const auto node_t = torch::tensor(nodes, torch::kLong);
  Gatv2Attention r;
  r.edge = edges;
  r.src = g.col_idx.index_select(0, edges);
  r.dst = torch::repeat_interleave(node_t, deg.index_select(0, node_t));
  r.alpha = alpha;
  return r;
}

Gatv2LayerImpl::Gatv2LayerImpl(const Gatv2LayerOptions& options) : m_options(options) {
  if (options.in_dim <= 0 || options.heads <= 0 || options.out_dim <= 0 || options.edge_dim < 0)
    throw InputError("Gatv2Layer: in_dim, heads and out_dim must be positive, edge_dim >= 0");
  const auto hc = options.heads * options.out_dim;
  m_src = register_module("src", torch::nn::Linear(options.in_dim, hc));
  m_dst = register_module("dst", torch::nn::Linear(options.in_dim, hc));
  if (options.edge_dim > 0)
    m_edge = register_module("edge",
                             torch::nn::Linear(torch::nn::LinearOptions(options.edge_dim, hc).bias(false)));
  m_att = register_parameter("att", torch::empty({options.heads, options.out_dim}));
  torch::nn::init::xavier_uniform_(m_att);
  m_bias = register_parameter("bias", torch::zeros({options.concat ? hc : options.out_dim}));
}

torch::Tensor Gatv2LayerImpl::forward(const torch::Tensor& x, const torch::Tensor& edge_attr,
                                      const GraphCsr& graph) {
  const auto n = x.size(0), h = m_options.heads, c = m_options.out_dim;
  const auto xs = m_src->forward(x).view({n, h, c});
  const auto xd = m_dst->forward(x).view({n, h, c});
  torch::Tensor xe;
  if (m_options.edge_dim > 0) {
    if (!edge_attr.defined() || edge_attr.dim() != 2 || edge_attr.size(0) != graph.num_edges())
      throw InputError("Gatv2Layer: edge_attr must be [E, edge_dim]");
    xe = m_edge->forward(edge_attr).view({graph.num_edges(), h, c});
  }
  Gatv2Options options;
  options.negative_slope = m_options.negative_slope;
  const auto out = gatv2_aggregate(xs, xd, xe, m_att, graph, options);
  return (m_options.concat ? out.reshape({n, h * c}) : out.mean(1)) + m_bias;
}

} // namespace gc::kernels
