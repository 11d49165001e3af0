#include "gc/ui/chromatin/chromatin_view.h"

#include "gc/ui/chromatin/chromatin_renderer.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/hic/hic_open.h"
#include "gc/ui/hic/hic_state.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace gc::ui {

using namespace chromatin;

ChromatinView::ChromatinView(TaskRunner* tasks, QWidget* parent) : QWidget(parent), m_tasks(tasks) {
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

ChromatinView::~ChromatinView() {
  m_opening.cancel();
  m_computation.cancel();
}

void ChromatinView::fail(const QString& message) {
  m_status->setText("error");
  Q_EMIT error_occurred(message);
}

void ChromatinView::open(const QString& uri) {
  m_opening.cancel();
  m_status->setText("opening " + QFileInfo(uri.section("::", 0, 0)).fileName() + "…");
  m_opening = open_hic_resolutions(
      *m_tasks, this, uri, [this](gc::hic::Resolutions maps) { set_maps(maps); },
      [this](const QString& error) { fail(error); });
}

void ChromatinView::set_map(std::shared_ptr<const gc::hic::ContactMap> map) {
  set_maps(gc::hic::single_resolution(std::move(map)));
}

void ChromatinView::set_maps(const gc::hic::Resolutions& maps) {
  m_maps = maps;
  gc::hic::sort_by_bin_size(m_maps);
  m_state.uri = QString::fromStdString(m_maps.uri);
  m_structure = {};
  m_computation.cancel();
  m_computing = false;
  populate_chromosomes();
  const QString keep = m_state.chromosome;
  m_state.chromosome.clear();
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
    m_state.chromosome = chrom;
    return;
  }
  const auto& bins = m_maps.maps.front()->bins();
  const int index = hic_view::find_chrom(bins, chrom);
  if (index < 0) {
    Q_EMIT error_occurred("chromosome '" + chrom + "' is not in " + m_state.uri);
    return;
  }
  const QString name = QString::fromStdString(bins.chroms[static_cast<std::size_t>(index)].name);
  if (name == m_state.chromosome && (m_computing || m_structure.coords.rows() > 0)) return;
  m_state.chromosome = name;
  {
    const QSignalBlocker block(m_chrom_box);
    m_chrom_box->setCurrentText(name);
  }
  compute();
}

void ChromatinView::compute() {
  const std::string chrom = m_state.chromosome.toStdString();
  auto map = pick_map(m_maps, chrom, max_bins());
  if (!map) return;
  m_computation.cancel();
  const auto job = ++m_job;
  m_computing = true;
  m_status->setText("computing the 3D structure of " + m_state.chromosome + "…");
  TaskRunner::Options options;
  options.context = this;
  // Errors are this view's to report (error_occurred), as for the Hi-C view's tiles.
  options.quiet = true;
  options.on_error = [this](const QString& error) { fail(error); };
  options.on_finished = [this, job](TaskOutcome) {
    if (job == m_job) m_computing = false;
  };
  m_computation = m_tasks->run(
      "Computing the 3D structure of " + m_state.chromosome,
      [map, chrom](const gc::Progress& p) { return compute_structure(map, chrom, p); },
      [this](Structure s) {
        m_structure = std::move(s);
        show_structure();
        Q_EMIT structure_ready(m_state.chromosome);
      },
      std::move(options));
}

void ChromatinView::show_structure() {
  if (!m_structure.map || m_structure.coords.rows() == 0) return;
  const auto tube = make_tube(m_structure, m_state.highlight, m_state.by_track() ? &m_state.track : nullptr);
  m_vtk->set_tube(tube.points, tube.scalars, tube.highlight_first, tube.highlight_last);
  m_status->setText(
      QString::number(tube.points.size()) + " bins at " + QString::number(resolution() / 1000.0) + " kb" +
      (m_state.highlight && tube.highlight_last > tube.highlight_first ? ", locus in red" : ""));
}

void ChromatinView::set_highlight(const gc::genome::Region& locus) {
  m_state.highlight = locus;
  if (locus.chrom != m_state.chromosome.toStdString() && !m_maps.empty())
    set_chromosome(QString::fromStdString(locus.chrom));
  show_structure();
}

void ChromatinView::clear_highlight() {
  m_state.highlight.reset();
  show_structure();
}

void ChromatinView::set_colour_by(const QString& what) {
  if (!is_colouring(what)) {
    Q_EMIT error_occurred("unknown colouring '" + what + "' (use position or track)");
    return;
  }
  m_state.colour_by = what;
  {
    const QSignalBlocker block(m_colour_box);
    m_colour_box->setCurrentIndex(m_colour_box->findData(what));
  }
  show_structure();
}

void ChromatinView::set_track(const std::vector<double>& values, const QString& name) {
  m_state.track = values;
  m_state.track_name = name;
  show_structure();
}

void ChromatinView::render_figure(QPainter& painter, const QRectF& target) const {
  paint_chromatin_figure(painter, target, m_state, resolution(), m_vtk->grabFramebuffer());
}

QJsonObject ChromatinView::save_state() const { return to_json(m_state); }

void ChromatinView::restore_state(const QJsonObject& o) {
  try {
    const QString current_uri = m_state.uri;
    ChromatinState next = m_state;
    read_json(o, next);
    const QString chrom = next.chromosome;
    // The chromosome is chosen through set_chromosome (it resolves the name and computes).
    next.chromosome = m_state.chromosome;
    next.uri = current_uri;
    m_state = next;
    const QString uri = o["uri"].toString();
    if (!uri.isEmpty() && uri != current_uri) {
      m_state.chromosome = chrom; // set_maps keeps it when the file has it
      open(uri);
      return;
    }
    {
      const QSignalBlocker block(m_colour_box);
      m_colour_box->setCurrentIndex(m_colour_box->findData(m_state.colour_by));
    }
    if (!chrom.isEmpty()) set_chromosome(chrom);
    show_structure();
  } catch (const std::exception& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
  }
}

} // namespace gc::ui
