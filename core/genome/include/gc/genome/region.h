#pragma once
// Genomic intervals. Text uses UCSC style (1-based, inclusive, commas allowed); in memory every
// interval is 0-based, half-open, like BED and htslib.
#include <cstdint>
#include <string>
#include <string_view>

namespace gc::genome {

struct Region {
  // Marks "to the end of the chromosome" (a bare chromosome name, or the end not yet known).
  static constexpr std::int64_t to_end = -1;

  std::string chrom;
  std::int64_t start = 0;    // 0-based, inclusive
  std::int64_t end = to_end; // 0-based, exclusive

  [[nodiscard]] bool whole_chromosome() const noexcept { return start == 0 && end == to_end; }
  [[nodiscard]] std::int64_t length() const noexcept { return end == to_end ? -1 : end - start; }
  [[nodiscard]] bool overlaps(std::string_view c, std::int64_t s, std::int64_t e) const noexcept {
    return c == chrom && s < (end == to_end ? INT64_MAX : end) && e > start;
  }
  // "chrII:10001-200000" (1-based inclusive), or "chrII" for a whole chromosome.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Region&, const Region&) = default;
};

// Parses "chrII:10,000-200,000", "chrII:10000" (one base), "chrII:10kb-20kb" (k/m suffixes,
// case-insensitive, optional trailing "b"), or "chrII". Throws gc::InputError naming the text.
[[nodiscard]] Region parse_region(std::string_view text);

// Returns `region` with `to_end` replaced by `chrom_length`; throws gc::InputError when the
// region lies outside [0, chrom_length].
[[nodiscard]] Region clamp_to_chromosome(const Region& region, std::int64_t chrom_length);

} // namespace gc::genome
