#pragma once
// Hi-C contact map view (DESIGN §5): a heatmap of a cis or trans region pair with automatic
// resolution choice over an .mcool/.hic, normalisation selector, colour map and scale, colour
// bar, insulation track with TAD boundaries, hover read-out, crosshair, and drag/wheel
// navigation. The widget handles events and the toolbar; its state is a HicState, it paints
// through paint_hic (as figures do), and tiles load in quiet TaskRunner tasks with cancellation
// and an LRU cache, so the GUI thread never reads the file.
#include "gc/genome/region.h"
#include "gc/hic/contact_map.h"
#include "gc/hic/resolutions.h"
#include "gc/ui/common/figure_view.h"
#include "gc/ui/hic/hic_renderer.h"
#include "gc/ui/hic/hic_state.h"
#include "gc/ui/task_runner.h"

#include <QString>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

class QLabel;
class QTimer;

namespace gc::ui {

namespace hic_view {
class HicToolbar;
class TileEngine;
} // namespace hic_view

class HicMapView : public QWidget, public FigureView {
  Q_OBJECT
public:
  // `tasks` runs the file opening and the tile reads; it must outlive the view.
  explicit HicMapView(TaskRunner* tasks, QWidget* parent = nullptr);
  ~HicMapView() override;

  // Opens a .cool/.mcool/.hic (URI allowed) on a worker thread; errors -> error_occurred(message).
  void open(const QString& uri);
  // One resolution.
  void set_map(std::shared_ptr<const gc::hic::ContactMap> map);
  // Several resolutions of the same data (any order); the view picks one per zoom level.
  void set_maps(const gc::hic::Resolutions& maps);
  [[nodiscard]] bool has_map() const noexcept { return !m_maps.empty(); }

  // Shows region x (rows) x y (columns); y defaults to x (cis). A whole-chromosome region shows
  // the whole chromosome. Unknown chromosomes -> error_occurred.
  void set_locus(const gc::genome::Region& x, std::optional<gc::genome::Region> y = std::nullopt);
  [[nodiscard]] gc::genome::Region locus() const;   // rows
  [[nodiscard]] gc::genome::Region locus_y() const; // columns

  // "none", "file", "ice", "kr", "vc", "vc_sqrt", "oe".
  void set_normalisation(const QString& name);
  [[nodiscard]] QString normalisation() const;
  [[nodiscard]] static QStringList normalisations() { return hic_view::normalisation_names(); }

  void set_colormap(const QString& name); // "fall" or "viridis"
  void set_log_scale(bool log);
  // Fixed range; auto range uses [0 (or the smallest positive value on log), percentile].
  void set_range(double min, double max);
  void set_auto_range(double percentile = 98);

  // Vertical and horizontal lines at a genomic position (linked with the genome browser).
  void set_crosshair(const QString& chrom, std::int64_t pos);
  void clear_crosshair();

  [[nodiscard]] const hic_view::HicState& state() const noexcept { return m_state; }
  // Bin size currently shown (0 when nothing is loaded).
  [[nodiscard]] std::int64_t resolution() const noexcept;
  // Where the heatmap is drawn in widget coordinates (for tests and linked overlays).
  [[nodiscard]] QRectF heatmap_rect() const;
  // Hover read-out for a widget position; empty outside the map or before tiles arrive.
  [[nodiscard]] QString describe_at(const QPointF& widget_pos) const;
  // True while tiles or tracks are still loading for the current view.
  [[nodiscard]] bool loading() const;
  // Tiles queued or being read for the current view (the insulation track not included).
  [[nodiscard]] int tiles_in_flight() const;
  // Counters for tests and the benchmark.
  struct Stats {
    std::int64_t tiles_requested = 0; // reads started
    std::int64_t tiles_loaded = 0;    // fetched from the map
    std::int64_t tiles_cancelled = 0; // dropped because the view moved on
    std::int64_t tiles_mirrored = 0;  // below the diagonal, transposed from the tile above
    std::int64_t cache_hits = 0;
  };
  [[nodiscard]] Stats stats() const;

  QString view_name() const override { return "hic"; }
  void render_figure(QPainter& painter, const QRectF& target) const override;
  [[nodiscard]] QJsonObject save_state() const override;
  void restore_state(const QJsonObject& state) override;

  [[nodiscard]] QSize sizeHint() const override { return {720, 760}; }

Q_SIGNALS:
  void locus_changed(const gc::genome::Region& x); // when the user pans/zooms
  void hovered(const QString& description);        // "chrII:100,001-110,000 × chrII:… value 12.3 (ICE)"
  void error_occurred(const QString& message);
  void map_loaded();    // after open()/set_maps()
  void view_complete(); // every visible tile and the track are loaded

protected:
  void paintEvent(QPaintEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void leaveEvent(QEvent* e) override;

private:
  [[nodiscard]] QRectF content_area() const;
  [[nodiscard]] hic_view::HicScene scene() const;
  [[nodiscard]] bool ready() const noexcept { return !m_maps.empty() && m_state.has_locus(); }
  void show_maps(const gc::hic::Resolutions& maps); // has_file_weights known
  void update_view(bool emit_locus);
  void on_tiles_changed();
  void report_if_complete();
  void colours_changed();
  void sync_toolbar();

  TaskRunner* m_tasks;
  std::unique_ptr<hic_view::TileEngine> m_engine;
  gc::hic::Resolutions m_maps;
  hic_view::HicState m_state;
  hic_view::HicFrame m_frame;
  // Asked for before the map arrived (set_locus, restore_state): applied when it is shown.
  std::optional<std::pair<gc::genome::Region, gc::genome::Region>> m_pending_locus;
  std::optional<hic_view::Normalisation> m_pending_norm;
  TaskHandle m_opening; // the open or weight probe whose result will be shown
  bool m_range_dirty = true;
  std::uint64_t m_colour_generation = 1;
  bool m_complete_reported = false;
  QString m_last_hover;
  hic_view::HicToolbar* m_toolbar = nullptr;
  QLabel* m_hover_label = nullptr;
  QTimer* m_track_timer = nullptr;
  QPointF m_drag_origin;
  bool m_dragging = false;
};

} // namespace gc::ui
