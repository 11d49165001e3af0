#pragma once
// Hi-C view maths as pure functions: resolution choice, zoom and pan of a span, pixel <-> bp,
// tiles covering a bin range, axis ticks and the labels the view prints.
#include <QString>

#include <cstdint>
#include <span>
#include <vector>

namespace gc::ui::hic_view {

struct ResolutionChoice {
  std::size_t index = 0; // into the ascending bin sizes
  bool too_fine = false; // even this resolution puts more than max_bins bins across the view
};
// The coarsest stored resolution that still gives at least one bin per screen pixel over
// `span_bp`; the finest when none does (zoomed in beyond the data). `bin_sizes` ascending.
[[nodiscard]] ResolutionChoice choose_resolution(std::span<const std::int64_t> bin_sizes, double span_bp,
                                                 double pixels, double max_bins);

struct Span {
  double start = 0;
  double end = 0;
  [[nodiscard]] double length() const noexcept { return end - start; }
  friend bool operator==(const Span&, const Span&) = default;
};
// Scales `s` by `factor` (< 1 zooms in) keeping `anchor` at the same screen position; the
// length stays within [min_length, chrom_length] and the span inside [0, chrom_length].
[[nodiscard]] Span zoom_span(const Span& s, double anchor, double factor, double chrom_length,
                             double min_length) noexcept;
// Moves `s` by `delta` bp, stopping at the chromosome ends.
[[nodiscard]] Span pan_span(const Span& s, double delta, double chrom_length) noexcept;
[[nodiscard]] double pixel_to_bp(double px, double pixel_length, const Span& s) noexcept;
[[nodiscard]] double bp_to_pixel(double bp, double pixel_length, const Span& s) noexcept;

// Tile indices [first, last) covering local bins [lo, hi).
struct IndexRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  friend bool operator==(const IndexRange&, const IndexRange&) = default;
};
[[nodiscard]] IndexRange tiles_covering(std::int64_t lo, std::int64_t hi, std::int64_t tile_bins) noexcept;

struct Tick {
  double pos = 0;
  QString label;
};
// Round positions (1, 2 or 5 x 10^k apart) inside [start, end], at most about `max_ticks`,
// labelled in bp, kb or Mb with as many decimals as the step needs.
[[nodiscard]] std::vector<Tick> axis_ticks(double start, double end, int max_ticks);
// "chrII:100,001-110,000" for the 0-based half-open [start, end).
[[nodiscard]] QString format_region(const QString& chrom, std::int64_t start, std::int64_t end);
[[nodiscard]] QString format_bin_size(std::int64_t bp); // "10 kb", "1 Mb", "500 bp"
// Three significant digits, no exponent for ordinary magnitudes.
[[nodiscard]] QString format_value(double v);

} // namespace gc::ui::hic_view
