#pragma once
// The genome browser's bases: windows of the FASTA fetched in quiet TaskRunner tasks (never on
// the GUI thread, never in paint) and kept for reuse, padded by one window either side so that
// short pans find them loaded. A failed read is reported once, not again until a read succeeds.
#include "gc/genome/fasta.h"
#include "gc/ui/browser/track_renderers.h"
#include "gc/ui/task_runner.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace gc::ui::browser {

class SequenceCache : public QObject, public BaseSource {
  Q_OBJECT
public:
  explicit SequenceCache(TaskRunner& tasks, QObject* parent = nullptr);

  // The genome to read; a different one drops every window and the fetch in flight.
  void set_genome(std::shared_ptr<const genome::FastaReader> fasta);
  // Starts fetching [start, end) of `chrom` (the FASTA's name; `length` its length, 0 when
  // unknown) unless a cached or pending window covers it.
  void request(const std::string& chrom, std::int64_t start, std::int64_t end, std::int64_t length);
  [[nodiscard]] std::optional<std::string_view> bases(const std::string& chrom, std::int64_t start,
                                                      std::int64_t end) const override;
  [[nodiscard]] bool loading() const noexcept { return m_pending.has_value(); }

Q_SIGNALS:
  void arrived();
  void failed(const QString& message);

private:
  struct Window {
    std::string chrom;
    std::int64_t start = 0;
    std::int64_t end = 0;    // exclusive
    std::int64_t length = 0; // of the chromosome (0: unknown)
    std::string bases;
    [[nodiscard]] bool covers(const std::string& c, std::int64_t s, std::int64_t e) const noexcept;
  };
  struct Pending {
    Window window; // without bases
    std::uint64_t job = 0;
    TaskHandle handle;
  };
  static constexpr std::size_t k_windows = 8;

  TaskRunner& m_tasks;
  std::shared_ptr<const genome::FastaReader> m_fasta;
  std::deque<Window> m_windows; // most recent first
  std::optional<Pending> m_pending;
  std::uint64_t m_next_job = 0;
  bool m_failing = false; // the last read failed (and was reported)
};

} // namespace gc::ui::browser
