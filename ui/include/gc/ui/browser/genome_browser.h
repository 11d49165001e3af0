#pragma once
// The genome browser: a ruler, the sequence (coloured bases when zoomed in far enough) and
// stacked, reorderable tracks for genes, BED, bedGraph and VCF datasets of the Workspace.
// Wheel, +/- keys and a drag on the ruler zoom; a drag on the tracks pans. The locus box (a
// QLineEdit with gene-name completion) lives in the main window's toolbar. The widget handles
// events; the tracks are a TrackListModel it observes, it paints through paint_browser (as
// figures do), and bases and bigWig bins are read in TaskRunner tasks, never while painting.
#include "gc/genome/region.h"
#include "gc/ui/browser/browser_math.h"
#include "gc/ui/browser/browser_renderer.h"
#include "gc/ui/browser/browser_state.h"
#include "gc/ui/browser/track_list_model.h"
#include "gc/ui/common/figure_view.h"

#include <QWidget>

#include <cstdint>
#include <optional>

class QLineEdit;
class QCompleter;
class QStringListModel;

namespace gc::ui {

class TaskRunner;
class Workspace;

namespace browser {
class SequenceCache;
class SignalCache;
} // namespace browser

class GenomeBrowser : public QWidget, public FigureView {
  Q_OBJECT
public:
  // `tasks` reads the bases and the bigWig bins; both must outlive the browser.
  GenomeBrowser(Workspace* workspace, TaskRunner* tasks, QWidget* parent = nullptr);
  ~GenomeBrowser() override;

  // The locus box for the toolbar: UCSC regions and gene names/ids, with completion.
  [[nodiscard]] QLineEdit* locus_edit() const { return m_locus_edit; }
  [[nodiscard]] const genome::Region& locus() const { return m_locus; }
  // Moves to `text` (region or gene); returns false and emits error_occurred when unknown.
  bool go_to(const QString& text);
  void set_locus(const genome::Region& region);
  // The tracks, top to bottom; reorder them through the model (or move_track).
  [[nodiscard]] browser::TrackListModel* track_model() const noexcept { return m_tracks; }
  [[nodiscard]] QStringList track_names() const { return m_tracks->titles(); }
  void move_track(int from, int to) { m_tracks->move(from, to); }
  // True while bases or bigWig bins for the current window are being read.
  [[nodiscard]] bool loading() const;
  // The bigWig bins read so far (what the signal rows draw).
  [[nodiscard]] const browser::SignalCache& signal_cache() const noexcept { return *m_signal; }

  [[nodiscard]] QString view_name() const override { return "browser"; }
  void render_figure(QPainter& painter, const QRectF& target) const override;
  [[nodiscard]] QJsonObject save_state() const override;
  void restore_state(const QJsonObject& state) override;
  [[nodiscard]] QSize sizeHint() const override { return {1000, 600}; }

Q_SIGNALS:
  void locus_changed(const gc::genome::Region& region);
  // The genome position under the mouse (reference chromosome names).
  void hovered(const QString& chrom, std::int64_t position);
  void error_occurred(const QString& message);

protected:
  void paintEvent(QPaintEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;

private:
  void on_dataset_added(int index);
  void on_cleared();
  void refresh_datasets();
  void update_completions(const QString& text);
  // Asks for the bases of the window when it is small enough to show them.
  void request_bases();
  // Asks for the bins of every bigWig row for the window at the widget's width.
  void request_signal();
  [[nodiscard]] browser::BrowserScene scene() const;
  [[nodiscard]] browser::BrowserFrame frame() const;
  void apply_window(std::int64_t start, std::int64_t end);

  Workspace* m_workspace;
  QLineEdit* m_locus_edit;
  QCompleter* m_completer;
  QStringListModel* m_completions;
  browser::TrackListModel* m_tracks;
  browser::SequenceCache* m_bases;
  browser::SignalCache* m_signal;
  genome::Region m_locus;
  std::optional<QJsonObject> m_pending_state; // restored before the data arrived
  // Mouse interaction.
  enum class Drag { none, pan, select } m_drag = Drag::none;
  QPointF m_press;
  std::int64_t m_press_start = 0;
  double m_select_to = 0.0;
};

} // namespace gc::ui
