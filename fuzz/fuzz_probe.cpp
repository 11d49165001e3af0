// The opening layer's detection over any bytes: probe, every importer's recognise (must never
// throw), Registry::find and describe (only gc::Error may escape). The first input byte picks
// the file name, since detection falls back to the extension.
#include "fuzz_input.h"

#include "gc/data/importer.h"
#include "gc/util/error.h"

#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

constexpr std::array names{"in.fa",         "in.fa.gz",     "in.gtf",      "in.gff3",       "in.bed",
                           "in.narrowPeak", "in.broadPeak", "in.bedGraph", "in.vcf",        "in.bcf",
                           "in.h5ad",       "in.csv",       "in.tsv",      "in.pairs",      "in.pairs.gz",
                           "in.cool",       "in.mcool",     "in.hic",      "in.jaspar",     "in.meme",
                           "in.transfac",   "in.txt",       "in.bw",       "in.chrom.sizes"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static std::vector<std::unique_ptr<gc::fuzz::TempInput>> inputs = [] {
    std::vector<std::unique_ptr<gc::fuzz::TempInput>> made;
    for (const char* name : names)
      made.push_back(std::make_unique<gc::fuzz::TempInput>(name));
    return made;
  }();
  const auto& path = inputs[data[0] % names.size()]->write(data + 1, size - 1);
  gc::data::Probe probe;
  try {
    probe = gc::data::probe(path.string());
  } catch (const gc::Error&) {
    return 0;
  }
  for (const auto& entry : gc::data::Registry::global().importers()) {
    try {
      (void)entry.importer->recognise(probe);
    } catch (...) {
      std::abort(); // recognise must not throw for any file
    }
  }
  try {
    (void)gc::data::Registry::global().find(probe);
    (void)gc::data::describe(path.string());
  } catch (const gc::Error&) {}
  return 0;
}
