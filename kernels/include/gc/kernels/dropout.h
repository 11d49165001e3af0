#pragma once
// Attention dropout that every backend reproduces bit for bit. The keep decision for the
// probability P[b,h,i,j] is a pure function of (seed, flat index ((b*H + h)*Nq + i)*Nk + j),
// so the tiled CPU path, the CUDA path and the naive reference drop the same entries for the
// same seed, and a backward pass regenerates the mask instead of storing n x n bits.
// Kept probabilities are scaled by 1 / (1 - p) (inverted dropout); the softmax normaliser is
// computed before dropout, exactly as torch's dropout(softmax(s)).
#include <cstdint>

#if defined(__CUDACC__)
#define GC_KERNELS_HD __host__ __device__
#else
#define GC_KERNELS_HD
#endif

namespace gc::kernels {

GC_KERNELS_HD inline std::uint64_t dropout_mix(std::uint64_t seed, std::uint64_t index) noexcept {
  // splitmix64 finaliser over the seed-offset index: cheap, stateless and well distributed.
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + index + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// True when the entry survives dropout with drop probability p (0 <= p < 1).
GC_KERNELS_HD inline bool dropout_keep(std::uint64_t seed, double p, std::uint64_t index) noexcept {
  const double u = static_cast<double>(dropout_mix(seed, index) >> 11) * 0x1.0p-53;
  return u >= p;
}

} // namespace gc::kernels
