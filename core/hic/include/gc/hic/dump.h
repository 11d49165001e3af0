#pragma once
// Text dumps like `cooler dump`: COO (bin1_id bin2_id count) or joined bedGraph2
// (chrom1 start1 end1 chrom2 start2 end2 count), upper triangle for symmetric storage. With
// weights, a `balanced` column follows the raw count, as `cooler dump --balanced [--join]` prints
// it: count * w1 * w2 in printf "%g" form (cooler's default --float-format), empty for a pixel
// touching a masked bin (cooler's default --na-rep ''); such pixels are not left out.
#include "gc/hic/contact_map.h"

#include <optional>
#include <ostream>
#include <string>

namespace gc::hic {

enum class DumpFormat { bg2, coo };
[[nodiscard]] DumpFormat parse_dump_format(const std::string& name);

struct DumpOptions {
  // `genocircuit-cli hic dump` parses --region with genome::RegionText::cooler, so that its
  // output equals `cooler dump -r` for the same text.
  std::optional<genome::Region> region;  // none = the whole matrix
  std::optional<genome::Region> region2; // none = region
  Weights weights;                       // empty = no balanced column
  DumpFormat format = DumpFormat::bg2;
  int balanced_digits = 6; // significant digits of the balanced column ("%g" = 6)
  NameResolver resolver = builtin_alias_resolver;
};

// Writes one line per stored pixel; integer counts print as integers, other counts in the
// shortest round-trip decimal form. Returns the number of lines.
std::int64_t dump(std::ostream& out, const ContactMap& map, const DumpOptions& options);

} // namespace gc::hic
