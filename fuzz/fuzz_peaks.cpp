// narrowPeak and broadPeak text through parse_bed, both with the format forced and detected.
#include "fuzz_input.h"

#include "gc/genome/bed.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = gc::fuzz::as_text(data, size);
  for (const auto format : {gc::genome::BedFormat::narrow_peak, gc::genome::BedFormat::broad_peak,
                            gc::genome::BedFormat::automatic}) {
    try {
      (void)gc::genome::parse_bed(text, "<fuzz>", format);
    } catch (const gc::Error&) {}
  }
  return 0;
}
