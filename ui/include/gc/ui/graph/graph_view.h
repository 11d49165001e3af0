#pragma once
// The graph view (DESIGN §1.3): a ranked regulatory network from the workspace's data (see
// grn_job.h) as a picture, an edge table and PR/ROC charts. The toolbar chooses the source,
// method and reference, the score threshold and top K, the layout (force-directed,
// hierarchical, circle) and its seed, the colouring (sign, score, TP/FP/FN) and the focus
// (first neighbours in/out of the selected gene), and finds genes by name. The network is
// computed in a TaskRunner task with progress and Cancel once the view is on screen (while a slow
// method such as GENIE3 runs, a |Pearson| network of the same data is shown as a preview),
// layouts in quiet tasks that a newer request replaces; the picture is painted by paint_graph (as figures
// are). Selecting a gene moves the browser to its locus, selecting an edge the Hi-C map to regulator × target
// (the main window does the moving; double-click also switches to that view). Nodes can be dragged; the moves
// are part of the state and of sessions. With the GenoCircuit method the side column's Training
// tab plots the loss per epoch as the model trains (in the network task), with its own progress,
// Cancel and Train model (train again, ignoring the cached model) and the epoch count. A
// predicted perturbation response handed in by the main window (from the what-if view) colours
// the nodes by Δ and highlights its cascade (graph_renderer.h); the Δ overlay button turns that
// off and on.
#include "gc/genome/region.h"
#include "gc/ui/common/figure_view.h"
#include "gc/ui/graph/edge_table_model.h"
#include "gc/ui/graph/graph_data.h"
#include "gc/ui/graph/graph_layout.h"
#include "gc/ui/graph/graph_renderer.h"
#include "gc/ui/graph/graph_state.h"
#include "gc/ui/graph/grn_job.h"
#include "gc/ui/graph/response_overlay.h"
#include "gc/ui/task_runner.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStringListModel;
class QTableView;
class QToolButton;

namespace gc::ui {

class Workspace;

namespace graph {
class GraphCanvas;
class GraphCharts;
class TrainingPanel;

// The window of one gene for the Hi-C view: `half_width` either side of the locus' centre,
// shifted inside the chromosome when `chrom_length` is known (> 0).
[[nodiscard]] genome::Region contact_window(const genome::Region& locus, std::int64_t chrom_length,
                                            std::int64_t half_width = 100'000);
} // namespace graph

class GraphView : public QWidget, public FigureView {
  Q_OBJECT
public:
  // `workspace` provides the datasets and the genes' loci, `tasks` runs the network and layout
  // jobs; both must outlive the view.
  GraphView(Workspace* workspace, TaskRunner* tasks, QWidget* parent = nullptr);
  ~GraphView() override;

  [[nodiscard]] const graph::GraphState& state() const noexcept { return m_state; }
  [[nodiscard]] std::shared_ptr<const graph::GraphData> data() const { return m_data; }
  // What the table lists now (the picture follows once its layout is ready).
  [[nodiscard]] const graph::ShownNetwork& shown() const noexcept { return m_shown; }
  // The picture: its network and positions (aligned with its nodes).
  [[nodiscard]] const graph::ShownNetwork& drawn() const noexcept { return m_drawn; }
  [[nodiscard]] const std::vector<graph::LayoutPoint>& positions() const noexcept { return m_positions; }
  // A network or layout task is running (or about to start).
  [[nodiscard]] bool computing() const noexcept;

  void set_threshold(double threshold);
  void set_top_k(int k);
  void set_layout(graph::LayoutKind kind);
  void set_seed(std::uint64_t seed);
  void set_colour_mode(graph::ColourMode mode);
  void set_focus(graph::Focus focus);
  // The network's source and method and the reference, by file name (see GraphState).
  void set_source(const QString& file_name);
  void set_method(const QString& method);
  void set_reference(const std::optional<QString>& file_name);
  // Runs the network job again (after a cancel, or to re-read files).
  void recompute();
  // GenoCircuit's training epochs (a new count makes its network again: cached or trained).
  void set_epochs(int epochs);
  // Trains the GenoCircuit model again although a cached one fits (Train model); false (with a
  // status message) when the method is not GenoCircuit on an expression dataset.
  bool train_model();

  // Selects a gene by name (the search box): highlights it and its edges, centres it; returns
  // false (with a status message) when the network has no such gene. `navigate`: the main
  // window moves the browser to it.
  bool select_gene(const QString& name, bool navigate = true);
  // Selects a shown edge (index into data()->edges).
  void select_edge(std::size_t edge, bool navigate = true);
  void clear_selection();
  // Moves a node as a drag does (layout coordinates, kept in the state).
  void move_node(const QString& gene, const graph::LayoutPoint& position);

  // The predicted response drawn over the network (null: none), and whether it is drawn (the
  // Δ overlay button; part of the state).
  void set_response_overlay(std::shared_ptr<const graph::ResponseOverlay> overlay);
  [[nodiscard]] std::shared_ptr<const graph::ResponseOverlay> response_overlay() const { return m_overlay; }
  void set_overlay_shown(bool shown);
  [[nodiscard]] QToolButton* overlay_button() const noexcept { return m_overlay_button; }

  // Writes the shown network (GraphML, SIF, CSV or TSV by extension, gc/grn/network_io.h) on a
  // worker; network_exported or error_occurred follows.
  void export_network(const QString& path);

  [[nodiscard]] graph::EdgeTableModel* table_model() const noexcept { return m_table_model; }
  [[nodiscard]] graph::EdgeFilterProxy* table_proxy() const noexcept { return m_proxy; }
  [[nodiscard]] QTableView* table() const noexcept { return m_table; }
  [[nodiscard]] QWidget* canvas() const noexcept;
  [[nodiscard]] graph::GraphCharts* charts() const noexcept { return m_charts; }
  [[nodiscard]] graph::TrainingPanel* training_panel() const noexcept { return m_training; }
  [[nodiscard]] QLineEdit* search_edit() const noexcept { return m_search; }
  // The scene the canvas paints and its geometry (for tests: where a node is on screen).
  [[nodiscard]] graph::GraphScene scene() const;
  [[nodiscard]] graph::GraphGeometry canvas_geometry() const;

  [[nodiscard]] QString view_name() const override { return "graph"; }
  void render_figure(QPainter& painter, const QRectF& target) const override;
  [[nodiscard]] QJsonObject save_state() const override;
  void restore_state(const QJsonObject& state) override;
  [[nodiscard]] QSize sizeHint() const override { return {1000, 640}; }

Q_SIGNALS:
  void data_ready();   // a network was computed and is shown in the table
  void layout_ready(); // the picture shows the current network
  // A gene or an edge was selected by the user; `open`: also switch to the browser / Hi-C view.
  void locus_requested(const gc::genome::Region& locus, bool open);
  void contact_requested(const gc::genome::Region& regulator, const gc::genome::Region& target, bool open);
  void status_message(const QString& message);
  void network_exported(const QString& path);
  void error_occurred(const QString& message);

protected:
  void showEvent(QShowEvent* e) override;

private:
  friend class graph::GraphCanvas;
  [[nodiscard]] QWidget* build_toolbar();
  void schedule_refresh();
  void refresh_sources();
  void start_job(const graph::GrnSources& sources);
  void apply_data(graph::GraphData data, const QString& key);
  void refilter();
  void request_layout();
  void sync_controls();
  void sync_overlay_button();
  void sync_table_selection();
  void on_table_selection();
  void update_status();
  void navigate_gene(const QString& gene, bool open);
  void navigate_edge(std::size_t edge, bool open);
  void centre_on(int node);
  // Canvas events.
  void canvas_pressed(const QPointF& pos, Qt::MouseButton button, bool double_click);
  void canvas_dragged(const QPointF& pos);
  void canvas_released();
  void canvas_wheel(const QPointF& pos, double factor);

  Workspace* m_workspace;
  TaskRunner* m_tasks;
  graph::GraphState m_state;
  std::shared_ptr<const graph::GraphData> m_data;
  QString m_data_key;    // the sources m_data was made from
  QString m_running_key; // the sources of the running job
  graph::ShownNetwork m_shown;
  graph::ShownNetwork m_drawn;
  std::vector<graph::LayoutPoint> m_positions; // of m_drawn's nodes
  double m_max_stretch = 1.0;
  graph::LayoutKind m_drawn_layout = graph::LayoutKind::force;
  graph::GrnSources m_sources;
  std::shared_ptr<const graph::ResponseOverlay> m_overlay;
  QString m_message; // on the canvas when there is nothing to draw
  TaskHandle m_job_task;
  TaskHandle m_preview_task; // a quick |Pearson| network shown while a slow method runs
  TaskHandle m_layout_task;
  std::uint64_t m_job = 0;
  std::uint64_t m_layout_job = 0;
  bool m_job_running = false;
  bool m_layout_running = false;
  bool m_refresh_pending = false;
  bool m_deferred = false; // a network is wanted but the view was hidden
  bool m_syncing = false;
  // Screen-only view transform.
  double m_zoom = 1.0;
  QPointF m_pan;
  // Mouse interaction.
  enum class Drag { none, node, pan } m_drag = Drag::none;
  int m_drag_node = -1;
  QPointF m_press;
  QPointF m_press_pan;

  graph::GraphCanvas* m_canvas = nullptr;
  graph::EdgeTableModel* m_table_model = nullptr;
  graph::EdgeFilterProxy* m_proxy = nullptr;
  QTableView* m_table = nullptr;
  graph::GraphCharts* m_charts = nullptr;
  graph::TrainingPanel* m_training = nullptr;
  QComboBox* m_source_box = nullptr;
  QComboBox* m_method_box = nullptr;
  QComboBox* m_reference_box = nullptr;
  QDoubleSpinBox* m_threshold_box = nullptr;
  QSpinBox* m_top_box = nullptr;
  QComboBox* m_layout_box = nullptr;
  QSpinBox* m_seed_box = nullptr;
  QComboBox* m_colour_box = nullptr;
  QComboBox* m_focus_box = nullptr;
  QToolButton* m_overlay_button = nullptr;
  QLineEdit* m_search = nullptr;
  QStringListModel* m_gene_names = nullptr;
  QLineEdit* m_table_filter = nullptr;
  QLabel* m_status = nullptr;
};

} // namespace gc::ui
