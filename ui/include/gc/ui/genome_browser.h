#pragma once
// The genome browser: a ruler, the sequence (coloured bases when zoomed in far enough) and
// stacked, reorderable tracks for genes, BED, bedGraph and VCF datasets of the Workspace.
// Wheel, +/- keys and a drag on the ruler zoom; a drag on the tracks pans. The locus box (a
// QLineEdit with gene-name completion) lives in the main window's toolbar.
#include "gc/genome/region.h"
#include "gc/ui/figure_view.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QLineEdit;
class QCompleter;
class QStringListModel;

namespace gc::ui {

class Workspace;
struct Dataset;

// Zoom arithmetic, kept free of widgets so it can be tested exactly.
namespace browser {
// The smallest window the browser shows, in bp.
inline constexpr std::int64_t min_window_bp = 20;
// Bases are drawn as coloured boxes at or below this many bp per pixel, with letters at or below
// text_bp_per_pixel (8 px per base).
inline constexpr double base_bp_per_pixel = 0.5;
inline constexpr double text_bp_per_pixel = 1.0 / 8.0;

[[nodiscard]] double bp_per_pixel(std::int64_t start, std::int64_t end, double width_px) noexcept;
// Zooms [start, end) by `factor` (< 1 zooms in) around `anchor` (kept at the same screen
// fraction), clamped to [0, chrom_length] and at least min_window_bp wide.
[[nodiscard]] std::pair<std::int64_t, std::int64_t> zoom(std::int64_t start, std::int64_t end, double factor,
                                                         double anchor, std::int64_t chrom_length) noexcept;
// Shifts the window by `delta` bp without changing its width, clamped to the chromosome.
[[nodiscard]] std::pair<std::int64_t, std::int64_t>
pan(std::int64_t start, std::int64_t end, std::int64_t delta, std::int64_t chrom_length) noexcept;
// Ruler tick spacing (1, 2 or 5 × 10^k bp) giving at least `min_px` pixels between ticks.
[[nodiscard]] std::int64_t tick_step(double bp_per_px, double min_px = 80.0) noexcept;
// "1.5 Mb", "250 kb", "12 bp" for a tick at `pos` with spacing `step`.
[[nodiscard]] QString tick_label(std::int64_t pos, std::int64_t step);
} // namespace browser

class GenomeBrowser : public QWidget, public FigureView {
  Q_OBJECT
public:
  explicit GenomeBrowser(Workspace* workspace, QWidget* parent = nullptr);
  ~GenomeBrowser() override;

  // The locus box for the toolbar: UCSC regions and gene names/ids, with completion.
  [[nodiscard]] QLineEdit* locus_edit() const { return m_locus_edit; }
  [[nodiscard]] const genome::Region& locus() const { return m_locus; }
  // Moves to `text` (region or gene); returns false and emits error_occurred when unknown.
  bool go_to(const QString& text);
  void set_locus(const genome::Region& region);
  // Track titles, top to bottom.
  [[nodiscard]] QStringList track_names() const;
  void move_track(int from, int to);

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
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;

private:
  struct Track;
  void on_dataset_added(int index);
  void on_cleared();
  void refresh_datasets();
  void update_completions(const QString& text);
  void paint(QPainter& p, const QRectF& area, bool figure) const;
  [[nodiscard]] double track_height(const Track& t, double width) const;
  [[nodiscard]] int track_at(double y) const;
  void apply_window(std::int64_t start, std::int64_t end);

  Workspace* m_workspace;
  QLineEdit* m_locus_edit;
  QCompleter* m_completer;
  QStringListModel* m_completions;
  genome::Region m_locus;
  std::vector<Track> m_tracks;
  std::optional<QJsonObject> m_pending_state; // restored before the data arrived
  // Mouse interaction.
  enum class Drag { none, pan, select } m_drag = Drag::none;
  QPointF m_press;
  std::int64_t m_press_start = 0;
  double m_select_to = 0.0;
};

} // namespace gc::ui
