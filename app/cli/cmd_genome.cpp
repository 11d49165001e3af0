// Genome commands: `fasta FILE --region R`. The FASTA part of `bench io` is composed in cmd_io.cpp;
// `info` goes through gc::data (cmd_info.cpp).
#include "cli.h"

#include "gc/genome/fasta.h"
#include "gc/genome/region.h"
#include "gc/util/error.h"

namespace gc::cli {
namespace {

Json run_fasta(Args& args) {
  const std::string file = args.positional("FILE");
  const std::string region_text = args.option("--region").value_or("");
  const auto width = args.int_option_or("--width", 60);
  const bool json = args.given("--json");
  args.finish();
  if (region_text.empty())
    throw InputError("fasta needs --region REGION (e.g. chrII:10,000-20,000 or chrII)");
  if (width < 1) throw InputError("--width must be positive");
  const genome::FastaReader reader(file);
  genome::Region fetched;
  const std::string sequence = reader.fetch(genome::parse_region(region_text), &fetched);
  if (json) {
    Json j = Json::object();
    j["name"] = fetched.chrom;
    j["start"] = fetched.start;
    j["end"] = fetched.end;
    j["sequence"] = sequence;
    return j;
  }
  std::string text =
      genome::format_fasta_record(fetched.to_string(), sequence, static_cast<std::size_t>(width));
  text.pop_back(); // Output::emit adds the final newline
  return text;
}

const Registration fasta_command{
    {"fasta", "fasta FILE --region REGION [--width N] [--json]",
     "Print a region of a FASTA file. REGION is UCSC text, 1-based inclusive (chrII:10001-20000 "
     "is the 10 kb [10000, 20000); commas, k/M suffixes and chr/alias names accepted); --json gives "
     "name, 0-based start, exclusive end and sequence",
     run_fasta}};

} // namespace
} // namespace gc::cli
