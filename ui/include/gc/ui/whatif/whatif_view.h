#pragma once
// The what-if view (DESIGN §1.4): what does knocking a gene out, down or up do? The toolbar picks
// the genes (completed from the model's, several comma-separated), the mode and its strength (a
// box and a slider: percent for a knockdown, a log scale of the fold for an overexpression), the
// cell group and how many responding genes are drawn; the second row the explained target (the
// most changed gene unless one is chosen; clicking a bar, a volcano point or a table row chooses
// it), the Shapley method and the players. The models come from the model job (whatif_job.h) once
// the view is on screen; every prediction and explanation then runs in a TaskRunner task with the
// view's progress bar and Cancel. Predictions are coalesced: at most one runs; a newer request
// cancels it (its result is never shown) and the newest state runs once it has ended, so the
// response follows the slider while it moves (other controls are debounced first). The
// explanation follows a response, after a pause while the slider is held. Pictures
// (whatif_charts.h), a volcano plot and a sortable cascade table stay in step; selecting a gene
// moves the genome browser to its locus (double-click also opens it). Scenarios saved by name
// (the Scenarios tab) are predicted in a quiet task, compared side by side as grouped bars, kept
// in the session and exported as CSV. Each response is also published as a graph overlay (Δ per
// gene and the cascade) for the Network view. With no genes chosen, the model job's scenario is
// shown: the knockout of a regulator with the highest predicted impact, its most changed gene
// explained.
#include "gc/genome/region.h"
#include "gc/ui/common/figure_view.h"
#include "gc/ui/graph/response_overlay.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/whatif/cascade_table_model.h"
#include "gc/ui/whatif/whatif_job.h"
#include "gc/ui/whatif/whatif_state.h"

#include <QWidget>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QSlider;
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

  // Saves the current intervention and group as a scenario called `name` (empty: its default
  // name, default_scenario_name), replacing one of that name; returns the name, empty (with a
  // status message) when there are no genes to save.
  QString save_scenario(const QString& name = {});
  void remove_scenario(const QString& name);
  void set_scenario_compared(const QString& name, bool compared);
  // Makes the saved scenario the current one (its genes, mode, strength and group).
  void load_scenario(const QString& name);
  // The saved scenario's predicted response, null until it is computed.
  [[nodiscard]] std::shared_ptr<const whatif::Response> scenario_response(const QString& name) const;
  // Why a saved scenario could not be predicted ("" when it could, or has not been tried).
  [[nodiscard]] QString scenario_error(const QString& name) const;
  // Writes every saved scenario's Δ (gene, then one column per scenario, in the model's gene
  // order) as CSV on a worker, predicting those not computed yet; scenarios_exported or
  // error_occurred follows.
  void export_scenarios(const QString& path);
  // Makes the models again (after a cancel, or to re-read the files).
  void recompute();

  // Writes the cascade table (gene, control, predicted, delta, delta_sd, log2fc, step, via) as
  // CSV on a worker; table_exported or error_occurred follows.
  void export_table(const QString& path);
  // The response's knockout-impact track (Δ on each gene's locus, from the loaded annotation):
  // written as a bedGraph in the cache on a worker and opened in the workspace, so the genome
  // browser shows it (and a session keeps it); impact_track_added or error_occurred follows.
  void show_impact_track();

  [[nodiscard]] whatif::WhatifCharts* charts() const noexcept { return m_charts; }
  [[nodiscard]] whatif::CascadeTableModel* table_model() const noexcept { return m_table_model; }
  [[nodiscard]] whatif::CascadeSortProxy* table_proxy() const noexcept { return m_proxy; }
  [[nodiscard]] QTableView* table() const noexcept { return m_table; }
  [[nodiscard]] QTabWidget* side_tabs() const noexcept { return m_side_tabs; }
  // The main panel: the response (0) or the saved scenarios compared (1).
  [[nodiscard]] QTabWidget* main_tabs() const noexcept { return m_main_tabs; }
  [[nodiscard]] QLineEdit* genes_edit() const noexcept;
  [[nodiscard]] QLineEdit* target_edit() const noexcept { return m_target_edit; }
  [[nodiscard]] QComboBox* mode_box() const noexcept { return m_mode_box; }
  [[nodiscard]] QDoubleSpinBox* factor_box() const noexcept { return m_factor_box; }
  [[nodiscard]] QSlider* strength_slider() const noexcept { return m_strength_slider; }
  [[nodiscard]] QListWidget* scenario_list() const noexcept { return m_scenario_list; }
  [[nodiscard]] QLineEdit* scenario_name_edit() const noexcept { return m_scenario_name; }
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
  void impact_track_added(const QString& path);
  void scenarios_exported(const QString& path);
  // The saved scenarios' list or their predictions changed.
  void scenarios_changed();
  // The response shown changed: its overlay for the graph view (null when there is none).
  void overlay_changed(std::shared_ptr<const gc::ui::graph::ResponseOverlay> overlay);
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
  // Runs the state's prediction now, or (when one runs) cancels that and runs next.
  void start_prediction();
  void launch_prediction();
  void apply_response(whatif::Response response, const whatif::WhatifState& state);
  void set_factor_live(double factor);
  void draw_response();
  void publish_overlay();
  [[nodiscard]] QWidget* build_scenarios_tab();
  // The list and the comparison after a change of the saved scenarios or their predictions;
  // starts predicting those missing.
  void update_scenarios();
  void refresh_scenario_list();
  // The state's cell group, the model's first when it names none.
  [[nodiscard]] QString scenario_group() const;
  void start_scenario_predictions();
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
  whatif::WhatifState m_response_state; // what m_response was predicted from
  std::shared_ptr<const whatif::Explanation> m_explanation;
  // Saved scenarios' predictions by name, with the definition they were made for (a scenario
  // saved again under its name with another intervention is predicted again).
  struct ScenarioResult {
    whatif::Scenario scenario;
    std::shared_ptr<const whatif::Response> response;
    QString error;
  };
  std::map<QString, ScenarioResult> m_scenario_results;
  std::string m_target;  // of the explanation shown or running
  QString m_model_key;   // the sources m_model was made from
  QString m_running_key; // the sources of the running model job
  QString m_message;     // on the charts when there is nothing to draw
  QString m_explanation_message;
  QString m_work;        // what runs now
  QString m_work_detail; // its last progress message
  TaskHandle m_model_task, m_predict_task, m_explain_task, m_scenario_task;
  std::uint64_t m_job = 0; // every task gets a number; only the newest one's results apply
  std::uint64_t m_predict_job = 0, m_explain_job = 0, m_model_job = 0, m_scenario_job = 0;
  bool m_model_running = false, m_predict_running = false, m_explain_running = false;
  bool m_predict_pending = false; // a newer prediction waits for the running (cancelled) one
  bool m_scenario_running = false, m_scenarios_dirty = false;
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
  QTabWidget* m_side_tabs = nullptr; // the table, the volcano, the truth scatter, the scenarios
  QTabWidget* m_main_tabs = nullptr; // the response bars or the scenarios compared
  bool m_truth_tab_shown = false;
  bool m_compare_shown = false;
  QSplitter* m_right_split = nullptr;
  bool m_split_sized = false;
  whatif::GeneListEdit* m_genes_edit = nullptr;
  QLineEdit* m_target_edit = nullptr;
  QStringListModel* m_gene_names = nullptr;
  QComboBox* m_mode_box = nullptr;
  QDoubleSpinBox* m_factor_box = nullptr;
  QSlider* m_strength_slider = nullptr;
  QListWidget* m_scenario_list = nullptr;
  QLineEdit* m_scenario_name = nullptr;
  QToolButton* m_remove_scenario = nullptr;
  QComboBox* m_group_box = nullptr;
  QSpinBox* m_top_box = nullptr;
  QComboBox* m_method_box = nullptr;
  QComboBox* m_players_box = nullptr;
  QProgressBar* m_progress = nullptr;
  QToolButton* m_cancel = nullptr;
  QLabel* m_status = nullptr;
};

} // namespace gc::ui
