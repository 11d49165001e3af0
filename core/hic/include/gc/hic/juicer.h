#pragma once
// Juicer .hic files, format versions 8 and 9: header, footer (master index, expected values,
// normalisation vector index), per-resolution block indexes and zlib-compressed blocks. Every
// read is bounds-checked against the file size, so a truncated or corrupt file is an InputError.
#include "gc/hic/contact_map.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gc::hic {

struct HicHeader {
  int version = 0;
  std::int64_t footer_position = 0;
  std::string genome;
  std::int64_t nvi_position = 0; // v9
  std::int64_t nvi_length = 0;   // v9
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<Chrom> chroms; // as stored, including Juicer's "All" pseudo-chromosome
  std::vector<std::int32_t> bp_resolutions;
  std::vector<std::int32_t> frag_resolutions;
};

struct HicExpected {
  std::string normalization; // "NONE", "KR", ...
  std::string unit;
  std::int32_t bin_size = 0;
  std::vector<double> values;
  std::map<std::int32_t, double> chrom_scale; // file chromosome index -> scale factor
};

class HicFile {
public:
  explicit HicFile(const std::filesystem::path& path);
  ~HicFile();
  HicFile(const HicFile&) = delete;
  HicFile& operator=(const HicFile&) = delete;

  [[nodiscard]] const HicHeader& header() const noexcept { return m_header; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
  [[nodiscard]] const std::vector<HicExpected>& expected() const noexcept { return m_expected; }
  // Normalisation types with a stored vector at this bp resolution (e.g. "KR", "VC", "VC_SQRT", "SCALE").
  [[nodiscard]] std::vector<std::string> normalizations(std::int32_t bin_size) const;
  // False for a file written without normalisations (its footer ends after the expected values).
  [[nodiscard]] bool has_normalizations() const noexcept;
  // Raw stored vector (divisive), empty when absent.
  [[nodiscard]] std::vector<double> norm_vector(const std::string& type, std::int32_t file_chrom,
                                                std::int32_t bin_size) const;
  // Records of the chr1 x chr2 matrix (file chromosome indices, chr1 <= chr2) at a bp resolution
  // whose bins lie in [x_lo, x_hi) on chr1 and [y_lo, y_hi) on chr2 (bins local to each chromosome).
  // Intra-chromosomal records are returned with bin1 <= bin2.
  [[nodiscard]] std::vector<Pixel> read_matrix(std::int32_t chr1, std::int32_t chr2, std::int32_t bin_size,
                                               std::int64_t x_lo, std::int64_t x_hi, std::int64_t y_lo,
                                               std::int64_t y_hi) const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::filesystem::path m_path;
  HicHeader m_header;
  std::vector<HicExpected> m_expected;
};

// One bp resolution of a .hic as a ContactMap (symmetric-upper; the "All" chromosome is left out;
// stored normalisations are divisive Weights).
class HicMap final : public ContactMap {
public:
  // bin_size 0 = finest stored resolution; an unstored one is an InputError listing those stored.
  HicMap(std::shared_ptr<const HicFile> file, std::int32_t bin_size);
  [[nodiscard]] const BinTable& bins() const override { return m_bins; }
  [[nodiscard]] bool symmetric() const override { return true; }
  [[nodiscard]] std::vector<Pixel> fetch_stored(std::int64_t row_lo, std::int64_t row_hi, std::int64_t col_lo,
                                                std::int64_t col_hi) const override;
  void for_each_chunk(const std::function<void(std::span<const Pixel>)>& sink) const override;
  [[nodiscard]] std::vector<std::string> weight_names() const override;
  [[nodiscard]] Weights weights(const std::string& name) const override;
  [[nodiscard]] std::string default_weight_name() const override;
  [[nodiscard]] std::int64_t nnz() const override { return -1; } // unknown without decoding every block
  [[nodiscard]] std::string source() const override;
  [[nodiscard]] const HicFile& file() const noexcept { return *m_file; }

private:
  std::shared_ptr<const HicFile> m_file;
  std::int32_t m_bin_size = 0;
  BinTable m_bins;
  std::vector<std::int32_t> m_file_chrom; // our chromosome index -> file index
};

// True when the file starts with the "HIC\0" magic.
[[nodiscard]] bool is_hic_file(const std::filesystem::path& path);

} // namespace gc::hic
