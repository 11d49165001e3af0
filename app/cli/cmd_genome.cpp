// Genome commands: `fasta FILE --region R`, `info` for FASTA/GTF/GFF3/BED/VCF/BCF, and the FASTA
// part of `bench io`.
#include "cli.h"

#include "gc/genome/bench.h"
#include "gc/genome/fasta.h"
#include "gc/genome/region.h"
#include "gc/genome/summary.h"
#include "gc/util/error.h"

#include <unistd.h>

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

// A private scratch folder for generated benchmark inputs, removed afterwards.
class ScratchDir {
public:
  ScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "gc-bench-io-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr)
      throw Error("cannot create a temporary folder for the io benchmark");
    m_path = templ;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
  std::filesystem::path m_path;
};

// The io suite is a list of parts, each appending its result objects; other modules' readers
// (e.g. .h5ad) add a part here.
Json run_bench_io(Args& args) {
  genome::FastaBenchOptions fasta;
  fasta.genome_bases = args.int_option_or("--genome-bases", fasta.genome_bases);
  fasta.fetches = args.int_option_or("--fetches", fasta.fetches);
  fasta.baseline_fetches = args.int_option_or("--baseline-fetches", fasta.baseline_fetches);
  fasta.threads = static_cast<int>(args.int_option_or("--threads", fasta.threads));
  fasta.seed = static_cast<std::uint64_t>(args.int_option_or("--seed", static_cast<long long>(fasta.seed)));
  args.finish();
  const ScratchDir scratch;
  Json results = Json::array();
  Json fasta_results = genome::bench_fasta_fetch(scratch.path() / "fasta", fasta);
  for (auto& r : fasta_results.as_array())
    results.push_back(std::move(r));
  Json out = Json::object();
  out["suite"] = "io";
  out["machine"] = machine_description();
  out["results"] = std::move(results);
  return out;
}

const BenchRegistration io_bench{
    {"io", "file readers: random 1 kb FASTA fetches (--genome-bases N --fetches N --threads N)",
     run_bench_io}};

} // namespace
} // namespace gc::cli
