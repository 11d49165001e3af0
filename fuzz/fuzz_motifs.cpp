// Motif files (JASPAR, TRANSFAC, MEME) through detect_motif_format and parse_motifs in each of
// the three formats, then the per-motif derivations the scanner uses.
#include "fuzz_input.h"

#include "gc/genome/motifs.h"
#include "gc/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = gc::fuzz::as_text(data, size);
  (void)gc::genome::detect_motif_format(text);
  for (const auto format :
       {gc::genome::MotifFormat::jaspar, gc::genome::MotifFormat::transfac, gc::genome::MotifFormat::meme}) {
    try {
      for (const auto& motif : gc::genome::parse_motifs(text, format, "<fuzz>")) {
        (void)motif.consensus();
        (void)motif.reverse_complement();
        (void)motif.log_odds(motif.background.value_or(gc::genome::uniform_background), 0.01);
      }
    } catch (const gc::Error&) {}
  }
  return 0;
}
