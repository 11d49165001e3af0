#pragma once
// Wall-clock timing and process memory figures for benchmarks.
#include <chrono>
#include <cstdint>
#include <string>

namespace gc {

class Stopwatch {
public:
  Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
  void reset() { m_start = std::chrono::steady_clock::now(); }
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  }

private:
  std::chrono::steady_clock::time_point m_start;
};

// Peak resident set size of this process in bytes (VmHWM), 0 where unavailable.
[[nodiscard]] std::uint64_t peak_rss_bytes();
// Current resident set size in bytes (VmRSS), 0 where unavailable.
[[nodiscard]] std::uint64_t current_rss_bytes();
// Resets the peak so the next peak_rss_bytes() measures from now (Linux >= 4.0), returns success.
bool reset_peak_rss();
// CPU model name, for benchmark reports.
[[nodiscard]] std::string cpu_model_name();

} // namespace gc
