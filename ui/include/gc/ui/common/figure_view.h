#pragma once
// A view that can draw itself as a publication figure. Views paint with QPainter so SVG and PDF
// exports stay vectors (text stays text); the GUI and `genocircuit-cli export-figure` both
// render through this interface.
#include <QJsonObject>
#include <QPainter>
#include <QRectF>
#include <QString>

namespace gc::ui {

class FigureView {
public:
  virtual ~FigureView() = default;
  // Stable name used by sessions and `export-figure --view NAME` (e.g. "browser", "hic", "3d").
  [[nodiscard]] virtual QString view_name() const = 0;
  // Paints the current state into `target` (logical units: 1/96 inch), including axes, labels
  // and colour bars, without any widget chrome.
  virtual void render_figure(QPainter& painter, const QRectF& target) const = 0;
  // View settings for sessions (locus, normalisation, colour map, ...), and their restore.
  [[nodiscard]] virtual QJsonObject save_state() const = 0;
  virtual void restore_state(const QJsonObject& state) = 0;
};

} // namespace gc::ui
