// bedGraph files (temp file) through read_bedgraph, and the declares_bedgraph sniffer.
#include "fuzz_input.h"

#include "gc/genome/bedgraph.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("in.bedGraph");
  (void)gc::genome::declares_bedgraph(gc::fuzz::as_text(data, size));
  try {
    (void)gc::genome::read_bedgraph(input.write(data, size));
  } catch (const gc::Error&) {}
  return 0;
}
