#include "gc/ui/hic/hic_map_view.h"

#include "gc/ui/hic/hic_open.h"
#include "gc/ui/hic/tile_engine.h"
#include "hic_toolbar.h"

#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace gc::ui {

using namespace hic_view;

HicMapView::HicMapView(TaskRunner* tasks, QWidget* parent)
    : QWidget(parent), m_tasks(tasks), m_engine(std::make_unique<TileEngine>(*tasks)),
      m_toolbar(new HicToolbar(this)), m_hover_label(new QLabel(this)), m_track_timer(new QTimer(this)) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMinimumSize(320, 320);
  m_hover_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->setSpacing(0);
  outer->addWidget(m_toolbar);
  outer->addStretch(1);
  outer->addWidget(m_hover_label);
  connect(m_toolbar, &HicToolbar::normalisation_chosen, this, &HicMapView::set_normalisation);
  connect(m_toolbar, &HicToolbar::colormap_chosen, this, &HicMapView::set_colormap);
  connect(m_toolbar, &HicToolbar::log_toggled, this, &HicMapView::set_log_scale);
  connect(m_toolbar, &HicToolbar::auto_range_chosen, this, [this] { set_auto_range(m_state.percentile); });
  connect(m_toolbar, &HicToolbar::range_chosen, this, &HicMapView::set_range);
  sync_toolbar();

  // The insulation track is requested once the view has settled (it reads a whole band).
  m_track_timer->setSingleShot(true);
  m_track_timer->setInterval(120);
  connect(m_track_timer, &QTimer::timeout, this, [this] {
    if (ready() && m_frame.track) m_engine->request_track(*m_frame.track);
  });
  // The track may already be current (or not wanted): then the view can be complete right away.
  connect(m_track_timer, &QTimer::timeout, this, &HicMapView::report_if_complete, Qt::QueuedConnection);
  connect(m_engine.get(), &TileEngine::tiles_arrived, this, &HicMapView::on_tiles_changed);
  connect(m_engine.get(), &TileEngine::track_arrived, this, [this] { update(); });
  connect(m_engine.get(), &TileEngine::failed, this, [this](const QString& message) {
    Q_EMIT error_occurred(message);
    update();
  });
  connect(m_engine.get(), &TileEngine::idle, this, &HicMapView::report_if_complete);
}

HicMapView::~HicMapView() { m_opening.cancel(); }

// ---- data ----

void HicMapView::open(const QString& uri) {
  m_opening.cancel();
  m_opening = open_hic_resolutions(
      *m_tasks, this, uri, [this](gc::hic::Resolutions maps) { show_maps(maps); },
      [this](const QString& error) { Q_EMIT error_occurred(error); });
}

void HicMapView::set_map(std::shared_ptr<const gc::hic::ContactMap> map) {
  set_maps(gc::hic::single_resolution(std::move(map)));
}

void HicMapView::set_maps(const gc::hic::Resolutions& maps) {
  m_opening.cancel(); // a pending open() must not replace these maps
  if (maps.has_file_weights || maps.empty()) {
    show_maps(maps);
    return;
  }
  // The stored normalisations decide the default; listing them reads the file, so on a worker.
  show_maps({});
  TaskRunner::Options options;
  options.context = this;
  options.quiet = true;
  m_opening = m_tasks->run(
      "Reading the stored normalisations",
      [maps](const gc::Progress&) {
        auto probed = maps;
        try {
          gc::hic::probe_file_weights(probed);
        } catch (const std::exception&) {
          probed.has_file_weights = false; // no readable weights: raw counts
        }
        return probed;
      },
      [this](gc::hic::Resolutions probed) { show_maps(probed); }, std::move(options));
}

void HicMapView::show_maps(const gc::hic::Resolutions& maps) {
  m_maps = maps;
  gc::hic::sort_by_bin_size(m_maps);
  m_engine->set_maps(m_maps.maps);
  m_state.chrom_x = m_state.chrom_y = -1;
  m_frame = {};
  m_range_dirty = true;
  if (!m_maps.empty()) {
    m_state.uri = QString::fromStdString(m_maps.uri);
    m_state.norm = m_pending_norm.value_or(default_normalisation(m_maps));
    m_pending_norm.reset();
    if (m_pending_locus) {
      const auto [x, y] = *m_pending_locus;
      m_pending_locus.reset();
      set_locus(x, y);
    }
    const auto& bins = m_maps.maps.front()->bins();
    if (!m_state.has_locus() && !bins.chroms.empty()) {
      m_state.chrom_x = m_state.chrom_y = 0;
      m_state.sx = m_state.sy = {0, chrom_length(bins, 0)};
      update_view(false);
    }
    Q_EMIT map_loaded();
  }
  sync_toolbar();
  update();
}

// ---- settings ----

void HicMapView::set_locus(const gc::genome::Region& x, std::optional<gc::genome::Region> y) {
  if (m_maps.empty()) {
    m_pending_locus = std::make_pair(x, y.value_or(x));
    return;
  }
  if (const auto unknown = hic_view::set_locus(m_state, m_maps.maps.front()->bins(), x, y.value_or(x))) {
    Q_EMIT error_occurred("chromosome '" + *unknown + "' is not in " + m_state.uri);
    return;
  }
  m_range_dirty = true;
  update_view(false);
}

gc::genome::Region HicMapView::locus() const {
  return ready() ? locus_x(m_state, m_maps.maps.front()->bins()) : gc::genome::Region{};
}

gc::genome::Region HicMapView::locus_y() const {
  return ready() ? hic_view::locus_y(m_state, m_maps.maps.front()->bins()) : gc::genome::Region{};
}

void HicMapView::set_normalisation(const QString& name) {
  const auto norm = parse_normalisation(name);
  if (!norm) {
    Q_EMIT error_occurred("unknown normalisation '" + name + "' (use " + normalisations().join(", ") + ")");
    sync_toolbar();
    return;
  }
  if (*norm == m_state.norm) return;
  m_state.norm = *norm;
  m_range_dirty = true;
  update_view(false);
}

QString HicMapView::normalisation() const { return normalisation_name(m_state.norm); }

void HicMapView::colours_changed() {
  ++m_colour_generation;
  sync_toolbar();
  update();
}

void HicMapView::set_colormap(const QString& name) {
  try {
    m_state.cmap = ColorMap::named(name);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
  }
  colours_changed();
}

void HicMapView::set_log_scale(bool log) {
  m_state.scale.log = log;
  if (m_state.auto_range) m_range_dirty = true;
  on_tiles_changed();
  colours_changed();
}

void HicMapView::set_range(double min, double max) {
  m_state.auto_range = false;
  m_range_dirty = false;
  m_state.scale.min = min;
  m_state.scale.max = std::max(max, min);
  colours_changed();
}

void HicMapView::set_auto_range(double percentile) {
  m_state.auto_range = true;
  m_state.percentile = std::clamp(percentile, 1.0, 100.0);
  m_range_dirty = true;
  on_tiles_changed();
  sync_toolbar();
}

void HicMapView::set_crosshair(const QString& chrom, std::int64_t pos) {
  m_state.crosshair = Crosshair{chrom, pos};
  update();
}

void HicMapView::clear_crosshair() {
  m_state.crosshair.reset();
  update();
}

void HicMapView::sync_toolbar() {
  const QString res = !ready() ? QString("no map")
                               : "resolution " + format_bin_size(m_frame.bin_size) +
                                     (m_frame.res.too_fine ? " (zoom in)" : "");
  m_toolbar->show_state(m_state, res);
}

// ---- queries ----

std::int64_t HicMapView::resolution() const noexcept { return ready() ? m_frame.bin_size : 0; }

bool HicMapView::loading() const { return m_engine->busy() || m_track_timer->isActive(); }

int HicMapView::tiles_in_flight() const { return static_cast<int>(m_engine->pending_tiles()); }

HicMapView::Stats HicMapView::stats() const {
  const auto& s = m_engine->stats();
  return {s.requested, s.loaded, s.cancelled, s.mirrored, s.cache_hits};
}

QRectF HicMapView::content_area() const {
  return QRectF(0, m_toolbar->height(), width(), height() - m_toolbar->height() - m_hover_label->height());
}

QRectF HicMapView::heatmap_rect() const { return hic_view::heatmap_rect(content_area(), m_state); }

HicScene HicMapView::scene() const {
  auto* engine = m_engine.get();
  return {m_state,           m_maps,
          m_frame,           [engine](const TileKey& key) { return engine->find(key); },
          m_engine->track(), m_colour_generation};
}

QString HicMapView::describe_at(const QPointF& pos) const {
  return hic_view::describe_at(scene(), heatmap_rect(), pos);
}

// ---- view updates ----

void HicMapView::update_view(bool emit_locus) {
  m_complete_reported = false;
  if (!ready()) {
    update();
    return;
  }
  const auto previous = m_frame.res.index;
  m_frame = frame_for(m_state, m_maps, heatmap_rect().width());
  if (m_frame.res.index != previous && m_state.auto_range) m_range_dirty = true;
  auto keys = m_frame.visible;
  keys.insert(keys.end(), m_frame.prefetch.begin(), m_frame.prefetch.end());
  m_engine->request(keys);
  if (m_frame.track) m_track_timer->start();
  if (m_range_dirty) on_tiles_changed();
  sync_toolbar();
  if (emit_locus) Q_EMIT locus_changed(locus());
  update();
}

void HicMapView::on_tiles_changed() {
  if (ready() && m_state.auto_range && m_range_dirty && !m_frame.visible.empty()) {
    if (const auto range =
            auto_colour_range(visible_values(scene()), m_state.percentile, m_state.scale.log)) {
      // Tile images are recoloured only when the range really changed.
      if (range->first != m_state.scale.min || range->second != m_state.scale.max) {
        m_state.scale.min = range->first;
        m_state.scale.max = range->second;
        ++m_colour_generation;
      }
    }
    const bool all_loaded = std::all_of(m_frame.visible.begin(), m_frame.visible.end(),
                                        [&](const TileKey& k) { return m_engine->find(k) != nullptr; });
    if (all_loaded) m_range_dirty = false;
    sync_toolbar();
  }
  update();
}

void HicMapView::report_if_complete() {
  if (ready() && !m_complete_reported && !m_track_timer->isActive() && !m_engine->busy()) {
    m_complete_reported = true;
    on_tiles_changed();
    Q_EMIT view_complete();
  }
}

// ---- painting ----

void HicMapView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  paint_hic(p, content_area(), scene(), false);
}

void HicMapView::render_figure(QPainter& painter, const QRectF& target) const {
  painter.save();
  paint_hic(painter, target, scene(), true);
  painter.restore();
}

void HicMapView::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  if (ready()) update_view(false);
}

// ---- interaction ----

void HicMapView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && ready()) {
    m_dragging = true;
    m_drag_origin = e->position();
    setCursor(Qt::ClosedHandCursor);
  }
  QWidget::mousePressEvent(e);
}

void HicMapView::mouseMoveEvent(QMouseEvent* e) {
  if (m_dragging && ready()) {
    const auto m = heatmap_rect();
    const auto& bins = m_maps.maps.front()->bins();
    const QPointF d = e->position() - m_drag_origin;
    m_drag_origin = e->position();
    m_state.sy =
        pan_span(m_state.sy, -d.x() / m.width() * m_state.sy.length(), chrom_length(bins, m_state.chrom_y));
    m_state.sx =
        pan_span(m_state.sx, -d.y() / m.height() * m_state.sx.length(), chrom_length(bins, m_state.chrom_x));
    update_view(true);
    return;
  }
  const QString text = describe_at(e->position());
  if (text == m_last_hover) return;
  m_last_hover = text;
  m_hover_label->setText(text);
  if (!text.isEmpty()) {
    QToolTip::showText(e->globalPosition().toPoint(), text, this);
    Q_EMIT hovered(text);
  } else {
    QToolTip::hideText();
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
  if (!ready()) return;
  const auto m = heatmap_rect();
  const auto& bins = m_maps.maps.front()->bins();
  const QPointF pos = m.contains(e->position()) ? e->position() : m.center();
  const double factor = std::pow(0.8, e->angleDelta().y() / 120.0);
  const double min_len = 10.0 * static_cast<double>(bins.bin_size);
  m_state.sy = zoom_span(m_state.sy, pixel_to_bp(pos.x() - m.left(), m.width(), m_state.sy), factor,
                         chrom_length(bins, m_state.chrom_y), min_len);
  m_state.sx = zoom_span(m_state.sx, pixel_to_bp(pos.y() - m.top(), m.height(), m_state.sx), factor,
                         chrom_length(bins, m_state.chrom_x), min_len);
  update_view(true);
  e->accept();
}

void HicMapView::leaveEvent(QEvent* e) {
  m_last_hover.clear();
  m_hover_label->clear();
  QWidget::leaveEvent(e);
}

// ---- sessions ----

QJsonObject HicMapView::save_state() const {
  return to_json(m_state, m_maps.empty() ? nullptr : &m_maps.maps.front()->bins());
}

void HicMapView::restore_state(const QJsonObject& o) {
  try {
    const QString uri = o["uri"].toString();
    const bool reopen = !uri.isEmpty() && uri != QString::fromStdString(m_maps.uri);
    const auto request = read_json(o, m_state);
    ++m_colour_generation;
    if (reopen) {
      // The file's default normalisation is chosen on load; the saved one replaces it then.
      m_pending_locus = request.locus;
      m_pending_norm = request.norm;
      open(uri);
      sync_toolbar();
      return;
    }
    if (request.norm) m_state.norm = *request.norm;
    if (request.locus) set_locus(request.locus->first, request.locus->second);
    m_range_dirty = true;
    update_view(false);
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
  }
}

} // namespace gc::ui
