#pragma once
// BED 3-12 columns (plain or gzip). `track`, `browser` and '#' lines are skipped.
#include "gc/genome/annotation.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gc::genome {

struct BedRecord {
  std::string chrom;
  std::int64_t start = 0; // 0-based half-open, as in the file
  std::int64_t end = 0;
  std::string name;
  double score = 0.0;
  Strand strand = Strand::unknown;
  std::int64_t thick_start = 0;
  std::int64_t thick_end = 0;
  std::string item_rgb;
  std::vector<std::int64_t> block_sizes;
  std::vector<std::int64_t> block_starts; // relative to start
  int columns = 3; // how many columns the record had (3..12); writers emit the same number
};

// Throws gc::InputError naming the file and line for a wrong column count, non-numeric or
// negative coordinates, start > end, or inconsistent blocks.
[[nodiscard]] std::vector<BedRecord> read_bed(const std::filesystem::path& path);
[[nodiscard]] std::vector<BedRecord> parse_bed(std::string_view text, const std::string& origin = "<text>");

} // namespace gc::genome
