#include "gc/ui/chromatin/structure.h"

#include "gc/hic/analysis.h"
#include "gc/hic/query.h"
#include "gc/util/error.h"

#include <algorithm>
#include <cmath>

namespace gc::ui::chromatin {

std::shared_ptr<const gc::hic::ContactMap> pick_map(const gc::hic::Resolutions& maps,
                                                    const std::string& chrom, int max_bins) {
  for (const auto& m : maps.maps) {
    const int c = m->bins().chrom_index(chrom);
    if (c < 0) continue;
    if (gc::hic::chromosome_range(m->bins(), c).size() <= max_bins) return m;
  }
  return maps.maps.empty() ? nullptr : maps.maps.back();
}

Structure compute_structure(std::shared_ptr<const gc::hic::ContactMap> map, const std::string& chrom,
                            const gc::Progress& progress) {
  Structure out;
  out.chrom = chrom;
  out.map = map;
  const int c = map->bins().chrom_index(chrom);
  if (c < 0) throw InputError("chromosome '" + chrom + "' is not in " + map->source());
  const auto range = gc::hic::chromosome_range(map->bins(), c);
  out.first_bin = range.lo;
  gc::hic::QueryOptions opt;
  const auto names = map->weight_names();
  if (std::find(names.begin(), names.end(), map->default_weight_name()) != names.end())
    opt.weights = map->weights(map->default_weight_name());
  progress.check();
  const Eigen::MatrixXd contacts = gc::hic::fetch_dense(*map, range, range, opt);
  progress.update(0.2, "computing the 3D structure of " + chrom);
  // The core's default alpha and landmark count; the progress makes Cancel stop it part-way.
  out.coords = gc::hic::structure_3d(contacts, 0.25, 200, progress.sub(0.2, 1.0));
  progress.update(1.0);
  return out;
}

Tube make_tube(const Structure& s, const std::optional<gc::genome::Region>& highlight,
               const std::vector<double>* track) {
  Tube t;
  if (!s.map || s.coords.rows() == 0) return t;
  const auto& bins = s.map->bins();
  bool in_highlight = false;
  const bool by_track = track && !track->empty();
  const auto n = s.coords.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!s.coords.row(i).allFinite()) continue; // masked bins have no position
    const auto bin = static_cast<std::size_t>(s.first_bin + i);
    const bool hl = highlight && highlight->overlaps(s.chrom, bins.start[bin], bins.end[bin]);
    if (hl && !in_highlight) t.highlight_first = t.points.size();
    if (hl) t.highlight_last = t.points.size() + 1;
    in_highlight = in_highlight || hl;
    t.points.push_back({s.coords(i, 0), s.coords(i, 1), s.coords(i, 2)});
    if (by_track) {
      // One value per bin at this resolution, or resampled by relative position.
      const auto m = static_cast<Eigen::Index>(track->size());
      const auto k = static_cast<std::size_t>(m == n ? i : std::min<Eigen::Index>(m - 1, i * m / n));
      t.scalars.push_back(std::isfinite((*track)[k]) ? (*track)[k] : 0.0);
    } else {
      t.scalars.push_back(static_cast<double>(i) / std::max<Eigen::Index>(1, n - 1));
    }
  }
  // A light [1 2 1] smoothing along the chain: MDS puts single bins off by noise, and the
  // smoothed path reads better while keeping the fold (Structure keeps the raw coordinates).
  if (t.points.size() >= 3) {
    auto smooth = t.points;
    for (std::size_t k = 1; k + 1 < t.points.size(); ++k)
      for (std::size_t d = 0; d < 3; ++d)
        smooth[k][d] = 0.25 * t.points[k - 1][d] + 0.5 * t.points[k][d] + 0.25 * t.points[k + 1][d];
    t.points = std::move(smooth);
  }
  return t;
}

} // namespace gc::ui::chromatin
