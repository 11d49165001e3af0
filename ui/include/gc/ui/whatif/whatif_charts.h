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
//             diagonal, the top-20 DE genes marked, Pearson r and their direction agreement;
//   volcano   every gene's predicted Δ against |Δ| / sd (sd over draws of the latent: a z-like
//             confidence), the top-N responders in the bars' colours, perturbed genes and the
//             explained target marked, genes beyond the axis (sd ≈ 0) on its top edge;
//   compare   saved scenarios side by side: grouped bars of their Δ over the union of each one's
//             top responding genes.
// Figures use a compact style: the volcano and the truth scatter have no legend beside their
// small plots, and the figure paints their titles (which say what the marks are) above them.
// Qt Charts are graphics items of Qt Widgets: they need a QApplication, also for figures.
#include "gc/ui/whatif/whatif_job.h"

#include <QColor>
#include <QObject>
#include <QRectF>
#include <QString>
#include <QStringList>

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

// The volcano's points: every gene of a response, in its rank order.
struct VolcanoPoint {
  enum class Kind { gene, top, perturbed };
  QString name;
  double delta = 0.0;
  double z = 0.0;      // |Δ| / sd; +inf when sd is 0 and Δ is not, 0 when neither moves
  bool beyond = false; // drawn on the axis' top edge: z above it
  Kind kind = Kind::gene;
};
struct Volcano {
  std::vector<VolcanoPoint> points;
  // The z axis' top: the largest z of a gene not perturbed, at most volcano_z_cap times the
  // 90th percentile of their finite z (so a few near-zero spreads do not squash the rest).
  double z_top = 1.0;
  int beyond = 0; // points drawn on the top edge
};
inline constexpr double volcano_z_cap = 4.0;
// `top_n`: the responders marked (the bars' genes that are not perturbed).
[[nodiscard]] Volcano volcano_points(const Response& response, int top_n);

// A scenario as the comparison draws it.
struct ComparedScenario {
  QString name;
  const Response* response = nullptr;
};
// How many genes of each scenario are compared: 24 shared out (3 to 10 each), so the chart
// keeps about two dozen rows of bars.
[[nodiscard]] int compare_per_scenario(std::size_t scenarios);
// The genes compared: the union of each predicted scenario's compare_per_scenario most changed
// genes that it does not perturb, ordered by their largest |Δ| over the scenarios.
[[nodiscard]] std::vector<std::string> compared_genes(const std::vector<ComparedScenario>& scenarios);
// The colour of the k-th compared scenario (Okabe–Ito, cycling).
[[nodiscard]] QColor scenario_colour(std::size_t k);

// "f(all) = …, f(none) = …, efficiency gap = …" (the gap: Σφ − (f(all) − f(none))).
[[nodiscard]] QString shapley_summary(const Explanation& explanation);
// "Pearson r = … over N genes; top-20 DE direction k/20".
[[nodiscard]] QString truth_summary(const TruthComparison& truth);

struct ChartStyle {
  double points = 9.0;  // tick labels; titles a little larger
  double marker = 7.0;  // scatter points
  bool compact = false; // figures: no legends beside small plots, titles painted by the figure
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
void fill_volcano_chart(QChart* chart, const Response* response, int top_n, const std::string& target,
                        const QString& message, const ChartStyle& style);
// The volcano's and the truth scatter's title lines (compact: for a figure, which paints them
// itself and says there what the legend would).
[[nodiscard]] QStringList volcano_title(const Response& response, int top_n, bool compact);
[[nodiscard]] QStringList truth_title(const Response& response, const QString& truth_name, bool compact);
void fill_compare_chart(QChart* chart, const std::vector<ComparedScenario>& scenarios, const QString& message,
                        const ChartStyle& style);

// The view's charts, each in its own QChartView (children of `parent`, laid out by the view);
// bars and volcano points report clicks.
class WhatifCharts : public QObject {
  Q_OBJECT
public:
  explicit WhatifCharts(QWidget* parent);

  void set_response(const Response* response, int top_n, const std::string& target, const QString& message);
  void set_explanation(const Explanation* explanation, const std::string& scale, const QString& message);
  void set_truth(const Response* response, const QString& truth_name, const QString& message);
  void set_volcano(const Response* response, int top_n, const std::string& target, const QString& message);
  void set_compare(const std::vector<ComparedScenario>& scenarios, const QString& message);

  [[nodiscard]] QChart* response_chart() const noexcept { return m_response; }
  [[nodiscard]] QChart* shapley_chart() const noexcept { return m_shapley; }
  [[nodiscard]] QChart* truth_chart() const noexcept { return m_truth; }
  [[nodiscard]] QChart* volcano_chart() const noexcept { return m_volcano; }
  [[nodiscard]] QChart* compare_chart() const noexcept { return m_compare; }
  [[nodiscard]] QChartView* response_view() const noexcept { return m_response_view; }
  [[nodiscard]] QChartView* shapley_view() const noexcept { return m_shapley_view; }
  [[nodiscard]] QChartView* truth_view() const noexcept { return m_truth_view; }
  [[nodiscard]] QChartView* volcano_view() const noexcept { return m_volcano_view; }
  [[nodiscard]] QChartView* compare_view() const noexcept { return m_compare_view; }
  // The volcano's points drawn now.
  [[nodiscard]] const Volcano& shown_volcano() const noexcept { return m_volcano_points; }
  // The bars drawn now, top first.
  [[nodiscard]] const std::vector<Bar>& shown_response() const noexcept { return m_response_bars; }
  [[nodiscard]] const std::vector<Bar>& shown_shapley() const noexcept { return m_shapley_bars; }

Q_SIGNALS:
  // A response bar (a gene) or a Shapley bar (a player) was clicked.
  void gene_clicked(const QString& gene);
  void player_clicked(const QString& gene);

private:
  void connect_bars(QChart* chart, const std::vector<Bar>* bars, bool response);
  void connect_volcano();

  QChart* m_response;
  QChart* m_shapley;
  QChart* m_truth;
  QChart* m_volcano;
  QChart* m_compare;
  QChartView* m_response_view;
  QChartView* m_shapley_view;
  QChartView* m_truth_view;
  QChartView* m_volcano_view;
  QChartView* m_compare_view;
  std::vector<Bar> m_response_bars;
  std::vector<Bar> m_shapley_bars;
  Volcano m_volcano_points;
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
  // The main panel's choice: the response (bars, Shapley, volcano, truth) or the saved
  // scenarios compared (`compared`, the whole figure).
  Panel panel = Panel::response;
  std::vector<ComparedScenario> compared;
};

// "What if: TF03 knockout in typeA — GenoCircuit perturbation model on screen.h5ad".
[[nodiscard]] QString figure_title(const Response* response, const QString& screen);
// "What if: 3 scenarios compared — GenoCircuit perturbation model on screen.h5ad".
[[nodiscard]] QString compare_figure_title(std::size_t scenarios, const QString& screen);

// The figure: a title line, then for the response panel the response bars on the left, the
// Shapley bars on the right above the volcano and (when the response has a truth comparison) the
// truth scatter; for the scenarios panel their comparison. Throws gc::Error without a
// QApplication.
void paint_whatif_figure(QPainter& painter, const QRectF& target, const FigureContent& content);

} // namespace gc::ui::whatif
