#include "gc/ui/chromatin_view.h"

#include "gc/hic/analysis.h"
#include "gc/hic/query.h"
#include "gc/ui/colormap.h"
#include "gc/ui/vtk_view.h"
#include "gc/util/error.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace gc::ui {
namespace {

struct StructureResult {
  Eigen::MatrixX3d coords;
  std::shared_ptr<const gc::hic::ContactMap> map;
  std::int64_t first_bin = 0;
  QString error;
};

// The finest resolution with at most `max_bins` bins on the chromosome (MDS is cubic in bins).
std::shared_ptr<const gc::hic::ContactMap> pick_map(const HicResolutions& maps, int max_bins,
                                                    const std::string& chrom) {
  for (const auto& m : maps.maps) {
    const int c = m->bins().chrom_index(chrom);
    if (c < 0) continue;
    const auto r = gc::hic::chromosome_range(m->bins(), c);
    if (r.size() <= max_bins) return m;
  }
  return maps.maps.empty() ? nullptr : maps.maps.back();
}

StructureResult compute_structure(std::shared_ptr<const gc::hic::ContactMap> map, const std::string& chrom) {
  StructureResult out;
  out.map = map;
  const int c = map->bins().chrom_index(chrom);
  if (c < 0) throw InputError("chromosome '" + chrom + "' is not in " + map->source());
  const auto range = gc::hic::chromosome_range(map->bins(), c);
  out.first_bin = range.lo;
  gc::hic::QueryOptions opt;
  // Balanced contacts when the file stores weights; raw counts otherwise.
  const auto names = map->weight_names();
  if (std::find(names.begin(), names.end(), map->default_weight_name()) != names.end())
    opt.weights = map->weights(map->default_weight_name());
  const Eigen::MatrixXd contacts = gc::hic::fetch_dense(*map, range, range, opt);
  out.coords = gc::hic::structure_3d(contacts);
  return out;
}

} // namespace

ChromatinView::ChromatinView(QWidget* parent) : QWidget(parent) {
  auto* bar = new QWidget(this);
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(4, 2, 4, 2);
  m_chrom_box = new QComboBox(bar);
  m_chrom_box->setToolTip("Chromosome");
  m_chrom_box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_colour_box = new QComboBox(bar);
  m_colour_box->addItem("colour by position", "position");
  m_colour_box->addItem("colour by track", "track");
  m_status = new QLabel(bar);
  row->addWidget(new QLabel("Chromosome", bar));
  row->addWidget(m_chrom_box);
  row->addWidget(m_colour_box);
  row->addWidget(m_status, 1);
  m_vtk = new VtkView(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(bar);
  layout->addWidget(m_vtk, 1);
  connect(m_chrom_box, &QComboBox::activated, this,
          [this](int i) { set_chromosome(m_chrom_box->itemText(i)); });
  connect(m_colour_box, &QComboBox::activated, this,
          [this](int i) { set_colour_by(m_colour_box->itemData(i).toString()); });
  m_status->setText("no map");
}

ChromatinView::~ChromatinView() = default;

void ChromatinView::open(const QString& uri) {
  const auto generation = ++m_generation;
  m_status->setText("opening " + QFileInfo(uri.section("::", 0, 0)).fileName() + "…");
  open_hic_resolutions_async(this, uri, [this, generation](const HicResolutions& maps, const QString& error) {
    if (generation != m_generation) return;
    if (!error.isEmpty()) {
      m_status->setText("error");
      Q_EMIT error_occurred(error);
    } else {
      set_maps(maps);
    }
  });
}

void ChromatinView::set_map(std::shared_ptr<const gc::hic::ContactMap> map) {
  set_maps(single_resolution(std::move(map)));
}

void ChromatinView::set_maps(const HicResolutions& maps) {
  m_maps = maps;
  std::sort(m_maps.maps.begin(), m_maps.maps.end(),
            [](const auto& a, const auto& b) { return a->bins().bin_size < b->bins().bin_size; });
  m_coords.resize(0, 3);
  m_shown_map.reset();
  populate_chromosomes();
  const QString keep = m_chrom;
  m_chrom.clear();
  if (m_maps.empty()) {
    m_vtk->set_tube({}, {});
    m_status->setText("no map");
    return;
  }
  const auto& chroms = m_maps.maps.front()->bins().chroms;
  const bool known = std::any_of(chroms.begin(), chroms.end(),
                                 [&](const auto& c) { return QString::fromStdString(c.name) == keep; });
  set_chromosome(known ? keep : QString::fromStdString(chroms.front().name));
}

void ChromatinView::populate_chromosomes() {
  const QSignalBlocker block(m_chrom_box);
  m_chrom_box->clear();
  if (m_maps.empty()) return;
  for (const auto& c : m_maps.maps.front()->bins().chroms)
    m_chrom_box->addItem(QString::fromStdString(c.name));
}

void ChromatinView::set_chromosome(const QString& chrom) {
  if (m_maps.empty()) {
    m_chrom = chrom;
    return;
  }
  QString name = chrom;
  const auto& bins = m_maps.maps.front()->bins();
  if (bins.chrom_index(name.toStdString()) < 0) {
    const QString alt = name.startsWith("chr") ? name.mid(3) : "chr" + name;
    if (bins.chrom_index(alt.toStdString()) < 0) {
      Q_EMIT error_occurred("chromosome '" + chrom + "' is not in " + m_maps.uri);
      return;
    }
    name = alt;
  }
  if (name == m_chrom && (m_computing || m_coords.rows() > 0)) return;
  m_chrom = name;
  {
    const QSignalBlocker block(m_chrom_box);
    m_chrom_box->setCurrentText(name);
  }
  compute();
}

QString ChromatinView::chromosome() const { return m_chrom; }

void ChromatinView::compute() {
  const auto generation = ++m_generation;
  auto map = pick_map(m_maps, max_bins(), m_chrom.toStdString());
  if (!map) return;
  m_computing = true;
  m_status->setText("computing the 3D structure of " + m_chrom + "…");
  auto* watcher = new QFutureWatcher<StructureResult>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    if (generation != m_generation) return;
    m_computing = false;
    auto result = watcher->result();
    if (!result.error.isEmpty()) {
      m_status->setText("error");
      Q_EMIT error_occurred(result.error);
      return;
    }
    m_coords = std::move(result.coords);
    m_shown_map = std::move(result.map);
    m_first_bin = result.first_bin;
    show_structure();
    Q_EMIT structure_ready(m_chrom);
  });
  const std::string chrom = m_chrom.toStdString();
  watcher->setFuture(QtConcurrent::run([map, chrom]() -> StructureResult {
    try {
      return compute_structure(map, chrom);
    } catch (const std::exception& e) {
      StructureResult r;
      r.error = QString::fromStdString(e.what());
      return r;
    }
  }));
}

std::int64_t ChromatinView::resolution() const noexcept {
  return m_shown_map ? m_shown_map->bins().bin_size : 0;
}

void ChromatinView::show_structure() {
  if (!m_shown_map || m_coords.rows() == 0) return;
  const auto& bins = m_shown_map->bins();
  std::vector<std::array<double, 3>> points;
  std::vector<double> scalars;
  std::size_t hl_first = 0, hl_last = 0;
  bool in_highlight = false;
  const bool by_track = m_colour_by == "track" && !m_track.empty();
  const auto n = m_coords.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!m_coords.row(i).allFinite()) continue; // masked bins have no position
    const auto bin = static_cast<std::size_t>(m_first_bin + i);
    const bool hl =
        m_highlight && m_highlight->overlaps(m_chrom.toStdString(), bins.start[bin], bins.end[bin]);
    if (hl && !in_highlight) hl_first = points.size();
    if (hl) hl_last = points.size() + 1;
    in_highlight = in_highlight || hl;
    points.push_back({m_coords(i, 0), m_coords(i, 1), m_coords(i, 2)});
    if (by_track) {
      // One value per bin at this resolution, or resampled by relative position.
      const auto k = static_cast<std::size_t>(
          m_track.size() == static_cast<std::size_t>(n)
              ? i
              : std::min<Eigen::Index>(static_cast<Eigen::Index>(m_track.size()) - 1,
                                       i * static_cast<Eigen::Index>(m_track.size()) / n));
      scalars.push_back(std::isfinite(m_track[k]) ? m_track[k] : 0.0);
    } else {
      scalars.push_back(static_cast<double>(i) / std::max<Eigen::Index>(1, n - 1));
    }
  }
  // A light [1 2 1] smoothing along the chain: MDS puts single bins off by noise, and the
  // smoothed path reads better while keeping the fold (structure() keeps the raw coordinates).
  if (points.size() >= 3) {
    auto smooth = points;
    for (std::size_t k = 1; k + 1 < points.size(); ++k)
      for (std::size_t d = 0; d < 3; ++d)
        smooth[k][d] = 0.25 * points[k - 1][d] + 0.5 * points[k][d] + 0.25 * points[k + 1][d];
    points = std::move(smooth);
  }
  m_vtk->set_tube(points, scalars, hl_first, hl_last);
  m_status->setText(QString::number(points.size()) + " bins at " + QString::number(resolution() / 1000.0) +
                    " kb" + (m_highlight && hl_last > hl_first ? ", locus in red" : ""));
}

void ChromatinView::set_highlight(const gc::genome::Region& locus) {
  m_highlight = locus;
  if (locus.chrom != m_chrom.toStdString() && !m_maps.empty())
    set_chromosome(QString::fromStdString(locus.chrom));
  show_structure();
}

void ChromatinView::clear_highlight() {
  m_highlight.reset();
  show_structure();
}

void ChromatinView::set_colour_by(const QString& what) {
  if (what != "position" && what != "track") {
    Q_EMIT error_occurred("unknown colouring '" + what + "' (use position or track)");
    return;
  }
  m_colour_by = what;
  {
    const QSignalBlocker block(m_colour_box);
    m_colour_box->setCurrentIndex(m_colour_box->findData(what));
  }
  show_structure();
}

void ChromatinView::set_track(const std::vector<double>& values, const QString& name) {
  m_track = values;
  m_track_name = name;
  show_structure();
}

QString ChromatinView::title() const {
  QString t = m_chrom.isEmpty() ? QString("3D chromatin") : m_chrom + " 3D structure";
  if (!m_maps.uri.isEmpty()) t += "  ·  " + QFileInfo(m_maps.uri.section("::", 0, 0)).fileName();
  if (resolution() > 0) t += "  ·  " + QString::number(resolution() / 1000.0) + " kb bins";
  if (m_highlight) t += "  ·  red: " + QString::fromStdString(m_highlight->to_string());
  return t;
}

void ChromatinView::render_figure(QPainter& painter, const QRectF& target) const {
  painter.save();
  painter.fillRect(target, Qt::white);
  QFont font;
  font.setFamily("DejaVu Sans");
  font.setPixelSize(static_cast<int>(std::clamp(target.width() / 50.0, 9.0, 14.0)));
  painter.setFont(font);
  const QFontMetricsF fm(font);
  const QRectF title_rect(target.left() + 4, target.top() + 2, target.width() - 8, fm.height() * 1.4);
  painter.setPen(Qt::black);
  painter.drawText(title_rect, Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(title(), Qt::ElideMiddle, title_rect.width()));
  // Colour legend: viridis from the chromosome's start to its end (or the track's range).
  const QRectF legend(target.left() + 8, target.bottom() - fm.height() * 2.2,
                      std::min(160.0, target.width() / 3), fm.height() * 0.7);
  QLinearGradient g(legend.topLeft(), legend.topRight());
  const auto viridis = ColorMap::named("viridis");
  for (int i = 0; i <= 16; ++i)
    g.setColorAt(i / 16.0, QColor::fromRgb(viridis.at(i / 16.0)));
  painter.setPen(QPen(Qt::black, 0.6));
  painter.setBrush(g);
  painter.drawRect(legend);
  painter.setBrush(Qt::NoBrush);
  const bool by_track = m_colour_by == "track" && !m_track.empty();
  painter.drawText(QPointF(legend.left(), legend.bottom() + fm.ascent() + 1),
                   by_track ? (m_track_name.isEmpty() ? "track low" : m_track_name + " low") : "start");
  const QString right = by_track ? "high" : "end";
  painter.drawText(QPointF(legend.right() - fm.horizontalAdvance(right), legend.bottom() + fm.ascent() + 1),
                   right);
  const QRectF area(target.left(), title_rect.bottom() + 2, target.width(),
                    legend.top() - 6 - (title_rect.bottom() + 2));
  const QImage frame = m_vtk->grabFramebuffer();
  if (!frame.isNull() && area.height() > 4) {
    QSizeF s = frame.size();
    s.scale(area.size(), Qt::KeepAspectRatio);
    const QRectF dst(area.center().x() - s.width() / 2, area.center().y() - s.height() / 2, s.width(),
                     s.height());
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter.drawImage(dst, frame);
  }
  painter.restore();
}

QJsonObject ChromatinView::save_state() const {
  QJsonObject o;
  o["uri"] = m_maps.uri;
  o["chromosome"] = m_chrom;
  o["colour_by"] = m_colour_by;
  if (m_highlight) o["highlight"] = QString::fromStdString(m_highlight->to_string());
  return o;
}

void ChromatinView::restore_state(const QJsonObject& o) {
  try {
    m_colour_by = o["colour_by"].toString("position");
    if (o.contains("highlight"))
      m_highlight = gc::genome::parse_region(o["highlight"].toString().toStdString());
    else
      m_highlight.reset();
    const QString chrom = o["chromosome"].toString();
    const QString uri = o["uri"].toString();
    if (!uri.isEmpty() && uri != m_maps.uri) {
      m_chrom = chrom; // set_maps keeps it when the file has it
      open(uri);
      return;
    }
    if (!chrom.isEmpty()) set_chromosome(chrom);
    show_structure();
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
  }
}

} // namespace gc::ui
