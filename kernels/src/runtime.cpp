#include "gc/kernels/runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

#ifdef GC_WITH_CUDA
#include <cuda_runtime_api.h>
#endif
#ifdef GC_KERNELS_HAVE_OPENMP
#include <omp.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace gc::kernels {

int configure_threads(int threads) {
  if (threads <= 0) {
    for (const char* var : {"GENOCIRCUIT_THREADS", "OMP_NUM_THREADS"}) {
      if (const char* v = std::getenv(var); v && std::atoi(v) > 0) {
        threads = std::atoi(v);
        break;
      }
    }
  }
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  return at::get_num_threads();
}

ThreadLimit::ThreadLimit(int threads) {
#ifdef GC_KERNELS_HAVE_OPENMP
  // get_num_threads() first runs LibTorch's once-per-thread set-up, which would otherwise reset
  // the team size at the thread's first parallel operation.
  m_previous = at::get_num_threads();
  omp_set_num_threads(std::max(1, threads));
#else
  (void)threads;
#endif
}

ThreadLimit::~ThreadLimit() {
#ifdef GC_KERNELS_HAVE_OPENMP
  omp_set_num_threads(m_previous);
#endif
}

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.torch_version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                       std::to_string(TORCH_VERSION_PATCH);
  info.cpu_threads = at::get_num_threads();
  info.cuda_available = torch::cuda::is_available();
#ifdef GC_WITH_CUDA
  info.cuda_compiled = true;
  if (info.cuda_available) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, 0) == cudaSuccess) info.gpu_name = prop.name;
  }
#endif
  return info;
}

} // namespace gc::kernels
