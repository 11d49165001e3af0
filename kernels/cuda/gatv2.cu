// CUDA GATv2: one warp per (destination node, head), channels spread across the lanes.
// Forward: scores, online segment softmax and aggregation in one pass, then the normalised
// weights in a second. Backward: per-edge gradients with atomics for the shared source nodes.
#include "common.cuh"
#include "launch.h"

#include <cstdint>

namespace gc::kernels::cuda {
namespace {

template <typename T>
struct Inputs {
  const T* xs;
  const T* xd;
  const T* xe; // may be null
  const T* att;
};

template <typename T>
__device__ float edge_score(const Inputs<T>& in, const GraphShape& g, std::int64_t i, std::int64_t j,
                            std::int64_t e, std::int64_t h, int lane) {
  float s = 0.f;
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t c = lane + t * kWarp;
    if (c >= g.C) break;
    const std::int64_t hc = h * g.C + c;
    float z = to_f(in.xd[i * g.H * g.C + hc]) + to_f(in.xs[j * g.H * g.C + hc]);
    if (in.xe) z += to_f(in.xe[e * g.H * g.C + hc]);
    s += to_f(in.att[hc]) * (z > 0.f ? z : g.negative_slope * z);
  }
  return warp_sum(s);
}

template <typename T>
__global__ void forward_kernel(Inputs<T> in, T* out, float* alpha, GraphShape g) {
  const std::int64_t row = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp;
  const int lane = static_cast<int>(threadIdx.x % kWarp);
  if (row >= g.N * g.H) return;
  const std::int64_t i = row / g.H, h = row % g.H;
  float acc[kMaxPerLane] = {};
  float m = -INFINITY, l = 0.f;
  for (std::int64_t e = g.row_ptr[i]; e < g.row_ptr[i + 1]; ++e) {
    const std::int64_t j = g.col_idx[e];
    const float s = edge_score(in, g, i, j, e, h, lane);
    const float new_m = fmaxf(m, s);
    const float scale = __expf(m - new_m);
    const float p = __expf(s - new_m);
    l = l * scale + p;
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t c = lane + t * kWarp;
      if (c < g.C) acc[t] = acc[t] * scale + p * to_f(in.xs[(j * g.H + h) * g.C + c]);
    }
    m = new_m;
  }
  const float inv = l > 0.f ? 1.f / l : 0.f;
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t c = lane + t * kWarp;
    if (c < g.C) out[row * g.C + c] = from_f<T>(acc[t] * inv);
  }
  for (std::int64_t e = g.row_ptr[i]; e < g.row_ptr[i + 1]; ++e) {
    const float s = edge_score(in, g, i, g.col_idx[e], e, h, lane);
    if (lane == 0) alpha[e * g.H + h] = __expf(s - m) * inv;
  }
}

template <typename T>
__global__ void backward_kernel(Inputs<T> in, const T* grad_out, const float* alpha, float* d_src,
                                float* d_dst, float* d_edge, float* d_att, GraphShape g) {
  const std::int64_t row = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp;
  const int lane = static_cast<int>(threadIdx.x % kWarp);
  if (row >= g.N * g.H) return;
  const std::int64_t i = row / g.H, h = row % g.H;
  float gi[kMaxPerLane], dd[kMaxPerLane] = {}, da[kMaxPerLane] = {};
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t c = lane + t * kWarp;
    gi[t] = c < g.C ? to_f(grad_out[row * g.C + c]) : 0.f;
  }
  const auto dalpha = [&](std::int64_t j) {
    float d = 0.f;
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t c = lane + t * kWarp;
      if (c < g.C) d += gi[t] * to_f(in.xs[(j * g.H + h) * g.C + c]);
    }
    return warp_sum(d);
  };
  float weighted = 0.f;
  for (std::int64_t e = g.row_ptr[i]; e < g.row_ptr[i + 1]; ++e)
    weighted += alpha[e * g.H + h] * dalpha(g.col_idx[e]);
  for (std::int64_t e = g.row_ptr[i]; e < g.row_ptr[i + 1]; ++e) {
    const std::int64_t j = g.col_idx[e];
    const float a = alpha[e * g.H + h];
    const float dscore = a * (dalpha(j) - weighted);
    for (int t = 0; t < kMaxPerLane; ++t) {
      const std::int64_t c = lane + t * kWarp;
      if (c >= g.C) break;
      const std::int64_t hc = h * g.C + c;
      float z = to_f(in.xd[i * g.H * g.C + hc]) + to_f(in.xs[j * g.H * g.C + hc]);
      if (in.xe) z += to_f(in.xe[e * g.H * g.C + hc]);
      const float w = to_f(in.att[hc]);
      da[t] += dscore * (z > 0.f ? z : g.negative_slope * z);
      const float dz = dscore * w * (z > 0.f ? 1.f : g.negative_slope);
      dd[t] += dz;
      atomicAdd(d_src + j * g.H * g.C + hc, dz + a * gi[t]);
      if (in.xe) d_edge[e * g.H * g.C + hc] = dz;
    }
  }
  for (int t = 0; t < kMaxPerLane; ++t) {
    const std::int64_t c = lane + t * kWarp;
    if (c >= g.C) break;
    d_dst[row * g.C + c] = dd[t];
    atomicAdd(d_att + h * g.C + c, da[t]);
  }
}

template <typename T>
Inputs<T> inputs(const void* xs, const void* xd, const void* xe, const void* att) {
  return {static_cast<const T*>(xs), static_cast<const T*>(xd), static_cast<const T*>(xe),
          static_cast<const T*>(att)};
}

template <typename T>
void launch_forward(const void* xs, const void* xd, const void* xe, const void* att, void* out, float* alpha,
                    const GraphShape& g, cudaStream_t stream) {
  const long long warps = g.N * g.H;
  if (warps == 0) return;
  forward_kernel<T><<<grid_for_warps(warps), kThreads, 0, stream>>>(inputs<T>(xs, xd, xe, att),
                                                                    static_cast<T*>(out), alpha, g);
  check_launch("gatv2_forward");
}

template <typename T>
void launch_backward(const void* xs, const void* xd, const void* xe, const void* att, const void* grad_out,
                     const float* alpha, float* d_src, float* d_dst, float* d_edge, float* d_att,
                     const GraphShape& g, cudaStream_t stream) {
  const long long warps = g.N * g.H;
  if (warps == 0) return;
  backward_kernel<T><<<grid_for_warps(warps), kThreads, 0, stream>>>(
      inputs<T>(xs, xd, xe, att), static_cast<const T*>(grad_out), alpha, d_src, d_dst, d_edge, d_att, g);
  check_launch("gatv2_backward");
}

} // namespace

void gatv2_forward(DType dtype, const void* x_src, const void* x_dst, const void* x_edge, const void* att,
                   void* out, float* alpha, const GraphShape& shape, cudaStream_t stream) {
  check_width(shape.C, "channels per head");
  switch (dtype) {
  case DType::F32: launch_forward<float>(x_src, x_dst, x_edge, att, out, alpha, shape, stream); break;
  case DType::F16: launch_forward<__half>(x_src, x_dst, x_edge, att, out, alpha, shape, stream); break;
  case DType::BF16:
    launch_forward<__nv_bfloat16>(x_src, x_dst, x_edge, att, out, alpha, shape, stream);
    break;
  }
}

void gatv2_backward(DType dtype, const void* x_src, const void* x_dst, const void* x_edge, const void* att,
                    const void* grad_out, const float* alpha, float* d_src, float* d_dst, float* d_edge,
                    float* d_att, const GraphShape& shape, cudaStream_t stream) {
  check_width(shape.C, "channels per head");
  switch (dtype) {
  case DType::F32:
    launch_backward<float>(x_src, x_dst, x_edge, att, grad_out, alpha, d_src, d_dst, d_edge, d_att, shape,
                           stream);
    break;
  case DType::F16:
    launch_backward<__half>(x_src, x_dst, x_edge, att, grad_out, alpha, d_src, d_dst, d_edge, d_att, shape,
                            stream);
    break;
  case DType::BF16:
    launch_backward<__nv_bfloat16>(x_src, x_dst, x_edge, att, grad_out, alpha, d_src, d_dst, d_edge, d_att,
                                   shape, stream);
    break;
  }
}

} // namespace gc::kernels::cuda
