// `export-figure --session S --view NAME --out F`: the figure of one view of a saved session,
// made headless: the session is read by gc::session, its files opened as the GUI opens them, and
// the view drawn from its saved state through the same renderers as the screen — no MainWindow,
// no widget, only a QGuiApplication (a QApplication for the what-if view, whose charts are Qt
// Charts). Without --view, every figure the session specifies.
#include "cli.h"

#include "gc/plugins/host.h"
#include "gc/session/session.h"
#include "gc/ui/common/headless_figure.h"
#include "gc/ui/json_bridge.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QApplication>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>

#include <algorithm>
#include <memory>

namespace gc::cli {
namespace {

bool has_display() {
  return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

Json describe_output(const QString& out, const std::string& view, int dpi) {
  Json r = Json::object();
  r["view"] = view;
  r["out"] = QFileInfo(out).absoluteFilePath().toStdString();
  if (QFileInfo(out).suffix().toLower() == "png") {
    const QImage image(out);
    r["width_px"] = image.width();
    r["height_px"] = image.height();
  }
  r["dpi"] = dpi;
  return r;
}

Json run_export_figure(Args& args) {
  const auto session_path = args.option("--session");
  const auto view = args.option("--view");
  const auto out = args.option("--out");
  const auto dpi = args.int_option_or("--dpi", 300);
  const double width_mm = args.double_option_or("--width-mm", 0.0);
  const double height_mm = args.double_option_or("--height-mm", 0.0);
  args.finish();
  if (!session_path) throw InputError("export-figure needs --session FILE (and --view NAME --out FILE)");
  if (view.has_value() != out.has_value())
    throw InputError(
        "give --view and --out together, or neither to export every figure the session specifies");
  if (dpi <= 0 || dpi > 10000) throw InputError("--dpi must be between 1 and 10000");
  if (width_mm < 0 || height_mm < 0) throw InputError("--width-mm and --height-mm must be positive");

  const auto loaded = session::read(*session_path);
  // What to draw: the view asked for, or the session's figure specs.
  std::vector<session::FigureSpec> figures;
  if (view) {
    figures.push_back({*view, *out, static_cast<int>(dpi), width_mm, height_mm});
  } else {
    if (loaded.session.figures.empty())
      throw InputError("the session specifies no figures: give --view NAME --out FILE").file(*session_path);
    for (auto spec : loaded.session.figures) {
      // Relative outputs are relative to the session's folder, like its data files.
      if (!std::filesystem::path(spec.out).is_absolute())
        spec.out = (loaded.path.parent_path() / spec.out).string();
      figures.push_back(std::move(spec));
    }
  }
  const QStringList known = ui::headless_views();
  for (const auto& f : figures) {
    if (!known.contains(QString::fromStdString(f.view)))
      throw InputError("unknown view '" + f.view + "' (views: " + known.join(", ").toStdString() + ")");
    if (f.out.empty())
      throw InputError("a figure of view '" + f.view + "' has no output file").file(*session_path);
    // The 3D view renders through VTK's OpenGL pipeline, which the offscreen platform cannot host.
    if (f.view == "3d" && !has_display())
      throw InputError("view \"3d\" needs a display for its OpenGL rendering: run under xvfb-run, or pick "
                       "\"browser\", \"hic\" or \"graph\"");
  }
  if (!has_display()) qputenv("QT_QPA_PLATFORM", "offscreen");
  static int argc = 1;
  static char name[] = "genocircuit-cli";
  static char* argv[] = {name, nullptr};
  // Only views drawn with Qt Charts need the widgets' application; the others stay GUI-less.
  const bool widgets = std::any_of(figures.begin(), figures.end(), [](const session::FigureSpec& f) {
    return ui::headless_view_needs_widgets(QString::fromStdString(f.view));
  });
  std::unique_ptr<QGuiApplication> app;
  if (widgets)
    app = std::make_unique<QApplication>(argc, argv);
  else
    app = std::make_unique<QGuiApplication>(argc, argv);

  std::vector<std::string> warnings;
  for (const auto& m : loaded.missing)
    warnings.push_back("the session names a file that no longer exists: " + m.string());
  auto& host = plugins::Host::global();
  host.load_default(); // a session may hold files that a plugin opens (.pairs)
  QStringList files;
  for (const auto& f : loaded.session.files)
    files << QString::fromStdString(f.string());
  ui::HeadlessData data;
  try {
    data = ui::load_headless_data(files);
  } catch (Error& e) {
    e.context("opening the files of session " + loaded.path.string());
    throw;
  }
  Json results = Json::array();
  for (const auto& f : figures) {
    const Json* state = loaded.session.view_state(f.view);
    const QString path = QString::fromStdString(f.out);
    ui::render_headless_figure(QString::fromStdString(f.view), state ? ui::to_qjson(*state) : QJsonObject(),
                               data, path, {.dpi = f.dpi, .width_mm = f.width_mm, .height_mm = f.height_mm});
    results.push_back(describe_output(path, f.view, f.dpi));
  }
  for (const auto& w : warnings)
    log::warning(w);
  Json result = Json::object();
  result["format"] = "figure";
  result["session"] = loaded.path.string();
  if (results.size() == 1) {
    for (const auto& [k, v] : results.at(0).as_object())
      result[k] = v;
  }
  result["figures"] = std::move(results);
  result["warnings"] = Json::array_of(warnings);
  return result;
}

const Registration export_figure_command{
    {"export-figure",
     "export-figure --session FILE [--view browser|hic|3d|graph|whatif --out F.svg|F.pdf|F.png] [--dpi N] "
     "[--width-mm W] [--height-mm H]",
     "Render a view of a saved session as a figure, headless, through the views' own renderers; without "
     "--view, every figure the session specifies",
     run_export_figure}};

} // namespace
} // namespace gc::cli
