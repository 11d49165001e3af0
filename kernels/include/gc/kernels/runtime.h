#pragma once
// What the attention kernels can run on in this process: reported by the CLI's benchmarks and
// the GUI's About box.
#include <string>

namespace gc::kernels {

struct RuntimeInfo {
  std::string torch_version;   // e.g. "1.13.0"
  bool cuda_compiled = false;  // our CUDA kernels were built into this binary
  bool cuda_available = false; // LibTorch sees a CUDA device
  std::string gpu_name;        // empty without a device
  int cpu_threads = 0;         // LibTorch intra-op threads
};

[[nodiscard]] RuntimeInfo runtime_info();

// Sets LibTorch's intra-op threads. Debian's LibTorch starts with one thread, so without this
// every model computation runs on a single core. `threads` <= 0 means: OMP_NUM_THREADS or
// GENOCIRCUIT_THREADS when set, else all hardware threads. Returns the number in effect.
int configure_threads(int threads = 0);

// Gives the calling thread `threads` LibTorch intra-op threads while the guard lives, then
// restores its count; the process-wide setting of configure_threads and other threads are left
// alone (LibTorch's OpenMP backend reads OpenMP's per-thread team size). For work that a pool of
// our own already spreads over the cores: each pool thread would otherwise start a team of the
// process-wide size. Without OpenMP (LibTorch's native backend shares one intra-op pool, which
// such work cannot oversubscribe) it changes nothing.
class ThreadLimit {
public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

private:
  int m_previous = 0;
};

} // namespace gc::kernels
