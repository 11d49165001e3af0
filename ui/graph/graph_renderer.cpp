#include "gc/ui/graph/graph_renderer.h"

#include "gc/ui/common/colormap.h"
#include "gc/ui/graph/grn_job.h"
#include "gc/ui/hic/hic_math.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

namespace gc::ui::graph {
namespace {

constexpr double legend_w = 140.0;
constexpr double hit_px = 4.0;

QFont graph_font(double px, bool bold = false) {
  QFont f;
  f.setFamily("DejaVu Sans");
  f.setPixelSize(std::max(6, static_cast<int>(std::lround(px))));
  f.setBold(bold);
  return f;
}

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

const ColorMap& score_map() {
  static const ColorMap map = ColorMap::named("viridis");
  return map;
}

// Strong scores dark, weak ones light, so the best edges stand out on white.
QColor score_colour(double t) { return QColor::fromRgb(score_map().at(0.9 - 0.9 * std::clamp(t, 0.0, 1.0))); }

struct ScoreRange {
  double lo = 0, hi = 1;
  [[nodiscard]] double t(double s) const { return hi > lo ? (s - lo) / (hi - lo) : 1.0; }
};

ScoreRange score_range(const GraphScene& s) {
  ScoreRange r;
  if (!s.data || !s.shown || s.shown->edges.empty()) return r;
  // Shown edges are in rank order: the first has the highest score, the last the lowest.
  r.hi = s.data->edges[s.shown->edges.front()].score;
  r.lo = s.data->edges[s.shown->edges.back()].score;
  return r;
}

double edge_width(const ScoreRange& r, double score, double scale) {
  return scale * (0.5 + 2.3 * r.t(score));
}

// A gently curved edge from a to b (to the right of the direction of travel, so a->b and b->a
// stay apart), cut back at both ends to the node outlines; `tangent` is the direction at b.
struct Curve {
  QPointF from, control, to, tangent;
  bool self = false;
  QPointF centre; // self loops: a small circle above the node
  double loop_r = 0;
};

Curve edge_curve(const QPointF& a, const QPointF& b, double ra, double rb) {
  Curve c;
  const QPointF d = b - a;
  const double len = std::hypot(d.x(), d.y());
  if (len < 1e-6) {
    c.self = true;
    c.loop_r = std::max(3.0, ra * 0.9);
    c.centre = a + QPointF(0, -ra - c.loop_r * 0.6);
    return c;
  }
  const QPointF u = d / len, n(-u.y(), u.x());
  c.control = (a + b) / 2.0 + n * (0.12 * len);
  const auto toward = [](const QPointF& from, const QPointF& to, double dist) {
    const QPointF v = to - from;
    const double l = std::max(1e-9, std::hypot(v.x(), v.y()));
    return from + v / l * dist;
  };
  c.from = toward(a, c.control, ra);
  c.to = toward(b, c.control, rb + 0.8);
  const QPointF t = c.to - c.control;
  const double tl = std::max(1e-9, std::hypot(t.x(), t.y()));
  c.tangent = t / tl;
  return c;
}

QPainterPath curve_path(const Curve& c) {
  QPainterPath path;
  if (c.self) {
    path.addEllipse(c.centre, c.loop_r, c.loop_r);
    return path;
  }
  path.moveTo(c.from);
  path.quadTo(c.control, c.to);
  return path;
}

// Arrow (activation, unknown) or bar (repression) at the end of `c`.
void draw_head(QPainter& p, const Curve& c, int sign, const QColor& colour, double width) {
  if (c.self) return;
  const double size = 3.2 + 1.4 * width;
  const QPointF n(-c.tangent.y(), c.tangent.x());
  if (sign < 0) {
    p.setPen(QPen(colour, std::max(1.2, width), Qt::SolidLine, Qt::FlatCap));
    p.drawLine(c.to + n * size * 0.8, c.to - n * size * 0.8);
    return;
  }
  const QPointF back = c.to - c.tangent * size * 1.5;
  const QPolygonF head{c.to, back + n * size * 0.6, back - n * size * 0.6};
  p.setPen(Qt::NoPen);
  p.setBrush(colour);
  p.drawPolygon(head);
  p.setBrush(Qt::NoBrush);
}

QColor faded(QColor c, bool fade) {
  if (fade) c.setAlphaF(0.14);
  return c;
}

// The genes and edges the selection brings forward; everything else is faded when it is set.
struct Emphasis {
  bool active = false;
  std::vector<std::uint8_t> node; // per shown node
  int selected_node = -1;
  std::optional<std::size_t> selected_edge;
};

Emphasis emphasis(const GraphScene& s) {
  Emphasis e;
  const auto& st = *s.state;
  const auto& data = *s.data;
  const auto& shown = *s.shown;
  e.node.assign(shown.nodes.size(), 0);
  if (!st.selected_gene.isEmpty()) {
    if (const auto g = data.gene_index(st.selected_gene.toStdString()))
      e.selected_node = shown.node_position(*g);
  } else if (st.selected_edge) {
    const auto r = data.gene_index(st.selected_edge->first.toStdString());
    const auto t = data.gene_index(st.selected_edge->second.toStdString());
    if (r && t) {
      for (const auto i : shown.edges)
        if (data.edges[i].regulator == *r && data.edges[i].target == *t) e.selected_edge = i;
    }
  }
  if (e.selected_node >= 0) {
    e.active = true;
    e.node[static_cast<std::size_t>(e.selected_node)] = 1;
    const int g = shown.nodes[static_cast<std::size_t>(e.selected_node)];
    for (const auto i : shown.edges) {
      const auto& edge = data.edges[i];
      if (edge.regulator == g) e.node[static_cast<std::size_t>(shown.node_position(edge.target))] = 1;
      if (edge.target == g) e.node[static_cast<std::size_t>(shown.node_position(edge.regulator))] = 1;
    }
  } else if (e.selected_edge) {
    e.active = true;
    const auto& edge = data.edges[*e.selected_edge];
    e.node[static_cast<std::size_t>(shown.node_position(edge.regulator))] = 1;
    e.node[static_cast<std::size_t>(shown.node_position(edge.target))] = 1;
  }
  return e;
}

bool edge_emphasised(const Emphasis& e, const GraphScene& s, std::size_t i) {
  if (!e.active) return true;
  if (e.selected_edge) return *e.selected_edge == i;
  const int g = s.shown->nodes[static_cast<std::size_t>(e.selected_node)];
  return s.data->edges[i].regulator == g || s.data->edges[i].target == g;
}

QColor edge_colour(const GraphScene& s, const GraphEdge& e, const ScoreRange& range) {
  switch (s.state->colour) {
  case ColourMode::sign: return sign_colour(e.sign);
  case ColourMode::score: return score_colour(range.t(e.score));
  case ColourMode::reference: return class_colour(classify(*s.data, e));
  }
  return sign_colour(e.sign);
}

double node_radius(const GraphScene& s, const GraphGeometry& g, int pos) {
  const int gene = s.shown->nodes[static_cast<std::size_t>(pos)];
  return s.data->is_tf[static_cast<std::size_t>(gene)] ? g.node_radius * 1.35 : g.node_radius;
}

void draw_edges(QPainter& p, const GraphScene& s, const GraphGeometry& g, const Emphasis& em, double scale) {
  const auto& data = *s.data;
  const auto& shown = *s.shown;
  const auto range = score_range(s);
  const auto point = [&](int gene) {
    const int pos = shown.node_position(gene);
    return std::make_pair(g.to_screen((*s.positions)[static_cast<std::size_t>(pos)]), node_radius(s, g, pos));
  };
  if (s.state->colour == ColourMode::reference) {
    // Missed reference edges first, dashed, under the predictions.
    const QColor fn = class_colour(EdgeClass::false_negative);
    for (const auto i : shown.missed) {
      const auto& r = data.reference_edges[i];
      const auto [a, ra] = point(r.regulator);
      const auto [b, rb] = point(r.target);
      const bool fade =
          em.active && !(em.selected_node >= 0 &&
                         (shown.nodes[static_cast<std::size_t>(em.selected_node)] == r.regulator ||
                          shown.nodes[static_cast<std::size_t>(em.selected_node)] == r.target));
      const Curve c = edge_curve(a, b, ra, rb);
      const double w = 0.9 * scale;
      QPen pen(faded(fn, fade), w, Qt::CustomDashLine, Qt::FlatCap);
      pen.setDashPattern({4.0, 2.5});
      p.setPen(pen);
      p.drawPath(curve_path(c));
      draw_head(p, c, r.sign, faded(fn, fade), w);
    }
  }
  const auto* overlay = s.overlay;
  const auto cascade = [&](const GraphEdge& e) {
    return overlay && overlay->in_cascade(data.genes[static_cast<std::size_t>(e.regulator)],
                                          data.genes[static_cast<std::size_t>(e.target)]);
  };
  // Weakest first, so the strongest edges are drawn on top.
  const auto draw_one = [&](std::size_t i, bool selected) {
    const auto& e = data.edges[i];
    const auto [a, ra] = point(e.regulator);
    const auto [b, rb] = point(e.target);
    const bool fade = !edge_emphasised(em, s, i);
    const bool step = cascade(e);
    QColor colour = faded(step ? cascade_colour() : edge_colour(s, e, range), fade);
    // Over a response the cascade is the story: the other edges step back.
    if (overlay && !step && !fade) colour.setAlphaF(0.28);
    const double w = edge_width(range, e.score, scale) * (selected ? 1.6 : 1.0) + (step ? 0.6 * scale : 0.0);
    const Curve c = edge_curve(a, b, ra, rb);
    if (selected) {
      p.setPen(QPen(QColor(0, 0, 0, 90), w + 3.0, Qt::SolidLine, Qt::RoundCap));
      p.drawPath(curve_path(c));
    }
    p.setPen(QPen(colour, w, Qt::SolidLine, Qt::FlatCap));
    p.drawPath(curve_path(c));
    draw_head(p, c, e.sign, colour, w);
  };
  for (auto it = shown.edges.rbegin(); it != shown.edges.rend(); ++it)
    if ((!em.selected_edge || *em.selected_edge != *it) && !cascade(data.edges[*it])) draw_one(*it, false);
  if (!overlay) {
    if (em.selected_edge) draw_one(*em.selected_edge, true);
    return;
  }
  // The cascade over the rest: its shown edges, then (dashed) the steps between shown genes
  // through edges the filter left out.
  std::set<std::pair<int, int>> drawn;
  for (auto it = shown.edges.rbegin(); it != shown.edges.rend(); ++it) {
    const auto& e = data.edges[*it];
    if (cascade(e)) {
      drawn.emplace(e.regulator, e.target);
      if (!em.selected_edge || *em.selected_edge != *it) draw_one(*it, false);
    }
  }
  for (const auto& [via, gene] : overlay->cascade) {
    const auto r = data.gene_index(via), t = data.gene_index(gene);
    if (!r || !t || shown.node_position(*r) < 0 || shown.node_position(*t) < 0 || drawn.contains({*r, *t}))
      continue;
    const auto [a, ra] = point(*r);
    const auto [b, rb] = point(*t);
    const bool fade = em.active && !(em.selected_node >= 0 &&
                                     (shown.nodes[static_cast<std::size_t>(em.selected_node)] == *r ||
                                      shown.nodes[static_cast<std::size_t>(em.selected_node)] == *t));
    // Lighter than the shown edges: many steps go through edges the filter left out.
    QColor colour = faded(cascade_colour(), fade);
    if (!fade) colour.setAlphaF(0.45);
    const double w = 0.8 * scale;
    const Curve c = edge_curve(a, b, ra, rb);
    QPen pen(colour, w, Qt::CustomDashLine, Qt::FlatCap);
    pen.setDashPattern({3.0, 2.0});
    p.setPen(pen);
    p.drawPath(curve_path(c));
    draw_head(p, c, 0, colour, w);
  }
  if (em.selected_edge) draw_one(*em.selected_edge, true);
}

void draw_nodes(QPainter& p, const GraphScene& s, const GraphGeometry& g, const Emphasis& em, bool figure) {
  const auto& shown = *s.shown;
  const auto& data = *s.data;
  // Degree decides which labels win when they would overlap.
  std::vector<int> degree(shown.nodes.size(), 0);
  for (const auto i : shown.edges) {
    ++degree[static_cast<std::size_t>(shown.node_position(data.edges[i].regulator))];
    ++degree[static_cast<std::size_t>(shown.node_position(data.edges[i].target))];
  }
  for (std::size_t i = 0; i < shown.nodes.size(); ++i) {
    const int gene = shown.nodes[i];
    const QPointF c = g.to_screen((*s.positions)[i]);
    const double r = node_radius(s, g, static_cast<int>(i));
    const bool fade = em.active && !em.node[i];
    p.setPen(QPen(faded(QColor(40, 40, 40), fade), 0.8));
    p.setBrush(faded(node_fill(s, gene), fade));
    p.drawEllipse(c, r, r);
    if (s.overlay && s.overlay->perturbed.contains(data.genes[static_cast<std::size_t>(gene)])) {
      p.setBrush(Qt::NoBrush);
      p.setPen(QPen(faded(overlay_perturbed_colour(), fade), 2.2));
      p.drawEllipse(c, r + 2.0, r + 2.0);
    }
    if (static_cast<int>(i) == em.selected_node) {
      p.setBrush(Qt::NoBrush);
      p.setPen(QPen(QColor(0, 0, 0), 1.8));
      p.drawEllipse(c, r + 2.5, r + 2.5);
    }
  }
  p.setBrush(Qt::NoBrush);
  // Labels: selected and emphasised genes first, then TFs, then by degree; a label that would
  // overlap one already placed is left out (tried right, left, above, below).
  std::vector<int> order(shown.nodes.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<int>(i);
  // Over a response the perturbed genes are labelled whatever the crowd.
  const auto perturbed = [&](int i) {
    return s.overlay && s.overlay->perturbed.contains(
                            data.genes[static_cast<std::size_t>(shown.nodes[static_cast<std::size_t>(i)])]);
  };
  const auto priority = [&](int i) {
    const auto ui = static_cast<std::size_t>(i);
    return (i == em.selected_node ? 8000000 : 0) + (perturbed(i) ? 4000000 : 0) +
           (em.active && em.node[ui] ? 2000000 : 0) +
           (data.is_tf[static_cast<std::size_t>(shown.nodes[ui])] ? 1000000 : 0) + degree[ui];
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return priority(a) > priority(b); });
  const double label_px = figure ? std::max(6.5, g.font_px * 0.78) : g.font_px * 0.9;
  std::vector<QRectF> taken;
  // Nodes block labels too.
  for (std::size_t i = 0; i < shown.nodes.size(); ++i) {
    const QPointF c = g.to_screen((*s.positions)[i]);
    const double r = node_radius(s, g, static_cast<int>(i));
    taken.emplace_back(c.x() - r, c.y() - r, 2 * r, 2 * r);
  }
  const auto free_at = [&](const QRectF& box) {
    if (!g.labels.contains(box)) return false;
    return std::none_of(taken.begin() + static_cast<std::ptrdiff_t>(shown.nodes.size()), taken.end(),
                        [&](const QRectF& t) { return t.intersects(box); }) &&
           std::none_of(taken.begin(), taken.begin() + static_cast<std::ptrdiff_t>(shown.nodes.size()),
                        [&](const QRectF& t) { return t.intersects(box.adjusted(1, 1, -1, -1)); });
  };
  for (const int i : order) {
    const auto ui = static_cast<std::size_t>(i);
    const int gene = shown.nodes[ui];
    const bool tf = data.is_tf[static_cast<std::size_t>(gene)] != 0;
    const bool fade = em.active && !em.node[ui];
    const QFont font = graph_font(label_px, tf || i == em.selected_node);
    const QFontMetricsF fm(font);
    const QString text = QString::fromStdString(data.genes[static_cast<std::size_t>(gene)]);
    const double w = fm.horizontalAdvance(text) + 1, h = fm.height();
    const QPointF c = g.to_screen((*s.positions)[ui]);
    const double r = node_radius(s, g, i) + 1.5;
    const QRectF right(c.x() + r, c.y() - h / 2, w, h), left(c.x() - r - w, c.y() - h / 2, w, h),
        above(c.x() - w / 2, c.y() - r - h, w, h), below(c.x() - w / 2, c.y() + r, w, h);
    // Under the node in layered drawings (rows are wide, not tall), outside the ring of a circle,
    // else to the right.
    std::array<QRectF, 4> candidates{right, left, above, below};
    if (s.layout == LayoutKind::hierarchical) {
      candidates = {below, above, right, left};
    } else if (s.layout == LayoutKind::circle) {
      const auto& q = (*s.positions)[ui];
      const bool outward_x = std::abs(q.x - 0.5) >= std::abs(q.y - 0.5);
      if (outward_x) {
        candidates =
            q.x >= 0.5 ? std::array{right, above, below, left} : std::array{left, above, below, right};
      } else {
        candidates =
            q.y >= 0.5 ? std::array{below, right, left, above} : std::array{above, right, left, below};
      }
    }
    const bool must = i == em.selected_node || perturbed(i);
    for (const auto& box : candidates) {
      if (!must && !free_at(box)) continue;
      taken.push_back(box);
      // A light backing keeps labels legible over edges (and stays a rectangle and text in SVG).
      if (!fade) p.fillRect(box.adjusted(0, 1, 0, -1), QColor(255, 255, 255, 170));
      p.setFont(font);
      p.setPen(faded(QColor(25, 25, 25), fade));
      p.drawText(box, Qt::AlignCenter, text);
      break;
    }
  }
}

// ---- legend ----

struct LegendCursor {
  QPainter& p;
  QRectF box;
  double y = 0;
  double font_px = 10;
  void header(const QString& text) {
    p.setFont(graph_font(font_px, true));
    p.setPen(QColor(20, 20, 20));
    const double h = QFontMetricsF(p.font()).height();
    p.drawText(QRectF(box.left(), y, box.width(), h), Qt::AlignLeft | Qt::AlignVCenter, text);
    y += h + 2;
  }
  // A sample drawn by `sample` in a 26 px wide slot, then the text.
  template <typename Sample>
  void item(const QString& text, Sample sample) {
    p.setFont(graph_font(font_px * 0.92));
    const double h = QFontMetricsF(p.font()).height() + 1;
    sample(QRectF(box.left(), y, 26, h));
    p.setPen(QColor(30, 30, 30));
    p.drawText(QRectF(box.left() + 31, y, box.width() - 31, h), Qt::AlignLeft | Qt::AlignVCenter, text);
    y += h;
  }
  void gap(double px = 5) { y += px; }
};

void edge_sample(QPainter& p, const QRectF& slot, const QColor& colour, int sign, double width, bool dashed) {
  const double y = slot.center().y();
  Curve c;
  c.from = QPointF(slot.left(), y);
  c.to = QPointF(slot.right(), y);
  c.control = (c.from + c.to) / 2.0;
  c.tangent = QPointF(1, 0);
  QPen pen(colour, width, dashed ? Qt::CustomDashLine : Qt::SolidLine, Qt::FlatCap);
  if (dashed) pen.setDashPattern({4.0, 2.5});
  p.setPen(pen);
  p.drawLine(c.from, c.to - QPointF(sign < 0 ? 0 : 2, 0));
  draw_head(p, c, sign, colour, width);
}

void draw_mini_pr(QPainter& p, const QRectF& box, const Evaluation& ev, double font_px) {
  p.setFont(graph_font(font_px * 0.85));
  const QFontMetricsF fm(p.font());
  const QRectF plot(box.left() + fm.horizontalAdvance("0.5") + 6, box.top() + 2,
                    box.width() - fm.horizontalAdvance("0.5") - 10, box.height() - fm.height() * 2 - 6);
  p.setPen(QPen(QColor(60, 60, 60), 0.8));
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot);
  for (const double v : {0.0, 0.5, 1.0}) {
    const double y = plot.bottom() - v * plot.height();
    const double x = plot.left() + v * plot.width();
    p.drawLine(QPointF(plot.left() - 3, y), QPointF(plot.left(), y));
    p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
    const QString t = v == 0.5 ? "0.5" : QString::number(static_cast<int>(v));
    p.drawText(QRectF(box.left(), y - fm.height() / 2, plot.left() - box.left() - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, t);
    p.drawText(QRectF(x - 12, plot.bottom() + 3, 24, fm.height()), Qt::AlignCenter, t);
  }
  p.drawText(QRectF(plot.left(), plot.bottom() + 3 + fm.height(), plot.width(), fm.height()), Qt::AlignCenter,
             "recall");
  p.drawText(QRectF(plot.left() + 3, plot.top() + 1, plot.width() - 6, fm.height()),
             Qt::AlignRight | Qt::AlignTop, "precision");
  // The random predictor's precision: the density of true edges.
  const double density = ev.metrics.density;
  QPen dashed(QColor(120, 120, 120), 0.8, Qt::DashLine);
  p.setPen(dashed);
  const double yd = plot.bottom() - std::clamp(density, 0.0, 1.0) * plot.height();
  p.drawLine(QPointF(plot.left(), yd), QPointF(plot.right(), yd));
  QPainterPath path;
  for (std::size_t i = 0; i < ev.pr.size(); ++i) {
    const QPointF q(plot.left() + ev.pr[i].x * plot.width(), plot.bottom() - ev.pr[i].y * plot.height());
    if (i == 0) {
      path.moveTo(q);
    } else {
      path.lineTo(q);
    }
  }
  p.setPen(QPen(QColor(0, 114, 178), 1.4));
  p.drawPath(path);
}

// The Δ scale (a blue – white – vermillion bar from −max to +max), the perturbed genes' ring and
// the cascade's edges, under the response's title.
template <typename NodeSample>
void draw_overlay_legend(QPainter& p, const GraphGeometry& g, const ResponseOverlay& o, LegendCursor& legend,
                         double unit, const NodeSample& node_sample) {
  legend.header("Predicted Δ (" + QString::fromStdString(o.scale) + ")");
  p.setFont(graph_font(legend.font_px * 0.92));
  const QFontMetricsF fm(p.font());
  const double lh = fm.height();
  if (!o.title.empty()) {
    p.setPen(QColor(30, 30, 30));
    p.drawText(QRectF(g.legend.left(), legend.y, g.legend.width(), lh), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(QString::fromStdString(o.title), Qt::ElideRight, g.legend.width()));
    legend.y += lh + 1;
  }
  const double max = o.scale_max;
  const QRectF bar(g.legend.left() + 2, legend.y + 2, g.legend.width() - 14, 9);
  QLinearGradient grad(bar.topLeft(), bar.topRight());
  for (int i = 0; i <= 16; ++i)
    grad.setColorAt(i / 16.0, delta_colour((i / 8.0 - 1.0) * std::max(max, 1e-12), std::max(max, 1e-12)));
  p.setPen(QPen(QColor(40, 40, 40), 0.6));
  p.setBrush(grad);
  p.drawRect(bar);
  p.setBrush(Qt::NoBrush);
  p.setPen(QColor(30, 30, 30));
  const double ty = bar.bottom() + 1;
  p.drawText(QRectF(bar.left(), ty, 60, lh), Qt::AlignLeft | Qt::AlignTop, hic_view::format_value(-max));
  p.drawText(QRectF(bar.center().x() - 20, ty, 40, lh), Qt::AlignHCenter | Qt::AlignTop, "0");
  p.drawText(QRectF(bar.right() - 60, ty, 60, lh), Qt::AlignRight | Qt::AlignTop,
             hic_view::format_value(max));
  legend.y = ty + lh + 2;
  legend.item("perturbed gene", [&](const QRectF& slot) {
    node_sample(Qt::white, 3.6)(slot);
    p.setPen(QPen(overlay_perturbed_colour(), 2.2));
    p.drawEllipse(slot.center(), 5.6, 5.6);
  });
  legend.item("not in the response", node_sample(gene_colour(), 3.6));
  legend.item("cascade (via → gene)",
              [&](const QRectF& r) { edge_sample(p, r, cascade_colour(), 0, 1.8 * unit, false); });
  legend.item("cascade, edge hidden",
              [&](const QRectF& r) { edge_sample(p, r, cascade_colour(), 0, 1.0 * unit, true); });
}

void draw_legend(QPainter& p, const GraphGeometry& g, const GraphScene& s, bool figure) {
  if (g.legend.width() <= 0) return;
  LegendCursor legend{p, g.legend, g.legend.top(), g.font_px * (figure ? 0.85 : 0.8)};
  const double unit = figure ? 1.0 : 1.2;
  const auto node_sample = [&](const QColor& fill, double r) {
    return [&p, fill, r](const QRectF& slot) {
      p.setPen(QPen(QColor(40, 40, 40), 0.8));
      p.setBrush(fill);
      p.drawEllipse(slot.center(), r, r);
      p.setBrush(Qt::NoBrush);
    };
  };
  if (s.overlay) {
    draw_overlay_legend(p, g, *s.overlay, legend, unit, node_sample);
  } else {
    legend.header("Genes");
    legend.item("transcription factor", node_sample(tf_colour(), 4.6));
    legend.item("target gene", node_sample(gene_colour(), 3.4));
  }
  legend.gap();
  const auto range = score_range(s);
  switch (s.state->colour) {
  case ColourMode::sign:
    legend.header("Edges (sign)");
    legend.item("activation",
                [&](const QRectF& r) { edge_sample(p, r, sign_colour(1), 1, 1.6 * unit, false); });
    legend.item("repression",
                [&](const QRectF& r) { edge_sample(p, r, sign_colour(-1), -1, 1.6 * unit, false); });
    legend.item("sign unknown",
                [&](const QRectF& r) { edge_sample(p, r, sign_colour(0), 0, 1.6 * unit, false); });
    break;
  case ColourMode::reference: {
    legend.header("Edges vs " +
                  QString::fromStdString(s.data->reference.empty() ? "reference" : s.data->reference));
    if (!s.data->has_reference()) {
      legend.item("no reference loaded", [](const QRectF&) {});
      break;
    }
    const auto& shown = *s.shown;
    legend.item(QString("true positive (%1)").arg(shown.true_positives), [&](const QRectF& r) {
      edge_sample(p, r, class_colour(EdgeClass::true_positive), 1, 1.6 * unit, false);
    });
    legend.item(QString("false positive (%1)").arg(shown.false_positives()), [&](const QRectF& r) {
      edge_sample(p, r, class_colour(EdgeClass::false_positive), 1, 1.6 * unit, false);
    });
    legend.item(QString("missed (FN, %1)").arg(shown.missed.size()), [&](const QRectF& r) {
      edge_sample(p, r, class_colour(EdgeClass::false_negative), 1, 1.0 * unit, true);
    });
    break;
  }
  case ColourMode::score: {
    legend.header("Edges (score)");
    // A colour bar from the lowest to the highest shown score.
    p.setFont(graph_font(legend.font_px * 0.92));
    const QFontMetricsF fm(p.font());
    const QRectF bar(g.legend.left() + 2, legend.y + 2, g.legend.width() - 44, 9);
    QLinearGradient grad(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 16; ++i)
      grad.setColorAt(i / 16.0, score_colour(i / 16.0));
    p.setPen(QPen(QColor(40, 40, 40), 0.6));
    p.setBrush(grad);
    p.drawRect(bar);
    p.setBrush(Qt::NoBrush);
    p.setPen(QColor(30, 30, 30));
    p.drawText(QRectF(bar.left(), bar.bottom() + 1, 60, fm.height()), Qt::AlignLeft | Qt::AlignTop,
               hic_view::format_value(range.lo));
    p.drawText(QRectF(bar.right() - 60, bar.bottom() + 1, 60, fm.height()), Qt::AlignRight | Qt::AlignTop,
               hic_view::format_value(range.hi));
    legend.y = bar.bottom() + fm.height() + 3;
    legend.item("activation",
                [&](const QRectF& r) { edge_sample(p, r, score_colour(0.7), 1, 1.6 * unit, false); });
    legend.item("repression",
                [&](const QRectF& r) { edge_sample(p, r, score_colour(0.7), -1, 1.6 * unit, false); });
    break;
  }
  }
  legend.gap();
  // Line width follows the score: the highest, middle and lowest shown scores.
  legend.header("Score (" + method_label(QString::fromStdString(s.data->method)) + ")");
  const double scale = figure ? 1.0 : 1.2;
  for (const double t : {1.0, 0.5, 0.0}) {
    const double v = range.lo + t * (range.hi - range.lo);
    legend.item(hic_view::format_value(v), [&, v](const QRectF& r) {
      edge_sample(p, r, QColor(60, 60, 60), 1, edge_width(range, v, scale), false);
    });
  }
  legend.gap();
  p.setFont(graph_font(legend.font_px * 0.92));
  p.setPen(QColor(30, 30, 30));
  const double lh = QFontMetricsF(p.font()).height();
  p.drawText(QRectF(g.legend.left(), legend.y, g.legend.width(), lh), Qt::AlignLeft | Qt::AlignVCenter,
             QString("%1 genes · %2 edges").arg(s.shown->nodes.size()).arg(s.shown->edges.size()));
  legend.y += lh + 4;
  if (s.data->evaluation) {
    const auto& ev = *s.data->evaluation;
    const auto& m = ev.metrics;
    const QString auprc = std::isfinite(m.auprc) ? QString::number(m.auprc, 'f', 3) : "n/a";
    const QString auroc = std::isfinite(m.auroc) ? QString::number(m.auroc, 'f', 3) : "n/a";
    legend.header("Ranking vs reference");
    p.setFont(graph_font(legend.font_px * 0.92));
    p.setPen(QColor(30, 30, 30));
    p.drawText(
        QRectF(g.legend.left(), legend.y, g.legend.width(), lh * 2), Qt::AlignLeft | Qt::AlignTop,
        QString("AUPRC %1 (random %2)\nAUROC %3").arg(auprc, QString::number(m.density, 'f', 3), auroc));
    legend.y += lh * 2 + 3;
    const double h = std::min(110.0, g.legend.bottom() - legend.y);
    if (figure && !ev.pr.empty() && h > 60)
      draw_mini_pr(p, QRectF(g.legend.left(), legend.y, g.legend.width() - 6, h), ev, legend.font_px);
  }
}

} // namespace

QColor node_fill(const GraphScene& s, int gene) {
  const auto& data = *s.data;
  if (s.overlay) {
    const auto it = s.overlay->delta.find(data.genes[static_cast<std::size_t>(gene)]);
    return it == s.overlay->delta.end() ? gene_colour() : delta_colour(it->second, s.overlay->scale_max);
  }
  return data.is_tf[static_cast<std::size_t>(gene)] ? tf_colour() : gene_colour();
}

QColor sign_colour(int sign) {
  if (sign > 0) return {0, 114, 178}; // blue (Okabe–Ito)
  if (sign < 0) return {213, 94, 0};  // vermillion
  return {128, 128, 128};
}

QColor class_colour(EdgeClass c) {
  switch (c) {
  case EdgeClass::true_positive: return {0, 158, 115};   // bluish green
  case EdgeClass::false_positive: return {213, 94, 0};   // vermillion
  case EdgeClass::false_negative: return {86, 100, 200}; // blue, dashed
  case EdgeClass::no_reference: return {128, 128, 128};
  }
  return {128, 128, 128};
}

QColor tf_colour() { return {230, 159, 0}; }
QColor gene_colour() { return {214, 214, 214}; }

QPointF GraphGeometry::to_screen(const LayoutPoint& p) const { return {ox + p.x * sx, oy + p.y * sy}; }

LayoutPoint GraphGeometry::to_layout(const QPointF& p) const {
  return {sx != 0 ? (p.x() - ox) / sx : 0.5, sy != 0 ? (p.y() - oy) / sy : 0.5};
}

GraphGeometry graph_geometry(const QRectF& area, const GraphScene& s, bool figure) {
  GraphGeometry g;
  g.font_px = figure ? 10.0 : 12.0;
  double top = area.top() + 6;
  if (figure) {
    g.title = QRectF(area.left() + 8, area.top() + 4, area.width() - 16, g.font_px * 1.6);
    top = g.title.bottom() + 4;
  }
  const double lw = area.width() > 420 ? legend_w : 0.0;
  g.legend = QRectF(area.right() - lw - 6, top + 4, lw, area.bottom() - top - 8);
  // Room for labels right of the rightmost nodes and above the top ones.
  g.plot = QRectF(area.left() + 14, top + 10, area.width() - lw - 14 - 44, area.bottom() - top - 22);
  if (g.plot.width() < 10 || g.plot.height() < 10) g.plot = area;
  const std::size_t n = s.shown ? std::max<std::size_t>(1, s.shown->nodes.size()) : 1;
  g.node_radius = std::clamp(std::sqrt(g.plot.width() * g.plot.height() / static_cast<double>(n)) * 0.11,
                             figure ? 2.0 : 3.0, figure ? 4.5 : 7.0);
  // Node radius inside the plot.
  // Room for the nodes, and around a circle for the labels outside it.
  const double mx = g.node_radius * 1.4 + (s.layout == LayoutKind::circle ? 26 : 0);
  const double my = g.node_radius * 1.4 + (s.layout == LayoutKind::circle ? 8 : 0);
  const QRectF inner = g.plot.adjusted(mx, my, -mx, -my);
  g.labels =
      QRectF(QPointF(area.left() + 2, g.plot.top() - 8),
             QPointF(g.legend.width() > 0 ? g.legend.left() - 4 : area.right() - 2, area.bottom() - 2));
  double w = inner.width(), h = inner.height();
  if (s.max_stretch > 0) {
    const double side = std::min(w, h);
    w = std::min(w, side * s.max_stretch);
    h = std::min(h, side * s.max_stretch);
  }
  g.sx = w * s.zoom;
  g.sy = h * s.zoom;
  g.ox = inner.center().x() - g.sx / 2 + s.pan.x();
  g.oy = inner.center().y() - g.sy / 2 + s.pan.y();
  return g;
}

void paint_graph(QPainter& p, const QRectF& area, const GraphScene& s, bool figure) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  p.fillRect(area, Qt::white);
  const auto g = graph_geometry(area, s, figure);
  if (figure && s.data && s.shown && s.state) {
    p.setFont(graph_font(g.font_px * 1.05, true));
    p.setPen(QColor(10, 10, 10));
    QString title = QString::fromStdString(s.data->title);
    const auto& st = *s.state;
    QString filter = st.top_k > 0 ? QString("top %1 edges").arg(st.top_k) : QString("all edges");
    if (st.threshold > 0) filter += QString(", score ≥ %1").arg(hic_view::format_value(st.threshold));
    title += "  ·  " + filter;
    if (st.focus != Focus::all && !st.focus_gene.isEmpty()) {
      title += "  ·  " + QString(st.focus == Focus::in    ? "regulators of %1"
                                 : st.focus == Focus::out ? "targets of %1"
                                                          : "neighbours of %1")
                             .arg(st.focus_gene);
    }
    title += "  ·  " + qs(to_string(st.layout)) + " layout";
    p.drawText(g.title, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(title, Qt::ElideRight, g.title.width()));
  }
  if (!s.drawable()) {
    p.setFont(graph_font(g.font_px));
    p.setPen(QColor(90, 90, 90));
    QString msg = s.message;
    if (msg.isEmpty()) msg = s.shown && s.shown->nodes.empty() ? "No edge passes the filter." : "No network.";
    p.drawText(g.plot.isValid() ? g.plot : area, Qt::AlignCenter | Qt::TextWordWrap, msg);
    p.restore();
    return;
  }
  const auto em = emphasis(s);
  p.save();
  if (!figure) p.setClipRect(area);
  draw_edges(p, s, g, em, figure ? 1.0 : 1.2);
  draw_nodes(p, s, g, em, figure);
  p.restore();
  draw_legend(p, g, s, figure);
  p.restore();
}

int node_at(const GraphScene& s, const GraphGeometry& g, const QPointF& pos) {
  if (!s.drawable()) return -1;
  int best = -1;
  double best_d = 1e300;
  for (std::size_t i = 0; i < s.shown->nodes.size(); ++i) {
    const QPointF c = g.to_screen((*s.positions)[i]);
    const double d = std::hypot(c.x() - pos.x(), c.y() - pos.y());
    if (d <= node_radius(s, g, static_cast<int>(i)) + 2.0 && d < best_d) {
      best = static_cast<int>(i);
      best_d = d;
    }
  }
  return best;
}

std::optional<std::size_t> edge_at(const GraphScene& s, const GraphGeometry& g, const QPointF& pos) {
  if (!s.drawable()) return std::nullopt;
  std::optional<std::size_t> best;
  double best_d = hit_px;
  for (const auto i : s.shown->edges) {
    const auto& e = s.data->edges[i];
    const int a = s.shown->node_position(e.regulator), b = s.shown->node_position(e.target);
    const Curve c = edge_curve(g.to_screen((*s.positions)[static_cast<std::size_t>(a)]),
                               g.to_screen((*s.positions)[static_cast<std::size_t>(b)]), node_radius(s, g, a),
                               node_radius(s, g, b));
    if (c.self) continue;
    // The quadratic curve as 16 segments.
    QPointF prev = c.from;
    for (int k = 1; k <= 16; ++k) {
      const double t = k / 16.0;
      const QPointF q = (1 - t) * (1 - t) * c.from + 2 * (1 - t) * t * c.control + t * t * c.to;
      const QPointF d = q - prev;
      const double len2 = d.x() * d.x() + d.y() * d.y();
      const double u =
          len2 > 0
              ? std::clamp(((pos.x() - prev.x()) * d.x() + (pos.y() - prev.y()) * d.y()) / len2, 0.0, 1.0)
              : 0.0;
      const QPointF near = prev + u * d;
      const double dist = std::hypot(pos.x() - near.x(), pos.y() - near.y());
      if (dist < best_d) {
        best_d = dist;
        best = i;
      }
      prev = q;
    }
  }
  return best;
}

} // namespace gc::ui::graph
