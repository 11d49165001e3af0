#include "gc/ui/common/colormap.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::ui {
namespace {

struct Stop {
  double t;
  int r, g, b;
};

std::array<QRgb, 256> build_lut(std::span<const Stop> stops) {
  std::array<QRgb, 256> lut{};
  for (int i = 0; i < 256; ++i) {
    const double t = i / 255.0;
    std::size_t k = 1;
    while (k + 1 < stops.size() && stops[k].t < t)
      ++k;
    const auto& a = stops[k - 1];
    const auto& b = stops[k];
    const double f = std::clamp((t - a.t) / (b.t - a.t), 0.0, 1.0);
    const auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + f * (y - x))); };
    lut[static_cast<std::size_t>(i)] = qRgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
  }
  return lut;
}

// White through yellow and orange to red and dark red, like Juicebox/HiGlass "fall": sparse
// contacts stay close to the white background, the diagonal saturates in dark red.
constexpr std::array<Stop, 5> k_fall{{{0.0, 255, 255, 255},
                                      {0.25, 255, 228, 150},
                                      {0.5, 245, 150, 40},
                                      {0.75, 208, 20, 30},
                                      {1.0, 110, 0, 10}}};
// matplotlib's viridis sampled at nine points.
constexpr std::array<Stop, 9> k_viridis{{{0.0, 0x44, 0x01, 0x54},
                                         {0.125, 0x47, 0x2d, 0x7b},
                                         {0.25, 0x3b, 0x52, 0x8b},
                                         {0.375, 0x2c, 0x72, 0x8e},
                                         {0.5, 0x21, 0x91, 0x8c},
                                         {0.625, 0x28, 0xae, 0x80},
                                         {0.75, 0x5e, 0xc9, 0x62},
                                         {0.875, 0xad, 0xdc, 0x30},
                                         {1.0, 0xfd, 0xe7, 0x25}}};

} // namespace

ColorMap ColorMap::named(const QString& name) {
  ColorMap m;
  m.m_name = name.toLower();
  if (m.m_name == "fall") {
    m.m_lut = build_lut(k_fall);
    m.m_missing = qRgb(214, 214, 214);
  } else if (m.m_name == "viridis") {
    m.m_lut = build_lut(k_viridis);
    m.m_missing = qRgb(255, 255, 255);
  } else {
    throw InputError("unknown colour map '" + name.toStdString() + "' (known: fall, viridis)");
  }
  return m;
}

QStringList ColorMap::names() { return {"fall", "viridis"}; }

QRgb ColorMap::at(double t) const noexcept {
  if (std::isnan(t)) return m_missing;
  const auto i = static_cast<std::size_t>(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
  return m_lut[i];
}

double ColorScale::normalise(double value) const noexcept {
  if (std::isnan(value)) return value;
  if (log) {
    if (value <= 0 || min <= 0 || max <= min) return 0;
    return std::clamp((std::log10(value) - std::log10(min)) / (std::log10(max) - std::log10(min)), 0.0, 1.0);
  }
  if (max <= min) return value > min ? 1.0 : 0.0;
  return std::clamp((value - min) / (max - min), 0.0, 1.0);
}

double ColorScale::value_at(double t) const noexcept {
  if (log && min > 0 && max > min)
    return std::pow(10.0, std::log10(min) + t * (std::log10(max) - std::log10(min)));
  return min + t * (max - min);
}

double percentile(std::vector<double> values, double p, bool positive_only) {
  std::erase_if(values, [positive_only](double v) { return !std::isfinite(v) || (positive_only && v <= 0); });
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = std::min(lo + 1, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double a = values[lo];
  if (hi == lo) return a;
  const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(hi), values.end());
  return a + (rank - static_cast<double>(lo)) * (b - a);
}

QImage colorize(std::span<const float> values, int width, int height, const ColorMap& map,
                const ColorScale& scale) {
  QImage image(width, height, QImage::Format_ARGB32);
  if (static_cast<std::size_t>(width) * static_cast<std::size_t>(height) != values.size())
    throw Error("colorize: size mismatch");
  const auto& lut = map.lut();
  // Precompute the scale once: per value only a log10 (log scale) and a multiply remain.
  const bool log = scale.log && scale.min > 0 && scale.max > scale.min;
  const double lo = log ? std::log10(scale.min) : scale.min;
  const double span = log ? std::log10(scale.max) - lo : scale.max - scale.min;
  const double inv = span > 0 ? 255.0 / span : 0.0;
  for (int y = 0; y < height; ++y) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
    const float* row = values.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width);
    for (int x = 0; x < width; ++x) {
      const double v = row[x];
      if (std::isnan(v)) {
        line[x] = map.missing();
        continue;
      }
      double t;
      if (log)
        t = v > 0 ? (std::log10(v) - lo) * inv : 0.0;
      else
        t = span > 0 ? (v - lo) * inv : (v > lo ? 255.0 : 0.0);
      line[x] = lut[static_cast<std::size_t>(std::clamp(t, 0.0, 255.0) + 0.5)];
    }
  }
  return image;
}

} // namespace gc::ui
