// VCF/BCF (plain, bgzip) through VcfReader: header, full read with genotypes.
#include "fuzz_input.h"

#include "gc/genome/vcf.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static gc::fuzz::TempInput input("input.vcf");
  try {
    const gc::genome::VcfReader reader(input.write(data, size));
    (void)reader.count_records();
    (void)reader.read_all(true);
  } catch (const gc::Error&) {}
  return 0;
}
