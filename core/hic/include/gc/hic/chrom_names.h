#pragma once
// Chromosome names of Hi-C maps reconciled through gc::genome's alias table: a region written
// with a genome's names ("II", "Mito") finds the cooler's "chrII", "chrMito"; lengths are
// compared with another source (a FASTA) through the same table.
#include "gc/genome/chrom_aliases.h"
#include "gc/hic/contact_map.h"

#include <string>
#include <vector>

namespace gc::hic {

// A NameResolver backed by `aliases` (which must outlive it). Unknown names throw InputError
// listing the closest known names.
[[nodiscard]] NameResolver alias_name_resolver(const genome::ChromAliases& aliases);

// The map's chromosomes (source A, named `map_source`) against `other` (source B): matched
// names, length mismatches (also logged as warnings) and names found on one side only.
[[nodiscard]] genome::ChromComparison
compare_chromosomes(const std::string& map_source, const BinTable& bins, const std::string& other_source,
                    const std::vector<genome::ChromLength>& other,
                    const genome::ChromAliases& aliases = genome::ChromAliases::builtin());

} // namespace gc::hic
