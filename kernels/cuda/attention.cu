// CUDA attention for every pattern (dense, sliding window + globals, block sparse): one warp
// per query row, the row's query and output held in registers across the lanes, an online
// softmax over the row's allowed keys. Backward recomputes probabilities from the saved
// log-sum-exp and accumulates dK / dV with atomics.
#include "common.cuh"
#include "gc/kernels/dropout.h"
#include "launch.h"

#include <cstdint>

namespace gc::kernels::cuda {
namespace {

// Calls f(j) for every key j the pattern allows for query i (padding is checked by f).
template <typename F>
__device__ void for_each_key(const PatternView& p, std::int64_t i, std::int64_t nk, F&& f) {
  switch (p.kind) {
  case PatternKind::Dense: {
    const std::int64_t end = p.causal ? (i + 1 < nk ? i + 1 : nk) : nk;
    for (std::int64_t j = 0; j < end; ++j)
      f(j);
    break;
  }
  case PatternKind::Sliding: {
    if (p.is_global[i]) {
      for (std::int64_t j = 0; j < nk; ++j)
        f(j);
      break;
    }
    const std::int64_t lo = i - p.window > 0 ? i - p.window : 0;
    const std::int64_t hi = i + p.window + 1 < nk ? i + p.window + 1 : nk;
    for (std::int64_t j = lo; j < hi; ++j)
      f(j);
    for (std::int64_t g = 0; g < p.num_globals; ++g) {
      const std::int64_t j = p.globals[g];
      if (j < lo || j >= hi) f(j);
    }
    break;
  }
  case PatternKind::BlockSparse: {
    const std::int64_t r = i / p.block;
    for (std::int64_t e = p.row_ptr[r]; e < p.row_ptr[r + 1]; ++e) {
      const std::int64_t first = p.col_idx[e] * p.block;
      const std::int64_t last = first + p.block < nk ? first + p.block : nk;
      for (std::int64_t j = first; j < last; ++j)
        f(j);
    }
    break;
  }
  }
}

template <typename T>
__global__ void forward_kernel(const T* q, const T* k, const T* v, T* out, float* lse, AttentionShape s,
                               PatternView p) {
  const std::int64_t row = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp;
  const int lane = static_cast<int>(threadIdx.x % kWarp);
  if (row >= s.B * s.H * s.Nq) return; // the whole warp shares `row`
  const std::int64_t bh = row / s.Nq, i = row % s.Nq, b = bh / s.H;
  const T* kb = k + bh * s.Nk * s.D;
  const T* vb = v + bh * s.Nk * s.D;
  const bool* pad = s.key_padding ? s.key_padding + b * s.Nk : nullptr;
  float qr[kMaxPerLane], acc[kMaxPerLane];
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t d = lane + t * kWarp;
    qr[t] = d < s.D ? to_f(q[row * s.D + d]) * s.scale : 0.f;
    acc[t] = 0.f;
  }
  const float keep_scale = s.dropout > 0.0 ? static_cast<float>(1.0 / (1.0 - s.dropout)) : 1.f;
  float m = -INFINITY, l = 0.f;
  for_each_key(p, i, s.Nk, [&](std::int64_t j) {
    if (pad && pad[j]) return;
    const T* kj = kb + j * s.D;
    float dot = 0.f;
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t d = lane + t * kWarp;
      if (d < s.D) dot += qr[t] * to_f(kj[d]);
    }
    dot = warp_sum(dot);
    const float new_m = fmaxf(m, dot);
    const float alpha = __expf(m - new_m);
    float pr = __expf(dot - new_m);
    l = l * alpha + pr;
    if (s.dropout > 0.0) {
      const auto index = static_cast<std::uint64_t>((bh * s.Nq + i) * s.Nk + j);
      pr = dropout_keep(s.seed, s.dropout, index) ? pr * keep_scale : 0.f;
    }
    const T* vj = vb + j * s.D;
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t d = lane + t * kWarp;
      if (d < s.D) acc[t] = acc[t] * alpha + pr * to_f(vj[d]);
    }
    m = new_m;
  });
  const float inv = l > 0.f ? 1.f / l : 0.f;
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t d = lane + t * kWarp;
    if (d < s.D) out[row * s.D + d] = from_f<T>(acc[t] * inv);
  }
  if (lane == 0) lse[row] = l > 0.f ? m + logf(l) : -INFINITY;
}

template <typename T>
__global__ void backward_kernel(const T* q, const T* k, const T* v, const T* out, const T* grad_out,
                                const float* lse, float* dq, float* dk, float* dv, AttentionShape s,
                                PatternView p) {
  const std::int64_t row = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp;
  const int lane = static_cast<int>(threadIdx.x % kWarp);
  if (row >= s.B * s.H * s.Nq) return;
  const float row_lse = lse[row];
  if (row_lse == -INFINITY) return; // no keys: all gradients of this row are zero
  const std::int64_t bh = row / s.Nq, i = row % s.Nq, b = bh / s.H;
  const T* kb = k + bh * s.Nk * s.D;
  const T* vb = v + bh * s.Nk * s.D;
  float* dkb = dk + bh * s.Nk * s.D;
  float* dvb = dv + bh * s.Nk * s.D;
  const bool* pad = s.key_padding ? s.key_padding + b * s.Nk : nullptr;
  float qr[kMaxPerLane], gr[kMaxPerLane], dqr[kMaxPerLane];
  float delta = 0.f;
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t d = lane + t * kWarp;
    const bool in = d < s.D;
    qr[t] = in ? to_f(q[row * s.D + d]) * s.scale : 0.f;
    gr[t] = in ? to_f(grad_out[row * s.D + d]) : 0.f;
    delta += in ? gr[t] * to_f(out[row * s.D + d]) : 0.f;
    dqr[t] = 0.f;
  }
  delta = warp_sum(delta);
  const float keep_scale = s.dropout > 0.0 ? static_cast<float>(1.0 / (1.0 - s.dropout)) : 1.f;
  for_each_key(p, i, s.Nk, [&](std::int64_t j) {
    if (pad && pad[j]) return;
    const T* kj = kb + j * s.D;
    const T* vj = vb + j * s.D;
    float dot = 0.f, dpv = 0.f;
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t d = lane + t * kWarp;
      if (d < s.D) {
        dot += qr[t] * to_f(kj[d]);
        dpv += gr[t] * to_f(vj[d]);
      }
    }
    dot = warp_sum(dot);
    dpv = warp_sum(dpv);
    const float pr = __expf(dot - row_lse);
    float z = 1.f;
    if (s.dropout > 0.0) {
      const auto index = static_cast<std::uint64_t>((bh * s.Nq + i) * s.Nk + j);
      z = dropout_keep(s.seed, s.dropout, index) ? keep_scale : 0.f;
    }
    const float ds = pr * (dpv * z - delta);
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t d = lane + t * kWarp;
      if (d < s.D) {
        atomicAdd(dvb + j * s.D + d, pr * z * gr[t]);
        atomicAdd(dkb + j * s.D + d, ds * qr[t]);
        dqr[t] += ds * to_f(kj[d]);
      }
    }
  });
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t d = lane + t * kWarp;
    if (d < s.D) dq[row * s.D + d] = dqr[t] * s.scale;
  }
}

template <typename T>
void launch_forward(const void* q, const void* k, const void* v, void* out, float* lse,
                    const AttentionShape& s, const PatternView& p, cudaStream_t stream) {
  const long long warps = s.B * s.H * s.Nq;
  if (warps == 0) return;
  forward_kernel<T><<<grid_for_warps(warps), kThreads, 0, stream>>>(
      static_cast<const T*>(q), static_cast<const T*>(k), static_cast<const T*>(v), static_cast<T*>(out), lse,
      s, p);
  check_launch("attention_forward");
}

template <typename T>
void launch_backward(const void* q, const void* k, const void* v, const void* out, const void* grad_out,
                     const float* lse, float* dq, float* dk, float* dv, const AttentionShape& s,
                     const PatternView& p, cudaStream_t stream) {
  const long long warps = s.B * s.H * s.Nq;
  if (warps == 0) return;
  backward_kernel<T><<<grid_for_warps(warps), kThreads, 0, stream>>>(
      static_cast<const T*>(q), static_cast<const T*>(k), static_cast<const T*>(v),
      static_cast<const T*>(out), static_cast<const T*>(grad_out), lse, dq, dk, dv, s, p);
  check_launch("attention_backward");
}

} // namespace

void attention_forward(DType dtype, const void* q, const void* k, const void* v, void* out, float* lse,
                       const AttentionShape& shape, const PatternView& pattern, cudaStream_t stream) {
  check_width(shape.D, "head size");
  switch (dtype) {
  case DType::F32: launch_forward<float>(q, k, v, out, lse, shape, pattern, stream); break;
  case DType::F16: launch_forward<__half>(q, k, v, out, lse, shape, pattern, stream); break;
  case DType::BF16: launch_forward<__nv_bfloat16>(q, k, v, out, lse, shape, pattern, stream); break;
  }
}

void attention_backward(DType dtype, const void* q, const void* k, const void* v, const void* out,
                        const void* grad_out, const float* lse, float* dq, float* dk, float* dv,
                        const AttentionShape& shape, const PatternView& pattern, cudaStream_t stream) {
  check_width(shape.D, "head size");
  switch (dtype) {
  case DType::F32:
    launch_backward<float>(q, k, v, out, grad_out, lse, dq, dk, dv, shape, pattern, stream);
    break;
  case DType::F16:
    launch_backward<__half>(q, k, v, out, grad_out, lse, dq, dk, dv, shape, pattern, stream);
    break;
  case DType::BF16:
    launch_backward<__nv_bfloat16>(q, k, v, out, grad_out, lse, dq, dk, dv, shape, pattern, stream);
    break;
  }
}

} // namespace gc::kernels::cuda
