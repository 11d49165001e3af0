// 4DN .pairs files (temp file) through read_pairs_header and aggregate_pairs into a small fixed
// binning (the chromosomes of the seeds), with default and non-default options.
#include "fuzz_input.h"

#include "gc/hic/pairs.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("in.pairs");
  static const auto binning = gc::hic::Binning::fixed({{"chr1", 32}, {"chr2", 32}, {"chrX", 1000}}, 4);
  const auto& path = input.write(data, size);
  try {
    (void)gc::hic::read_pairs_header(path);
  } catch (const gc::Error&) {}
  try {
    (void)gc::hic::aggregate_pairs(path, binning);
  } catch (const gc::Error&) {}
  try {
    gc::hic::PairsOptions options;
    options.zero_based = true;
    options.lower_triangle = gc::hic::LowerTriangle::drop;
    options.chrom_aliases = true;
    options.count_column = 5;
    options.buffer_pairs = 4; // exercises the merging of partial buffers
    (void)gc::hic::aggregate_pairs(path, binning, {}, options);
  } catch (const gc::Error&) {}
  return 0;
}
