#pragma once
// The Hi-C view's data: square tiles of k_tile_bins bins read with the core query (with the
// normalisation applied), an LRU cache of them, and the insulation track. Cis tiles below the
// diagonal of a symmetric map are the transpose of the tile above it, so they are never read.
#include "gc/hic/analysis.h"
#include "gc/hic/contact_map.h"
#include "gc/ui/hic/hic_norm.h"
#include "gc/util/progress.h"

#include <QImage>

#include <compare>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <vector>

namespace gc::ui::hic_view {

inline constexpr std::int64_t k_tile_bins = 128;

struct TileKey {
  int res = 0;
  Normalisation norm;
  int chrom_row = 0;
  int chrom_col = 0;
  std::int64_t ti = 0; // tile index along the row chromosome
  std::int64_t tj = 0;
  friend auto operator<=>(const TileKey&, const TileKey&) = default;
};

struct Tile {
  std::int64_t row_lo = 0; // global bin ids of the first row and column
  std::int64_t col_lo = 0;
  int rows = 0;
  int cols = 0;
  std::vector<float> values; // row-major, NaN = masked
  // Colour image of the values, made on the GUI thread and reused while the colour settings
  // (identified by image_generation) stay the same.
  mutable QImage image;
  mutable std::uint64_t image_generation = 0;
  [[nodiscard]] float at(std::int64_t row, std::int64_t col) const noexcept {
    return values[static_cast<std::size_t>((row - row_lo) * cols + (col - col_lo))];
  }
};

// Reads the tile `key` from `map` (gc::hic::fetch_dense with the normalisation's weights and
// expected). Throws gc::Cancelled when `progress` is cancelled before or after the read.
[[nodiscard]] std::shared_ptr<Tile> load_tile(const gc::hic::ContactMap& map, NormCache& norms,
                                              const TileKey& key, const gc::Progress& progress = {});
// True for a cis tile below the diagonal of a symmetric map: its data is the transpose of
// mirror_key(key)'s.
[[nodiscard]] bool is_mirrored(const TileKey& key, const gc::hic::ContactMap& map) noexcept;
[[nodiscard]] TileKey mirror_key(const TileKey& key) noexcept;
// The tile with rows and columns swapped.
[[nodiscard]] std::shared_ptr<Tile> transpose(const Tile& tile);

class TileCache {
public:
  explicit TileCache(std::size_t capacity) : m_capacity(capacity) {}
  // Marks the tile as most recently used.
  [[nodiscard]] std::shared_ptr<const Tile> get(const TileKey& key);
  [[nodiscard]] bool contains(const TileKey& key) const { return m_items.contains(key); }
  void put(const TileKey& key, std::shared_ptr<const Tile> tile);
  void clear();
  [[nodiscard]] std::size_t size() const noexcept { return m_items.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }

private:
  std::size_t m_capacity;
  std::list<TileKey> m_order; // front = most recent
  std::map<TileKey, std::pair<std::shared_ptr<const Tile>, std::list<TileKey>::iterator>> m_items;
};

struct TrackKey {
  int res = 0;
  Normalisation norm;
  int chrom = 0;
  std::int64_t lo = 0; // global bins
  std::int64_t hi = 0;
  int window = 0; // bins
  friend auto operator<=>(const TrackKey&, const TrackKey&) = default;
};
struct Track {
  TrackKey key;
  std::vector<double> score;                 // hi - lo values, log2 insulation
  std::vector<gc::hic::Boundary> boundaries; // bin = index into score
};
// Insulation (on the balanced matrix, not O/E) and TAD boundaries over key's bins.
[[nodiscard]] std::shared_ptr<Track> load_track(const gc::hic::ContactMap& map, NormCache& norms,
                                                const TrackKey& key, const gc::Progress& progress = {});

} // namespace gc::ui::hic_view
