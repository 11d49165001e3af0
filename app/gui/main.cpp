// genocircuit: the desktop application.
//   genocircuit [--session FILE] [FILES...] [--screenshot OUT.png] [--quit-after MS]
#include "gc/ui/main_window.h"
#include "gc/ui/vtk_view.h"
#include "gc/util/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QSurfaceFormat>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
  // VTK needs a core-profile context; it must be the default before any widget exists.
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  QApplication::setApplicationName("GenoCircuit Studio");
  QApplication::setOrganizationName("GenoCircuit");
  QApplication::setApplicationVersion(gc::version_string);

  QCommandLineParser parser;
  parser.setApplicationDescription("GenoCircuit Studio: see gene regulation and ask what a knockout does.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption session_opt("session", "Open a saved session.", "FILE");
  const QCommandLineOption shot_opt("screenshot", "Write a screenshot of the main window to OUT.png.",
                                    "OUT.png");
  const QCommandLineOption quit_opt("quit-after", "Quit after MS milliseconds (after the screenshot).", "MS");
  parser.addOptions({session_opt, shot_opt, quit_opt});
  parser.addPositionalArgument("files", "Data files to open.", "[FILES...]");
  parser.process(app);

  gc::ui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) window.open_files(parser.positionalArguments());
  if (parser.isSet(session_opt)) window.restore_session(parser.value(session_opt));

  int quit_after = -1;
  if (parser.isSet(quit_opt)) {
    bool ok = false;
    quit_after = parser.value(quit_opt).toInt(&ok);
    if (!ok || quit_after < 0) {
      std::fprintf(stderr, "genocircuit: --quit-after expects milliseconds, got '%s'\n",
                   qPrintable(parser.value(quit_opt)));
      return 2;
    }
  }
  int exit_code = 0;
  if (parser.isSet(shot_opt)) {
    const QString out = parser.value(shot_opt);
    // Grab once the window has been laid out and painted.
    QTimer::singleShot(quit_after >= 0 ? quit_after : 1000, &window, [&window, out, &exit_code] {
      const QPixmap pixmap = window.grab();
      if (!pixmap.save(out, "PNG")) {
        std::fprintf(stderr, "genocircuit: cannot write screenshot %s\n", qPrintable(out));
        exit_code = 1;
      }
      QApplication::quit();
    });
  } else if (quit_after >= 0) {
    QTimer::singleShot(quit_after, &app, &QApplication::quit);
  }
  const int rc = app.exec();
  return exit_code != 0 ? exit_code : rc;
}
