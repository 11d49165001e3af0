#pragma once
// VCF/BCF through htslib: sites, samples and genotype dosages, with region queries through a
// .tbi/.csi index when present.
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/region.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::genome {

struct VariantSite {
  std::string chrom;
  std::int64_t pos = 0; // 0-based (VCF POS - 1)
  std::string id;       // "." when absent
  std::string ref;
  std::vector<std::string> alts;
  float qual = 0.0f;             // NaN when missing
  std::string filter;            // "PASS", ";"-joined names, or "." when missing
  float allele_frequency = 0.0f; // INFO/AF of the first alt when present, else from genotypes; NaN if neither
};

// Sites plus a row-major [sites x samples] dosage matrix: number of non-reference alleles in
// each call, -1 when the call is missing (any missing allele).
struct VariantTable {
  std::vector<ChromLength> contigs; // from the header (may be empty)
  std::vector<std::string> samples;
  std::vector<VariantSite> sites;
  std::vector<std::int8_t> dosage;

  [[nodiscard]] std::int8_t dosage_at(std::size_t site, std::size_t sample) const {
    return dosage[site * samples.size() + sample];
  }
  // The dosage matrix as floats with NaN for missing calls (the model's input).
  [[nodiscard]] std::vector<float> dosage_as_float() const;
};

enum class VariantFormat { vcf, vcf_gz, bcf };

class VcfReader {
public:
  // Opens and reads the header; throws gc::InputError for a missing file or a broken header.
  explicit VcfReader(const std::filesystem::path& path);
  ~VcfReader();
  VcfReader(VcfReader&&) noexcept;
  VcfReader& operator=(VcfReader&&) noexcept;

  [[nodiscard]] VariantFormat format() const noexcept;
  [[nodiscard]] const std::vector<std::string>& samples() const noexcept;
  [[nodiscard]] const std::vector<ChromLength>& contigs() const noexcept;
  [[nodiscard]] bool has_index() const noexcept;

  // Counts records without decoding genotypes (a fresh pass over the file).
  [[nodiscard]] std::size_t count_records() const;
  // All records (with genotypes when `genotypes`); throws gc::InputError naming the record
  // number on a malformed record. Reports the share of the file read to `progress` and throws
  // gc::Cancelled within a few thousand records of a cancel.
  [[nodiscard]] VariantTable read_all(bool genotypes = true, const Progress& progress = {}) const;
  // Records overlapping the region: through the index when there is one, else by a scan.
  // The chromosome is resolved through the built-in aliases against the header's contigs.
  // A scan reports as read_all does; an indexed query only checks for cancellation.
  [[nodiscard]] VariantTable query(const Region& region, bool genotypes = true,
                                   const Progress& progress = {}) const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace gc::genome
