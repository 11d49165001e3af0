// gc::Json::parse, and dump/parse round trips of whatever parses. The first round trip may
// normalise (-0.0 dumps as "-0", which reads back as the integer 0); after it, dump must be a
// fixed point.
#include "fuzz_input.h"

#include "gc/util/error.h"
#include "gc/util/json.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto value = gc::Json::parse(gc::fuzz::as_text(data, size));
    const auto once = gc::Json::parse(value.dump()).dump();
    if (gc::Json::parse(once).dump() != once) std::abort();
  } catch (const gc::Error&) {}
  return 0;
}
