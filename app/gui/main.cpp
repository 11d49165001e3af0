// genocircuit: the desktop application.
//   genocircuit [--session FILE] [FILES...] [--screenshot OUT.png] [--quit-after MS]
//               [--view NAME] [--locus TEXT] [--bench-open-session FILE]
// Without files or a session it opens the demo world (the installed copy, or one generated into
// the cache on first use). A *.gcsession.json among FILES opens as the session.
// Qt's xcb platform takes "-session"/"--session" for X11 session management, so our option is
// renamed before Qt sees the command line and restored for our parser.
#include "gc/plugins/host.h"
#include "gc/session/session.h"
#include "gc/ui/browser/genome_browser.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/main_window.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/workspace.h"
#include "gc/util/json.h"
#include "gc/util/timing.h"
#include "gc/util/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QIcon>
#include <QSurfaceFormat>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Times restoring a session until every file is loaded and the views are idle, against the
// same files read one after another by the core readers alone (DESIGN §8 shape).
int bench_open_session(gc::ui::MainWindow& window, const QString& session) {
  QStringList files;
  try {
    for (const auto& f : gc::session::read(session.toStdString()).session.files)
      files << QString::fromStdString(f.string());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "genocircuit: %s\n", e.what());
    return 2;
  }

  // The GUI run first: indexes and caches it builds (.fai, binned pairs, the page cache) then
  // favour the baseline, not the measured run.
  QElapsedTimer clock;
  clock.start();
  bool failed = false;
  QObject::connect(&window, &gc::ui::MainWindow::session_failed, &window, [&failed] { failed = true; });
  window.restore_session(session);
  while (window.busy() || window.workspace()->loading() > 0)
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  if (failed) return 2;
  const double seconds = clock.nsecsElapsed() / 1e9;
  gc::Stopwatch baseline_clock;
  for (const auto& file : files)
    (void)gc::ui::load_dataset(file, gc::Progress());
  const double baseline = baseline_clock.seconds();

  gc::Json result = gc::Json::object();
  result["name"] = "open_session";
  result["backend"] = "gui";
  result["device"] = "cpu";
  result["dtype"] = "n/a";
  gc::Json params = gc::Json::object();
  params["files"] = static_cast<std::int64_t>(files.size());
  params["session"] = QFileInfo(session).fileName().toStdString();
  result["params"] = std::move(params);
  result["seconds"] = seconds;
  result["peak_bytes"] = static_cast<std::int64_t>(gc::peak_rss_bytes());
  gc::Json base_obj = gc::Json::object();
  base_obj["name"] = "core_readers_sequential";
  base_obj["seconds"] = baseline;
  base_obj["peak_bytes"] = nullptr;
  result["baseline"] = std::move(base_obj);
  result["speedup"] = baseline / std::max(1e-9, seconds);
  result["memory_ratio"] = nullptr;
  result["note"] =
      "target: open the demo session in <= 3 s; the GUI time includes Hi-C tiles of the first view";
  gc::Json machine = gc::Json::object();
  machine["cpu"] = gc::cpu_model_name();
  machine["threads"] = static_cast<std::int64_t>(QThread::idealThreadCount());
  machine["gpu"] = nullptr;
  gc::Json report = gc::Json::object();
  report["suite"] = "views";
  report["machine"] = std::move(machine);
  gc::Json results = gc::Json::array();
  results.push_back(std::move(result));
  report["results"] = std::move(results);
  std::cout << report.dump(2) << std::endl;
  return 0;
}

// Our option name as Qt never sees it.
constexpr const char* private_session = "--gc-session";

// argv with "-session X", "--session X" and "--session=X" renamed to private_session, so that
// no platform plugin takes them. The strings live as long as the returned vector.
std::vector<std::string> shield_our_options(int argc, char** argv) {
  std::vector<std::string> out(argv, argv + argc);
  for (auto& a : out) {
    if (a == "-session" || a == "--session")
      a = private_session;
    else if (a.starts_with("-session=") || a.starts_with("--session="))
      a = std::string(private_session) + a.substr(a.find('='));
  }
  return out;
}

} // namespace

int main(int argc, char** argv) {
  // VTK needs a core-profile context; it must be the default before any widget exists.
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  std::vector<std::string> shielded = shield_our_options(argc, argv);
  std::vector<char*> qt_argv;
  for (auto& a : shielded)
    qt_argv.push_back(a.data());
  qt_argv.push_back(nullptr);
  int qt_argc = argc;
  QApplication app(qt_argc, qt_argv.data());
  QApplication::setApplicationName("GenoCircuit Studio");
  QApplication::setOrganizationName("GenoCircuit");
  QApplication::setApplicationVersion(gc::version_string);
  // The installed desktop entry and icon (installers/): the window is matched to the entry and
  // shows its icon (a build tree has no icon theme entry and keeps Qt's default).
  QGuiApplication::setDesktopFileName("genocircuit");
  QApplication::setWindowIcon(QIcon::fromTheme("genocircuit"));

  QCommandLineParser parser;
  parser.setApplicationDescription("GenoCircuit Studio: see gene regulation and ask what a knockout does.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption session_opt(QStringList{"gc-session", "session"}, "Open a saved session.", "FILE");
  const QCommandLineOption shot_opt(
      "screenshot", "Write a screenshot of the main window to OUT.png once loading has finished.", "OUT.png");
  const QCommandLineOption quit_opt("quit-after",
                                    "Quit after MS milliseconds at the latest (after the screenshot).", "MS");
  const QCommandLineOption view_opt("view", "Show this view first: browser, hic, 3d, graph or whatif.",
                                    "NAME");
  const QCommandLineOption locus_opt("locus", "Go to a region or gene once the files have loaded.", "TEXT");
  const QCommandLineOption bench_opt(
      "bench-open-session", "Print the time to open a session as benchmark JSON, then quit.", "FILE");
  parser.addOptions({session_opt, shot_opt, quit_opt, view_opt, locus_opt, bench_opt});
  parser.addPositionalArgument("files", "Data files to open.", "[FILES...]");
  parser.process(app);

  // Model work in the GUI runs on every core (Debian's LibTorch starts with one thread).
  gc::ui::configure_model_threads();
  // Plugins add importers (the .pairs importer) before any file is opened.
  auto& plugins = gc::plugins::Host::global();
  plugins.load_default();
  for (const auto& p : plugins.problems())
    std::fprintf(stderr, "genocircuit: plugin %s skipped: %s\n", p.file.c_str(), p.message.c_str());

  gc::ui::MainWindow window;
  window.show();
  if (parser.isSet(bench_opt)) return bench_open_session(window, parser.value(bench_opt));

  // A session among the files (a double-clicked *.gcsession.json: the desktop entry passes files
  // as arguments) opens as a session, like one given with --session.
  QStringList files;
  QString session = parser.value(session_opt);
  bool have_session = parser.isSet(session_opt);
  for (const auto& f : parser.positionalArguments()) {
    if (!f.endsWith(".gcsession.json")) {
      files << f;
    } else if (!have_session) {
      session = f;
      have_session = true;
    } else {
      std::fprintf(stderr, "genocircuit: one session at a time: %s is not opened (%s is)\n", qPrintable(f),
                   qPrintable(session));
    }
  }
  if (!files.isEmpty()) window.open_files(files);
  // A session that cannot be read is an error the user sees (non-modal, and on stderr), never a
  // silent switch to the demo world.
  bool session_failed = false;
  if (have_session) {
    QObject::connect(&window, &gc::ui::MainWindow::error_shown, &window, [](const QString& message) {
      std::fprintf(stderr, "genocircuit: %s\n", qPrintable(message));
    });
    QObject::connect(&window, &gc::ui::MainWindow::session_failed, &window,
                     [&session_failed] { session_failed = true; });
    window.restore_session(session);
  }
  if (files.isEmpty() && !have_session) window.open_demo_world();
  if (parser.isSet(view_opt)) window.show_view(parser.value(view_opt));
  if (parser.isSet(locus_opt)) {
    const QString locus = parser.value(locus_opt);
    // Once, when the files given with it have loaded (later opens keep their own locus).
    QObject::connect(
        window.workspace(), &gc::ui::Workspace::idle, &window,
        [&window, locus] { window.browser()->go_to(locus); }, Qt::SingleShotConnection);
  }

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
    bool taken = false;
    const auto grab = [&window, out, &exit_code, &taken] {
      if (taken) return;
      taken = true;
      const QPixmap pixmap = window.grab();
      if (!pixmap.save(out, "PNG")) {
        std::fprintf(stderr, "genocircuit: cannot write screenshot %s\n", qPrintable(out));
        exit_code = 1;
      }
      QApplication::quit();
    };
    // Grab once loading has finished and the views have painted, or at the timeout.
    auto* poll = new QTimer(&window);
    auto idle_polls = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, grab, idle_polls] {
      *idle_polls = window.busy() ? 0 : *idle_polls + 1;
      if (*idle_polls >= 4) grab();
    });
    poll->start(250);
    QTimer::singleShot(quit_after >= 0 ? quit_after : 60000, &window, grab);
  } else if (quit_after >= 0) {
    QTimer::singleShot(quit_after, &app, &QApplication::quit);
  }
  const int rc = app.exec();
  if (exit_code != 0) return exit_code;
  // Scripts (screenshots, --quit-after) learn that the session did not open.
  return session_failed ? 2 : rc;
}
