#pragma once
// The graph view's GenoCircuit training panel (a tab beside the PR and ROC curves): the loss per
// epoch as a Qt Chart (the total and,
// when they are not all zero, the imputation, velocity and supervised terms), drawn as the epochs
// arrive from the worker; a progress bar "epoch k/N"; Cancel (the view cancels its network
// task); Train model (the view trains again, ignoring the cached model) with its Epochs box.
// After the run it keeps the final curve, or the cached checkpoint's logged curve when the cache
// was scored. It only shows and asks: the view owns the task.
#include "gc/ui/graph/graph_data.h"
#include "gc/ui/graph/grn_job.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QValueAxis;

namespace gc::ui::graph {

class TrainingPanel : public QWidget {
  Q_OBJECT
public:
  // The plotted loss terms, in legend order.
  enum class Term { total, imputation, velocity, supervised, prior, penalty };

  explicit TrainingPanel(QWidget* parent = nullptr);

  // A run of `epochs` epochs starts (`may_use_cache`: it may score the cached model instead):
  // clears the curve, enables Cancel. Sinks of earlier runs deliver nothing from now on.
  void begin(int epochs, bool may_use_cache = true);
  // One finished epoch of the current run (GUI thread).
  void add_epoch(const TrainEpoch& epoch);
  // The run ended with this record: its epochs replace the live ones (for a cached model they
  // are the checkpoint's log, and the label says it was scored, not trained).
  void finish(const Training& training);
  // The run ended without a model; the epochs so far stay on the chart.
  void cancelled();
  void failed(const QString& error);
  // No run: an empty chart (a network made otherwise).
  void clear();

  // For run_grn_job, callable from any thread: each epoch reaches add_epoch on the GUI thread
  // (queued), unless the panel is gone or begin() has started another run.
  [[nodiscard]] TrainSink sink();

  // The Epochs box and whether Train model may be pressed (the view knows the source).
  void set_epochs(int epochs);
  [[nodiscard]] int epochs() const;
  void set_trainable(bool trainable);
  [[nodiscard]] bool running() const noexcept { return m_running; }

  [[nodiscard]] QChart* chart() const noexcept { return m_chart; }
  [[nodiscard]] QLineSeries* series(Term term) const noexcept { return m_series[static_cast<int>(term)]; }
  [[nodiscard]] QValueAxis* epoch_axis() const noexcept { return m_x; }
  [[nodiscard]] QValueAxis* loss_axis() const noexcept { return m_y; }
  [[nodiscard]] QProgressBar* progress_bar() const noexcept { return m_progress; }
  [[nodiscard]] QPushButton* cancel_button() const noexcept { return m_cancel; }
  [[nodiscard]] QPushButton* train_button() const noexcept { return m_train; }
  [[nodiscard]] QSpinBox* epochs_box() const noexcept { return m_epochs_box; }
  [[nodiscard]] QString status_text() const;
  // The epochs on the chart.
  [[nodiscard]] const std::vector<TrainEpoch>& shown_epochs() const noexcept { return m_epochs; }

Q_SIGNALS:
  // An epoch of the current run reached the chart.
  void epoch_added(int epoch);
  void cancel_requested();
  void train_requested();
  void epochs_changed(int epochs);

protected:
  void resizeEvent(QResizeEvent* e) override;

private:
  void redraw();
  void sync_buttons();

  std::vector<TrainEpoch> m_epochs;
  int m_planned = 0;
  std::uint64_t m_run = 0;
  bool m_running = false;
  bool m_trainable = false;
  QChart* m_chart = nullptr;
  QChartView* m_view = nullptr;
  QLineSeries* m_series[6] = {}; // one per Term
  QValueAxis* m_x = nullptr;
  QValueAxis* m_y = nullptr;
  QProgressBar* m_progress = nullptr;
  QPushButton* m_cancel = nullptr;
  QPushButton* m_train = nullptr;
  QSpinBox* m_epochs_box = nullptr;
  QLabel* m_status = nullptr;
};

} // namespace gc::ui::graph
