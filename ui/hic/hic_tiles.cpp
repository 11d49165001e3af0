#include "gc/ui/hic/hic_tiles.h"

#include "gc/hic/query.h"
#include "gc/util/error.h"

#include <algorithm>

namespace gc::ui::hic_view {

namespace {

void apply_norm(Eigen::MatrixXd& m, const gc::hic::BinTable& bins, std::int64_t row_lo, std::int64_t col_lo,
                const NormCache::Data& norm, bool with_expected) {
  const bool balanced = !norm.weights.values.empty();
  const bool oe = with_expected && norm.expected;
  if (!balanced && !oe) return;
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    const auto c = col_lo + j;
    const double fc = balanced ? norm.weights.factor(c) : 1.0;
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const auto r = row_lo + i;
      double v = m(i, j);
      if (balanced) v *= norm.weights.factor(r) * fc;
      if (oe) v /= norm.expected->value(bins, r, c);
      m(i, j) = v;
    }
  }
}

gc::hic::BinRange tile_range(const gc::hic::BinTable& bins, int chrom, std::int64_t index) {
  const auto chrom_range = gc::hic::chromosome_range(bins, chrom);
  const auto lo = chrom_range.lo + index * k_tile_bins;
  if (lo >= chrom_range.hi || index < 0) throw Error("tile index outside the chromosome");
  return {chrom, lo, std::min(chrom_range.hi, lo + k_tile_bins)};
}

} // namespace

std::shared_ptr<Tile> load_tile(const gc::hic::ContactMap& map, NormCache& norms, const TileKey& key,
                                const gc::Progress& progress) {
  progress.check();
  const auto& bins = map.bins();
  const auto rows = tile_range(bins, key.chrom_row, key.ti);
  const auto cols = tile_range(bins, key.chrom_col, key.tj);
  const auto norm = norms.get(static_cast<std::size_t>(key.res), key.norm, progress);
  progress.check();
  Eigen::MatrixXd dense = gc::hic::fetch_dense(map, rows, cols);
  progress.check();
  apply_norm(dense, bins, rows.lo, cols.lo, *norm, true);
  auto tile = std::make_shared<Tile>();
  tile->row_lo = rows.lo;
  tile->col_lo = cols.lo;
  tile->rows = static_cast<int>(rows.size());
  tile->cols = static_cast<int>(cols.size());
  tile->values.resize(static_cast<std::size_t>(tile->rows) * static_cast<std::size_t>(tile->cols));
  for (int i = 0; i < tile->rows; ++i)
    for (int j = 0; j < tile->cols; ++j)
      tile->values[static_cast<std::size_t>(i * tile->cols + j)] = static_cast<float>(dense(i, j));
  return tile;
}

bool is_mirrored(const TileKey& key, const gc::hic::ContactMap& map) noexcept {
  return key.chrom_row == key.chrom_col && key.ti > key.tj && map.symmetric();
}

TileKey mirror_key(const TileKey& key) noexcept {
  TileKey m = key;
  m.chrom_row = key.chrom_col;
  m.chrom_col = key.chrom_row;
  m.ti = key.tj;
  m.tj = key.ti;
  return m;
}

std::shared_ptr<Tile> transpose(const Tile& tile) {
  auto out = std::make_shared<Tile>();
  out->row_lo = tile.col_lo;
  out->col_lo = tile.row_lo;
  out->rows = tile.cols;
  out->cols = tile.rows;
  out->values.resize(tile.values.size());
  for (int i = 0; i < out->rows; ++i)
    for (int j = 0; j < out->cols; ++j)
      out->values[static_cast<std::size_t>(i * out->cols + j)] =
          tile.values[static_cast<std::size_t>(j * tile.cols + i)];
  return out;
}

std::shared_ptr<const Tile> TileCache::get(const TileKey& key) {
  const auto it = m_items.find(key);
  if (it == m_items.end()) return nullptr;
  m_order.splice(m_order.begin(), m_order, it->second.second);
  return it->second.first;
}

void TileCache::put(const TileKey& key, std::shared_ptr<const Tile> tile) {
  if (const auto it = m_items.find(key); it != m_items.end()) {
    it->second.first = std::move(tile);
    m_order.splice(m_order.begin(), m_order, it->second.second);
    return;
  }
  m_order.push_front(key);
  m_items.emplace(key, std::make_pair(std::move(tile), m_order.begin()));
  while (m_items.size() > m_capacity) {
    m_items.erase(m_order.back());
    m_order.pop_back();
  }
}

void TileCache::clear() {
  m_items.clear();
  m_order.clear();
}

std::shared_ptr<Track> load_track(const gc::hic::ContactMap& map, NormCache& norms, const TrackKey& key,
                                  const gc::Progress& progress) {
  progress.check();
  const auto& bins = map.bins();
  const auto chrom = gc::hic::chromosome_range(bins, key.chrom);
  const auto lo = std::max(chrom.lo, key.lo - key.window);
  const auto hi = std::min(chrom.hi, key.hi + key.window);
  const gc::hic::BinRange range{key.chrom, lo, hi};
  const auto norm = norms.get(static_cast<std::size_t>(key.res), key.norm, progress);
  progress.check();
  Eigen::MatrixXd dense = gc::hic::fetch_dense(map, range, range);
  progress.check();
  // Insulation is computed on the balanced matrix (not O/E), as cooltools does.
  apply_norm(dense, bins, lo, lo, *norm, false);
  const auto score = gc::hic::insulation_score(dense, key.window);
  auto track = std::make_shared<Track>();
  track->key = key;
  track->score.assign(score.begin() + (key.lo - lo), score.begin() + (key.hi - lo));
  // 0.2 (log2) keeps clear dips and drops the noise between neighbouring bins.
  track->boundaries = gc::hic::find_boundaries(track->score, 0.2);
  return track;
}

} // namespace gc::ui::hic_view
