#pragma once
// Paints the Hi-C view with QPainter only (no widget), so the screen, File ▸ Export Figure and
// the headless figure draw the same picture: layout, the heatmap (tile by tile on screen, one
// composited image in figures), axes, crosshair, colour bar and the insulation track.
#include "gc/ui/hic/hic_state.h"
#include "gc/ui/hic/hic_tiles.h"

#include <QImage>
#include <QPainter>
#include <QRectF>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace gc::ui::hic_view {

// What the renderer draws from. Tiles that are not loaded yet are simply missing.
struct HicScene {
  const HicState& state;
  const gc::hic::Resolutions& maps; // ascending by bin size
  const HicFrame& frame;
  std::function<std::shared_ptr<const Tile>(const TileKey&)> tile;
  std::shared_ptr<const Track> track;
  // Tiles keep their colour image while this stays the same (the screen bumps it whenever the
  // colour map, scale or range change).
  std::uint64_t colour_generation = 0;

  [[nodiscard]] bool ready() const noexcept { return !maps.empty() && state.has_locus(); }
  [[nodiscard]] const gc::hic::BinTable& bins() const { return maps.maps.front()->bins(); }
};

struct HicLayout {
  QRectF title;
  QRectF map;
  QRectF colorbar;
  QRectF track;
  double font_px = 11;
};
// `with_title` for figures; `with_track` for cis views (the insulation track under the map).
[[nodiscard]] HicLayout hic_layout(const QRectF& area, const HicState& state, bool with_title,
                                   bool with_track);
// The heatmap rectangle the screen uses (no title; the track on cis views).
[[nodiscard]] QRectF heatmap_rect(const QRectF& area, const HicState& state);

// Paints into `area`. `figure`: a title line and the heatmap as one image at the data resolution
// (one embedded image in SVG/PDF); otherwise tile images and a "loading…" note while tiles are
// missing.
void paint_hic(QPainter& p, const QRectF& area, const HicScene& scene, bool figure);

// The value under a heatmap position (its bins and value), empty outside the map or before the
// tile arrived: "chrII:100,001-110,000 × chrII:… value 12.3 (ICE)".
[[nodiscard]] QString describe_at(const HicScene& scene, const QRectF& heatmap, const QPointF& pos);

// The loaded visible values inside the view, subsampled to about 200k, for the automatic range.
[[nodiscard]] std::vector<double> visible_values(const HicScene& scene);
// [0 (or a few decades below the top on log scale), the percentile] of `values`; nullopt when
// they hold nothing positive.
[[nodiscard]] std::optional<std::pair<double, double>> auto_colour_range(const std::vector<double>& values,
                                                                         double percentile, bool log);

} // namespace gc::ui::hic_view
