#include "gc/ui/browser/browser_renderer.h"

#include "gc/ui/browser/browser_math.h"
#include "gc/ui/workspace.h"

#include <QCoreApplication>
#include <QFontMetricsF>

#include <algorithm>

namespace gc::ui::browser {
namespace {

const QColor axis_colour(70, 70, 70);

QString tr(const char* text) { return QCoreApplication::translate("gc::ui::GenomeBrowser", text); }

// A row's name in its dataset for the locus' chromosome (reference name for ruler and sequence).
std::optional<std::string> local_chrom(const Dataset& d, const std::string& reference_chrom) {
  return d.local_name(reference_chrom);
}

double data_track_height(const TrackListModel::Track& t, const BrowserFrame& frame, const QFontMetricsF& fm) {
  return t.renderer->height(frame, local_chrom(*t.data, frame.locus.chrom).value_or(std::string()), fm);
}

// Top of the first data track.
double tracks_top(const BrowserScene& s, const QRectF& area) {
  return area.top() + header_h + ruler_h + (s.genome ? sequence_h : 0.0);
}

void draw_title(QPainter& p, const QRectF& area, const BrowserFrame& m, const QFont& base) {
  QFont bold = base;
  bold.setBold(true);
  bold.setPointSizeF(9.5);
  p.setFont(bold);
  p.setPen(Qt::black);
  p.drawText(QRectF(area.left() + 6, area.top() + 2, area.width() - 12, header_h - 4),
             Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(m.locus.to_string()));
  p.setFont(base);
  p.setPen(axis_colour);
  const int decimals = m.bpp() >= 10 ? 0 : m.bpp() >= 1 ? 1 : 3;
  p.drawText(QRectF(area.left() + 6, area.top() + 2, area.width() - 16, header_h - 4),
             Qt::AlignRight | Qt::AlignVCenter,
             tick_label(m.locus.end - m.locus.start, 1) +
                 QString("  (%1 bp/px)").arg(m.bpp(), 0, 'f', decimals));
}

} // namespace

QFont browser_font() {
  QFont f;
  f.setPointSizeF(8.5);
  return f;
}

BrowserFrame browser_frame(const QRectF& area, const genome::Region& locus) {
  return {locus, area.left() + gutter, std::max(10.0, area.width() - gutter - right_margin)};
}

void paint_browser(QPainter& p, const QRectF& area, const BrowserScene& s, bool figure) {
  p.save();
  p.setClipRect(area);
  p.fillRect(area, Qt::white);
  p.setRenderHint(QPainter::Antialiasing, true);
  const QFont base = browser_font();
  p.setFont(base);
  const QFontMetricsF fm(base);
  if (s.locus.chrom.empty() || s.locus.end <= s.locus.start) {
    p.setPen(axis_colour);
    p.drawText(area, Qt::AlignCenter,
               tr("Open a genome, annotation, BED, bedGraph or VCF file to browse it."));
    p.restore();
    return;
  }
  const BrowserFrame m = browser_frame(area, s.locus);
  draw_title(p, area, m, base);
  const QString reference_chrom = QString::fromStdString(s.locus.chrom);

  double y = area.top() + header_h;
  const RulerRenderer ruler;
  const double rh = ruler.height(m, s.locus.chrom, fm);
  p.setPen(axis_colour);
  p.drawText(QRectF(area.left() + 4, y, gutter - 10, rh - 6), Qt::AlignRight | Qt::AlignVCenter,
             reference_chrom);
  ruler.paint(p, {m, s.locus.chrom, y, rh, fm, figure});
  y += rh;

  if (s.genome) {
    const SequenceRenderer sequence(s.bases);
    const double sh = sequence.height(m, s.locus.chrom, fm);
    p.setPen(axis_colour);
    p.drawText(QRectF(area.left() + 4, y, gutter - 10, sh), Qt::AlignRight | Qt::AlignVCenter,
               tr("Sequence"));
    if (const auto local = local_chrom(*s.genome, s.locus.chrom)) {
      sequence.paint(p, {m, *local, y, sh, fm, figure});
    } else {
      p.setPen(QColor(150, 150, 150));
      p.drawLine(QPointF(m.left, y + sh / 2), QPointF(m.right(), y + sh / 2));
    }
    y += sh;
  }

  for (const auto& track : s.tracks.tracks()) {
    const double h = data_track_height(track, m, fm);
    p.setPen(QColor(225, 225, 225));
    p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
    p.setPen(Qt::black);
    p.drawText(QRectF(area.left() + 4, y + 2, gutter - 10, 16), Qt::AlignRight | Qt::AlignTop,
               fm.elidedText(track.title, Qt::ElideMiddle, gutter - 12));
    p.save();
    p.setClipRect(QRectF(m.left - 1, y, m.width + 2, h).intersected(area));
    if (const auto local = local_chrom(*track.data, s.locus.chrom)) {
      track.renderer->paint(p, {m, *local, y, h, fm, figure, s.signal});
    } else {
      p.setPen(QColor(150, 150, 150));
      p.drawText(QRectF(m.left, y, m.width, h), Qt::AlignCenter, tr("no data on %1").arg(reference_chrom));
    }
    p.restore();
    y += h;
  }
  p.restore();
}

int track_at(const BrowserScene& s, const QRectF& area, double y) {
  if (s.locus.chrom.empty() || s.locus.end <= s.locus.start) return -1;
  const BrowserFrame m = browser_frame(area, s.locus);
  const QFontMetricsF fm(browser_font());
  double top = tracks_top(s, area);
  for (int i = 0; i < s.tracks.rowCount(); ++i) {
    const double h = data_track_height(s.tracks.track(i), m, fm);
    if (y >= top && y < top + h) return i;
    top += h;
  }
  return -1;
}

} // namespace gc::ui::browser
