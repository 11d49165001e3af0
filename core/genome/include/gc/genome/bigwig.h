#pragma once
// bigWig tracks through Debian's libBigWig: reading signal for the browser and `info`, writing the
// attention, variant-effect and knockout-impact tracks (DESIGN §5). Coordinates are 0-based,
// half-open; values are the 32-bit floats the format stores.
//
// Thread safety. libBigWig keeps one file position and read buffer per handle and loads index
// nodes into the handle lazily, so even a read changes the handle. A BigWigReader therefore runs
// its queries under its own mutex: one reader may be shared between threads (for example as
// std::shared_ptr<const BigWigReader>), but its queries then run one at a time; for parallel reads
// open one reader per thread. Separate readers and writers share nothing but libBigWig's global
// set-up (bwInit), which is done once, thread-safely, on first use.
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/region.h"
#include "gc/util/json.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gc::genome {

struct BigWigInterval {
  std::int64_t start = 0; // 0-based, inclusive
  std::int64_t end = 0;   // 0-based, exclusive
  float value = 0.0F;

  friend bool operator==(const BigWigInterval&, const BigWigInterval&) = default;
};

// The header's whole-file summary, as stored in the file.
struct BigWigSummary {
  std::uint64_t bases_covered = 0;
  double min = 0.0;
  double max = 0.0;
  double sum = 0.0;
  double sum_squares = 0.0;
  // sum / bases_covered; NaN when no base is covered.
  [[nodiscard]] double mean() const noexcept;
};

// Per-bin statistics. coverage is the fraction of the bin's bases that have a value (zero-valued
// intervals count: they are data); sum is Σ value × bases. Bins without data give 0 for
// coverage and sum, NaN for mean, min and max.
enum class BigWigStat { mean, max, min, coverage, sum };

// zoomed: libBigWig's bwStats, which reads the coarsest zoom level whose records are at most half
// a bin wide (fast at any scale; approximate where a zoom record straddles a bin edge) and the
// base-resolution data when no level is fine enough. exact: computed here from the intervals.
enum class BigWigStatsMode { zoomed, exact };

class BigWigReader {
public:
  // Throws gc::InputError naming the file when it is missing or unreadable, not a bigWig (a text
  // file, a bigBed), big-endian, truncated (header offsets past the end, no end-of-file
  // signature) or corrupt (libBigWig cannot read its chromosome list or index).
  explicit BigWigReader(const std::filesystem::path& path);
  ~BigWigReader();
  BigWigReader(BigWigReader&&) noexcept;
  BigWigReader& operator=(BigWigReader&&) noexcept;
  BigWigReader(const BigWigReader&) = delete;
  BigWigReader& operator=(const BigWigReader&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  // Chromosomes in file order (their ids in the file).
  [[nodiscard]] const std::vector<ChromLength>& chromosomes() const noexcept;
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] const BigWigSummary& summary() const noexcept;
  // Bases per summary record of each zoom level, finest first.
  [[nodiscard]] std::vector<std::int64_t> zoom_levels() const;
  [[nodiscard]] int version() const noexcept;

  // The file's name for `chrom` (exact, "chr" prefix or alias); throws gc::InputError naming the
  // file and the chromosome when there is none.
  [[nodiscard]] std::string resolve_name(const std::string& chrom) const;
  [[nodiscard]] std::int64_t length(const std::string& chrom) const;

  // The stored intervals overlapping [start, end), in file order, not clipped to the query.
  // Throws gc::InputError for an unknown chromosome, an interval outside it, or unreadable data.
  [[nodiscard]] std::vector<BigWigInterval> intervals(const std::string& chrom, std::int64_t start,
                                                      std::int64_t end) const;
  // A whole-chromosome region (Region::to_end) reads the whole chromosome.
  [[nodiscard]] std::vector<BigWigInterval> intervals(const Region& region) const;

  // `n_bins` values over [start, end) split into bins of equal size (bin i covers
  // [start + ⌊i·L/n⌋, start + ⌊(i+1)·L/n⌋), L = end − start); 1 ≤ n_bins ≤ L.
  [[nodiscard]] std::vector<double> stats(const std::string& chrom, std::int64_t start, std::int64_t end,
                                          int n_bins, BigWigStat stat,
                                          BigWigStatsMode mode = BigWigStatsMode::zoomed) const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Intervals by chromosome name; each chromosome's intervals sorted by start and non-overlapping.
using BigWigTrack = std::map<std::string, std::vector<BigWigInterval>>;

// UCSC's bedGraphToBigWig default; libBigWig may write fewer when the data are too coarse.
inline constexpr int bigwig_default_zoom_levels = 10;

// Writes a bigWig (bedGraph-type blocks, zlib-compressed, up to `zoom_levels` zoom levels, 0..10)
// under a temporary name and renames it into place. Chromosomes are stored in name order (byte-wise,
// as bedGraphToBigWig does), whatever their order in `chromosomes`. Everything is validated before
// any file is created: gc::InputError names the output file and the offending chromosome/interval
// for an empty, duplicate or over-long (> 2^32 − 1) chromosome, intervals on a chromosome not in
// `chromosomes`, an interval outside its chromosome, empty, unsorted or overlapping the previous
// one, a non-finite value, no interval at all, or zoom_levels outside 0..10.
void write_bigwig(const std::filesystem::path& path, const std::vector<ChromLength>& chromosomes,
                  const BigWigTrack& intervals, int zoom_levels = bigwig_default_zoom_levels);

// The bigWig signature 0x888FFC26 in the first 4 bytes, either byte order (a big-endian file is
// still recognised, so the reader can say why it is refused).
[[nodiscard]] bool looks_like_bigwig(const std::string& head) noexcept;

// For `genocircuit-cli info`: format "bigwig", version, chromosomes [{name, length}], zoom_levels,
// and the header summary: bases_covered, sum, min, max, mean (null when nothing is covered).
[[nodiscard]] Json summarize_bigwig(const std::filesystem::path& path);
[[nodiscard]] Json summarize_bigwig(const BigWigReader& reader);

} // namespace gc::genome
