#pragma once
// Paints the graph view with QPainter only (no widget), so the screen, File ▸ Export Figure and
// the headless figure draw the same picture: edges (width by score, arrow for activation, bar
// for repression, coloured by sign, score or reference class, missed reference edges dashed),
// labelled nodes (TFs larger, in orange), the selection, and a legend with the score scale and,
// against a reference, the counts and a small PR curve. With a response overlay
// (response_overlay.h) the nodes are coloured by the predicted Δ instead, perturbed genes
// ringed, the cascade's edges drawn dark over the faded rest (cascade steps the shown network
// lacks dashed), and the legend shows the Δ scale. Hit tests for the widget use the same
// geometry.
#include "gc/ui/graph/graph_data.h"
#include "gc/ui/graph/graph_layout.h"
#include "gc/ui/graph/graph_state.h"
#include "gc/ui/graph/response_overlay.h"

#include <QColor>
#include <QPainter>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <cstddef>
#include <optional>
#include <vector>

namespace gc::ui::graph {

// What the renderer draws from; data, shown and state may be null (nothing to draw yet, the
// message says why).
struct GraphScene {
  const GraphData* data = nullptr;
  const ShownNetwork* shown = nullptr;
  const GraphState* state = nullptr;
  // Aligned with shown->nodes; empty while the layout is being computed.
  const std::vector<LayoutPoint>* positions = nullptr;
  double max_stretch = 1.0;              // Layout::max_stretch
  LayoutKind layout = LayoutKind::force; // what made the positions: where labels go first
  QString message;
  // Screen only: zoom about the plot's centre and a pan in pixels, applied after fitting.
  double zoom = 1.0;
  QPointF pan;
  // A predicted response drawn over the network, or null.
  const ResponseOverlay* overlay = nullptr;

  [[nodiscard]] bool drawable() const noexcept {
    return data && shown && state && positions && positions->size() == shown->nodes.size() &&
           !shown->nodes.empty();
  }
};

struct GraphGeometry {
  QRectF title;  // figures only
  QRectF plot;   // where the layout's unit square is fitted
  QRectF legend; // right of the plot
  QRectF labels; // where node labels may go
  double font_px = 11;
  double node_radius = 5;
  // Unit-square layout coordinates -> painter coordinates, and back.
  [[nodiscard]] QPointF to_screen(const LayoutPoint& p) const;
  [[nodiscard]] LayoutPoint to_layout(const QPointF& p) const;

  double sx = 1, sy = 1, ox = 0, oy = 0;
};

[[nodiscard]] GraphGeometry graph_geometry(const QRectF& area, const GraphScene& scene, bool figure);

// `figure`: a title line and no screen hints.
void paint_graph(QPainter& p, const QRectF& area, const GraphScene& scene, bool figure);

// The node (position in shown->nodes) under `pos`, or -1.
[[nodiscard]] int node_at(const GraphScene& scene, const GraphGeometry& geometry, const QPointF& pos);
// The shown edge (index into data->edges) within a few pixels of `pos`, the nearest one.
[[nodiscard]] std::optional<std::size_t> edge_at(const GraphScene& scene, const GraphGeometry& geometry,
                                                 const QPointF& pos);

// A node's fill: by the overlay's Δ (light grey for a gene it lacks) when there is one, else the
// TF or target colour.
[[nodiscard]] QColor node_fill(const GraphScene& scene, int gene);

// Colours shared with the legend, the table and the charts.
[[nodiscard]] QColor sign_colour(int sign);
[[nodiscard]] QColor class_colour(EdgeClass c);
[[nodiscard]] QColor tf_colour();
[[nodiscard]] QColor gene_colour();

} // namespace gc::ui::graph
