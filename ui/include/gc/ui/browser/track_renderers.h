#pragma once
// The genome browser's rows, one renderer per kind behind one small interface: ruler, sequence,
// genes (GTF/GFF3), intervals (BED, narrowPeak), signal (bedGraph from records, bigWig from bins
// read on demand) and variants (VCF). They paint with QPainter only; data tracks index their
// records once, when made, and never read files while painting.
#include "gc/genome/region.h"
#include "gc/ui/browser/interval_index.h"

#include <QFontMetricsF>
#include <QPainter>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::genome {
class BigWigReader;
}

namespace gc::ui {
struct Dataset;
}

namespace gc::ui::browser {

inline constexpr double ruler_h = 30.0;
inline constexpr double sequence_h = 20.0;

// The horizontal mapping every row shares: the locus (reference names) over the data area.
struct BrowserFrame {
  genome::Region locus;
  double left = 0;
  double width = 0;
  [[nodiscard]] double x(double pos) const {
    return left +
           (pos - static_cast<double>(locus.start)) / static_cast<double>(locus.end - locus.start) * width;
  }
  [[nodiscard]] double right() const noexcept { return left + width; }
  [[nodiscard]] double bpp() const noexcept;
};

class SignalSource;

// Where one row paints: its vertical band of the data area.
struct TrackArea {
  const BrowserFrame& frame;
  std::string chrom; // the row's own name for the locus' chromosome
  double top = 0;
  double height = 0;
  const QFontMetricsF& fm;
  bool figure = false;                  // figures leave out hints meant for the screen ("zoom in to …")
  const SignalSource* signal = nullptr; // bigWig bins already read
};

class TrackRenderer {
public:
  virtual ~TrackRenderer() = default;
  // The row's height for this frame (gene rows grow with the rows their packing needs).
  [[nodiscard]] virtual double height(const BrowserFrame& frame, const std::string& chrom,
                                      const QFontMetricsF& fm) const = 0;
  // Paints inside [frame.left, frame.right()) x [top, top + height); the caller clips.
  virtual void paint(QPainter& p, const TrackArea& area) const = 0;
};

// Bases of the genome, already loaded: the widget's cache of worker fetches, or a figure's
// synchronous read.
class BaseSource {
public:
  virtual ~BaseSource() = default;
  // Bases of [start, end) of `chrom` (the genome's own name) from `start` on, possibly fewer
  // than asked near the chromosome's end; nullopt when they are not loaded.
  [[nodiscard]] virtual std::optional<std::string_view> bases(const std::string& chrom, std::int64_t start,
                                                              std::int64_t end) const = 0;
};

// The stretch of a bigWig chromosome (its own name) a signal row shows, split into one bin per
// pixel of the frame: the cache key of the binned values.
struct SignalWindow {
  std::string chrom;
  std::int64_t start = 0;
  std::int64_t end = 0; // exclusive, within the chromosome
  int bins = 1;
  friend bool operator==(const SignalWindow&, const SignalWindow&) = default;
};

// The window of `chrom` (`length` its length in the bigWig, 0 when unknown) that `frame` shows;
// nullopt when the frame lies past the chromosome's end.
[[nodiscard]] std::optional<SignalWindow> signal_window(const BrowserFrame& frame, const std::string& chrom,
                                                        std::int64_t length);

// Binned bigWig values of one window: mean, min and max per bin (NaN where a bin has no data),
// and the chromosome's range, zero included, so that panning keeps the scale.
struct SignalBins {
  SignalWindow window;
  std::vector<double> mean, min, max;
  double low = 0.0;
  double high = 0.0;
};

// Bins already read: the widget's cache of worker reads, or a figure's synchronous read.
class SignalSource {
public:
  virtual ~SignalSource() = default;
  // The bins of `window` of `reader`, or of the same stretch at another bin count (drawn at
  // their genome positions all the same); null when none are loaded.
  [[nodiscard]] virtual const SignalBins* signal(const genome::BigWigReader& reader,
                                                 const SignalWindow& window) const = 0;
};

class RulerRenderer final : public TrackRenderer {
public:
  [[nodiscard]] double height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const override;
  void paint(QPainter& p, const TrackArea& area) const override;
};

class SequenceRenderer final : public TrackRenderer {
public:
  explicit SequenceRenderer(const BaseSource* bases) : m_bases(bases) {}
  [[nodiscard]] double height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const override;
  void paint(QPainter& p, const TrackArea& area) const override;

private:
  const BaseSource* m_bases;
};

// The renderer for a dataset shown as a track (annotation, intervals, signal, variants); null
// for the other kinds. Builds the dataset's per-chromosome index.
[[nodiscard]] std::shared_ptr<const TrackRenderer> make_track_renderer(const Dataset& dataset);

} // namespace gc::ui::browser
