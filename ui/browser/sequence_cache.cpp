#include "gc/ui/browser/sequence_cache.h"

#include <algorithm>

namespace gc::ui::browser {

SequenceCache::SequenceCache(TaskRunner& tasks, QObject* parent) : QObject(parent), m_tasks(tasks) {}

bool SequenceCache::Window::covers(const std::string& c, std::int64_t s, std::int64_t e) const noexcept {
  const std::int64_t want_end = length > 0 ? std::min(e, length) : e;
  return c == chrom && start <= s && end >= want_end;
}

void SequenceCache::set_genome(std::shared_ptr<const genome::FastaReader> fasta) {
  if (fasta == m_fasta) return;
  m_fasta = std::move(fasta);
  m_windows.clear();
  if (m_pending) m_pending->handle.cancel();
  m_pending.reset();
  m_failing = false;
}

void SequenceCache::request(const std::string& chrom, std::int64_t start, std::int64_t end,
                            std::int64_t length) {
  if (!m_fasta || end <= start || (length > 0 && start >= length)) return;
  if (bases(chrom, start, end)) return;
  if (m_pending && m_pending->window.covers(chrom, start, end)) return;
  if (m_pending) m_pending->handle.cancel();
  const std::int64_t pad = end - start;
  Window w{chrom, std::max<std::int64_t>(0, start - pad), end + pad, length, {}};
  if (length > 0) w.end = std::min(w.end, length);
  const auto job = ++m_next_job;
  TaskRunner::Options options;
  options.context = this;
  options.quiet = true;
  options.on_error = [this](const QString& message) {
    // One message per run of failures (each names its own window): panning over a broken
    // stretch must not raise a box per step. A successful read ends the run.
    if (!m_failing) Q_EMIT failed(message);
    m_failing = true;
  };
  options.on_finished = [this, job](TaskOutcome) {
    if (m_pending && m_pending->job == job) m_pending.reset();
  };
  auto handle = m_tasks.run(
      "Reading bases",
      [fasta = m_fasta, w](const gc::Progress&) { return fasta->fetch(w.chrom, w.start, w.end); },
      [this, w, job](std::string seq) mutable {
        if (!m_pending || m_pending->job != job) return;
        w.bases = std::move(seq);
        m_windows.push_front(std::move(w));
        if (m_windows.size() > k_windows) m_windows.pop_back();
        m_failing = false;
        Q_EMIT arrived();
      },
      std::move(options));
  m_pending = Pending{std::move(w), job, std::move(handle)};
}

std::optional<std::string_view> SequenceCache::bases(const std::string& chrom, std::int64_t start,
                                                     std::int64_t end) const {
  for (const auto& w : m_windows)
    if (w.covers(chrom, start, end)) {
      const auto from = static_cast<std::size_t>(start - w.start);
      const auto n = static_cast<std::size_t>(std::max<std::int64_t>(0, std::min(end, w.end) - start));
      return std::string_view(w.bases).substr(std::min(from, w.bases.size()), n);
    }
  return std::nullopt;
}

} // namespace gc::ui::browser
