#pragma once
// PR and ROC curves of the graph view's whole ranking against its reference, in Qt Charts
// (DESIGN §3: every plot is a Qt Chart), the areas in the legend beside a random predictor, and
// the shown edges (threshold and top K) as one point on each curve.
#include "gc/ui/graph/graph_data.h"

#include <QTabWidget>

#include <optional>

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;

namespace gc::ui::graph {

class GraphCharts : public QTabWidget {
  Q_OBJECT
public:
  explicit GraphCharts(QWidget* parent = nullptr);

  // Curves of `data` (none without an evaluation: the charts say why).
  void set_data(const GraphData* data);
  // The shown edges' point: recall and precision on PR, FPR and TPR on ROC.
  void set_shown(const GraphData* data, const ShownNetwork& shown);

  [[nodiscard]] QChart* pr_chart() const noexcept { return m_pr; }
  [[nodiscard]] QChart* roc_chart() const noexcept { return m_roc; }

private:
  QChart* m_pr;
  QChart* m_roc;
  QChartView* m_pr_view;
  QChartView* m_roc_view;
  QScatterSeries* m_pr_point = nullptr;
  QScatterSeries* m_roc_point = nullptr;
};

} // namespace gc::ui::graph
