#pragma once
// A gc::ProgressListener for tests of long core operations: it records every report and can
// cancel the run at its first report strictly between 0 and 1, so that a test proves
// cancellation is checked while the work is under way (not only before it starts or after it
// ends).
//
//   auto rec = gc::test::ProgressRecorder::make();            // record only
//   (void)read_bed(file, rec->progress());
//   QVERIFY2(rec->complete(3).empty(), rec->complete(3).c_str());
//
//   auto stop = gc::test::ProgressRecorder::make(true);       // cancel mid-way
//   QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)read_bed(file, stop->progress()));
//   QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
#include "gc/util/progress.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gc::test {

class ProgressRecorder : public gc::ProgressListener, public std::enable_shared_from_this<ProgressRecorder> {
public:
  [[nodiscard]] static std::shared_ptr<ProgressRecorder> make(bool cancel_midway = false) {
    return std::shared_ptr<ProgressRecorder>(new ProgressRecorder(cancel_midway));
  }

  void on_progress(double fraction, const std::string& message) override {
    const std::lock_guard lock(m_mutex);
    m_fractions.push_back(fraction);
    m_messages.push_back(message);
    if (m_cancel_midway && fraction > 0.0 && fraction < 1.0) m_token.cancel();
  }

  [[nodiscard]] gc::Progress progress() { return gc::Progress(shared_from_this(), m_token); }

  [[nodiscard]] std::vector<double> fractions() const {
    const std::lock_guard lock(m_mutex);
    return m_fractions;
  }
  [[nodiscard]] std::vector<std::string> messages() const {
    const std::lock_guard lock(m_mutex);
    return m_messages;
  }
  // Reports strictly between 0 and 1.
  [[nodiscard]] std::size_t midway_reports() const {
    std::size_t n = 0;
    for (const double f : fractions())
      n += f > 0.0 && f < 1.0 ? 1 : 0;
    return n;
  }

  // Empty when the fractions never decrease, stay in [0, 1], end at exactly 1 and include at
  // least `min_midway` reports strictly between 0 and 1; else what is wrong.
  [[nodiscard]] std::string complete(std::size_t min_midway) const {
    const auto f = fractions();
    if (f.empty()) return "no progress reports";
    if (const auto e = in_order(f); !e.empty()) return e;
    if (f.back() != 1.0) return "last report is " + std::to_string(f.back()) + ", not 1";
    if (midway_reports() < min_midway)
      return std::to_string(midway_reports()) + " reports between 0 and 1, expected at least " +
             std::to_string(min_midway) + " (of " + std::to_string(f.size()) + ")";
    return {};
  }

  // Empty when the run was cancelled at a report between 0 and 1 and reported nothing at 1
  // afterwards (it stopped instead of finishing); else what is wrong.
  [[nodiscard]] std::string stopped_midway() const {
    const auto f = fractions();
    if (midway_reports() == 0) return "no report between 0 and 1, so nothing was cancelled mid-way";
    if (const auto e = in_order(f); !e.empty()) return e;
    if (f.back() >= 1.0) return "the run reported 1 (it finished) after the cancellation";
    return {};
  }

private:
  explicit ProgressRecorder(bool cancel_midway) : m_cancel_midway(cancel_midway) {}

  static std::string in_order(const std::vector<double>& f) {
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (!(f[i] >= 0.0 && f[i] <= 1.0)) return "report " + std::to_string(i) + " is outside [0, 1]";
      if (i > 0 && f[i] < f[i - 1])
        return "report " + std::to_string(i) + " goes back from " + std::to_string(f[i - 1]) + " to " +
               std::to_string(f[i]);
    }
    return {};
  }

  bool m_cancel_midway;
  gc::CancelToken m_token;
  mutable std::mutex m_mutex;
  std::vector<double> m_fractions;
  std::vector<std::string> m_messages;
};

} // namespace gc::test
