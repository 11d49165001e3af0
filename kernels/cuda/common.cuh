#pragma once
// Shared device helpers of the CUDA kernels: type conversion (f32 accumulation for every
// input type), warp reductions and launch error checks.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace gc::kernels::cuda {

constexpr int kWarp = 32;
constexpr int kMaxPerLane = 8; // head / channel sizes up to 256 held in registers
constexpr int kThreads = 128;

__device__ inline float to_f(float x) { return x; }
__device__ inline float to_f(__half x) { return __half2float(x); }
__device__ inline float to_f(__nv_bfloat16 x) { return __bfloat162float(x); }

template <typename T>
__device__ inline T from_f(float x);
template <>
__device__ inline float from_f<float>(float x) {
  return x;
}
template <>
__device__ inline __half from_f<__half>(float x) {
  return __float2half(x);
}
template <>
__device__ inline __nv_bfloat16 from_f<__nv_bfloat16>(float x) {
  return __float2bfloat16(x);
}

__device__ inline float warp_sum(float v) {
  for (int offset = kWarp / 2; offset > 0; offset >>= 1)
    v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

inline void check_launch(const char* what) {
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
}

inline void check_width(long long width, const char* what) {
  if (width > static_cast<long long>(kWarp) * kMaxPerLane)
    throw std::runtime_error(std::string(what) + " above " + std::to_string(kWarp * kMaxPerLane) +
                             " is not supported by the CUDA kernels");
}

inline unsigned grid_for_warps(long long warps) {
  return static_cast<unsigned>((warps * kWarp + kThreads - 1) / kThreads);
}

} // namespace gc::kernels::cuda
