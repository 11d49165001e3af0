#pragma once
// The Hi-C view's state model: what it shows (file, locus, normalisation, colour map, scale,
// range, crosshair) as a plain struct with its session JSON, and the frame the state gives at a
// heatmap width (resolution, visible tiles, insulation track) — shared by the widget and the
// headless figure.
#include "gc/genome/region.h"
#include "gc/hic/resolutions.h"
#include "gc/ui/common/colormap.h"
#include "gc/ui/hic/hic_math.h"
#include "gc/ui/hic/hic_norm.h"
#include "gc/ui/hic/hic_tiles.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace gc::ui::hic_view {

inline constexpr double k_max_bins = 4000;             // per axis; beyond this the view asks to zoom in
inline constexpr std::int64_t k_max_track_bins = 2500; // the insulation track is skipped beyond

struct Crosshair {
  QString chrom;
  std::int64_t pos = 0;
};

struct HicState {
  QString uri;
  int chrom_x = -1; // rows: chromosome index in the maps' bin table, -1 before a map is shown
  int chrom_y = -1; // columns
  Span sx;          // bp shown along the rows
  Span sy;          // along the columns
  Normalisation norm;
  ColorMap cmap = ColorMap::named("fall");
  ColorScale scale{1, 10, true};
  bool auto_range = true;
  double percentile = 98;
  std::optional<Crosshair> crosshair;

  [[nodiscard]] bool has_locus() const noexcept { return chrom_x >= 0 && chrom_y >= 0; }
  [[nodiscard]] bool cis() const noexcept { return chrom_x == chrom_y; }
};

// Chromosome index for a user-supplied name: exact, then with the "chr" prefix added or removed;
// -1 when neither is in `bins`.
// The index of `name` in `bins`, through the chromosome alias table; -1 when it has none.
[[nodiscard]] int find_chrom(const gc::hic::BinTable& bins, const QString& name);
[[nodiscard]] double chrom_length(const gc::hic::BinTable& bins, int chrom);
[[nodiscard]] QString chrom_name(const gc::hic::BinTable& bins, int chrom);
// Points `state` at x (rows) × y (columns), clamped to the chromosomes; a whole-chromosome or
// empty region shows the whole chromosome. Returns the name that is not in `bins` (and leaves
// the state alone) when a chromosome is unknown.
[[nodiscard]] std::optional<QString> set_locus(HicState& state, const gc::hic::BinTable& bins,
                                               const gc::genome::Region& x, const gc::genome::Region& y);
// The rows' and the columns' region; empty before a locus is set.
[[nodiscard]] gc::genome::Region locus_x(const HicState& state, const gc::hic::BinTable& bins);
[[nodiscard]] gc::genome::Region locus_y(const HicState& state, const gc::hic::BinTable& bins);

// Session JSON, with the keys sessions have used since version 1: uri, locus, locus_y (when a
// locus is set), normalisation, colormap, log, auto_range, percentile, min, max, crosshair.
[[nodiscard]] QJsonObject to_json(const HicState& state, const gc::hic::BinTable* bins);
// What a session asks for beyond the colour settings: the locus and the normalisation, which
// need the map (and its default normalisation) before they can be applied.
struct HicSessionRequest {
  std::optional<std::pair<gc::genome::Region, gc::genome::Region>> locus;
  std::optional<Normalisation> norm;
};
// Applies the uri, colour map, scale, range and crosshair of `json` to `state`; throws
// gc::InputError for an unknown colour map or an unreadable region.
[[nodiscard]] HicSessionRequest read_json(const QJsonObject& json, HicState& state);

// The normalisation a freshly opened file starts with: its stored weights when it has them.
[[nodiscard]] Normalisation default_normalisation(const gc::hic::Resolutions& maps);

// What the state shows at a given heatmap width.
struct HicFrame {
  ResolutionChoice res;
  std::int64_t bin_size = 0;     // of the chosen resolution
  std::vector<TileKey> visible;  // tiles intersecting the view (none when too_fine)
  std::vector<TileKey> prefetch; // one ring of tiles around them, so short pans find them cached
  std::optional<TrackKey> track; // the insulation track: cis views of at most k_max_track_bins
};
// `maps` ascending by bin size, `state` with a locus.
[[nodiscard]] HicFrame frame_for(const HicState& state, const gc::hic::Resolutions& maps,
                                 double heatmap_width);

} // namespace gc::ui::hic_view
