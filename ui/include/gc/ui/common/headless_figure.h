#pragma once
// A view's figure from its saved state with no MainWindow and no widget at all, for
// `genocircuit-cli export-figure`: the data is read synchronously (this runs in the CLI, never on
// a GUI thread) and drawn through the same renderers as the screen, to SVG, PDF or PNG as
// export_figure writes them. "browser", "hic" and "graph" need only a QGuiApplication (the
// offscreen platform will do, without any display; "graph" re-makes its network from the
// session's files through the GUI's network job); "3d" renders VTK on an offscreen Qt OpenGL context,
// which needs an X display (Xvfb will do, with QT_QPA_PLATFORM=offscreen or xcb), and throws
// gc::Error saying so without one; "whatif" re-makes its models (the cached ones when they fit)
// and draws Qt Charts, which need a QApplication (see headless_view_needs_widgets).
#include "gc/genome/chrom_aliases.h"
#include "gc/hic/resolutions.h"
#include "gc/ui/common/figure_export.h"
#include "gc/util/progress.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace gc::ui {

struct Dataset;

struct HeadlessData {
  // browser and graph: the datasets, reconciled against `reference`, as Workspace::datasets() and
  // Workspace::reference() hold them (load_headless_data makes both).
  std::vector<std::shared_ptr<const Dataset>> datasets;
  std::vector<genome::ChromLength> reference;
  // hic and 3d: the contact file, already open (`hic`) or by URI; both empty: the state's "uri".
  std::shared_ptr<const gc::hic::Resolutions> hic;
  QString hic_uri;
};

// Opens `paths` as the GUI does (load_dataset, then a Workspace's name reconciliation) and takes
// the first contact file for hic and 3d. Throws gc::Error naming the file that failed.
[[nodiscard]] HeadlessData load_headless_data(const QStringList& paths, const gc::Progress& progress = {});

// The views render_headless_figure draws: "browser", "hic", "3d", "graph", "whatif".
[[nodiscard]] QStringList headless_views();
// Whether a view's figure needs a QApplication rather than a QGuiApplication: "whatif", whose
// charts are Qt Charts (graphics items of Qt Widgets).
[[nodiscard]] bool headless_view_needs_widgets(const QString& view);

// Writes the figure of `view` (FigureView::view_name) in the saved `view_state` (the object a
// session stores under "views") to `out_path`; the format follows the extension. Throws
// gc::InputError for an unknown view or a state that names unknown data, gc::Error otherwise.
void render_headless_figure(const QString& view, const QJsonObject& view_state, const HeadlessData& data,
                            const QString& out_path, const FigureOptions& options = {});

} // namespace gc::ui
