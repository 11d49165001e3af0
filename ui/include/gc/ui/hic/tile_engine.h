#pragma once
// Loads the Hi-C view's tiles and insulation track through the TaskRunner (quiet tasks, one per
// tile, each cancellable through its handle) into an LRU cache. Lives on the GUI thread, which
// only ever looks tiles up; cis tiles below the diagonal are made by transposing the cached
// tile above it.
#include "gc/ui/hic/hic_tiles.h"
#include "gc/ui/task_runner.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace gc::ui::hic_view {

class TileEngine : public QObject {
  Q_OBJECT
public:
  explicit TileEngine(TaskRunner& tasks, QObject* parent = nullptr);
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
  // visible ones first) and cancels loads no key in the list needs.
  void request(const std::vector<TileKey>& keys);
  // Same for the insulation track: only the latest request is kept.
  void request_track(const TrackKey& key);
  [[nodiscard]] std::shared_ptr<const Track> track() const noexcept { return m_track; }
  [[nodiscard]] std::size_t pending_tiles() const noexcept { return m_pending.size(); }
  [[nodiscard]] bool busy() const noexcept { return !m_pending.empty() || m_track_pending.has_value(); }

  struct Stats {
    std::int64_t requested = 0; // tile reads started
    std::int64_t loaded = 0;    // tile reads finished (also when cancelled after the read)
    std::int64_t cancelled = 0; // tile reads dropped because the view moved on
    std::int64_t mirrored = 0;  // tiles made by transposing a cached one
    std::int64_t cache_hits = 0;
  };
  [[nodiscard]] const Stats& stats() const noexcept { return m_stats; }
  void set_cache_capacity(std::size_t tiles);

Q_SIGNALS:
  void tiles_arrived();
  void track_arrived();
  void failed(const QString& message);
  void idle();

private:
  struct Pending {
    std::uint64_t job = 0;
    TaskHandle handle;
  };
  void start_tile(const TileKey& key);
  void tile_done(std::uint64_t job, const TileKey& key, std::shared_ptr<const Tile> tile);
  void track_done(std::uint64_t job, std::shared_ptr<const Track> track);
  void job_failed(const QString& message);
  // Caches the mirror of `key`'s tile when the last request wanted it.
  void make_mirror(const TileKey& key, const Tile& tile);
  void cancel_all();
  void report_idle();

  TaskRunner& m_tasks;
  std::vector<std::shared_ptr<const gc::hic::ContactMap>> m_maps;
  std::vector<std::int64_t> m_bin_sizes;
  std::shared_ptr<NormCache> m_norms;
  TileCache m_cache{1024};
  std::map<TileKey, Pending> m_pending;
  std::set<TileKey> m_mirrors_wanted; // requested keys waiting for the tile they mirror
  std::optional<std::pair<TrackKey, Pending>> m_track_pending;
  std::shared_ptr<const Track> m_track;
  std::uint64_t m_next_job = 0;
  std::uint64_t m_generation = 0; // of the maps: tiles of earlier maps are dropped
  QString m_last_error;
  Stats m_stats;
};

} // namespace gc::ui::hic_view
