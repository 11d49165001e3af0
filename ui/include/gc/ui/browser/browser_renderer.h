#pragma once
// Paints the genome browser with QPainter only (no widget), so the screen, File ▸ Export Figure
// and the headless figure draw the same picture: the locus title, the ruler, the sequence and
// the tracks of a TrackListModel in its order, each through its TrackRenderer.
#include "gc/genome/region.h"
#include "gc/ui/browser/track_list_model.h"
#include "gc/ui/browser/track_renderers.h"

#include <QFont>
#include <QPainter>
#include <QRectF>

#include <memory>

namespace gc::ui {
struct Dataset;
}

namespace gc::ui::browser {

inline constexpr double gutter = 118.0; // track labels
inline constexpr double right_margin = 10.0;
inline constexpr double header_h = 22.0; // locus title

struct BrowserScene {
  const genome::Region& locus; // reference names
  const TrackListModel& tracks;
  std::shared_ptr<const Dataset> genome; // the sequence row's genome; null: no sequence row
  const BaseSource* bases = nullptr;     // loaded bases of `genome`
  const SignalSource* signal = nullptr;  // loaded bins of the bigWig tracks
};

[[nodiscard]] QFont browser_font();
// The data area of `area` for `locus`.
[[nodiscard]] BrowserFrame browser_frame(const QRectF& area, const genome::Region& locus);
// `figure` leaves out the screen's hints.
void paint_browser(QPainter& p, const QRectF& area, const BrowserScene& scene, bool figure);
// The track row at height `y` of `area`, or -1 (ruler, sequence, below the tracks).
[[nodiscard]] int track_at(const BrowserScene& scene, const QRectF& area, double y);

} // namespace gc::ui::browser
