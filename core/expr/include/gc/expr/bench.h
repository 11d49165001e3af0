#pragma once
// Benchmark of .h5ad loading, the expr part of the `io` benchmark suite.
#include "gc/util/json.h"

#include <cstdint>
#include <filesystem>

namespace gc::expr {

struct H5adBenchOptions {
  std::int64_t cells = 20000;
  std::int64_t genes = 2000;
  double density = 0.1;
  int repeats = 3;
  std::uint64_t seed = 1;
  std::filesystem::path work_dir; // empty: a fresh folder under the system temp dir (removed afterwards)
};

// Writes a random CSR matrix (with obs/var names) with write_h5ad, then times read_h5ad and
// read_h5ad_x (X only) against reading the same three arrays (data, indices, indptr) straight
// through HDF5 in the same run (best of `repeats` each). Returns a JSON array of two DESIGN §8
// result entries ("speedup" = baseline / ours).
[[nodiscard]] Json bench_h5ad_load(const H5adBenchOptions& options = {});

} // namespace gc::expr
