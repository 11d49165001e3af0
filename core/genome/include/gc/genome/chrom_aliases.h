#pragma once
// Reconciling chromosome names between sources (a genome says "I" and "Mito", a cooler says
// "chrI" and "chrMito"). Equivalences: adding/removing a "chr" prefix, plus groups from
// resources/chrom_aliases.tsv (roman <-> arabic numerals, M/MT/Mito, ...) and any extra TSV the
// user loads.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gc::genome {

struct ChromLength {
  std::string name;
  std::int64_t length = 0;
};

struct LengthMismatch {
  std::string name_a; // as named in source A
  std::string name_b; // as named in source B
  std::int64_t length_a = 0;
  std::int64_t length_b = 0;
};

struct ChromComparison {
  std::vector<std::pair<std::string, std::string>> matched; // (name in A, name in B), A's order
  std::vector<LengthMismatch> length_mismatches;
  std::vector<std::string> only_in_a;
  std::vector<std::string> only_in_b;
};

class ChromAliases {
public:
  // Empty table: only the "chr" prefix rule applies.
  ChromAliases() = default;
  // The table shipped in resources/chrom_aliases.tsv (embedded at build time).
  [[nodiscard]] static const ChromAliases& builtin();

  // Adds groups from a TSV file (one group of equivalent names per line, '#' comments).
  // Throws gc::InputError naming the file and line on malformed input.
  void load_tsv(const std::filesystem::path& path);
  // Same, from text; `origin` names the source in errors.
  void load_text(std::string_view text, const std::string& origin);
  // Declares names equivalent (merging with groups they already belong to).
  void add_group(const std::vector<std::string>& names);

  // The name in `known_names` that `name` denotes, or nullopt. Prefers an exact match, then
  // the "chr" prefix rule, then alias groups, then a case-insensitive match of those.
  [[nodiscard]] std::optional<std::string> find(std::string_view name,
                                                const std::vector<std::string>& known_names) const;
  // Like find(); throws gc::InputError suggesting the closest known names when there is no match.
  // `source` (a file name) is used in the message.
  [[nodiscard]] std::string resolve(std::string_view name, const std::vector<std::string>& known_names,
                                    const std::string& source = {}) const;

  // Matches B's chromosomes to A's and reports length mismatches; each mismatch is also logged
  // as a warning naming both sources.
  [[nodiscard]] ChromComparison compare(const std::string& source_a, const std::vector<ChromLength>& a,
                                        const std::string& source_b, const std::vector<ChromLength>& b) const;

private:
  [[nodiscard]] std::vector<std::string> equivalents(std::string_view name) const;
  std::vector<std::vector<std::string>> m_groups;
};

} // namespace gc::genome
