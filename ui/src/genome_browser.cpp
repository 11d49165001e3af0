#include "gc/ui/genome_browser.h"

#include "gc/ui/workspace.h"
#include "gc/util/error.h"

#include <QCompleter>
#include <QContextMenuEvent>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStringListModel>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace gc::ui {

namespace browser {

double bp_per_pixel(std::int64_t start, std::int64_t end, double width_px) noexcept {
  return static_cast<double>(std::max<std::int64_t>(1, end - start)) / std::max(1.0, width_px);
}

std::pair<std::int64_t, std::int64_t> zoom(std::int64_t start, std::int64_t end, double factor, double anchor,
                                           std::int64_t chrom_length) noexcept {
  const double width = static_cast<double>(end - start);
  const std::int64_t max_width = std::max<std::int64_t>(min_window_bp, chrom_length);
  std::int64_t new_width = std::llround(width * factor);
  new_width = std::clamp<std::int64_t>(new_width, std::min(min_window_bp, max_width), max_width);
  const double pivot = static_cast<double>(start) + std::clamp(anchor, 0.0, 1.0) * width;
  std::int64_t s = std::llround(pivot - std::clamp(anchor, 0.0, 1.0) * static_cast<double>(new_width));
  return pan(s, s + new_width, 0, chrom_length);
}

std::pair<std::int64_t, std::int64_t> pan(std::int64_t start, std::int64_t end, std::int64_t delta,
                                          std::int64_t chrom_length) noexcept {
  const std::int64_t width = end - start;
  std::int64_t s = start + delta;
  if (chrom_length > 0) s = std::min(s, chrom_length - width);
  s = std::max<std::int64_t>(0, s);
  return {s, s + width};
}

std::int64_t tick_step(double bp_per_px, double min_px) noexcept {
  const double wanted = bp_per_px * min_px;
  std::int64_t step = 1;
  for (;;) {
    for (const std::int64_t m : {1, 2, 5})
      if (static_cast<double>(step * m) >= wanted) return step * m;
    if (step > std::int64_t(1) << 50) return step;
    step *= 10;
  }
}

QString tick_label(std::int64_t pos, std::int64_t step) {
  if (step >= 1'000'000 || (pos >= 1'000'000 && step >= 100'000))
    return QString::number(pos / 1e6, 'f', step % 1'000'000 == 0 ? 0 : step % 100'000 == 0 ? 1 : 2) + " Mb";
  if (step >= 1'000) return QString::number(pos / 1e3, 'f', step % 1'000 == 0 ? 0 : 1) + " kb";
  return QLocale(QLocale::English).toString(static_cast<qlonglong>(pos)) + " bp";
}

} // namespace browser

namespace {
constexpr double gutter = 118.0; // track labels
constexpr double right_margin = 10.0;
constexpr double header_h = 22.0; // locus title
constexpr double ruler_h = 30.0;
constexpr double sequence_h = 20.0;
constexpr double gene_row_h = 28.0;
constexpr double bed_row_h = 22.0;
constexpr double signal_h = 54.0;
constexpr double variant_h = 48.0;
constexpr double track_gap = 6.0;
constexpr int max_rows = 8;
constexpr double collapsed_row_h = 12.0;
// Above this many transcripts in view, genes are drawn as single boxes without names.
constexpr std::size_t detail_limit = 250;

QColor base_colour(char b) {
  switch (b) {
  case 'A':
  case 'a': return {0, 150, 0};
  case 'C':
  case 'c': return {0, 0, 200};
  case 'G':
  case 'g': return {209, 113, 5};
  case 'T':
  case 't': return {212, 0, 0};
  default: return {140, 140, 140};
  }
}

const QColor gene_colour(20, 60, 140);
const QColor bed_colour(60, 110, 60);
const QColor signal_colour(60, 90, 180);
const QColor variant_colour(170, 40, 110);
const QColor axis_colour(70, 70, 70);

struct Mapper {
  double left, width;
  std::int64_t start, end;
  [[nodiscard]] double x(double pos) const {
    return left + (pos - static_cast<double>(start)) / static_cast<double>(end - start) * width;
  }
  [[nodiscard]] double bpp() const { return browser::bp_per_pixel(start, end, width); }
};

// Greedy row assignment of pixel spans; returns the row of each span. Spans that fit in none of
// the max_rows rows get max_rows - 1 + max_rows: drawn in the last row, without a label.
std::vector<int> pack(const std::vector<std::pair<double, double>>& spans, int& rows) {
  std::vector<double> row_end;
  std::vector<int> out;
  for (const auto& [a, b] : spans) {
    int row = -1;
    for (std::size_t r = 0; r < row_end.size(); ++r)
      if (row_end[r] + 6.0 < a) {
        row = static_cast<int>(r);
        break;
      }
    if (row < 0) {
      if (static_cast<int>(row_end.size()) < max_rows) {
        row_end.push_back(0.0);
        row = static_cast<int>(row_end.size()) - 1;
      } else {
        out.push_back(2 * max_rows - 1);
        continue;
      }
    }
    row_end[static_cast<std::size_t>(row)] = std::max(row_end[static_cast<std::size_t>(row)], b);
    out.push_back(row);
  }
  rows = std::max<int>(1, static_cast<int>(row_end.size()));
  return out;
}

// Transcripts (or whole genes when too many are in view) of the visible window, packed into
// rows so that features and their names do not overlap.
struct GeneLayout {
  std::vector<std::size_t> items;
  std::vector<int> rows;
  int row_count = 0;
  bool detail = true;
};

GeneLayout layout_genes(const genome::Annotation& a, const std::string& local, const Mapper& m,
                        const QFontMetricsF& fm) {
  GeneLayout out;
  const genome::Region q{local, m.start, m.end};
  auto tx = a.transcripts_in(q);
  out.detail = tx.size() <= detail_limit;
  out.items = out.detail ? std::move(tx) : a.genes_in(q);
  std::vector<std::pair<double, double>> spans;
  for (const auto i : out.items) {
    const auto s = out.detail ? a.transcripts()[i].start : a.genes()[i].start;
    const auto e = out.detail ? a.transcripts()[i].end : a.genes()[i].end;
    const double x0 = m.x(static_cast<double>(s)), x1 = m.x(static_cast<double>(e));
    const double lw =
        out.detail ? fm.horizontalAdvance(QString::fromStdString(a.genes()[a.transcripts()[i].gene].name))
                   : 0.0;
    // The label is kept inside the data area, as when it is drawn.
    const double lx = std::clamp((x0 + x1) / 2 - lw / 2, m.left, m.left + m.width - lw);
    spans.emplace_back(std::min(x0, lx), std::max(x1, lx + lw));
  }
  out.rows = pack(spans, out.row_count);
  return out;
}

QFont browser_font() {
  QFont f;
  f.setPointSizeF(8.5);
  return f;
}

void draw_chevrons(QPainter& p, double x0, double x1, double y, genome::Strand strand) {
  if (strand == genome::Strand::unknown) return;
  const double dir = strand == genome::Strand::plus ? 1.0 : -1.0;
  for (double x = x0 + 8.0; x < x1 - 4.0; x += 14.0) {
    p.drawLine(QPointF(x - 2.5 * dir, y - 3.0), QPointF(x + 0.5 * dir, y));
    p.drawLine(QPointF(x - 2.5 * dir, y + 3.0), QPointF(x + 0.5 * dir, y));
  }
}

} // namespace

struct GenomeBrowser::Track {
  std::shared_ptr<const Dataset> data;
  QString title;
};

GenomeBrowser::GenomeBrowser(Workspace* workspace, QWidget* parent)
    : QWidget(parent), m_workspace(workspace), m_locus_edit(new QLineEdit(this)),
      m_completer(new QCompleter(this)), m_completions(new QStringListModel(this)) {
  setObjectName("GenomeBrowser");
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(400, 200);
  m_locus_edit->setObjectName("LocusBox");
  m_locus_edit->setPlaceholderText(tr("chrII:10,000-20,000 or a gene name"));
  m_locus_edit->setClearButtonEnabled(true);
  m_locus_edit->setMinimumWidth(280);
  m_locus_edit->setMaximumWidth(460);
  m_completer->setModel(m_completions);
  m_completer->setCaseSensitivity(Qt::CaseInsensitive);
  m_completer->setCompletionMode(QCompleter::PopupCompletion);
  m_locus_edit->setCompleter(m_completer);
  connect(m_locus_edit, &QLineEdit::textEdited, this, &GenomeBrowser::update_completions);
  connect(m_locus_edit, &QLineEdit::returnPressed, this, [this] { go_to(m_locus_edit->text()); });
  connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this,
          [this](const QString& text) { go_to(text); });
  connect(m_workspace, &Workspace::dataset_added, this, &GenomeBrowser::on_dataset_added);
  connect(m_workspace, &Workspace::cleared, this, &GenomeBrowser::on_cleared);
  connect(m_workspace, &Workspace::reconciled, this, [this] {
    refresh_datasets();
    if (m_locus.chrom.empty() && !m_workspace->reference().empty()) {
      const auto& first = m_workspace->reference().front();
      set_locus({first.name, 0, first.length});
    }
  });
  for (int i = 0; i < static_cast<int>(m_workspace->datasets().size()); ++i)
    on_dataset_added(i);
}

GenomeBrowser::~GenomeBrowser() = default;

void GenomeBrowser::update_completions(const QString& text) {
  m_completions->setStringList(text.size() >= 1 ? m_workspace->complete(text) : QStringList());
}

void GenomeBrowser::on_dataset_added(int index) {
  refresh_datasets();
  const auto& all = m_workspace->datasets();
  const auto d = all[static_cast<std::size_t>(index)];
  if (d->kind == DatasetKind::annotation || d->kind == DatasetKind::intervals ||
      d->kind == DatasetKind::signal || d->kind == DatasetKind::variants) {
    // In workspace order among the tracks already shown.
    const auto position = [&](const std::shared_ptr<const Dataset>& x) {
      return std::find(all.begin(), all.end(), x) - all.begin();
    };
    const auto before = std::find_if(m_tracks.begin(), m_tracks.end(),
                                     [&](const Track& t) { return position(t.data) > index; });
    m_tracks.insert(before, {d, QFileInfo(d->path).fileName()});
  }
  if (m_pending_state) {
    const QJsonObject state = *m_pending_state;
    m_pending_state.reset();
    restore_state(state);
  } else if (m_locus.chrom.empty() && !m_workspace->reference().empty()) {
    const auto& first = m_workspace->reference().front();
    set_locus({first.name, 0, first.length});
  } else if (!m_locus.chrom.empty()) {
    // A new reference may name the current chromosome differently.
    if (const auto ref = m_workspace->reference_name(m_locus.chrom); ref && *ref != m_locus.chrom)
      set_locus({*ref, m_locus.start, m_locus.end});
  }
  update();
}

void GenomeBrowser::refresh_datasets() {
  // Datasets reconciled again (a later reference genome) are replaced in place.
  for (auto& t : m_tracks)
    for (const auto& d : m_workspace->datasets())
      if (d->path == t.data->path) t.data = d;
  update();
}

void GenomeBrowser::on_cleared() {
  m_tracks.clear();
  m_locus = {};
  m_locus_edit->clear();
  update();
}

bool GenomeBrowser::go_to(const QString& text) {
  try {
    set_locus(m_workspace->find_locus(text));
    return true;
  } catch (const gc::Error& e) {
    Q_EMIT error_occurred(QString::fromStdString(e.what()));
    return false;
  }
}

void GenomeBrowser::set_locus(const genome::Region& region) {
  genome::Region r = region;
  if (const auto ref = m_workspace->reference_name(r.chrom)) r.chrom = *ref;
  const std::int64_t len = m_workspace->chrom_length(r.chrom);
  if (r.end == genome::Region::to_end) r.end = len;
  if (len > 0) {
    r.end = std::min(r.end, len);
    r.start = std::clamp<std::int64_t>(r.start, 0, std::max<std::int64_t>(0, len - 1));
  }
  if (r.end - r.start < browser::min_window_bp) {
    const auto [s, e] = browser::zoom(r.start, std::max(r.end, r.start + 1), 1.0, 0.5, len);
    const auto z = browser::zoom(
        s, e, static_cast<double>(browser::min_window_bp) / std::max<std::int64_t>(1, e - s), 0.5, len);
    r.start = z.first;
    r.end = z.second;
  }
  const bool changed = !(r == m_locus);
  m_locus = r;
  m_locus_edit->setText(QString::fromStdString(r.to_string()));
  update();
  if (changed) Q_EMIT locus_changed(m_locus);
}

void GenomeBrowser::apply_window(std::int64_t start, std::int64_t end) {
  set_locus({m_locus.chrom, start, end});
}

QStringList GenomeBrowser::track_names() const {
  QStringList out;
  for (const auto& t : m_tracks)
    out << t.title;
  return out;
}

void GenomeBrowser::move_track(int from, int to) {
  const int n = static_cast<int>(m_tracks.size());
  if (from < 0 || from >= n || to < 0 || to >= n || from == to) return;
  auto t = std::move(m_tracks[static_cast<std::size_t>(from)]);
  m_tracks.erase(m_tracks.begin() + from);
  m_tracks.insert(m_tracks.begin() + to, std::move(t));
  update();
}

double GenomeBrowser::track_height(const Track& t, double width) const {
  switch (t.data->kind) {
  case DatasetKind::annotation: {
    const auto local = t.data->local_name(m_locus.chrom);
    if (!local || m_locus.end <= m_locus.start) return gene_row_h + track_gap;
    const Mapper m{gutter, std::max(10.0, width - gutter - right_margin), m_locus.start, m_locus.end};
    const auto layout = layout_genes(*t.data->annotation, *local, m, QFontMetricsF(browser_font()));
    return layout.detail ? layout.row_count * gene_row_h + track_gap
                         : layout.row_count * collapsed_row_h + 20 + track_gap;
  }
  case DatasetKind::intervals: return bed_row_h * 3 + track_gap;
  case DatasetKind::signal: return signal_h + track_gap;
  case DatasetKind::variants: return variant_h + track_gap;
  default: return 0.0;
  }
}

int GenomeBrowser::track_at(double y) const {
  double top = header_h + ruler_h + (m_workspace->first_of(DatasetKind::genome) ? sequence_h : 0.0);
  for (std::size_t i = 0; i < m_tracks.size(); ++i) {
    const double h = track_height(m_tracks[i], width());
    if (y >= top && y < top + h) return static_cast<int>(i);
    top += h;
  }
  return -1;
}

void GenomeBrowser::paintEvent(QPaintEvent*) {
  QPainter p(this);
  paint(p, QRectF(rect()), false);
  if (m_drag == Drag::select) {
    const double a = std::min(m_press.x(), m_select_to), b = std::max(m_press.x(), m_select_to);
    p.fillRect(QRectF(a, header_h, b - a, height() - header_h), QColor(80, 140, 230, 50));
    p.setPen(QColor(80, 140, 230));
    p.drawRect(QRectF(a, header_h, b - a, ruler_h));
  }
}

void GenomeBrowser::render_figure(QPainter& painter, const QRectF& target) const {
  paint(painter, target, true);
}

void GenomeBrowser::paint(QPainter& p, const QRectF& area, bool figure) const {
  p.save();
  p.setClipRect(area);
  p.fillRect(area, Qt::white);
  p.setRenderHint(QPainter::Antialiasing, true);
  const QFont base = browser_font();
  p.setFont(base);
  const QFontMetricsF fm(base);

  if (m_locus.chrom.empty() || m_locus.end <= m_locus.start) {
    p.setPen(axis_colour);
    p.drawText(area, Qt::AlignCenter,
               tr("Open a genome, annotation, BED, bedGraph or VCF file to browse it."));
    p.restore();
    return;
  }
  const Mapper m{area.left() + gutter, std::max(10.0, area.width() - gutter - right_margin), m_locus.start,
                 m_locus.end};
  const double data_right = m.left + m.width;

  // Title: locus and width.
  QFont bold = base;
  bold.setBold(true);
  bold.setPointSizeF(9.5);
  p.setFont(bold);
  p.setPen(Qt::black);
  p.drawText(QRectF(area.left() + 6, area.top() + 2, area.width() - 12, header_h - 4),
             Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(m_locus.to_string()));
  p.setFont(base);
  p.setPen(axis_colour);
  p.drawText(QRectF(area.left() + 6, area.top() + 2, area.width() - 16, header_h - 4),
             Qt::AlignRight | Qt::AlignVCenter,
             browser::tick_label(m_locus.end - m_locus.start, 1) + QString("  (%1 bp/px)")
                                                                       .arg(m.bpp(), 0, 'f',
                                                                            m.bpp() >= 10  ? 0
                                                                            : m.bpp() >= 1 ? 1
                                                                                           : 3));

  // Ruler.
  double y = area.top() + header_h;
  const std::int64_t step = browser::tick_step(m.bpp());
  p.setPen(QPen(axis_colour, 1.0));
  p.drawLine(QPointF(m.left, y + ruler_h - 8), QPointF(data_right, y + ruler_h - 8));
  p.drawText(QRectF(area.left() + 4, y, gutter - 10, ruler_h - 6), Qt::AlignRight | Qt::AlignVCenter,
             QString::fromStdString(m_locus.chrom));
  for (std::int64_t t = (m_locus.start / step) * step; t <= m_locus.end; t += step) {
    if (t < m_locus.start) continue;
    const double x = m.x(static_cast<double>(t));
    p.drawLine(QPointF(x, y + ruler_h - 14), QPointF(x, y + ruler_h - 8));
    const QString label = browser::tick_label(t, step);
    const double w = fm.horizontalAdvance(label);
    const double lx = std::clamp(x - w / 2, m.left, data_right - w);
    p.drawText(QPointF(lx, y + ruler_h - 17), label);
  }
  y += ruler_h;

  // Sequence.
  const auto genome_ds = m_workspace->first_of(DatasetKind::genome);
  if (genome_ds) {
    p.setPen(axis_colour);
    p.drawText(QRectF(area.left() + 4, y, gutter - 10, sequence_h), Qt::AlignRight | Qt::AlignVCenter,
               tr("Sequence"));
    const auto local = genome_ds->local_name(m_locus.chrom);
    if (m.bpp() <= browser::base_bp_per_pixel && local) {
      std::string seq;
      try {
        seq = genome_ds->fasta->fetch(*local, m_locus.start, m_locus.end);
      } catch (const gc::Error&) {
        seq.clear(); // outside the sequence: nothing to draw
      }
      const double bw = m.width / static_cast<double>(m_locus.end - m_locus.start);
      QFont mono("Monospace");
      mono.setStyleHint(QFont::TypeWriter);
      mono.setPointSizeF(std::min(10.0, bw * 0.75));
      mono.setBold(true);
      p.setFont(mono);
      for (std::size_t i = 0; i < seq.size(); ++i) {
        const QRectF box(m.x(static_cast<double>(m_locus.start) + static_cast<double>(i)), y + 3, bw,
                         sequence_h - 6);
        const QColor c = base_colour(seq[i]);
        if (m.bpp() <= browser::text_bp_per_pixel) {
          p.setPen(c);
          p.drawText(box, Qt::AlignCenter, QString(QChar(seq[i])));
        } else {
          p.fillRect(box, c);
        }
      }
      p.setFont(base);
    } else {
      p.setPen(QColor(150, 150, 150));
      p.drawLine(QPointF(m.left, y + sequence_h / 2), QPointF(data_right, y + sequence_h / 2));
      if (!figure)
        p.drawText(QRectF(m.left, y, m.width, sequence_h), Qt::AlignCenter, tr("zoom in to see bases"));
    }
    y += sequence_h;
  }

  for (const auto& track : m_tracks) {
    const double h = track_height(track, area.width());
    const Dataset& d = *track.data;
    p.setPen(QColor(225, 225, 225));
    p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
    p.setPen(Qt::black);
    const QString title = fm.elidedText(track.title, Qt::ElideMiddle, gutter - 12);
    p.drawText(QRectF(area.left() + 4, y + 2, gutter - 10, 16), Qt::AlignRight | Qt::AlignTop, title);
    p.save();
    p.setClipRect(QRectF(m.left - 1, y, m.width + 2, h).intersected(area));
    const auto local = d.local_name(m_locus.chrom);
    const double top = y + 4;
    if (!local) {
      p.setPen(QColor(150, 150, 150));
      p.drawText(QRectF(m.left, y, m.width, h), Qt::AlignCenter,
                 tr("no data on %1").arg(m_locus.chrom.c_str()));
    } else if (d.kind == DatasetKind::annotation) {
      const auto& a = *d.annotation;
      const GeneLayout layout = layout_genes(a, *local, m, fm);
      const bool detail = layout.detail;
      const auto& items = layout.items;
      const auto& row = layout.rows;
      const double rh = detail ? gene_row_h : collapsed_row_h;
      for (std::size_t k = 0; k < items.size(); ++k) {
        const bool labelled = row[k] < max_rows;
        const double ry = top + (row[k] % max_rows) * rh;
        const double cy = ry + 7;
        p.setPen(QPen(gene_colour, 1.0));
        p.setBrush(gene_colour);
        if (!detail) {
          const auto& g = a.genes()[items[k]];
          const double x0 = m.x(static_cast<double>(g.start)), x1 = m.x(static_cast<double>(g.end));
          p.drawRect(QRectF(x0, cy - 4, std::max(1.0, x1 - x0), 8));
          continue;
        }
        const auto& t = a.transcripts()[items[k]];
        const double x0 = m.x(static_cast<double>(t.start)), x1 = m.x(static_cast<double>(t.end));
        p.drawLine(QPointF(x0, cy), QPointF(x1, cy));
        draw_chevrons(p, std::max(x0, m.left), std::min(x1, data_right), cy, t.strand);
        for (const auto ei : t.exons) {
          const auto& ex = a.exons()[ei];
          const double e0 = m.x(static_cast<double>(ex.start)), e1 = m.x(static_cast<double>(ex.end));
          p.drawRect(QRectF(e0, cy - 3.5, std::max(1.0, e1 - e0), 7));
        }
        for (const auto ci : t.cds) {
          const auto& c = a.cds()[ci];
          const double c0 = m.x(static_cast<double>(c.start)), c1 = m.x(static_cast<double>(c.end));
          p.drawRect(QRectF(c0, cy - 6, std::max(1.0, c1 - c0), 12));
        }
        if (!labelled) continue;
        p.setPen(Qt::black);
        const QString name = QString::fromStdString(a.genes()[t.gene].name);
        const double lw = fm.horizontalAdvance(name);
        const double lx = std::clamp((x0 + x1) / 2 - lw / 2, m.left, data_right - lw);
        p.drawText(QPointF(lx, cy + 8 + fm.ascent()), name);
      }
      if (!detail) {
        p.setPen(axis_colour);
        p.drawText(QRectF(m.left, y + h - 16, m.width - 4, 14), Qt::AlignRight,
                   tr("%1 genes (zoom in for transcripts)").arg(items.size()));
      }
    } else if (d.kind == DatasetKind::intervals) {
      std::vector<const genome::BedRecord*> recs;
      for (const auto& r : *d.intervals)
        if (r.chrom == *local && r.end > m_locus.start && r.start < m_locus.end) recs.push_back(&r);
      std::vector<std::pair<double, double>> spans;
      for (const auto* r : recs) {
        const double lw = fm.horizontalAdvance(QString::fromStdString(r->name));
        const double x0 = m.x(static_cast<double>(r->start)), x1 = m.x(static_cast<double>(r->end));
        spans.emplace_back(x0, std::max(x1, x0 + (recs.size() < 200 ? lw : 0.0)));
      }
      int rows = 1;
      const auto row = pack(spans, rows);
      for (std::size_t k = 0; k < recs.size(); ++k) {
        const auto* r = recs[k];
        const double ry = top + std::min(row[k] % max_rows, 2) * bed_row_h;
        QColor c = bed_colour;
        if (const auto parts = QString::fromStdString(r->item_rgb).split(','); parts.size() == 3)
          c = QColor(parts[0].toInt(), parts[1].toInt(), parts[2].toInt());
        const double x0 = m.x(static_cast<double>(r->start)), x1 = m.x(static_cast<double>(r->end));
        p.fillRect(QRectF(x0, ry, std::max(1.0, x1 - x0), 8), c);
        // Features packed past the third row share it, unlabelled (their labels would collide).
        if (recs.size() < 200 && row[k] <= 2 && !r->name.empty()) {
          p.setPen(Qt::black);
          p.drawText(QPointF(std::max(x0, m.left), ry + 9 + fm.ascent()), QString::fromStdString(r->name));
        }
      }
    } else if (d.kind == DatasetKind::signal) {
      const int px = static_cast<int>(std::ceil(m.width));
      std::vector<double> value(static_cast<std::size_t>(px), std::nan(""));
      double vmax = 0.0, vmin = 0.0;
      // The scale covers the whole chromosome, so panning keeps values comparable.
      for (const auto& r : *d.intervals) {
        if (r.chrom != *local) continue;
        vmax = std::max(vmax, r.score);
        vmin = std::min(vmin, r.score);
        if (r.end <= m_locus.start || r.start >= m_locus.end) continue;
        const int a = std::clamp(static_cast<int>(m.x(static_cast<double>(r.start)) - m.left), 0, px - 1);
        const int b =
            std::clamp(static_cast<int>(std::ceil(m.x(static_cast<double>(r.end)) - m.left)), a + 1, px);
        for (int i = a; i < b; ++i) {
          auto& v = value[static_cast<std::size_t>(i)];
          // Keep the value of largest magnitude per pixel so peaks survive zooming out.
          if (std::isnan(v) || std::abs(r.score) > std::abs(v)) v = r.score;
        }
      }
      // Adjacent one-pixel bars must not leave antialiased seams between them.
      p.setRenderHint(QPainter::Antialiasing, false);
      const double range = std::max(1e-12, vmax - vmin);
      const double plot_h = signal_h - 10;
      const double zero_y = top + plot_h * (vmax / range);
      for (int i = 0; i < px; ++i) {
        const double v = value[static_cast<std::size_t>(i)];
        if (std::isnan(v)) continue;
        const double vy = top + plot_h * ((vmax - v) / range);
        p.fillRect(QRectF(m.left + i, std::min(vy, zero_y), 1.0, std::max(0.5, std::abs(zero_y - vy))),
                   v >= 0 ? signal_colour : QColor(200, 90, 60));
      }
      p.setPen(QPen(QColor(160, 160, 160), 0.5));
      p.drawLine(QPointF(m.left, zero_y), QPointF(data_right, zero_y));
      p.setPen(axis_colour);
      p.drawText(QPointF(m.left + 3, top + fm.ascent()),
                 QString("[%1, %2]").arg(vmin, 0, 'g', 3).arg(vmax, 0, 'g', 3));
    } else if (d.kind == DatasetKind::variants) {
      const double plot_h = variant_h - 12;
      p.setPen(QPen(QColor(200, 200, 200), 0.5));
      p.drawLine(QPointF(m.left, top + plot_h), QPointF(data_right, top + plot_h));
      const double bw = std::max(1.5, 1.0 / m.bpp());
      std::size_t shown = 0;
      for (const auto& s : d.variants->sites) {
        if (s.chrom != *local || s.pos < m_locus.start || s.pos >= m_locus.end) continue;
        ++shown;
        const double af =
            std::isnan(s.allele_frequency) ? 1.0 : std::clamp<double>(s.allele_frequency, 0.0, 1.0);
        const double x = m.x(static_cast<double>(s.pos));
        p.fillRect(QRectF(x, top + plot_h * (1.0 - af), bw, std::max(1.0, plot_h * af)), variant_colour);
        p.fillRect(QRectF(x, top + plot_h + 1, bw, 3), QColor(90, 90, 90));
      }
      p.setPen(axis_colour);
      p.drawText(QPointF(m.left + 3, top + fm.ascent()), tr("AF 0–1, %1 sites").arg(shown));
    }
    p.restore();
    y += h;
  }
  p.restore();
}

QJsonObject GenomeBrowser::save_state() const {
  QJsonObject s;
  s["locus"] = QString::fromStdString(m_locus.to_string());
  QJsonArray order;
  for (const auto& t : m_tracks)
    order.append(t.title);
  s["track_order"] = order;
  return s;
}

void GenomeBrowser::restore_state(const QJsonObject& state) {
  const QString locus = state.value("locus").toString();
  if (!locus.isEmpty()) {
    try {
      set_locus(m_workspace->find_locus(locus));
    } catch (const gc::Error&) {
      // The data naming this chromosome has not arrived yet: retry when it does.
      m_pending_state = state;
      return;
    }
  }
  const auto order = state.value("track_order").toArray();
  int next = 0;
  for (const auto& name : order) {
    const auto names = track_names();
    const int at = static_cast<int>(names.indexOf(name.toString()));
    if (at >= 0) move_track(at, next++);
  }
}

void GenomeBrowser::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || m_locus.chrom.empty()) return;
  m_press = e->position();
  m_press_start = m_locus.start;
  m_select_to = m_press.x();
  const bool on_ruler = e->position().y() < header_h + ruler_h && e->position().x() >= gutter;
  m_drag = on_ruler ? Drag::select : Drag::pan;
  if (m_drag == Drag::pan) setCursor(Qt::ClosedHandCursor);
}

void GenomeBrowser::mouseMoveEvent(QMouseEvent* e) {
  if (m_locus.chrom.empty()) return;
  const Mapper m{gutter, std::max(10.0, width() - gutter - right_margin), m_locus.start, m_locus.end};
  const double x = e->position().x();
  if (x >= m.left && x <= m.left + m.width) {
    const auto pos = static_cast<std::int64_t>(static_cast<double>(m_locus.start) + (x - m.left) * m.bpp());
    Q_EMIT hovered(QString::fromStdString(m_locus.chrom), pos);
  }
  if (m_drag == Drag::pan) {
    const auto delta = static_cast<std::int64_t>(std::llround(-(x - m_press.x()) * m.bpp()));
    const auto [s, end] = browser::pan(m_press_start, m_press_start + (m_locus.end - m_locus.start), delta,
                                       m_workspace->chrom_length(m_locus.chrom));
    apply_window(s, end);
  } else if (m_drag == Drag::select) {
    m_select_to = std::clamp(x, m.left, m.left + m.width);
    update();
  }
}

void GenomeBrowser::mouseReleaseEvent(QMouseEvent*) {
  const Drag drag = m_drag;
  m_drag = Drag::none;
  unsetCursor();
  if (drag != Drag::select) return;
  const Mapper m{gutter, std::max(10.0, width() - gutter - right_margin), m_locus.start, m_locus.end};
  const double a = std::min(m_press.x(), m_select_to), b = std::max(m_press.x(), m_select_to);
  if (b - a >= 3.0) {
    const auto s = static_cast<std::int64_t>(static_cast<double>(m_locus.start) + (a - m.left) * m.bpp());
    const auto en = static_cast<std::int64_t>(static_cast<double>(m_locus.start) + (b - m.left) * m.bpp());
    apply_window(s, en);
  }
  update();
}

void GenomeBrowser::wheelEvent(QWheelEvent* e) {
  if (m_locus.chrom.empty()) return;
  const double steps = e->angleDelta().y() / 120.0;
  if (steps == 0.0) return;
  const double w = std::max(10.0, width() - gutter - right_margin);
  const double anchor = (e->position().x() - gutter) / w;
  const auto [s, en] = browser::zoom(m_locus.start, m_locus.end, std::pow(0.8, steps), anchor,
                                     m_workspace->chrom_length(m_locus.chrom));
  apply_window(s, en);
  e->accept();
}

void GenomeBrowser::keyPressEvent(QKeyEvent* e) {
  if (m_locus.chrom.empty()) return QWidget::keyPressEvent(e);
  const std::int64_t len = m_workspace->chrom_length(m_locus.chrom);
  const std::int64_t w = m_locus.end - m_locus.start;
  std::pair<std::int64_t, std::int64_t> win;
  switch (e->key()) {
  case Qt::Key_Plus:
  case Qt::Key_Equal: win = browser::zoom(m_locus.start, m_locus.end, 0.5, 0.5, len); break;
  case Qt::Key_Minus: win = browser::zoom(m_locus.start, m_locus.end, 2.0, 0.5, len); break;
  case Qt::Key_Left: win = browser::pan(m_locus.start, m_locus.end, -w / 5, len); break;
  case Qt::Key_Right: win = browser::pan(m_locus.start, m_locus.end, w / 5, len); break;
  default: return QWidget::keyPressEvent(e);
  }
  apply_window(win.first, win.second);
}

void GenomeBrowser::contextMenuEvent(QContextMenuEvent* e) {
  const int t = track_at(e->pos().y());
  if (t < 0) return;
  QMenu menu(this);
  auto* up = menu.addAction(tr("Move track up"), this, [this, t] { move_track(t, t - 1); });
  up->setEnabled(t > 0);
  auto* down = menu.addAction(tr("Move track down"), this, [this, t] { move_track(t, t + 1); });
  down->setEnabled(t + 1 < static_cast<int>(m_tracks.size()));
  menu.exec(e->globalPos());
}

} // namespace gc::ui
