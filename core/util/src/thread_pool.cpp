#include "gc/util/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>

namespace gc {
namespace {
thread_local const ThreadPool* t_current_pool = nullptr;
}

ThreadPool::ThreadPool(std::size_t threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  m_workers.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i)
    m_workers.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_cv.notify_all();
  for (auto& t : m_workers)
    t.join();
}

void ThreadPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(m_mutex);
    m_jobs.push(std::move(job));
  }
  m_cv.notify_one();
}

void ThreadPool::worker_loop() {
  t_current_pool = this;
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(m_mutex);
      m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
      if (m_jobs.empty()) return;
      job = std::move(m_jobs.front());
      m_jobs.pop();
    }
    job();
  }
}

bool ThreadPool::on_worker_thread() const { return t_current_pool == this; }

void ThreadPool::parallel_for(std::size_t first, std::size_t last, std::size_t grain,
                              const std::function<void(std::size_t, std::size_t)>& fn) {
  if (first >= last) return;
  const std::size_t n = last - first;
  grain = std::max<std::size_t>(grain, 1);
  const std::size_t max_chunks = (n + grain - 1) / grain;
  const std::size_t chunks = std::min(max_chunks, (size() + 1) * 4);
  // Nested use from a worker would deadlock waiting on itself: run inline instead.
  if (chunks <= 1 || on_worker_thread()) {
    fn(first, last);
    return;
  }
  const std::size_t per = (n + chunks - 1) / chunks;
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&] {
    for (;;) {
      const std::size_t c = next.fetch_add(1);
      if (c >= chunks) return;
      const std::size_t b = first + c * per;
      const std::size_t e = std::min(last, b + per);
      if (b >= e) return;
      try {
        fn(b, e);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(chunks);
      }
    }
  };
  const std::size_t helpers = std::min(size(), chunks - 1);
  std::vector<std::future<void>> futures;
  futures.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i)
    futures.push_back(submit(run));
  run();
  for (auto& f : futures)
    f.get();
  if (error) std::rethrow_exception(error);
}

ThreadPool& default_pool() {
  static ThreadPool pool;
  return pool;
}

} // namespace gc
