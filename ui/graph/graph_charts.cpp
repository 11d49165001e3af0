#include "gc/ui/graph/graph_charts.h"

#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace gc::ui::graph {
namespace {

QChart* make_chart(const QString& x, const QString& y) {
  // Small fonts: the charts share the view's side column with the edge table.
  QFont small;
  small.setPointSizeF(8);
  QFont title = small;
  title.setBold(true);
  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->legend()->setFont(small);
  chart->setTitleFont(title);
  chart->setMargins(QMargins(2, 2, 2, 2));
  chart->setBackgroundRoundness(0);
  auto* ax = new QValueAxis;
  ax->setRange(0, 1);
  ax->setTitleText(x);
  ax->setLabelFormat("%.1f");
  ax->setTickCount(6);
  auto* ay = new QValueAxis;
  ay->setRange(0, 1);
  ay->setTitleText(y);
  ay->setLabelFormat("%.1f");
  ay->setTickCount(6);
  for (auto* a : {ax, ay}) {
    a->setLabelsFont(small);
    a->setTitleFont(small);
  }
  chart->addAxis(ax, Qt::AlignBottom);
  chart->addAxis(ay, Qt::AlignLeft);
  return chart;
}

void attach(QChart* chart, QAbstractSeries* series) {
  chart->addSeries(series);
  for (auto* axis : chart->axes())
    series->attachAxis(axis);
}

QString area_text(double v) { return std::isfinite(v) ? QString::number(v, 'f', 3) : QString("n/a"); }

} // namespace

GraphCharts::GraphCharts(QWidget* parent) : QTabWidget(parent) {
  m_pr = make_chart("recall", "precision");
  m_roc = make_chart("false positive rate", "true positive rate");
  m_pr_view = new QChartView(m_pr, this);
  m_roc_view = new QChartView(m_roc, this);
  for (auto* v : {m_pr_view, m_roc_view})
    v->setRenderHint(QPainter::Antialiasing);
  addTab(m_pr_view, "PR curve");
  addTab(m_roc_view, "ROC curve");
  set_data(nullptr);
}

void GraphCharts::set_data(const GraphData* data) {
  for (auto* chart : {m_pr, m_roc})
    chart->removeAllSeries();
  m_pr_point = m_roc_point = nullptr;
  const bool curves = data && data->evaluation && !data->evaluation->pr.empty();
  // Empty axes read as a broken chart: without curves only the title (why) is shown.
  for (auto* chart : {m_pr, m_roc}) {
    for (auto* axis : chart->axes())
      axis->setVisible(curves);
    chart->legend()->setVisible(curves);
  }
  if (!curves) {
    const QString why = !data ? QString("No network yet.")
                        : !data->has_reference()
                            ? QString("No reference network: load an edge list (refNetwork.csv).")
                        : data->evaluation && !data->evaluation->curves_note.empty()
                            ? QString::fromStdString(data->evaluation->curves_note)
                            : QString("The reference shares no genes with the network.");
    m_pr->setTitle(why);
    m_roc->setTitle(why);
    setTabText(0, "PR curve");
    setTabText(1, "ROC curve");
    return;
  }
  const auto& ev = *data->evaluation;
  // The tabs name the reference; the plots keep their height for the curves.
  const QString ref = QString::fromStdString(data->reference);
  m_pr->setTitle(QString());
  m_roc->setTitle(QString());
  setTabText(0, "PR vs " + ref);
  setTabText(1, "ROC vs " + ref);
  const auto curve = [](const std::vector<gc::grn::CurvePoint>& points, const QString& name) {
    auto* s = new QLineSeries;
    s->setName(name);
    QList<QPointF> list;
    list.reserve(static_cast<qsizetype>(points.size()));
    for (const auto& p : points)
      list.append(QPointF(p.x, p.y));
    s->replace(list);
    s->setPen(QPen(QColor(0, 114, 178), 2));
    return s;
  };
  const auto random = [](double y0, double y1, const QString& name) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->append(0, y0);
    s->append(1, y1);
    s->setPen(QPen(QColor(120, 120, 120), 1.2, Qt::DashLine));
    return s;
  };
  const auto point = [](const QString& name) {
    auto* s = new QScatterSeries;
    s->setName(name);
    s->setMarkerSize(9);
    s->setColor(QColor(213, 94, 0));
    s->setBorderColor(QColor(60, 60, 60));
    return s;
  };
  // Short names: the legend shares a narrow column (the tab names the reference, the status line
  // the method).
  attach(m_pr, curve(ev.pr, "AUPRC " + area_text(ev.metrics.auprc)));
  attach(m_pr, random(ev.metrics.density, ev.metrics.density, "random " + area_text(ev.metrics.density)));
  m_pr_point = point("shown");
  attach(m_pr, m_pr_point);
  attach(m_roc, curve(ev.roc, "AUROC " + area_text(ev.metrics.auroc)));
  attach(m_roc, random(0, 1, "random 0.500"));
  m_roc_point = point("shown");
  attach(m_roc, m_roc_point);
}

void GraphCharts::set_shown(const GraphData* data, const ShownNetwork& shown) {
  if (!m_pr_point || !data || !data->evaluation) return;
  const auto& m = data->evaluation->metrics;
  m_pr_point->clear();
  m_roc_point->clear();
  if (shown.edges.empty() || m.true_edges <= 0) return;
  const double tp = shown.true_positives, fp = shown.false_positives();
  const double negatives = static_cast<double>(m.candidate_edges - m.true_edges);
  m_pr_point->append(tp / static_cast<double>(m.true_edges), tp / (tp + fp));
  if (negatives > 0) m_roc_point->append(fp / negatives, tp / static_cast<double>(m.true_edges));
}

} // namespace gc::ui::graph
