// BED text through parse_bed.
#include "fuzz_input.h"

#include "gc/genome/bed.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)gc::genome::parse_bed(gc::fuzz::as_text(data, size), "<fuzz>");
  } catch (const gc::Error&) {}
  return 0;
}
