#pragma once
// I/O benchmarks for `genocircuit-cli bench io`. Each returns DESIGN §8 result objects so the io
// suite can concatenate parts from several modules.
#include "gc/util/json.h"

#include <cstdint>
#include <filesystem>

namespace gc::genome {

struct FastaBenchOptions {
  std::int64_t genome_bases = 4'000'000; // synthetic genome size, split over 4 chromosomes
  std::int64_t fetches = 200'000;        // warm random fetches (split over the threads)
  std::int64_t baseline_fetches = 2'000; // cold open-per-fetch baseline (scaled to `fetches`)
  std::int64_t region_length = 1'000;
  int threads = 2;
  std::uint64_t seed = 42;
};

// Writes a synthetic bgzip FASTA into `work_dir` with write_fasta_bgzip, then measures random
// fetches per second through one FastaReader shared by `threads` threads, against faidx opened
// cold for every fetch, measured in the same run. Returns a JSON array of result objects.
[[nodiscard]] Json bench_fasta_fetch(const std::filesystem::path& work_dir, const FastaBenchOptions& options);

} // namespace gc::genome
