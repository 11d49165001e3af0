#include "gc/ui/whatif/whatif_charts.h"

#include "gc/util/error.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QGraphicsScene>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numeric>
#include <unordered_map>

namespace gc::ui::whatif {

QColor increase_colour() { return {213, 94, 0}; }
QColor decrease_colour() { return {0, 114, 178}; }
QColor perturbed_colour() { return {204, 121, 167}; }
QColor highlight_colour() { return {230, 159, 0}; }
QColor point_colour() { return {0, 158, 115}; }

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Numbers as a reader of the figure wants them: 3 significant digits, no exponent unless tiny.
QString num(double v) { return QString::number(v, 'g', 3); }

QFont chart_font(const ChartStyle& s, double scale = 1.0, bool bold = false) {
  QFont f;
  f.setPointSizeF(s.points * scale);
  f.setBold(bold);
  return f;
}

void reset(QChart* chart, const ChartStyle& style) {
  chart->removeAllSeries();
  for (auto* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(4, 2, 8, 2));
  chart->setTitleFont(chart_font(style, 1.1, true));
  chart->legend()->setFont(chart_font(style));
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->legend()->setVisible(true);
  chart->setTitle(QString());
}

// Lines of at most `width` characters, broken at spaces: Qt Charts cuts a title line that does
// not fit rather than wrapping it.
QStringList wrap(const QString& text, int width = 64) {
  QStringList lines;
  QString line;
  for (const auto& word : text.split(' ', Qt::SkipEmptyParts)) {
    if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
      lines << line;
      line.clear();
    }
    line += (line.isEmpty() ? "" : " ") + word;
  }
  if (!line.isEmpty()) lines << line;
  return lines;
}

// A chart title of short lines, the first in the title's bold, the rest plain.
QString title_html(const QStringList& lines) {
  QString html;
  for (qsizetype i = 0; i < lines.size(); ++i) {
    if (i == 0)
      html += lines[i].toHtmlEscaped();
    else
      html += "<br><span style=\"font-weight:400\">" + lines[i].toHtmlEscaped() + "</span>";
  }
  return html;
}

void message_only(QChart* chart, const QString& message) {
  chart->legend()->setVisible(false);
  chart->setTitle(title_html(wrap(message)));
}

QValueAxis* value_axis(const QString& title, const ChartStyle& style) {
  auto* a = new QValueAxis;
  a->setTitleText(title);
  a->setTitleFont(chart_font(style));
  a->setLabelsFont(chart_font(style));
  a->setGridLineColor(QColor(225, 225, 225));
  // Qt Charts elides labels it thinks crowded even when they fit; figures need them whole.
  a->setTruncateLabels(false);
  return a;
}

void hide_marker(QChart* chart, QAbstractSeries* series) {
  for (auto* m : chart->legend()->markers(series))
    m->setVisible(false);
}

// A range holding [lo, hi] with 8 % to spare, never empty, on round numbers.
void set_range(QValueAxis* axis, double lo, double hi) {
  if (!(hi > lo)) {
    const double w = std::max(1.0, std::abs(lo));
    lo -= 0.5 * w;
    hi += 0.5 * w;
  }
  const double pad = 0.08 * (hi - lo);
  axis->setRange(lo - pad, hi + pad);
  axis->applyNiceNumbers();
  const double span = axis->max() - axis->min();
  axis->setLabelFormat(span >= 20 ? "%.0f" : span >= 2 ? "%.1f" : span >= 0.2 ? "%.2f" : "%.3f");
}

struct BarColours {
  QString up, down, perturbed, others;
};

// Horizontal bars, the first of `bars` at the top, coloured by sign (perturbed genes and the
// summed rest apart), with whiskers; `target` gets a marker at its bar's end. The value axis
// spans the gene bars (perturbed ones may be cut): returns the names of the cut ones.
// The value axis `x` along the bottom and the genes as categories up the left of a horizontal bar
// series, the names a little smaller than the ticks (20 of them share the height), never cut.
void attach_gene_axes(QChart* chart, QAbstractBarSeries* series, QValueAxis* x, const QStringList& genes,
                      const ChartStyle& style) {
  auto* y = new QBarCategoryAxis;
  y->append(genes);
  y->setLabelsFont(chart_font(style, 0.92));
  y->setGridLineVisible(false);
  y->setTruncateLabels(false);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(x);
  series->attachAxis(y);
}

QStringList add_bars(QChart* chart, const std::vector<Bar>& bars, const QString& value_title,
                     const QString& whisker_name, const BarColours& names, const QString& target,
                     const ChartStyle& style) {
  const auto n = static_cast<int>(bars.size());
  auto* series = new QHorizontalStackedBarSeries;
  series->setBarWidth(0.72);
  auto* up = new QBarSet(names.up);
  auto* down = new QBarSet(names.down);
  auto* perturbed = new QBarSet(names.perturbed);
  auto* others = new QBarSet(names.others);
  for (const auto& [set, colour] :
       std::initializer_list<std::pair<QBarSet*, QColor>>{{up, increase_colour()},
                                                          {down, decrease_colour()},
                                                          {perturbed, perturbed_colour()},
                                                          {others, QColor(150, 150, 150)}}) {
    set->setColor(colour);
    set->setBorderColor(colour);
  }
  QStringList categories;
  double lo = 0.0, hi = 0.0, all_lo = 0.0, all_hi = 0.0;
  bool any_gene = false, any_perturbed = false, any_others = false;
  // Category 0 is drawn at the bottom: the bars go in from the last.
  for (int k = n - 1; k >= 0; --k) {
    const auto& b = bars[static_cast<std::size_t>(k)];
    categories << b.name;
    const double e = std::isfinite(b.error) ? b.error : 0.0;
    const bool gene = b.kind == Bar::Kind::gene;
    *up << (gene && b.value > 0 ? b.value : 0.0);
    *down << (gene && b.value <= 0 ? b.value : 0.0);
    *perturbed << (b.kind == Bar::Kind::perturbed ? b.value : 0.0);
    *others << (b.kind == Bar::Kind::others ? b.value : 0.0);
    all_lo = std::min(all_lo, b.value - e);
    all_hi = std::max(all_hi, b.value + e);
    if (b.kind != Bar::Kind::perturbed) {
      lo = std::min(lo, b.value - e);
      hi = std::max(hi, b.value + e);
      any_gene = true;
    }
    any_perturbed |= b.kind == Bar::Kind::perturbed;
    any_others |= b.kind == Bar::Kind::others;
  }
  series->append(up);
  series->append(down);
  if (any_perturbed)
    series->append(perturbed);
  else
    delete perturbed;
  if (any_others)
    series->append(others);
  else
    delete others;
  chart->addSeries(series);
  auto* x = value_axis(value_title, style);
  // Perturbed genes are cut only when they would squash the responding genes' bars.
  const bool cut = any_gene && hi > lo && std::max(std::abs(all_lo), std::abs(all_hi)) > 3.0 * (hi - lo);
  if (cut)
    set_range(x, lo, hi);
  else
    set_range(x, all_lo, all_hi);
  attach_gene_axes(chart, series, x, categories, style);
  // Whiskers and the target's marker: on a hidden value axis over the categories' positions.
  auto* yv = new QValueAxis;
  yv->setRange(-0.5, n - 0.5);
  yv->setVisible(false);
  chart->addAxis(yv, Qt::AlignLeft);
  bool first = true;
  QStringList cut_names;
  for (int k = 0; k < n; ++k) {
    const auto& b = bars[static_cast<std::size_t>(k)];
    const double pos = n - 1 - k;
    if (cut && b.kind == Bar::Kind::perturbed && (b.value < x->min() || b.value > x->max()))
      cut_names << b.name;
    if (!std::isfinite(b.error) || b.error <= 0) continue;
    auto* w = new QLineSeries;
    w->setName(whisker_name);
    constexpr double cap = 0.18;
    const double l = b.value - b.error, r = b.value + b.error;
    w->append({QPointF(l, pos - cap), QPointF(l, pos + cap), QPointF(l, pos), QPointF(r, pos),
               QPointF(r, pos + cap), QPointF(r, pos - cap)});
    w->setPen(QPen(QColor(30, 30, 30), 1.0));
    chart->addSeries(w);
    w->attachAxis(x);
    w->attachAxis(yv);
    if (!first) hide_marker(chart, w);
    first = false;
  }
  for (int k = 0; k < n && !target.isEmpty(); ++k) {
    const auto& b = bars[static_cast<std::size_t>(k)];
    if (b.name != target) continue;
    auto* mark = new QScatterSeries;
    mark->setName("explained");
    mark->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    mark->setMarkerSize(style.marker + 2);
    mark->setColor(highlight_colour());
    mark->setBorderColor(QColor(30, 30, 30));
    mark->append(std::clamp(b.value, x->min(), x->max()), n - 1 - k);
    chart->addSeries(mark);
    mark->attachAxis(x);
    mark->attachAxis(yv);
  }
  return cut_names;
}

QString axis_unit(const std::string& scale) { return "(" + qs(scale) + ")"; }

// "10 regulators; 32 permutations, SE ≤ 0.01 (auto); whiskers ± SE": short enough for a title line.
QString players_line(const Explanation& x) {
  const auto& s = x.shapley;
  QString how;
  switch (s.method) {
  case gc::perturb::ShapleyMethod::exact: how = "exact"; break;
  case gc::perturb::ShapleyMethod::permutation:
    how = QString("%1 permutations, ").arg(s.samples) +
          (s.target_reached ? QString("SE ≤ %1").arg(auto_target_se) : QString("SE target not reached"));
    break;
  case gc::perturb::ShapleyMethod::kernel:
    how = QString("KernelSHAP, %1 coalitions").arg(s.evaluations);
    break;
  }
  if (x.automatic) how += " (auto)";
  QString line = QString("%1 %2; ")
                     .arg(s.players.size())
                     .arg(x.players == Players::perturbed ? "perturbed genes" : "regulators") +
                 how;
  if (s.method != gc::perturb::ShapleyMethod::exact) line += "; whiskers ± SE";
  return line;
}

} // namespace

std::vector<Bar> response_bars(const Response& response, int top_n) {
  std::vector<Bar> out;
  for (const auto& r : response.top(static_cast<std::size_t>(std::max(0, top_n)))) {
    Bar b;
    b.name = qs(r.gene);
    b.value = r.delta;
    b.error = r.sd;
    b.kind = r.perturbed ? Bar::Kind::perturbed : Bar::Kind::gene;
    out.push_back(b);
  }
  return out;
}

std::vector<Bar> shapley_bars(const Explanation& explanation) {
  const auto& s = explanation.shapley;
  std::vector<std::size_t> order(s.phi.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return std::abs(s.phi[a]) > std::abs(s.phi[b]); });
  std::vector<Bar> out;
  double rest = 0.0;
  std::size_t rest_count = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto i = order[k];
    // One bar sums the rest, so the bars still add up to f(all) − f(none).
    if (k + 1 >= max_shapley_bars && order.size() > max_shapley_bars) {
      rest += s.phi[i];
      ++rest_count;
      continue;
    }
    Bar b;
    b.name = qs(s.players[i]);
    b.value = s.phi[i];
    b.error = i < s.se.size() ? s.se[i] : std::numeric_limits<double>::quiet_NaN();
    out.push_back(b);
  }
  if (rest_count > 0) {
    Bar b;
    b.name = QString("%1 others").arg(rest_count);
    b.value = rest;
    b.kind = Bar::Kind::others;
    out.push_back(b);
  }
  return out;
}

Volcano volcano_points(const Response& response, int top_n) {
  Volcano v;
  const auto n_top = static_cast<std::size_t>(std::max(0, top_n));
  std::vector<double> finite;
  for (std::size_t i = 0; i < response.rows.size(); ++i) {
    const auto& r = response.rows[i];
    VolcanoPoint p;
    p.name = qs(r.gene);
    p.delta = r.delta;
    const double a = std::abs(r.delta);
    p.z = r.sd > 0 ? a / r.sd : a > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    // The rows are ranked: the first n_top are the bars.
    p.kind = r.perturbed ? VolcanoPoint::Kind::perturbed
             : i < n_top ? VolcanoPoint::Kind::top
                         : VolcanoPoint::Kind::gene;
    if (!r.perturbed && std::isfinite(p.z)) finite.push_back(p.z);
    v.points.push_back(p);
  }
  if (!finite.empty()) {
    std::sort(finite.begin(), finite.end());
    const double high = finite.back();
    const double p90 = finite[static_cast<std::size_t>(0.9 * static_cast<double>(finite.size() - 1))];
    v.z_top = p90 > 0 ? std::min(high, volcano_z_cap * p90) : high;
  }
  if (!(v.z_top > 0)) v.z_top = 1.0;
  for (auto& p : v.points) {
    p.beyond = p.z > v.z_top;
    v.beyond += p.beyond ? 1 : 0;
  }
  return v;
}

int compare_per_scenario(std::size_t scenarios) {
  return std::clamp(24 / static_cast<int>(std::max<std::size_t>(1, scenarios)), 3, 10);
}

std::vector<std::string> compared_genes(const std::vector<ComparedScenario>& scenarios) {
  const auto shown = static_cast<std::size_t>(std::count_if(
      scenarios.begin(), scenarios.end(), [](const ComparedScenario& s) { return s.response != nullptr; }));
  const int per_scenario = compare_per_scenario(shown);
  std::vector<std::string> genes;
  std::unordered_map<std::string, double> largest;
  for (const auto& sc : scenarios) {
    if (!sc.response) continue;
    int taken = 0;
    for (const auto& r : sc.response->rows) {
      if (taken >= per_scenario) break;
      if (r.perturbed) continue;
      ++taken;
      if (largest.emplace(r.gene, 0.0).second) genes.push_back(r.gene);
    }
  }
  for (const auto& sc : scenarios) {
    if (!sc.response) continue;
    for (const auto& r : sc.response->rows) {
      const auto it = largest.find(r.gene);
      if (it != largest.end()) it->second = std::max(it->second, std::abs(r.delta));
    }
  }
  std::stable_sort(genes.begin(), genes.end(),
                   [&](const std::string& a, const std::string& b) { return largest[a] > largest[b]; });
  return genes;
}

QColor scenario_colour(std::size_t k) {
  static const std::array<QColor, 8> palette{QColor(0, 114, 178),   QColor(213, 94, 0),  QColor(0, 158, 115),
                                             QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
                                             QColor(240, 228, 66),  QColor(0, 0, 0)};
  return palette[k % palette.size()];
}

QString shapley_summary(const Explanation& x) {
  const auto& s = x.shapley;
  return QString("f(all) = %1, f(none) = %2, efficiency gap = %3")
      .arg(num(s.f_all), num(s.f_none), QString::number(s.gap, 'g', 2));
}

QString truth_summary(const TruthComparison& t) {
  return QString("Pearson r = %1 over %2 genes; top-%3 DE direction %4/%5")
      .arg(std::isfinite(t.pearson) ? QString::number(t.pearson, 'f', 3) : QString("n/a"))
      .arg(t.genes.size())
      .arg(truth_top_de)
      .arg(t.direction_agree)
      .arg(t.direction_total);
}

ChartStyle screen_style() { return {8.0, 6.5, false}; }
ChartStyle figure_style() { return {6.5, 4.5, true}; }

void fill_response_chart(QChart* chart, const Response* response, int top_n, const std::string& target,
                         const QString& message, const ChartStyle& style) {
  reset(chart, style);
  if (!response || response->rows.empty()) {
    message_only(chart, message);
    return;
  }
  const auto bars = response_bars(*response, top_n);
  // Legend labels stay short: Qt Charts gives each the same width and cuts longer ones.
  const auto cut = add_bars(chart, bars, "Δ expression " + axis_unit(response->scale), "± sd",
                            {"increase", "decrease", "perturbed", "others"}, qs(target), style);
  QStringList lines{qs(response->description) + " in " + qs(response->group),
                    QString("top %1 of %2 genes; %3 change, impact Σ|Δ| = %4")
                        .arg(bars.size())
                        .arg(response->rows.size())
                        .arg(response->changed)
                        .arg(num(response->impact))};
  // A perturbed gene's bar cut at the axis: its value is said instead.
  QStringList values;
  for (const auto& b : bars)
    if (cut.contains(b.name)) values << b.name + " Δ = " + num(b.value);
  if (!values.isEmpty()) lines << "bars cut at the axis: " + values.join(", ");
  chart->setTitle(title_html(lines));
}

void fill_shapley_chart(QChart* chart, const Explanation* x, const std::string& scale, const QString& message,
                        const ChartStyle& style) {
  reset(chart, style);
  if (!x) {
    message_only(chart, message);
    return;
  }
  const auto bars = shapley_bars(*x);
  add_bars(chart, bars, "φ: share of Δ " + qs(x->target) + " " + axis_unit(scale), "± SE",
           {"raises", "lowers", "perturbed", "rest"}, QString(), style);
  // The bars' colours follow the axis' sign; the title says what the whiskers are.
  chart->legend()->setVisible(false);
  chart->setTitle(title_html(
      {"Why " + qs(x->target) + " changes: Shapley values", players_line(*x), shapley_summary(*x)}));
}

void fill_truth_chart(QChart* chart, const Response* response, const QString& truth_name,
                      const QString& message, const ChartStyle& style) {
  reset(chart, style);
  if (!response || !response->truth) {
    message_only(chart, message);
    return;
  }
  const auto& t = *response->truth;
  auto* rest = new QScatterSeries;
  rest->setName("genes");
  auto* top = new QScatterSeries;
  top->setName(QString("top-%1 DE").arg(truth_top_de));
  rest->setMarkerSize(style.marker);
  top->setMarkerSize(style.marker + 1.5);
  QColor faint = point_colour();
  faint.setAlpha(150);
  rest->setColor(faint);
  rest->setBorderColor(Qt::transparent);
  top->setColor(highlight_colour());
  top->setBorderColor(QColor(30, 30, 30));
  double lo = 0.0, hi = 0.0;
  for (std::size_t i = 0; i < t.genes.size(); ++i) {
    (t.top_de[i] ? top : rest)->append(t.predicted[i], t.expected[i]);
    lo = std::min({lo, t.predicted[i], t.expected[i]});
    hi = std::max({hi, t.predicted[i], t.expected[i]});
  }
  auto* diagonal = new QLineSeries;
  diagonal->setName("y = x");
  diagonal->setPen(QPen(QColor(120, 120, 120), 1.0, Qt::DashLine));
  chart->addSeries(diagonal);
  chart->addSeries(rest);
  chart->addSeries(top);
  // Beside the plot: a scatter needs its height more than its width. Figures have no room.
  chart->legend()->setAlignment(Qt::AlignRight);
  chart->legend()->setVisible(!style.compact);
  auto* x = value_axis("predicted log2FC", style);
  auto* y = value_axis("true log2FC", style);
  set_range(x, lo, hi);
  set_range(y, lo, hi);
  // The diagonal across the whole (common) range.
  const double a = std::min(x->min(), y->min()), b = std::max(x->max(), y->max());
  x->setRange(a, b);
  y->setRange(a, b);
  diagonal->append(a, a);
  diagonal->append(b, b);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (auto* s : std::initializer_list<QAbstractSeries*>{diagonal, rest, top}) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  // Compact (figures): the caller draws truth_title above the plot.
  if (!style.compact) chart->setTitle(title_html(truth_title(*response, truth_name, false)));
}

QStringList truth_title(const Response& response, const QString& truth_name, bool compact) {
  if (!response.truth) return {};
  const auto& t = *response.truth;
  // Compact: the figure's title names the intervention and group.
  QStringList lines{compact ? "Predicted vs true log2FC (" + truth_name + ")"
                            : "Predicted vs true (" + truth_name + ", " + qs(t.group) + ")",
                    QString("Pearson r = %1 over %2 genes; top-%3 DE direction %4/%5")
                        .arg(std::isfinite(t.pearson) ? QString::number(t.pearson, 'f', 3) : QString("n/a"))
                        .arg(t.genes.size())
                        .arg(truth_top_de)
                        .arg(t.direction_agree)
                        .arg(t.direction_total)};
  if (compact) lines << QString("orange: top-%1 DE; dashed: y = x").arg(truth_top_de);
  return lines;
}

void fill_volcano_chart(QChart* chart, const Response* response, int top_n, const std::string& target,
                        const QString& message, const ChartStyle& style) {
  reset(chart, style);
  if (!response || response->rows.empty()) {
    message_only(chart, message);
    return;
  }
  const auto v = volcano_points(*response, top_n);
  QColor faint(150, 150, 150);
  faint.setAlpha(140);
  // One circle series per kind, and its points beyond the axis as triangles of the same colour.
  struct Kind {
    QString name;
    QColor colour;
    double size;
  };
  const std::array<Kind, 4> kinds{Kind{"genes", faint, style.marker - 1.0},
                                  Kind{QString("top %1 ↑").arg(top_n), increase_colour(), style.marker},
                                  Kind{QString("top %1 ↓").arg(top_n), decrease_colour(), style.marker},
                                  Kind{"perturbed", perturbed_colour(), style.marker + 1.0}};
  const auto kind_of = [](const VolcanoPoint& p) {
    switch (p.kind) {
    case VolcanoPoint::Kind::gene: return 0;
    case VolcanoPoint::Kind::top: return p.delta > 0 ? 1 : 2;
    case VolcanoPoint::Kind::perturbed: return 3;
    }
    return 0;
  };
  double lo = 0.0, hi = 0.0;
  for (const auto& p : v.points) {
    lo = std::min(lo, p.delta);
    hi = std::max(hi, p.delta);
  }
  // Figures' small plots get short axis titles that still say what the height is.
  auto* x =
      value_axis((style.compact ? "Δ " : "predicted Δ expression ") + axis_unit(response->scale), style);
  auto* y = value_axis(style.compact ? "|Δ| / sd (z-like)" : "|Δ| / sd over latent draws (z-like confidence)",
                       style);
  set_range(x, lo, hi);
  // From 0 on round steps, the top a little above z_top.
  const double raw = v.z_top / 4.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / magnitude <= 1   ? magnitude
                      : raw / magnitude <= 2 ? 2 * magnitude
                      : raw / magnitude <= 5 ? 5 * magnitude
                                             : 10 * magnitude;
  const double top = step * std::ceil(v.z_top * 1.04 / step);
  y->setRange(0.0, top);
  y->setTickCount(static_cast<int>(std::lround(top / step)) + 1);
  y->setLabelFormat(step >= 1 ? "%.0f" : step >= 0.1 ? "%.1f" : "%.2f");
  // Beyond the axis: on its top edge, a little inside so the triangle shows whole.
  const double edge = top * 0.985;
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  std::array<QScatterSeries*, 4> inside{}, beyond{};
  const auto make = [&](int k, bool triangle) {
    auto* sc = new QScatterSeries;
    const auto& kind = kinds[static_cast<std::size_t>(k)];
    sc->setName(kind.name);
    sc->setMarkerShape(triangle ? QScatterSeries::MarkerShapeTriangle : QScatterSeries::MarkerShapeCircle);
    sc->setMarkerSize(kind.size + (triangle ? 1.5 : 0.0));
    sc->setColor(kind.colour);
    sc->setBorderColor(k == 0 ? Qt::transparent : QColor(40, 40, 40));
    return sc;
  };
  for (const auto& p : v.points) {
    const int k = kind_of(p);
    auto& set = p.beyond ? beyond : inside;
    if (!set[static_cast<std::size_t>(k)]) set[static_cast<std::size_t>(k)] = make(k, p.beyond);
    set[static_cast<std::size_t>(k)]->append(p.delta, p.beyond ? edge : p.z);
  }
  // Grey genes first, so the marked ones are drawn over them; each kind in the legend once (its
  // circles, or its triangles when all its points are beyond the axis).
  for (int k = 0; k < 4; ++k)
    for (auto* sc : {inside[static_cast<std::size_t>(k)], beyond[static_cast<std::size_t>(k)]}) {
      if (!sc) continue;
      chart->addSeries(sc);
      sc->attachAxis(x);
      sc->attachAxis(y);
      if (sc == beyond[static_cast<std::size_t>(k)] && inside[static_cast<std::size_t>(k)])
        hide_marker(chart, sc);
    }
  for (const auto& p : v.points) {
    if (target.empty() || p.name != qs(target)) continue;
    auto* mark = new QScatterSeries;
    mark->setName("explained");
    mark->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    mark->setMarkerSize(style.marker + 4);
    mark->setColor(Qt::transparent);
    mark->setPen(QPen(highlight_colour(), 2.0));
    mark->append(p.delta, p.beyond ? edge : p.z);
    chart->addSeries(mark);
    mark->attachAxis(x);
    mark->attachAxis(y);
  }
  chart->legend()->setAlignment(Qt::AlignRight);
  // Compact (figures): no legend beside a small plot; the caller draws volcano_title above it.
  chart->legend()->setVisible(!style.compact);
  if (!style.compact) chart->setTitle(title_html(volcano_title(*response, top_n, false)));
}

QStringList volcano_title(const Response& response, int top_n, bool compact) {
  const auto v = volcano_points(response, top_n);
  QStringList lines{
      compact ? QString("Volcano: Δ against |Δ| / sd")
              : "Volcano: " + qs(response.description) + " in " + qs(response.group),
      compact
          ? QString("top %1 as the bars; perturbed purple; explained ringed").arg(top_n)
          : QString("%1 genes; the top %2 responders in the bars' colours").arg(v.points.size()).arg(top_n)};
  const QString top = QString::number(v.z_top, 'f', v.z_top >= 100 ? 0 : 1);
  if (v.beyond > 0)
    lines << (compact ? QString("▲ %1 beyond the axis (|Δ|/sd > %2)").arg(v.beyond).arg(top)
                      : QString("▲ %1 beyond the axis (sd ≈ 0 or |Δ|/sd > %2), on its top edge")
                            .arg(v.beyond)
                            .arg(top));
  return lines;
}

void fill_compare_chart(QChart* chart, const std::vector<ComparedScenario>& scenarios, const QString& message,
                        const ChartStyle& style) {
  reset(chart, style);
  std::vector<ComparedScenario> shown;
  for (const auto& sc : scenarios)
    if (sc.response) shown.push_back(sc);
  const auto genes = compared_genes(shown);
  if (shown.empty() || genes.empty()) {
    message_only(chart, message);
    return;
  }
  auto* series = new QHorizontalBarSeries;
  series->setBarWidth(0.8);
  double lo = 0.0, hi = 0.0;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    auto* set = new QBarSet(shown[k].name);
    set->setColor(scenario_colour(k));
    set->setBorderColor(scenario_colour(k));
    // Category 0 is drawn at the bottom: the genes go in from the last.
    for (auto it = genes.rbegin(); it != genes.rend(); ++it) {
      const auto* row = shown[k].response->row(*it);
      const double d = row ? row->delta : 0.0;
      *set << d;
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    series->append(set);
  }
  chart->addSeries(series);
  QStringList categories;
  for (auto it = genes.rbegin(); it != genes.rend(); ++it)
    categories << qs(*it);
  auto* x = value_axis("Δ expression " + axis_unit(shown.front().response->scale), style);
  set_range(x, lo, hi);
  attach_gene_axes(chart, series, x, categories, style);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setTitle(
      title_html({QString("%1 scenario%2 compared").arg(shown.size()).arg(shown.size() == 1 ? "" : "s"),
                  QString("Δ of each one's top %1 responding genes it does not perturb (%2 genes)")
                      .arg(compare_per_scenario(shown.size()))
                      .arg(genes.size())}));
}

WhatifCharts::WhatifCharts(QWidget* parent) : QObject(parent) {
  m_response = new QChart;
  m_shapley = new QChart;
  m_truth = new QChart;
  m_volcano = new QChart;
  m_compare = new QChart;
  m_response_view = new QChartView(m_response, parent);
  m_shapley_view = new QChartView(m_shapley, parent);
  m_truth_view = new QChartView(m_truth, parent);
  m_volcano_view = new QChartView(m_volcano, parent);
  m_compare_view = new QChartView(m_compare, parent);
  m_response_view->setObjectName("WhatifResponseChart");
  m_shapley_view->setObjectName("WhatifShapleyChart");
  m_truth_view->setObjectName("WhatifTruthChart");
  m_volcano_view->setObjectName("WhatifVolcanoChart");
  m_compare_view->setObjectName("WhatifCompareChart");
  for (auto* v : {m_response_view, m_shapley_view, m_truth_view, m_volcano_view, m_compare_view}) {
    v->setRenderHint(QPainter::Antialiasing);
    v->setMinimumSize(240, 160);
  }
  set_response(nullptr, default_top_n, {}, "No prediction yet.");
  set_explanation(nullptr, "log1p", "No explanation yet.");
  set_truth(nullptr, {}, "No truth table.");
  set_volcano(nullptr, default_top_n, {}, "No prediction yet.");
  set_compare({}, "No saved scenarios.");
}

void WhatifCharts::set_response(const Response* response, int top_n, const std::string& target,
                                const QString& message) {
  fill_response_chart(m_response, response, top_n, target, message, screen_style());
  m_response_bars = response ? response_bars(*response, top_n) : std::vector<Bar>{};
  connect_bars(m_response, &m_response_bars, true);
}

void WhatifCharts::set_explanation(const Explanation* explanation, const std::string& scale,
                                   const QString& message) {
  fill_shapley_chart(m_shapley, explanation, scale, message, screen_style());
  m_shapley_bars = explanation ? shapley_bars(*explanation) : std::vector<Bar>{};
  connect_bars(m_shapley, &m_shapley_bars, false);
}

void WhatifCharts::set_truth(const Response* response, const QString& truth_name, const QString& message) {
  fill_truth_chart(m_truth, response, truth_name, message, screen_style());
}

void WhatifCharts::set_volcano(const Response* response, int top_n, const std::string& target,
                               const QString& message) {
  fill_volcano_chart(m_volcano, response, top_n, target, message, screen_style());
  m_volcano_points = response ? volcano_points(*response, top_n) : Volcano{};
  connect_volcano();
}

void WhatifCharts::set_compare(const std::vector<ComparedScenario>& scenarios, const QString& message) {
  fill_compare_chart(m_compare, scenarios, message, screen_style());
}

void WhatifCharts::connect_volcano() {
  // The gene nearest the pointer (in axis units scaled to the plot), for clicks and tooltips.
  const auto nearest = [this](const QPointF& at) -> const VolcanoPoint* {
    const auto axes = m_volcano->axes();
    double xs = 1.0, ys = 1.0, top = m_volcano_points.z_top;
    for (auto* a : axes)
      if (auto* v = qobject_cast<QValueAxis*>(a)) {
        const double span = std::max(1e-12, v->max() - v->min());
        if (a->orientation() == Qt::Horizontal)
          xs = span;
        else
          ys = span, top = v->max() - 0.015 * span;
      }
    const VolcanoPoint* best = nullptr;
    double best_d = 1e300;
    for (const auto& p : m_volcano_points.points) {
      const double y = p.beyond ? top : p.z;
      const double d = std::hypot((p.delta - at.x()) / xs, (y - at.y()) / ys);
      if (d < best_d) best_d = d, best = &p;
    }
    return best;
  };
  for (auto* series : m_volcano->series()) {
    auto* sc = qobject_cast<QScatterSeries*>(series);
    if (!sc) continue;
    connect(sc, &QScatterSeries::clicked, this, [this, nearest](const QPointF& at) {
      if (const auto* p = nearest(at)) Q_EMIT gene_clicked(p->name);
    });
    connect(sc, &QScatterSeries::hovered, this, [nearest](const QPointF& at, bool on) {
      const auto* p = on ? nearest(at) : nullptr;
      if (!p) {
        QToolTip::hideText();
        return;
      }
      QToolTip::showText(QCursor::pos(), QString("%1: Δ %2, |Δ|/sd %3\nclick: explain its change")
                                             .arg(p->name, num(p->delta),
                                                  std::isfinite(p->z) ? num(p->z) : QString("∞ (sd = 0)")));
    });
  }
}

void WhatifCharts::connect_bars(QChart* chart, const std::vector<Bar>* bars, bool response) {
  for (auto* series : chart->series()) {
    auto* bar_series = qobject_cast<QAbstractBarSeries*>(series);
    if (!bar_series) continue;
    for (auto* set : bar_series->barSets()) {
      // Category k is bar n − 1 − k (the first bar is drawn at the top).
      const auto bar_of = [bars](int index) -> const Bar* {
        const auto n = static_cast<int>(bars->size());
        return index >= 0 && index < n ? &(*bars)[static_cast<std::size_t>(n - 1 - index)] : nullptr;
      };
      connect(set, &QBarSet::clicked, this, [this, bar_of, response](int index) {
        const Bar* b = bar_of(index);
        if (!b || b->kind == Bar::Kind::others) return;
        if (response)
          Q_EMIT gene_clicked(b->name);
        else
          Q_EMIT player_clicked(b->name);
      });
      connect(set, &QBarSet::hovered, this, [bar_of, response](bool on, int index) {
        const Bar* b = bar_of(index);
        if (!on || !b) {
          QToolTip::hideText();
          return;
        }
        QString text = QString("%1: %2 %3").arg(b->name, response ? "Δ" : "φ", num(b->value));
        if (std::isfinite(b->error) && b->error > 0)
          text += QString(" ± %1 (%2)").arg(num(b->error), response ? "sd" : "SE");
        if (b->kind != Bar::Kind::others)
          text += response ? "\nclick: explain its change" : "\nclick: explain this gene's change instead";
        QToolTip::showText(QCursor::pos(), text);
      });
    }
  }
}

QString figure_title(const Response* r, const QString& screen) {
  if (!r) return "What if";
  return "What if: " + qs(r->description) + " in " + qs(r->group) +
         (screen.isEmpty() ? QString() : " — GenoCircuit perturbation model on " + screen);
}

QString compare_figure_title(std::size_t scenarios, const QString& screen) {
  return QString("What if: %1 scenario%2 compared").arg(scenarios).arg(scenarios == 1 ? "" : "s") +
         (screen.isEmpty() ? QString() : " — GenoCircuit perturbation model on " + screen);
}

void paint_whatif_figure(QPainter& painter, const QRectF& target, const FigureContent& c) {
  if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
    throw gc::Error(
        "the what-if figure draws Qt Charts, which need a QApplication (not only a QGuiApplication)");
  const ChartStyle style = figure_style();
  painter.save();
  painter.fillRect(target, Qt::white);
  QFont title_font;
  title_font.setPointSizeF(style.points * 1.3);
  title_font.setBold(true);
  painter.setFont(title_font);
  painter.setPen(Qt::black);
  const double title_h = QFontMetricsF(title_font).height() * 1.4;
  painter.drawText(QRectF(target.left() + 6, target.top(), target.width() - 12, title_h),
                   Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, c.title);
  const QRectF body(target.left(), target.top() + title_h, target.width(), target.height() - title_h);
  const bool truth = c.response && c.response->truth;
  const QRectF left(body.left(), body.top(), body.width() * 0.5, body.height());
  const QRectF right(left.right(), body.top(), body.right() - left.right(), body.height());
  const QRectF upper(right.left(), right.top(), right.width(), right.height() * 0.46);
  const QRectF lower(right.left(), upper.bottom(), right.width(), right.bottom() - upper.bottom());
  const QRectF lower_left(lower.left(), lower.top(), truth ? lower.width() * 0.5 : lower.width(),
                          lower.height());
  const QRectF lower_right(lower_left.right(), lower.top(), lower.right() - lower_left.right(),
                           lower.height());
  // The scene owns the charts; it paints them as vectors into the figure's painter. Each chart is
  // filled in the scene, then placed: setting the geometry lays it out before the scene renders.
  QGraphicsScene scene;
  scene.setSceneRect(target);
  const auto chart = [&scene](const QRectF& where, const std::function<void(QChart*)>& fill) {
    auto* made = new QChart;
    scene.addItem(made);
    fill(made);
    made->setGeometry(where);
  };
  if (c.panel == Panel::scenarios) {
    chart(body, [&](QChart* x) { fill_compare_chart(x, c.compared, c.response_message, style); });
  } else {
    chart(left, [&](QChart* x) {
      fill_response_chart(x, c.response, c.top_n, c.target, c.response_message, style);
    });
    chart(upper,
          [&](QChart* x) { fill_shapley_chart(x, c.explanation, c.scale, c.explanation_message, style); });
    // The small plots' titles are painted here, wrapped to their width: Qt Charts cuts a title
    // longer than its plot to one line.
    const auto titled = [&](const QRectF& where, const QStringList& lines) {
      if (lines.isEmpty()) return where;
      // The charts' own title size: their scene is in logical units (1/96 inch), whatever the
      // device's resolution.
      QFont bold;
      bold.setPointSizeF(style.points * 1.1 * 96.0 / painter.device()->logicalDpiY());
      bold.setBold(true);
      QFont plain = bold;
      plain.setBold(false);
      plain.setPointSizeF(bold.pointSizeF() / 1.1);
      const QRectF text_area = where.adjusted(8, 4, -6, 0);
      double y = text_area.top();
      painter.setPen(QColor(50, 50, 50));
      for (qsizetype i = 0; i < lines.size(); ++i) {
        painter.setFont(i == 0 ? bold : plain);
        const QRectF box(text_area.left(), y, text_area.width(), where.bottom() - y);
        const QRectF used =
            painter.boundingRect(box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lines[i]);
        painter.drawText(box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lines[i]);
        y = used.bottom();
      }
      return QRectF(where.left(), y + 2, where.width(), where.bottom() - y - 2);
    };
    const QRectF volcano_area =
        c.response ? titled(lower_left, volcano_title(*c.response, c.top_n, true)) : lower_left;
    chart(volcano_area, [&](QChart* x) {
      fill_volcano_chart(x, c.response, c.top_n, c.target, c.response_message, style);
    });
    if (truth) {
      const QRectF truth_area = titled(lower_right, truth_title(*c.response, c.truth_name, true));
      chart(truth_area, [&](QChart* x) { fill_truth_chart(x, c.response, c.truth_name, {}, style); });
    }
  }
  scene.render(&painter, target, target);
  painter.restore();
}

} // namespace gc::ui::whatif
