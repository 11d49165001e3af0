#include "gc/ui/figure_export.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <QFileInfo>
#include <QImage>
#include <QOpenGLWidget>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWidget>

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

} // namespace

void export_widget_figure(QWidget* widget, const QString& path, const FigureOptions& options) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  const QSize logical = widget->size();
  const double width_mm = options.width_mm > 0 ? options.width_mm : logical.width() * 25.4 / 96.0;
  const double height_mm = width_mm * logical.height() / std::max(1, logical.width());
  gc::write_atomically(path.toStdString(), [&](const std::filesystem::path& temp) {
    const QString tmp = QString::fromStdString(temp.string());
    if (suffix == "svg") {
      QSvgGenerator svg;
      svg.setFileName(tmp);
      svg.setSize(logical);
      svg.setViewBox(QRect(QPoint(0, 0), logical));
      svg.setResolution(96);
      svg.setTitle("GenoCircuit Studio figure");
      QPainter painter(&svg);
      paint_widget(widget, painter);
    } else if (suffix == "pdf") {
      QPdfWriter pdf(tmp);
      pdf.setResolution(options.dpi);
      pdf.setPageSize(QPageSize(QSizeF(width_mm, height_mm), QPageSize::Millimeter));
      pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
      pdf.setCreator("GenoCircuit Studio");
      QPainter painter(&pdf);
      const double scale = pdf.width() / static_cast<double>(std::max(1, logical.width()));
      painter.scale(scale, scale);
      paint_widget(widget, painter);
    } else if (suffix == "png") {
      const double px_per_mm = options.dpi / 25.4;
      const QSize pixels(static_cast<int>(width_mm * px_per_mm + 0.5),
                         static_cast<int>(height_mm * px_per_mm + 0.5));
      QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
      image.fill(Qt::white);
      image.setDotsPerMeterX(static_cast<int>(options.dpi / 0.0254 + 0.5));
      image.setDotsPerMeterY(static_cast<int>(options.dpi / 0.0254 + 0.5));
      {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.scale(pixels.width() / static_cast<double>(std::max(1, logical.width())),
                      pixels.height() / static_cast<double>(std::max(1, logical.height())));
        paint_widget(widget, painter);
      }
      if (!image.save(tmp, "PNG")) throw gc::Error("cannot write PNG").file(path.toStdString());
    } else {
      throw gc::InputError("unknown figure format '." + suffix.toStdString() + "' (use .svg, .pdf or .png)")
          .file(path.toStdString());
    }
  });
}

} // namespace gc::ui
