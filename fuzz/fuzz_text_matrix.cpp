// CSV/TSV expression matrices through read_text_matrix (delimiter and orientation detected).
#include "fuzz_input.h"

#include "gc/expr/text_matrix.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("input.csv");
  try {
    (void)gc::expr::read_text_matrix(input.write(data, size));
  } catch (const gc::Error&) {}
  return 0;
}
