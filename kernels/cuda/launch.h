#pragma once
// Plain C++ interface to the CUDA kernels: raw device pointers, sizes and a stream, no torch
// types, so the .cu files compile with nvcc alone and the torch adapters (src/) call them
// from ordinary C++. Inputs are contiguous; accumulation is f32 for every input type. Errors
// (bad launch, unsupported size) throw std::runtime_error.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace gc::kernels::cuda {

enum class DType : int { F32, F16, BF16 };

// Device-side description of which (query, key) pairs are allowed; mirrors the CPU pattern.
enum class PatternKind : int { Dense, Sliding, BlockSparse };
struct PatternView {
  PatternKind kind = PatternKind::Dense;
  bool causal = false;                     // Dense
  std::int64_t window = 0;                 // Sliding
  const std::uint8_t* is_global = nullptr; // Sliding: [N]
  const std::int64_t* globals = nullptr;   // Sliding: sorted
  std::int64_t num_globals = 0;
  std::int64_t block = 0;                // BlockSparse
  const std::int64_t* row_ptr = nullptr; // BlockSparse: [num_blocks + 1]
  const std::int64_t* col_idx = nullptr;
};

struct AttentionShape {
  std::int64_t B = 0, H = 0, Nq = 0, Nk = 0, D = 0;
  float scale = 1.f;
  double dropout = 0.0; // see gc/kernels/dropout.h
  std::uint64_t seed = 0;
  const bool* key_padding = nullptr; // [B, Nk], true = padding; may be null
};

// out [B,H,Nq,D] (input dtype), lse [B,H,Nq] f32 (-inf for rows without keys).
void attention_forward(DType dtype, const void* q, const void* k, const void* v, void* out, float* lse,
                       const AttentionShape& shape, const PatternView& pattern, cudaStream_t stream);

// dq, dk, dv: f32, zero-filled by the caller (dk and dv are accumulated atomically).
void attention_backward(DType dtype, const void* q, const void* k, const void* v, const void* out,
                        const void* grad_out, const float* lse, float* dq, float* dk, float* dv,
                        const AttentionShape& shape, const PatternView& pattern, cudaStream_t stream);

struct GraphShape {
  std::int64_t N = 0, E = 0, H = 0, C = 0;
  float negative_slope = 0.2f;
  const std::int64_t* row_ptr = nullptr; // [N + 1], incoming edges per destination
  const std::int64_t* col_idx = nullptr; // [E], source node
};

// out [N,H,C] (input dtype), alpha [E,H] f32. x_edge may be null.
void gatv2_forward(DType dtype, const void* x_src, const void* x_dst, const void* x_edge, const void* att,
                   void* out, float* alpha, const GraphShape& shape, cudaStream_t stream);

// All gradients f32 and zero-filled by the caller; d_edge is ignored when x_edge is null.
void gatv2_backward(DType dtype, const void* x_src, const void* x_dst, const void* x_edge, const void* att,
                    const void* grad_out, const float* alpha, float* d_src, float* d_dst, float* d_edge,
                    float* d_att, const GraphShape& shape, cudaStream_t stream);

} // namespace gc::kernels::cuda
