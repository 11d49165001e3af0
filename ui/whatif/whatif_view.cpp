#include "gc/ui/whatif/whatif_view.h"

#include "gc/perturb/track.h"
#include "gc/ui/common/figure_export.h"
#include "gc/ui/whatif/whatif_charts.h"
#include "gc/ui/workspace.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <QAbstractItemView>
#include <QChartView>
#include <QComboBox>
#include <QCompleter>
#include <QCryptographicHash>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QProgressBar>
#include <QRegularExpression>
#include <QShowEvent>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStringListModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>
#include <functional>
#include <unordered_map>

namespace gc::ui {

namespace whatif {

// Several genes, comma-separated, the last one completed from the model's genes.
class GeneListEdit final : public QLineEdit {
public:
  GeneListEdit(QStringListModel* names, QWidget* parent) : QLineEdit(parent) {
    m_completer = new QCompleter(names, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(this);
    connect(this, &QLineEdit::textEdited, this, [this](const QString& text) {
      const QString token = text.section(separators(), -1).trimmed();
      if (token.isEmpty()) {
        m_completer->popup()->hide();
        return;
      }
      m_completer->setCompletionPrefix(token);
      if (m_completer->completionCount() > 0)
        m_completer->complete();
      else
        m_completer->popup()->hide();
    });
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this,
            [this](const QString& gene) {
              QStringList genes = split(text());
              // The completed token replaces the one being typed (the last), unless it was complete.
              if (!genes.isEmpty() && !text().trimmed().endsWith(',')) genes.removeLast();
              genes.removeAll(gene);
              genes << gene;
              setText(genes.join(", "));
              if (on_completed) on_completed();
            });
  }

  static QRegularExpression separators() { return QRegularExpression("[,+\\s]+"); }
  static QStringList split(const QString& text) {
    QStringList out;
    for (const auto& t : text.split(separators(), Qt::SkipEmptyParts))
      if (!out.contains(t)) out << t;
    return out;
  }
  [[nodiscard]] QStringList genes() const { return split(text()); }
  void set_genes(const QStringList& genes) {
    if (genes != this->genes()) setText(genes.join(", "));
  }
  [[nodiscard]] QCompleter* gene_completer() const noexcept { return m_completer; }

  std::function<void()> on_completed;

protected:
  void keyPressEvent(QKeyEvent* e) override {
    // While the list is open its keys choose from it (Qt's custom completer pattern).
    if (m_completer->popup()->isVisible()) {
      switch (e->key()) {
      case Qt::Key_Enter:
      case Qt::Key_Return:
      case Qt::Key_Escape:
      case Qt::Key_Tab:
      case Qt::Key_Backtab: e->ignore(); return;
      default: break;
      }
    }
    QLineEdit::keyPressEvent(e);
  }

private:
  QCompleter* m_completer;
};

} // namespace whatif

using namespace whatif;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// Forwards a task's progress to the runner (status bar, cancellation) and to the view's bar.
class TeeListener final : public gc::ProgressListener {
public:
  TeeListener(gc::Progress outer, std::shared_ptr<QtProgressListener> view)
      : m_outer(std::move(outer)), m_view(std::move(view)) {}
  void on_progress(double fraction, const std::string& message) override {
    m_view->on_progress(fraction, message);
    m_outer.update(fraction, message);
  }

private:
  gc::Progress m_outer;
  std::shared_ptr<QtProgressListener> m_view;
};

gc::Progress tee(const gc::Progress& outer, const std::shared_ptr<QtProgressListener>& view) {
  return {std::make_shared<TeeListener>(outer, view), *outer.token()};
}

constexpr int debounce_ms = 180;
constexpr int typing_ms = 600;

} // namespace

WhatifView::WhatifView(Workspace* workspace, TaskRunner* tasks, QWidget* parent)
    : QWidget(parent), m_workspace(workspace), m_tasks(tasks) {
  setObjectName("WhatifView");
  m_state.factor = default_factor(m_state.mode);
  m_charts = new WhatifCharts(this);
  m_table_model = new CascadeTableModel(this);
  m_proxy = new CascadeSortProxy(this);
  m_proxy->setSourceModel(m_table_model);
  m_table = new QTableView(this);
  m_table->setObjectName("WhatifCascadeTable");
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  // Rank order (the bars' order) until the user sorts by a column.
  m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->verticalHeader()->setVisible(false);
  m_table->verticalHeader()->setDefaultSectionSize(20);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setAlternatingRowColors(true);
  m_table->setToolTip("Every gene's predicted response; click a gene to explain its change, double-click to "
                      "see it in the browser");
  m_status = new QLabel(this);
  m_status->setObjectName("WhatifStatus");
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

  // The bars take the whole height (20 genes need it); the explanation shares the other column
  // with the truth scatter and the table, one at a time.
  m_side_tabs = new QTabWidget(this);
  m_side_tabs->setObjectName("WhatifSideTabs");
  m_side_tabs->setDocumentMode(true);
  m_side_tabs->addTab(m_table, "Cascade table");
  m_side_tabs->addTab(m_charts->volcano_view(), "Volcano");
  m_side_tabs->setTabToolTip(
      1, "Every gene's Δ against |Δ| / sd over draws of the latent (a z-like confidence)");
  m_side_tabs->addTab(m_charts->truth_view(), "Predicted vs true");
  m_side_tabs->setTabToolTip(
      2, "Predicted against true log2 fold changes, when the workspace has a truth table");
  m_side_tabs->addTab(build_scenarios_tab(), "Scenarios");
  m_side_tabs->setTabToolTip(3,
                             "Saved scenarios compared side by side, kept in the session, exported as CSV");
  auto* right = new QSplitter(Qt::Vertical, this);
  m_right_split = right;
  right->addWidget(m_charts->shapley_view());
  right->addWidget(m_side_tabs);
  right->setStretchFactor(0, 11);
  right->setStretchFactor(1, 9);
  right->setChildrenCollapsible(false);
  // The main panel: the response, or the saved scenarios compared (what the figure shows too).
  m_main_tabs = new QTabWidget(this);
  m_main_tabs->setObjectName("WhatifMainTabs");
  m_main_tabs->setDocumentMode(true);
  m_main_tabs->addTab(m_charts->response_view(), "Response");
  m_main_tabs->addTab(m_charts->compare_view(), "Scenarios compared");
  m_main_tabs->setTabToolTip(
      1, "The ticked saved scenarios side by side (the Scenarios tab saves and ticks them)");
  connect(m_main_tabs, &QTabWidget::currentChanged, this, [this](int i) {
    if (!m_syncing) m_state.panel = i == 1 ? Panel::scenarios : Panel::response;
  });
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(m_main_tabs);
  split->addWidget(right);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  split->setSizes({520, 520});
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

  m_predict_timer = new QTimer(this);
  m_explain_timer = new QTimer(this);
  m_typing_timer = new QTimer(this);
  for (auto* t : {m_predict_timer, m_explain_timer})
    t->setSingleShot(true), t->setInterval(debounce_ms);
  m_typing_timer->setSingleShot(true);
  m_typing_timer->setInterval(typing_ms);
  connect(m_predict_timer, &QTimer::timeout, this, &WhatifView::start_prediction);
  connect(m_explain_timer, &QTimer::timeout, this, &WhatifView::start_explanation);
  connect(m_typing_timer, &QTimer::timeout, this, [this] { commit_genes(true); });

  connect(m_charts, &WhatifCharts::gene_clicked, this, [this](const QString& gene) {
    set_target(gene);
    select_gene(gene, true, false);
  });
  connect(m_charts, &WhatifCharts::player_clicked, this,
          [this](const QString& gene) { select_gene(gene, true, false); });
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    if (m_syncing) return;
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.size() != 1) return;
    const auto source = m_proxy->mapToSource(rows.front());
    if (!source.isValid()) return;
    const QString gene = qs(m_table_model->row_at(source.row()).gene);
    set_target(gene);
    select_gene(gene, true, false);
  });
  connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const auto source = m_proxy->mapToSource(index);
    if (source.isValid()) select_gene(qs(m_table_model->row_at(source.row()).gene), true, true);
  });
  connect(m_workspace, &Workspace::dataset_added, this, [this] {
    if (m_workspace->loading() == 0) schedule_refresh();
  });
  connect(m_workspace, &Workspace::idle, this, &WhatifView::schedule_refresh);
  connect(m_workspace, &Workspace::cleared, this, &WhatifView::schedule_refresh);
  m_message = "Load a perturbation screen to ask what a knockout does.";
  sync_controls();
  show_response();
  update_status();
}

WhatifView::~WhatifView() {
  m_model_task.cancel();
  m_predict_task.cancel();
  m_explain_task.cancel();
  m_scenario_task.cancel();
}

QLineEdit* WhatifView::genes_edit() const noexcept { return m_genes_edit; }

bool WhatifView::computing() const noexcept {
  return m_model_running || m_predict_running || m_predict_pending || m_explain_running ||
         m_scenario_running || m_refresh_pending || m_predict_timer->isActive() ||
         m_explain_timer->isActive();
}

QWidget* WhatifView::build_toolbar() {
  auto* bar = new QWidget(this);
  bar->setObjectName("WhatifToolbar");
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

  m_gene_names = new QStringListModel(this);
  m_genes_edit = new GeneListEdit(m_gene_names, bar);
  m_genes_edit->setObjectName("WhatifGenes");
  m_genes_edit->setPlaceholderText("genes, e.g. TF03, TF07");
  m_genes_edit->setToolTip("The genes to perturb, comma-separated (completed from the model's genes)");
  m_genes_edit->setMinimumWidth(150);
  m_genes_edit->setClearButtonEnabled(true);
  m_mode_box = new QComboBox(bar);
  m_mode_box->addItem("knockout", "ko");
  m_mode_box->addItem("knockdown", "kd");
  m_mode_box->addItem("overexpression", "oe");
  m_mode_box->setToolTip("Knockout: expression × 0; knockdown by F: × (1 − F); overexpression: × F");
  m_factor_box = new QDoubleSpinBox(bar);
  m_factor_box->setObjectName("WhatifFactor");
  m_factor_box->setKeyboardTracking(false);
  m_factor_box->setMinimumWidth(80);
  m_strength_slider = new QSlider(Qt::Horizontal, bar);
  m_strength_slider->setObjectName("WhatifStrength");
  // Narrow: the first row holds the genes, the mode, the group and Top as well.
  m_strength_slider->setFixedWidth(84);
  // The response follows while the slider moves (each move a coalesced prediction).
  m_strength_slider->setTracking(true);
  m_group_box = new QComboBox(bar);
  m_group_box->setToolTip("The cell group (cell type) whose control state is perturbed");
  m_group_box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_top_box = new QSpinBox(bar);
  m_top_box->setRange(1, max_top_n);
  m_top_box->setToolTip("How many responding genes the bar chart shows");
  m_top_box->setKeyboardTracking(false);
  auto* recompute = new QToolButton(bar);
  recompute->setText("Retrain");
  recompute->setToolTip("Train the perturbation model again on the screen (ignoring the cached one)");
  row1->addWidget(label("Genes "));
  row1->addWidget(m_genes_edit);
  row1->addWidget(label("  Mode "));
  row1->addWidget(m_mode_box);
  row1->addWidget(m_factor_box);
  row1->addWidget(m_strength_slider);
  row1->addWidget(label("  Group "));
  row1->addWidget(m_group_box);
  row1->addWidget(label("  Top "));
  row1->addWidget(m_top_box);
  row1->addSeparator();
  row1->addWidget(recompute);

  m_target_edit = new QLineEdit(bar);
  m_target_edit->setObjectName("WhatifTarget");
  m_target_edit->setPlaceholderText("most changed gene");
  m_target_edit->setToolTip(
      "The gene whose change is explained (empty: the most changed gene; clicking a bar "
      "or a table row chooses one)");
  m_target_edit->setClearButtonEnabled(true);
  m_target_edit->setMaximumWidth(170);
  auto* target_completer = new QCompleter(m_gene_names, this);
  target_completer->setCaseSensitivity(Qt::CaseInsensitive);
  m_target_edit->setCompleter(target_completer);
  m_method_box = new QComboBox(bar);
  m_method_box->addItem("auto", "auto");
  m_method_box->addItem("exact", "exact");
  m_method_box->addItem("permutation", "permutation");
  m_method_box->addItem("kernel", "kernel");
  m_method_box->setToolTip(QString("auto: exact enumeration up to %1 players, else permutation sampling to a "
                                   "standard error of %2; kernel: KernelSHAP")
                               .arg(gc::perturb::max_exact_players)
                               .arg(auto_target_se));
  m_players_box = new QComboBox(bar);
  m_players_box->addItem("regulators", "regulators");
  m_players_box->addItem("perturbed genes", "perturbed");
  m_players_box->setToolTip(
      "Players: the target's regulators in the model's graph (their edges into it removed "
      "when absent), or the perturbed genes (left unperturbed when absent)");
  m_progress = new QProgressBar(bar);
  m_progress->setObjectName("WhatifProgress");
  m_progress->setRange(0, 100);
  m_progress->setMaximumWidth(260);
  m_progress->setMinimumWidth(160);
  m_progress->setTextVisible(true);
  m_progress->setFormat("idle");
  m_cancel = new QToolButton(bar);
  m_cancel->setObjectName("WhatifCancel");
  m_cancel->setText("Cancel");
  m_cancel->setToolTip("Stop the running training, prediction or explanation");
  m_cancel->setEnabled(false);
  auto* track_button = new QToolButton(bar);
  track_button->setObjectName("WhatifTrackButton");
  track_button->setText("Track");
  track_button->setToolTip("Add the response as a track to the genome browser: Δ on each gene's locus "
                           "(needs the annotation; written as a bedGraph that IGV opens too)");
  auto* export_button = new QToolButton(bar);
  export_button->setText("Export…");
  export_button->setToolTip("Write the view as a figure (SVG, PDF, PNG) or the cascade table as CSV");
  row2->addWidget(label("Explain "));
  row2->addWidget(m_target_edit);
  row2->addWidget(label("  Shapley "));
  row2->addWidget(m_method_box);
  row2->addWidget(label("  Players "));
  row2->addWidget(m_players_box);
  row2->addSeparator();
  row2->addWidget(m_progress);
  row2->addWidget(m_cancel);
  row2->addSeparator();
  row2->addWidget(track_button);
  row2->addWidget(export_button);

  m_genes_edit->on_completed = [this] { commit_genes(false); };
  connect(m_genes_edit, &QLineEdit::returnPressed, this, [this] { commit_genes(false); });
  connect(m_genes_edit, &QLineEdit::editingFinished, this, [this] { commit_genes(false); });
  connect(m_genes_edit, &QLineEdit::textEdited, this, [this] { m_typing_timer->start(); });
  connect(m_mode_box, &QComboBox::activated, this, [this](int i) {
    const auto m = m_mode_box->itemData(i).toString();
    set_mode(m == "kd"   ? gc::perturb::Mode::knockdown
             : m == "oe" ? gc::perturb::Mode::overexpression
                         : gc::perturb::Mode::knockout);
  });
  connect(m_factor_box, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (!m_syncing) set_factor(v);
  });
  connect(m_strength_slider, &QSlider::valueChanged, this, [this](int position) {
    if (!m_syncing) set_factor_live(slider_to_strength(m_state.mode, position));
  });
  // Released: the explanation the drag put off runs now.
  connect(m_strength_slider, &QSlider::sliderReleased, this, [this] {
    if (m_explain_timer->isActive()) start_explanation();
  });
  connect(m_group_box, &QComboBox::activated, this,
          [this](int i) { set_group(m_group_box->itemData(i).toString()); });
  connect(m_top_box, &QSpinBox::valueChanged, this, [this](int v) {
    if (!m_syncing) set_top_n(v);
  });
  connect(recompute, &QToolButton::clicked, this, &WhatifView::recompute);
  connect(m_target_edit, &QLineEdit::returnPressed, this,
          [this] { set_target(m_target_edit->text().trimmed()); });
  connect(m_target_edit, &QLineEdit::editingFinished, this,
          [this] { set_target(m_target_edit->text().trimmed()); });
  connect(target_completer, qOverload<const QString&>(&QCompleter::activated), this,
          [this](const QString& gene) { set_target(gene); });
  connect(m_method_box, &QComboBox::activated, this, [this](int i) {
    if (const auto m = parse_method(m_method_box->itemData(i).toString().toStdString())) set_method(*m);
  });
  connect(m_players_box, &QComboBox::activated, this, [this](int i) {
    if (const auto p = parse_players(m_players_box->itemData(i).toString().toStdString())) set_players(*p);
  });
  connect(m_cancel, &QToolButton::clicked, this, &WhatifView::cancel);
  connect(track_button, &QToolButton::clicked, this, &WhatifView::show_impact_track);
  connect(export_button, &QToolButton::clicked, this, [this] {
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, "Export the what-if view",
        QString(m_response ? qs(m_response->label) : QString("whatif")) + ".svg",
        "SVG figure (*.svg);;PDF figure (*.pdf);;PNG figure (*.png);;Cascade table (*.csv)", &filter);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().toLower() == "csv") {
      export_table(path);
      return;
    }
    try {
      export_figure(*this, path);
      Q_EMIT status_message("Figure written to " + path);
    } catch (const std::exception& e) {
      Q_EMIT error_occurred(QString::fromStdString(e.what()));
    }
  });
  return bar;
}

void WhatifView::sync_controls() {
  m_syncing = true;
  m_genes_edit->set_genes(m_state.genes);
  m_mode_box->setCurrentIndex(static_cast<int>(m_state.mode));
  switch (m_state.mode) {
  case gc::perturb::Mode::knockout:
    m_factor_box->setEnabled(false);
    m_factor_box->setPrefix("");
    m_factor_box->setSpecialValueText("—");
    m_factor_box->setRange(0, 0);
    m_factor_box->setToolTip("A knockout has no strength");
    break;
  case gc::perturb::Mode::knockdown:
    m_factor_box->setEnabled(true);
    m_factor_box->setSpecialValueText("");
    m_factor_box->setPrefix("by ");
    m_factor_box->setDecimals(2);
    m_factor_box->setRange(0.01, 0.99);
    m_factor_box->setSingleStep(0.05);
    m_factor_box->setValue(m_state.factor);
    m_factor_box->setToolTip("Knockdown by F: the fraction F of the expression removed");
    break;
  case gc::perturb::Mode::overexpression:
    m_factor_box->setEnabled(true);
    m_factor_box->setSpecialValueText("");
    m_factor_box->setPrefix("× ");
    m_factor_box->setDecimals(2);
    m_factor_box->setRange(1.05, max_overexpression);
    m_factor_box->setSingleStep(0.5);
    m_factor_box->setValue(m_state.factor);
    m_factor_box->setToolTip("Overexpression × F: the expression multiplied by F");
    break;
  }
  const auto range = strength_slider_range(m_state.mode);
  m_strength_slider->setRange(range.lo, range.hi);
  m_strength_slider->setEnabled(m_state.mode != gc::perturb::Mode::knockout);
  // A position already standing for the factor stays (the slider's own moves round-trip).
  if (slider_to_strength(m_state.mode, m_strength_slider->value()) != m_state.factor)
    m_strength_slider->setValue(strength_to_slider(m_state.mode, m_state.factor));
  m_strength_slider->setToolTip(
      m_state.mode == gc::perturb::Mode::knockdown
          ? QString("The fraction removed, 1–99 %: the response follows as you drag")
      : m_state.mode == gc::perturb::Mode::overexpression
          ? QString("The fold, %1× to %2× on a log scale: the response follows as you drag")
                .arg(min_overexpression)
                .arg(max_overexpression)
          : QString("A knockout has no strength"));
  m_group_box->clear();
  if (m_model) {
    for (const auto& g : m_model->groups())
      m_group_box->addItem(qs(g), qs(g));
    const int i = m_state.group.isEmpty() ? 0 : m_group_box->findData(m_state.group);
    m_group_box->setCurrentIndex(std::max(0, i));
  }
  m_group_box->setEnabled(m_group_box->count() > 1);
  m_top_box->setValue(m_state.top_n);
  m_target_edit->setText(m_state.target);
  m_target_edit->setPlaceholderText(
      m_state.target.isEmpty() && !m_target.empty() ? "auto: " + qs(m_target) : QString("most changed gene"));
  m_method_box->setCurrentIndex(m_method_box->findData(qs(to_string(m_state.method))));
  m_players_box->setCurrentIndex(m_players_box->findData(qs(to_string(m_state.players))));
  m_scenario_name->setPlaceholderText(
      m_state.genes.isEmpty()
          ? QString("name (default: the intervention and group)")
          : "name (default " + default_scenario_name(intervention_label(m_state), scenario_group()) + ")");
  m_main_tabs->setCurrentIndex(m_state.panel == Panel::scenarios ? 1 : 0);
  m_syncing = false;
}

// ---- the models ----

void WhatifView::schedule_refresh() {
  // Queued, so that a session's state (applied when the same loads end) is in place first.
  if (m_refresh_pending) return;
  m_refresh_pending = true;
  QTimer::singleShot(0, this, [this] {
    m_refresh_pending = false;
    refresh_sources();
  });
}

void WhatifView::refresh_sources() {
  m_sources = choose_model_sources(m_workspace->datasets());
  if (!m_sources.ready()) {
    m_model_task.cancel();
    m_predict_task.cancel();
    m_explain_task.cancel();
    m_scenario_task.cancel();
    m_predict_pending = false;
    m_model.reset();
    m_response.reset();
    m_explanation.reset();
    m_scenario_results.clear();
    publish_overlay();
    update_scenarios();
    m_model_key.clear();
    m_running_key.clear();
    m_message = m_sources.missing();
    m_table_model->set_response(nullptr);
    show_response();
    update_status();
    return;
  }
  if (!have_perturbation_model()) {
    m_message = "This build has no perturbation model (LibTorch): the what-if view needs it.";
    show_response();
    update_status();
    return;
  }
  const QString key = m_sources.key();
  if (key == m_model_key || (m_model_running && key == m_running_key)) return;
  // Training takes minutes: it runs once the view is on screen, not for a tab nobody opened.
  if (!isVisible()) {
    m_deferred = true;
    return;
  }
  m_deferred = false;
  start_model_job(m_sources);
}

void WhatifView::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  if (!m_split_sized && m_right_split->height() > 0) {
    // The explanation gets more than half the column: its bars need the height.
    m_split_sized = true;
    const int h = m_right_split->height();
    m_right_split->setSizes({h * 57 / 100, h - h * 57 / 100});
  }
  if (m_deferred) schedule_refresh();
}

void WhatifView::recompute() {
  if (!m_sources.ready()) {
    Q_EMIT status_message(m_sources.missing());
    return;
  }
  auto sources = m_sources;
  sources.retrain = true;
  start_model_job(sources);
}

std::shared_ptr<QtProgressListener> WhatifView::begin_work(std::uint64_t job, const QString& what) {
  m_work = what;
  m_work_detail.clear();
  m_progress->setValue(0);
  m_progress->setFormat(what + " %p%");
  m_progress->setToolTip(what);
  m_cancel->setEnabled(true);
  // Deleted on the GUI thread whichever thread drops the last reference.
  std::shared_ptr<QtProgressListener> listener(new QtProgressListener,
                                               [](QtProgressListener* l) { l->deleteLater(); });
  connect(listener.get(), &QtProgressListener::progressed, this,
          [this, job](double fraction, const QString& message) {
            if (job != m_job) return;
            m_progress->setValue(static_cast<int>(std::lround(fraction * 100)));
            if (!message.isEmpty() && message != m_work_detail) {
              m_work_detail = message;
              m_progress->setToolTip(m_work + ": " + message);
              update_status();
            }
          });
  update_status();
  return listener;
}

void WhatifView::end_work(std::uint64_t job, const QString& outcome) {
  if (job != m_job) return;
  m_work.clear();
  m_work_detail.clear();
  // An empty bar: a full one reads as work still shown.
  m_progress->setValue(0);
  m_progress->setFormat(outcome.isEmpty() ? QString("ready") : outcome);
  m_cancel->setEnabled(false);
  update_status();
}

void WhatifView::start_model_job(const ModelSources& sources) {
  m_model_task.cancel();
  m_predict_task.cancel();
  m_explain_task.cancel();
  m_predict_pending = false;
  m_predict_timer->stop();
  m_explain_timer->stop();
  const auto job = ++m_job;
  m_model_job = job;
  const QString key = sources.key();
  m_running_key = key;
  m_model_running = true;
  const QString screen = QFileInfo(sources.screen->path).fileName();
  m_message = "Preparing the perturbation model on " + screen +
              " (the GRN first, as the Network view trains it; cached for later starts)…";
  if (!m_model) show_response();
  auto listener = begin_work(job, sources.retrain ? "Retraining" : "Perturbation model");
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this, job](const QString& error) {
    if (job != m_model_job) return;
    m_message = "The perturbation model could not be made: " + error;
    show_response();
    Q_EMIT error_occurred("what-if view: " + error);
  };
  options.on_finished = [this, job](TaskOutcome outcome) {
    if (job != m_model_job) return;
    m_model_running = false;
    m_running_key.clear();
    if (outcome == TaskOutcome::cancelled) {
      m_message = "Cancelled: press Retrain (or reload the data) to make the perturbation model.";
      if (!m_model) show_response();
    }
    end_work(job, outcome == TaskOutcome::succeeded   ? QString()
                  : outcome == TaskOutcome::cancelled ? QString("cancelled")
                                                      : QString("failed"));
  };
  m_model_task = m_tasks->run(
      "Perturbation model on " + screen,
      [sources, listener](const gc::Progress& p) { return run_model_job(sources, tee(p, listener)); },
      [this, job, key](std::shared_ptr<const WhatifModel> model) {
        if (job != m_model_job) return;
        apply_model(std::move(model), key);
      },
      std::move(options));
}

void WhatifView::apply_model(std::shared_ptr<const WhatifModel> model, const QString& key) {
  for (const auto& n : model->notes())
    gc::log::info("what-if view: ", n);
  m_model = std::move(model);
  m_model_key = key;
  QStringList names;
  for (const auto& g : m_model->genes())
    names << qs(g);
  names.sort(Qt::CaseInsensitive);
  m_gene_names->setStringList(names);
  // No scenario chosen (a first start, a session without one): the model's proposal.
  if (m_state.genes.isEmpty()) m_state.genes = m_model->default_genes();
  const auto& groups = m_model->groups();
  if (!m_state.group.isEmpty() &&
      std::find(groups.begin(), groups.end(), m_state.group.toStdString()) == groups.end()) {
    Q_EMIT status_message("The model has no cell group '" + m_state.group + "': showing " +
                          qs(groups.front()));
    m_state.group.clear();
  }
  sync_controls();
  // Another model predicts otherwise: the saved scenarios are predicted again.
  m_scenario_task.cancel();
  m_scenario_results.clear();
  update_scenarios();
  Q_EMIT model_ready();
  if (m_state.genes.isEmpty()) {
    m_message = "Type the genes to perturb (the screen has no single knockout to start from).";
    show_response();
    return;
  }
  start_prediction();
}

// ---- predictions and explanations ----

void WhatifView::schedule_prediction() {
  if (!m_model) return;
  m_predict_timer->start();
}

void WhatifView::start_prediction() {
  m_predict_timer->stop();
  if (!m_model) return;
  m_explain_task.cancel();
  m_explain_timer->stop();
  if (m_predict_running) {
    // At most one prediction runs. The running one is stale: cancelled, so its result is never
    // shown, and the newest state runs when it has ended (states in between are skipped).
    m_predict_pending = true;
    m_predict_task.cancel();
    return;
  }
  launch_prediction();
}

void WhatifView::launch_prediction() {
  m_predict_pending = false;
  const auto job = ++m_job;
  m_predict_job = job;
  m_predict_running = true;
  const auto state = m_state;
  const auto model = m_model;
  auto listener = begin_work(job, "Predicting");
  TaskRunner::Options options;
  options.context = this;
  options.quiet = false;
  options.on_error = [this, job](const QString& error) {
    if (job != m_predict_job || m_predict_pending) return;
    // Bad input (an unknown gene) is a message where the answer would be, not a dialog.
    m_message = error;
    m_response.reset();
    m_explanation.reset();
    m_table_model->set_response(nullptr);
    show_response();
    show_explanation_message("No prediction to explain.");
    publish_overlay();
  };
  options.on_finished = [this, job](TaskOutcome outcome) {
    if (job != m_predict_job) return;
    m_predict_running = false;
    if (m_predict_pending && m_model) {
      launch_prediction();
      return;
    }
    m_predict_pending = false;
    if (outcome == TaskOutcome::cancelled) show_explanation_message("Cancelled.");
    end_work(job, outcome == TaskOutcome::succeeded   ? QString()
                  : outcome == TaskOutcome::cancelled ? QString("cancelled")
                                                      : QString("failed"));
  };
  m_predict_task = m_tasks->run(
      "What if: " + state.genes.join(" + "),
      [model, state, listener](const gc::Progress& p) {
        return predict_response(*model, state, tee(p, listener));
      },
      [this, job, state](Response response) {
        if (job != m_predict_job || m_predict_pending) return;
        apply_response(std::move(response), state);
      },
      std::move(options));
}

void WhatifView::apply_response(Response response, const WhatifState& state) {
  m_response = std::make_shared<const Response>(std::move(response));
  m_response_state = state;
  m_table_model->set_response(m_response);
  m_table->resizeColumnsToContents();
  m_target = explanation_target(m_state, *m_response);
  show_response();
  sync_table_selection();
  sync_controls();
  publish_overlay();
  Q_EMIT response_ready();
  // While the slider is held the explanation waits for a pause (or the release): it takes
  // longer than a prediction and would be cancelled by the next move anyway.
  if (m_strength_slider->isSliderDown())
    schedule_explanation();
  else
    start_explanation();
}

void WhatifView::publish_overlay() {
  Q_EMIT overlay_changed(
      m_response ? std::make_shared<const graph::ResponseOverlay>(response_overlay(*m_response)) : nullptr);
}

void WhatifView::draw_response() {
  m_charts->set_response(m_response.get(), m_state.top_n, m_target, m_message);
  m_charts->set_volcano(m_response.get(), m_state.top_n, m_target, m_message);
}

void WhatifView::show_response() {
  // The first comparison with the truth is shown; the user's choice of tab stands after that.
  if (m_response && m_response->truth && !m_truth_tab_shown) {
    m_truth_tab_shown = true;
    m_side_tabs->setCurrentWidget(m_charts->truth_view());
  }
  const QString truth_name = m_sources.truth ? QFileInfo(m_sources.truth->path).fileName() : QString();
  draw_response();
  const QString no_truth =
      !m_response ? QString("No prediction yet.")
      : !m_model || !m_model->truth()
          ? QString("No truth table: load one (perturbation, cell_type, gene, expected_log2fc) to "
                    "compare with, such as the demo world's perturbation_truth.tsv.")
          : QString("%1 has no %2 in %3.").arg(truth_name, qs(m_response->label), qs(m_response->group));
  m_charts->set_truth(m_response.get(), truth_name, no_truth);
  if (!m_response) show_explanation_message(m_model ? "No prediction to explain." : m_message);
  update_status();
}

void WhatifView::show_explanation_message(const QString& message) {
  m_explanation.reset();
  m_explanation_message = message;
  m_charts->set_explanation(nullptr, m_response ? m_response->scale : std::string("log1p"), message);
  update_status();
}

void WhatifView::schedule_explanation() {
  if (!m_response) return;
  m_explain_timer->start();
}

void WhatifView::start_explanation() {
  m_explain_timer->stop();
  if (!m_model || !m_response) return;
  m_explain_task.cancel();
  m_target = explanation_target(m_state, *m_response);
  if (m_target.empty()) {
    show_explanation_message("No gene changes: nothing to explain.");
    return;
  }
  const auto job = ++m_job;
  m_explain_job = job;
  m_explain_running = true;
  const auto state = m_state;
  const auto model = m_model;
  const auto target = m_target;
  show_explanation_message("Explaining " + qs(target) + "'s change…");
  auto listener = begin_work(job, "Explaining " + qs(target));
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this, job](const QString& error) {
    if (job != m_explain_job) return;
    show_explanation_message(error);
  };
  options.on_finished = [this, job](TaskOutcome outcome) {
    if (job != m_explain_job) return;
    m_explain_running = false;
    if (outcome == TaskOutcome::cancelled)
      show_explanation_message("Cancelled: choose a target or a method to explain again.");
    end_work(job, outcome == TaskOutcome::succeeded   ? QString()
                  : outcome == TaskOutcome::cancelled ? QString("cancelled")
                                                      : QString("failed"));
  };
  m_explain_task = m_tasks->run(
      "Explaining " + qs(target),
      [model, state, target, listener](const gc::Progress& p) {
        return explain_response(*model, state, target, tee(p, listener));
      },
      [this, job](Explanation explanation) {
        if (job != m_explain_job) return;
        apply_explanation(std::move(explanation));
      },
      std::move(options));
  // The bars and the volcano mark the target being explained.
  draw_response();
  sync_controls();
}

void WhatifView::apply_explanation(Explanation explanation) {
  m_explanation = std::make_shared<const Explanation>(std::move(explanation));
  m_explanation_message.clear();
  m_charts->set_explanation(m_explanation.get(), m_response ? m_response->scale : std::string("log1p"), {});
  update_status();
  Q_EMIT explanation_ready();
}

void WhatifView::update_status() {
  QString text;
  if (!m_response) {
    text = m_message;
  } else {
    const auto& r = *m_response;
    text = QString("%1 in %2: %3 genes change (impact Σ|Δ| %4)")
               .arg(qs(r.description), qs(r.group))
               .arg(r.changed)
               .arg(r.impact, 0, 'g', 3);
    if (m_explanation) {
      text += QString("; %1 explained by %2 %3: %4")
                  .arg(qs(m_explanation->target))
                  .arg(m_explanation->shapley.players.size())
                  .arg(m_explanation->players == Players::perturbed ? "perturbed genes" : "regulators")
                  .arg(shapley_summary(*m_explanation));
    } else if (!m_explanation_message.isEmpty()) {
      text += "; " + m_explanation_message;
    }
    if (r.truth) text += "; vs truth: " + truth_summary(*r.truth);
  }
  if (m_model)
    text += QString("  [model: %1%2]").arg(m_model->screen_name(), m_model->cached() ? ", cached" : "");
  if (!m_work.isEmpty())
    text += "  —  " + m_work + (m_work_detail.isEmpty() ? QString() : ": " + m_work_detail) + "…";
  m_status->setText(text);
}

QString WhatifView::status_text() const { return m_status->text(); }

// ---- controls ----

void WhatifView::commit_genes(bool from_typing) {
  m_typing_timer->stop();
  const auto genes = m_genes_edit->genes();
  if (genes == m_state.genes) return;
  if (genes.isEmpty()) return;
  if (m_model) {
    QStringList unknown;
    for (const auto& g : genes)
      if (!m_model->has_gene(g.toStdString())) unknown << g;
    if (!unknown.isEmpty()) {
      // While typing a name is unfinished; once committed it is an answer to correct.
      if (!from_typing) {
        const auto close = m_model->suggest(unknown.front());
        Q_EMIT status_message("'" + unknown.front() + "' is not a gene of the model" +
                              (close.isEmpty() ? QString() : " — did you mean " + close.join(", ") + "?"));
      }
      return;
    }
  }
  set_genes(genes);
}

void WhatifView::set_genes(const QStringList& genes) {
  if (genes == m_state.genes) return;
  m_state.genes = genes;
  sync_controls();
  schedule_prediction();
}

void WhatifView::set_mode(gc::perturb::Mode mode) {
  if (mode == m_state.mode) return;
  m_state.mode = mode;
  if (!valid_factor(mode, m_state.factor) || mode == gc::perturb::Mode::knockout)
    m_state.factor = default_factor(mode);
  sync_controls();
  schedule_prediction();
}

void WhatifView::set_factor(double factor) {
  if (m_state.mode == gc::perturb::Mode::knockout || !valid_factor(m_state.mode, factor) ||
      factor == m_state.factor)
    return;
  m_state.factor = factor;
  sync_controls();
  schedule_prediction();
}

void WhatifView::set_factor_live(double factor) {
  if (m_state.mode == gc::perturb::Mode::knockout || !valid_factor(m_state.mode, factor) ||
      factor == m_state.factor)
    return;
  m_state.factor = factor;
  m_syncing = true;
  m_factor_box->setValue(factor);
  m_syncing = false;
  // Not debounced: each move asks at once, and the coalescing keeps one prediction running.
  start_prediction();
}

void WhatifView::set_group(const QString& group) {
  if (group == m_state.group) return;
  m_state.group = group;
  sync_controls();
  schedule_prediction();
}

void WhatifView::set_target(const QString& gene) {
  if (gene == m_state.target) return;
  if (!gene.isEmpty() && m_model && !m_model->has_gene(gene.toStdString())) {
    const auto close = m_model->suggest(gene);
    Q_EMIT status_message("'" + gene + "' is not a gene of the model" +
                          (close.isEmpty() ? QString() : " — did you mean " + close.join(", ") + "?"));
    return;
  }
  m_state.target = gene;
  if (m_response) m_target = explanation_target(m_state, *m_response);
  sync_controls();
  sync_table_selection();
  schedule_explanation();
}

void WhatifView::set_method(Method method) {
  if (method == m_state.method) return;
  m_state.method = method;
  sync_controls();
  schedule_explanation();
}

void WhatifView::set_players(Players players) {
  if (players == m_state.players) return;
  m_state.players = players;
  sync_controls();
  schedule_explanation();
}

void WhatifView::set_top_n(int n) {
  n = std::clamp(n, 1, max_top_n);
  if (n == m_state.top_n) return;
  m_state.top_n = n;
  sync_controls();
  // Only the pictures change: the response holds every gene.
  draw_response();
}

void WhatifView::cancel() {
  m_predict_timer->stop();
  m_explain_timer->stop();
  m_predict_pending = false;
  m_model_task.cancel();
  m_predict_task.cancel();
  m_explain_task.cancel();
}

void WhatifView::select_gene(const QString& gene, bool navigate, bool open) {
  sync_table_selection();
  if (!navigate) return;
  try {
    Q_EMIT locus_requested(m_workspace->find_locus(gene), open);
  } catch (const std::exception&) {
    Q_EMIT status_message(gene + ": no locus (load the annotation that names it to see it in the browser).");
  }
}

void WhatifView::sync_table_selection() {
  if (m_syncing) return;
  m_syncing = true;
  auto* selection = m_table->selectionModel();
  selection->clearSelection();
  const int row = m_table_model->row_of(m_target);
  if (row >= 0) {
    const auto index = m_proxy->mapFromSource(m_table_model->index(row, 0));
    if (index.isValid()) {
      selection->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
      m_table->scrollTo(index);
    }
  }
  m_syncing = false;
}

// ---- scenarios ----

namespace {

// A scenario's definition without its comparison flag: what its prediction depends on.
Scenario definition(Scenario s) {
  s.compared = true;
  return s;
}

// A CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180).
std::string csv_field(const QString& text) {
  const std::string s = text.toStdString();
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

} // namespace

QWidget* WhatifView::build_scenarios_tab() {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  layout->setContentsMargins(2, 2, 2, 0);
  layout->setSpacing(2);
  auto* row = new QHBoxLayout;
  m_scenario_name = new QLineEdit(tab);
  m_scenario_name->setObjectName("WhatifScenarioName");
  m_scenario_name->setPlaceholderText("name (default: the intervention and group)");
  m_scenario_name->setClearButtonEnabled(true);
  auto* save = new QToolButton(tab);
  save->setText("Save scenario");
  save->setToolTip("Save the current genes, mode, strength and cell group under this name");
  m_remove_scenario = new QToolButton(tab);
  m_remove_scenario->setText("Remove");
  m_remove_scenario->setToolTip("Remove the selected scenario");
  auto* export_button = new QToolButton(tab);
  export_button->setText("Export CSV…");
  export_button->setToolTip("Every saved scenario's Δ per gene, one column per scenario");
  row->addWidget(m_scenario_name, 1);
  row->addWidget(save);
  row->addWidget(m_remove_scenario);
  row->addWidget(export_button);
  layout->addLayout(row);
  m_scenario_list = new QListWidget(tab);
  m_scenario_list->setObjectName("WhatifScenarioList");
  m_scenario_list->setToolTip(
      "Ticked scenarios are compared (Scenarios compared, beside the response); double-click one to make it "
      "the current one");
  layout->addWidget(m_scenario_list, 1);

  const auto commit = [this] {
    if (!save_scenario(m_scenario_name->text().trimmed()).isEmpty()) m_scenario_name->clear();
  };
  connect(save, &QToolButton::clicked, this, commit);
  connect(m_scenario_name, &QLineEdit::returnPressed, this, commit);
  connect(m_remove_scenario, &QToolButton::clicked, this, [this] {
    if (auto* item = m_scenario_list->currentItem()) remove_scenario(item->data(Qt::UserRole).toString());
  });
  connect(m_scenario_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    if (!m_syncing)
      set_scenario_compared(item->data(Qt::UserRole).toString(), item->checkState() == Qt::Checked);
  });
  connect(m_scenario_list, &QListWidget::itemDoubleClicked, this,
          [this](QListWidgetItem* item) { load_scenario(item->data(Qt::UserRole).toString()); });
  connect(m_scenario_list, &QListWidget::currentItemChanged, this,
          [this](QListWidgetItem* item) { m_remove_scenario->setEnabled(item != nullptr); });
  m_remove_scenario->setEnabled(false);
  connect(export_button, &QToolButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, "Export the saved scenarios", "scenarios.csv",
                                                      "CSV table (*.csv)");
    if (!path.isEmpty()) export_scenarios(path);
  });
  return tab;
}

QString WhatifView::save_scenario(const QString& wanted) {
  if (m_state.genes.isEmpty()) {
    Q_EMIT status_message("No scenario to save: choose the genes to perturb first.");
    return {};
  }
  Scenario sc = current_scenario(m_state, wanted);
  // The response shown is this scenario's when it was predicted from the same intervention.
  const bool shown = m_response && definition(current_scenario(m_response_state, {})) ==
                                       definition(current_scenario(m_state, {}));
  if (shown) sc.group = qs(m_response->group);
  if (sc.name.isEmpty()) sc.name = default_scenario_name(intervention_label(m_state), scenario_group());
  bool replaced = false;
  for (auto& s : m_state.scenarios)
    if (s.name == sc.name) {
      s = sc;
      replaced = true;
    }
  if (!replaced) m_state.scenarios.push_back(sc);
  // A second scenario is something to compare: shown once; the user's choice of panel stands.
  if (m_state.scenarios.size() == 2 && !m_compare_shown) {
    m_compare_shown = true;
    m_state.panel = Panel::scenarios;
    sync_controls();
  }
  m_scenario_results.erase(sc.name);
  if (shown) m_scenario_results[sc.name] = {definition(sc), m_response, {}};
  update_scenarios();
  Q_EMIT status_message(QString("Scenario '%1' %2").arg(sc.name, replaced ? "replaced" : "saved"));
  return sc.name;
}

QString WhatifView::scenario_group() const {
  // A state without a group runs in the model's first.
  if (!m_state.group.isEmpty()) return m_state.group;
  return m_model && !m_model->groups().empty() ? qs(m_model->groups().front()) : QString();
}

void WhatifView::remove_scenario(const QString& name) {
  const auto before = m_state.scenarios.size();
  std::erase_if(m_state.scenarios, [&](const Scenario& s) { return s.name == name; });
  if (m_state.scenarios.size() == before) return;
  m_scenario_results.erase(name);
  update_scenarios();
}

void WhatifView::set_scenario_compared(const QString& name, bool compared) {
  for (auto& s : m_state.scenarios)
    if (s.name == name && s.compared != compared) {
      s.compared = compared;
      update_scenarios();
      return;
    }
}

void WhatifView::load_scenario(const QString& name) {
  const auto* sc = m_state.scenario(name);
  if (!sc) return;
  const auto next = scenario_state(m_state, *sc);
  if (next.genes == m_state.genes && next.mode == m_state.mode && next.factor == m_state.factor &&
      next.group == m_state.group)
    return;
  m_state = next;
  sync_controls();
  schedule_prediction();
}

std::shared_ptr<const Response> WhatifView::scenario_response(const QString& name) const {
  const auto* sc = m_state.scenario(name);
  const auto it = m_scenario_results.find(name);
  if (!sc || it == m_scenario_results.end() || it->second.scenario != definition(*sc)) return nullptr;
  return it->second.response;
}

QString WhatifView::scenario_error(const QString& name) const {
  const auto* sc = m_state.scenario(name);
  const auto it = m_scenario_results.find(name);
  if (!sc || it == m_scenario_results.end() || it->second.scenario != definition(*sc)) return {};
  return it->second.error;
}

void WhatifView::update_scenarios() {
  refresh_scenario_list();
  start_scenario_predictions();
  std::vector<ComparedScenario> compared;
  int waiting = 0, ticked = 0;
  for (const auto& sc : m_state.scenarios) {
    if (!sc.compared) continue;
    ++ticked;
    const auto response = scenario_response(sc.name);
    if (response)
      compared.push_back({sc.name, response.get()});
    else if (scenario_error(sc.name).isEmpty())
      ++waiting;
  }
  const QString message =
      m_state.scenarios.empty()
          ? QString("No saved scenarios: Save scenario keeps the current one (its genes, mode, strength and "
                    "cell group) to compare it with others.")
      : ticked == 0 ? QString("Tick the scenarios to compare.")
      : waiting > 0 ? QString(m_model ? "Predicting the saved scenarios…" : "Waiting for the model…")
                    : QString("No ticked scenario could be predicted.");
  m_charts->set_compare(compared, message);
  Q_EMIT scenarios_changed();
}

void WhatifView::refresh_scenario_list() {
  m_syncing = true;
  // Items are updated in place when the names are the same: a tick arrives from an item's own
  // signal, which must not delete it.
  bool same = m_scenario_list->count() == static_cast<int>(m_state.scenarios.size());
  for (int i = 0; same && i < m_scenario_list->count(); ++i)
    same = m_scenario_list->item(i)->data(Qt::UserRole).toString() ==
           m_state.scenarios[static_cast<std::size_t>(i)].name;
  if (!same) {
    const QString current = m_scenario_list->currentItem()
                                ? m_scenario_list->currentItem()->data(Qt::UserRole).toString()
                                : QString();
    m_scenario_list->clear();
    for (const auto& sc : m_state.scenarios) {
      auto* item = new QListWidgetItem(sc.name, m_scenario_list);
      item->setData(Qt::UserRole, sc.name);
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      if (sc.name == current) m_scenario_list->setCurrentItem(item);
    }
  }
  std::size_t k = 0;
  for (int i = 0; i < m_scenario_list->count(); ++i) {
    const auto& sc = m_state.scenarios[static_cast<std::size_t>(i)];
    auto* item = m_scenario_list->item(i);
    item->setCheckState(sc.compared ? Qt::Checked : Qt::Unchecked);
    const QString error = scenario_error(sc.name);
    const auto response = scenario_response(sc.name);
    item->setForeground(error.isEmpty() ? m_scenario_list->palette().text().color() : QColor(170, 30, 30));
    if (!error.isEmpty()) {
      item->setToolTip(sc.name + ": " + error);
    } else {
      item->setToolTip(response ? QString("%1: %2 in %3; %4 genes change (impact Σ|Δ| %5)")
                                      .arg(sc.name, qs(response->description), qs(response->group))
                                      .arg(response->changed)
                                      .arg(response->impact, 0, 'g', 3)
                                : sc.name + ": not predicted yet");
    }
    // The colour it has in the comparison (ticked and predicted scenarios, in order).
    QPixmap swatch(10, 10);
    swatch.fill(sc.compared && response ? scenario_colour(k++) : QColor(Qt::transparent));
    item->setIcon(QIcon(swatch));
  }
  m_remove_scenario->setEnabled(m_scenario_list->currentItem() != nullptr);
  m_syncing = false;
}

void WhatifView::start_scenario_predictions() {
  if (!m_model) return;
  if (m_scenario_running) {
    m_scenarios_dirty = true;
    return;
  }
  std::vector<Scenario> missing;
  for (const auto& sc : m_state.scenarios) {
    const auto it = m_scenario_results.find(sc.name);
    if (it == m_scenario_results.end() || it->second.scenario != definition(sc))
      missing.push_back(definition(sc));
  }
  if (missing.empty()) return;
  const auto job = ++m_scenario_job;
  m_scenario_running = true;
  const auto model = m_model;
  const auto state = m_state;
  struct Made {
    Scenario scenario;
    std::shared_ptr<const Response> response;
    QString error;
  };
  TaskRunner::Options options;
  options.context = this;
  options.quiet = true;
  options.on_error = [this](const QString& error) { Q_EMIT error_occurred("saved scenarios: " + error); };
  options.on_finished = [this, job](TaskOutcome) {
    if (job != m_scenario_job) return;
    m_scenario_running = false;
    if (m_scenarios_dirty) {
      m_scenarios_dirty = false;
      update_scenarios();
    }
  };
  m_scenario_task = m_tasks->run(
      "Predicting saved scenarios",
      [model, state, missing](const gc::Progress& p) {
        std::vector<Made> out;
        for (std::size_t i = 0; i < missing.size(); ++i) {
          Made m{missing[i], nullptr, {}};
          const double n = static_cast<double>(missing.size());
          try {
            m.response = std::make_shared<const Response>(predict_response(
                *model, scenario_state(state, missing[i]), p.sub(static_cast<double>(i) / n, (i + 1.0) / n)));
          } catch (const gc::InputError& e) {
            // A scenario the model cannot run (a gene it lacks) says why in the list.
            m.error = QString::fromStdString(e.what());
          }
          out.push_back(std::move(m));
        }
        return out;
      },
      [this, job](std::vector<Made> made) {
        if (job != m_scenario_job) return;
        for (auto& m : made)
          m_scenario_results[m.scenario.name] = {m.scenario, std::move(m.response), m.error};
        m_scenarios_dirty = false;
        m_scenario_running = false;
        update_scenarios();
      },
      std::move(options));
}

void WhatifView::export_scenarios(const QString& path) {
  if (m_state.scenarios.empty()) {
    Q_EMIT error_occurred("no saved scenarios to export");
    return;
  }
  if (!m_model) {
    Q_EMIT error_occurred("the perturbation model is not ready: the scenarios cannot be predicted yet");
    return;
  }
  std::vector<std::pair<Scenario, std::shared_ptr<const Response>>> scenarios;
  for (const auto& sc : m_state.scenarios)
    scenarios.emplace_back(sc, scenario_response(sc.name));
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this](const QString& error) { Q_EMIT error_occurred(error); };
  m_tasks->run(
      "Exporting the saved scenarios",
      [model = m_model, state = m_state, scenarios, target = path.toStdString()](const gc::Progress& p) {
        std::vector<std::unordered_map<std::string, double>> deltas;
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
          auto response = scenarios[i].second;
          if (!response) {
            try {
              response = std::make_shared<const Response>(
                  predict_response(*model, scenario_state(state, scenarios[i].first),
                                   p.sub(static_cast<double>(i) / static_cast<double>(scenarios.size()),
                                         (i + 1.0) / static_cast<double>(scenarios.size()))));
            } catch (const gc::InputError& e) {
              throw gc::InputError("scenario '" + scenarios[i].first.name.toStdString() + "': " + e.what());
            }
          }
          auto& d = deltas.emplace_back();
          for (const auto& r : response->rows)
            d.emplace(r.gene, r.delta);
        }
        gc::AtomicFile file(target);
        auto& o = file.stream();
        o.precision(6);
        o << "gene";
        for (const auto& [sc, response] : scenarios)
          o << ',' << csv_field(sc.name);
        o << '\n';
        for (const auto& gene : model->genes()) {
          o << gene;
          for (const auto& d : deltas) {
            const auto it = d.find(gene);
            o << ',';
            if (it != d.end()) o << it->second;
          }
          o << '\n';
        }
        file.commit();
      },
      [this, path] {
        Q_EMIT status_message("Saved scenarios written to " + path);
        Q_EMIT scenarios_exported(path);
      },
      std::move(options));
}

// ---- export, figures, sessions ----

void WhatifView::export_table(const QString& path) {
  if (!m_response) {
    Q_EMIT error_occurred("no prediction to export");
    return;
  }
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this](const QString& error) { Q_EMIT error_occurred(error); };
  m_tasks->run(
      "Exporting the cascade table",
      [response = m_response, target = path.toStdString()](const gc::Progress&) {
        gc::AtomicFile file(target);
        auto& o = file.stream();
        o.precision(6);
        // The columns of `genocircuit-cli knockout --out`.
        o << "gene,control,predicted,delta,delta_sd,log2fc,step,via\n";
        for (const auto& r : response->rows)
          o << r.gene << ',' << r.control << ',' << r.control + r.delta << ',' << r.delta << ',' << r.sd
            << ',' << r.log2fc << ',' << r.step << ',' << r.via << '\n';
        file.commit();
      },
      [this, path] {
        Q_EMIT status_message("Cascade table written to " + path);
        Q_EMIT table_exported(path);
      },
      std::move(options));
}

void WhatifView::show_impact_track() {
  if (!m_response) {
    Q_EMIT error_occurred("No prediction to show as a track yet.");
    return;
  }
  std::shared_ptr<const genome::Annotation> annotation;
  QString annotation_path;
  for (const auto& d : m_workspace->datasets())
    if (d->annotation) {
      annotation = d->annotation;
      annotation_path = d->path;
      break;
    }
  if (!annotation) {
    Q_EMIT error_occurred(
        "An impact track needs the genes' loci: open the annotation (GTF/GFF) that names them.");
    return;
  }
  // One file per prediction: the model, the intervention and the group name its content.
  QCryptographicHash hash(QCryptographicHash::Sha1);
  hash.addData(
      (m_sources.key() + "|" + qs(m_response->label) + "|" + qs(m_response->group) + "|" + annotation_path)
          .toUtf8());
  const QString safe = QString(qs(m_response->label) + "_" + qs(m_response->group))
                           .replace(QRegularExpression("[^A-Za-z0-9_.+-]"), "_");
  const QString path = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                       "/genocircuit/tracks/impact_" + safe + "_" +
                       QString::fromLatin1(hash.result().toHex().left(12)) + ".bedgraph";
  for (const auto& d : m_workspace->datasets())
    if (d->path == path) {
      Q_EMIT status_message("The impact track of " + qs(m_response->description) + " is already open.");
      Q_EMIT impact_track_added(path);
      return;
    }
  TaskRunner::Options options;
  options.context = this;
  options.on_error = [this](const QString& error) { Q_EMIT error_occurred(error); };
  auto missing = std::make_shared<std::size_t>(0);
  m_tasks->run(
      "Writing the impact track",
      [response = m_response, annotation, origin = annotation_path.toStdString(),
       reference = m_workspace->reference(), target = path.toStdString(), missing](const gc::Progress&) {
        std::vector<gc::perturb::GeneValue> values;
        values.reserve(response->rows.size());
        for (const auto& r : response->rows)
          values.push_back({r.gene, r.delta});
        // A bedGraph needs no chromosome sizes: the annotation's names, which the browser
        // reconciles with the reference like any other file's.
        const auto track = gc::perturb::impact_track(values, *annotation, {}, origin);
        *missing = track.missing.size() + track.off_genome.size();
        std::filesystem::create_directories(std::filesystem::path(target).parent_path());
        gc::perturb::write_impact_track(
            target, track, "impact " + response->description + " in " + response->group,
            "predicted change, " + response->scale + ", GenoCircuit perturbation model");
      },
      [this, path, missing, description = qs(m_response->description)] {
        m_workspace->open({path});
        Q_EMIT status_message("Impact track of " + description + " added to the genome browser" +
                              (*missing ? QString(" (%1 genes without a locus)").arg(*missing) : QString()) +
                              ": " + path);
        Q_EMIT impact_track_added(path);
      },
      std::move(options));
}

void WhatifView::render_figure(QPainter& painter, const QRectF& target) const {
  FigureContent c;
  c.response = m_response.get();
  c.explanation = m_explanation.get();
  c.response_message = m_message;
  c.explanation_message = m_explanation_message;
  c.truth_name = m_sources.truth ? QFileInfo(m_sources.truth->path).fileName() : QString();
  c.target = m_target;
  c.scale = m_response ? m_response->scale : std::string("log1p");
  c.top_n = m_state.top_n;
  c.panel = m_state.panel;
  std::vector<std::shared_ptr<const Response>> kept; // alive while the figure is painted
  for (const auto& sc : m_state.scenarios)
    if (sc.compared)
      if (auto r = scenario_response(sc.name)) {
        c.compared.push_back({sc.name, r.get()});
        kept.push_back(std::move(r));
      }
  const QString screen = m_model ? m_model->screen_name() : QString();
  c.title = c.panel == Panel::scenarios ? compare_figure_title(c.compared.size(), screen)
                                        : figure_title(m_response.get(), screen);
  if (c.panel == Panel::scenarios && c.compared.empty())
    c.response_message = "No saved scenario is ticked and predicted: nothing to compare.";
  paint_whatif_figure(painter, target, c);
}

QJsonObject WhatifView::save_state() const { return to_json(m_state); }

void WhatifView::restore_state(const QJsonObject& o) {
  try {
    m_state = read_json(o);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
    return;
  }
  m_target.clear();
  sync_controls();
  m_scenario_task.cancel();
  m_scenario_results.clear();
  update_scenarios();
  if (m_model) {
    if (m_state.genes.isEmpty()) m_state.genes = m_model->default_genes();
    sync_controls();
    schedule_prediction();
  }
  schedule_refresh();
}

} // namespace gc::ui
