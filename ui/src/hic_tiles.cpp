#include "hic_tiles.h"

#include "gc/hic/balance.h"
#include "gc/util/error.h"

#include <QLocale>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace gc::ui::hic_detail {

// ---- view maths ----

ResolutionChoice choose_resolution(std::span<const std::int64_t> bin_sizes, double span_bp, double pixels,
                                   double max_bins) {
  ResolutionChoice c;
  if (bin_sizes.empty() || span_bp <= 0) return c;
  const double bp_per_pixel = span_bp / std::max(1.0, pixels);
  for (std::size_t i = 0; i < bin_sizes.size(); ++i)
    if (static_cast<double>(bin_sizes[i]) <= bp_per_pixel) c.index = i;
  c.too_fine = span_bp / static_cast<double>(bin_sizes[c.index]) > max_bins;
  return c;
}

Span zoom_span(const Span& s, double anchor, double factor, double chrom_length, double min_length) noexcept {
  const double len = s.length();
  double new_len = std::clamp(len * factor, std::min(min_length, chrom_length), chrom_length);
  const double f = len > 0 ? (anchor - s.start) / len : 0.5;
  double start = anchor - f * new_len;
  start = std::clamp(start, 0.0, chrom_length - new_len);
  return {start, start + new_len};
}

Span pan_span(const Span& s, double delta, double chrom_length) noexcept {
  const double len = s.length();
  const double start = std::clamp(s.start + delta, 0.0, std::max(0.0, chrom_length - len));
  return {start, start + len};
}

double pixel_to_bp(double px, double pixel_length, const Span& s) noexcept {
  return s.start + px / std::max(1e-9, pixel_length) * s.length();
}

double bp_to_pixel(double bp, double pixel_length, const Span& s) noexcept {
  return s.length() > 0 ? (bp - s.start) / s.length() * pixel_length : 0.0;
}

IndexRange tiles_covering(std::int64_t lo, std::int64_t hi, std::int64_t tile_bins) noexcept {
  if (hi <= lo || tile_bins <= 0) return {0, 0};
  return {lo / tile_bins, (hi - 1) / tile_bins + 1};
}

std::vector<Tick> axis_ticks(double start, double end, int max_ticks) {
  std::vector<Tick> ticks;
  if (!(end > start) || max_ticks < 1) return ticks;
  const double raw = (end - start) / max_ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (const double m : {1.0, 2.0, 5.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  QString unit = "bp";
  double scale = 1;
  int decimals = 0;
  if (step >= 1e5) {
    unit = "Mb";
    scale = 1e6;
  } else if (step >= 100) {
    unit = "kb";
    scale = 1e3;
  }
  if (scale > 1) decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step / scale) - 1e-9)));
  for (double v = std::ceil(start / step - 1e-9) * step; v <= end + step * 1e-9; v += step) {
    const double value = std::abs(v) < step * 1e-6 ? 0.0 : v;
    ticks.push_back({value, QString::number(value / scale, 'f', decimals) + ' ' + unit});
  }
  return ticks;
}

QString format_region(const QString& chrom, std::int64_t start, std::int64_t end) {
  const QLocale en(QLocale::English, QLocale::UnitedStates);
  return chrom + ':' + en.toString(static_cast<qlonglong>(start + 1)) + '-' +
         en.toString(static_cast<qlonglong>(end));
}

QString format_bin_size(std::int64_t bp) {
  if (bp >= 1'000'000 && bp % 100'000 == 0) return QString::number(bp / 1e6, 'g', 4) + " Mb";
  if (bp >= 1000 && bp % 100 == 0) return QString::number(bp / 1e3, 'g', 4) + " kb";
  return QString::number(bp) + " bp";
}

QString format_value(double v) {
  if (std::isnan(v)) return "NaN (masked)";
  const double a = std::abs(v);
  if (a >= 1000 && a < 1e7) return QString::number(v, 'f', 0);
  if (a >= 1e-3 || a == 0) return QString::number(v, 'g', 3);
  return QString::number(v, 'e', 2);
}

// ---- normalisations ----

std::optional<Norm> parse_norm(const QString& name) {
  const auto n = name.trimmed().toLower();
  if (n == "none" || n == "raw") return Norm::none;
  if (n == "file" || n == "weight") return Norm::file;
  if (n == "ice") return Norm::ice;
  if (n == "kr") return Norm::kr;
  if (n == "vc") return Norm::vc;
  if (n == "vc_sqrt") return Norm::vc_sqrt;
  if (n == "oe" || n == "o/e") return Norm::oe;
  return std::nullopt;
}

QString norm_name(Norm n) {
  switch (n) {
  case Norm::none: return "none";
  case Norm::file: return "file";
  case Norm::ice: return "ice";
  case Norm::kr: return "kr";
  case Norm::vc: return "vc";
  case Norm::vc_sqrt: return "vc_sqrt";
  case Norm::oe: return "oe";
  }
  return "none";
}

QString norm_label(Norm n) {
  switch (n) {
  case Norm::none: return "raw";
  case Norm::file: return "file weights";
  case Norm::ice: return "ICE";
  case Norm::kr: return "KR";
  case Norm::vc: return "VC";
  case Norm::vc_sqrt: return "VC_SQRT";
  case Norm::oe: return "O/E";
  }
  return "raw";
}

NormCache::NormCache(std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps)
    : m_maps(std::move(maps)) {}

namespace {

bool has_weight(const gc::hic::ContactMap& map, const std::string& name) {
  const auto names = map.weight_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::shared_ptr<NormCache::Data> compute_norm(const gc::hic::ContactMap& map, Norm norm) {
  using gc::hic::BalanceMethod;
  auto data = std::make_shared<NormCache::Data>();
  switch (norm) {
  case Norm::none: break;
  case Norm::file: data->weights = map.weights(map.default_weight_name()); break;
  case Norm::ice: data->weights = gc::hic::compute_weights(map, BalanceMethod::ice); break;
  case Norm::kr:
  case Norm::vc:
  case Norm::vc_sqrt: {
    // A .hic usually stores these vectors: use them rather than recomputing.
    const std::string stored = norm == Norm::kr ? "KR" : norm == Norm::vc ? "VC" : "VC_SQRT";
    if (has_weight(map, stored)) {
      data->weights = map.weights(stored);
    } else {
      const auto method = norm == Norm::kr   ? BalanceMethod::kr
                          : norm == Norm::vc ? BalanceMethod::vc
                                             : BalanceMethod::vc_sqrt;
      data->weights = gc::hic::compute_weights(map, method);
    }
    break;
  }
  case Norm::oe:
    // Observed/expected of the balanced matrix when the file is balanced, of raw counts otherwise.
    if (has_weight(map, map.default_weight_name())) data->weights = map.weights(map.default_weight_name());
    data->expected = std::make_unique<gc::hic::Expected>(gc::hic::compute_expected(map, data->weights));
    break;
  }
  return data;
}

} // namespace

std::shared_ptr<const NormCache::Data> NormCache::get(std::size_t res, Norm norm) {
  if (res >= m_maps.size()) throw Error("resolution index out of range");
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(m_mutex);
    auto& slot = m_entries[{res, static_cast<int>(norm)}];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  // Other workers asking for the same key wait here instead of computing it again.
  std::lock_guard lock(entry->mutex);
  if (!entry->done) {
    try {
      entry->data = compute_norm(*m_maps[res], norm);
    } catch (const std::exception& e) {
      entry->error = e.what();
    }
    entry->done = true;
  }
  if (!entry->data) throw Error(norm_label(norm).toStdString() + ": " + entry->error);
  return entry->data;
}

// ---- tiles ----

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
                                const gc::CancelToken& token) {
  token.throw_if_cancelled();
  const auto& bins = map.bins();
  const auto rows = tile_range(bins, key.chrom_row, key.ti);
  const auto cols = tile_range(bins, key.chrom_col, key.tj);
  const auto norm = norms.get(static_cast<std::size_t>(key.res), static_cast<Norm>(key.norm));
  token.throw_if_cancelled();
  Eigen::MatrixXd dense = gc::hic::fetch_dense(map, rows, cols);
  token.throw_if_cancelled();
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
                                  const gc::CancelToken& token) {
  token.throw_if_cancelled();
  const auto& bins = map.bins();
  const auto chrom = gc::hic::chromosome_range(bins, key.chrom);
  const auto lo = std::max(chrom.lo, key.lo - key.window);
  const auto hi = std::min(chrom.hi, key.hi + key.window);
  const gc::hic::BinRange range{key.chrom, lo, hi};
  const auto norm = norms.get(static_cast<std::size_t>(key.res), static_cast<Norm>(key.norm));
  token.throw_if_cancelled();
  Eigen::MatrixXd dense = gc::hic::fetch_dense(map, range, range);
  token.throw_if_cancelled();
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

TileEngine::TileEngine(QObject* parent) : QObject(parent) {
  // Tile reads are mostly I/O and decompression: a few threads keep the view responsive.
  m_pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
}

TileEngine::~TileEngine() {
  cancel_all();
  m_pool.waitForDone();
}

void TileEngine::set_threads(int n) { m_pool.setMaxThreadCount(std::max(1, n)); }

void TileEngine::set_cache_capacity(std::size_t tiles) {
  m_cache = TileCache(std::max<std::size_t>(1, tiles));
}

void TileEngine::cancel_all() {
  for (auto& [key, p] : m_pending)
    p.token.cancel();
  m_stats.cancelled += static_cast<std::int64_t>(m_pending.size());
  m_pending.clear();
  if (m_track_pending) m_track_pending->second.token.cancel();
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
  const std::set<TileKey> wanted(keys.begin(), keys.end());
  for (auto it = m_pending.begin(); it != m_pending.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    it->second.token.cancel();
    ++m_stats.cancelled;
    it = m_pending.erase(it);
  }
  for (const auto& key : keys) {
    if (m_cache.contains(key)) {
      ++m_stats.cache_hits;
      continue;
    }
    if (m_pending.contains(key) || key.res < 0 || static_cast<std::size_t>(key.res) >= m_maps.size())
      continue;
    const Pending p{++m_next_job, gc::CancelToken{}};
    m_pending[key] = p;
    ++m_stats.requested;
    auto map = m_maps[static_cast<std::size_t>(key.res)];
    auto norms = m_norms;
    const auto generation = m_generation;
    m_pool.start([this, map, norms, key, p, generation] {
      std::shared_ptr<const Tile> tile;
      QString error;
      try {
        tile = load_tile(*map, *norms, key, p.token);
      } catch (const gc::Cancelled&) {
        return; // the view moved on; nothing to report
      } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
      }
      QMetaObject::invokeMethod(
          this,
          [this, generation, job = p.job, key, tile, error] { tile_done(generation, job, key, tile, error); },
          Qt::QueuedConnection);
    });
  }
  if (!busy()) Q_EMIT idle();
}

void TileEngine::tile_done(std::uint64_t generation, std::uint64_t job, TileKey key,
                           std::shared_ptr<const Tile> tile, QString error) {
  if (generation != m_generation) return;
  const auto it = m_pending.find(key);
  if (it == m_pending.end() || it->second.job != job) {
    // Cancelled after its read finished: the data is still good, keep it for a later visit.
    if (tile && !m_cache.contains(key)) {
      m_cache.put(key, std::move(tile));
      ++m_stats.loaded;
    }
    return;
  }
  m_pending.erase(it);
  if (!error.isEmpty()) {
    if (error != m_last_error) Q_EMIT failed(error);
    m_last_error = error;
  } else {
    m_cache.put(key, std::move(tile));
    ++m_stats.loaded;
    Q_EMIT tiles_arrived();
  }
  if (!busy()) Q_EMIT idle();
}

void TileEngine::request_track(const TrackKey& key) {
  if (m_track && m_track->key == key) return;
  if (m_track_pending && m_track_pending->first == key) return;
  if (m_track_pending) m_track_pending->second.token.cancel();
  if (key.res < 0 || static_cast<std::size_t>(key.res) >= m_maps.size()) return;
  const Pending p{++m_next_job, gc::CancelToken{}};
  m_track_pending = std::make_pair(key, p);
  auto map = m_maps[static_cast<std::size_t>(key.res)];
  auto norms = m_norms;
  const auto generation = m_generation;
  m_pool.start([this, map, norms, key, p, generation] {
    std::shared_ptr<const Track> track;
    QString error;
    try {
      track = load_track(*map, *norms, key, p.token);
    } catch (const gc::Cancelled&) {
      return;
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        this, [this, generation, job = p.job, track, error] { track_done(generation, job, track, error); },
        Qt::QueuedConnection);
  });
}

void TileEngine::track_done(std::uint64_t generation, std::uint64_t job, std::shared_ptr<const Track> track,
                            QString error) {
  if (generation != m_generation || !m_track_pending || m_track_pending->second.job != job) return;
  m_track_pending.reset();
  if (!error.isEmpty()) {
    if (error != m_last_error) Q_EMIT failed(error);
    m_last_error = error;
  } else {
    m_track = std::move(track);
    Q_EMIT track_arrived();
  }
  if (!busy()) Q_EMIT idle();
}

} // namespace gc::ui::hic_detail
