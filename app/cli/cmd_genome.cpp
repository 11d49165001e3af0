// Genome commands: `fasta FILE --region R` and `info` for FASTA/GTF/GFF3/BED/VCF/BCF. The FASTA
// part of `bench io` is composed in cmd_io.cpp.
#include "cli.h"

#include "gc/genome/fasta.h"
#include "gc/genome/region.h"
#include "gc/genome/summary.h"
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
     "Print a region of a FASTA file (1-based inclusive UCSC region; chr/alias names "
     "accepted); --json gives name, 0-based start/end and sequence",
     run_fasta}};

const InfoRegistration fasta_info{
    {"FASTA",
     [](const std::filesystem::path&, const std::string& head) { return genome::looks_like_fasta(head); },
     [](const std::filesystem::path& p) { return genome::summarize_fasta(p); }}};

const InfoRegistration variants_info{
    {"VCF/BCF",
     [](const std::filesystem::path&, const std::string& head) { return genome::looks_like_vcf(head); },
     [](const std::filesystem::path& p) { return genome::summarize_variants(p); }}};

const InfoRegistration annotation_info{
    {"GTF/GFF3",
     [](const std::filesystem::path& p, const std::string& head) {
       return genome::looks_like_annotation(p, head);
     },
     [](const std::filesystem::path& p) { return genome::summarize_annotation(p); }}};

const InfoRegistration bed_info{
    {"BED",
     [](const std::filesystem::path& p, const std::string& head) { return genome::looks_like_bed(p, head); },
     [](const std::filesystem::path& p) { return genome::summarize_bed(p); }}};

} // namespace
} // namespace gc::cli
