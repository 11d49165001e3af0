#pragma once
// Backend selection shared by every attention operator. Each operator has one entry point that
// picks a backend from the tensors' device, dtype and size; a caller (or the environment
// variable GENOCIRCUIT_ATTENTION_BACKEND=naive|cpu|cuda) can force one, e.g. to compare
// backends or to work around a problem in the field.
#include <optional>
#include <string>
#include <string_view>

namespace gc::kernels {

enum class Backend {
  Auto,  // decide per call (device, dtype, size)
  Naive, // torch matmul-softmax-matmul over the materialised scores: the reference
  Cpu,   // tiled, multi-threaded, online softmax; never materialises n x n
  Cuda,  // our CUDA kernels (only in builds with GC_WITH_CUDA and for CUDA tensors)
};

[[nodiscard]] std::string_view backend_name(Backend backend) noexcept;
// Parses "auto", "naive", "cpu" or "cuda"; throws gc::InputError otherwise.
[[nodiscard]] Backend parse_backend(std::string_view name);

// Process-wide override (takes precedence over the environment variable); nullopt clears it.
void set_backend_override(std::optional<Backend> backend);
// The override in force: the API's, else GENOCIRCUIT_ATTENTION_BACKEND, else nullopt.
[[nodiscard]] std::optional<Backend> backend_override();

// Whether our CUDA kernels were compiled into this binary.
[[nodiscard]] bool cuda_kernels_compiled() noexcept;

} // namespace gc::kernels
