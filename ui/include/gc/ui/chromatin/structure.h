#pragma once
// The 3D view's model work, free of Qt widgets: a chromosome's structure from
// gc::hic::structure_3d at a resolution MDS can afford, and the tube drawn through it.
#include "gc/genome/region.h"
#include "gc/hic/contact_map.h"
#include "gc/hic/resolutions.h"
#include "gc/util/progress.h"

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::ui::chromatin {

// The most bins a structure is computed over (MDS is cubic in bins).
inline constexpr int k_max_bins = 800;

struct Structure {
  std::string chrom;
  Eigen::MatrixX3d coords; // one row per bin of the chromosome; NaN rows for masked bins
  std::shared_ptr<const gc::hic::ContactMap> map;
  std::int64_t first_bin = 0; // global id of coords' first row
  [[nodiscard]] std::int64_t bin_size() const noexcept { return map ? map->bins().bin_size : 0; }
};

// The finest resolution with at most `max_bins` bins on the chromosome (the coarsest when none
// is that coarse); null without maps.
[[nodiscard]] std::shared_ptr<const gc::hic::ContactMap>
pick_map(const gc::hic::Resolutions& maps, const std::string& chrom, int max_bins = k_max_bins);
// Balanced contacts when the map stores weights, raw counts otherwise. Throws gc::InputError for
// an unknown chromosome, gc::Cancelled when cancelled.
[[nodiscard]] Structure compute_structure(std::shared_ptr<const gc::hic::ContactMap> map,
                                          const std::string& chrom, const gc::Progress& progress = {});

// The polyline the 3D view draws: finite bins only, lightly smoothed, with a scalar per point
// (relative position, or `track` values) and the highlighted locus as points [first, last).
struct Tube {
  std::vector<std::array<double, 3>> points;
  std::vector<double> scalars;
  std::size_t highlight_first = 0;
  std::size_t highlight_last = 0;
};
// `track`: one value per bin of the chromosome at the structure's resolution, or any length
// (resampled by relative position); null colours by position.
[[nodiscard]] Tube make_tube(const Structure& s, const std::optional<gc::genome::Region>& highlight,
                             const std::vector<double>* track);

} // namespace gc::ui::chromatin
