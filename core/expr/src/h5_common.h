#pragma once
// Helpers shared by the AnnData and 10x readers.
#include "gc/hdf5/hdf5.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
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

// Where a dataset's elements lie in its file, for datasets a plain read() can load without
// HDF5: contiguous layout, no filters, no user block, storage allocated in full, and a file
// type identical to `native_type` (so the bytes need no conversion).
struct FileExtent {
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;
};
[[nodiscard]] std::optional<FileExtent> raw_extent(const hdf5::Dataset& ds, hid_t native_type);

// Reads `extent` of `path` into `out` with pread (no HDF5 call: safe on any thread while HDF5
// is busy elsewhere). Throws InputError naming `object` when the file is shorter than the extent.
// `on_chunk` gets the bytes of each piece read (at most read_extent_chunk) and may throw to stop
// the read (gc::Cancelled).
constexpr std::uint64_t read_extent_chunk = std::uint64_t{32} << 20;
void read_extent(const std::filesystem::path& path, const std::string& object, const FileExtent& extent,
                 void* out, const std::function<void(std::uint64_t bytes)>& on_chunk = {});

} // namespace gc::expr
