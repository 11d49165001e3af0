#pragma once
// BED 3-12 columns and the ENCODE peak formats built on BED6 (plain or gzip): narrowPeak
// (BED6+4: signalValue, pValue, qValue, peak; MACS `callpeak`/`hmmratac` output) and broadPeak
// (BED6+3: the same without peak). `track`, `browser` and '#' lines are skipped.
//
// The format is taken from the extension (.narrowPeak, .broadPeak, any case, optionally .gz),
// else from the first record: 10 columns whose last four are number, number, number, integer
// are narrowPeak (a 10-column BED cannot exist: blocks need all of columns 10-12); 9 columns
// whose thickStart/thickEnd are not integers but numbers are broadPeak. Every later record must
// have the same layout.
#include "gc/genome/annotation.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gc::genome {

enum class BedFormat { automatic, bed, narrow_peak, broad_peak };

// "bed", "narrowPeak", "broadPeak" ("auto" for automatic).
[[nodiscard]] std::string_view to_string(BedFormat format) noexcept;
// narrow_peak/broad_peak from a .narrowPeak/.broadPeak name (any case, optionally .gz/.bgz);
// automatic otherwise.
[[nodiscard]] BedFormat bed_format_from_name(const std::filesystem::path& path);

struct BedRecord {
  std::string chrom;
  std::int64_t start = 0; // 0-based half-open, as in the file
  std::int64_t end = 0;
  std::string name;
  double score = 0.0;
  Strand strand = Strand::unknown;
  std::int64_t thick_start = 0; // start/end when the file has no thick columns
  std::int64_t thick_end = 0;
  std::string item_rgb;
  std::vector<std::int64_t> block_sizes;
  std::vector<std::int64_t> block_starts; // relative to start
  int columns = 3; // how many columns the record had (3..12); writers emit the same number
  BedFormat format = BedFormat::bed;
  // narrowPeak/broadPeak columns 7-10, as in the file; -1 = not given (the formats' convention).
  double signal_value = -1.0;
  double p_value = -1.0;  // -log10
  double q_value = -1.0;  // -log10
  std::int64_t peak = -1; // narrowPeak summit, offset from start
};

// Throws gc::InputError naming the file and line for a wrong column count, non-numeric or
// negative coordinates, start > end, inconsistent blocks, a record whose layout differs from
// the file's, or a narrowPeak summit outside its peak. Reports the share of the file read to
// `progress` and throws gc::Cancelled within a few thousand lines of a cancel.
[[nodiscard]] std::vector<BedRecord> read_bed(const std::filesystem::path& path,
                                              BedFormat format = BedFormat::automatic,
                                              const Progress& progress = {});
[[nodiscard]] std::vector<BedRecord> read_bed(const std::filesystem::path& path, const Progress& progress);
[[nodiscard]] std::vector<BedRecord> parse_bed(std::string_view text, const std::string& origin = "<text>",
                                               BedFormat format = BedFormat::automatic);

} // namespace gc::genome
