#include "gc/ui/hic/hic_state.h"

#include "gc/genome/chrom_aliases.h"
#include "gc/hic/query.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gc::ui::hic_view {

int find_chrom(const gc::hic::BinTable& bins, const QString& name) {
  if (const int i = bins.chrom_index(name.toStdString()); i >= 0) return i;
  // The alias table, as the browser and the workspace use it (chr prefix, II/2, M/MT/Mito, ...).
  std::vector<std::string> known;
  known.reserve(bins.chroms.size());
  for (const auto& c : bins.chroms)
    known.push_back(c.name);
  const auto found = gc::genome::ChromAliases::builtin().find(name.toStdString(), known);
  return found ? bins.chrom_index(*found) : -1;
}

double chrom_length(const gc::hic::BinTable& bins, int chrom) {
  return static_cast<double>(bins.chroms[static_cast<std::size_t>(chrom)].length);
}

QString chrom_name(const gc::hic::BinTable& bins, int chrom) {
  return QString::fromStdString(bins.chroms[static_cast<std::size_t>(chrom)].name);
}

std::optional<QString> set_locus(HicState& state, const gc::hic::BinTable& bins, const gc::genome::Region& x,
                                 const gc::genome::Region& y) {
  const int cx = find_chrom(bins, QString::fromStdString(x.chrom));
  const int cy = find_chrom(bins, QString::fromStdString(y.chrom));
  if (cx < 0) return QString::fromStdString(x.chrom);
  if (cy < 0) return QString::fromStdString(y.chrom);
  const auto span_of = [&](const gc::genome::Region& r, int c) {
    const double len = chrom_length(bins, c);
    const double s = std::clamp(static_cast<double>(r.start), 0.0, len);
    const double e =
        r.end == gc::genome::Region::to_end ? len : std::clamp(static_cast<double>(r.end), 0.0, len);
    return e > s ? Span{s, e} : Span{0, len};
  };
  state.chrom_x = cx;
  state.chrom_y = cy;
  state.sx = span_of(x, cx);
  state.sy = span_of(y, cy);
  return std::nullopt;
}

gc::genome::Region locus_x(const HicState& state, const gc::hic::BinTable& bins) {
  if (!state.has_locus()) return {};
  return {chrom_name(bins, state.chrom_x).toStdString(), std::llround(state.sx.start),
          std::llround(state.sx.end)};
}

gc::genome::Region locus_y(const HicState& state, const gc::hic::BinTable& bins) {
  if (!state.has_locus()) return {};
  return {chrom_name(bins, state.chrom_y).toStdString(), std::llround(state.sy.start),
          std::llround(state.sy.end)};
}

QJsonObject to_json(const HicState& state, const gc::hic::BinTable* bins) {
  QJsonObject o;
  o["uri"] = state.uri;
  if (bins && state.has_locus()) {
    o["locus"] = QString::fromStdString(locus_x(state, *bins).to_string());
    o["locus_y"] = QString::fromStdString(locus_y(state, *bins).to_string());
  }
  o["normalisation"] = normalisation_name(state.norm);
  o["colormap"] = state.cmap.name();
  o["log"] = state.scale.log;
  o["auto_range"] = state.auto_range;
  o["percentile"] = state.percentile;
  o["min"] = state.scale.min;
  o["max"] = state.scale.max;
  if (state.crosshair)
    o["crosshair"] = QJsonArray{state.crosshair->chrom, static_cast<double>(state.crosshair->pos)};
  return o;
}

HicSessionRequest read_json(const QJsonObject& o, HicState& state) {
  HicSessionRequest request;
  // Parsed before anything changes, so a bad session leaves the state as it was.
  if (o.contains("locus")) {
    const auto x = gc::genome::parse_region(o["locus"].toString().toStdString());
    const QString y = o["locus_y"].toString();
    request.locus = std::make_pair(x, y.isEmpty() ? x : gc::genome::parse_region(y.toStdString()));
  }
  const ColorMap cmap = o.contains("colormap") ? ColorMap::named(o["colormap"].toString()) : state.cmap;
  state.cmap = cmap;
  state.scale.log = o["log"].toBool(true);
  if (o["auto_range"].toBool(true)) {
    state.auto_range = true;
    state.percentile = o["percentile"].toDouble(98);
  } else {
    state.auto_range = false;
    state.scale.min = o["min"].toDouble();
    state.scale.max = o["max"].toDouble();
  }
  if (const auto ch = o["crosshair"].toArray(); ch.size() == 2)
    state.crosshair = Crosshair{ch[0].toString(), static_cast<std::int64_t>(ch[1].toDouble())};
  if (const QString uri = o["uri"].toString(); !uri.isEmpty()) state.uri = uri;
  request.norm = parse_normalisation(o["normalisation"].toString());
  return request;
}

Normalisation default_normalisation(const gc::hic::Resolutions& maps) {
  return {maps.has_file_weights.value_or(false) ? gc::hic::BalanceMethod::file : gc::hic::BalanceMethod::none,
          false};
}

HicFrame frame_for(const HicState& state, const gc::hic::Resolutions& maps, double heatmap_width) {
  HicFrame f;
  if (maps.empty() || !state.has_locus()) return f;
  std::vector<std::int64_t> bin_sizes;
  for (const auto& m : maps.maps)
    bin_sizes.push_back(m->bins().bin_size);
  f.res = choose_resolution(bin_sizes, std::max(state.sy.length(), 1.0), std::max(1.0, heatmap_width),
                            k_max_bins);
  const auto& bins = maps.maps[f.res.index]->bins();
  f.bin_size = bins.bin_size;
  if (f.res.too_fine) return f;
  const auto bs = static_cast<double>(f.bin_size);
  const auto nbins = [&](int c) {
    return bins.chrom_offset[static_cast<std::size_t>(c) + 1] -
           bins.chrom_offset[static_cast<std::size_t>(c)];
  };
  const auto bin_range = [&](const Span& s, int c) {
    const auto lo =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(s.start / bs)), 0, nbins(c));
    const auto hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(s.end / bs)), 0, nbins(c));
    return std::make_pair(lo, hi);
  };
  const auto [row_lo, row_hi] = bin_range(state.sx, state.chrom_x);
  const auto [col_lo, col_hi] = bin_range(state.sy, state.chrom_y);
  const auto rows = tiles_covering(row_lo, row_hi, k_tile_bins);
  const auto cols = tiles_covering(col_lo, col_hi, k_tile_bins);
  const auto key = [&](std::int64_t i, std::int64_t j) {
    return TileKey{static_cast<int>(f.res.index), state.norm, state.chrom_x, state.chrom_y, i, j};
  };
  for (auto i = rows.first; i < rows.last; ++i)
    for (auto j = cols.first; j < cols.last; ++j)
      f.visible.push_back(key(i, j));
  const auto row_tiles = (nbins(state.chrom_x) + k_tile_bins - 1) / k_tile_bins;
  const auto col_tiles = (nbins(state.chrom_y) + k_tile_bins - 1) / k_tile_bins;
  for (auto i = std::max<std::int64_t>(0, rows.first - 1); i < std::min(row_tiles, rows.last + 1); ++i)
    for (auto j = std::max<std::int64_t>(0, cols.first - 1); j < std::min(col_tiles, cols.last + 1); ++j)
      if (i < rows.first || i >= rows.last || j < cols.first || j >= cols.last)
        f.prefetch.push_back(key(i, j));
  if (state.cis() && col_hi - col_lo >= 4 && col_hi - col_lo <= k_max_track_bins) {
    // About 100 kb windows (cooltools' usual choice), between 3 and 25 bins.
    const auto window = static_cast<int>(
        std::clamp<std::int64_t>((100'000 + f.bin_size / 2) / std::max<std::int64_t>(1, f.bin_size), 3, 25));
    const auto off = bins.chrom_offset[static_cast<std::size_t>(state.chrom_x)];
    f.track = TrackKey{
        static_cast<int>(f.res.index), state.norm, state.chrom_x, off + col_lo, off + col_hi, window};
  }
  return f;
}

} // namespace gc::ui::hic_view
