#pragma once
// Helpers shared by the Hi-C view tests.
#include "gc/ui/hic/hic_map_view.h"

#include <QColor>
#include <QElapsedTimer>
#include <QImage>
#include <QTest>

#include <algorithm>

namespace gc::ui::test {

// Waits until the view has no tile or track work left. A settle time lets the debounced track
// request start before "not loading" is believed.
inline bool wait_loaded(const HicMapView& view, int timeout_ms = 30000) {
  QElapsedTimer t;
  t.start();
  int quiet = 0;
  while (t.elapsed() < timeout_ms) {
    QTest::qWait(20);
    quiet = view.loading() ? 0 : quiet + 1;
    if (quiet >= 10) return true;
  }
  return false;
}

// Pixels that carry colour (not white, grey or black): the heatmap, not the axes.
inline int coloured_pixels(const QImage& image, const QRect& area) {
  int n = 0;
  for (int y = area.top(); y <= area.bottom(); ++y)
    for (int x = area.left(); x <= area.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 40) ++n;
    }
  return n;
}

} // namespace gc::ui::test
