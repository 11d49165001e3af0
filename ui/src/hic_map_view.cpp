#include "gc/ui/hic_map_view.h"

#include "gc/hic/cooler.h"
#include "gc/hic/juicer.h"
#include "gc/ui/colormap.h"
#include "gc/util/error.h"
#include "hic_tiles.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::ui {

using namespace hic_detail;

HicResolutions open_hic_resolutions(const QString& uri) {
  HicResolutions out;
  out.uri = uri;
  const std::string s = uri.toStdString();
  if (s.find("::") != std::string::npos) {
    out.maps.push_back(gc::hic::open_contact_map(s));
    return out;
  }
  const std::filesystem::path path(s);
  gc::require_readable_file(path);
  if (gc::hic::is_hic_file(path)) {
    auto file = std::make_shared<const gc::hic::HicFile>(path);
    for (const auto bin_size : file->header().bp_resolutions)
      out.maps.push_back(std::make_shared<gc::hic::HicMap>(file, bin_size));
  } else if (gc::hic::sniff_cooler(path) == gc::hic::CoolerKind::multires) {
    for (const auto bin_size : gc::hic::list_resolutions(path))
      out.maps.push_back(
          std::make_shared<gc::hic::CoolerMap>(s + "::/resolutions/" + std::to_string(bin_size)));
  } else {
    out.maps.push_back(gc::hic::open_contact_map(s));
  }
  if (out.maps.empty()) throw InputError("no resolutions in the contact file").file(s);
  std::sort(out.maps.begin(), out.maps.end(),
            [](const auto& a, const auto& b) { return a->bins().bin_size < b->bins().bin_size; });
  probe_file_weights(out);
  return out;
}

void open_hic_resolutions_async(QObject* context, const QString& uri,
                                std::function<void(const HicResolutions&, const QString&)> done) {
  using Result = std::pair<HicResolutions, QString>;
  auto* watcher = new QFutureWatcher<Result>(context);
  QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
    watcher->deleteLater();
    const auto [maps, error] = watcher->result();
    done(maps, error);
  });
  watcher->setFuture(QtConcurrent::run([uri]() -> Result {
    try {
      return {open_hic_resolutions(uri), {}};
    } catch (const std::exception& e) {
      return {HicResolutions{{}, uri, false}, QString::fromStdString(e.what())};
    }
  }));
}

HicResolutions single_resolution(std::shared_ptr<const gc::hic::ContactMap> map) {
  HicResolutions r;
  if (map) {
    r.uri = QString::fromStdString(map->source());
    r.maps.push_back(std::move(map));
  }
  return r;
}

void probe_file_weights(HicResolutions& maps) {
  if (maps.maps.empty()) {
    maps.has_file_weights = false;
    return;
  }
  const auto& finest =
      *std::min_element(maps.maps.begin(), maps.maps.end(),
                        [](const auto& a, const auto& b) { return a->bins().bin_size < b->bins().bin_size; });
  const auto names = finest->weight_names();
  maps.has_file_weights = std::find(names.begin(), names.end(), finest->default_weight_name()) != names.end();
}

namespace hic_detail {

struct ViewState {
  HicResolutions maps;
  int chrom_x = -1; // rows
  int chrom_y = -1; // columns
  Span sx;
  Span sy;
  std::optional<std::pair<gc::genome::Region, std::optional<gc::genome::Region>>> pending_locus;
  Norm norm = Norm::file;
  ColorMap cmap = ColorMap::named("fall");
  ColorScale scale{1, 10, true};
  bool auto_range = true;
  double percentile = 98;
  bool range_dirty = true;
  std::uint64_t colour_generation = 1;
  ResolutionChoice res;
  std::vector<TileKey> visible; // tiles intersecting the view
  std::optional<std::pair<QString, std::int64_t>> crosshair;
  QString last_hover;
  QLabel* hover_label = nullptr;
  QTimer* track_timer = nullptr;
  bool complete_reported = false;

  [[nodiscard]] const gc::hic::ContactMap* map() const {
    return maps.maps.empty() ? nullptr : maps.maps[std::min(res.index, maps.maps.size() - 1)].get();
  }
  [[nodiscard]] const gc::hic::BinTable* bins() const {
    return maps.maps.empty() ? nullptr : &maps.maps[0]->bins();
  }
  [[nodiscard]] double chrom_length(int c) const {
    return static_cast<double>(bins()->chroms[static_cast<std::size_t>(c)].length);
  }
  [[nodiscard]] QString chrom_name(int c) const {
    return QString::fromStdString(bins()->chroms[static_cast<std::size_t>(c)].name);
  }
  [[nodiscard]] bool ready() const { return !maps.maps.empty() && chrom_x >= 0 && chrom_y >= 0; }
  [[nodiscard]] bool cis() const { return chrom_x == chrom_y; }
  [[nodiscard]] std::int64_t bin_size() const { return map() ? map()->bins().bin_size : 0; }
  // Chromosome index for a user-supplied name: exact, then with the "chr" prefix added or removed.
  [[nodiscard]] int find_chrom(const QString& name) const {
    if (!bins()) return -1;
    if (const int i = bins()->chrom_index(name.toStdString()); i >= 0) return i;
    const QString alt = name.startsWith("chr") ? name.mid(3) : "chr" + name;
    return bins()->chrom_index(alt.toStdString());
  }
};

} // namespace hic_detail

namespace {

constexpr double k_max_bins = 4000; // per axis; beyond this the view asks to zoom in
constexpr int k_max_track_bins = 2500;

struct Layout {
  QRectF title;
  QRectF map;
  QRectF colorbar;
  QRectF track;
  double font_px = 11;
};

QFont figure_font(double px, bool bold = false) {
  QFont f;
  f.setFamily("DejaVu Sans");
  f.setPixelSize(std::max(6, static_cast<int>(std::lround(px))));
  f.setBold(bold);
  return f;
}

// Values of the loaded visible tiles inside the view, subsampled to at most ~200k, for the
// automatic colour range.
std::vector<double> visible_values(TileEngine& engine, const ViewState& st) {
  std::vector<double> values;
  const auto& bins = st.map()->bins();
  const auto bs = static_cast<double>(st.bin_size());
  const auto row_off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)];
  const auto col_off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_y)];
  const auto r_lo = row_off + static_cast<std::int64_t>(std::floor(st.sx.start / bs));
  const auto r_hi = row_off + static_cast<std::int64_t>(std::ceil(st.sx.end / bs));
  const auto c_lo = col_off + static_cast<std::int64_t>(std::floor(st.sy.start / bs));
  const auto c_hi = col_off + static_cast<std::int64_t>(std::ceil(st.sy.end / bs));
  const double total = static_cast<double>(r_hi - r_lo) * static_cast<double>(c_hi - c_lo);
  const auto stride = static_cast<std::int64_t>(std::max(1.0, std::sqrt(total / 200'000.0)));
  for (const auto& key : st.visible) {
    const auto tile = engine.find(key);
    if (!tile) continue;
    for (std::int64_t r = std::max(r_lo, tile->row_lo); r < std::min(r_hi, tile->row_lo + tile->rows);
         r += stride)
      for (std::int64_t c = std::max(c_lo, tile->col_lo); c < std::min(c_hi, tile->col_lo + tile->cols);
           c += stride)
        values.push_back(tile->at(r, c));
  }
  return values;
}

} // namespace

HicMapView::HicMapView(QWidget* parent)
    : QWidget(parent), m_engine(std::make_unique<TileEngine>()), m_state(std::make_unique<ViewState>()) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMinimumSize(320, 320);
  build_toolbar();
  m_state->track_timer = new QTimer(this);
  m_state->track_timer->setSingleShot(true);
  m_state->track_timer->setInterval(120);
  connect(m_state->track_timer, &QTimer::timeout, this, [this] {
    auto& st = *m_state;
    if (!st.ready() || !st.cis() || st.res.too_fine) return;
    const auto bs = st.bin_size();
    const auto& bins = st.map()->bins();
    const auto off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)];
    const auto n = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x) + 1] - off;
    const auto lo = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(st.sy.start / bs)), 0, n);
    const auto hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(st.sy.end / bs)), 0, n);
    if (hi - lo < 4 || hi - lo > k_max_track_bins) return;
    // About 100 kb windows (cooltools' usual choice), at least 3 bins.
    const int window =
        static_cast<int>(std::clamp<std::int64_t>((100'000 + bs / 2) / std::max<std::int64_t>(1, bs), 3, 25));
    m_engine->request_track(
        {static_cast<int>(st.res.index), static_cast<int>(st.norm), st.chrom_x, off + lo, off + hi, window});
  });
  // The track may already be current (or not wanted): then the view can be complete right away.
  connect(m_state->track_timer, &QTimer::timeout, this, &HicMapView::report_if_complete,
          Qt::QueuedConnection);
  connect(m_engine.get(), &TileEngine::tiles_arrived, this, &HicMapView::on_tiles_changed);
  connect(m_engine.get(), &TileEngine::track_arrived, this, [this] { update(); });
  connect(m_engine.get(), &TileEngine::failed, this, [this](const QString& message) {
    Q_EMIT error_occurred(message);
    update();
  });
  connect(m_engine.get(), &TileEngine::idle, this, &HicMapView::report_if_complete);
}

void HicMapView::report_if_complete() {
  auto& st = *m_state;
  if (st.ready() && !st.complete_reported && !st.track_timer->isActive() && !m_engine->busy()) {
    st.complete_reported = true;
    on_tiles_changed();
    Q_EMIT view_complete();
  }
}

HicMapView::~HicMapView() = default;

void HicMapView::build_toolbar() {
  m_toolbar = new QWidget(this);
  auto* row = new QHBoxLayout(m_toolbar);
  row->setContentsMargins(4, 2, 4, 2);
  row->setSpacing(6);
  m_norm_box = new QComboBox(m_toolbar);
  for (const auto& n : normalisations())
    m_norm_box->addItem(norm_label(*parse_norm(n)), n);
  m_norm_box->setToolTip("Normalisation");
  m_cmap_box = new QComboBox(m_toolbar);
  m_cmap_box->addItems(ColorMap::names());
  m_cmap_box->setToolTip("Colour map");
  m_log_box = new QCheckBox("log", m_toolbar);
  m_log_box->setChecked(true);
  m_auto_box = new QCheckBox("auto", m_toolbar);
  m_auto_box->setChecked(true);
  m_auto_box->setToolTip("Colour range from the visible data (up to the 98th percentile)");
  m_min_spin = new QDoubleSpinBox(m_toolbar);
  m_max_spin = new QDoubleSpinBox(m_toolbar);
  for (auto* s : {m_min_spin, m_max_spin}) {
    s->setDecimals(4);
    s->setRange(0, 1e12);
    s->setKeyboardTracking(false);
    s->setEnabled(false);
  }
  m_min_spin->setToolTip("Colour range minimum");
  m_max_spin->setToolTip("Colour range maximum");
  m_res_label = new QLabel(m_toolbar);
  m_res_label->setToolTip("Resolution shown (bin size)");
  m_state->hover_label = new QLabel(m_toolbar);
  m_state->hover_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  row->addWidget(m_norm_box);
  row->addWidget(m_cmap_box);
  row->addWidget(m_log_box);
  row->addWidget(m_auto_box);
  row->addWidget(m_min_spin);
  row->addWidget(m_max_spin);
  row->addWidget(m_res_label);
  row->addStretch(1);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->setSpacing(0);
  outer->addWidget(m_toolbar);
  outer->addStretch(1);
  outer->addWidget(m_state->hover_label);

  connect(m_norm_box, &QComboBox::activated, this,
          [this](int i) { set_normalisation(m_norm_box->itemData(i).toString()); });
  connect(m_cmap_box, &QComboBox::activated, this, [this](int i) { set_colormap(m_cmap_box->itemText(i)); });
  connect(m_log_box, &QCheckBox::toggled, this, &HicMapView::set_log_scale);
  connect(m_auto_box, &QCheckBox::toggled, this, [this](bool on) {
    if (on)
      set_auto_range(m_state->percentile);
    else
      set_range(m_min_spin->value(), m_max_spin->value());
  });
  const auto manual = [this] {
    if (!m_auto_box->isChecked()) set_range(m_min_spin->value(), m_max_spin->value());
  };
  connect(m_min_spin, &QDoubleSpinBox::valueChanged, this, manual);
  connect(m_max_spin, &QDoubleSpinBox::valueChanged, this, manual);
  sync_toolbar();
}

void HicMapView::sync_toolbar() {
  const auto& st = *m_state;
  const QSignalBlocker b1(m_norm_box), b2(m_cmap_box), b3(m_log_box), b4(m_auto_box), b5(m_min_spin),
      b6(m_max_spin);
  m_norm_box->setCurrentIndex(m_norm_box->findData(norm_name(st.norm)));
  m_cmap_box->setCurrentText(st.cmap.name());
  m_log_box->setChecked(st.scale.log);
  m_auto_box->setChecked(st.auto_range);
  m_min_spin->setEnabled(!st.auto_range);
  m_max_spin->setEnabled(!st.auto_range);
  m_min_spin->setValue(st.scale.min);
  m_max_spin->setValue(st.scale.max);
  if (!st.ready())
    m_res_label->setText("no map");
  else
    m_res_label->setText("resolution " + format_bin_size(st.bin_size()) +
                         (st.res.too_fine ? " (zoom in)" : ""));
}

QStringList HicMapView::normalisations() { return {"none", "file", "ice", "kr", "vc", "vc_sqrt", "oe"}; }

void HicMapView::open(const QString& uri) {
  const auto generation = ++m_open_generation;
  open_hic_resolutions_async(this, uri, [this, generation](const HicResolutions& maps, const QString& error) {
    if (generation != m_open_generation) return;
    if (!error.isEmpty())
      Q_EMIT error_occurred(error);
    else
      set_maps(maps);
  });
}

void HicMapView::set_map(std::shared_ptr<const gc::hic::ContactMap> map) {
  set_maps(single_resolution(std::move(map)));
}

void HicMapView::set_maps(const HicResolutions& maps) {
  const auto generation = ++m_open_generation; // a pending open() must not replace these maps
  if (maps.has_file_weights || maps.empty()) {
    show_maps(maps);
    return;
  }
  // The stored normalisations decide the default; listing them reads the file, so on a worker.
  show_maps({});
  auto* watcher = new QFutureWatcher<HicResolutions>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    if (generation == m_open_generation) show_maps(watcher->result());
  });
  watcher->setFuture(QtConcurrent::run([maps]() {
    HicResolutions probed = maps;
    try {
      probe_file_weights(probed);
    } catch (const std::exception&) {
      probed.has_file_weights = false; // no readable weights: raw counts
    }
    return probed;
  }));
}

void HicMapView::show_maps(const HicResolutions& maps) {
  auto& st = *m_state;
  st.maps = maps;
  std::sort(st.maps.maps.begin(), st.maps.maps.end(),
            [](const auto& a, const auto& b) { return a->bins().bin_size < b->bins().bin_size; });
  m_engine->set_maps(st.maps.maps);
  st.chrom_x = st.chrom_y = -1;
  st.visible.clear();
  st.res = {};
  st.range_dirty = true;
  if (!st.maps.empty()) {
    const auto& finest = *st.maps.maps.front();
    st.norm = st.maps.has_file_weights.value_or(false) ? Norm::file : Norm::none;
    if (st.pending_locus) {
      const auto [x, y] = *st.pending_locus;
      st.pending_locus.reset();
      set_locus(x, y);
    }
    if (st.chrom_x < 0 && !finest.bins().chroms.empty()) {
      st.chrom_x = st.chrom_y = 0;
      st.sx = st.sy = {0, st.chrom_length(0)};
      update_view(false);
    }
    Q_EMIT map_loaded();
  }
  sync_toolbar();
  update();
}

bool HicMapView::has_map() const noexcept { return !m_state->maps.empty(); }

void HicMapView::set_locus(const gc::genome::Region& x, std::optional<gc::genome::Region> y) {
  auto& st = *m_state;
  if (st.maps.empty()) {
    st.pending_locus = std::make_pair(x, y);
    return;
  }
  const auto yy = y.value_or(x);
  const int cx = st.find_chrom(QString::fromStdString(x.chrom));
  const int cy = st.find_chrom(QString::fromStdString(yy.chrom));
  if (cx < 0 || cy < 0) {
    Q_EMIT error_occurred("chromosome '" + QString::fromStdString(cx < 0 ? x.chrom : yy.chrom) +
                          "' is not in " + st.maps.uri);
    return;
  }
  const auto span_of = [&](const gc::genome::Region& r, int c) {
    const double len = st.chrom_length(c);
    const double s = std::clamp(static_cast<double>(r.start), 0.0, len);
    const double e =
        r.end == gc::genome::Region::to_end ? len : std::clamp(static_cast<double>(r.end), 0.0, len);
    return e > s ? Span{s, e} : Span{0, len};
  };
  if (cx != st.chrom_x || cy != st.chrom_y) st.range_dirty = true;
  st.chrom_x = cx;
  st.chrom_y = cy;
  st.sx = span_of(x, cx);
  st.sy = span_of(yy, cy);
  st.range_dirty = true;
  update_view(false);
}

gc::genome::Region HicMapView::locus() const {
  const auto& st = *m_state;
  if (!st.ready()) return {};
  return {st.chrom_name(st.chrom_x).toStdString(), std::llround(st.sx.start), std::llround(st.sx.end)};
}

gc::genome::Region HicMapView::locus_y() const {
  const auto& st = *m_state;
  if (!st.ready()) return {};
  return {st.chrom_name(st.chrom_y).toStdString(), std::llround(st.sy.start), std::llround(st.sy.end)};
}

void HicMapView::set_normalisation(const QString& name) {
  const auto norm = parse_norm(name);
  if (!norm) {
    Q_EMIT error_occurred("unknown normalisation '" + name + "' (use " + normalisations().join(", ") + ")");
    sync_toolbar();
    return;
  }
  if (*norm == m_state->norm) return;
  m_state->norm = *norm;
  m_state->range_dirty = true;
  update_view(false);
}

QString HicMapView::normalisation() const { return norm_name(m_state->norm); }

void HicMapView::set_colormap(const QString& name) {
  try {
    m_state->cmap = ColorMap::named(name);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
  }
  ++m_state->colour_generation;
  sync_toolbar();
  update();
}

void HicMapView::set_log_scale(bool log) {
  m_state->scale.log = log;
  if (m_state->auto_range) m_state->range_dirty = true;
  ++m_state->colour_generation;
  on_tiles_changed();
  sync_toolbar();
  update();
}

void HicMapView::set_range(double min, double max) {
  auto& st = *m_state;
  st.auto_range = false;
  st.range_dirty = false;
  st.scale.min = min;
  st.scale.max = std::max(max, min);
  ++st.colour_generation;
  sync_toolbar();
  update();
}

void HicMapView::set_auto_range(double percentile) {
  m_state->auto_range = true;
  m_state->percentile = std::clamp(percentile, 1.0, 100.0);
  m_state->range_dirty = true;
  on_tiles_changed();
  sync_toolbar();
}

void HicMapView::set_crosshair(const QString& chrom, std::int64_t pos) {
  m_state->crosshair = std::make_pair(chrom, pos);
  update();
}

void HicMapView::clear_crosshair() {
  m_state->crosshair.reset();
  update();
}

std::int64_t HicMapView::resolution() const noexcept { return m_state->ready() ? m_state->bin_size() : 0; }

bool HicMapView::loading() const { return m_engine->busy() || m_state->track_timer->isActive(); }

int HicMapView::tiles_in_flight() const { return static_cast<int>(m_engine->pending_tiles()); }

HicMapView::Stats HicMapView::stats() const {
  const auto& s = m_engine->stats();
  return {s.requested, s.loaded, s.cancelled, s.cache_hits};
}

// ---- layout and view updates ----

namespace {

Layout compute_layout(const QRectF& area, const ViewState& st, bool title, bool track) {
  Layout l;
  l.font_px = std::clamp(std::min(area.width(), area.height()) / 48.0, 9.0, 13.0);
  const QFontMetricsF fm(figure_font(l.font_px));
  const double fh = fm.height();
  double top = area.top() + 4;
  if (title) {
    l.title = QRectF(area.left() + 4, top, area.width() - 8, fh * 1.4);
    top = l.title.bottom() + 2;
  }
  const double left_axis = fm.horizontalAdvance("000.00 Mb") + 8 + fh * 1.3;
  const double top_axis = fh * 2.4 + 6;
  const double right = 14 + 6 + fm.horizontalAdvance("0.00e-00") + 12;
  const double bottom_margin = 6;
  const double track_h = track ? std::clamp(area.height() * 0.11, 48.0, 90.0) : 0.0;
  const QRectF avail(area.left() + left_axis, top + top_axis, area.width() - left_axis - right,
                     area.bottom() - bottom_margin - (track ? track_h + fh * 2.4 : 0) - (top + top_axis));
  double aspect = 1; // width / height
  if (st.ready() && st.sx.length() > 0) aspect = std::clamp(st.sy.length() / st.sx.length(), 0.25, 4.0);
  double w = avail.width(), h = avail.height();
  if (w / std::max(1.0, h) > aspect)
    w = h * aspect;
  else
    h = w / aspect;
  w = std::max(10.0, w);
  h = std::max(10.0, h);
  // Centre the map (with its axes and colour bar) in the spare width.
  const double spare = std::max(0.0, avail.width() - w);
  l.map = QRectF(avail.left() + spare / 2, avail.top(), w, h);
  l.colorbar = QRectF(l.map.right() + 12, l.map.top(), 14, std::min(h, std::max(120.0, h * 0.6)));
  if (track) l.track = QRectF(l.map.left(), l.map.bottom() + 6, w, track_h);
  return l;
}

} // namespace

QRectF HicMapView::map_rect(const QRectF& area, bool with_track) const {
  return compute_layout(area, *m_state, false, with_track).map;
}

static QRectF content_area(const QWidget* w, const QWidget* toolbar, const QWidget* hover) {
  return QRectF(0, toolbar->height(), w->width(), w->height() - toolbar->height() - hover->height());
}

QRectF HicMapView::heatmap_rect() const {
  return map_rect(content_area(this, m_toolbar, m_state->hover_label), m_state->ready() && m_state->cis());
}

void HicMapView::update_view(bool emit_locus) {
  auto& st = *m_state;
  st.complete_reported = false;
  if (!st.ready()) {
    update();
    return;
  }
  const auto map = map_rect(content_area(this, m_toolbar, st.hover_label), st.cis());
  const auto previous = st.res.index;
  st.res = choose_resolution(m_engine->bin_sizes(), std::max(st.sy.length(), 1.0), std::max(1.0, map.width()),
                             k_max_bins);
  if (st.res.index != previous && st.auto_range) st.range_dirty = true;
  st.visible.clear();
  std::vector<TileKey> keys;
  if (!st.res.too_fine) {
    const auto bs = static_cast<double>(st.bin_size());
    const auto& bins = st.map()->bins();
    const auto nbins = [&](int c) {
      return bins.chrom_offset[static_cast<std::size_t>(c) + 1] -
             bins.chrom_offset[static_cast<std::size_t>(c)];
    };
    const auto range = [&](const Span& s, int c) {
      const auto lo =
          std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(s.start / bs)), 0, nbins(c));
      const auto hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(s.end / bs)), 0, nbins(c));
      return tiles_covering(lo, hi, k_tile_bins);
    };
    const auto rows = range(st.sx, st.chrom_x);
    const auto cols = range(st.sy, st.chrom_y);
    for (auto i = rows.first; i < rows.last; ++i)
      for (auto j = cols.first; j < cols.last; ++j)
        st.visible.push_back(
            {static_cast<int>(st.res.index), static_cast<int>(st.norm), st.chrom_x, st.chrom_y, i, j});
    keys = st.visible;
    // Prefetch one ring of tiles around the view so that short pans find them cached.
    const auto row_tiles = (nbins(st.chrom_x) + k_tile_bins - 1) / k_tile_bins;
    const auto col_tiles = (nbins(st.chrom_y) + k_tile_bins - 1) / k_tile_bins;
    for (auto i = std::max<std::int64_t>(0, rows.first - 1); i < std::min(row_tiles, rows.last + 1); ++i)
      for (auto j = std::max<std::int64_t>(0, cols.first - 1); j < std::min(col_tiles, cols.last + 1); ++j)
        if (i < rows.first || i >= rows.last || j < cols.first || j >= cols.last)
          keys.push_back(
              {static_cast<int>(st.res.index), static_cast<int>(st.norm), st.chrom_x, st.chrom_y, i, j});
  }
  m_engine->request(keys);
  if (st.cis() && !st.res.too_fine) st.track_timer->start();
  if (st.range_dirty) on_tiles_changed();
  sync_toolbar();
  if (emit_locus) Q_EMIT locus_changed(locus());
  update();
}

void HicMapView::on_tiles_changed() {
  auto& st = *m_state;
  if (st.ready() && st.auto_range && st.range_dirty && !st.visible.empty()) {
    const auto values = visible_values(*m_engine, st);
    const double hi = percentile(values, st.percentile, st.scale.log);
    if (std::isfinite(hi) && hi > 0) {
      double lo = 0;
      if (st.scale.log) {
        // Log scale: start two to three decades below the top, at the 5th percentile of the
        // positive values when that is higher, so sparse far-cis contacts stay visible.
        const double p5 = percentile(values, 5, true);
        lo = std::clamp(std::isfinite(p5) ? p5 : hi / 1000, hi / 1000, hi / 10);
      }
      // Tile images are recoloured only when the range really changed.
      if (lo != st.scale.min || hi != st.scale.max) {
        st.scale.min = lo;
        st.scale.max = hi;
        ++st.colour_generation;
      }
    }
    const bool all_loaded = std::all_of(st.visible.begin(), st.visible.end(),
                                        [&](const TileKey& k) { return m_engine->find(k) != nullptr; });
    if (all_loaded) st.range_dirty = false;
    sync_toolbar();
  }
  update();
}

// ---- painting ----

namespace {

// The visible part of the map as one image at the data resolution, from cached tiles (for
// figures: one embedded image instead of many tiles).
struct Composite {
  QImage image;
  QRectF bp; // x = columns, y = rows, in bp
};

Composite compose(TileEngine& engine, const ViewState& st) {
  Composite out;
  const auto& bins = st.map()->bins();
  const auto bs = st.bin_size();
  const auto row_off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)];
  const auto col_off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_y)];
  const auto rn = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x) + 1] - row_off;
  const auto cn = bins.chrom_offset[static_cast<std::size_t>(st.chrom_y) + 1] - col_off;
  const auto r_lo = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(st.sx.start / bs)), 0, rn);
  const auto r_hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(st.sx.end / bs)), 0, rn);
  const auto c_lo = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(st.sy.start / bs)), 0, cn);
  const auto c_hi = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(st.sy.end / bs)), 0, cn);
  if (r_hi <= r_lo || c_hi <= c_lo) return out;
  const int w = static_cast<int>(c_hi - c_lo), h = static_cast<int>(r_hi - r_lo);
  std::vector<float> values(static_cast<std::size_t>(w) * static_cast<std::size_t>(h),
                            std::numeric_limits<float>::quiet_NaN());
  for (const auto& key : st.visible) {
    const auto tile = engine.find(key);
    if (!tile) continue;
    for (std::int64_t r = std::max(r_lo, tile->row_lo - row_off);
         r < std::min(r_hi, tile->row_lo - row_off + tile->rows); ++r)
      for (std::int64_t c = std::max(c_lo, tile->col_lo - col_off);
           c < std::min(c_hi, tile->col_lo - col_off + tile->cols); ++c)
        values[static_cast<std::size_t>((r - r_lo) * w + (c - c_lo))] = tile->at(r + row_off, c + col_off);
  }
  out.image = colorize(values, w, h, st.cmap, st.scale);
  out.bp = QRectF(static_cast<double>(c_lo * bs), static_cast<double>(r_lo * bs), static_cast<double>(w * bs),
                  static_cast<double>(h * bs));
  return out;
}

void draw_colorbar(QPainter& p, const QRectF& bar, const ViewState& st, double font_px, const QString& label,
                   double right_edge) {
  QLinearGradient g(bar.bottomLeft(), bar.topLeft());
  for (int i = 0; i <= 32; ++i)
    g.setColorAt(i / 32.0, QColor::fromRgb(st.cmap.at(i / 32.0)));
  p.setPen(QPen(Qt::black, 0.8));
  p.setBrush(g);
  p.drawRect(bar);
  p.setBrush(Qt::NoBrush);
  p.setFont(figure_font(font_px * 0.9));
  const QFontMetricsF fm(p.font());
  std::vector<double> ticks;
  if (st.scale.log && st.scale.min > 0 && st.scale.max > st.scale.min) {
    for (double e = std::ceil(std::log10(st.scale.min) - 1e-9); e <= std::log10(st.scale.max) + 1e-9; e += 1)
      ticks.push_back(std::pow(10.0, e));
    if (ticks.size() < 2) ticks = {st.scale.min, st.scale.max};
  } else {
    for (const auto& t : axis_ticks(st.scale.min, st.scale.max, 4))
      ticks.push_back(t.pos);
  }
  // The ends of the range are labelled too, unless a round tick sits right next to them.
  for (const double end : {st.scale.min, st.scale.max}) {
    const double te = st.scale.normalise(end);
    if (std::none_of(ticks.begin(), ticks.end(),
                     [&](double v) { return std::abs(st.scale.normalise(v) - te) < 0.12; }))
      ticks.push_back(end);
  }
  for (const double v : ticks) {
    const double t = st.scale.normalise(v);
    const double y = bar.bottom() - t * bar.height();
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
    p.drawText(QPointF(bar.right() + 6, y + fm.ascent() / 2 - 1), format_value(v));
  }
  // The caption starts at the bar and wraps within the space right of the map.
  p.drawText(QRectF(bar.left(), bar.bottom() + 6, std::max(60.0, right_edge - bar.left()), fm.height() * 2.4),
             Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, label);
}

} // namespace

void HicMapView::paint_map(QPainter& p, const QRectF& area, bool figure) const {
  const auto& st = *m_state;
  p.fillRect(area, Qt::white);
  const bool track = st.ready() && st.cis();
  const auto l = compute_layout(area, st, figure, track);
  const QFont font = figure_font(l.font_px);
  const QFontMetricsF fm(font);
  p.setFont(font);
  p.setPen(Qt::black);
  if (!st.ready()) {
    p.drawText(area, Qt::AlignCenter, "No Hi-C map loaded");
    return;
  }
  const auto bs = st.bin_size();
  if (figure) {
    p.setFont(figure_font(l.font_px * 1.1, true));
    QString region =
        format_region(st.chrom_name(st.chrom_x), std::llround(st.sx.start), std::llround(st.sx.end));
    if (!st.cis() || st.sx != st.sy)
      region += " × " +
                format_region(st.chrom_name(st.chrom_y), std::llround(st.sy.start), std::llround(st.sy.end));
    const QString file = QFileInfo(st.maps.uri.section("::", 0, 0)).fileName();
    const QString title =
        file + "  ·  " + region + "  ·  " + format_bin_size(bs) + "  ·  " + norm_label(st.norm);
    p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(title, Qt::ElideMiddle, l.title.width()));
    p.setFont(font);
  }
  const QRectF& m = l.map;
  // Heatmap: bins as sharp pixels, clipped to the chromosome.
  p.save();
  const double chrom_right = m.left() + bp_to_pixel(st.chrom_length(st.chrom_y), m.width(), st.sy);
  const double chrom_bottom = m.top() + bp_to_pixel(st.chrom_length(st.chrom_x), m.height(), st.sx);
  p.setClipRect(m.intersected(QRectF(m.left(), m.top(), chrom_right - m.left(), chrom_bottom - m.top())));
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.setRenderHint(QPainter::Antialiasing, false);
  auto& engine = *m_engine;
  if (st.res.too_fine) {
    p.drawText(m, Qt::AlignCenter | Qt::TextWordWrap,
               "Zoom in: the finest stored resolution (" + format_bin_size(bs) + ") would need more than " +
                   QString::number(k_max_bins) + " bins across the view");
  } else if (figure) {
    const auto c = compose(engine, st);
    if (!c.image.isNull()) {
      const double x0 = m.left() + bp_to_pixel(c.bp.left(), m.width(), st.sy);
      const double x1 = m.left() + bp_to_pixel(c.bp.right(), m.width(), st.sy);
      const double y0 = m.top() + bp_to_pixel(c.bp.top(), m.height(), st.sx);
      const double y1 = m.top() + bp_to_pixel(c.bp.bottom(), m.height(), st.sx);
      p.drawImage(QRectF(x0, y0, x1 - x0, y1 - y0), c.image);
    }
  } else {
    const auto& bins = st.map()->bins();
    const auto row_off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)];
    const auto col_off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_y)];
    bool missing = false;
    for (const auto& key : st.visible) {
      const auto tile = engine.find(key);
      if (!tile) {
        missing = true;
        continue;
      }
      if (tile->image_generation != st.colour_generation) {
        tile->image = colorize(tile->values, tile->cols, tile->rows, st.cmap, st.scale);
        tile->image_generation = st.colour_generation;
      }
      const double c0 = static_cast<double>((tile->col_lo - col_off) * bs);
      const double r0 = static_cast<double>((tile->row_lo - row_off) * bs);
      const double x0 = m.left() + bp_to_pixel(c0, m.width(), st.sy);
      const double x1 = m.left() + bp_to_pixel(c0 + static_cast<double>(tile->cols * bs), m.width(), st.sy);
      const double y0 = m.top() + bp_to_pixel(r0, m.height(), st.sx);
      const double y1 = m.top() + bp_to_pixel(r0 + static_cast<double>(tile->rows * bs), m.height(), st.sx);
      p.drawImage(QRectF(x0, y0, x1 - x0, y1 - y0), tile->image);
    }
    if (missing) {
      p.setPen(QColor(120, 120, 120));
      p.drawText(m.adjusted(6, 6, -6, -6), Qt::AlignRight | Qt::AlignTop, "loading…");
    }
  }
  p.restore();
  // Crosshair (linked position from the genome browser).
  if (st.crosshair) {
    p.save();
    p.setClipRect(m);
    p.setPen(QPen(QColor(30, 90, 200), 1.2, Qt::DashLine));
    const int c = st.find_chrom(st.crosshair->first);
    const auto pos = static_cast<double>(st.crosshair->second);
    if (c == st.chrom_y) {
      const double x = m.left() + bp_to_pixel(pos, m.width(), st.sy);
      p.drawLine(QPointF(x, m.top()), QPointF(x, m.bottom()));
    }
    if (c == st.chrom_x) {
      const double y = m.top() + bp_to_pixel(pos, m.height(), st.sx);
      p.drawLine(QPointF(m.left(), y), QPointF(m.right(), y));
    }
    p.restore();
  }
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(QPen(Qt::black, 1.0));
  p.setBrush(Qt::NoBrush);
  p.drawRect(m);
  // Axes: columns along the top, rows down the left side.
  const double label_w = fm.horizontalAdvance("000.00 Mb") + 10;
  const auto top_ticks =
      axis_ticks(st.sy.start, st.sy.end, std::max(2, static_cast<int>(m.width() / label_w)));
  for (const auto& t : top_ticks) {
    const double x = m.left() + bp_to_pixel(t.pos, m.width(), st.sy);
    p.drawLine(QPointF(x, m.top()), QPointF(x, m.top() - 4));
    const double tw = fm.horizontalAdvance(t.label);
    p.drawText(
        QPointF(std::clamp(x - tw / 2, m.left() - label_w / 2, m.right() - tw + label_w / 2), m.top() - 6),
        t.label);
  }
  p.drawText(QRectF(m.left(), m.top() - fm.height() * 2.4 - 6, m.width(), fm.height()), Qt::AlignHCenter,
             st.chrom_name(st.chrom_y));
  const auto left_ticks =
      axis_ticks(st.sx.start, st.sx.end, std::max(2, static_cast<int>(m.height() / (fm.height() * 2.5))));
  for (const auto& t : left_ticks) {
    const double y = m.top() + bp_to_pixel(t.pos, m.height(), st.sx);
    p.drawLine(QPointF(m.left(), y), QPointF(m.left() - 4, y));
    const double tw = fm.horizontalAdvance(t.label);
    p.drawText(QPointF(m.left() - 6 - tw, y + fm.ascent() / 2 - 1), t.label);
  }
  p.save();
  p.translate(m.left() - label_w - fm.height() * 0.6, m.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-m.height() / 2, -fm.height() / 2, m.height(), fm.height()), Qt::AlignCenter,
             st.chrom_name(st.chrom_x));
  p.restore();
  draw_colorbar(p, l.colorbar, st, l.font_px, norm_label(st.norm) + (st.scale.log ? " (log scale)" : ""),
                area.right() - 2);
  // Insulation track under the map, aligned with the columns.
  if (track) {
    const QRectF& tr = l.track;
    p.setPen(QPen(QColor(160, 160, 160), 0.8));
    p.drawRect(tr);
    const auto t = engine.track();
    const auto& bins = st.map()->bins();
    const auto off = bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)];
    QString caption = "insulation";
    if (t && t->key.res == static_cast<int>(st.res.index) && t->key.chrom == st.chrom_x &&
        t->key.norm == static_cast<int>(st.norm) && !t->score.empty()) {
      double lo = 0, hi = 0;
      bool any = false;
      for (const double v : t->score)
        if (std::isfinite(v)) {
          lo = any ? std::min(lo, v) : v;
          hi = any ? std::max(hi, v) : v;
          any = true;
        }
      if (any) {
        const double pad = std::max(1e-6, (hi - lo) * 0.08);
        lo -= pad;
        hi += pad;
        const auto xy = [&](std::size_t i, double v) {
          const double bp_mid =
              (static_cast<double>(t->key.lo - off + static_cast<std::int64_t>(i)) + 0.5) * bs;
          return QPointF(tr.left() + bp_to_pixel(bp_mid, tr.width(), st.sy),
                         tr.bottom() - (v - lo) / (hi - lo) * tr.height());
        };
        p.save();
        p.setClipRect(tr);
        if (lo < 0 && hi > 0) {
          p.setPen(QPen(QColor(190, 190, 190), 0.6, Qt::DotLine));
          const double y0 = tr.bottom() - (0 - lo) / (hi - lo) * tr.height();
          p.drawLine(QPointF(tr.left(), y0), QPointF(tr.right(), y0));
        }
        QPainterPath path;
        bool open = false;
        for (std::size_t i = 0; i < t->score.size(); ++i) {
          if (!std::isfinite(t->score[i])) {
            open = false;
            continue;
          }
          if (open)
            path.lineTo(xy(i, t->score[i]));
          else
            path.moveTo(xy(i, t->score[i]));
          open = true;
        }
        p.setPen(QPen(QColor(40, 40, 40), 1.2));
        p.drawPath(path);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(30, 90, 200));
        for (const auto& b : t->boundaries)
          p.drawEllipse(xy(static_cast<std::size_t>(b.bin), b.score), 2.6, 2.6);
        p.restore();
        caption = "insulation (log2, window " + format_bin_size(t->key.window * bs) + "); ● TAD boundaries";
      }
    }
    p.setPen(Qt::black);
    p.setFont(figure_font(l.font_px * 0.9));
    p.drawText(QRectF(tr.left(), tr.bottom() + 2, tr.width(), fm.height() * 1.2),
               Qt::AlignLeft | Qt::AlignTop, caption);
  }
}

void HicMapView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  paint_map(p, content_area(this, m_toolbar, m_state->hover_label), false);
}

void HicMapView::render_figure(QPainter& painter, const QRectF& target) const {
  painter.save();
  paint_map(painter, target, true);
  painter.restore();
}

void HicMapView::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  if (m_state->ready()) update_view(false);
}

// ---- interaction ----

QString HicMapView::describe_at(const QPointF& pos) const {
  const auto& st = *m_state;
  if (!st.ready() || st.res.too_fine) return {};
  const auto m = map_rect(content_area(this, m_toolbar, st.hover_label), st.cis());
  if (!m.contains(pos)) return {};
  const double row_bp = pixel_to_bp(pos.y() - m.top(), m.height(), st.sx);
  const double col_bp = pixel_to_bp(pos.x() - m.left(), m.width(), st.sy);
  if (row_bp < 0 || col_bp < 0 || row_bp >= st.chrom_length(st.chrom_x) ||
      col_bp >= st.chrom_length(st.chrom_y))
    return {};
  const auto bs = st.bin_size();
  const auto& bins = st.map()->bins();
  const auto r =
      bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)] + static_cast<std::int64_t>(row_bp) / bs;
  const auto c =
      bins.chrom_offset[static_cast<std::size_t>(st.chrom_y)] + static_cast<std::int64_t>(col_bp) / bs;
  const TileKey key{static_cast<int>(st.res.index),
                    static_cast<int>(st.norm),
                    st.chrom_x,
                    st.chrom_y,
                    (r - bins.chrom_offset[static_cast<std::size_t>(st.chrom_x)]) / k_tile_bins,
                    (c - bins.chrom_offset[static_cast<std::size_t>(st.chrom_y)]) / k_tile_bins};
  const auto tile = m_engine->find(key);
  if (!tile) return {};
  const auto ri = static_cast<std::size_t>(r), ci = static_cast<std::size_t>(c);
  return format_region(st.chrom_name(st.chrom_x), bins.start[ri], bins.end[ri]) + " × " +
         format_region(st.chrom_name(st.chrom_y), bins.start[ci], bins.end[ci]) + " value " +
         format_value(tile->at(r, c)) + " (" + norm_label(st.norm) + ")";
}

void HicMapView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && m_state->ready()) {
    m_dragging = true;
    m_drag_origin = e->position();
    setCursor(Qt::ClosedHandCursor);
  }
  QWidget::mousePressEvent(e);
}

void HicMapView::mouseMoveEvent(QMouseEvent* e) {
  auto& st = *m_state;
  if (m_dragging && st.ready()) {
    const auto m = map_rect(content_area(this, m_toolbar, st.hover_label), st.cis());
    const QPointF d = e->position() - m_drag_origin;
    m_drag_origin = e->position();
    st.sy = pan_span(st.sy, -d.x() / m.width() * st.sy.length(), st.chrom_length(st.chrom_y));
    st.sx = pan_span(st.sx, -d.y() / m.height() * st.sx.length(), st.chrom_length(st.chrom_x));
    update_view(true);
    return;
  }
  const QString text = describe_at(e->position());
  if (text != st.last_hover) {
    st.last_hover = text;
    st.hover_label->setText(text);
    if (!text.isEmpty()) {
      QToolTip::showText(e->globalPosition().toPoint(), text, this);
      Q_EMIT hovered(text);
    } else {
      QToolTip::hideText();
    }
  }
}

void HicMapView::mouseReleaseEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton) {
    m_dragging = false;
    unsetCursor();
  }
  QWidget::mouseReleaseEvent(e);
}

void HicMapView::wheelEvent(QWheelEvent* e) {
  auto& st = *m_state;
  if (!st.ready()) return;
  const auto m = map_rect(content_area(this, m_toolbar, st.hover_label), st.cis());
  const QPointF pos = m.contains(e->position()) ? e->position() : m.center();
  const double factor = std::pow(0.8, e->angleDelta().y() / 120.0);
  const double min_len = 10.0 * static_cast<double>(m_engine->bin_sizes().front());
  st.sy = zoom_span(st.sy, pixel_to_bp(pos.x() - m.left(), m.width(), st.sy), factor,
                    st.chrom_length(st.chrom_y), min_len);
  st.sx = zoom_span(st.sx, pixel_to_bp(pos.y() - m.top(), m.height(), st.sx), factor,
                    st.chrom_length(st.chrom_x), min_len);
  update_view(true);
  e->accept();
}

void HicMapView::leaveEvent(QEvent* e) {
  m_state->last_hover.clear();
  m_state->hover_label->clear();
  QWidget::leaveEvent(e);
}

// ---- sessions ----

QJsonObject HicMapView::save_state() const {
  const auto& st = *m_state;
  QJsonObject o;
  o["uri"] = st.maps.uri;
  if (st.ready()) {
    o["locus"] = QString::fromStdString(locus().to_string());
    o["locus_y"] = QString::fromStdString(locus_y().to_string());
  }
  o["normalisation"] = norm_name(st.norm);
  o["colormap"] = st.cmap.name();
  o["log"] = st.scale.log;
  o["auto_range"] = st.auto_range;
  o["percentile"] = st.percentile;
  o["min"] = st.scale.min;
  o["max"] = st.scale.max;
  if (st.crosshair)
    o["crosshair"] = QJsonArray{st.crosshair->first, static_cast<double>(st.crosshair->second)};
  return o;
}

void HicMapView::restore_state(const QJsonObject& o) {
  auto& st = *m_state;
  try {
    if (o.contains("colormap")) st.cmap = ColorMap::named(o["colormap"].toString());
    st.scale.log = o["log"].toBool(true);
    if (o["auto_range"].toBool(true)) {
      st.auto_range = true;
      st.percentile = o["percentile"].toDouble(98);
    } else {
      st.auto_range = false;
      st.scale.min = o["min"].toDouble();
      st.scale.max = o["max"].toDouble();
    }
    if (const auto ch = o["crosshair"].toArray(); ch.size() == 2)
      st.crosshair = std::make_pair(ch[0].toString(), static_cast<std::int64_t>(ch[1].toDouble()));
    ++st.colour_generation;
    const QString uri = o["uri"].toString();
    std::optional<std::pair<gc::genome::Region, std::optional<gc::genome::Region>>> locus;
    if (o.contains("locus"))
      locus = std::make_pair(gc::genome::parse_region(o["locus"].toString().toStdString()),
                             std::optional(gc::genome::parse_region(o["locus_y"].toString().toStdString())));
    const auto norm = parse_norm(o["normalisation"].toString());
    if (!uri.isEmpty() && uri != st.maps.uri) {
      st.pending_locus = locus;
      // The file's default normalisation is chosen on load; apply the saved one afterwards.
      if (norm) {
        const auto n = norm_name(*norm);
        connect(
            this, &HicMapView::map_loaded, this, [this, n] { set_normalisation(n); },
            Qt::SingleShotConnection);
      }
      open(uri);
      sync_toolbar();
      return;
    }
    if (norm) st.norm = *norm;
    if (locus) set_locus(locus->first, locus->second);
    st.range_dirty = true;
    update_view(false);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
  }
}

} // namespace gc::ui
