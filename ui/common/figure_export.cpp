#include "gc/ui/common/figure_export.h"

#include "gc/ui/common/figure_view.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <QFileInfo>
#include <QImage>
#include <QOpenGLWidget>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWidget>

#include <functional>
#include <utility>

namespace gc::ui {
namespace {

// Paints the widget tree; QOpenGLWidget children are drawn from their framebuffers because
// QWidget::render cannot see GL content.
void paint_widget(QWidget* widget, QPainter& painter) {
  widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
  const auto gl_children = widget->findChildren<QOpenGLWidget*>();
  auto* self_gl = qobject_cast<QOpenGLWidget*>(widget);
  if (self_gl) painter.drawImage(QRect(QPoint(0, 0), widget->size()), self_gl->grabFramebuffer());
  for (auto* gl : gl_children) {
    if (!gl->isVisible()) continue;
    painter.drawImage(QRect(gl->mapTo(widget, QPoint(0, 0)), gl->size()), gl->grabFramebuffer());
  }
}

// Writes `paint` (drawing into logical units, 1/96 inch) as a width_mm x height_mm figure.
void write_figure(const QString& path, const QSizeF& logical, double width_mm, double height_mm, int dpi,
                  const std::function<void(QPainter&)>& paint) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != "svg" && suffix != "pdf" && suffix != "png")
    throw gc::InputError("unknown figure format '." + suffix.toStdString() + "' (use .svg, .pdf or .png)")
        .file(path.toStdString());
  if (dpi <= 0 || width_mm <= 0 || height_mm <= 0)
    throw gc::InputError("figure size and DPI must be positive").file(path.toStdString());
  gc::write_atomically(path.toStdString(), [&](const std::filesystem::path& temp) {
    const QString tmp = QString::fromStdString(temp.string());
    if (suffix == "svg") {
      QSvgGenerator svg;
      svg.setFileName(tmp);
      svg.setSize(logical.toSize());
      svg.setViewBox(QRectF(QPointF(0, 0), logical));
      svg.setResolution(96);
      svg.setTitle("GenoCircuit Studio figure");
      QPainter painter(&svg);
      paint(painter);
    } else if (suffix == "pdf") {
      QPdfWriter pdf(tmp);
      // Logical units (1/96 inch) map one to one, so fonts sized in points keep their size;
      // the output is vectors, so the resolution does not limit quality.
      pdf.setResolution(96);
      pdf.setPageSize(QPageSize(QSizeF(width_mm, height_mm), QPageSize::Millimeter));
      pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
      pdf.setCreator("GenoCircuit Studio");
      QPainter painter(&pdf);
      const double scale = pdf.width() / std::max(1.0, logical.width());
      painter.scale(scale, scale);
      paint(painter);
    } else {
      const double px_per_mm = dpi / 25.4;
      const QSize pixels(static_cast<int>(width_mm * px_per_mm + 0.5),
                         static_cast<int>(height_mm * px_per_mm + 0.5));
      QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
      image.fill(Qt::white);
      // Painted at 96 DPI (fonts in points convert with the device's DPI, and the painter is
      // already scaled to the requested resolution); the file records the requested DPI.
      image.setDotsPerMeterX(static_cast<int>(96 / 0.0254 + 0.5));
      image.setDotsPerMeterY(static_cast<int>(96 / 0.0254 + 0.5));
      {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.scale(pixels.width() / std::max(1.0, logical.width()),
                      pixels.height() / std::max(1.0, logical.height()));
        paint(painter);
      }
      image.setDotsPerMeterX(static_cast<int>(dpi / 0.0254 + 0.5));
      image.setDotsPerMeterY(static_cast<int>(dpi / 0.0254 + 0.5));
      if (!image.save(tmp, "PNG")) throw gc::Error("cannot write PNG").file(path.toStdString());
    }
  });
}

} // namespace

void export_widget_figure(QWidget* widget, const QString& path, const FigureOptions& options) {
  const QSizeF logical = widget->size();
  const double width_mm = options.width_mm > 0 ? options.width_mm : logical.width() * 25.4 / 96.0;
  const double height_mm = options.height_mm > 0
                               ? options.height_mm
                               : width_mm * logical.height() / std::max(1.0, logical.width());
  write_figure(path, logical, width_mm, height_mm, options.dpi,
               [widget](QPainter& p) { paint_widget(widget, p); });
}

namespace {
std::pair<double, double> figure_mm(const FigureOptions& options) {
  const double width_mm = options.width_mm > 0 ? options.width_mm : default_figure_width_mm;
  return {width_mm, options.height_mm > 0 ? options.height_mm : width_mm * default_figure_aspect};
}
} // namespace

QSizeF figure_logical_size(const FigureOptions& options) {
  const auto [width_mm, height_mm] = figure_mm(options);
  // Logical units are 1/96 inch, so text in points keeps its printed size at any DPI.
  return {width_mm / 25.4 * 96.0, height_mm / 25.4 * 96.0};
}

void export_painted_figure(const PaintFigure& paint, const QString& path, const FigureOptions& options) {
  const auto [width_mm, height_mm] = figure_mm(options);
  const QSizeF logical = figure_logical_size(options);
  write_figure(path, logical, width_mm, height_mm, options.dpi,
               [&](QPainter& p) { paint(p, QRectF(QPointF(0, 0), logical)); });
}

void export_figure(const FigureView& view, const QString& path, const FigureOptions& options) {
  export_painted_figure([&view](QPainter& p, const QRectF& target) { view.render_figure(p, target); }, path,
                        options);
}

} // namespace gc::ui
