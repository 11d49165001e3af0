#pragma once
// Internals of HicMapView: view maths (resolution choice, zoom/pan, tick placement) as pure
// functions, and the tile engine that loads matrix tiles and the insulation track in background
// workers with cancellation and an LRU cache. Not a public header; tests include it directly.
#include "gc/hic/analysis.h"
#include "gc/hic/contact_map.h"
#include "gc/hic/query.h"
#include "gc/util/progress.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <compare>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace gc::ui::hic_detail {

// ---- view maths ----

struct ResolutionChoice {
  std::size_t index = 0; // into the ascending bin sizes
  bool too_fine = false; // even this resolution puts more than max_bins bins across the view
};
// The coarsest stored resolution that still gives at least one bin per screen pixel over
// `span_bp`; the finest when none does (zoomed in beyond the data). `bin_sizes` ascending.
[[nodiscard]] ResolutionChoice choose_resolution(std::span<const std::int64_t> bin_sizes, double span_bp,
                                                 double pixels, double max_bins);

struct Span {
  double start = 0;
  double end = 0;
  [[nodiscard]] double length() const noexcept { return end - start; }
  friend bool operator==(const Span&, const Span&) = default;
};
// Scales `s` by `factor` (< 1 zooms in) keeping `anchor` at the same screen position; the
// length stays within [min_length, chrom_length] and the span inside [0, chrom_length].
[[nodiscard]] Span zoom_span(const Span& s, double anchor, double factor, double chrom_length,
                             double min_length) noexcept;
// Moves `s` by `delta` bp, stopping at the chromosome ends.
[[nodiscard]] Span pan_span(const Span& s, double delta, double chrom_length) noexcept;
[[nodiscard]] double pixel_to_bp(double px, double pixel_length, const Span& s) noexcept;
[[nodiscard]] double bp_to_pixel(double bp, double pixel_length, const Span& s) noexcept;

// Tile indices [first, last) covering local bins [lo, hi).
struct IndexRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  friend bool operator==(const IndexRange&, const IndexRange&) = default;
};
[[nodiscard]] IndexRange tiles_covering(std::int64_t lo, std::int64_t hi, std::int64_t tile_bins) noexcept;

struct Tick {
  double pos = 0;
  QString label;
};
// Round positions (1, 2 or 5 x 10^k apart) inside [start, end], at most about `max_ticks`,
// labelled in bp, kb or Mb with as many decimals as the step needs.
[[nodiscard]] std::vector<Tick> axis_ticks(double start, double end, int max_ticks);
// "chrII:100,001-110,000" for the 0-based half-open [start, end).
[[nodiscard]] QString format_region(const QString& chrom, std::int64_t start, std::int64_t end);
[[nodiscard]] QString format_bin_size(std::int64_t bp); // "10 kb", "1 Mb", "500 bp"
// Three significant digits, no exponent for ordinary magnitudes.
[[nodiscard]] QString format_value(double v);

// ---- normalisations ----

enum class Norm { none, file, ice, kr, vc, vc_sqrt, oe };
[[nodiscard]] std::optional<Norm> parse_norm(const QString& name);
[[nodiscard]] QString norm_name(Norm n);  // "none", "file", ...
[[nodiscard]] QString norm_label(Norm n); // "raw", "file weights", "ICE", "KR", "VC", "VC_SQRT", "O/E"

// Weights (and the expected, for O/E) per resolution and normalisation, computed once on
// whichever worker asks first; thread-safe.
class NormCache {
public:
  struct Data {
    gc::hic::Weights weights;
    std::unique_ptr<gc::hic::Expected> expected;
  };
  explicit NormCache(std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps);
  // Throws gc::Error (e.g. no stored weights, KR not converging) — every call for that key.
  [[nodiscard]] std::shared_ptr<const Data> get(std::size_t res, Norm norm);

private:
  struct Entry {
    std::mutex mutex;
    bool done = false;
    std::shared_ptr<const Data> data;
    std::string error;
  };
  std::vector<std::shared_ptr<const gc::hic::ContactMap>> m_maps;
  std::mutex m_mutex;
  std::map<std::pair<std::size_t, int>, std::shared_ptr<Entry>> m_entries;
};

// ---- tiles ----

inline constexpr std::int64_t k_tile_bins = 128;

struct TileKey {
  int res = 0;
  int norm = 0;
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

// Loads the tile `key` from `map` (the query gc::hic::fetch_dense, with the normalisation's
// weights and expected). Throws gc::Cancelled when `token` is cancelled before or after the read.
[[nodiscard]] std::shared_ptr<Tile> load_tile(const gc::hic::ContactMap& map, NormCache& norms,
                                              const TileKey& key, const gc::CancelToken& token);

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
  int norm = 0;
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
[[nodiscard]] std::shared_ptr<Track> load_track(const gc::hic::ContactMap& map, NormCache& norms,
                                                const TrackKey& key, const gc::CancelToken& token);

// Owns the workers. Lives on the GUI thread; results arrive through queued calls.
class TileEngine : public QObject {
  Q_OBJECT
public:
  explicit TileEngine(QObject* parent = nullptr);
  ~TileEngine() override;

  // Maps in ascending bin size; drops every cached tile and cancels all work.
  void set_maps(std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps);
  [[nodiscard]] const std::vector<std::shared_ptr<const gc::hic::ContactMap>>& maps() const noexcept {
    return m_maps;
  }
  [[nodiscard]] const std::vector<std::int64_t>& bin_sizes() const noexcept { return m_bin_sizes; }

  // The cached tile or null; never reads the file.
  [[nodiscard]] std::shared_ptr<const Tile> find(const TileKey& key) { return m_cache.get(key); }
  // Starts loading the keys that are neither cached nor loading (in the given order, so put the
  // visible ones first) and cancels loads of keys not in the list.
  void request(const std::vector<TileKey>& keys);
  // Same for the insulation track: only the latest request is kept.
  void request_track(const TrackKey& key);
  [[nodiscard]] std::shared_ptr<const Track> track() const noexcept { return m_track; }
  [[nodiscard]] std::size_t pending_tiles() const noexcept { return m_pending.size(); }
  [[nodiscard]] bool busy() const noexcept { return !m_pending.empty() || m_track_pending.has_value(); }

  struct Stats {
    std::int64_t requested = 0;
    std::int64_t loaded = 0;
    std::int64_t cancelled = 0;
    std::int64_t cache_hits = 0;
  };
  [[nodiscard]] const Stats& stats() const noexcept { return m_stats; }
  void set_cache_capacity(std::size_t tiles);
  // Maximum worker threads.
  void set_threads(int n);

Q_SIGNALS:
  void tiles_arrived();
  void track_arrived();
  void failed(const QString& message);
  void idle();

private:
  void tile_done(std::uint64_t generation, std::uint64_t job, TileKey key, std::shared_ptr<const Tile> tile,
                 QString error);
  void track_done(std::uint64_t generation, std::uint64_t job, std::shared_ptr<const Track> track,
                  QString error);
  void cancel_all();

  struct Pending {
    std::uint64_t job = 0;
    gc::CancelToken token;
  };
  std::vector<std::shared_ptr<const gc::hic::ContactMap>> m_maps;
  std::vector<std::int64_t> m_bin_sizes;
  std::shared_ptr<NormCache> m_norms;
  TileCache m_cache{1024};
  std::map<TileKey, Pending> m_pending;
  std::optional<std::pair<TrackKey, Pending>> m_track_pending;
  std::shared_ptr<const Track> m_track;
  std::uint64_t m_generation = 0;
  std::uint64_t m_next_job = 0;
  QString m_last_error;
  Stats m_stats;
  QThreadPool m_pool;
};

} // namespace gc::ui::hic_detail
