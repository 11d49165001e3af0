// GTF and GFF3 text through Annotation::parse, then a region query over every chromosome.
#include "fuzz_input.h"

#include "gc/genome/annotation.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = gc::fuzz::as_text(data, size);
  for (const auto format : {gc::genome::AnnotationFormat::gtf, gc::genome::AnnotationFormat::gff3}) {
    try {
      const auto annotation = gc::genome::Annotation::parse(text, format, "<fuzz>");
      for (const auto& chrom : annotation.chromosomes())
        (void)annotation.genes_in(gc::genome::Region{chrom, 0, 1'000'000});
    } catch (const gc::Error&) {}
  }
  return 0;
}
