#pragma once
// The what-if view's pictures, in Qt Charts (DESIGN §3), shared by the screen and the figure:
//   response  the top-N responding genes as horizontal bars of predicted Δ with ±sd whiskers,
//             increases and decreases in the Okabe–Ito vermillion and blue, perturbed genes in
//             reddish purple (their bar cut at the axis when it would squash the others, with
//             the value in the legend), the explained target marked;
//   shapley   the target's Shapley values as bars sorted by |φ| with SE whiskers (sampling
//             methods), the rest of many players summed in one bar, and f(all), f(none) and the
//             efficiency gap in the title;
//   truth     predicted against true log2 fold changes (the workspace's truth table) with the
//             diagonal, the top-20 DE genes marked, Pearson r and their direction agreement.
// Qt Charts are graphics items of Qt Widgets: they need a QApplication, also for figures.
#include "gc/ui/whatif/whatif_job.h"

#include <QColor>
#include <QObject>
#include <QRectF>
#include <QString>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

class QChart;
class QChartView;
class QPainter;
class QWidget;

namespace gc::ui::whatif {

// Okabe & Ito's colour-blind-safe palette.
[[nodiscard]] QColor increase_colour();  // vermillion #D55E00
[[nodiscard]] QColor decrease_colour();  // blue #0072B2
[[nodiscard]] QColor perturbed_colour(); // reddish purple #CC79A7
[[nodiscard]] QColor highlight_colour(); // orange #E69F00
[[nodiscard]] QColor point_colour();     // bluish green #009E73

struct Bar {
  enum class Kind { gene, perturbed, others };
  QString name;
  double value = 0.0;
  double error = std::numeric_limits<double>::quiet_NaN(); // NaN: no whisker
  Kind kind = Kind::gene;
};

// The bars of a response, top first: its first `top_n` rows (perturbed genes first, then by |Δ|).
[[nodiscard]] std::vector<Bar> response_bars(const Response& response, int top_n);
// The bars of an explanation, largest |φ| first: up to max_shapley_bars players, the others
// (if any) summed in one last bar.
inline constexpr std::size_t max_shapley_bars = 20;
[[nodiscard]] std::vector<Bar> shapley_bars(const Explanation& explanation);

// "f(all) = …, f(none) = …, efficiency gap = …" (the gap: Σφ − (f(all) − f(none))).
[[nodiscard]] QString shapley_summary(const Explanation& explanation);
// "Pearson r = … over N genes; top-20 DE direction k/20".
[[nodiscard]] QString truth_summary(const TruthComparison& truth);

struct ChartStyle {
  double points = 9.0; // tick labels; titles a little larger
  double marker = 7.0; // scatter points
};
[[nodiscard]] ChartStyle screen_style();
[[nodiscard]] ChartStyle figure_style();

// Each fills `chart` anew (series and axes replaced); with no data, only `message` shows.
void fill_response_chart(QChart* chart, const Response* response, int top_n, const std::string& target,
                         const QString& message, const ChartStyle& style);
void fill_shapley_chart(QChart* chart, const Explanation* explanation, const std::string& scale,
                        const QString& message, const ChartStyle& style);
void fill_truth_chart(QChart* chart, const Response* response, const QString& truth_name,
                      const QString& message, const ChartStyle& style);

// The three charts of the view, each in its own QChartView (children of `parent`, laid out by
// the view); bars report clicks.
class WhatifCharts : public QObject {
  Q_OBJECT
public:
  explicit WhatifCharts(QWidget* parent);

  void set_response(const Response* response, int top_n, const std::string& target, const QString& message);
  void set_explanation(const Explanation* explanation, const std::string& scale, const QString& message);
  void set_truth(const Response* response, const QString& truth_name, const QString& message);

  [[nodiscard]] QChart* response_chart() const noexcept { return m_response; }
  [[nodiscard]] QChart* shapley_chart() const noexcept { return m_shapley; }
  [[nodiscard]] QChart* truth_chart() const noexcept { return m_truth; }
  [[nodiscard]] QChartView* response_view() const noexcept { return m_response_view; }
  [[nodiscard]] QChartView* shapley_view() const noexcept { return m_shapley_view; }
  [[nodiscard]] QChartView* truth_view() const noexcept { return m_truth_view; }
  // The bars drawn now, top first.
  [[nodiscard]] const std::vector<Bar>& shown_response() const noexcept { return m_response_bars; }
  [[nodiscard]] const std::vector<Bar>& shown_shapley() const noexcept { return m_shapley_bars; }

Q_SIGNALS:
  // A response bar (a gene) or a Shapley bar (a player) was clicked.
  void gene_clicked(const QString& gene);
  void player_clicked(const QString& gene);

private:
  void connect_bars(QChart* chart, const std::vector<Bar>* bars, bool response);

  QChart* m_response;
  QChart* m_shapley;
  QChart* m_truth;
  QChartView* m_response_view;
  QChartView* m_shapley_view;
  QChartView* m_truth_view;
  std::vector<Bar> m_response_bars;
  std::vector<Bar> m_shapley_bars;
};

// What a what-if figure shows.
struct FigureContent {
  const Response* response = nullptr;
  const Explanation* explanation = nullptr;
  QString title;
  QString response_message, explanation_message;
  QString truth_name; // the truth table's file name
  std::string target;
  std::string scale = "log1p";
  int top_n = default_top_n;
};

// "What if: TF03 knockout in typeA — GenoCircuit perturbation model on screen.h5ad".
[[nodiscard]] QString figure_title(const Response* response, const QString& screen);

// The figure: a title line, the response bars on the left, the Shapley bars on the right above
// the truth scatter (when the response has a truth comparison). Throws gc::Error without a
// QApplication.
void paint_whatif_figure(QPainter& painter, const QRectF& target, const FigureContent& content);

} // namespace gc::ui::whatif
