#pragma once
// Format-independent view of a Hi-C contact matrix at one resolution: the bin table, stored
// pixels (upper triangle for symmetric storage) and normalisation vectors. The cooler and
// Juicer readers implement ContactMap; queries, balancing and analyses work on this interface.
#include "gc/genome/region.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace gc::hic {

struct Chrom {
  std::string name;
  std::int64_t length = 0;
};

// Maps a user-supplied chromosome name to one of `known`; throws gc::InputError when it cannot.
// The default everywhere is builtin_alias_resolver (gc::genome's alias table, see chrom_names.h);
// exact_name_resolver is the strict alternative.
using NameResolver =
    std::function<std::string(const std::string& name, const std::vector<std::string>& known)>;

// Exact match; otherwise an InputError that suggests the name with a "chr" prefix added or removed
// when that one exists.
[[nodiscard]] std::string exact_name_resolver(const std::string& name, const std::vector<std::string>& known);
// Through gc::genome::ChromAliases::builtin(): "II", "chrII" and "2" all find "chrII"; "M" finds
// "chrMito". Unknown names throw InputError listing the closest known names.
[[nodiscard]] std::string builtin_alias_resolver(const std::string& name,
                                                 const std::vector<std::string>& known);

struct BinTable {
  std::vector<Chrom> chroms;
  std::vector<std::int32_t> chrom; // chromosome index of each bin
  std::vector<std::int64_t> start;
  std::vector<std::int64_t> end;
  std::vector<std::int64_t> chrom_offset; // first bin of each chromosome, plus nbins at the end
  std::int64_t bin_size = 0;              // 0 for variable-size bins

  [[nodiscard]] std::int64_t size() const noexcept { return static_cast<std::int64_t>(start.size()); }
  [[nodiscard]] std::vector<std::string> chrom_names() const;
  [[nodiscard]] int chrom_index(const std::string& name) const noexcept; // -1 when absent
  // Fixed-size bins over `chroms` (the last bin of a chromosome is shorter).
  [[nodiscard]] static BinTable fixed(std::vector<Chrom> chroms, std::int64_t bin_size);
  // Fills chrom_offset from `chrom` and checks that bins are grouped by chromosome in order.
  void index_chromosomes();
};

// A contiguous range of global bin ids [lo, hi) inside one chromosome.
struct BinRange {
  int chrom = -1;
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  [[nodiscard]] std::int64_t size() const noexcept { return hi - lo; }
};

// Resolves a region (gc::genome::Region: 0-based, half-open) to the bins that overlap it.
// Unknown chromosome (through `resolver`), a region outside the chromosome or an empty one ->
// InputError.
[[nodiscard]] BinRange resolve_region(const BinTable& bins, const genome::Region& region,
                                      const NameResolver& resolver = builtin_alias_resolver);
// The text is read the default (UCSC, 1-based inclusive) way: "chr1:10001-20000" is [10000,
// 20000). Parse with genome::RegionText::cooler and pass the Region for cooler's reading.
[[nodiscard]] BinRange resolve_region(const BinTable& bins, const std::string& region,
                                      const NameResolver& resolver = builtin_alias_resolver);

struct Pixel {
  std::int64_t bin1 = 0;
  std::int64_t bin2 = 0;
  double count = 0;
  friend bool operator==(const Pixel&, const Pixel&) = default;
};

// A normalisation vector. Cooler multiplies (balanced = count * w_i * w_j); Juicer divides
// (balanced = count / (v_i * v_j)). `divisive` records which; factor() always gives the
// multiplicative factor, NaN for a masked bin (NaN, infinite, or a zero divisor).
struct Weights {
  std::vector<double> values;
  bool divisive = false;
  [[nodiscard]] double factor(std::int64_t bin) const noexcept;
  [[nodiscard]] std::vector<double> factors() const;
  [[nodiscard]] static Weights multiplicative(std::vector<double> values) {
    return {std::move(values), false};
  }
};

class ContactMap {
public:
  virtual ~ContactMap() = default;
  [[nodiscard]] virtual const BinTable& bins() const = 0;
  // True for symmetric-upper storage: only pixels with bin1 <= bin2 are stored.
  [[nodiscard]] virtual bool symmetric() const = 0;
  // Stored pixels with bin1 in [row_lo, row_hi) and bin2 in [col_lo, col_hi), sorted by
  // (bin1, bin2). Reads only what the rectangle needs.
  [[nodiscard]] virtual std::vector<Pixel> fetch_stored(std::int64_t row_lo, std::int64_t row_hi,
                                                        std::int64_t col_lo, std::int64_t col_hi) const = 0;
  // Streams every stored pixel in chunks, in (bin1, bin2) order for coolers.
  virtual void for_each_chunk(const std::function<void(std::span<const Pixel>)>& sink) const = 0;
  // Names of the stored normalisations ("weight" for cooler, "KR", "VC", ... for .hic).
  [[nodiscard]] virtual std::vector<std::string> weight_names() const = 0;
  // Throws InputError listing the stored names when `name` is not one of them.
  [[nodiscard]] virtual Weights weights(const std::string& name) const = 0;
  // The normalisation `--balance file` uses: "weight" for cooler, the first stored for .hic.
  [[nodiscard]] virtual std::string default_weight_name() const = 0;
  [[nodiscard]] virtual std::int64_t nnz() const = 0;
  // File (and group/resolution) this map was read from, for messages.
  [[nodiscard]] virtual std::string source() const = 0;

  // All stored pixels in memory (for balancing and whole-matrix work).
  [[nodiscard]] std::vector<Pixel> all_pixels() const;
};

// Opens a contact map by URI: "file.cool", "file.mcool::/resolutions/N", "file.scool::/cells/NAME",
// "file.hic" (finest resolution) or "file.hic::N" (bin size N). Sniffs the format by content.
[[nodiscard]] std::unique_ptr<ContactMap> open_contact_map(const std::string& uri);

} // namespace gc::hic
