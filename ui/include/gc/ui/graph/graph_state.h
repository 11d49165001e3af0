#pragma once
// The graph view's state model: where the network comes from (source dataset, method,
// reference), what is shown (threshold, top K, focus), how (layout kind and seed, colouring),
// the selection and the positions of nodes the user dragged — with its session JSON, shared by
// the widget and the headless figure.
#include "gc/ui/graph/graph_data.h"
#include "gc/ui/graph/graph_layout.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace gc::ui::graph {

// How edges are coloured: by sign (activation / repression / unknown), by score (a colour
// scale), or against the reference network (TP / FP, and the missed FN edges drawn dashed).
enum class ColourMode { sign, score, reference };
[[nodiscard]] std::string_view to_string(ColourMode mode) noexcept; // "sign", "score", "reference"
[[nodiscard]] std::optional<ColourMode> parse_colour_mode(std::string_view text) noexcept;

inline constexpr int default_top_k = 150;

struct GraphState {
  // The dataset the network comes from, by file name; empty: the first expression dataset (its
  // network inferred by `method`), else the first edge list.
  QString source;
  // How expression sources become a network: "genocircuit" (the learned model, the default when
  // built) or a gc::grn::method_name baseline.
  QString method = default_method();
  [[nodiscard]] static QString default_method();
  // GenoCircuit's training epochs (the training panel's Epochs box).
  int epochs = default_epochs();
  [[nodiscard]] static int default_epochs();
  // The reference network's file name; nullopt: the first edge list that is not the source;
  // empty: none.
  std::optional<QString> reference;
  double threshold = 0.0;
  int top_k = default_top_k; // <= 0: every edge above the threshold
  LayoutKind layout = LayoutKind::force;
  std::uint64_t seed = 1;
  ColourMode colour = ColourMode::sign;
  Focus focus = Focus::all;
  QString focus_gene;
  // At most one of a gene and an edge (regulator, target).
  QString selected_gene;
  std::optional<std::pair<QString, QString>> selected_edge;
  // Nodes the user moved, in layout coordinates ([0, 1]², y downwards), by gene name. They
  // belong to the layout (kind and seed) they were dragged in.
  std::map<QString, LayoutPoint> positions;
  // Draw the what-if view's predicted response over the network when there is one
  // (response_overlay.h): nodes coloured by Δ, the cascade highlighted.
  bool response_overlay = true;

  friend bool operator==(const GraphState&, const GraphState&) = default;
};

// Keys: source, method, reference (absent = automatic), epochs (absent in older sessions: the
// model's default), threshold, top_k, layout, seed, colour, focus, focus_gene, selection
// ({"gene": G} or {"regulator": R, "target": T}), positions ({"GENE": [x, y]}), response_overlay
// (true/false; absent in older sessions: true).
inline constexpr int max_epochs = 10'000;
[[nodiscard]] QJsonObject to_json(const GraphState& state);
// Parsed completely before anything is returned, so a bad state changes nothing; throws
// gc::InputError naming the key for an unknown layout, colouring, focus or method, a negative
// threshold, epochs outside 1..max_epochs, positions that are not pairs of numbers, or a
// response_overlay that is not true or false.
[[nodiscard]] GraphState read_json(const QJsonObject& json);

// The filter the state gives over `data` (the focus gene resolved to its index).
[[nodiscard]] NetworkFilter network_filter(const GraphState& state, const GraphData& data);

// The layout input of a shown network: nodes numbered as in shown.nodes, edges weighted by
// score, the data's TFs as regulators.
[[nodiscard]] LayoutGraph layout_graph(const GraphData& data, const ShownNetwork& shown);
// Positions of shown's nodes: the layout's, except where the state has a dragged position.
[[nodiscard]] std::vector<LayoutPoint> placed_positions(const GraphState& state, const GraphData& data,
                                                        const ShownNetwork& shown,
                                                        std::vector<LayoutPoint> layout);

} // namespace gc::ui::graph
