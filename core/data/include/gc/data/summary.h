#pragma once
// Small summaries shared by importers (built-in and plugins) and the views' data panels.
#include "gc/hic/resolutions.h"
#include "gc/util/json.h"

#include <cstdint>
#include <string>

namespace gc::data {

// "12,157,105"
[[nodiscard]] std::string count_text(std::size_t n);
// "12.16 Mb", "250.0 kb", "12 bp"
[[nodiscard]] std::string length_text(std::int64_t bp);
// `info` of a contact map URI (.cool, .mcool, .scool, .hic, or file::group): format, resolutions,
// chromosomes with lengths, bins, nnz where cheap, stored normalisations.
[[nodiscard]] Json describe_contacts(const std::string& uri);
// The same from maps already open (no second read of the file); `format` is "cool", "mcool",
// "scool", "hic", "pairs", ...
[[nodiscard]] Json describe_contacts(const hic::Resolutions& maps, const std::string& format);

} // namespace gc::data
