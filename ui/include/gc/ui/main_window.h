#pragma once
// The application's main window: menus, dock layout, a status bar whose progress bar and cancel
// button follow the TaskRunner, a Data panel, a log dock and the central views.
#include <QMainWindow>
#include <QStringList>

class QLabel;
class QProgressBar;
class QToolButton;
class QTabWidget;
class QTreeWidget;
class QMenu;

namespace gc::ui {

class LogDock;
class TaskRunner;
class VtkView;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  [[nodiscard]] TaskRunner* tasks() const { return m_tasks; }
  [[nodiscard]] VtkView* chromatin_view() const { return m_vtk; }
  [[nodiscard]] LogDock* log_dock() const { return m_log; }
  [[nodiscard]] QTreeWidget* data_panel() const { return m_data; }
  [[nodiscard]] QProgressBar* progress_bar() const { return m_progress; }
  [[nodiscard]] QToolButton* cancel_button() const { return m_cancel; }
  [[nodiscard]] QStringList recent_files() const;

  // Adds files to the Data panel and the recent list; unreadable paths get a non-modal error.
  void open_files(const QStringList& paths);
  // Saves the open files (paths relative to the session's folder) and the layout as JSON, atomically.
  void save_session(const QString& path);
  // Restores a saved session: files missing on disk are reported and the rest restored.
  void restore_session(const QString& path);
  // Exports the current central view; format from the extension.
  void export_current_view(const QString& path, int dpi = 300);

public Q_SLOTS:
  void show_about();

private:
  void build_menus();
  void build_docks();
  void build_status_bar();
  void rebuild_recent_menu();
  void show_error(const QString& message);
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

  TaskRunner* m_tasks;
  QTabWidget* m_tabs = nullptr;
  VtkView* m_vtk = nullptr;
  LogDock* m_log = nullptr;
  QTreeWidget* m_data = nullptr;
  QMenu* m_recent_menu = nullptr;
  QMenu* m_view_menu = nullptr;
  QLabel* m_status = nullptr;
  QProgressBar* m_progress = nullptr;
  QToolButton* m_cancel = nullptr;
};

} // namespace gc::ui
