#pragma once
// The genome browser's bigWig rows: binned values of the visible window (mean, min and max per
// pixel, BigWigReader::stats on its zoom levels) read in quiet TaskRunner tasks, never on the GUI
// thread and never in paint, and kept for reuse. One read per reader is in flight at a time: a
// request for another window cancels the stale one. A failed read is reported once, not again
// until a read succeeds.
#include "gc/ui/browser/track_renderers.h"
#include "gc/ui/task_runner.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gc::genome {
class BigWigReader;
}

namespace gc::ui::browser {

// Reads the bins of `window` (and the chromosome's range unless `range` gives it). Throws
// gc::Error naming the file. Runs on workers, and in figures made without a window.
[[nodiscard]] SignalBins read_signal(const genome::BigWigReader& reader, const SignalWindow& window,
                                     std::optional<std::pair<double, double>> range = std::nullopt);

class SignalCache : public QObject, public SignalSource {
  Q_OBJECT
public:
  explicit SignalCache(TaskRunner& tasks, QObject* parent = nullptr);

  // Starts reading `window` of `reader` unless it is cached or already being read; a read of
  // another window of the same reader in flight is cancelled.
  void request(const std::shared_ptr<const genome::BigWigReader>& reader, const SignalWindow& window);
  // Drops every cached window and cancels every read (the datasets were closed).
  void clear();
  [[nodiscard]] const SignalBins* signal(const genome::BigWigReader& reader,
                                         const SignalWindow& window) const override;
  [[nodiscard]] bool loading() const noexcept { return !m_pending.empty(); }

Q_SIGNALS:
  void arrived();
  void failed(const QString& message);

private:
  using Reader = std::shared_ptr<const genome::BigWigReader>;
  struct Entry {
    Reader reader; // held so that the key's address is not reused by another reader
    SignalBins bins;
  };
  struct Pending {
    Reader reader;
    SignalWindow window;
    std::uint64_t job = 0;
    TaskHandle handle;
  };
  static constexpr std::size_t k_entries = 32;

  [[nodiscard]] const SignalBins* find(const genome::BigWigReader& reader, const SignalWindow& window,
                                       bool exact) const;

  TaskRunner& m_tasks;
  std::deque<Entry> m_entries;                                                  // most recent first
  std::vector<Pending> m_pending;                                               // at most one per reader
  std::map<std::pair<Reader, std::string>, std::pair<double, double>> m_ranges; // per chromosome
  std::uint64_t m_next_job = 0;
  bool m_failing = false; // the last read failed (and was reported)
};

} // namespace gc::ui::browser
