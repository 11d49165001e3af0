#include "gc/ui/hic/hic_renderer.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::ui::hic_view {
namespace {

QFont figure_font(double px, bool bold = false) {
  QFont f;
  f.setFamily("DejaVu Sans");
  f.setPixelSize(std::max(6, static_cast<int>(std::lround(px))));
  f.setBold(bold);
  return f;
}

const gc::hic::BinTable& shown_bins(const HicScene& s) { return s.maps.maps[s.frame.res.index]->bins(); }

std::int64_t chrom_offset(const gc::hic::BinTable& bins, int chrom) {
  return bins.chrom_offset[static_cast<std::size_t>(chrom)];
}

// The visible part of the map as one image at the data resolution, from the loaded tiles.
struct Composite {
  QImage image;
  QRectF bp; // x = columns, y = rows, in bp
};

Composite compose(const HicScene& s) {
  Composite out;
  const auto& st = s.state;
  const auto& bins = shown_bins(s);
  const auto bs = s.frame.bin_size;
  const auto row_off = chrom_offset(bins, st.chrom_x);
  const auto col_off = chrom_offset(bins, st.chrom_y);
  const auto rn = chrom_offset(bins, st.chrom_x + 1) - row_off;
  const auto cn = chrom_offset(bins, st.chrom_y + 1) - col_off;
  const auto r_lo = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(st.sx.start / bs)), 0, rn);
  const auto r_hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(st.sx.end / bs)), 0, rn);
  const auto c_lo = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(st.sy.start / bs)), 0, cn);
  const auto c_hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(st.sy.end / bs)), 0, cn);
  if (r_hi <= r_lo || c_hi <= c_lo) return out;
  const int w = static_cast<int>(c_hi - c_lo), h = static_cast<int>(r_hi - r_lo);
  std::vector<float> values(static_cast<std::size_t>(w) * static_cast<std::size_t>(h),
                            std::numeric_limits<float>::quiet_NaN());
  for (const auto& key : s.frame.visible) {
    const auto tile = s.tile(key);
    if (!tile) continue;
    for (std::int64_t r = std::max(r_lo, tile->row_lo - row_off);
         r < std::min(r_hi, tile->row_lo - row_off + tile->rows); ++r)
      for (std::int64_t c = std::max(c_lo, tile->col_lo - col_off);
           c < std::min(c_hi, tile->col_lo - col_off + tile->cols); ++c)
        values[static_cast<std::size_t>((r - r_lo) * w + (c - c_lo))] = tile->at(r + row_off, c + col_off);
  }
  out.image = colorize(values, w, h, st.cmap, st.scale);
  out.bp = QRectF(static_cast<double>(c_lo * bs), static_cast<double>(r_lo * bs), static_cast<double>(w * bs),
                  static_cast<double>(h * bs));
  return out;
}

void draw_colorbar(QPainter& p, const QRectF& bar, const HicState& st, double font_px, const QString& label,
                   double right_edge) {
  QLinearGradient g(bar.bottomLeft(), bar.topLeft());
  for (int i = 0; i <= 32; ++i)
    g.setColorAt(i / 32.0, QColor::fromRgb(st.cmap.at(i / 32.0)));
  p.setPen(QPen(Qt::black, 0.8));
  p.setBrush(g);
  p.drawRect(bar);
  p.setBrush(Qt::NoBrush);
  p.setFont(figure_font(font_px * 0.9));
  const QFontMetricsF fm(p.font());
  std::vector<double> ticks;
  if (st.scale.log && st.scale.min > 0 && st.scale.max > st.scale.min) {
    for (double e = std::ceil(std::log10(st.scale.min) - 1e-9); e <= std::log10(st.scale.max) + 1e-9; e += 1)
      ticks.push_back(std::pow(10.0, e));
    if (ticks.size() < 2) ticks = {st.scale.min, st.scale.max};
  } else {
    for (const auto& t : axis_ticks(st.scale.min, st.scale.max, 4))
      ticks.push_back(t.pos);
  }
  // The ends of the range are labelled too, unless a round tick sits right next to them.
  for (const double end : {st.scale.min, st.scale.max}) {
    const double te = st.scale.normalise(end);
    if (std::none_of(ticks.begin(), ticks.end(),
                     [&](double v) { return std::abs(st.scale.normalise(v) - te) < 0.12; }))
      ticks.push_back(end);
  }
  for (const double v : ticks) {
    const double t = st.scale.normalise(v);
    const double y = bar.bottom() - t * bar.height();
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
    p.drawText(QPointF(bar.right() + 6, y + fm.ascent() / 2 - 1), format_value(v));
  }
  // The caption starts at the bar and wraps within the space right of the map.
  p.drawText(QRectF(bar.left(), bar.bottom() + 6, std::max(60.0, right_edge - bar.left()), fm.height() * 2.4),
             Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, label);
}

void draw_title(QPainter& p, const HicLayout& l, const HicScene& s) {
  const auto& st = s.state;
  const auto& bins = s.bins();
  p.setFont(figure_font(l.font_px * 1.1, true));
  QString region =
      format_region(chrom_name(bins, st.chrom_x), std::llround(st.sx.start), std::llround(st.sx.end));
  if (!st.cis() || st.sx != st.sy)
    region += " × " +
              format_region(chrom_name(bins, st.chrom_y), std::llround(st.sy.start), std::llround(st.sy.end));
  const QString file = QFileInfo(st.uri.section("::", 0, 0)).fileName();
  const QString title = file + "  ·  " + region + "  ·  " + format_bin_size(s.frame.bin_size) + "  ·  " +
                        normalisation_label(st.norm);
  p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetricsF(p.font()).elidedText(title, Qt::ElideMiddle, l.title.width()));
}

// Bins as sharp pixels, clipped to the chromosome.
void draw_heatmap(QPainter& p, const QRectF& m, const HicScene& s, bool figure) {
  const auto& st = s.state;
  const auto bs = s.frame.bin_size;
  p.save();
  const double chrom_right = m.left() + bp_to_pixel(chrom_length(s.bins(), st.chrom_y), m.width(), st.sy);
  const double chrom_bottom = m.top() + bp_to_pixel(chrom_length(s.bins(), st.chrom_x), m.height(), st.sx);
  p.setClipRect(m.intersected(QRectF(m.left(), m.top(), chrom_right - m.left(), chrom_bottom - m.top())));
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.setRenderHint(QPainter::Antialiasing, false);
  const auto place = [&](double c0, double r0, double c1, double r1) {
    const double x0 = m.left() + bp_to_pixel(c0, m.width(), st.sy);
    const double x1 = m.left() + bp_to_pixel(c1, m.width(), st.sy);
    const double y0 = m.top() + bp_to_pixel(r0, m.height(), st.sx);
    const double y1 = m.top() + bp_to_pixel(r1, m.height(), st.sx);
    return QRectF(x0, y0, x1 - x0, y1 - y0);
  };
  if (s.frame.res.too_fine) {
    p.drawText(m, Qt::AlignCenter | Qt::TextWordWrap,
               "Zoom in: the finest stored resolution (" + format_bin_size(bs) + ") would need more than " +
                   QString::number(k_max_bins) + " bins across the view");
  } else if (figure) {
    const auto c = compose(s);
    if (!c.image.isNull()) p.drawImage(place(c.bp.left(), c.bp.top(), c.bp.right(), c.bp.bottom()), c.image);
  } else {
    const auto& bins = shown_bins(s);
    const auto row_off = chrom_offset(bins, st.chrom_x);
    const auto col_off = chrom_offset(bins, st.chrom_y);
    bool missing = false;
    for (const auto& key : s.frame.visible) {
      const auto tile = s.tile(key);
      if (!tile) {
        missing = true;
        continue;
      }
      if (tile->image_generation != s.colour_generation || tile->image.isNull()) {
        tile->image = colorize(tile->values, tile->cols, tile->rows, st.cmap, st.scale);
        tile->image_generation = s.colour_generation;
      }
      const double c0 = static_cast<double>((tile->col_lo - col_off) * bs);
      const double r0 = static_cast<double>((tile->row_lo - row_off) * bs);
      p.drawImage(
          place(c0, r0, c0 + static_cast<double>(tile->cols * bs), r0 + static_cast<double>(tile->rows * bs)),
          tile->image);
    }
    if (missing) {
      p.setPen(QColor(120, 120, 120));
      p.drawText(m.adjusted(6, 6, -6, -6), Qt::AlignRight | Qt::AlignTop, "loading…");
    }
  }
  p.restore();
}

// Vertical and horizontal lines at the linked position from the genome browser.
void draw_crosshair(QPainter& p, const QRectF& m, const HicScene& s) {
  const auto& st = s.state;
  if (!st.crosshair) return;
  p.save();
  p.setClipRect(m);
  p.setPen(QPen(QColor(30, 90, 200), 1.2, Qt::DashLine));
  const int c = find_chrom(s.bins(), st.crosshair->chrom);
  const auto pos = static_cast<double>(st.crosshair->pos);
  if (c == st.chrom_y) {
    const double x = m.left() + bp_to_pixel(pos, m.width(), st.sy);
    p.drawLine(QPointF(x, m.top()), QPointF(x, m.bottom()));
  }
  if (c == st.chrom_x) {
    const double y = m.top() + bp_to_pixel(pos, m.height(), st.sx);
    p.drawLine(QPointF(m.left(), y), QPointF(m.right(), y));
  }
  p.restore();
}

// Columns along the top, rows down the left side.
void draw_axes(QPainter& p, const QRectF& m, const HicScene& s, const QFontMetricsF& fm) {
  const auto& st = s.state;
  const double label_w = fm.horizontalAdvance("000.00 Mb") + 10;
  const auto top_ticks =
      axis_ticks(st.sy.start, st.sy.end, std::max(2, static_cast<int>(m.width() / label_w)));
  for (const auto& t : top_ticks) {
    const double x = m.left() + bp_to_pixel(t.pos, m.width(), st.sy);
    p.drawLine(QPointF(x, m.top()), QPointF(x, m.top() - 4));
    const double tw = fm.horizontalAdvance(t.label);
    p.drawText(
        QPointF(std::clamp(x - tw / 2, m.left() - label_w / 2, m.right() - tw + label_w / 2), m.top() - 6),
        t.label);
  }
  p.drawText(QRectF(m.left(), m.top() - fm.height() * 2.4 - 6, m.width(), fm.height()), Qt::AlignHCenter,
             chrom_name(s.bins(), st.chrom_y));
  const auto left_ticks =
      axis_ticks(st.sx.start, st.sx.end, std::max(2, static_cast<int>(m.height() / (fm.height() * 2.5))));
  for (const auto& t : left_ticks) {
    const double y = m.top() + bp_to_pixel(t.pos, m.height(), st.sx);
    p.drawLine(QPointF(m.left(), y), QPointF(m.left() - 4, y));
    const double tw = fm.horizontalAdvance(t.label);
    p.drawText(QPointF(m.left() - 6 - tw, y + fm.ascent() / 2 - 1), t.label);
  }
  p.save();
  p.translate(m.left() - label_w - fm.height() * 0.6, m.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-m.height() / 2, -fm.height() / 2, m.height(), fm.height()), Qt::AlignCenter,
             chrom_name(s.bins(), st.chrom_x));
  p.restore();
}

// Insulation under the map, aligned with the columns, with the TAD boundaries as dots.
void draw_track(QPainter& p, const HicLayout& l, const HicScene& s, const QFontMetricsF& fm) {
  const auto& st = s.state;
  const QRectF& tr = l.track;
  const auto bs = static_cast<double>(s.frame.bin_size);
  p.setPen(QPen(QColor(160, 160, 160), 0.8));
  p.drawRect(tr);
  const auto& t = s.track;
  const auto off = chrom_offset(shown_bins(s), st.chrom_x);
  QString caption = "insulation";
  if (t && t->key.res == static_cast<int>(s.frame.res.index) && t->key.chrom == st.chrom_x &&
      t->key.norm == st.norm && !t->score.empty()) {
    double lo = 0, hi = 0;
    bool any = false;
    for (const double v : t->score)
      if (std::isfinite(v)) {
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
      }
    if (any) {
      const double pad = std::max(1e-6, (hi - lo) * 0.08);
      lo -= pad;
      hi += pad;
      const auto xy = [&](std::size_t i, double v) {
        const double bp_mid =
            (static_cast<double>(t->key.lo - off + static_cast<std::int64_t>(i)) + 0.5) * bs;
        return QPointF(tr.left() + bp_to_pixel(bp_mid, tr.width(), st.sy),
                       tr.bottom() - (v - lo) / (hi - lo) * tr.height());
      };
      p.save();
      p.setClipRect(tr);
      if (lo < 0 && hi > 0) {
        p.setPen(QPen(QColor(190, 190, 190), 0.6, Qt::DotLine));
        const double y0 = tr.bottom() - (0 - lo) / (hi - lo) * tr.height();
        p.drawLine(QPointF(tr.left(), y0), QPointF(tr.right(), y0));
      }
      QPainterPath path;
      bool open = false;
      for (std::size_t i = 0; i < t->score.size(); ++i) {
        if (!std::isfinite(t->score[i])) {
          open = false;
          continue;
        }
        if (open)
          path.lineTo(xy(i, t->score[i]));
        else
          path.moveTo(xy(i, t->score[i]));
        open = true;
      }
      p.setPen(QPen(QColor(40, 40, 40), 1.2));
      p.drawPath(path);
      p.setPen(Qt::NoPen);
      p.setBrush(QColor(30, 90, 200));
      for (const auto& b : t->boundaries)
        p.drawEllipse(xy(static_cast<std::size_t>(b.bin), b.score), 2.6, 2.6);
      p.restore();
      caption = "insulation (log2, window " + format_bin_size(t->key.window * s.frame.bin_size) +
                "); ● TAD boundaries";
    }
  }
  p.setPen(Qt::black);
  p.setFont(figure_font(l.font_px * 0.9));
  p.drawText(QRectF(tr.left(), tr.bottom() + 2, tr.width(), fm.height() * 1.2), Qt::AlignLeft | Qt::AlignTop,
             caption);
}

} // namespace

HicLayout hic_layout(const QRectF& area, const HicState& state, bool with_title, bool with_track) {
  HicLayout l;
  l.font_px = std::clamp(std::min(area.width(), area.height()) / 48.0, 9.0, 13.0);
  const QFontMetricsF fm(figure_font(l.font_px));
  const double fh = fm.height();
  double top = area.top() + 4;
  if (with_title) {
    l.title = QRectF(area.left() + 4, top, area.width() - 8, fh * 1.4);
    top = l.title.bottom() + 2;
  }
  const double left_axis = fm.horizontalAdvance("000.00 Mb") + 8 + fh * 1.3;
  const double top_axis = fh * 2.4 + 6;
  const double right = 14 + 6 + fm.horizontalAdvance("0.00e-00") + 12;
  const double bottom_margin = 6;
  const double track_h = with_track ? std::clamp(area.height() * 0.11, 48.0, 90.0) : 0.0;
  const QRectF avail(area.left() + left_axis, top + top_axis, area.width() - left_axis - right,
                     area.bottom() - bottom_margin - (with_track ? track_h + fh * 2.4 : 0) -
                         (top + top_axis));
  double aspect = 1; // width / height
  if (state.has_locus() && state.sx.length() > 0)
    aspect = std::clamp(state.sy.length() / state.sx.length(), 0.25, 4.0);
  double w = avail.width(), h = avail.height();
  if (w / std::max(1.0, h) > aspect)
    w = h * aspect;
  else
    h = w / aspect;
  w = std::max(10.0, w);
  h = std::max(10.0, h);
  // Centre the map (with its axes and colour bar) in the spare width.
  const double spare = std::max(0.0, avail.width() - w);
  l.map = QRectF(avail.left() + spare / 2, avail.top(), w, h);
  l.colorbar = QRectF(l.map.right() + 12, l.map.top(), 14, std::min(h, std::max(120.0, h * 0.6)));
  if (with_track) l.track = QRectF(l.map.left(), l.map.bottom() + 6, w, track_h);
  return l;
}

QRectF heatmap_rect(const QRectF& area, const HicState& state) {
  return hic_layout(area, state, false, state.has_locus() && state.cis()).map;
}

void paint_hic(QPainter& p, const QRectF& area, const HicScene& s, bool figure) {
  p.fillRect(area, Qt::white);
  const bool track = s.ready() && s.state.cis();
  const auto l = hic_layout(area, s.state, figure, track);
  const QFont font = figure_font(l.font_px);
  const QFontMetricsF fm(font);
  p.setFont(font);
  p.setPen(Qt::black);
  if (!s.ready()) {
    p.drawText(area, Qt::AlignCenter, "No Hi-C map loaded");
    return;
  }
  if (figure) {
    draw_title(p, l, s);
    p.setFont(font);
  }
  draw_heatmap(p, l.map, s, figure);
  draw_crosshair(p, l.map, s);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(QPen(Qt::black, 1.0));
  p.setBrush(Qt::NoBrush);
  p.drawRect(l.map);
  draw_axes(p, l.map, s, fm);
  draw_colorbar(p, l.colorbar, s.state, l.font_px,
                normalisation_label(s.state.norm) + (s.state.scale.log ? " (log scale)" : ""),
                area.right() - 2);
  if (track) draw_track(p, l, s, fm);
}

QString describe_at(const HicScene& s, const QRectF& m, const QPointF& pos) {
  const auto& st = s.state;
  if (!s.ready() || s.frame.res.too_fine || !m.contains(pos)) return {};
  const double row_bp = pixel_to_bp(pos.y() - m.top(), m.height(), st.sx);
  const double col_bp = pixel_to_bp(pos.x() - m.left(), m.width(), st.sy);
  if (row_bp < 0 || col_bp < 0 || row_bp >= chrom_length(s.bins(), st.chrom_x) ||
      col_bp >= chrom_length(s.bins(), st.chrom_y))
    return {};
  const auto bs = s.frame.bin_size;
  const auto& bins = shown_bins(s);
  const auto ri = static_cast<std::int64_t>(row_bp) / bs, ci = static_cast<std::int64_t>(col_bp) / bs;
  const auto r = chrom_offset(bins, st.chrom_x) + ri, c = chrom_offset(bins, st.chrom_y) + ci;
  const auto tile = s.tile({static_cast<int>(s.frame.res.index), st.norm, st.chrom_x, st.chrom_y,
                            ri / k_tile_bins, ci / k_tile_bins});
  if (!tile) return {};
  const auto rr = static_cast<std::size_t>(r), cc = static_cast<std::size_t>(c);
  return format_region(chrom_name(bins, st.chrom_x), bins.start[rr], bins.end[rr]) + " × " +
         format_region(chrom_name(bins, st.chrom_y), bins.start[cc], bins.end[cc]) + " value " +
         format_value(tile->at(r, c)) + " (" + normalisation_label(st.norm) + ")";
}

std::vector<double> visible_values(const HicScene& s) {
  std::vector<double> values;
  if (!s.ready() || s.frame.res.too_fine) return values;
  const auto& st = s.state;
  const auto& bins = shown_bins(s);
  const auto bs = static_cast<double>(s.frame.bin_size);
  const auto row_off = chrom_offset(bins, st.chrom_x);
  const auto col_off = chrom_offset(bins, st.chrom_y);
  const auto r_lo = row_off + static_cast<std::int64_t>(std::floor(st.sx.start / bs));
  const auto r_hi = row_off + static_cast<std::int64_t>(std::ceil(st.sx.end / bs));
  const auto c_lo = col_off + static_cast<std::int64_t>(std::floor(st.sy.start / bs));
  const auto c_hi = col_off + static_cast<std::int64_t>(std::ceil(st.sy.end / bs));
  const double total = static_cast<double>(r_hi - r_lo) * static_cast<double>(c_hi - c_lo);
  const auto stride = static_cast<std::int64_t>(std::max(1.0, std::sqrt(total / 200'000.0)));
  for (const auto& key : s.frame.visible) {
    const auto tile = s.tile(key);
    if (!tile) continue;
    for (std::int64_t r = std::max(r_lo, tile->row_lo); r < std::min(r_hi, tile->row_lo + tile->rows);
         r += stride)
      for (std::int64_t c = std::max(c_lo, tile->col_lo); c < std::min(c_hi, tile->col_lo + tile->cols);
           c += stride)
        values.push_back(tile->at(r, c));
  }
  return values;
}

std::optional<std::pair<double, double>> auto_colour_range(const std::vector<double>& values, double pct,
                                                           bool log) {
  const double hi = percentile(values, pct, log);
  if (!std::isfinite(hi) || hi <= 0) return std::nullopt;
  double lo = 0;
  if (log) {
    // Log scale: start two to three decades below the top, at the 5th percentile of the
    // positive values when that is higher, so sparse far-cis contacts stay visible.
    const double p5 = percentile(values, 5, true);
    lo = std::clamp(std::isfinite(p5) ? p5 : hi / 1000, hi / 1000, hi / 10);
  }
  return std::make_pair(lo, hi);
}

} // namespace gc::ui::hic_view
