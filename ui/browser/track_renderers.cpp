#include "gc/ui/browser/track_renderers.h"

#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/bigwig.h"
#include "gc/genome/vcf.h"
#include "gc/ui/browser/browser_math.h"
#include "gc/ui/workspace.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <map>

namespace gc::ui::browser {
namespace {

constexpr double gene_row_h = 28.0;
constexpr double bed_row_h = 22.0;
constexpr double signal_h = 54.0;
constexpr double variant_h = 48.0;
constexpr double track_gap = 6.0;
constexpr int max_rows = 8;
constexpr double collapsed_row_h = 12.0;
// Above this many transcripts in view, genes are drawn as single boxes without names.
constexpr std::size_t detail_limit = 250;
// Above this many intervals in view, BED names are left out.
constexpr std::size_t label_limit = 200;

const QColor gene_colour(20, 60, 140);
const QColor bed_colour(60, 110, 60);
const QColor signal_colour(60, 90, 180);
const QColor negative_colour(200, 90, 60);
// bigWig bins: the extremes of each bin behind its mean.
const QColor signal_envelope(170, 185, 225);
const QColor negative_envelope(235, 190, 170);
const QColor variant_colour(170, 40, 110);
const QColor axis_colour(70, 70, 70);

QString tr(const char* text) { return QCoreApplication::translate("gc::ui::GenomeBrowser", text); }

QColor base_colour(char b) {
  switch (b) {
  case 'A':
  case 'a': return {0, 150, 0};
  case 'C':
  case 'c': return {0, 0, 200};
  case 'G':
  case 'g': return {209, 113, 5};
  case 'T':
  case 't': return {212, 0, 0};
  default: return {140, 140, 140};
  }
}

// Greedy row assignment of pixel spans; returns the row of each span. Spans that fit in none of
// the max_rows rows get 2 * max_rows - 1: drawn in the last row, without a label.
std::vector<int> pack(const std::vector<std::pair<double, double>>& spans, int& rows) {
  std::vector<double> row_end;
  std::vector<int> out;
  for (const auto& [a, b] : spans) {
    int row = -1;
    for (std::size_t r = 0; r < row_end.size(); ++r)
      if (row_end[r] + 6.0 < a) {
        row = static_cast<int>(r);
        break;
      }
    if (row < 0) {
      if (static_cast<int>(row_end.size()) < max_rows) {
        row_end.push_back(0.0);
        row = static_cast<int>(row_end.size()) - 1;
      } else {
        out.push_back(2 * max_rows - 1);
        continue;
      }
    }
    row_end[static_cast<std::size_t>(row)] = std::max(row_end[static_cast<std::size_t>(row)], b);
    out.push_back(row);
  }
  rows = std::max<int>(1, static_cast<int>(row_end.size()));
  return out;
}

void draw_chevrons(QPainter& p, double x0, double x1, double y, genome::Strand strand) {
  if (strand == genome::Strand::unknown) return;
  const double dir = strand == genome::Strand::plus ? 1.0 : -1.0;
  for (double x = x0 + 8.0; x < x1 - 4.0; x += 14.0) {
    p.drawLine(QPointF(x - 2.5 * dir, y - 3.0), QPointF(x + 0.5 * dir, y));
    p.drawLine(QPointF(x - 2.5 * dir, y + 3.0), QPointF(x + 0.5 * dir, y));
  }
}

// ---- genes ----

class GeneRenderer final : public TrackRenderer {
public:
  explicit GeneRenderer(std::shared_ptr<const genome::Annotation> a) : m_a(std::move(a)) {}

  double height(const BrowserFrame& frame, const std::string& chrom, const QFontMetricsF& fm) const override {
    if (frame.locus.end <= frame.locus.start) return gene_row_h + track_gap;
    const auto l = layout(frame, chrom, fm);
    return l.detail ? l.row_count * gene_row_h + track_gap : l.row_count * collapsed_row_h + 20 + track_gap;
  }

  void paint(QPainter& p, const TrackArea& area) const override {
    const auto& m = area.frame;
    const auto& a = *m_a;
    const auto& fm = area.fm;
    const GeneLayout l = layout(m, area.chrom, fm);
    const double top = area.top + 4;
    const double rh = l.detail ? gene_row_h : collapsed_row_h;
    for (std::size_t k = 0; k < l.items.size(); ++k) {
      const bool labelled = l.rows[k] < max_rows;
      const double cy = top + (l.rows[k] % max_rows) * rh + 7;
      p.setPen(QPen(gene_colour, 1.0));
      p.setBrush(gene_colour);
      if (!l.detail) {
        const auto& g = a.genes()[l.items[k]];
        const double x0 = m.x(static_cast<double>(g.start)), x1 = m.x(static_cast<double>(g.end));
        p.drawRect(QRectF(x0, cy - 4, std::max(1.0, x1 - x0), 8));
        continue;
      }
      const auto& t = a.transcripts()[l.items[k]];
      const double x0 = m.x(static_cast<double>(t.start)), x1 = m.x(static_cast<double>(t.end));
      p.drawLine(QPointF(x0, cy), QPointF(x1, cy));
      draw_chevrons(p, std::max(x0, m.left), std::min(x1, m.right()), cy, t.strand);
      for (const auto ei : t.exons) {
        const auto& ex = a.exons()[ei];
        const double e0 = m.x(static_cast<double>(ex.start)), e1 = m.x(static_cast<double>(ex.end));
        p.drawRect(QRectF(e0, cy - 3.5, std::max(1.0, e1 - e0), 7));
      }
      for (const auto ci : t.cds) {
        const auto& c = a.cds()[ci];
        const double c0 = m.x(static_cast<double>(c.start)), c1 = m.x(static_cast<double>(c.end));
        p.drawRect(QRectF(c0, cy - 6, std::max(1.0, c1 - c0), 12));
      }
      if (!labelled) continue;
      p.setPen(Qt::black);
      const QString name = QString::fromStdString(a.genes()[t.gene].name);
      const double lw = fm.horizontalAdvance(name);
      const double lx = std::clamp((x0 + x1) / 2 - lw / 2, m.left, m.right() - lw);
      p.drawText(QPointF(lx, cy + 8 + fm.ascent()), name);
    }
    if (!l.detail) {
      p.setPen(axis_colour);
      p.drawText(QRectF(m.left, area.top + area.height - 16, m.width - 4, 14), Qt::AlignRight,
                 tr("%1 genes (zoom in for transcripts)").arg(l.items.size()));
    }
  }

private:
  // Transcripts (or whole genes when too many are in view) of the window, packed into rows so
  // that features and their names do not overlap.
  struct GeneLayout {
    std::vector<std::size_t> items;
    std::vector<int> rows;
    int row_count = 0;
    bool detail = true;
  };

  GeneLayout layout(const BrowserFrame& m, const std::string& chrom, const QFontMetricsF& fm) const {
    const auto& a = *m_a;
    GeneLayout out;
    const genome::Region q{chrom, m.locus.start, m.locus.end};
    auto tx = a.transcripts_in(q);
    out.detail = tx.size() <= detail_limit;
    out.items = out.detail ? std::move(tx) : a.genes_in(q);
    std::vector<std::pair<double, double>> spans;
    for (const auto i : out.items) {
      const auto s = out.detail ? a.transcripts()[i].start : a.genes()[i].start;
      const auto e = out.detail ? a.transcripts()[i].end : a.genes()[i].end;
      const double x0 = m.x(static_cast<double>(s)), x1 = m.x(static_cast<double>(e));
      const double lw =
          out.detail ? fm.horizontalAdvance(QString::fromStdString(a.genes()[a.transcripts()[i].gene].name))
                     : 0.0;
      // The label is kept inside the data area, as when it is drawn.
      const double lx = std::clamp((x0 + x1) / 2 - lw / 2, m.left, m.right() - lw);
      spans.emplace_back(std::min(x0, lx), std::max(x1, lx + lw));
    }
    out.rows = pack(spans, out.row_count);
    return out;
  }

  std::shared_ptr<const genome::Annotation> m_a;
};

// ---- intervals (BED, narrowPeak) ----

class IntervalRenderer final : public TrackRenderer {
public:
  explicit IntervalRenderer(std::shared_ptr<const std::vector<genome::BedRecord>> records)
      : m_records(std::move(records)), m_index(m_records->size(), [this](std::size_t i) {
          const auto& r = (*m_records)[i];
          return IntervalRef{r.chrom, r.start, r.end};
        }) {}

  double height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const override {
    return bed_row_h * 3 + track_gap;
  }

  void paint(QPainter& p, const TrackArea& area) const override {
    const auto& m = area.frame;
    const auto& fm = area.fm;
    const auto ids = m_index.query(area.chrom, m.locus.start, m.locus.end);
    const bool labels = ids.size() < label_limit;
    std::vector<std::pair<double, double>> spans;
    for (const auto i : ids) {
      const auto& r = (*m_records)[i];
      const double lw = fm.horizontalAdvance(QString::fromStdString(r.name));
      const double x0 = m.x(static_cast<double>(r.start)), x1 = m.x(static_cast<double>(r.end));
      spans.emplace_back(x0, std::max(x1, x0 + (labels ? lw : 0.0)));
    }
    int rows = 1;
    const auto row = pack(spans, rows);
    const double top = area.top + 4;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const auto& r = (*m_records)[ids[k]];
      const double ry = top + std::min(row[k] % max_rows, 2) * bed_row_h;
      QColor c = bed_colour;
      if (const auto parts = QString::fromStdString(r.item_rgb).split(','); parts.size() == 3)
        c = QColor(parts[0].toInt(), parts[1].toInt(), parts[2].toInt());
      const double x0 = m.x(static_cast<double>(r.start)), x1 = m.x(static_cast<double>(r.end));
      p.fillRect(QRectF(x0, ry, std::max(1.0, x1 - x0), 8), c);
      // Features packed past the third row share it, unlabelled (their labels would collide).
      if (labels && row[k] <= 2 && !r.name.empty()) {
        p.setPen(Qt::black);
        p.drawText(QPointF(std::max(x0, m.left), ry + 9 + fm.ascent()), QString::fromStdString(r.name));
      }
    }
  }

private:
  std::shared_ptr<const std::vector<genome::BedRecord>> m_records;
  IntervalIndex m_index;
};

// ---- signal (bedGraph, bigWig) ----

// The vertical mapping of a signal row: [vmin, vmax] (zero included) over its plot height.
class SignalScale {
public:
  SignalScale(const TrackArea& area, double vmin, double vmax)
      : m_vmin(vmin), m_vmax(vmax), m_span(std::max(1e-12, vmax - vmin)), m_top(area.top + 4) {}
  [[nodiscard]] double y(double v) const { return m_top + plot_h * ((m_vmax - v) / m_span); }
  // A bar over [x0, x1) from value `from` to value `to`.
  void bar(QPainter& p, double x0, double x1, double from, double to, const QColor& c) const {
    const double a = y(from), b = y(to);
    p.fillRect(QRectF(x0, std::min(a, b), std::max(1.0, x1 - x0), std::max(0.5, std::abs(a - b))), c);
  }
  void axis(QPainter& p, const TrackArea& area) const {
    const auto& m = area.frame;
    const double zero_y = y(0.0);
    p.setPen(QPen(QColor(160, 160, 160), 0.5));
    p.drawLine(QPointF(m.left, zero_y), QPointF(m.right(), zero_y));
    p.setPen(axis_colour);
    p.drawText(QPointF(m.left + 3, m_top + area.fm.ascent()),
               QString("[%1, %2]").arg(m_vmin, 0, 'g', 3).arg(m_vmax, 0, 'g', 3));
  }

private:
  static constexpr double plot_h = signal_h - 10;
  double m_vmin, m_vmax, m_span, m_top;
};

class SignalRenderer final : public TrackRenderer {
public:
  explicit SignalRenderer(std::shared_ptr<const std::vector<genome::BedRecord>> records)
      : m_records(std::move(records)), m_index(m_records->size(), [this](std::size_t i) {
          const auto& r = (*m_records)[i];
          return IntervalRef{r.chrom, r.start, r.end};
        }) {
    // The scale covers the whole chromosome (and zero), so panning keeps values comparable.
    for (const auto& r : *m_records) {
      auto [it, fresh] = m_range.try_emplace(r.chrom, 0.0, 0.0);
      it->second.first = std::min(it->second.first, r.score);
      it->second.second = std::max(it->second.second, r.score);
    }
  }

  double height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const override {
    return signal_h + track_gap;
  }

  void paint(QPainter& p, const TrackArea& area) const override {
    const auto& m = area.frame;
    const int px = static_cast<int>(std::ceil(m.width));
    std::vector<double> value(static_cast<std::size_t>(px), std::nan(""));
    for (const auto i : m_index.query(area.chrom, m.locus.start, m.locus.end)) {
      const auto& r = (*m_records)[i];
      const int a = std::clamp(static_cast<int>(m.x(static_cast<double>(r.start)) - m.left), 0, px - 1);
      const int b =
          std::clamp(static_cast<int>(std::ceil(m.x(static_cast<double>(r.end)) - m.left)), a + 1, px);
      for (int k = a; k < b; ++k) {
        auto& v = value[static_cast<std::size_t>(k)];
        // Keep the value of largest magnitude per pixel so peaks survive zooming out.
        if (std::isnan(v) || std::abs(r.score) > std::abs(v)) v = r.score;
      }
    }
    const auto range = m_range.find(area.chrom);
    const double vmin = range == m_range.end() ? 0.0 : range->second.first;
    const double vmax = range == m_range.end() ? 0.0 : range->second.second;
    const SignalScale scale(area, vmin, vmax);
    // Adjacent one-pixel bars must not leave antialiased seams between them.
    p.setRenderHint(QPainter::Antialiasing, false);
    for (int k = 0; k < px; ++k) {
      const double v = value[static_cast<std::size_t>(k)];
      if (!std::isnan(v))
        scale.bar(p, m.left + k, m.left + k + 1, 0.0, v, v >= 0 ? signal_colour : negative_colour);
    }
    scale.axis(p, area);
  }

private:
  std::shared_ptr<const std::vector<genome::BedRecord>> m_records;
  IntervalIndex m_index;
  std::map<std::string, std::pair<double, double>, std::less<>> m_range; // per chromosome: min, max
};

// bigWig: bins of the window read on demand (never here: the row draws what its SignalSource
// holds), one per pixel, so a track of any size costs the same to paint.
class BigWigRenderer final : public TrackRenderer {
public:
  explicit BigWigRenderer(const Dataset& d) : m_reader(d.bigwig) {
    for (const auto& c : d.chroms)
      m_lengths.emplace(c.name, c.length);
  }

  double height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const override {
    return signal_h + track_gap;
  }

  void paint(QPainter& p, const TrackArea& area) const override {
    const auto& m = area.frame;
    const auto length = m_lengths.find(area.chrom);
    const auto window = signal_window(m, area.chrom, length == m_lengths.end() ? 0 : length->second);
    if (!window) return;
    const SignalBins* b = area.signal ? area.signal->signal(*m_reader, *window) : nullptr;
    if (!b) {
      if (!area.figure) {
        p.setPen(QColor(150, 150, 150));
        p.drawText(QRectF(m.left, area.top, m.width, signal_h), Qt::AlignCenter, tr("loading signal…"));
      }
      return;
    }
    const SignalScale scale(area, b->low, b->high);
    p.setRenderHint(QPainter::Antialiasing, false);
    const auto& w = b->window;
    const auto n = static_cast<std::int64_t>(b->mean.size());
    for (std::int64_t i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const double mean = b->mean[k];
      if (std::isnan(mean)) continue;
      // Bin i as BigWigReader::stats cuts it.
      const std::int64_t s = w.start + i * (w.end - w.start) / n;
      const std::int64_t e = w.start + (i + 1) * (w.end - w.start) / n;
      const double x0 = m.x(static_cast<double>(s)), x1 = m.x(static_cast<double>(e));
      const double lo = std::isnan(b->min[k]) ? mean : b->min[k];
      const double hi = std::isnan(b->max[k]) ? mean : b->max[k];
      if (hi > 0) scale.bar(p, x0, x1, std::max(0.0, lo), hi, signal_envelope);
      if (lo < 0) scale.bar(p, x0, x1, std::min(0.0, hi), lo, negative_envelope);
      scale.bar(p, x0, x1, 0.0, mean, mean >= 0 ? signal_colour : negative_colour);
    }
    scale.axis(p, area);
  }

private:
  std::shared_ptr<const genome::BigWigReader> m_reader;
  std::map<std::string, std::int64_t, std::less<>> m_lengths;
};

// ---- variants (VCF) ----

class VariantRenderer final : public TrackRenderer {
public:
  explicit VariantRenderer(std::shared_ptr<const genome::VariantTable> table)
      : m_table(std::move(table)), m_index(m_table->sites.size(), [this](std::size_t i) {
          const auto& s = m_table->sites[i];
          return IntervalRef{s.chrom, s.pos, s.pos + 1};
        }) {}

  double height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const override {
    return variant_h + track_gap;
  }

  void paint(QPainter& p, const TrackArea& area) const override {
    const auto& m = area.frame;
    const double top = area.top + 4;
    const double plot_h = variant_h - 12;
    p.setPen(QPen(QColor(200, 200, 200), 0.5));
    p.drawLine(QPointF(m.left, top + plot_h), QPointF(m.right(), top + plot_h));
    const double bw = std::max(1.5, 1.0 / m.bpp());
    const auto ids = m_index.query(area.chrom, m.locus.start, m.locus.end);
    for (const auto i : ids) {
      const auto& s = m_table->sites[i];
      const double af =
          std::isnan(s.allele_frequency) ? 1.0 : std::clamp<double>(s.allele_frequency, 0.0, 1.0);
      const double x = m.x(static_cast<double>(s.pos));
      p.fillRect(QRectF(x, top + plot_h * (1.0 - af), bw, std::max(1.0, plot_h * af)), variant_colour);
      p.fillRect(QRectF(x, top + plot_h + 1, bw, 3), QColor(90, 90, 90));
    }
    p.setPen(axis_colour);
    p.drawText(QPointF(m.left + 3, top + area.fm.ascent()), tr("AF 0–1, %1 sites").arg(ids.size()));
  }

private:
  std::shared_ptr<const genome::VariantTable> m_table;
  IntervalIndex m_index;
};

} // namespace

double BrowserFrame::bpp() const noexcept { return bp_per_pixel(locus.start, locus.end, width); }

std::optional<SignalWindow> signal_window(const BrowserFrame& frame, const std::string& chrom,
                                          std::int64_t length) {
  const std::int64_t start = frame.locus.start;
  const std::int64_t end = length > 0 ? std::min(frame.locus.end, length) : frame.locus.end;
  if (end <= start || frame.locus.end <= frame.locus.start) return std::nullopt;
  // One bin per pixel the stretch covers (fewer when zoomed in past one base per pixel).
  const auto pixels = std::llround(frame.x(static_cast<double>(end)) - frame.left);
  const auto bins = std::clamp<std::int64_t>(pixels, 1, std::min<std::int64_t>(end - start, 1 << 20));
  return SignalWindow{chrom, start, end, static_cast<int>(bins)};
}

// ---- ruler ----

double RulerRenderer::height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const {
  return ruler_h;
}

void RulerRenderer::paint(QPainter& p, const TrackArea& area) const {
  const auto& m = area.frame;
  const double y = area.top;
  const std::int64_t step = tick_step(m.bpp());
  p.setPen(QPen(axis_colour, 1.0));
  p.drawLine(QPointF(m.left, y + ruler_h - 8), QPointF(m.right(), y + ruler_h - 8));
  for (std::int64_t t = (m.locus.start / step) * step; t <= m.locus.end; t += step) {
    if (t < m.locus.start) continue;
    const double x = m.x(static_cast<double>(t));
    p.drawLine(QPointF(x, y + ruler_h - 14), QPointF(x, y + ruler_h - 8));
    const QString label = tick_label(t, step);
    const double w = area.fm.horizontalAdvance(label);
    p.drawText(QPointF(std::clamp(x - w / 2, m.left, m.right() - w), y + ruler_h - 17), label);
  }
}

// ---- sequence ----

double SequenceRenderer::height(const BrowserFrame&, const std::string&, const QFontMetricsF&) const {
  return sequence_h;
}

void SequenceRenderer::paint(QPainter& p, const TrackArea& area) const {
  const auto& m = area.frame;
  const double y = area.top;
  const auto seq = m.bpp() <= base_bp_per_pixel && m_bases
                       ? m_bases->bases(area.chrom, m.locus.start, m.locus.end)
                       : std::nullopt;
  if (!seq) {
    p.setPen(QColor(150, 150, 150));
    p.drawLine(QPointF(m.left, y + sequence_h / 2), QPointF(m.right(), y + sequence_h / 2));
    if (!area.figure)
      p.drawText(QRectF(m.left, y, m.width, sequence_h), Qt::AlignCenter,
                 m.bpp() <= base_bp_per_pixel ? tr("loading bases…") : tr("zoom in to see bases"));
    return;
  }
  const double bw = m.width / static_cast<double>(m.locus.end - m.locus.start);
  const QFont base = p.font();
  QFont mono("Monospace");
  mono.setStyleHint(QFont::TypeWriter);
  mono.setPointSizeF(std::min(10.0, bw * 0.75));
  mono.setBold(true);
  p.setFont(mono);
  for (std::size_t i = 0; i < seq->size(); ++i) {
    const QRectF box(m.x(static_cast<double>(m.locus.start) + static_cast<double>(i)), y + 3, bw,
                     sequence_h - 6);
    const QColor c = base_colour((*seq)[i]);
    if (m.bpp() <= text_bp_per_pixel) {
      p.setPen(c);
      p.drawText(box, Qt::AlignCenter, QString(QChar((*seq)[i])));
    } else {
      p.fillRect(box, c);
    }
  }
  p.setFont(base);
}

std::shared_ptr<const TrackRenderer> make_track_renderer(const Dataset& d) {
  switch (d.kind) {
  case DatasetKind::annotation: return d.annotation ? std::make_shared<GeneRenderer>(d.annotation) : nullptr;
  case DatasetKind::intervals: return d.intervals ? std::make_shared<IntervalRenderer>(d.intervals) : nullptr;
  case DatasetKind::signal:
    if (d.bigwig) return std::make_shared<BigWigRenderer>(d);
    return d.intervals ? std::make_shared<SignalRenderer>(d.intervals) : nullptr;
  case DatasetKind::variants: return d.variants ? std::make_shared<VariantRenderer>(d.variants) : nullptr;
  default: return nullptr;
  }
}

} // namespace gc::ui::browser
