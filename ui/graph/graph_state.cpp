#include "gc/ui/graph/graph_state.h"

#include "gc/ui/graph/grn_job.h"

#include "gc/grn/infer.h"
#include "gc/util/error.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gc::ui::graph {

QString GraphState::default_method() { return have_genocircuit() ? genocircuit_method : "genie3"; }

int GraphState::default_epochs() { return graph::default_epochs(); }

std::string_view to_string(ColourMode mode) noexcept {
  switch (mode) {
  case ColourMode::sign: return "sign";
  case ColourMode::score: return "score";
  case ColourMode::reference: return "reference";
  }
  return "sign";
}

std::optional<ColourMode> parse_colour_mode(std::string_view text) noexcept {
  for (const auto m : {ColourMode::sign, ColourMode::score, ColourMode::reference})
    if (text == to_string(m)) return m;
  return std::nullopt;
}

QJsonObject to_json(const GraphState& s) {
  QJsonObject o;
  o["source"] = s.source;
  o["method"] = s.method;
  if (s.reference) o["reference"] = *s.reference;
  // Builds without the model have no epoch count to keep.
  if (s.epochs > 0) o["epochs"] = s.epochs;
  o["threshold"] = s.threshold;
  o["top_k"] = s.top_k;
  o["layout"] =
      QString::fromUtf8(to_string(s.layout).data(), static_cast<qsizetype>(to_string(s.layout).size()));
  // As text: JSON numbers are doubles, and a 64-bit seed would lose digits.
  o["seed"] = QString::number(s.seed);
  o["colour"] =
      QString::fromUtf8(to_string(s.colour).data(), static_cast<qsizetype>(to_string(s.colour).size()));
  o["focus"] =
      QString::fromUtf8(to_string(s.focus).data(), static_cast<qsizetype>(to_string(s.focus).size()));
  if (!s.focus_gene.isEmpty()) o["focus_gene"] = s.focus_gene;
  if (!s.selected_gene.isEmpty()) {
    o["selection"] = QJsonObject{{"gene", s.selected_gene}};
  } else if (s.selected_edge) {
    o["selection"] = QJsonObject{{"regulator", s.selected_edge->first}, {"target", s.selected_edge->second}};
  }
  if (!s.positions.empty()) {
    QJsonObject p;
    for (const auto& [gene, xy] : s.positions)
      p[gene] = QJsonArray{xy.x, xy.y};
    o["positions"] = p;
  }
  o["response_overlay"] = s.response_overlay;
  return o;
}

GraphState read_json(const QJsonObject& o) {
  GraphState s;
  const auto text = [&](const char* key) { return o.value(key).toString().toStdString(); };
  s.source = o.value("source").toString();
  if (o.contains("method")) {
    s.method = o.value("method").toString();
    check_method(s.method); // throws naming the valid methods
  }
  if (o.contains("reference") && !o.value("reference").isNull())
    s.reference = o.value("reference").toString();
  if (o.contains("epochs")) {
    const double e = o.value("epochs").toDouble(-1);
    if (!(e >= 1 && e <= max_epochs && e == std::floor(e)))
      throw InputError("graph view: \"epochs\" must be an integer from 1 to " + std::to_string(max_epochs));
    s.epochs = static_cast<int>(e);
  }
  s.threshold = o.value("threshold").toDouble(0.0);
  if (!std::isfinite(s.threshold) || s.threshold < 0)
    throw InputError("graph view: \"threshold\" must be a number >= 0");
  s.top_k = o.value("top_k").toInt(default_top_k);
  if (o.contains("layout")) {
    const auto k = parse_layout(text("layout"));
    if (!k) {
      throw InputError("graph view: unknown \"layout\" '" + text("layout") +
                       "' (use force, hierarchical or circle)");
    }
    s.layout = *k;
  }
  if (o.contains("seed")) {
    const auto v = o.value("seed");
    bool ok = v.isDouble() && v.toDouble() >= 0;
    s.seed = ok ? static_cast<std::uint64_t>(v.toDouble()) : v.toString().toULongLong(&ok);
    if (!ok) throw InputError("graph view: \"seed\" must be a non-negative integer");
  }
  if (o.contains("colour")) {
    const auto m = parse_colour_mode(text("colour"));
    if (!m) {
      throw InputError("graph view: unknown \"colour\" '" + text("colour") +
                       "' (use sign, score or reference)");
    }
    s.colour = *m;
  }
  if (o.contains("focus")) {
    const auto f = parse_focus(text("focus"));
    if (!f)
      throw InputError("graph view: unknown \"focus\" '" + text("focus") + "' (use all, in, out or both)");
    s.focus = *f;
  }
  s.focus_gene = o.value("focus_gene").toString();
  const auto sel = o.value("selection").toObject();
  if (sel.contains("gene")) {
    s.selected_gene = sel.value("gene").toString();
  } else if (sel.contains("regulator") && sel.contains("target")) {
    s.selected_edge = std::make_pair(sel.value("regulator").toString(), sel.value("target").toString());
  }
  const auto positions = o.value("positions").toObject();
  for (auto it = positions.begin(); it != positions.end(); ++it) {
    const auto xy = it.value().toArray();
    if (xy.size() != 2 || !xy[0].isDouble() || !xy[1].isDouble() || !std::isfinite(xy[0].toDouble()) ||
        !std::isfinite(xy[1].toDouble()))
      throw InputError("graph view: position of '" + it.key().toStdString() + "' must be [x, y]");
    s.positions[it.key()] = {xy[0].toDouble(), xy[1].toDouble()};
  }
  if (o.contains("response_overlay")) {
    if (!o.value("response_overlay").isBool())
      throw InputError("graph view: \"response_overlay\" must be true or false");
    s.response_overlay = o.value("response_overlay").toBool();
  }
  return s;
}

NetworkFilter network_filter(const GraphState& state, const GraphData& data) {
  NetworkFilter f;
  f.threshold = state.threshold;
  f.top_k = state.top_k;
  f.focus = state.focus;
  if (state.focus != Focus::all && !state.focus_gene.isEmpty())
    if (const auto g = data.gene_index(state.focus_gene.toStdString())) f.focus_gene = *g;
  return f;
}

LayoutGraph layout_graph(const GraphData& data, const ShownNetwork& shown) {
  LayoutGraph g;
  g.nodes = static_cast<int>(shown.nodes.size());
  for (const auto i : shown.edges) {
    const auto& e = data.edges[i];
    g.edges.push_back(
        {shown.node_position(e.regulator), shown.node_position(e.target), std::max(0.0, e.score)});
  }
  g.regulator.resize(shown.nodes.size());
  for (std::size_t i = 0; i < shown.nodes.size(); ++i)
    g.regulator[i] = data.is_tf[static_cast<std::size_t>(shown.nodes[i])];
  return g;
}

std::vector<LayoutPoint> placed_positions(const GraphState& state, const GraphData& data,
                                          const ShownNetwork& shown, std::vector<LayoutPoint> layout) {
  for (std::size_t i = 0; i < shown.nodes.size() && i < layout.size(); ++i) {
    const auto it =
        state.positions.find(QString::fromStdString(data.genes[static_cast<std::size_t>(shown.nodes[i])]));
    if (it != state.positions.end()) layout[i] = it->second;
  }
  return layout;
}

} // namespace gc::ui::graph
