// `export-figure --session S --view NAME --out F`: the GUI's figure of one view, made headless
// from a saved session (the same MainWindow, views and render_figure as File ▸ Export Figure…).
#include "cli.h"

#include "gc/ui/main_window.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QSurfaceFormat>

namespace gc::cli {
namespace {

constexpr qint64 load_timeout_ms = 300'000;

Json run_export_figure(Args& args) {
  const auto session = args.option("--session");
  const auto view = args.option("--view");
  const auto out = args.option("--out");
  const auto dpi = args.int_option_or("--dpi", 300);
  const double width_mm = args.double_option_or("--width-mm", 0.0);
  const double height_mm = args.double_option_or("--height-mm", 0.0);
  args.finish();
  if (!session || !view || !out)
    throw InputError("export-figure needs --session FILE --view NAME --out FILE");
  if (dpi <= 0 || dpi > 10000) throw InputError("--dpi must be between 1 and 10000");
  if (width_mm < 0 || height_mm < 0) throw InputError("--width-mm and --height-mm must be positive");
  require_readable_file(*session);
  const bool has_display =
      !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
  if (!has_display) {
    // The 3D view renders through VTK's OpenGL pipeline, which the offscreen platform cannot host.
    if (*view == "3d")
      throw InputError("view \"3d\" needs a display for its OpenGL rendering: run under xvfb-run, or pick "
                       "\"browser\" or \"hic\"");
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  static int argc = 1;
  static char name[] = "genocircuit-cli";
  static char* argv[] = {name, nullptr};
  QApplication app(argc, argv);
  QApplication::setApplicationName("GenoCircuit Studio");
  QApplication::setOrganizationName("GenoCircuit");

  gc::ui::MainWindow window;
  QStringList problems;
  QObject::connect(&window, &gc::ui::MainWindow::error_shown, [&](const QString& m) { problems << m; });
  const QStringList views = window.view_names();
  if (!views.contains(QString::fromStdString(*view)))
    throw InputError("unknown view '" + *view + "' (views: " + views.join(", ").toStdString() + ")");
  window.resize(1600, 1000);
  // The offscreen platform cannot flush a window holding an OpenGL widget (the 3D view), and
  // render_figure does not need one on screen.
  if (has_display) window.show();
  if (!window.restore_session(QString::fromStdString(*session)))
    throw InputError(problems.isEmpty() ? "cannot restore the session" : problems.join("; ").toStdString())
        .file(*session);
  window.show_view(QString::fromStdString(*view));
  // Wait until the files are loaded and the views have their data (several idle polls in a row,
  // since one view's data can start another's work).
  QElapsedTimer clock;
  clock.start();
  int idle = 0;
  while (idle < 5) {
    QApplication::processEvents(QEventLoop::AllEvents, 50);
    idle = window.busy() ? 0 : idle + 1;
    if (clock.elapsed() > load_timeout_ms) throw Error("timed out loading the session's files");
  }
  for (const auto& p : problems)
    log::warning(p.toStdString());
  window.export_view(QString::fromStdString(*out),
                     {.dpi = static_cast<int>(dpi), .width_mm = width_mm, .height_mm = height_mm},
                     QString::fromStdString(*view));
  Json result = Json::object();
  result["format"] = "figure";
  result["view"] = *view;
  result["out"] = QFileInfo(QString::fromStdString(*out)).absoluteFilePath().toStdString();
  if (QFileInfo(QString::fromStdString(*out)).suffix().toLower() == "png") {
    const QImage image(QString::fromStdString(*out));
    result["width_px"] = image.width();
    result["height_px"] = image.height();
  }
  result["dpi"] = dpi;
  result["warnings"] = static_cast<std::int64_t>(problems.size());
  return result;
}

const Registration export_figure_command{
    {"export-figure",
     "export-figure --session FILE --view browser|hic|3d --out F.svg|F.pdf|F.png [--dpi N] [--width-mm W] "
     "[--height-mm H]",
     "Render one view of a saved session as a figure, exactly as File > Export Figure does (headless)",
     run_export_figure}};

} // namespace
} // namespace gc::cli
