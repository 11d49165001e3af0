#pragma once
// Progress of a long loop (lines of a file, records, iterations) cheap enough to call once per
// item. Cancellation is checked every `check_every` items, so a cancelled read stops within a
// few thousand lines; a report goes out only when the fraction has grown by `min_step` since the
// last one, so a read of any length sends at most about 1 / min_step reports (each one is a
// queued signal in the GUI).
#include "gc/util/progress.h"

#include <cstdint>
#include <string>
#include <utility>

namespace gc {

class StepProgress {
public:
  // `check_every` is rounded up to a power of two (the check is a mask test).
  StepProgress(Progress progress, std::string message, std::uint64_t check_every = 4096,
               double min_step = 0.005)
      : m_progress(std::move(progress)), m_message(std::move(message)), m_min_step(min_step) {
    std::uint64_t every = 1;
    while (every < check_every)
      every <<= 1;
    m_mask = every - 1;
  }

  // Counts one item; every check_every-th call evaluates `fraction()` and goes to at().
  template <typename Fraction>
  void tick(Fraction&& fraction) {
    if ((++m_items & m_mask) == 0) at(std::forward<Fraction>(fraction)());
  }

  // Reports `fraction` when it has grown by min_step since the last report, else only checks
  // cancellation. Throws gc::Cancelled.
  void at(double fraction) {
    if (fraction >= m_last + m_min_step) {
      m_last = fraction;
      m_progress.update(fraction, m_message);
    } else {
      m_progress.check();
    }
  }

  [[nodiscard]] std::uint64_t items() const noexcept { return m_items; }

private:
  Progress m_progress; // a copy, so a temporary progress.sub(...) may be passed
  std::string m_message;
  double m_min_step;
  double m_last = 0.0;
  std::uint64_t m_mask = 0;
  std::uint64_t m_items = 0;
};

} // namespace gc
