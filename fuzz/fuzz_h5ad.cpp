// AnnData .h5ad through summarize_h5ad and read_h5ad.
#include "fuzz_input.h"

#include "gc/expr/h5ad.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("input.h5ad");
  const auto& path = input.write(data, size);
  try {
    (void)gc::expr::summarize_h5ad(path);
  } catch (const gc::Error&) {}
  try {
    (void)gc::expr::read_h5ad(path);
  } catch (const gc::Error&) {}
  return 0;
}
