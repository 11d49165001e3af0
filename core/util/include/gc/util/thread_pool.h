#pragma once
// A fixed-size thread pool with futures and a blocking parallel_for. Exceptions thrown by a
// task are rethrown to the caller (the first one, for parallel_for).
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <type_traits>
#include <vector>

namespace gc {

class ThreadPool {
public:
  // 0 threads means std::thread::hardware_concurrency().
  explicit ThreadPool(std::size_t threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return m_workers.size(); }

  template <typename F>
  auto submit(F&& f) -> std::future<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
    auto future = task->get_future();
    enqueue([task] { (*task)(); });
    return future;
  }

  // Calls fn(begin, end) over chunks of [first, last) of at least `grain` items, on the pool
  // and the calling thread, and waits. Safe to call from inside a pool task (runs inline then).
  void parallel_for(std::size_t first, std::size_t last, std::size_t grain,
                    const std::function<void(std::size_t, std::size_t)>& fn);

private:
  void enqueue(std::function<void()> job);
  void worker_loop();
  [[nodiscard]] bool on_worker_thread() const;

  std::vector<std::thread> m_workers;
  std::queue<std::function<void()>> m_jobs;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_stop = false;
};

// The process-wide pool, created on first use.
ThreadPool& default_pool();

} // namespace gc
