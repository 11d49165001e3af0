#include "gc/ui/graph/response_overlay.h"

#include <algorithm>
#include <cmath>

namespace gc::ui::graph {

void ResponseOverlay::finish() {
  scale_max = 0.0;
  for (const auto& [gene, d] : delta)
    if (!perturbed.contains(gene) && std::isfinite(d)) scale_max = std::max(scale_max, std::abs(d));
}

QColor delta_increase_colour() { return {213, 94, 0}; }
QColor delta_decrease_colour() { return {0, 114, 178}; }
QColor overlay_perturbed_colour() { return {204, 121, 167}; }
QColor cascade_colour() { return {20, 20, 20}; }

QColor delta_colour(double delta, double max) {
  if (!(max > 0) || !std::isfinite(delta)) return Qt::white;
  const double t = std::clamp(delta / max, -1.0, 1.0);
  const QColor end = t >= 0 ? delta_increase_colour() : delta_decrease_colour();
  const double a = std::abs(t);
  const auto mix = [a](int c) { return static_cast<int>(std::lround(255.0 + a * (c - 255.0))); };
  return {mix(end.red()), mix(end.green()), mix(end.blue())};
}

} // namespace gc::ui::graph
