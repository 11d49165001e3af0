#include "gc/ui/hic/hic_math.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace gc::ui::hic_view {

ResolutionChoice choose_resolution(std::span<const std::int64_t> bin_sizes, double span_bp, double pixels,
                                   double max_bins) {
  ResolutionChoice c;
  if (bin_sizes.empty() || span_bp <= 0) return c;
  const double bp_per_pixel = span_bp / std::max(1.0, pixels);
  for (std::size_t i = 0; i < bin_sizes.size(); ++i)
    if (static_cast<double>(bin_sizes[i]) <= bp_per_pixel) c.index = i;
  c.too_fine = span_bp / static_cast<double>(bin_sizes[c.index]) > max_bins;
  return c;
}

Span zoom_span(const Span& s, double anchor, double factor, double chrom_length, double min_length) noexcept {
  const double len = s.length();
  double new_len = std::clamp(len * factor, std::min(min_length, chrom_length), chrom_length);
  const double f = len > 0 ? (anchor - s.start) / len : 0.5;
  double start = anchor - f * new_len;
  start = std::clamp(start, 0.0, chrom_length - new_len);
  return {start, start + new_len};
}

Span pan_span(const Span& s, double delta, double chrom_length) noexcept {
  const double len = s.length();
  const double start = std::clamp(s.start + delta, 0.0, std::max(0.0, chrom_length - len));
  return {start, start + len};
}

double pixel_to_bp(double px, double pixel_length, const Span& s) noexcept {
  return s.start + px / std::max(1e-9, pixel_length) * s.length();
}

double bp_to_pixel(double bp, double pixel_length, const Span& s) noexcept {
  return s.length() > 0 ? (bp - s.start) / s.length() * pixel_length : 0.0;
}

IndexRange tiles_covering(std::int64_t lo, std::int64_t hi, std::int64_t tile_bins) noexcept {
  if (hi <= lo || tile_bins <= 0) return {0, 0};
  return {lo / tile_bins, (hi - 1) / tile_bins + 1};
}

std::vector<Tick> axis_ticks(double start, double end, int max_ticks) {
  std::vector<Tick> ticks;
  if (!(end > start) || max_ticks < 1) return ticks;
  const double raw = (end - start) / max_ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (const double m : {1.0, 2.0, 5.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  QString unit = "bp";
  double scale = 1;
  int decimals = 0;
  if (step >= 1e5) {
    unit = "Mb";
    scale = 1e6;
  } else if (step >= 100) {
    unit = "kb";
    scale = 1e3;
  }
  if (scale > 1) decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step / scale) - 1e-9)));
  for (double v = std::ceil(start / step - 1e-9) * step; v <= end + step * 1e-9; v += step) {
    const double value = std::abs(v) < step * 1e-6 ? 0.0 : v;
    ticks.push_back({value, QString::number(value / scale, 'f', decimals) + ' ' + unit});
  }
  return ticks;
}

QString format_region(const QString& chrom, std::int64_t start, std::int64_t end) {
  const QLocale en(QLocale::English, QLocale::UnitedStates);
  return chrom + ':' + en.toString(static_cast<qlonglong>(start + 1)) + '-' +
         en.toString(static_cast<qlonglong>(end));
}

QString format_bin_size(std::int64_t bp) {
  if (bp >= 1'000'000 && bp % 100'000 == 0) return QString::number(bp / 1e6, 'g', 4) + " Mb";
  if (bp >= 1000 && bp % 100 == 0) return QString::number(bp / 1e3, 'g', 4) + " kb";
  return QString::number(bp) + " bp";
}

QString format_value(double v) {
  if (std::isnan(v)) return "NaN (masked)";
  const double a = std::abs(v);
  if (a >= 1000 && a < 1e7) return QString::number(v, 'f', 0);
  if (a >= 1e-3 || a == 0) return QString::number(v, 'g', 3);
  return QString::number(v, 'e', 2);
}

} // namespace gc::ui::hic_view
