// GUI smoke tests under Xvfb: the main window, the VTK bridge, About, progress/cancel in the
// status bar, non-modal errors, sessions, figure export and the --screenshot option.
#include "gc/plugins/host.h"
#include "gc/ui/about.h"
#include "gc/ui/common/figure_export.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/log_dock.h"
#include "gc/ui/main_window.h"
#include "gc/ui/plugins_dialog.h"
#include "gc/ui/task_runner.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/json.h"
#include "gc/util/log.h"

#include "gc_qtest_main.h"
#include "gc_session_wait.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>

#include <cmath>
#include <thread>

namespace {

// Fraction of pixels that differ clearly from `background`.
double fraction_not(const QImage& img, QColor background) {
  qint64 differ = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      if (std::abs(c.red() - background.red()) + std::abs(c.green() - background.green()) +
              std::abs(c.blue() - background.blue()) >
          30)
        ++differ;
    }
  return static_cast<double>(differ) / std::max<qint64>(1, qint64(img.width()) * img.height());
}

QStringList action_texts(QMenu* menu) {
  QStringList texts;
  for (auto* a : menu->actions())
    if (!a->isSeparator()) texts << a->text().remove('&');
  return texts;
}

} // namespace

class TestGui : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void main_window_shows_menus_and_docks();
  void vtk_view_renders_a_scene();
  void about_lists_library_versions();
  void plugins_dialog_lists_loaded_and_refused();
  void status_bar_follows_progress_and_cancels();
  void failed_task_shows_non_modal_error();
  void session_round_trip_reports_missing_files();
  void figure_export_writes_valid_files();
  void screenshot_option_writes_non_blank_png();
  void session_option_reaches_us_on_xcb();

private:
  QTemporaryDir m_dir;
};

void TestGui::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QVERIFY(m_dir.isValid());
}

void TestGui::main_window_shows_menus_and_docks() {
  gc::ui::MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QCOMPARE(w.windowTitle(), QString("GenoCircuit Studio"));
  QStringList menus;
  for (auto* a : w.menuBar()->actions())
    menus << a->text().remove('&');
  QCOMPARE(menus, (QStringList{"File", "View", "Help"}));
  auto* file = w.menuBar()->actions().at(0)->menu();
  QCOMPARE(action_texts(file),
           (QStringList{"Open…", "Open Recent", "Save Session…", "Export Figure…", "Quit"}));
  auto* view = w.menuBar()->actions().at(1)->menu();
  QVERIFY(action_texts(view).contains("Data"));
  QVERIFY(action_texts(view).contains("Log"));
  QVERIFY(w.log_dock()->isVisible());
  QVERIFY(w.data_panel()->isVisible());
  // The log dock shows core log messages written from another thread.
  std::thread([] { gc::log::info("message from a worker thread"); }).join();
  QTRY_VERIFY(w.log_dock()->text().contains("message from a worker thread"));
}

void TestGui::vtk_view_renders_a_scene() {
  gc::ui::VtkView view;
  view.resize(320, 240);
  std::vector<std::array<double, 3>> pts;
  std::vector<double> scalars;
  for (int i = 0; i < 200; ++i) {
    const double t = i * 0.1;
    pts.push_back({std::cos(t), std::sin(t), 0.05 * t});
    scalars.push_back(t);
  }
  view.set_tube(pts, scalars, 50, 80);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QImage frame;
  QTRY_VERIFY_WITH_TIMEOUT((frame = view.grabFramebuffer(), fraction_not(frame, Qt::white) > 0.02), 5000);
  // The selected locus is drawn in red.
  bool red = false;
  for (int y = 0; y < frame.height() && !red; ++y)
    for (int x = 0; x < frame.width() && !red; ++x) {
      const QColor c = frame.pixelColor(x, y);
      red = c.red() > 150 && c.green() < 90 && c.blue() < 90;
    }
  QVERIFY(red);
  // Interaction is forwarded to VTK: a drag rotates the camera, so the picture changes.
  QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(160, 120));
  QTest::mouseMove(&view, QPoint(220, 150));
  QMouseEvent move(QEvent::MouseMove, QPointF(220, 150), QPointF(220, 150), Qt::NoButton, Qt::LeftButton,
                   Qt::NoModifier);
  QCoreApplication::sendEvent(&view, &move);
  QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(220, 150));
  QImage rotated;
  QTRY_VERIFY_WITH_TIMEOUT((rotated = view.grabFramebuffer(), rotated != frame), 5000);
  // Clearing leaves only the background.
  view.set_tube({}, {});
  QTRY_VERIFY_WITH_TIMEOUT(fraction_not(view.grabFramebuffer(), Qt::white) < 0.001, 5000);
}

void TestGui::plugins_dialog_lists_loaded_and_refused() {
  auto& host = gc::plugins::Host::global();
  host.load({{std::filesystem::path(GC_PLUGIN_DIR), "install"}});
  const QString bad_dir = m_dir.path() + "/bad-plugins";
  QVERIFY(QDir().mkpath(bad_dir));
  QFile bad(bad_dir + "/broken.so");
  QVERIFY(bad.open(QIODevice::WriteOnly));
  bad.write("not a shared library");
  bad.close();
  host.load({{bad_dir.toStdString(), "user"}});
  gc::ui::MainWindow w;
  w.show_plugins();
  auto* dialog = w.findChild<gc::ui::PluginsDialog*>("PluginsDialog");
  QVERIFY(dialog != nullptr);
  QVERIFY(!dialog->isModal());
  const auto* tree = dialog->tree();
  QStringList rows;
  for (int i = 0; i < tree->topLevelItemCount(); ++i)
    rows << tree->topLevelItem(i)->text(0) + " | " + tree->topLevelItem(i)->text(2);
  QVERIFY2(rows.contains("pairs-importer | importer pairs"), qPrintable(rows.join("\n")));
  QVERIFY2(rows.filter(QRegularExpression("^broken\\.so \\| refused: cannot load the plugin")).size() == 1,
           qPrintable(rows.join("\n")));
}

void TestGui::about_lists_library_versions() {
  gc::ui::AboutDialog about;
  const QString text = about.text();
  QVERIFY2(text.contains("Qt: " + QString(qVersion())), qPrintable(text));
  QVERIFY2(text.contains(QRegularExpression("VTK: 9\\.\\d+")), qPrintable(text));
  QVERIFY2(text.contains(QRegularExpression("HDF5: 1\\.\\d+\\.\\d+")), qPrintable(text));
  QVERIFY2(text.contains(QRegularExpression("htslib: \\d+\\.\\d+")), qPrintable(text));
  QVERIFY2(text.contains(QRegularExpression("LibTorch: \\d+\\.\\d+\\.\\d+")), qPrintable(text));
  QVERIFY2(text.contains(QRegularExpression("CUDA: (not )?available")), qPrintable(text));
  gc::ui::MainWindow w;
  w.show();
  w.show_about();
  auto* dialog = w.findChild<gc::ui::AboutDialog*>("AboutDialog");
  QVERIFY(dialog);
  QVERIFY(dialog->isVisible());
  QVERIFY(!dialog->isModal());
}

void TestGui::status_bar_follows_progress_and_cancels() {
  gc::ui::MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QSignalSpy finished(w.tasks(), &gc::ui::TaskRunner::finished);
  std::atomic<bool> reached_half{false};
  w.tasks()->run("Long job", [&](const gc::Progress& p) {
    for (int i = 0; i <= 1000000; ++i) {
      p.update(std::min(0.5, i / 100.0));
      if (i >= 50) reached_half = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  QTRY_VERIFY(w.progress_bar()->isVisible());
  QVERIFY(w.cancel_button()->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(w.progress_bar()->value() >= 490, 10000);
  QTest::mouseClick(w.cancel_button(), Qt::LeftButton);
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
  QCOMPARE(finished.at(0).at(1).value<gc::ui::TaskOutcome>(), gc::ui::TaskOutcome::cancelled);
  QVERIFY(finished.at(0).at(2).toString().isEmpty());
  QTRY_VERIFY(!w.progress_bar()->isVisible());
  QVERIFY(reached_half);

  // A finished task applies its result on the GUI thread.
  bool applied_on_gui_thread = false;
  w.tasks()->run(
      "Short job", [](const gc::Progress& p) { p.update(1.0); },
      [&] { applied_on_gui_thread = QThread::currentThread() == qApp->thread(); });
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
  QVERIFY(applied_on_gui_thread);
  QCOMPARE(finished.at(1).at(1).value<gc::ui::TaskOutcome>(), gc::ui::TaskOutcome::succeeded);
}

void TestGui::failed_task_shows_non_modal_error() {
  gc::ui::MainWindow w;
  w.show();
  QSignalSpy finished(w.tasks(), &gc::ui::TaskRunner::finished);
  w.tasks()->run("Load", [](const gc::Progress&) {
    throw gc::InputError("expected 9 columns, found 7").file("genes.gtf").record("line 12");
  });
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
  QCOMPARE(finished.at(0).at(2).toString(), QString("genes.gtf: line 12: expected 9 columns, found 7"));
  QMessageBox* box = nullptr;
  QTRY_VERIFY((box = w.findChild<QMessageBox*>("ErrorMessage")) != nullptr);
  QVERIFY(!box->isModal());
  QVERIFY(box->text().contains("genes.gtf: line 12"));
  // The window still works: opening a missing file is another non-modal error (found by the
  // worker, which names the file), not a crash, and it does not become a recent file.
  QSignalSpy shown(&w, &gc::ui::MainWindow::error_shown);
  w.open_files({m_dir.path() + "/does-not-exist.fa"});
  QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
  QVERIFY2(shown.at(0).at(0).toString().contains("does-not-exist.fa: no such file"),
           qPrintable(shown.at(0).at(0).toString()));
  QCOMPARE(w.data_panel()->model()->rowCount(), 0);
  QVERIFY(!w.recent_files().contains(m_dir.path() + "/does-not-exist.fa"));
}

void TestGui::session_round_trip_reports_missing_files() {
  const QString a = m_dir.path() + "/genome.fa", b = m_dir.path() + "/data/genes.gtf";
  QDir(m_dir.path()).mkpath("data");
  const std::pair<QString, QByteArray> files[] = {
      {a, ">chrI\nACGT\n"}, {b, "chrI\tt\tgene\t1\t3\t.\t+\t.\tgene_id \"G1\"; gene_name \"G1\";\n"}};
  for (const auto& [p, text] : files) {
    QFile f(p);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
  }
  const QString session = m_dir.path() + "/s.gcsession.json";
  {
    gc::ui::MainWindow w;
    w.open_files({a, b});
    // Files load in workers; the Data panel lists them once read.
    QTRY_COMPARE_WITH_TIMEOUT(w.data_panel()->model()->rowCount(), 2, 10000);
    // Files that opened are recent files (in the order they finished loading).
    QVERIFY(w.recent_files().contains(QFileInfo(a).absoluteFilePath()));
    QVERIFY(w.recent_files().contains(QFileInfo(b).absoluteFilePath()));
    QVERIFY(gc::test::finish_session(w, [&] { w.save_session(session); }));
  }
  const auto json = gc::Json::parse(gc::read_text_file(session.toStdString()));
  QCOMPARE(json.at("files").at(0).as_string(), std::string("genome.fa"));
  QCOMPARE(json.at("files").at(1).as_string(), std::string("data/genes.gtf"));
  QVERIFY(QFile::remove(a));
  gc::ui::MainWindow restored;
  QVERIFY(gc::test::finish_session(restored, [&] { restored.restore_session(session); }));
  QTRY_COMPARE_WITH_TIMEOUT(restored.data_panel()->model()->rowCount(), 1, 10000);
  QCOMPARE(restored.data_panel()->model()->index(0, 0).data().toString(), QString("genes.gtf"));
  auto* box = restored.findChild<QMessageBox*>("ErrorMessage");
  QVERIFY(box);
  QVERIFY(box->text().contains("genome.fa"));
}

void TestGui::figure_export_writes_valid_files() {
  QWidget panel;
  panel.resize(400, 200);
  auto* label = new QLabel("Figure text stays text", &panel);
  label->move(20, 20);
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  const QString png = m_dir.path() + "/fig.png", svg = m_dir.path() + "/fig.svg",
                pdf = m_dir.path() + "/fig.pdf";
  gc::ui::export_widget_figure(&panel, png, {.dpi = 300, .width_mm = 85.0});
  QImage img(png);
  QCOMPARE(img.width(), 1004); // 85 mm at 300 DPI
  QCOMPARE(img.height(), 502);
  QCOMPARE(qRound(img.dotsPerMeterX() * 0.0254), 300);
  gc::ui::export_widget_figure(&panel, svg);
  QFile s(svg);
  QVERIFY(s.open(QIODevice::ReadOnly));
  const QByteArray svg_text = s.readAll();
  QVERIFY(svg_text.contains("<svg"));
  QVERIFY(svg_text.contains("</svg>"));
  QVERIFY(svg_text.contains("Figure text stays text")); // vector text, not pixels
  gc::ui::export_widget_figure(&panel, pdf, {.dpi = 300, .width_mm = 85.0});
  QFile p(pdf);
  QVERIFY(p.open(QIODevice::ReadOnly));
  const QByteArray pdf_bytes = p.readAll();
  QVERIFY(pdf_bytes.startsWith("%PDF-"));
  QVERIFY(pdf_bytes.trimmed().endsWith("%%EOF"));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, gc::ui::export_widget_figure(&panel, m_dir.path() + "/fig.bmpx"));
  QVERIFY(!QFile::exists(m_dir.path() + "/fig.bmpx"));
}

void TestGui::screenshot_option_writes_non_blank_png() {
  const QString out = m_dir.path() + "/shot.png";
  QProcess app;
  // Without files the application generates the demo world into the cache: keep it in the
  // test's folder.
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("XDG_CACHE_HOME", m_dir.path() + "/cache");
  app.setProcessEnvironment(env);
  app.start(GC_GUI_PATH, {"--screenshot", out, "--quit-after", "1500"});
  QVERIFY(app.waitForFinished(60000));
  QCOMPARE(app.exitCode(), 0);
  const QImage img(out);
  QVERIFY(!img.isNull());
  QVERIFY(img.width() >= 800);
  const QColor corner = img.pixelColor(img.width() / 2, img.height() / 2);
  QVERIFY(fraction_not(img, corner) > 0.01); // not one flat colour
}

void TestGui::session_option_reaches_us_on_xcb() {
  // Qt's xcb platform takes -session/--session for X11 session management; ours must still
  // arrive, in every spelling and as a file argument (how a double-clicked session arrives), and a
  // session that cannot be read must say so (exit 2, message on stderr), not open the demo world.
  if (qEnvironmentVariableIsEmpty("DISPLAY"))
    QSKIP("needs an X display (the test command runs under xvfb-run)");
  const QString missing = m_dir.path() + "/missing.gcsession.json";
  const QString good = m_dir.path() + "/good.gcsession.json";
  QFile f(good);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(R"({"format": "genocircuit-session", "version": 3, "files": [], "current_view": "hic"})");
  f.close();
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "xcb");
  env.insert("XDG_CACHE_HOME", m_dir.path() + "/cache-session");
  for (const QStringList& args : {QStringList{"--session", missing}, QStringList{"-session", missing},
                                  QStringList{"--session=" + missing}, QStringList{missing}}) {
    QProcess app;
    app.setProcessEnvironment(env);
    app.start(GC_GUI_PATH, args + QStringList{"--quit-after", "1500"});
    QVERIFY(app.waitForFinished(60000));
    const QString err = QString::fromLocal8Bit(app.readAllStandardError());
    QVERIFY2(app.exitCode() == 2, qPrintable(args.join(' ') + " exited " + QString::number(app.exitCode())));
    QVERIFY2(err.contains("missing.gcsession.json: no such session file"), qPrintable(err));
  }
  // A readable session opens: exit 0, no error, and the demo world is not generated.
  QProcess app;
  app.setProcessEnvironment(env);
  app.start(GC_GUI_PATH, {"--session", good, "--quit-after", "1500"});
  QVERIFY(app.waitForFinished(60000));
  QCOMPARE(app.exitCode(), 0);
  QVERIFY(!QFileInfo::exists(m_dir.path() + "/cache-session/genocircuit/demo-world"));
}

int main(int argc, char** argv) {
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestGui t;
  return gc::test::qexec(&t, argc, argv);
}
#include "test_gui.moc"
