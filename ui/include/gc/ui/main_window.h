#pragma once
// The application's main window: menus, a toolbar with the locus box, the genome browser, Hi-C
// map, 3D chromatin, regulatory network and what-if views as tabs (linked by locus), the Data panel over the
// Workspace, a log dock, and a status bar whose progress bar and cancel button follow the TaskRunner.
#include "gc/session/session.h"
#include "gc/ui/common/figure_export.h"

#include <QJsonObject>
#include <QMainWindow>
#include <QStringList>

#include <map>

class QLabel;
class QProgressBar;
class QToolButton;
class QTabWidget;
class QTreeView;
class QMenu;

namespace gc::ui {

class ChromatinView;
class DatasetModel;
class FigureView;
class GenomeBrowser;
class GraphView;
class HicMapView;
class LogDock;
class TaskRunner;
class Workspace;
class WhatifView;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  [[nodiscard]] TaskRunner* tasks() const { return m_tasks; }
  [[nodiscard]] Workspace* workspace() const { return m_workspace; }
  [[nodiscard]] GenomeBrowser* browser() const { return m_browser; }
  [[nodiscard]] HicMapView* hic_view() const { return m_hic; }
  [[nodiscard]] ChromatinView* chromatin_view() const { return m_chromatin; }
  [[nodiscard]] GraphView* graph_view() const { return m_graph; }
  [[nodiscard]] WhatifView* whatif_view() const { return m_whatif; }
  [[nodiscard]] LogDock* log_dock() const { return m_log; }
  // The Data panel: a view over the DatasetModel (one row per dataset, warnings beneath).
  [[nodiscard]] QTreeView* data_panel() const { return m_data; }
  [[nodiscard]] DatasetModel* data_model() const { return m_data_model; }
  [[nodiscard]] QProgressBar* progress_bar() const { return m_progress; }
  [[nodiscard]] QToolButton* cancel_button() const { return m_cancel; }
  [[nodiscard]] QStringList recent_files() const;

  // Loads files in workers (progress and cancel in the status bar); each appears in the Data
  // panel with its summary. Unreadable paths and failed loads get a non-modal error.
  void open_files(const QStringList& paths);
  // Saves files (relative to the session's folder), loci, view settings and layout as JSON,
  // atomically, on a worker; session_saved or (after a non-modal error) session_failed follows.
  void save_session(const QString& path);
  // Restores a saved session (versions 1 to 3, through gc::session), read on a worker: missing
  // files are reported, the rest restored; view settings are applied once the files have
  // loaded; session_restored follows. A session that cannot be read is a non-modal error and
  // session_failed, never a silent fallback.
  void restore_session(const QString& path);
  // The demo world from gc::simulate in the cache folder (generated in a worker when missing),
  // opened at a gene with a planted enhancer loop.
  void open_demo_world();

  // Views by FigureView::view_name ("browser", "hic", "3d", "graph", "whatif").
  [[nodiscard]] QStringList view_names() const;
  [[nodiscard]] FigureView* figure_view(const QString& name) const;
  [[nodiscard]] QString current_view_name() const;
  void show_view(const QString& name);
  // Exports a view (the current one when `name` is empty) through its render_figure; throws gc::Error.
  void export_view(const QString& path, const FigureOptions& options = {}, const QString& name = {});
  // Exports the current view, reporting errors non-modally.
  void export_current_view(const QString& path, int dpi = 300);
  // True while files load, tasks run or views are still fetching data.
  [[nodiscard]] bool busy() const;

public Q_SLOTS:
  void show_about();
  // Help ▸ Plugins: loaded plugins, what they add, and refused ones with the reason (non-modal).
  void show_plugins();
  void show_export_dialog();

Q_SIGNALS:
  // A non-modal error was shown (tests and the CLI listen).
  void error_shown(const QString& message);
  void session_saved(const QString& path);
  void session_restored(const QString& path);
  void session_failed(const QString& path, const QString& message);

private:
  void build_menus();
  void build_toolbar();
  void build_docks();
  void build_status_bar();
  void link_views();
  void rebuild_recent_menu();
  void add_to_recent(const QStringList& paths);
  void on_dataset_added(int index);
  void rebuild_data_panel();
  void apply_pending_states();
  void apply_session(const QString& path, const gc::session::Loaded& loaded);
  void show_error(const QString& message);
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

  TaskRunner* m_tasks;
  Workspace* m_workspace;
  QTabWidget* m_tabs = nullptr;
  GenomeBrowser* m_browser = nullptr;
  HicMapView* m_hic = nullptr;
  ChromatinView* m_chromatin = nullptr;
  GraphView* m_graph = nullptr;
  WhatifView* m_whatif = nullptr;
  LogDock* m_log = nullptr;
  DatasetModel* m_data_model = nullptr;
  QTreeView* m_data = nullptr;
  QMenu* m_recent_menu = nullptr;
  QMenu* m_view_menu = nullptr;
  QLabel* m_status = nullptr;
  QLabel* m_hover = nullptr;
  QProgressBar* m_progress = nullptr;
  QToolButton* m_cancel = nullptr;
  gc::session::Session m_session;                  // the last one read or written
  std::map<QString, QJsonObject> m_pending_states; // view name -> state, applied after loading
  bool m_syncing = false;                          // a locus change forwarded between views (avoids echoes)
  bool m_hic_opening = false;                      // between HicMapView::open and map_loaded / error_occurred
};

} // namespace gc::ui
