#include "gc/ui/graph/training_panel.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace gc::ui::graph {

// Carries epochs from the training thread to the panel: it lives on the GUI thread, the worker
// only emits (queued to the panel, and dropped by Qt once the panel is gone). Owned by the sinks,
// so the worker never holds a pointer to the panel itself.
class EpochRelay : public QObject {
  Q_OBJECT
Q_SIGNALS:
  void epoch(const gc::ui::graph::TrainEpoch& epoch);
};

namespace {

constexpr int term_count = 6;

struct TermStyle {
  const char* name;
  QColor colour;
  double (*value)(const TrainEpoch&);
};

// Okabe–Ito colours, as the other charts use.
const TermStyle& term_style(int term) {
  static const TermStyle styles[term_count] = {
      {"total", QColor(0, 114, 178), [](const TrainEpoch& e) { return e.loss; }},
      {"imputation", QColor(230, 159, 0), [](const TrainEpoch& e) { return e.imputation; }},
      {"velocity", QColor(0, 158, 115), [](const TrainEpoch& e) { return e.velocity; }},
      {"supervised", QColor(213, 94, 0), [](const TrainEpoch& e) { return e.supervised; }},
      {"prior", QColor(204, 121, 167), [](const TrainEpoch& e) { return e.prior; }},
      {"penalty", QColor(86, 180, 233), [](const TrainEpoch& e) { return e.penalty; }},
  };
  return styles[term];
}

// Tick spacing 1, 2, 5, 10, 20, ... giving at most `intervals` intervals over `span` epochs.
double epoch_step(int span, int intervals) {
  for (double step = 1;; step *= 10) {
    for (const double m : {1.0, 2.0, 5.0})
      if (span / (m * step) <= intervals) return m * step;
  }
}

QString seconds_text(double s) {
  return s < 100 ? QString::number(s, 'f', 1) + " s" : QString::number(s / 60, 'f', 1) + " min";
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("GraphTrainingPanel");
  QFont small;
  small.setPointSizeF(8);
  m_chart = new QChart;
  // No frame of empty background: every pixel of height goes to the axes and the curve.
  m_chart->layout()->setContentsMargins(0, 0, 0, 0);
  m_chart->setMargins(QMargins(2, 2, 2, 2));
  m_chart->setBackgroundRoundness(0);
  // Above the plot: the panel shares the view's narrow side column.
  m_chart->legend()->setAlignment(Qt::AlignTop);
  m_chart->legend()->setFont(small);
  m_x = new QValueAxis;
  m_x->setTitleText("epoch");
  m_x->setLabelFormat("%.0f");
  m_x->setTickType(QValueAxis::TicksDynamic);
  m_x->setTickAnchor(0);
  m_y = new QValueAxis;
  m_y->setTitleText("loss");
  m_y->setLabelFormat("%.3g");
  for (auto* a : {m_x, m_y}) {
    a->setLabelsFont(small);
    a->setTitleFont(small);
  }
  m_chart->addAxis(m_x, Qt::AlignBottom);
  m_chart->addAxis(m_y, Qt::AlignLeft);
  for (int t = 0; t < term_count; ++t) {
    auto* s = new QLineSeries;
    s->setName(term_style(t).name);
    s->setPen(QPen(term_style(t).colour, t == 0 ? 2.2 : 1.4));
    s->setPointsVisible(true);
    m_chart->addSeries(s);
    s->attachAxis(m_x);
    s->attachAxis(m_y);
    m_series[t] = s;
  }
  m_view = new QChartView(m_chart, this);
  m_view->setObjectName("GraphTrainingChart");
  m_view->setRenderHint(QPainter::Antialiasing);
  m_view->setMinimumHeight(140); // below, Qt Charts elides the axis labels
  m_view->setToolTip(
      "Mean loss per training epoch: the total minimised and, when present, its imputation, "
      "velocity (pseudotime), supervised (reference edges), prior (pull towards the static "
      "prior) and penalty (sparsity, weight decay) terms; gates train from a third of the epochs on");

  m_train = new QPushButton("Train model", this);
  m_train->setObjectName("GraphTrainButton");
  m_train->setToolTip("Train the GenoCircuit model on the network's expression dataset again, ignoring the "
                      "cached model (the new one replaces it in the cache)");
  m_epochs_box = new QSpinBox(this);
  m_epochs_box->setObjectName("GraphEpochsBox");
  m_epochs_box->setRange(1, max_epochs);
  m_epochs_box->setKeyboardTracking(false);
  m_epochs_box->setToolTip("Training epochs (passes over the cells): another count is another model, "
                           "trained unless one is cached");
  m_progress = new QProgressBar(this);
  m_progress->setObjectName("GraphTrainingProgress");
  m_progress->setToolTip("Epochs finished in this run");
  m_progress->setTextVisible(true);
  m_cancel = new QPushButton("Cancel", this);
  m_cancel->setObjectName("GraphTrainingCancel");
  m_cancel->setToolTip("Stop the training: the network is not replaced, the curve so far stays");
  m_status = new QLabel(this);
  m_status->setObjectName("GraphTrainingStatus");
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* row = new QHBoxLayout;
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(m_train);
  row->addStretch(1);
  row->addWidget(new QLabel("Epochs", this));
  row->addWidget(m_epochs_box);
  auto* progress_row = new QHBoxLayout;
  progress_row->setContentsMargins(0, 0, 0, 0);
  progress_row->addWidget(m_progress, 1);
  progress_row->addWidget(m_cancel);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 2);
  layout->setSpacing(3);
  layout->addLayout(row);
  layout->addLayout(progress_row);
  layout->addWidget(m_status);
  layout->addWidget(m_view, 1);

  connect(m_cancel, &QPushButton::clicked, this, &TrainingPanel::cancel_requested);
  connect(m_train, &QPushButton::clicked, this, &TrainingPanel::train_requested);
  connect(m_epochs_box, &QSpinBox::valueChanged, this, &TrainingPanel::epochs_changed);
  clear();
}

void TrainingPanel::begin(int epochs, bool may_use_cache) {
  ++m_run;
  m_running = true;
  m_planned = std::max(1, epochs);
  m_epochs.clear();
  m_progress->setRange(0, m_planned);
  m_progress->setValue(0);
  m_progress->setFormat("epoch %v/%m");
  m_status->setText((may_use_cache
                         ? QString("Scoring the cached model, or else preparing %1 epochs of training…")
                         : QString("Preparing the inputs of %1 epochs of training…"))
                        .arg(m_planned));
  redraw();
  sync_buttons();
}

void TrainingPanel::add_epoch(const TrainEpoch& e) {
  if (!m_running) return;
  m_epochs.push_back(e);
  m_planned = std::max(e.epochs, 1);
  m_progress->setRange(0, m_planned);
  m_progress->setValue(std::min(e.epoch, m_planned));
  double seconds = 0;
  for (const auto& x : m_epochs)
    seconds += x.seconds;
  m_status->setText(QString("Training: epoch %1/%2, loss %3 (%4 so far)")
                        .arg(e.epoch)
                        .arg(m_planned)
                        .arg(e.loss, 0, 'g', 4)
                        .arg(seconds_text(seconds)));
  redraw();
  Q_EMIT epoch_added(e.epoch);
}

void TrainingPanel::finish(const Training& t) {
  ++m_run; // late epochs of this run change nothing now
  m_running = false;
  m_epochs = t.epochs;
  const int n = static_cast<int>(t.epochs.size());
  m_planned = std::max(1, t.epochs.empty() ? m_planned : t.epochs.back().epochs);
  m_progress->setRange(0, m_planned);
  m_progress->setValue(std::min(n, m_planned));
  m_progress->setFormat("epoch %v/%m");
  const QString final_loss =
      t.epochs.empty() ? QString() : QString(", final loss %1").arg(t.epochs.back().loss, 0, 'g', 4);
  if (t.cached) {
    m_status->setText(
        QString("Scored the cached model (trained %1, %2 epochs in %3%4); Train model trains it "
                "again.")
            .arg(QString::fromStdString(t.trained_at))
            .arg(n)
            .arg(seconds_text(t.seconds))
            .arg(final_loss));
  } else {
    m_status->setText(QString("Trained %1 epochs in %2%3; cached for later starts.")
                          .arg(n)
                          .arg(seconds_text(t.seconds))
                          .arg(final_loss));
  }
  m_status->setToolTip(QString::fromStdString(t.checkpoint));
  redraw();
  sync_buttons();
}

void TrainingPanel::cancelled() {
  if (!m_running) return;
  ++m_run;
  m_running = false;
  m_status->setText(
      QString("Cancelled after %1 of %2 epochs: the model was not kept. Train model starts again.")
          .arg(m_epochs.size())
          .arg(m_planned));
  sync_buttons();
}

void TrainingPanel::failed(const QString& error) {
  if (!m_running) return;
  ++m_run;
  m_running = false;
  m_status->setText("Training failed: " + error);
  sync_buttons();
}

void TrainingPanel::clear() {
  ++m_run;
  m_running = false;
  m_epochs.clear();
  m_progress->setRange(0, std::max(1, m_planned));
  m_progress->setValue(0);
  m_progress->setFormat("no training");
  m_status->setText("No model trained in this session yet.");
  m_status->setToolTip(QString());
  redraw();
  sync_buttons();
}

TrainSink TrainingPanel::sink() {
  // deleteLater: the last sink may die on the worker thread, the relay must die on its own.
  std::shared_ptr<EpochRelay> relay(new EpochRelay, [](EpochRelay* r) { r->deleteLater(); });
  connect(relay.get(), &EpochRelay::epoch, this, [this, run = m_run](const TrainEpoch& e) {
    if (run == m_run) add_epoch(e);
  });
  return [relay](const TrainEpoch& e) { Q_EMIT relay->epoch(e); };
}

void TrainingPanel::set_epochs(int epochs) {
  const QSignalBlocker block(m_epochs_box);
  m_epochs_box->setValue(epochs);
}

int TrainingPanel::epochs() const { return m_epochs_box->value(); }

void TrainingPanel::set_trainable(bool trainable) {
  m_trainable = trainable;
  sync_buttons();
}

QString TrainingPanel::status_text() const { return m_status->text(); }

void TrainingPanel::sync_buttons() {
  m_cancel->setEnabled(m_running);
  m_train->setEnabled(m_trainable && !m_running);
  m_epochs_box->setEnabled(m_trainable && !m_running);
}

void TrainingPanel::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  redraw(); // the axes' steps follow the size
}

void TrainingPanel::redraw() {
  double lo = INFINITY, hi = -INFINITY;
  for (int t = 0; t < term_count; ++t) {
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(m_epochs.size()));
    bool nonzero = false;
    for (const auto& e : m_epochs) {
      const double v = term_style(t).value(e);
      if (!std::isfinite(v)) continue;
      points.append(QPointF(e.epoch, v));
      nonzero = nonzero || v != 0.0;
    }
    // A term the run does not have (no pseudotime, no reference) would be a flat line at 0.
    const bool shown = t == 0 || nonzero;
    m_series[t]->replace(points);
    m_series[t]->setVisible(shown);
    for (auto* marker : m_chart->legend()->markers(m_series[t]))
      marker->setVisible(shown);
    if (!shown) continue;
    for (const auto& p : points) {
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
    }
  }
  const int last = m_epochs.empty() ? 0 : m_epochs.back().epoch;
  const int span = std::max({m_planned, last, 1});
  m_x->setRange(0, span);
  // As many ticks as the width and height hold: Qt Charts elides labels that crowd each other.
  m_x->setTickInterval(epoch_step(span, std::clamp((m_view->width() - 80) / 45, 2, 10)));
  if (!(lo <= hi)) {
    lo = 0;
    hi = 1;
  }
  const double pad = std::max((hi - lo) * 0.08, std::max(std::abs(hi), 1.0) * 1e-3);
  // Positive losses keep the axis at or above 0 (a negative loss axis would read as a bug).
  lo = lo >= 0 ? std::max(0.0, lo - pad) : lo - pad;
  hi += pad;
  // Round ends on a 1-2-2.5-5 step (QValueAxis::applyNiceNumbers leaves up to a third empty).
  const int steps = std::clamp((m_view->height() - 60) / 28, 2, 5);
  const double raw = (hi - lo) / steps;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * decade;
  for (const double m : {1.0, 2.0, 2.5, 5.0}) {
    if (m * decade >= raw) {
      step = m * decade;
      break;
    }
  }
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  m_y->setRange(lo, hi);
  m_y->setTickCount(static_cast<int>(std::lround((hi - lo) / step)) + 1);
}

} // namespace gc::ui::graph

#include "training_panel.moc"
