#include "gc/ui/graph/graph_view.h"

#include "gc/grn/network_io.h"
#include "gc/ui/graph/graph_charts.h"
#include "gc/ui/graph/training_panel.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QShowEvent>
#include <QSpinBox>
#include <QSplitter>
#include <QStringListModel>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace gc::ui {

namespace graph {

genome::Region contact_window(const genome::Region& locus, std::int64_t chrom_length,
                              std::int64_t half_width) {
  const std::int64_t centre = (locus.start + locus.end) / 2;
  genome::Region r{locus.chrom, centre - half_width, centre + half_width};
  // Slid inside the chromosome rather than cut, so the window keeps its width where it can.
  if (r.start < 0) {
    r.end -= r.start;
    r.start = 0;
  }
  if (chrom_length > 0 && r.end > chrom_length) {
    r.start = std::max<std::int64_t>(0, r.start - (r.end - chrom_length));
    r.end = chrom_length;
  }
  return r;
}

// The picture: paints the scene, forwards the mouse to the view.
class GraphCanvas final : public QWidget {
public:
  explicit GraphCanvas(GraphView* view) : QWidget(view), m_view(view) {
    setMouseTracking(false);
    setMinimumSize(260, 220);
    setFocusPolicy(Qt::ClickFocus);
  }

protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    paint_graph(p, QRectF(rect()), m_view->scene(), false);
  }
  void mousePressEvent(QMouseEvent* e) override { m_view->canvas_pressed(e->position(), e->button(), false); }
  void mouseDoubleClickEvent(QMouseEvent* e) override {
    m_view->canvas_pressed(e->position(), e->button(), true);
  }
  void mouseMoveEvent(QMouseEvent* e) override { m_view->canvas_dragged(e->position()); }
  void mouseReleaseEvent(QMouseEvent*) override { m_view->canvas_released(); }
  void wheelEvent(QWheelEvent* e) override {
    m_view->canvas_wheel(e->position(), std::pow(1.0015, e->angleDelta().y()));
    e->accept();
  }

private:
  GraphView* m_view;
};

} // namespace graph

using namespace graph;

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString number(double v) { return QLocale(QLocale::English).toString(v, 'f', 0); }

} // namespace

GraphView::GraphView(Workspace* workspace, TaskRunner* tasks, QWidget* parent)
    : QWidget(parent), m_workspace(workspace), m_tasks(tasks) {
  setObjectName("GraphView");
  m_canvas = new GraphCanvas(this);
  m_canvas->setObjectName("GraphCanvas");
  m_table_model = new EdgeTableModel(this);
  m_proxy = new EdgeFilterProxy(this);
  m_proxy->setSourceModel(m_table_model);
  m_table = new QTableView(this);
  m_table->setObjectName("GraphEdgeTable");
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(EdgeTableModel::rank, Qt::AscendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_table->verticalHeader()->setVisible(false);
  m_table->verticalHeader()->setDefaultSectionSize(20);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setAlternatingRowColors(true);
  m_table_filter = new QLineEdit(this);
  m_table_filter->setPlaceholderText("Filter edges by gene…");
  m_table_filter->setClearButtonEnabled(true);
  m_charts = new GraphCharts(this);
  // A chart of the side column, shown (for GenoCircuit only) when training starts.
  m_training = new TrainingPanel(this);
  m_charts->addTab(m_training, "Training");
  m_charts->setTabToolTip(m_charts->indexOf(m_training), "GenoCircuit's loss per epoch, Train model, Cancel");
  m_status = new QLabel(this);
  m_status->setObjectName("GraphStatus");
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Long summaries wrap instead of widening the window.
  m_status->setWordWrap(true);

  auto* right = new QSplitter(Qt::Vertical, this);
  auto* table_box = new QWidget(right);
  auto* table_layout = new QVBoxLayout(table_box);
  table_layout->setContentsMargins(0, 0, 0, 0);
  table_layout->setSpacing(2);
  table_layout->addWidget(m_table_filter);
  table_layout->addWidget(m_table, 1);
  right->addWidget(table_box);
  right->addWidget(m_charts);
  right->setStretchFactor(0, 2);
  right->setStretchFactor(1, 3);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(m_canvas);
  split->addWidget(right);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  // Proportions of the first show: the picture, and the table above taller charts.
  split->setSizes({620, 380});
  right->setSizes({420, 580});
  split->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(build_toolbar());
  layout->addWidget(split, 1);
  auto* status_row = new QWidget(this);
  auto* status_layout = new QHBoxLayout(status_row);
  status_layout->setContentsMargins(6, 2, 6, 2);
  status_layout->addWidget(m_status, 1);
  layout->addWidget(status_row);

  connect(m_table_filter, &QLineEdit::textChanged, m_proxy, &EdgeFilterProxy::set_gene_filter);
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { on_table_selection(); });
  connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const auto source = m_proxy->mapToSource(index);
    if (source.isValid()) navigate_edge(m_table_model->edge_at(source.row()), true);
  });
  connect(m_training, &TrainingPanel::cancel_requested, this, [this] { m_job_task.cancel(); });
  connect(m_training, &TrainingPanel::train_requested, this, [this] { (void)train_model(); });
  // A model being trained is what the side column shows (a cached one leaves the curves be).
  connect(m_training, &TrainingPanel::epoch_added, this, [this](int epoch) {
    if (epoch == 1) m_charts->setCurrentWidget(m_training);
  });
  connect(m_training, &TrainingPanel::epochs_changed, this, &GraphView::set_epochs);
  connect(m_workspace, &Workspace::dataset_added, this, [this] {
    if (m_workspace->loading() == 0) schedule_refresh();
  });
  connect(m_workspace, &Workspace::idle, this, &GraphView::schedule_refresh);
  connect(m_workspace, &Workspace::cleared, this, &GraphView::schedule_refresh);
  m_message = "Load an expression dataset (to infer a network) or an edge list (to show one).";
  sync_controls();
  update_status();
}

GraphView::~GraphView() {
  m_job_task.cancel();
  m_preview_task.cancel();
  m_layout_task.cancel();
}

QWidget* GraphView::canvas() const noexcept { return m_canvas; }

bool GraphView::computing() const noexcept { return m_job_running || m_layout_running || m_refresh_pending; }

QWidget* GraphView::build_toolbar() {
  // Two tool bars: when the view is narrow, what does not fit goes behind their » buttons.
  auto* bar = new QWidget(this);
  bar->setObjectName("GraphToolbar");
  auto* rows = new QVBoxLayout(bar);
  rows->setContentsMargins(2, 0, 2, 0);
  rows->setSpacing(0);
  auto* row1 = new QToolBar(bar);
  auto* row2 = new QToolBar(bar);
  for (auto* row : {row1, row2}) {
    row->setIconSize(QSize(16, 16));
    rows->addWidget(row);
  }
  const auto label = [bar](const QString& text) { return new QLabel(text, bar); };
  const auto stretch = [bar] {
    auto* s = new QWidget(bar);
    s->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    return s;
  };

  m_source_box = new QComboBox(bar);
  m_source_box->setToolTip(
      "The network: inferred from an expression dataset, or an edge list shown as it is");
  m_source_box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_method_box = new QComboBox(bar);
  m_method_box->setToolTip("Inference method for expression data");
  for (const auto& name : method_names()) {
    m_method_box->addItem(method_label(name), name);
  }
  m_reference_box = new QComboBox(bar);
  m_reference_box->setToolTip("Reference network: edges are marked TP/FP, missed ones FN; PR and ROC curves");
  m_reference_box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* recompute = new QToolButton(bar);
  recompute->setText("Recompute");
  recompute->setToolTip("Run the network inference again");
  auto* export_button = new QToolButton(bar);
  export_button->setText("Export…");
  export_button->setToolTip("Write the shown network as GraphML, SIF, CSV or TSV");
  m_search = new QLineEdit(bar);
  m_search->setObjectName("GraphSearch");
  m_search->setPlaceholderText("Find gene…");
  m_search->setClearButtonEnabled(true);
  m_search->setMaximumWidth(150);
  m_gene_names = new QStringListModel(this);
  auto* completer = new QCompleter(m_gene_names, this);
  completer->setCaseSensitivity(Qt::CaseInsensitive);
  m_search->setCompleter(completer);
  row1->addWidget(label("Network "));
  row1->addWidget(m_source_box);
  row1->addWidget(m_method_box);
  row1->addWidget(label("  Reference "));
  row1->addWidget(m_reference_box);
  row1->addWidget(recompute);
  row1->addWidget(stretch());
  row1->addWidget(m_search);
  row1->addWidget(export_button);

  m_threshold_box = new QDoubleSpinBox(bar);
  m_threshold_box->setToolTip("Show edges with at least this score");
  m_threshold_box->setDecimals(4);
  m_threshold_box->setRange(0, 1e6);
  m_threshold_box->setSingleStep(0.005);
  m_threshold_box->setMaximumWidth(90);
  m_top_box = new QSpinBox(bar);
  m_top_box->setToolTip("Show at most this many edges, best first (0: every edge above the threshold)");
  m_top_box->setRange(0, 1'000'000);
  m_top_box->setSingleStep(25);
  m_top_box->setSpecialValueText("all");
  m_top_box->setMaximumWidth(80);
  m_top_box->setKeyboardTracking(false);
  m_threshold_box->setKeyboardTracking(false);
  m_layout_box = new QComboBox(bar);
  for (const auto k : {LayoutKind::force, LayoutKind::hierarchical, LayoutKind::circle})
    m_layout_box->addItem(qs(to_string(k)), qs(to_string(k)));
  m_layout_box->setToolTip(
      "Force-directed (weighted Fruchterman–Reingold), hierarchical TF → target, or circle");
  m_seed_box = new QSpinBox(bar);
  m_seed_box->setRange(0, 1'000'000);
  m_seed_box->setToolTip("Seed of the force-directed layout");
  m_seed_box->setMaximumWidth(70);
  m_seed_box->setKeyboardTracking(false);
  m_colour_box = new QComboBox(bar);
  m_colour_box->addItem("colour by sign", "sign");
  m_colour_box->addItem("colour by score", "score");
  m_colour_box->addItem("TP / FP / FN", "reference");
  m_focus_box = new QComboBox(bar);
  m_focus_box->addItem("whole network", "all");
  m_focus_box->addItem("regulators of selection", "in");
  m_focus_box->addItem("targets of selection", "out");
  m_focus_box->addItem("neighbours of selection", "both");
  m_focus_box->setToolTip("Show only the first neighbours (in, out or both) of the selected gene");
  row2->addWidget(label("Score ≥ "));
  row2->addWidget(m_threshold_box);
  row2->addWidget(label("  Top "));
  row2->addWidget(m_top_box);
  row2->addWidget(label("  Layout "));
  row2->addWidget(m_layout_box);
  row2->addWidget(label(" seed "));
  row2->addWidget(m_seed_box);
  row2->addSeparator();
  row2->addWidget(m_colour_box);
  row2->addWidget(m_focus_box);
  m_overlay_button = new QToolButton(bar);
  m_overlay_button->setObjectName("GraphOverlayButton");
  m_overlay_button->setText("Δ overlay");
  m_overlay_button->setCheckable(true);
  row2->addSeparator();
  row2->addWidget(m_overlay_button);
  connect(m_overlay_button, &QToolButton::toggled, this, [this](bool on) {
    if (!m_syncing) set_overlay_shown(on);
  });

  connect(m_source_box, &QComboBox::activated, this,
          [this](int i) { set_source(m_source_box->itemData(i).toString()); });
  connect(m_method_box, &QComboBox::activated, this,
          [this](int i) { set_method(m_method_box->itemData(i).toString()); });
  connect(m_reference_box, &QComboBox::activated, this,
          [this](int i) { set_reference(m_reference_box->itemData(i).toString()); });
  connect(recompute, &QToolButton::clicked, this, &GraphView::recompute);
  connect(export_button, &QToolButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, "Export network",
        QString::fromStdString(m_data ? m_data->source : std::string("network")) + ".graphml",
        "GraphML (*.graphml);;Cytoscape SIF (*.sif);;BEELINE CSV (*.csv);;TSV (*.tsv)");
    if (!path.isEmpty()) export_network(path);
  });
  connect(m_threshold_box, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (!m_syncing) set_threshold(v);
  });
  connect(m_top_box, &QSpinBox::valueChanged, this, [this](int v) {
    if (!m_syncing) set_top_k(v);
  });
  connect(m_layout_box, &QComboBox::activated, this, [this](int i) {
    if (const auto k = parse_layout(m_layout_box->itemData(i).toString().toStdString())) set_layout(*k);
  });
  connect(m_seed_box, &QSpinBox::valueChanged, this, [this](int v) {
    if (!m_syncing) set_seed(static_cast<std::uint64_t>(v));
  });
  connect(m_colour_box, &QComboBox::activated, this, [this](int i) {
    if (const auto m = parse_colour_mode(m_colour_box->itemData(i).toString().toStdString()))
      set_colour_mode(*m);
  });
  connect(m_focus_box, &QComboBox::activated, this, [this](int i) {
    if (const auto f = parse_focus(m_focus_box->itemData(i).toString().toStdString())) set_focus(*f);
  });
  connect(m_search, &QLineEdit::returnPressed, this, [this] { select_gene(m_search->text().trimmed()); });
  connect(completer, qOverload<const QString&>(&QCompleter::activated), this,
          [this](const QString& text) { select_gene(text); });
  return bar;
}

void GraphView::sync_controls() {
  m_syncing = true;
  const auto datasets = m_workspace->datasets();
  m_source_box->clear();
  for (const auto& d : network_candidates(datasets)) {
    const QString name = QFileInfo(d->path).fileName();
    m_source_box->addItem(name, name);
    m_source_box->setItemData(m_source_box->count() - 1,
                              d->kind == DatasetKind::expression
                                  ? "Infer the network from " + name + " by the method beside"
                                  : "Show the edge list " + name,
                              Qt::ToolTipRole);
  }
  if (m_sources.network)
    m_source_box->setCurrentIndex(m_source_box->findData(QFileInfo(m_sources.network->path).fileName()));
  m_source_box->setEnabled(m_source_box->count() > 0);
  m_method_box->setCurrentIndex(m_method_box->findData(m_state.method));
  m_method_box->setEnabled(m_sources.inferred());
  m_reference_box->clear();
  m_reference_box->addItem("none", QString());
  for (const auto& d : reference_candidates(datasets))
    m_reference_box->addItem(QFileInfo(d->path).fileName(), QFileInfo(d->path).fileName());
  m_reference_box->setCurrentIndex(
      m_sources.reference ? m_reference_box->findData(QFileInfo(m_sources.reference->path).fileName()) : 0);
  m_threshold_box->setValue(m_state.threshold);
  m_top_box->setValue(std::max(0, m_state.top_k));
  m_layout_box->setCurrentIndex(m_layout_box->findData(qs(to_string(m_state.layout))));
  m_seed_box->setValue(static_cast<int>(std::min<std::uint64_t>(m_state.seed, 1'000'000)));
  m_seed_box->setEnabled(m_state.layout == LayoutKind::force);
  m_colour_box->setCurrentIndex(m_colour_box->findData(qs(to_string(m_state.colour))));
  m_focus_box->setCurrentIndex(m_focus_box->findData(qs(to_string(m_state.focus))));
  sync_overlay_button();
  const bool learned = m_sources.genocircuit && m_sources.inferred();
  m_charts->setTabVisible(m_charts->indexOf(m_training), learned);
  m_training->set_trainable(learned);
  if (m_state.epochs > 0) m_training->set_epochs(m_state.epochs);
  m_syncing = false;
}

// ---- the network ----

void GraphView::schedule_refresh() {
  // Queued, so that a session's state (applied when the same loads end) is in place first.
  if (m_refresh_pending) return;
  m_refresh_pending = true;
  QTimer::singleShot(0, this, [this] {
    m_refresh_pending = false;
    refresh_sources();
  });
}

void GraphView::refresh_sources() {
  try {
    m_sources = choose_sources(m_workspace->datasets(), m_state);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
    return;
  }
  sync_controls();
  if (!m_sources.network) {
    m_job_task.cancel();
    m_preview_task.cancel();
    m_data.reset();
    m_data_key.clear();
    m_running_key.clear();
    m_message = "Load an expression dataset (to infer a network) or an edge list (to show one).";
    refilter();
    return;
  }
  const QString key = m_sources.key();
  if (key == m_data_key || (m_job_running && key == m_running_key)) return;
  // Inference can take minutes: it runs once the view is on screen, not for a tab nobody opened.
  if (!isVisible()) {
    m_deferred = true;
    return;
  }
  m_deferred = false;
  start_job(m_sources);
}

void GraphView::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  if (m_deferred) schedule_refresh();
}

void GraphView::recompute() {
  m_data_key.clear();
  m_running_key.clear();
  m_job_running = false;
  refresh_sources();
}

void GraphView::set_epochs(int epochs) {
  if (epochs < 1 || epochs > max_epochs || epochs == m_state.epochs) return;
  m_state.epochs = epochs;
  refresh_sources();
}

bool GraphView::train_model() {
  if (!m_sources.genocircuit || !m_sources.inferred()) {
    Q_EMIT status_message("Train model needs the GenoCircuit method on an expression dataset.");
    return false;
  }
  GrnSources sources = m_sources;
  sources.retrain = true;
  // The shown network stays until the new one replaces it (a cancel keeps it).
  start_job(sources);
  m_charts->setCurrentWidget(m_training);
  return true;
}

void GraphView::start_job(const GrnSources& sources) {
  m_job_task.cancel();
  const bool trains = sources.genocircuit && sources.inferred();
  TrainSink sink;
  if (trains) {
    m_training->begin(sources.epochs, !sources.retrain);
    sink = m_training->sink();
  } else {
    m_training->clear();
  }
  const QString method_text =
      method_label(sources.genocircuit ? QString(genocircuit_method)
                                       : QString::fromStdString(gc::grn::method_name(sources.method)));
  const auto job = ++m_job;
  const QString key = sources.key();
  m_running_key = key;
  m_job_running = true;
  const QString what = sources.inferred() ? method_text + " on " + QFileInfo(sources.network->path).fileName()
                                          : QFileInfo(sources.network->path).fileName();
  m_message = (sources.inferred() ? "Inferring the network: " : "Reading the network: ") + what + "…";
  if (!m_data) m_canvas->update();
  update_status();
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this, job](const QString& error) {
    if (job != m_job) return;
    m_message = "The network could not be made: " + error;
    m_training->failed(error);
    m_canvas->update();
  };
  options.on_finished = [this, job](TaskOutcome outcome) {
    if (job != m_job) return;
    m_job_running = false;
    m_running_key.clear();
    if (outcome == TaskOutcome::cancelled) {
      m_message = "Cancelled: press Recompute to make the network.";
      m_training->cancelled();
      m_canvas->update();
    }
    update_status();
  };
  m_job_task = m_tasks->run(
      sources.inferred() ? "Inferring the network (" + what + ")" : "Reading the network " + what,
      [sources, sink](const gc::Progress& p) { return run_grn_job(sources, p, sink); },
      [this, job, key](GraphData data) {
        if (job != m_job) return;
        if (data.training) m_training->finish(*data.training);
        apply_data(std::move(data), key);
      },
      std::move(options));
  // Tree ensembles take minutes on large data; a correlation network of the same data takes a
  // moment, so the picture, table and curves are there at once and replaced when the method ends.
  // A shown network of the same method on the same data (the model trained again, or with another
  // epoch count) stands in better, and stays if the new one is cancelled.
  m_preview_task.cancel();
  const std::string method_id =
      sources.genocircuit ? std::string(genocircuit_method) : gc::grn::method_name(sources.method);
  const bool stand_in = m_data && m_data->method == method_id &&
                        m_data->source == QFileInfo(sources.network->path).fileName().toStdString();
  if (!stand_in && sources.inferred() &&
      (sources.genocircuit ||
       (sources.method != gc::grn::Method::pearson && sources.method != gc::grn::Method::spearman))) {
    GrnSources quick = sources;
    quick.genocircuit = false;
    quick.method = gc::grn::Method::pearson;
    TaskRunner::Options preview;
    preview.context = this;
    preview.quiet = true;
    const QString slow = method_text;
    m_preview_task = m_tasks->run(
        "Network preview", [quick](const gc::Progress& p) { return run_grn_job(quick, p); },
        [this, job, slow](GraphData data) {
          if (job != m_job || !m_job_running) return;
          data.title += " (preview while " + slow.toStdString() + " runs)";
          apply_data(std::move(data), QString());
        },
        std::move(preview));
  }
}

void GraphView::apply_data(GraphData data, const QString& key) {
  for (const auto& n : data.notes)
    gc::log::info("graph view: ", n);
  m_data = std::make_shared<const GraphData>(std::move(data));
  m_data_key = key;
  // A selection or focus on genes this network does not have is dropped.
  if (!m_state.selected_gene.isEmpty() && !m_data->gene_index(m_state.selected_gene.toStdString()))
    m_state.selected_gene.clear();
  if (m_state.selected_edge && (!m_data->gene_index(m_state.selected_edge->first.toStdString()) ||
                                !m_data->gene_index(m_state.selected_edge->second.toStdString())))
    m_state.selected_edge.reset();
  QStringList names;
  for (const auto& g : m_data->genes)
    names << QString::fromStdString(g);
  names.sort(Qt::CaseInsensitive);
  m_gene_names->setStringList(names);
  m_charts->set_data(m_data.get());
  m_drawn = {};
  m_positions.clear();
  refilter();
  m_table->resizeColumnsToContents();
  Q_EMIT data_ready();
}

void GraphView::refilter() {
  if (!m_data) {
    m_shown = {};
    m_drawn = {};
    m_positions.clear();
    m_table_model->set_edges(nullptr, {});
    m_charts->set_data(nullptr);
    m_canvas->update();
    update_status();
    return;
  }
  auto next = filter_network(*m_data, network_filter(m_state, *m_data));
  const bool same = next.nodes == m_shown.nodes && next.edges == m_shown.edges;
  m_shown = std::move(next);
  if (!same || m_table_model->rowCount() != static_cast<int>(m_shown.edges.size()))
    m_table_model->set_edges(m_data, m_shown.edges);
  m_charts->set_shown(m_data.get(), m_shown);
  sync_table_selection();
  if (!same || m_drawn.nodes != m_shown.nodes || m_positions.size() != m_drawn.nodes.size()) {
    request_layout();
  } else {
    m_drawn = m_shown; // the same nodes and edges; missed edges may differ
    m_canvas->update();
  }
  update_status();
}

void GraphView::request_layout() {
  m_layout_task.cancel();
  const auto job = ++m_layout_job;
  if (m_shown.nodes.empty()) {
    m_layout_running = false;
    m_drawn = m_shown;
    m_positions.clear();
    m_canvas->update();
    Q_EMIT layout_ready();
    return;
  }
  m_layout_running = true;
  const auto graph = layout_graph(*m_data, m_shown);
  const auto kind = m_state.layout;
  LayoutOptions options;
  options.seed = m_state.seed;
  TaskRunner::Options task;
  task.context = this;
  task.quiet = true;
  task.on_error = [this](const QString& error) { Q_EMIT error_occurred("graph layout: " + error); };
  task.on_finished = [this, job](TaskOutcome) {
    if (job == m_layout_job) m_layout_running = false;
  };
  m_layout_task = m_tasks->run(
      "Graph layout",
      [graph, kind, options](const gc::Progress& p) { return compute_layout(graph, kind, options, p); },
      [this, job, shown = m_shown](Layout layout) {
        if (job != m_layout_job) return;
        m_drawn = shown;
        // Dragged nodes keep the place the user gave them.
        m_positions = placed_positions(m_state, *m_data, m_drawn, std::move(layout.positions));
        m_max_stretch = layout.max_stretch;
        m_drawn_layout = layout.kind;
        m_canvas->update();
        Q_EMIT layout_ready();
      },
      std::move(task));
}

void GraphView::update_status() {
  QString text;
  if (!m_data) {
    text = m_job_running ? m_message : QString("No network.");
  } else {
    text = QString::fromStdString(m_data->title) + ": " + number(static_cast<double>(m_data->edges.size())) +
           " edges ranked; showing " + number(static_cast<double>(m_shown.edges.size())) + " among " +
           number(static_cast<double>(m_shown.nodes.size())) + " genes";
    if (m_data->has_reference()) {
      text += QString(" (TP %1, FP %2, missed %3)")
                  .arg(m_shown.true_positives)
                  .arg(m_shown.false_positives())
                  .arg(m_shown.missed.size());
    }
    if (m_data->evaluation) {
      const auto& m = m_data->evaluation->metrics;
      text += QString("; vs %1: AUPRC %2 (random %3), AUROC %4")
                  .arg(QString::fromStdString(m_data->reference))
                  .arg(m.auprc, 0, 'f', 3)
                  .arg(m.density, 0, 'f', 3)
                  .arg(m.auroc, 0, 'f', 3);
    }
    if (m_job_running) text += "  —  " + m_message;
  }
  if (m_overlay && m_state.response_overlay)
    text += "; genes coloured by Δ of " + QString::fromStdString(m_overlay->title);
  m_status->setText(text);
}

// ---- state changes ----

void GraphView::set_threshold(double threshold) {
  m_state.threshold = std::max(0.0, threshold);
  sync_controls();
  refilter();
}

void GraphView::set_top_k(int k) {
  m_state.top_k = std::max(0, k);
  sync_controls();
  refilter();
}

void GraphView::set_layout(LayoutKind kind) {
  if (kind == m_state.layout) return;
  m_state.layout = kind;
  // Dragged positions belong to the layout they were dragged in.
  m_state.positions.clear();
  m_zoom = 1.0;
  m_pan = {};
  sync_controls();
  if (m_data) request_layout();
}

void GraphView::set_seed(std::uint64_t seed) {
  if (seed == m_state.seed) return;
  m_state.seed = seed;
  m_state.positions.clear();
  sync_controls();
  if (m_data && m_state.layout == LayoutKind::force) request_layout();
}

void GraphView::set_colour_mode(ColourMode mode) {
  m_state.colour = mode;
  sync_controls();
  m_canvas->update();
  if (mode == ColourMode::reference && m_data && !m_data->has_reference())
    Q_EMIT status_message("No reference network is loaded: every edge is drawn grey.");
}

void GraphView::sync_overlay_button() {
  const bool syncing = m_syncing;
  m_syncing = true;
  m_overlay_button->setChecked(m_state.response_overlay);
  m_overlay_button->setEnabled(m_overlay != nullptr);
  m_overlay_button->setToolTip(
      m_overlay ? "Colour the genes by the predicted Δ of " + QString::fromStdString(m_overlay->title) +
                      " and highlight its cascade (from the What if view)"
                : QString("Colour the genes by a predicted response: make one in the What if view"));
  m_syncing = syncing;
}

void GraphView::set_response_overlay(std::shared_ptr<const ResponseOverlay> overlay) {
  m_overlay = std::move(overlay);
  sync_overlay_button();
  m_canvas->update();
  update_status();
}

void GraphView::set_overlay_shown(bool shown) {
  if (shown == m_state.response_overlay) return;
  m_state.response_overlay = shown;
  sync_overlay_button();
  m_canvas->update();
  update_status();
}

void GraphView::set_focus(Focus focus) {
  m_state.focus = focus;
  if (focus != Focus::all && !m_state.selected_gene.isEmpty()) m_state.focus_gene = m_state.selected_gene;
  if (focus != Focus::all && m_state.focus_gene.isEmpty())
    Q_EMIT status_message("Select a gene to see its neighbours.");
  sync_controls();
  refilter();
}

void GraphView::set_source(const QString& file_name) {
  m_state.source = file_name;
  refresh_sources();
}

void GraphView::set_method(const QString& method) {
  try {
    check_method(method);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
    return;
  }
  m_state.method = method;
  refresh_sources();
}

void GraphView::set_reference(const std::optional<QString>& file_name) {
  m_state.reference = file_name;
  refresh_sources();
}

// ---- selection ----

bool GraphView::select_gene(const QString& name, bool navigate) {
  if (!m_data) return false;
  auto gene = m_data->gene_index(name.toStdString());
  if (!gene) {
    const auto found = find_genes(*m_data, name.toStdString(), 1);
    if (!found.empty()) gene = found.front();
  }
  if (!gene) {
    Q_EMIT status_message("No gene '" + name + "' in the network.");
    return false;
  }
  const QString g = QString::fromStdString(m_data->genes[static_cast<std::size_t>(*gene)]);
  m_state.selected_gene = g;
  m_state.selected_edge.reset();
  if (m_state.focus != Focus::all) {
    m_state.focus_gene = g;
    refilter();
  } else {
    sync_table_selection();
  }
  const int node = m_drawn.node_position(*gene);
  if (node >= 0) {
    centre_on(node);
  } else if (m_shown.node_position(*gene) < 0) {
    Q_EMIT status_message(
        g + " has no edge in the shown network: lower the threshold, raise Top or focus on it.");
  }
  m_canvas->update();
  if (navigate) navigate_gene(g, false);
  return true;
}

void GraphView::select_edge(std::size_t edge, bool navigate) {
  if (!m_data || edge >= m_data->edges.size()) return;
  const auto& e = m_data->edges[edge];
  m_state.selected_gene.clear();
  m_state.selected_edge =
      std::make_pair(QString::fromStdString(m_data->genes[static_cast<std::size_t>(e.regulator)]),
                     QString::fromStdString(m_data->genes[static_cast<std::size_t>(e.target)]));
  sync_table_selection();
  m_canvas->update();
  if (navigate) navigate_edge(edge, false);
}

void GraphView::clear_selection() {
  m_state.selected_gene.clear();
  m_state.selected_edge.reset();
  sync_table_selection();
  m_canvas->update();
}

void GraphView::sync_table_selection() {
  if (m_syncing) return;
  m_syncing = true;
  auto* model = m_table->selectionModel();
  model->clearSelection();
  QItemSelection selection;
  int first_row = -1;
  const auto add = [&](std::size_t edge) {
    const int row = m_table_model->row_of(edge);
    if (row < 0) return;
    const auto index = m_proxy->mapFromSource(m_table_model->index(row, 0));
    if (!index.isValid()) return;
    selection.select(index, index.siblingAtColumn(EdgeTableModel::column_count - 1));
    if (first_row < 0 || index.row() < first_row) first_row = index.row();
  };
  if (m_data) {
    if (!m_state.selected_gene.isEmpty()) {
      if (const auto g = m_data->gene_index(m_state.selected_gene.toStdString())) {
        for (const auto i : m_shown.edges)
          if (m_data->edges[i].regulator == *g || m_data->edges[i].target == *g) add(i);
      }
    } else if (m_state.selected_edge) {
      const auto r = m_data->gene_index(m_state.selected_edge->first.toStdString());
      const auto t = m_data->gene_index(m_state.selected_edge->second.toStdString());
      if (r && t) {
        for (const auto i : m_shown.edges)
          if (m_data->edges[i].regulator == *r && m_data->edges[i].target == *t) add(i);
      }
    }
  }
  model->select(selection, QItemSelectionModel::Select | QItemSelectionModel::Rows);
  if (first_row >= 0) m_table->scrollTo(m_proxy->index(first_row, 0));
  m_syncing = false;
}

void GraphView::on_table_selection() {
  if (m_syncing || !m_data) return;
  const auto rows = m_table->selectionModel()->selectedRows();
  if (rows.size() != 1) return;
  const auto source = m_proxy->mapToSource(rows.front());
  if (!source.isValid()) return;
  const auto edge = m_table_model->edge_at(source.row());
  const auto& e = m_data->edges[edge];
  m_state.selected_gene.clear();
  m_state.selected_edge =
      std::make_pair(QString::fromStdString(m_data->genes[static_cast<std::size_t>(e.regulator)]),
                     QString::fromStdString(m_data->genes[static_cast<std::size_t>(e.target)]));
  m_canvas->update();
  navigate_edge(edge, false);
}

void GraphView::navigate_gene(const QString& gene, bool open) {
  try {
    Q_EMIT locus_requested(m_workspace->find_locus(gene), open);
  } catch (const std::exception&) {
    Q_EMIT status_message(gene + ": no locus (load the annotation that names it to see it in the browser).");
  }
}

void GraphView::navigate_edge(std::size_t edge, bool open) {
  if (!m_data) return;
  const auto& e = m_data->edges[edge];
  const QString reg = QString::fromStdString(m_data->genes[static_cast<std::size_t>(e.regulator)]);
  const QString tgt = QString::fromStdString(m_data->genes[static_cast<std::size_t>(e.target)]);
  genome::Region a, b;
  try {
    a = m_workspace->find_locus(reg);
    b = m_workspace->find_locus(tgt);
  } catch (const std::exception&) {
    Q_EMIT status_message(reg + " → " + tgt + ": no loci (load the annotation that names both genes).");
    return;
  }
  Q_EMIT contact_requested(contact_window(a, m_workspace->chrom_length(a.chrom)),
                           contact_window(b, m_workspace->chrom_length(b.chrom)), open);
}

void GraphView::move_node(const QString& gene, const LayoutPoint& position) {
  m_state.positions[gene] = position;
  if (m_data) {
    if (const auto g = m_data->gene_index(gene.toStdString())) {
      if (const int node = m_drawn.node_position(*g);
          node >= 0 && static_cast<std::size_t>(node) < m_positions.size())
        m_positions[static_cast<std::size_t>(node)] = position;
    }
  }
  m_canvas->update();
}

// ---- canvas ----

GraphScene GraphView::scene() const {
  GraphScene s;
  s.data = m_data.get();
  s.shown = &m_drawn;
  s.state = &m_state;
  s.positions = &m_positions;
  s.max_stretch = m_max_stretch;
  s.layout = m_drawn_layout;
  s.message = m_data ? (m_layout_running ? QString("Computing the layout…") : QString()) : m_message;
  s.zoom = m_zoom;
  s.pan = m_pan;
  s.overlay = m_state.response_overlay ? m_overlay.get() : nullptr;
  return s;
}

GraphGeometry GraphView::canvas_geometry() const {
  return graph_geometry(QRectF(m_canvas->rect()), scene(), false);
}

void GraphView::centre_on(int node) {
  if (node < 0 || static_cast<std::size_t>(node) >= m_positions.size()) return;
  const auto g = canvas_geometry();
  const QPointF at = g.to_screen(m_positions[static_cast<std::size_t>(node)]);
  m_pan += g.plot.center() - at;
}

void GraphView::canvas_pressed(const QPointF& pos, Qt::MouseButton button, bool double_click) {
  if (button != Qt::LeftButton) return;
  const auto s = scene();
  const auto g = canvas_geometry();
  m_press = pos;
  m_press_pan = m_pan;
  const int node = node_at(s, g, pos);
  if (node >= 0) {
    const QString gene = QString::fromStdString(
        m_data->genes[static_cast<std::size_t>(m_drawn.nodes[static_cast<std::size_t>(node)])]);
    if (double_click) {
      navigate_gene(gene, true);
      return;
    }
    m_state.selected_gene = gene;
    m_state.selected_edge.reset();
    if (m_state.focus != Focus::all) {
      // The picture changes to the gene's neighbourhood: nothing to drag until it is laid out.
      m_state.focus_gene = gene;
      refilter();
    } else {
      m_drag = Drag::node;
      m_drag_node = node;
      sync_table_selection();
    }
    m_canvas->update();
    navigate_gene(gene, false);
    return;
  }
  if (const auto edge = edge_at(s, g, pos)) {
    if (double_click) {
      navigate_edge(*edge, true);
    } else {
      select_edge(*edge);
    }
    return;
  }
  m_drag = Drag::pan;
  if (!double_click) clear_selection();
}

void GraphView::canvas_dragged(const QPointF& pos) {
  if (m_drag == Drag::pan) {
    m_pan = m_press_pan + (pos - m_press);
    m_canvas->update();
  } else if (m_drag == Drag::node && m_drag_node >= 0 &&
             static_cast<std::size_t>(m_drag_node) < m_drawn.nodes.size()) {
    if ((pos - m_press).manhattanLength() < 3) return; // a click, not a drag
    const auto g = canvas_geometry();
    move_node(
        QString::fromStdString(
            m_data->genes[static_cast<std::size_t>(m_drawn.nodes[static_cast<std::size_t>(m_drag_node)])]),
        g.to_layout(pos));
  }
}

void GraphView::canvas_released() {
  m_drag = Drag::none;
  m_drag_node = -1;
}

void GraphView::canvas_wheel(const QPointF& pos, double factor) {
  const auto g = canvas_geometry();
  const double zoom = std::clamp(m_zoom * factor, 0.2, 20.0);
  const double f = zoom / m_zoom;
  // Zoom about the pointer: the point under it stays put.
  const QPointF centre = g.plot.center() + m_pan;
  m_pan += (pos - centre) * (1 - f);
  m_zoom = zoom;
  m_canvas->update();
}

// ---- export, figures, sessions ----

void GraphView::export_network(const QString& path) {
  if (!m_data) {
    Q_EMIT error_occurred("no network to export");
    return;
  }
  gc::grn::Network net;
  net.method = m_data->method;
  net.source = m_data->source;
  std::vector<std::string> tfs;
  std::vector<std::uint8_t> listed(m_data->genes.size(), 0);
  for (const auto i : m_shown.edges) {
    const auto& e = m_data->edges[i];
    net.edges.push_back({m_data->genes[static_cast<std::size_t>(e.regulator)],
                         m_data->genes[static_cast<std::size_t>(e.target)], e.score, e.sign});
    for (const int g : {e.regulator, e.target}) {
      if (m_data->is_tf[static_cast<std::size_t>(g)] && !listed[static_cast<std::size_t>(g)]) {
        listed[static_cast<std::size_t>(g)] = 1;
        tfs.push_back(m_data->genes[static_cast<std::size_t>(g)]);
      }
    }
  }
  net.tfs = std::move(tfs);
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this](const QString& error) { Q_EMIT error_occurred(error); };
  m_tasks->run(
      "Exporting the network",
      [net, target = path.toStdString()](const gc::Progress&) { gc::grn::write_network(target, net); },
      [this, path] {
        Q_EMIT status_message("Network written to " + path);
        Q_EMIT network_exported(path);
      },
      std::move(options));
}

void GraphView::render_figure(QPainter& painter, const QRectF& target) const {
  auto s = scene();
  // Figures show the whole network, not the screen's zoom.
  s.zoom = 1.0;
  s.pan = {};
  paint_graph(painter, target, s, true);
}

QJsonObject GraphView::save_state() const { return to_json(m_state); }

void GraphView::restore_state(const QJsonObject& o) {
  try {
    m_state = read_json(o);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
    return;
  }
  m_zoom = 1.0;
  m_pan = {};
  sync_controls();
  // The dragged positions apply to the next layout, which the refresh or the filter asks for.
  m_positions.clear();
  m_drawn = {};
  if (m_data) refilter();
  schedule_refresh();
}

} // namespace gc::ui
