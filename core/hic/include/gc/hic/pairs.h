#pragma once
// 4DN .pairs files (plain, gzip or bgzip) binned into a cooler the way `cooler cload pairs` does:
// positions are 1-based unless zero_based, pairs on chromosomes outside the bin table are dropped,
// lower-triangle pairs are reflected into the upper triangle for symmetric-upper storage, repeats
// are summed, and chromosomes keep the order of the chrom sizes (or bins) file.
#include "gc/hic/contact_map.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::hic {

// The leading '#' lines of a .pairs file.
struct PairsHeader {
  std::string format;               // "pairs format v1.0" from "## pairs format v1.0", else empty
  std::vector<Chrom> chromsizes;    // "#chromsize: NAME LENGTH" lines, in file order
  std::vector<std::string> columns; // "#columns: readID chrom1 pos1 ..." names, empty when absent
  std::string genome_assembly;      // "#genome_assembly:"
  std::string sorted;               // "#sorted:"
  std::string shape;                // "#shape:"
  std::vector<std::string> lines;   // every header line, as written
};

// Reads only the header. Throws InputError naming the file and line for a malformed #chromsize:
// line (missing or non-positive length, repeated name) or an unreadable/corrupt file.
[[nodiscard]] PairsHeader read_pairs_header(const std::filesystem::path& pairs);

// A two-column chrom sizes file (NAME LENGTH, tab or space separated; blank and '#' lines
// skipped), in file order. Bad lengths and repeated names are InputErrors naming the line.
[[nodiscard]] std::vector<Chrom> read_chrom_sizes(const std::filesystem::path& file);

// The genomic bins that pairs are counted into.
struct Binning {
  BinTable bins;
  std::string source; // where the bins came from, for messages and summaries

  // Fixed-size bins over `chroms` (cooler's binnify: the last bin of a chromosome is shorter).
  [[nodiscard]] static Binning fixed(std::vector<Chrom> chroms, std::int64_t bin_size,
                                     std::string source = "chromosome sizes");
  [[nodiscard]] static Binning from_chrom_sizes(const std::filesystem::path& sizes, std::int64_t bin_size);
  // "SIZES:BINSIZE" as cooler's BINS argument takes it (split at the last ':').
  [[nodiscard]] static Binning from_spec(const std::string& sizes_colon_bin_size);
  // Variable bins from a BED file (chrom start end, further columns ignored; plain or gzip).
  // Each chromosome's bins must be consecutive lines that tile it from 0 without gaps or
  // overlaps; its length is the end of its last bin (as cooler derives it).
  [[nodiscard]] static Binning from_bed(const std::filesystem::path& bed);
};

// 0-based column indices of the fields a pair is binned from.
struct PairsColumns {
  int chrom1 = 1;
  int pos1 = 2;
  int chrom2 = 3;
  int pos2 = 4;
};

// The header's "#columns:" positions of chrom1, pos1, chrom2 and pos2; the 4DN default
// (readID chrom1 pos1 chrom2 pos2) without that line. InputError naming `file` when the line
// lacks one of them.
[[nodiscard]] PairsColumns columns_from_header(const PairsHeader& header, const std::filesystem::path& file);

// Each pair's chromosomes and positions as written (no 1-/0-based shift, no chromosome check);
// the views are valid during the call only.
using PairVisitor = std::function<void(std::string_view chrom1, std::int64_t pos1, std::string_view chrom2,
                                       std::int64_t pos2)>;
// Streams every pair line after the header through `visit`, with aggregate_pairs's checks of
// field counts and integer positions (InputError naming the file and line), progress reports and
// cancellation checks; for scans that need no bins (chromosome extents, counts).
void for_each_pair(const std::filesystem::path& pairs, const PairsColumns& columns, const PairVisitor& visit,
                   const Progress& progress = {});

// What happens to a pair whose first end lies after its second (chromosome order of the bins,
// then position) under symmetric-upper storage; cooler's --input-copy-status.
enum class LowerTriangle {
  reflect, // "unique": each contact appears once, in either orientation; swap its ends
  drop,    // "duplex": each contact appears in both orientations; keep the upper copy only
};

struct PairsOptions {
  // Column positions; default: from "#columns:" when present, else readID chrom1 pos1 chrom2 pos2.
  std::optional<PairsColumns> columns;
  bool zero_based = false;     // positions are 0-based (cooler --zero-based)
  bool symmetric_upper = true; // false: square storage, no reflection (cooler --no-symmetric-upper)
  LowerTriangle lower_triangle = LowerTriangle::reflect;
  // 0-based column summed as the pixel value instead of counting pairs (cooler --field count=N).
  std::optional<int> count_column;
  // Also match chromosome names through the alias table (chrI / I / 1); off = exact, like cooler.
  bool chrom_aliases = false;
  std::string assembly; // stored as the cooler's "assembly" attribute when not empty
  // Pairs buffered before repeats are summed; bounds memory to about the number of distinct pixels.
  std::size_t buffer_pairs = std::size_t{1} << 22;
};

struct PairsSummary {
  std::int64_t lines = 0;                             // lines in the file, header included
  std::int64_t header_lines = 0;                      // leading '#' lines
  std::int64_t pairs_read = 0;                        // data lines parsed
  std::int64_t pairs_binned = 0;                      // pairs counted into pixels
  std::int64_t pairs_dropped = 0;                     // pairs_read - pairs_binned
  std::int64_t dropped_unknown_chrom = 0;             // an end on a chromosome outside the bins
  std::int64_t dropped_lower_triangle = 0;            // LowerTriangle::drop
  std::int64_t reflected = 0;                         // lower-triangle pairs swapped into the upper triangle
  std::map<std::string, std::int64_t> unknown_chroms; // dropped pairs by unknown chromosome name
  std::int64_t bins = 0;
  std::int64_t pixels = 0;  // distinct non-zero pixels
  double total_count = 0.0; // sum of pixel values
  PairsColumns columns;     // the columns used
  // E.g. a "#chromsize:" length that differs from the bins' length for that chromosome.
  std::vector<std::string> warnings;
};

struct BinnedPairs {
  std::vector<Pixel> pixels; // sorted by (bin1, bin2), repeats summed, no zeros
  PairsSummary summary;
};

// Reads and bins a .pairs file in memory. Malformed lines (a field count different from the first
// pair line's, too few fields for the columns used, a non-integer or negative position, a position
// at or beyond its chromosome's end) are InputErrors naming the file and line; so is a file with no
// pairs. Pairs with an end on a chromosome outside the bins are dropped and counted. Reports
// progress and checks cancellation about every million lines.
[[nodiscard]] BinnedPairs aggregate_pairs(const std::filesystem::path& pairs, const Binning& binning,
                                          const Progress& progress = {}, const PairsOptions& options = {});

// aggregate_pairs, then writes `out_cool` atomically (nothing is left behind on error or cancel).
PairsSummary bin_pairs(const std::filesystem::path& pairs, const Binning& binning,
                       const std::filesystem::path& out_cool, const Progress& progress = {},
                       const PairsOptions& options = {});

} // namespace gc::hic
