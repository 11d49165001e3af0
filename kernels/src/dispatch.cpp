// Backend selection and the autograd adapter of the attention operators.
#include "dispatch.h"

#include "gc/util/error.h"

#include <cmath>
#include <cstdlib>
#include <mutex>
#include <string>

#ifdef GC_WITH_CUDA
// Debian's CPU LibTorch ships c10/cuda headers without their generated config header, so
// both are required before using torch's current stream.
#if __has_include(<c10/cuda/CUDAStream.h>) && __has_include(<c10/cuda/impl/cuda_cmake_macros.h>)
#include <c10/cuda/CUDAStream.h>
#define GC_KERNELS_TORCH_CUDA 1
#endif
#endif

namespace gc::kernels {

namespace {
std::mutex g_override_mutex;
std::optional<Backend> g_override;
} // namespace

std::string_view backend_name(Backend backend) noexcept {
  switch (backend) {
  case Backend::Auto: return "auto";
  case Backend::Naive: return "naive";
  case Backend::Cpu: return "cpu";
  case Backend::Cuda: return "cuda";
  }
  return "auto";
}

Backend parse_backend(std::string_view name) {
  for (const auto b : {Backend::Auto, Backend::Naive, Backend::Cpu, Backend::Cuda}) {
    if (backend_name(b) == name) return b;
  }
  throw InputError("unknown attention backend '" + std::string(name) +
                   "' (expected auto, naive, cpu or cuda)");
}

void set_backend_override(std::optional<Backend> backend) {
  const std::lock_guard lock(g_override_mutex);
  g_override = backend;
}

std::optional<Backend> backend_override() {
  {
    const std::lock_guard lock(g_override_mutex);
    if (g_override) return g_override;
  }
  const char* env = std::getenv("GENOCIRCUIT_ATTENTION_BACKEND");
  if (env == nullptr || *env == '\0') return std::nullopt;
  const Backend b = parse_backend(env);
  return b == Backend::Auto ? std::nullopt : std::optional<Backend>(b);
}

bool cuda_kernels_compiled() noexcept {
#ifdef GC_WITH_CUDA
  return true;
#else
  return false;
#endif
}

namespace detail {

Backend resolve_backend(Backend requested, const torch::Tensor& sample, std::int64_t work) {
  Backend b = requested;
  if (b == Backend::Auto) b = backend_override().value_or(Backend::Auto);
  if (b == Backend::Auto) {
    if (sample.is_cuda()) {
      b = cuda_kernels_compiled() ? Backend::Cuda : Backend::Naive;
    } else {
      // Below ~16k score entries per head, materialising them is cheaper than tiling.
      b = work <= 16384 ? Backend::Naive : Backend::Cpu;
    }
  }
  if (b == Backend::Cuda && !cuda_kernels_compiled())
    throw InputError("the cuda attention backend was requested but this build has no CUDA kernels");
  if (b == Backend::Cuda && !sample.is_cuda())
    throw InputError("the cuda attention backend needs CUDA tensors (got " + sample.device().str() + ")");
  if (b == Backend::Cpu && !sample.is_cpu())
    throw InputError("the cpu attention backend needs CPU tensors (got " + sample.device().str() + ")");
  return b;
}

void check_attention_inputs(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            const torch::Tensor& key_padding_mask, bool same_length) {
  if (!q.defined() || !k.defined() || !v.defined()) throw InputError("attention: q, k and v must be defined");
  if (q.dim() != 4 || k.dim() != 4 || v.dim() != 4)
    throw InputError("attention: q, k and v must be [B, H, N, D]");
  if (k.sizes() != v.sizes()) throw InputError("attention: k and v must have the same shape");
  if (q.size(0) != k.size(0) || q.size(1) != k.size(1) || q.size(3) != k.size(3))
    throw InputError("attention: q and k must agree in batch, heads and head size");
  if (same_length && q.size(2) != k.size(2))
    throw InputError("attention: this operator needs as many queries as keys");
  if (q.scalar_type() != k.scalar_type() || q.scalar_type() != v.scalar_type())
    throw InputError("attention: q, k and v must have the same dtype");
  if (!q.is_floating_point()) throw InputError("attention: q, k and v must be floating point");
  if (q.device() != k.device() || q.device() != v.device())
    throw InputError("attention: q, k and v must be on the same device");
  if (key_padding_mask.defined()) {
    if (key_padding_mask.scalar_type() != torch::kBool || key_padding_mask.dim() != 2 ||
        key_padding_mask.size(0) != k.size(0) || key_padding_mask.size(1) != k.size(2))
      throw InputError("attention: key_padding_mask must be bool [B, Nk]");
  }
}

double resolve_scale(const std::optional<double>& scale, const torch::Tensor& q) {
  return scale ? *scale : 1.0 / std::sqrt(static_cast<double>(std::max<std::int64_t>(1, q.size(3))));
}

namespace {

#ifdef GC_WITH_CUDA
// Device copies of the pattern's index arrays, alive for the duration of a launch.
struct CudaPattern {
  cuda::PatternView view;
  torch::Tensor is_global, globals, row_ptr, col_idx;
};

CudaPattern to_device(const AttentionPattern& p, const torch::Device& device) {
  CudaPattern c;
  const auto on = [&](const auto& vec, torch::ScalarType type) {
    return torch::from_blob(const_cast<void*>(static_cast<const void*>(vec.data())),
                            {static_cast<std::int64_t>(vec.size())}, type)
        .to(device);
  };
  c.view.kind = static_cast<cuda::PatternKind>(static_cast<int>(p.kind));
  c.view.causal = p.causal;
  c.view.window = p.window;
  c.view.block = p.block;
  if (p.kind == PatternKind::Sliding) {
    c.is_global = on(p.is_global, torch::kByte);
    c.globals = on(p.globals, torch::kLong);
    c.view.is_global = c.is_global.data_ptr<std::uint8_t>();
    c.view.globals = c.globals.numel() ? c.globals.data_ptr<std::int64_t>() : nullptr;
    c.view.num_globals = c.globals.numel();
  }
  if (p.kind == PatternKind::BlockSparse) {
    c.row_ptr = on(p.row_ptr, torch::kLong);
    c.col_idx = on(p.col_idx, torch::kLong);
    c.view.row_ptr = c.row_ptr.data_ptr<std::int64_t>();
    c.view.col_idx = c.col_idx.numel() ? c.col_idx.data_ptr<std::int64_t>() : nullptr;
  }
  return c;
}

cuda::AttentionShape cuda_shape(const torch::Tensor& q, const torch::Tensor& k, const EngineParams& params,
                                const torch::Tensor& pad) {
  cuda::AttentionShape s;
  s.B = q.size(0);
  s.H = q.size(1);
  s.Nq = q.size(2);
  s.Nk = k.size(2);
  s.D = q.size(3);
  s.scale = static_cast<float>(params.scale);
  s.dropout = params.dropout;
  s.seed = params.seed;
  s.key_padding = pad.defined() ? pad.data_ptr<bool>() : nullptr;
  return s;
}
#endif

ForwardResult forward_on(bool use_cuda, const AttentionPattern& pattern, const torch::Tensor& q,
                         const torch::Tensor& k, const torch::Tensor& v, const EngineParams& params) {
#ifdef GC_WITH_CUDA
  if (use_cuda) {
    const auto qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous();
    const auto pad =
        params.key_padding_mask.defined() ? params.key_padding_mask.contiguous() : torch::Tensor();
    auto out = torch::empty_like(qc);
    auto lse = torch::empty({q.size(0), q.size(1), q.size(2)}, q.options().dtype(torch::kFloat));
    const auto dev = to_device(pattern, q.device());
    cuda::attention_forward(cuda_dtype(q), qc.data_ptr(), kc.data_ptr(), vc.data_ptr(), out.data_ptr(),
                            lse.data_ptr<float>(), cuda_shape(qc, kc, params, pad), dev.view,
                            current_cuda_stream());
    return {out, lse};
  }
#endif
  (void)use_cuda;
  return tiled_forward(pattern, q, k, v, params);
}

Gradients backward_on(bool use_cuda, const AttentionPattern& pattern, const torch::Tensor& q,
                      const torch::Tensor& k, const torch::Tensor& v, const torch::Tensor& out,
                      const torch::Tensor& lse, const torch::Tensor& grad_out, const EngineParams& params) {
#ifdef GC_WITH_CUDA
  if (use_cuda) {
    const auto qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous(), oc = out.contiguous();
    const auto gc = grad_out.to(q.scalar_type()).contiguous();
    const auto pad =
        params.key_padding_mask.defined() ? params.key_padding_mask.contiguous() : torch::Tensor();
    const auto f32 = q.options().dtype(torch::kFloat);
    auto dq = torch::zeros(q.sizes(), f32), dk = torch::zeros(k.sizes(), f32),
         dv = torch::zeros(v.sizes(), f32);
    const auto dev = to_device(pattern, q.device());
    cuda::attention_backward(cuda_dtype(q), qc.data_ptr(), kc.data_ptr(), vc.data_ptr(), oc.data_ptr(),
                             gc.data_ptr(), lse.contiguous().data_ptr<float>(), dq.data_ptr<float>(),
                             dk.data_ptr<float>(), dv.data_ptr<float>(), cuda_shape(qc, kc, params, pad),
                             dev.view, current_cuda_stream());
    return {dq.to(q.scalar_type()), dk.to(k.scalar_type()), dv.to(v.scalar_type())};
  }
#endif
  (void)use_cuda;
  return tiled_backward(pattern, q, k, v, out, lse, grad_out, params);
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Forward saves only O(n) per row (the log-sum-exp); backward recomputes scores tile by tile.
class TiledAttentionFunction : public torch::autograd::Function<TiledAttentionFunction> {
public:
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& q, const torch::Tensor& k,
                               const torch::Tensor& v, const c10::intrusive_ptr<AttentionPattern>& pattern,
                               const EngineParams& params, bool use_cuda) {
    auto r = forward_on(use_cuda, *pattern, q, k, v, params);
    ctx->save_for_backward({q, k, v, r.out, r.lse});
    ctx->saved_data["pattern"] = c10::IValue::make_capsule(pattern);
    ctx->saved_data["has_mask"] = params.key_padding_mask.defined();
    if (params.key_padding_mask.defined()) ctx->saved_data["mask"] = params.key_padding_mask;
    ctx->saved_data["scale"] = params.scale;
    ctx->saved_data["dropout"] = params.dropout;
    ctx->saved_data["seed"] = static_cast<std::int64_t>(params.seed);
    ctx->saved_data["cuda"] = use_cuda;
    ctx->mark_non_differentiable({r.lse});
    return {r.out, r.lse};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto pattern =
        c10::static_intrusive_pointer_cast<AttentionPattern>(ctx->saved_data["pattern"].toCapsule());
    EngineParams params;
    if (ctx->saved_data["has_mask"].toBool()) params.key_padding_mask = ctx->saved_data["mask"].toTensor();
    params.scale = ctx->saved_data["scale"].toDouble();
    params.dropout = ctx->saved_data["dropout"].toDouble();
    params.seed = static_cast<std::uint64_t>(ctx->saved_data["seed"].toInt());
    auto grad_out = grads[0].defined() ? grads[0] : torch::zeros_like(saved[3]);
    auto g = backward_on(ctx->saved_data["cuda"].toBool(), *pattern, saved[0], saved[1], saved[2], saved[3],
                         saved[4], grad_out, params);
    return {g.dq, g.dk, g.dv, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

} // namespace

#ifdef GC_WITH_CUDA
cudaStream_t current_cuda_stream() {
#ifdef GC_KERNELS_TORCH_CUDA
  return c10::cuda::getCurrentCUDAStream().stream();
#else
  return nullptr;
#endif
}

cuda::DType cuda_dtype(const torch::Tensor& t) {
  switch (t.scalar_type()) {
  case torch::kFloat: return cuda::DType::F32;
  case torch::kHalf: return cuda::DType::F16;
  case torch::kBFloat16: return cuda::DType::BF16;
  default: throw InputError("the cuda kernels support f32, f16 and bf16");
  }
}
#endif

torch::Tensor run_attention(const c10::intrusive_ptr<AttentionPattern>& pattern, const torch::Tensor& q,
                            const torch::Tensor& k, const torch::Tensor& v, const EngineParams& params,
                            Backend backend) {
  if (backend == Backend::Naive) return naive_attention(*pattern, q, k, v, params);
  // Nothing to attend: zeros, kept in the autograd graph so backward gives zero gradients.
  if (q.numel() == 0 || k.size(2) == 0) return torch::zeros_like(q) + 0 * v.sum();
  return TiledAttentionFunction::apply(q, k, v, pattern, params, backend == Backend::Cuda)[0];
}

} // namespace detail
} // namespace gc::kernels
