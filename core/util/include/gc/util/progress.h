#pragma once
// Progress reporting and cancellation usable from any thread, with no Qt. A Progress is a
// cheap value that long operations take by const reference and pass (or a sub-range of it)
// to worker threads. The GUI adapts a ProgressListener to Qt signals.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace gc {

// Shared cancellation flag; copies observe the same flag.
class CancelToken {
public:
  CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const noexcept { m_flag->store(true, std::memory_order_relaxed); }
  [[nodiscard]] bool cancelled() const noexcept { return m_flag->load(std::memory_order_relaxed); }
  // Throws gc::Cancelled when cancel() was called.
  void throw_if_cancelled() const;

private:
  std::shared_ptr<std::atomic<bool>> m_flag;
};

// Receives progress; called from whichever thread reports, so implementations must be
// thread-safe. `fraction` is in [0, 1].
class ProgressListener {
public:
  virtual ~ProgressListener() = default;
  virtual void on_progress(double fraction, const std::string& message) = 0;
};

class Progress {
public:
  // A progress that reports nowhere and can never be cancelled.
  Progress() = default;
  Progress(std::shared_ptr<ProgressListener> listener, CancelToken token);

  // Reports `fraction` of this range (mapped into the parent's range) and checks cancellation.
  void update(double fraction, std::string_view message = {}) const;
  // Throws gc::Cancelled if the user cancelled.
  void check() const;
  [[nodiscard]] bool cancelled() const noexcept { return m_token && m_token->cancelled(); }
  // A child covering [lo, hi] of this range, for one step of a multi-step operation.
  [[nodiscard]] Progress sub(double lo, double hi) const;
  [[nodiscard]] const CancelToken* token() const noexcept { return m_token.get(); }

private:
  std::shared_ptr<ProgressListener> m_listener;
  std::shared_ptr<CancelToken> m_token;
  double m_lo = 0.0;
  double m_hi = 1.0;
};

// Counts completed items from many threads and reports at most ~200 times in total, so a
// tight parallel loop does not flood a GUI with signals.
class ProgressCounter {
public:
  ProgressCounter(const Progress& progress, std::uint64_t total, std::string message);
  // Adds `n` finished items; reports and checks cancellation when a reporting step is crossed.
  void add(std::uint64_t n = 1);

private:
  const Progress& m_progress;
  std::uint64_t m_total;
  std::uint64_t m_step;
  std::string m_message;
  std::atomic<std::uint64_t> m_done{0};
};

} // namespace gc
