#pragma once
// Layouts of the graph view, Qt-free and deterministic: the same graph, kind and seed always
// give the same positions. They run on TaskRunner workers and check the Progress for
// cancellation between iterations.
//
// - force: weighted Fruchterman–Reingold (1991) on each connected component: repulsion k²/d
//   between every pair (cut off beyond 2k on a grid for large graphs, as in the paper),
//   attraction w·d²/k along edges with w from the edge's score relative to the largest, a
//   linearly cooling temperature, then nodes closer than k/2 pushed apart; starting positions
//   come from the seed. Components are packed in rows, largest first.
// - hierarchical: regulators (TFs) layered by the longest path from the sources of the
//   regulator subgraph (cycles broken by dropping DFS back edges), every other gene one layer
//   below its deepest regulator; layers ordered by barycentre sweeps (down, then up) to reduce
//   crossings; layers wider than max_per_row are wrapped into staggered rows, so every edge of
//   an acyclic regulator subgraph points downwards.
// - circle: regulators by decreasing out-degree, each followed by its targets not yet placed.
#include "gc/util/progress.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace gc::ui::graph {

enum class LayoutKind { force, hierarchical, circle };
[[nodiscard]] std::string_view to_string(LayoutKind kind) noexcept; // "force", "hierarchical", "circle"
[[nodiscard]] std::optional<LayoutKind> parse_layout(std::string_view text) noexcept;

struct LayoutEdge {
  int from = 0;
  int to = 0;
  double weight = 1.0; // >= 0; only its ratio to the largest matters
};

struct LayoutGraph {
  int nodes = 0;
  std::vector<LayoutEdge> edges;
  // Per node: a regulator (TF). Empty: every node with an outgoing edge is one.
  std::vector<std::uint8_t> regulator;
};

struct LayoutPoint {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const LayoutPoint&, const LayoutPoint&) = default;
};

struct LayoutOptions {
  std::uint64_t seed = 1; // force only
  int iterations = 0;     // force: 0 = chosen from the size
  int max_per_row = 24;   // hierarchical
};

struct Layout {
  LayoutKind kind = LayoutKind::force;
  // In [0, 1]² (y downwards); force and circle are scaled alike on both axes to fit it.
  std::vector<LayoutPoint> positions;
  // hierarchical: each node's layer (0 = top) and row (layers wrapped into rows), else empty.
  std::vector<int> layer;
  std::vector<int> row;
  // How much more one axis may be scaled than the other when drawn: 1 keeps the shape (circle),
  // a little more lets a force layout fill a wide figure, 0 fills any area (hierarchical).
  double max_stretch = 1.0;
};

// Throws gc::Cancelled when `progress` is cancelled.
[[nodiscard]] Layout compute_layout(const LayoutGraph& graph, LayoutKind kind,
                                    const LayoutOptions& options = {}, const gc::Progress& progress = {});

// Edge crossings between consecutive rows of a hierarchical layout (edges between adjacent rows
// only), for tests and for choosing between sweeps.
[[nodiscard]] std::int64_t count_crossings(const LayoutGraph& graph, const Layout& layout);

} // namespace gc::ui::graph
