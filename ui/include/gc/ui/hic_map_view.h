#pragma once
// Hi-C contact map view (DESIGN §5): a heatmap of a cis or trans region pair with automatic
// resolution choice over an .mcool/.hic, normalisation selector, colour map and scale, colour
// bar, insulation track with TAD boundaries, hover read-out, crosshair, and drag/wheel
// navigation. Tiles load in background workers with cancellation and an LRU cache, so the GUI
// thread never reads the file.
#include "gc/ui/figure_view.h"

#include "gc/genome/region.h"
#include "gc/hic/contact_map.h"

#include <QString>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;

namespace gc::ui {

namespace hic_detail {
class TileEngine;
struct ViewState;
} // namespace hic_detail

// Every stored resolution of one contact file, finest first (one entry for a plain .cool).
struct HicResolutions {
  std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps;
  QString uri;
  // Whether the finest map stores its default normalisation ("weight", "KR", ...); reading the
  // names touches the file, so open_hic_resolutions fills it in on its worker. Unset: the view
  // finds out on a worker before showing the map.
  std::optional<bool> has_file_weights;
  [[nodiscard]] bool empty() const noexcept { return maps.empty(); }
};
// Fills has_file_weights (reads file metadata: call it from a worker).
void probe_file_weights(HicResolutions& maps);
// Opens a .cool, .mcool (all /resolutions/N, or the one named in the URI) or .hic (all bp
// resolutions, or "file.hic::N"). Reads the file: call it from a worker. Throws gc::Error.
[[nodiscard]] HicResolutions open_hic_resolutions(const QString& uri);
// Runs open_hic_resolutions(uri) on a worker, then calls `done(maps, error)` on `context`'s
// thread (error empty on success); nothing is called once `context` is destroyed.
void open_hic_resolutions_async(QObject* context, const QString& uri,
                                std::function<void(const HicResolutions&, const QString&)> done);
// One already-open map as a HicResolutions (its URI from the map's source).
[[nodiscard]] HicResolutions single_resolution(std::shared_ptr<const gc::hic::ContactMap> map);

class HicMapView : public QWidget, public FigureView {
  Q_OBJECT
public:
  explicit HicMapView(QWidget* parent = nullptr);
  ~HicMapView() override;

  // Opens a .cool/.mcool/.hic (URI allowed) on a worker thread; errors -> error_occurred(message).
  void open(const QString& uri);
  // One resolution.
  void set_map(std::shared_ptr<const gc::hic::ContactMap> map);
  // Several resolutions of the same data (any order); the view picks one per zoom level.
  void set_maps(const HicResolutions& maps);
  [[nodiscard]] bool has_map() const noexcept;

  // Shows region x (rows) x y (columns); y defaults to x (cis). A whole-chromosome region shows
  // the whole chromosome. Unknown chromosomes -> error_occurred.
  void set_locus(const gc::genome::Region& x, std::optional<gc::genome::Region> y = std::nullopt);
  [[nodiscard]] gc::genome::Region locus() const;   // rows
  [[nodiscard]] gc::genome::Region locus_y() const; // columns

  // "none", "file", "ice", "kr", "vc", "vc_sqrt", "oe".
  void set_normalisation(const QString& name);
  [[nodiscard]] QString normalisation() const;
  [[nodiscard]] static QStringList normalisations();

  void set_colormap(const QString& name); // "fall" or "viridis"
  void set_log_scale(bool log);
  // Fixed range; auto range uses [0 (or the smallest positive value on log), percentile].
  void set_range(double min, double max);
  void set_auto_range(double percentile = 98);

  // Vertical and horizontal lines at a genomic position (linked with the genome browser).
  void set_crosshair(const QString& chrom, std::int64_t pos);
  void clear_crosshair();

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
    std::int64_t tiles_requested = 0;
    std::int64_t tiles_loaded = 0;    // fetched from the map
    std::int64_t tiles_cancelled = 0; // dropped because the view moved on
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
  void build_toolbar();
  void sync_toolbar();
  void update_view(bool emit_locus);
  void on_tiles_changed();
  void report_if_complete();
  [[nodiscard]] QRectF map_rect(const QRectF& area, bool with_track) const;
  void paint_map(QPainter& p, const QRectF& area, bool figure) const;
  void show_maps(const HicResolutions& maps); // has_file_weights known

  std::unique_ptr<hic_detail::TileEngine> m_engine;
  std::unique_ptr<hic_detail::ViewState> m_state;
  QWidget* m_toolbar = nullptr;
  QComboBox* m_norm_box = nullptr;
  QComboBox* m_cmap_box = nullptr;
  QCheckBox* m_log_box = nullptr;
  QCheckBox* m_auto_box = nullptr;
  QDoubleSpinBox* m_min_spin = nullptr;
  QDoubleSpinBox* m_max_spin = nullptr;
  QLabel* m_res_label = nullptr;
  QPointF m_drag_origin;
  bool m_dragging = false;
  std::uint64_t m_open_generation = 0;
};

} // namespace gc::ui
