#pragma once
// Figure export: SVG and PDF as vectors (text stays text), PNG at a chosen DPI. FigureViews paint
// through render_figure; other widgets through QWidget::render, with OpenGL content embedded as
// images at the requested resolution.
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <functional>

class QPainter;
class QWidget;

namespace gc::ui {

class FigureView;

struct FigureOptions {
  int dpi = 300;
  // Physical width in millimetres; 0 keeps a widget's on-screen size at 96 DPI, and gives a
  // FigureView default_figure_width_mm.
  double width_mm = 0.0;
  // Physical height; 0 keeps a widget's aspect ratio, and makes a FigureView
  // default_figure_aspect times as high as it is wide.
  double height_mm = 0.0;
};

inline constexpr double default_figure_width_mm = 180.0;
inline constexpr double default_figure_aspect = 0.6;

// The format follows the extension (.svg, .pdf, .png). Written atomically; throws gc::Error
// (gc::InputError for an unknown extension).
void export_widget_figure(QWidget* widget, const QString& path, const FigureOptions& options = {});
void export_figure(const FigureView& view, const QString& path, const FigureOptions& options = {});
// The size of a FigureView's figure in logical units (1/96 inch), FigureView defaults for zeros.
[[nodiscard]] QSizeF figure_logical_size(const FigureOptions& options);
// Paints a figure of options' size (FigureView defaults when 0) through `paint(painter, target)`,
// target in logical units (1/96 inch). Needs no widget, so it runs under a QGuiApplication.
using PaintFigure = std::function<void(QPainter& painter, const QRectF& target)>;
void export_painted_figure(const PaintFigure& paint, const QString& path, const FigureOptions& options = {});

} // namespace gc::ui
