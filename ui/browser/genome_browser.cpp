#include "gc/ui/browser/genome_browser.h"

#include "gc/ui/browser/sequence_cache.h"
#include "gc/ui/browser/signal_cache.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"

#include <QCompleter>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QStringListModel>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace gc::ui {

GenomeBrowser::GenomeBrowser(Workspace* workspace, TaskRunner* tasks, QWidget* parent)
    : QWidget(parent), m_workspace(workspace), m_locus_edit(new QLineEdit(this)),
      m_completer(new QCompleter(this)), m_completions(new QStringListModel(this)),
      m_tracks(new browser::TrackListModel(this)), m_bases(new browser::SequenceCache(*tasks, this)),
      m_signal(new browser::SignalCache(*tasks, this)) {
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
  // The view observes its tracks.
  const auto repaint = [this] { update(); };
  connect(m_tracks, &QAbstractItemModel::rowsInserted, this, repaint);
  connect(m_tracks, &QAbstractItemModel::rowsRemoved, this, repaint);
  connect(m_tracks, &QAbstractItemModel::rowsMoved, this, repaint);
  connect(m_tracks, &QAbstractItemModel::modelReset, this, repaint);
  connect(m_tracks, &QAbstractItemModel::dataChanged, this, repaint);
  connect(m_bases, &browser::SequenceCache::arrived, this, [this] { update(); });
  connect(m_bases, &browser::SequenceCache::failed, this, &GenomeBrowser::error_occurred);
  connect(m_signal, &browser::SignalCache::arrived, this, [this] { update(); });
  connect(m_signal, &browser::SignalCache::failed, this, &GenomeBrowser::error_occurred);
  // Rows added, replaced or moved may show windows not read yet.
  connect(m_tracks, &QAbstractItemModel::rowsInserted, this, [this] { request_signal(); });
  connect(m_tracks, &QAbstractItemModel::dataChanged, this, [this] { request_signal(); });
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
  // In workspace order among the tracks already shown.
  const auto position = [&](const std::shared_ptr<const Dataset>& x) {
    return std::find(all.begin(), all.end(), x) - all.begin();
  };
  const auto& tracks = m_tracks->tracks();
  const auto before =
      std::find_if(tracks.begin(), tracks.end(), [&](const auto& t) { return position(t.data) > index; });
  m_tracks->insert(static_cast<int>(before - tracks.begin()), d);
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
  request_bases();
  update();
}

void GenomeBrowser::refresh_datasets() {
  // Datasets reconciled again (a later reference genome) are replaced in place.
  for (int i = 0; i < m_tracks->rowCount(); ++i)
    for (const auto& d : m_workspace->datasets())
      if (d->path == m_tracks->track(i).data->path && d != m_tracks->track(i).data) m_tracks->replace(i, d);
  update();
}

void GenomeBrowser::on_cleared() {
  m_tracks->clear();
  m_bases->set_genome(nullptr);
  m_signal->clear();
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
  request_bases();
  request_signal();
  update();
  if (changed) Q_EMIT locus_changed(m_locus);
}

void GenomeBrowser::apply_window(std::int64_t start, std::int64_t end) {
  set_locus({m_locus.chrom, start, end});
}

void GenomeBrowser::request_bases() {
  const auto genome = m_workspace->first_of(DatasetKind::genome);
  m_bases->set_genome(genome ? genome->fasta : nullptr);
  if (!genome || m_locus.chrom.empty() || m_locus.end - m_locus.start > browser::max_sequence_window_bp)
    return;
  const auto local = genome->local_name(m_locus.chrom);
  if (!local) return;
  std::int64_t length = 0;
  for (const auto& c : genome->chroms)
    if (c.name == *local) length = c.length;
  m_bases->request(*local, m_locus.start, m_locus.end, length);
}

void GenomeBrowser::request_signal() {
  if (m_locus.chrom.empty()) return;
  const auto m = frame();
  for (const auto& t : m_tracks->tracks()) {
    if (!t.data->bigwig) continue;
    const auto local = t.data->local_name(m_locus.chrom);
    if (!local) continue;
    std::int64_t length = 0;
    for (const auto& c : t.data->chroms)
      if (c.name == *local) length = c.length;
    if (const auto window = browser::signal_window(m, *local, length))
      m_signal->request(t.data->bigwig, *window);
  }
}

bool GenomeBrowser::loading() const { return m_bases->loading() || m_signal->loading(); }

browser::BrowserScene GenomeBrowser::scene() const {
  return {m_locus, *m_tracks, m_workspace->first_of(DatasetKind::genome), m_bases, m_signal};
}

browser::BrowserFrame GenomeBrowser::frame() const { return browser::browser_frame(QRectF(rect()), m_locus); }

void GenomeBrowser::paintEvent(QPaintEvent*) {
  QPainter p(this);
  browser::paint_browser(p, QRectF(rect()), scene(), false);
  if (m_drag == Drag::select) {
    const double a = std::min(m_press.x(), m_select_to), b = std::max(m_press.x(), m_select_to);
    p.fillRect(QRectF(a, browser::header_h, b - a, height() - browser::header_h), QColor(80, 140, 230, 50));
    p.setPen(QColor(80, 140, 230));
    p.drawRect(QRectF(a, browser::header_h, b - a, browser::ruler_h));
  }
}

void GenomeBrowser::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  request_bases();
  request_signal();
}

void GenomeBrowser::render_figure(QPainter& painter, const QRectF& target) const {
  browser::paint_browser(painter, target, scene(), true);
}

QJsonObject GenomeBrowser::save_state() const {
  return to_json(browser::BrowserState{m_locus, track_names()});
}

void GenomeBrowser::restore_state(const QJsonObject& state) {
  const auto saved = browser::read_json(state);
  if (!saved.locus.isEmpty()) {
    try {
      set_locus(m_workspace->find_locus(saved.locus));
    } catch (const gc::Error&) {
      // The data naming this chromosome has not arrived yet: retry when it does.
      m_pending_state = state;
      return;
    }
  }
  browser::apply_track_order(*m_tracks, saved.track_order);
}

void GenomeBrowser::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || m_locus.chrom.empty()) return;
  m_press = e->position();
  m_press_start = m_locus.start;
  m_select_to = m_press.x();
  const bool on_ruler =
      e->position().y() < browser::header_h + browser::ruler_h && e->position().x() >= browser::gutter;
  m_drag = on_ruler ? Drag::select : Drag::pan;
  if (m_drag == Drag::pan) setCursor(Qt::ClosedHandCursor);
}

void GenomeBrowser::mouseMoveEvent(QMouseEvent* e) {
  if (m_locus.chrom.empty()) return;
  const auto m = frame();
  const double x = e->position().x();
  if (x >= m.left && x <= m.right()) {
    const auto pos = static_cast<std::int64_t>(static_cast<double>(m_locus.start) + (x - m.left) * m.bpp());
    Q_EMIT hovered(QString::fromStdString(m_locus.chrom), pos);
  }
  if (m_drag == Drag::pan) {
    const auto delta = static_cast<std::int64_t>(std::llround(-(x - m_press.x()) * m.bpp()));
    const auto [s, end] = browser::pan(m_press_start, m_press_start + (m_locus.end - m_locus.start), delta,
                                       m_workspace->chrom_length(m_locus.chrom));
    apply_window(s, end);
  } else if (m_drag == Drag::select) {
    m_select_to = std::clamp(x, m.left, m.right());
    update();
  }
}

void GenomeBrowser::mouseReleaseEvent(QMouseEvent*) {
  const Drag drag = m_drag;
  m_drag = Drag::none;
  unsetCursor();
  if (drag != Drag::select) return;
  const auto m = frame();
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
  const double anchor = (e->position().x() - browser::gutter) / frame().width;
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
  const int t = browser::track_at(scene(), QRectF(rect()), e->pos().y());
  if (t < 0) return;
  QMenu menu(this);
  auto* up = menu.addAction(tr("Move track up"), this, [this, t] { m_tracks->move(t, t - 1); });
  up->setEnabled(t > 0);
  auto* down = menu.addAction(tr("Move track down"), this, [this, t] { m_tracks->move(t, t + 1); });
  down->setEnabled(t + 1 < m_tracks->rowCount());
  menu.exec(e->globalPos());
}

} // namespace gc::ui
