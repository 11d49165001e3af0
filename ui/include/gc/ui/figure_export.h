#pragma once
// Figure export of a widget: SVG and PDF as vectors where the widget paints with QPainter,
// PNG at a chosen DPI. OpenGL views are embedded as images at the requested resolution.
#include <QString>

class QWidget;

namespace gc::ui {

struct FigureOptions {
  int dpi = 300;
  // Physical width in millimetres; 0 keeps the widget's on-screen size at 96 DPI.
  double width_mm = 0.0;
};

// The format follows the extension (.svg, .pdf, .png). Written atomically; throws gc::Error.
void export_widget_figure(QWidget* widget, const QString& path, const FigureOptions& options = {});

} // namespace gc::ui
