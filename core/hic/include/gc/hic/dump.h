#pragma once
// Text dumps like `cooler dump`: COO (bin1_id bin2_id value) or joined bedGraph2
// (chrom1 start1 end1 chrom2 start2 end2 value), upper triangle for symmetric storage.
#include "gc/hic/contact_map.h"

#include <optional>
#include <ostream>
#include <string>

namespace gc::hic {

enum class DumpFormat { bg2, coo };
[[nodiscard]] DumpFormat parse_dump_format(const std::string& name);

struct DumpOptions {
  std::optional<std::string> region;  // none = the whole matrix
  std::optional<std::string> region2; // none = region
  Weights weights;                    // empty = raw counts
  DumpFormat format = DumpFormat::bg2;
  NameResolver resolver = exact_name_resolver;
};

// Writes one line per pixel; balanced values use the shortest round-trip decimal form (like
// Python's repr, which cooler's output goes through), raw integer counts print as integers.
// Returns the number of lines.
std::int64_t dump(std::ostream& out, const ContactMap& map, const DumpOptions& options);

} // namespace gc::hic
