#pragma once
// Genomic intervals: the one Region type of the project. In memory every interval is 0-based,
// half-open, like BED and htslib. Text is read UCSC style (1-based, inclusive, commas allowed)
// everywhere by default; RegionText::cooler reads the numbers as cooler and hictk do, for the
// commands whose output must equal theirs for the same text (`hic dump --region`).
#include <cstdint>
#include <string>
#include <string_view>

namespace gc::genome {

// How the two numbers of "chr1:A-B" are read. Both give the same 0-based half-open Region:
//   ucsc   (the default): A is 1-based, B inclusive. "chr1:10000-20000" is [9999, 20000), and
//          "chr1:10001-20000" is one 10 kb bin [10000, 20000). UCSC, IGV, samtools, Ensembl.
//   cooler: A is 0-based, B exclusive, both as written. "chr1:10000-20000" is [10000, 20000).
//          cooler dump -r, hictk, pairtools.
enum class RegionText { ucsc, cooler };

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
  // "chrII:10001-200000" (1-based inclusive), or "chrII" for a whole chromosome; with
  // RegionText::cooler "chrII:10000-200000" (0-based start, exclusive end).
  [[nodiscard]] std::string to_string(RegionText reading = RegionText::ucsc) const;

  friend bool operator==(const Region&, const Region&) = default;
};

// Parses "chrII:10,000-200,000", "chrII:10kb-20kb" (k/m/g suffixes, case-insensitive, optional
// trailing "b"), "chrII:10000-" (to the end of the chromosome) or "chrII". The UCSC reading also
// takes "chrII:10000" (one base); the cooler reading wants START-END and a non-empty interval,
// as cooler does. Throws gc::InputError naming the text.
[[nodiscard]] Region parse_region(std::string_view text, RegionText reading = RegionText::ucsc);

// Returns `region` with `to_end` replaced by `chrom_length`; throws gc::InputError when the
// region lies outside [0, chrom_length].
[[nodiscard]] Region clamp_to_chromosome(const Region& region, std::int64_t chrom_length);

} // namespace gc::genome
