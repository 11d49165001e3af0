#pragma once
// Helpers shared by the AnnData and 10x readers.
#include "gc/hdf5/hdf5.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gc::expr {

// A string attribute, or `fallback` when it is absent or not a string.
[[nodiscard]] std::string string_attribute_or(const hdf5::Object& o, const std::string& name,
                                              const std::string& fallback);
// Sparse column indices, range-checked against `bound` and narrowed to 32 bits.
[[nodiscard]] std::vector<std::int32_t> read_indices(const hdf5::Dataset& ds, std::int64_t bound);
// Strings, or numbers formatted as text (numeric categories, integer barcodes).
[[nodiscard]] std::vector<std::string> read_labels(const hdf5::Dataset& ds);
// Integers, floats and enums (h5py booleans) as doubles.
[[nodiscard]] std::vector<double> read_numbers(const hdf5::Dataset& ds);

} // namespace gc::expr
