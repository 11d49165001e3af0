#pragma once
// Colour maps for matrix views: a white -> red "fall"-like map (Juicebox's default look) and
// viridis, as 256-entry lookup tables, with a linear or log10 scale between min and max.
#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace gc::ui {

class ColorMap {
public:
  // "fall" (default for unknown names is an InputError) or "viridis".
  [[nodiscard]] static ColorMap named(const QString& name);
  [[nodiscard]] static QStringList names();

  [[nodiscard]] const QString& name() const noexcept { return m_name; }
  // t in [0, 1] (clamped); NaN maps to the "missing" colour.
  [[nodiscard]] QRgb at(double t) const noexcept;
  [[nodiscard]] QRgb missing() const noexcept { return m_missing; }
  [[nodiscard]] const std::array<QRgb, 256>& lut() const noexcept { return m_lut; }

private:
  QString m_name;
  std::array<QRgb, 256> m_lut{};
  QRgb m_missing = 0;
};

// Maps values to [0, 1]: linear, or log10 (values <= 0 fall below the range).
struct ColorScale {
  double min = 0;
  double max = 1;
  bool log = false;
  // NaN for NaN input; otherwise clamped to [0, 1].
  [[nodiscard]] double normalise(double value) const noexcept;
  // Inverse of normalise for t in [0, 1] (for colour bar labels).
  [[nodiscard]] double value_at(double t) const noexcept;
};

// The p-th percentile (0..100) of the finite values (and > 0 ones when `positive_only`); NaN
// when there are none. Linear interpolation between order statistics, like numpy's default.
[[nodiscard]] double percentile(std::vector<double> values, double p, bool positive_only = false);

// Fills an ARGB32 image (width x height) from row-major values.
[[nodiscard]] QImage colorize(std::span<const float> values, int width, int height, const ColorMap& map,
                              const ColorScale& scale);

} // namespace gc::ui
