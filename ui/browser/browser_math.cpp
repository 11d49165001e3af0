#include "gc/ui/browser/browser_math.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace gc::ui::browser {

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

} // namespace gc::ui::browser
