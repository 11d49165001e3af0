#include "gc/ui/browser/signal_cache.h"

#include "gc/genome/bigwig.h"

#include <algorithm>
#include <cmath>

namespace gc::ui::browser {

SignalBins read_signal(const genome::BigWigReader& reader, const SignalWindow& w,
                       std::optional<std::pair<double, double>> range) {
  using genome::BigWigStat;
  using genome::BigWigStatsMode;
  SignalBins out;
  out.window = w;
  out.mean = reader.stats(w.chrom, w.start, w.end, w.bins, BigWigStat::mean, BigWigStatsMode::zoomed);
  out.min = reader.stats(w.chrom, w.start, w.end, w.bins, BigWigStat::min, BigWigStatsMode::zoomed);
  out.max = reader.stats(w.chrom, w.start, w.end, w.bins, BigWigStat::max, BigWigStatsMode::zoomed);
  if (!range) {
    // The whole chromosome in one bin: its coarsest zoom level, so this stays cheap.
    const std::int64_t length = reader.length(w.chrom);
    const double lo = reader.stats(w.chrom, 0, length, 1, BigWigStat::min, BigWigStatsMode::zoomed).front();
    const double hi = reader.stats(w.chrom, 0, length, 1, BigWigStat::max, BigWigStatsMode::zoomed).front();
    range = {std::isnan(lo) ? 0.0 : std::min(0.0, lo), std::isnan(hi) ? 0.0 : std::max(0.0, hi)};
  }
  out.low = range->first;
  out.high = range->second;
  return out;
}

SignalCache::SignalCache(TaskRunner& tasks, QObject* parent) : QObject(parent), m_tasks(tasks) {}

const SignalBins* SignalCache::find(const genome::BigWigReader& reader, const SignalWindow& w,
                                    bool exact) const {
  for (const auto& e : m_entries)
    if (e.reader.get() == &reader && e.bins.window == w) return &e.bins;
  if (exact) return nullptr;
  // The same stretch at another bin count (a figure of another width, a resized window).
  for (const auto& e : m_entries) {
    const auto& x = e.bins.window;
    if (e.reader.get() == &reader && x.chrom == w.chrom && x.start == w.start && x.end == w.end)
      return &e.bins;
  }
  return nullptr;
}

const SignalBins* SignalCache::signal(const genome::BigWigReader& reader, const SignalWindow& w) const {
  return find(reader, w, false);
}

void SignalCache::clear() {
  for (const auto& p : m_pending)
    p.handle.cancel();
  m_pending.clear();
  m_entries.clear();
  m_ranges.clear();
  m_failing = false;
}

void SignalCache::request(const Reader& reader, const SignalWindow& w) {
  if (!reader || find(*reader, w, true)) return;
  const auto stale =
      std::find_if(m_pending.begin(), m_pending.end(), [&](const Pending& p) { return p.reader == reader; });
  if (stale != m_pending.end()) {
    if (stale->window == w) return;
    stale->handle.cancel();
    m_pending.erase(stale);
  }
  std::optional<std::pair<double, double>> range;
  if (const auto r = m_ranges.find({reader, w.chrom}); r != m_ranges.end()) range = r->second;
  const auto job = ++m_next_job;
  TaskRunner::Options options;
  options.context = this;
  options.quiet = true;
  options.on_error = [this](const QString& message) {
    // One message per run of failures: panning over a broken stretch must not raise a box per step.
    if (!m_failing) Q_EMIT failed(message);
    m_failing = true;
  };
  options.on_finished = [this, job](TaskOutcome) {
    std::erase_if(m_pending, [job](const Pending& p) { return p.job == job; });
  };
  auto handle = m_tasks.run(
      "Reading signal",
      [reader, w, range](const gc::Progress& progress) {
        progress.check(); // a window panned past before its turn came is not read
        return read_signal(*reader, w, range);
      },
      [this, reader, job](SignalBins bins) {
        const bool current =
            std::any_of(m_pending.begin(), m_pending.end(), [job](const Pending& p) { return p.job == job; });
        if (!current) return;
        m_ranges[{reader, bins.window.chrom}] = {bins.low, bins.high};
        m_entries.push_front({reader, std::move(bins)});
        if (m_entries.size() > k_entries) m_entries.pop_back();
        m_failing = false;
        Q_EMIT arrived();
      },
      std::move(options));
  m_pending.push_back({reader, w, job, std::move(handle)});
}

} // namespace gc::ui::browser
