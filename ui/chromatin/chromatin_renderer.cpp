#include "gc/ui/chromatin/chromatin_renderer.h"

#include "gc/ui/common/colormap.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QLinearGradient>

#include <algorithm>

namespace gc::ui::chromatin {
namespace {

QFont figure_font(const QRectF& target) {
  QFont font;
  font.setFamily("DejaVu Sans");
  font.setPixelSize(static_cast<int>(std::clamp(target.width() / 50.0, 9.0, 14.0)));
  return font;
}

struct FigureLayout {
  QRectF title;
  QRectF legend;
  QRectF scene;
};

FigureLayout figure_layout(const QRectF& target) {
  const QFontMetricsF fm(figure_font(target));
  FigureLayout l;
  l.title = QRectF(target.left() + 4, target.top() + 2, target.width() - 8, fm.height() * 1.4);
  l.legend = QRectF(target.left() + 8, target.bottom() - fm.height() * 2.2,
                    std::min(160.0, target.width() / 3), fm.height() * 0.7);
  l.scene = QRectF(target.left(), l.title.bottom() + 2, target.width(),
                   l.legend.top() - 6 - (l.title.bottom() + 2));
  return l;
}

} // namespace

QString figure_title(const ChromatinState& state, std::int64_t bin_size) {
  QString t = state.chromosome.isEmpty() ? QString("3D chromatin") : state.chromosome + " 3D structure";
  if (!state.uri.isEmpty()) t += "  ·  " + QFileInfo(state.uri.section("::", 0, 0)).fileName();
  if (bin_size > 0) t += "  ·  " + QString::number(bin_size / 1000.0) + " kb bins";
  if (state.highlight) t += "  ·  red: " + QString::fromStdString(state.highlight->to_string());
  return t;
}

QRectF scene_rect(const QRectF& target) { return figure_layout(target).scene; }

void paint_chromatin_figure(QPainter& painter, const QRectF& target, const ChromatinState& state,
                            std::int64_t bin_size, const QImage& scene) {
  painter.save();
  painter.fillRect(target, Qt::white);
  const QFont font = figure_font(target);
  painter.setFont(font);
  const QFontMetricsF fm(font);
  const auto l = figure_layout(target);
  painter.setPen(Qt::black);
  painter.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(figure_title(state, bin_size), Qt::ElideMiddle, l.title.width()));
  // Colour legend: viridis from the chromosome's start to its end (or the track's range).
  QLinearGradient g(l.legend.topLeft(), l.legend.topRight());
  const auto viridis = ColorMap::named("viridis");
  for (int i = 0; i <= 16; ++i)
    g.setColorAt(i / 16.0, QColor::fromRgb(viridis.at(i / 16.0)));
  painter.setPen(QPen(Qt::black, 0.6));
  painter.setBrush(g);
  painter.drawRect(l.legend);
  painter.setBrush(Qt::NoBrush);
  const bool by_track = state.by_track();
  painter.drawText(QPointF(l.legend.left(), l.legend.bottom() + fm.ascent() + 1),
                   by_track ? (state.track_name.isEmpty() ? "track low" : state.track_name + " low")
                            : "start");
  const QString right = by_track ? "high" : "end";
  painter.drawText(
      QPointF(l.legend.right() - fm.horizontalAdvance(right), l.legend.bottom() + fm.ascent() + 1), right);
  if (!scene.isNull() && l.scene.height() > 4) {
    QSizeF s = scene.size();
    s.scale(l.scene.size(), Qt::KeepAspectRatio);
    const QRectF dst(l.scene.center().x() - s.width() / 2, l.scene.center().y() - s.height() / 2, s.width(),
                     s.height());
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter.drawImage(dst, scene);
  }
  painter.restore();
}

} // namespace gc::ui::chromatin
