#pragma once
// Cooler (open2c) HDF5 contact matrices: .cool, .mcool (/resolutions/N) and .scool (/cells/NAME),
// schema versions 2 and 3, symmetric-upper and asymmetric storage, fixed and variable bins.
#include "gc/hic/contact_map.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gc::hic {

// "file.mcool::/resolutions/1000" -> {file.mcool, /resolutions/1000}; no "::" -> group "/".
struct CoolerUri {
  std::filesystem::path file;
  std::string group = "/";
};
[[nodiscard]] CoolerUri parse_cooler_uri(const std::string& uri);

enum class CoolerKind { single, multires, single_cell, not_cooler };
// Looks at the root of an HDF5 file: a "format" attribute of HDF5::Cooler / HDF5::MCOOL / HDF5::SCOOL,
// or the groups (pixels, resolutions, cells) that identify a cooler. Non-HDF5 -> not_cooler.
[[nodiscard]] CoolerKind sniff_cooler(const std::filesystem::path& file);
// Stored resolutions of an .mcool, ascending. InputError when the file has none.
[[nodiscard]] std::vector<std::int64_t> list_resolutions(const std::filesystem::path& file);
// Cell names of an .scool.
[[nodiscard]] std::vector<std::string> list_cells(const std::filesystem::path& file);

struct CoolerInfo {
  int format_version = 0;
  std::string bin_type; // "fixed" or "variable"
  std::int64_t bin_size = 0;
  std::string storage_mode; // "symmetric-upper" or "square"
  std::int64_t nbins = 0;
  std::int64_t nchroms = 0;
  std::int64_t nnz = 0;
  std::string assembly;
  std::string generated_by;
};

class CoolerMap final : public ContactMap {
public:
  // Opens one cooler (a URI as parse_cooler_uri understands). A multi-resolution or single-cell
  // container without a group path is an InputError listing the resolutions or cells.
  explicit CoolerMap(const std::string& uri);
  ~CoolerMap() override;
  CoolerMap(const CoolerMap&) = delete;
  CoolerMap& operator=(const CoolerMap&) = delete;

  [[nodiscard]] const BinTable& bins() const override { return m_bins; }
  [[nodiscard]] bool symmetric() const override { return m_symmetric; }
  [[nodiscard]] std::vector<Pixel> fetch_stored(std::int64_t row_lo, std::int64_t row_hi, std::int64_t col_lo,
                                                std::int64_t col_hi) const override;
  void for_each_chunk(const std::function<void(std::span<const Pixel>)>& sink) const override;
  [[nodiscard]] std::vector<std::string> weight_names() const override;
  [[nodiscard]] Weights weights(const std::string& name) const override;
  [[nodiscard]] std::string default_weight_name() const override { return "weight"; }
  [[nodiscard]] std::int64_t nnz() const override { return m_info.nnz; }
  [[nodiscard]] std::string source() const override;

  [[nodiscard]] const CoolerInfo& info() const noexcept { return m_info; }
  [[nodiscard]] const CoolerUri& uri() const noexcept { return m_uri; }
  // Attributes stored on a bins/ column (e.g. cooler's "scale", "converged" on weight) as text.
  [[nodiscard]] std::map<std::string, std::string> weight_attributes(const std::string& name) const;

private:
  [[nodiscard]] std::vector<Pixel> read_pixels(std::int64_t lo, std::int64_t hi) const;
  struct Handles;
  std::unique_ptr<Handles> m_h;
  CoolerUri m_uri;
  CoolerInfo m_info;
  BinTable m_bins;
  std::vector<std::int64_t> m_bin1_offset;
  bool m_symmetric = true;
};

// ---- writing ----

struct CoolerWriteOptions {
  std::string assembly;             // omitted when empty
  bool symmetric_upper = true;      // pixels below the diagonal are mirrored into the upper triangle
  std::optional<bool> float_counts; // default: float64 when any count is not an integer, else int32
  // Extra bins/ columns (e.g. "weight"), nbins values each; stored as float64.
  std::map<std::string, std::vector<double>> bin_columns;
  // Attributes for a bin column, e.g. {"weight", {{"scale", 1.5}}} (numeric only).
  std::map<std::string, std::map<std::string, double>> bin_column_attributes;
  std::string generated_by = "genocircuit";
  int compression = 6;
};

// Writes one cooler to `file` atomically. Pixels may be unsorted and may repeat (repeats are
// summed); bin ids must be < bins.size(). No creation-date is written, so output is reproducible.
void write_cooler(const std::filesystem::path& file, const BinTable& bins, std::vector<Pixel> pixels,
                  const CoolerWriteOptions& options = {});

// Convenience for simulators: fixed-size bins over `chroms`.
void write_cooler(const std::filesystem::path& file, const std::vector<Chrom>& chroms, std::int64_t bin_size,
                  std::vector<Pixel> pixels, const CoolerWriteOptions& options = {});

// Sums pixels into bins `factor` times coarser (within each chromosome, like cooler coarsen).
// `bins` must be fixed-size. Returns the coarse bin table and the summed, sorted pixels.
[[nodiscard]] std::pair<BinTable, std::vector<Pixel>>
coarsen(const BinTable& bins, const std::vector<Pixel>& pixels, std::int64_t factor);

// Multi-resolution file: the base resolution plus every factor (each > 1 is a coarsening of the
// base), under /resolutions/<bin size>, like `cooler zoomify`. When `balance` is set each
// resolution gets an ICE "weight" column with cooler's defaults.
void write_mcool(const std::filesystem::path& file, const BinTable& bins, const std::vector<Pixel>& pixels,
                 const std::vector<std::int64_t>& factors, const CoolerWriteOptions& options = {},
                 bool balance = false);
// Zoomifies an existing cooler.
void zoomify(const std::string& cool_uri, const std::filesystem::path& out_mcool,
             const std::vector<std::int64_t>& factors, bool balance = false);

// Replaces (or adds) bins/<name> of a single cooler with `weights` (multiplicative, NaN = masked)
// and its attributes, atomically: the file is copied, modified and renamed over the original.
void store_weights(const std::string& cool_uri, const std::string& name, const std::vector<double>& weights,
                   const std::map<std::string, double>& attributes = {});

} // namespace gc::hic
