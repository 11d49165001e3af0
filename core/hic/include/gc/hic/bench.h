#pragma once
// Benchmarks for `genocircuit-cli bench hic`. Each returns DESIGN §8 result objects with a baseline
// measured in the same run.
#include "gc/util/json.h"

#include <cstdint>
#include <filesystem>

namespace gc::hic {

struct HicBenchOptions {
  std::int64_t bins = 100'000; // genome-wide, split evenly over `chromosomes`
  int chromosomes = 10;
  std::int64_t bin_size = 10'000;
  int band = 40;               // every cis pixel within this many diagonals is stored
  int long_range = 10;         // extra random cis pixels per row beyond the band
  int trans = 10;              // random trans pixels per row
  std::int64_t window = 1'000; // query window (bins on each side)
  int query_repeats = 15;      // warm repeats; the median is reported
  int baseline_repeats = 5;
  int baseline_iterations = 5; // iterations timed for the single-threaded COO ICE baseline
  std::uint64_t seed = 42;
};

// Writes a synthetic cooler (distance-decay band plus random long-range and trans pixels) into
// `work_dir` with write_cooler, then measures
//  - ice_throughput: our ice() on all pixels (nonzeros x iterations per second, peak RSS) against
//    a plain single-threaded ICE iteration over the Pixel array;
//  - balanced_region_query: a warm window x window balanced fetch_dense in the middle of a
//    chromosome (median of repeats) against reading all pixels of that chromosome and cutting
//    the window out of them.
[[nodiscard]] Json bench_hic(const std::filesystem::path& work_dir, const HicBenchOptions& options);

} // namespace gc::hic
