#include "gc/ui/hic/tile_engine.h"

#include <algorithm>
#include <mutex>

namespace gc::ui::hic_view {

TileEngine::TileEngine(TaskRunner& tasks, QObject* parent) : QObject(parent), m_tasks(tasks) {}

TileEngine::~TileEngine() { cancel_all(); }

void TileEngine::set_cache_capacity(std::size_t tiles) {
  m_cache = TileCache(std::max<std::size_t>(1, tiles));
}

void TileEngine::cancel_all() {
  for (auto& [key, p] : m_pending)
    p.handle.cancel();
  m_stats.cancelled += static_cast<std::int64_t>(m_pending.size());
  m_pending.clear();
  m_mirrors_wanted.clear();
  if (m_track_pending) m_track_pending->second.handle.cancel();
  m_track_pending.reset();
}

void TileEngine::set_maps(std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps) {
  cancel_all();
  ++m_generation;
  m_maps = std::move(maps);
  m_bin_sizes.clear();
  for (const auto& m : m_maps)
    m_bin_sizes.push_back(m->bins().bin_size);
  m_norms = std::make_shared<NormCache>(m_maps);
  m_cache.clear();
  m_track.reset();
  m_last_error.clear();
}

void TileEngine::request(const std::vector<TileKey>& keys) {
  // The tiles to read: the keys themselves, or for mirrored keys the tile above the diagonal.
  std::vector<TileKey> reads;
  std::set<TileKey> wanted;
  m_mirrors_wanted.clear();
  for (const auto& key : keys) {
    if (key.res < 0 || static_cast<std::size_t>(key.res) >= m_maps.size()) continue;
    if (m_cache.contains(key)) {
      ++m_stats.cache_hits;
      continue;
    }
    TileKey source = key;
    if (is_mirrored(key, *m_maps[static_cast<std::size_t>(key.res)])) {
      source = mirror_key(key);
      if (const auto upper = m_cache.get(source)) {
        make_mirror(source, *upper);
        continue;
      }
      m_mirrors_wanted.insert(key);
    }
    if (wanted.insert(source).second) reads.push_back(source);
  }
  for (auto it = m_pending.begin(); it != m_pending.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    it->second.handle.cancel();
    ++m_stats.cancelled;
    it = m_pending.erase(it);
  }
  for (const auto& key : reads)
    if (!m_pending.contains(key)) start_tile(key);
  report_idle();
}

void TileEngine::make_mirror(const TileKey& key, const Tile& tile) {
  const auto lower = mirror_key(key);
  m_mirrors_wanted.erase(lower);
  m_cache.put(lower, transpose(tile));
  ++m_stats.mirrored;
}

namespace {
// Where a tile task leaves its tile as soon as it is read: a task cancelled after its read still
// hands the data over (on_success is dropped for cancelled tasks), so the read is not wasted.
struct TileInbox {
  std::mutex mutex;
  std::shared_ptr<const Tile> tile;
};
} // namespace

void TileEngine::start_tile(const TileKey& key) {
  const auto job = ++m_next_job;
  const auto generation = m_generation;
  ++m_stats.requested;
  auto inbox = std::make_shared<TileInbox>();
  TaskRunner::Options options;
  options.context = this;
  options.quiet = true;
  options.on_error = [this](const QString& message) { job_failed(message); };
  options.on_finished = [this, key, job, generation, inbox](TaskOutcome outcome) {
    if (outcome == TaskOutcome::cancelled && generation == m_generation) {
      // The view moved on after the read: the data is still good, keep it for a later visit.
      std::lock_guard lock(inbox->mutex);
      if (inbox->tile && !m_cache.contains(key)) {
        m_cache.put(key, std::move(inbox->tile));
        ++m_stats.loaded;
      }
    }
    if (const auto it = m_pending.find(key); it != m_pending.end() && it->second.job == job) {
      m_pending.erase(it);
      report_idle();
    }
  };
  auto map = m_maps[static_cast<std::size_t>(key.res)];
  auto norms = m_norms;
  auto handle = m_tasks.run(
      "Hi-C tile",
      [map, norms, key, inbox](const gc::Progress& progress) -> std::shared_ptr<const Tile> {
        progress.check(); // tiles cancelled while queued are never read
        std::shared_ptr<const Tile> tile = load_tile(*map, *norms, key, progress);
        std::lock_guard lock(inbox->mutex);
        inbox->tile = tile;
        return tile;
      },
      [this, key, job](std::shared_ptr<const Tile> tile) { tile_done(job, key, std::move(tile)); },
      std::move(options));
  m_pending[key] = {job, std::move(handle)};
}

void TileEngine::tile_done(std::uint64_t job, const TileKey& key, std::shared_ptr<const Tile> tile) {
  const auto it = m_pending.find(key);
  if (it == m_pending.end() || it->second.job != job || !tile) return;
  ++m_stats.loaded;
  if (m_mirrors_wanted.contains(mirror_key(key))) make_mirror(key, *tile);
  m_cache.put(key, std::move(tile));
  Q_EMIT tiles_arrived();
}

void TileEngine::job_failed(const QString& message) {
  // One message per distinct problem: every tile of a broken normalisation fails the same way.
  if (message != m_last_error) Q_EMIT failed(message);
  m_last_error = message;
}

void TileEngine::request_track(const TrackKey& key) {
  if (m_track && m_track->key == key) return;
  if (m_track_pending && m_track_pending->first == key) return;
  if (m_track_pending) m_track_pending->second.handle.cancel();
  m_track_pending.reset();
  if (key.res < 0 || static_cast<std::size_t>(key.res) >= m_maps.size()) return;
  const auto job = ++m_next_job;
  TaskRunner::Options options;
  options.context = this;
  options.quiet = true;
  options.on_error = [this](const QString& message) { job_failed(message); };
  options.on_finished = [this, job](TaskOutcome) {
    if (m_track_pending && m_track_pending->second.job == job) {
      m_track_pending.reset();
      report_idle();
    }
  };
  auto map = m_maps[static_cast<std::size_t>(key.res)];
  auto norms = m_norms;
  auto handle = m_tasks.run(
      "Hi-C insulation track",
      [map, norms, key](const gc::Progress& progress) -> std::shared_ptr<const Track> {
        return load_track(*map, *norms, key, progress);
      },
      [this, job](std::shared_ptr<const Track> track) { track_done(job, std::move(track)); },
      std::move(options));
  m_track_pending = std::make_pair(key, Pending{job, std::move(handle)});
}

void TileEngine::track_done(std::uint64_t job, std::shared_ptr<const Track> track) {
  if (!m_track_pending || m_track_pending->second.job != job || !track) return;
  m_track = std::move(track);
  Q_EMIT track_arrived();
}

void TileEngine::report_idle() {
  if (!busy()) Q_EMIT idle();
}

} // namespace gc::ui::hic_view
