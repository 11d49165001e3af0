// FASTA (plain, gzip, bgzip) through FastaReader: open (builds .fai/.gzi), list, fetch.
#include "fuzz_input.h"

#include "gc/genome/fasta.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("input.fa");
  try {
    const gc::genome::FastaReader reader(input.write(data, size));
    for (const auto& name : reader.names()) {
      const auto length = reader.length(name);
      (void)reader.fetch(name, 0, std::min<std::int64_t>(length, 64));
      (void)reader.fetch(name, length / 2, length);
    }
  } catch (const gc::Error&) {}
  return 0;
}
