#pragma once
// The genome browser's zoom arithmetic, kept free of widgets so it can be tested exactly.
#include <QString>

#include <cstdint>
#include <utility>

namespace gc::ui::browser {

// The smallest window the browser shows, in bp.
inline constexpr std::int64_t min_window_bp = 20;
// Bases are drawn as coloured boxes at or below this many bp per pixel, with letters at or below
// text_bp_per_pixel (8 px per base).
inline constexpr double base_bp_per_pixel = 0.5;
inline constexpr double text_bp_per_pixel = 1.0 / 8.0;
// Bases are fetched (on a worker) for windows up to this long, so any figure width that shows
// bases finds them loaded.
inline constexpr std::int64_t max_sequence_window_bp = 20'000;

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

} // namespace gc::ui::browser
