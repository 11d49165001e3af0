#pragma once
// Figure export: SVG and PDF as vectors (text stays text), PNG at a chosen DPI. FigureViews paint
// through render_figure; other widgets through QWidget::render, with OpenGL content embedded as
// images at the requested resolution.
#include <QString>

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

} // namespace gc::ui
