#pragma once
// The what-if view (DESIGN §1.4): what does knocking a gene out, down or up do? The toolbar picks
// the genes (completed from the model's, several comma-separated), the mode and its strength, the
// cell group and how many responding genes are drawn; the second row the explained target (the
// most changed gene unless one is chosen; clicking a bar or a table row chooses it), the Shapley
// method and the players. The models come from the model job (whatif_job.h) once the view is
// on screen; every prediction and explanation then runs in a TaskRunner task with the view's
// progress bar and Cancel, started (debounced) when a control changes, a newer request
// cancelling the older. Pictures (whatif_charts.h) and a sortable cascade table stay in step;
// selecting a gene moves the genome browser to its locus (double-click also opens it). With no
// genes chosen, the model job's scenario is shown: the screened knockout of a regulator with the
// highest predicted impact, its most changed gene explained.
#include "gc/genome/region.h"
#include "gc/ui/common/figure_view.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/whatif/cascade_table_model.h"
#include "gc/ui/whatif/whatif_job.h"
#include "gc/ui/whatif/whatif_state.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSpinBox;
class QSplitter;
class QStringListModel;
class QTabWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace gc::ui {

class Workspace;

namespace whatif {
class WhatifCharts;
class GeneListEdit;
} // namespace whatif

class WhatifView : public QWidget, public FigureView {
  Q_OBJECT
public:
  // `workspace` provides the datasets and loci, `tasks` runs the jobs; both must outlive the view.
  WhatifView(Workspace* workspace, TaskRunner* tasks, QWidget* parent = nullptr);
  ~WhatifView() override;

  [[nodiscard]] const whatif::WhatifState& state() const noexcept { return m_state; }
  [[nodiscard]] std::shared_ptr<const whatif::WhatifModel> model() const { return m_model; }
  [[nodiscard]] std::shared_ptr<const whatif::Response> response() const { return m_response; }
  [[nodiscard]] std::shared_ptr<const whatif::Explanation> explanation() const { return m_explanation; }
  // The target the shown explanation is of (or is being computed for).
  [[nodiscard]] const std::string& explained_target() const noexcept { return m_target; }
  // A model, prediction or explanation task is running or about to start.
  [[nodiscard]] bool computing() const noexcept;

  // Controls (each re-runs what it changes).
  void set_genes(const QStringList& genes);
  // A factor the mode does not accept becomes the mode's default.
  void set_mode(gc::perturb::Mode mode);
  void set_factor(double factor);
  void set_group(const QString& group);
  // Empty: the most changed gene.
  void set_target(const QString& gene);
  void set_method(whatif::Method method);
  void set_players(whatif::Players players);
  void set_top_n(int n);
  // Cancels the running model, prediction or explanation task (the Cancel button).
  void cancel();
  // Makes the models again (after a cancel, or to re-read the files).
  void recompute();

  // Writes the cascade table (gene, control, predicted, delta, delta_sd, log2fc, step, via) as
  // CSV on a worker; table_exported or error_occurred follows.
  void export_table(const QString& path);

  [[nodiscard]] whatif::WhatifCharts* charts() const noexcept { return m_charts; }
  [[nodiscard]] whatif::CascadeTableModel* table_model() const noexcept { return m_table_model; }
  [[nodiscard]] whatif::CascadeSortProxy* table_proxy() const noexcept { return m_proxy; }
  [[nodiscard]] QTableView* table() const noexcept { return m_table; }
  [[nodiscard]] QTabWidget* side_tabs() const noexcept { return m_side_tabs; }
  [[nodiscard]] QLineEdit* genes_edit() const noexcept;
  [[nodiscard]] QLineEdit* target_edit() const noexcept { return m_target_edit; }
  [[nodiscard]] QComboBox* mode_box() const noexcept { return m_mode_box; }
  [[nodiscard]] QDoubleSpinBox* factor_box() const noexcept { return m_factor_box; }
  [[nodiscard]] QComboBox* group_box() const noexcept { return m_group_box; }
  [[nodiscard]] QSpinBox* top_box() const noexcept { return m_top_box; }
  [[nodiscard]] QComboBox* method_box() const noexcept { return m_method_box; }
  [[nodiscard]] QComboBox* players_box() const noexcept { return m_players_box; }
  [[nodiscard]] QToolButton* cancel_button() const noexcept { return m_cancel; }
  [[nodiscard]] QProgressBar* progress_bar() const noexcept { return m_progress; }
  [[nodiscard]] QString status_text() const;
  // What the pictures say instead of data (why there is none).
  [[nodiscard]] const QString& message() const noexcept { return m_message; }

  [[nodiscard]] QString view_name() const override { return "whatif"; }
  void render_figure(QPainter& painter, const QRectF& target) const override;
  [[nodiscard]] QJsonObject save_state() const override;
  void restore_state(const QJsonObject& state) override;
  [[nodiscard]] QSize sizeHint() const override { return {1100, 700}; }

Q_SIGNALS:
  void model_ready();
  void response_ready();
  void explanation_ready();
  // A gene was selected; `open`: also switch to the browser.
  void locus_requested(const gc::genome::Region& locus, bool open);
  void status_message(const QString& message);
  void table_exported(const QString& path);
  void error_occurred(const QString& message);

protected:
  void showEvent(QShowEvent* e) override;

private:
  [[nodiscard]] QWidget* build_toolbar();
  void sync_controls();
  void schedule_refresh();
  void refresh_sources();
  void start_model_job(const whatif::ModelSources& sources);
  void apply_model(std::shared_ptr<const whatif::WhatifModel> model, const QString& key);
  void schedule_prediction();
  void start_prediction();
  void apply_response(whatif::Response response);
  void schedule_explanation();
  void start_explanation();
  void apply_explanation(whatif::Explanation explanation);
  void show_response();
  void show_explanation_message(const QString& message);
  void commit_genes(bool from_typing);
  void select_gene(const QString& gene, bool navigate, bool open);
  void sync_table_selection();
  void update_status();
  // Progress of the task `job` (the view's own bar; the status bar gets it from the runner).
  [[nodiscard]] std::shared_ptr<QtProgressListener> begin_work(std::uint64_t job, const QString& what);
  void end_work(std::uint64_t job, const QString& outcome);

  Workspace* m_workspace;
  TaskRunner* m_tasks;
  whatif::WhatifState m_state;
  whatif::ModelSources m_sources;
  std::shared_ptr<const whatif::WhatifModel> m_model;
  std::shared_ptr<const whatif::Response> m_response;
  std::shared_ptr<const whatif::Explanation> m_explanation;
  std::string m_target;  // of the explanation shown or running
  QString m_model_key;   // the sources m_model was made from
  QString m_running_key; // the sources of the running model job
  QString m_message;     // on the charts when there is nothing to draw
  QString m_explanation_message;
  QString m_work;        // what runs now
  QString m_work_detail; // its last progress message
  TaskHandle m_model_task, m_predict_task, m_explain_task;
  std::uint64_t m_job = 0; // every task gets a number; only the newest one's results apply
  std::uint64_t m_predict_job = 0, m_explain_job = 0, m_model_job = 0;
  bool m_model_running = false, m_predict_running = false, m_explain_running = false;
  bool m_refresh_pending = false;
  bool m_deferred = false; // the models are wanted but the view was hidden
  bool m_syncing = false;

  QTimer* m_predict_timer = nullptr;
  QTimer* m_explain_timer = nullptr;
  QTimer* m_typing_timer = nullptr;
  whatif::WhatifCharts* m_charts = nullptr;
  whatif::CascadeTableModel* m_table_model = nullptr;
  whatif::CascadeSortProxy* m_proxy = nullptr;
  QTableView* m_table = nullptr;
  QTabWidget* m_side_tabs = nullptr; // the table and the truth scatter
  bool m_truth_tab_shown = false;
  QSplitter* m_right_split = nullptr;
  bool m_split_sized = false;
  whatif::GeneListEdit* m_genes_edit = nullptr;
  QLineEdit* m_target_edit = nullptr;
  QStringListModel* m_gene_names = nullptr;
  QComboBox* m_mode_box = nullptr;
  QDoubleSpinBox* m_factor_box = nullptr;
  QComboBox* m_group_box = nullptr;
  QSpinBox* m_top_box = nullptr;
  QComboBox* m_method_box = nullptr;
  QComboBox* m_players_box = nullptr;
  QProgressBar* m_progress = nullptr;
  QToolButton* m_cancel = nullptr;
  QLabel* m_status = nullptr;
};

} // namespace gc::ui
