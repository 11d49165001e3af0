#include "gc/hic/chrom_names.h"

namespace gc::hic {

std::string builtin_alias_resolver(const std::string& name, const std::vector<std::string>& known) {
  return genome::ChromAliases::builtin().resolve(name, known);
}

NameResolver alias_name_resolver(const genome::ChromAliases& aliases) {
  return [&aliases](const std::string& name, const std::vector<std::string>& known) {
    return aliases.resolve(name, known);
  };
}

genome::ChromComparison compare_chromosomes(const std::string& map_source, const BinTable& bins,
                                            const std::string& other_source,
                                            const std::vector<genome::ChromLength>& other,
                                            const genome::ChromAliases& aliases) {
  std::vector<genome::ChromLength> mine;
  mine.reserve(bins.chroms.size());
  for (const auto& c : bins.chroms)
    mine.push_back({c.name, c.length});
  return aliases.compare(map_source, mine, other_source, other);
}

} // namespace gc::hic
