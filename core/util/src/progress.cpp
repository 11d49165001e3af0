#include "gc/util/progress.h"

#include "gc/util/error.h"

#include <algorithm>

namespace gc {

void CancelToken::throw_if_cancelled() const {
  if (cancelled()) throw Cancelled();
}

Progress::Progress(std::shared_ptr<ProgressListener> listener, CancelToken token)
    : m_listener(std::move(listener)), m_token(std::make_shared<CancelToken>(std::move(token))) {}

void Progress::update(double fraction, std::string_view message) const {
  check();
  if (!m_listener) return;
  const double f = std::clamp(fraction, 0.0, 1.0);
  m_listener->on_progress(m_lo + f * (m_hi - m_lo), std::string(message));
}

void Progress::check() const {
  if (m_token) m_token->throw_if_cancelled();
}

Progress Progress::sub(double lo, double hi) const {
  Progress child = *this;
  const double span = m_hi - m_lo;
  child.m_lo = m_lo + std::clamp(lo, 0.0, 1.0) * span;
  child.m_hi = m_lo + std::clamp(hi, 0.0, 1.0) * span;
  return child;
}

ProgressCounter::ProgressCounter(const Progress& progress, std::uint64_t total, std::string message)
    : m_progress(progress), m_total(std::max<std::uint64_t>(total, 1)),
      m_step(std::max<std::uint64_t>(m_total / 200, 1)), m_message(std::move(message)) {}

void ProgressCounter::add(std::uint64_t n) {
  const std::uint64_t before = m_done.fetch_add(n, std::memory_order_relaxed);
  const std::uint64_t after = before + n;
  if (before / m_step != after / m_step || after >= m_total) {
    m_progress.update(static_cast<double>(std::min(after, m_total)) / static_cast<double>(m_total),
                      m_message);
  }
}

} // namespace gc
