// Regulatory edge lists through read_edge_list.
#include "fuzz_input.h"

#include "gc/expr/edge_list.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("refNetwork.csv");
  try {
    const auto edges = gc::expr::read_edge_list(input.write(data, size));
    (void)edges.self_loops();
  } catch (const gc::Error&) {}
  return 0;
}
