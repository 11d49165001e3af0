// The `bench io` suite: file readers of gc::genome (bgzip FASTA fetches) and gc::expr (.h5ad CSR
// load), run in one process so that all results share one machine state. Compiled only when both
// modules are part of the build; the modules themselves stay independent of each other.
#include "cli.h"

#include "gc/expr/bench.h"
#include "gc/genome/bench.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

namespace gc::cli {
namespace {

Json run_bench_io(Args& args) {
  genome::FastaBenchOptions fasta;
  fasta.genome_bases = args.int_option_or("--genome-bases", fasta.genome_bases);
  fasta.fetches = args.int_option_or("--fetches", fasta.fetches);
  fasta.baseline_fetches = args.int_option_or("--baseline-fetches", fasta.baseline_fetches);
  fasta.threads = static_cast<int>(args.int_option_or("--threads", fasta.threads));
  expr::H5adBenchOptions h5ad;
  h5ad.cells = args.int_option_or("--cells", h5ad.cells);
  h5ad.genes = args.int_option_or("--genes", h5ad.genes);
  h5ad.density = args.double_option_or("--density", h5ad.density);
  h5ad.repeats = static_cast<int>(args.int_option_or("--repeats", h5ad.repeats));
  if (args.given("--seed")) {
    fasta.seed = static_cast<std::uint64_t>(args.int_option_or("--seed", 0));
    h5ad.seed = fasta.seed;
  }
  const auto only = args.option_or("--only", "all");
  args.finish();
  if (only != "all" && only != "fasta" && only != "h5ad")
    throw InputError("--only must be fasta, h5ad or all (got '" + only + "')");
  const TempDir scratch("gc-bench-io");
  Json results = Json::array();
  if (only != "h5ad") {
    Json fasta_results = genome::bench_fasta_fetch(scratch.path() / "fasta", fasta);
    for (auto& r : fasta_results.as_array())
      results.push_back(std::move(r));
  }
  if (only != "fasta") {
    h5ad.work_dir = scratch.path() / "h5ad";
    Json h5ad_results = expr::bench_h5ad_load(h5ad);
    for (auto& r : h5ad_results.as_array())
      results.push_back(std::move(r));
  }
  Json out = Json::object();
  out["suite"] = "io";
  out["machine"] = machine_description();
  out["results"] = std::move(results);
  return out;
}

const BenchRegistration io_bench{
    {"io",
     "file readers: random 1 kb bgzip FASTA fetches and .h5ad CSR load, each against a same-run "
     "baseline [--only fasta|h5ad] [--genome-bases N --fetches N --baseline-fetches N --threads N] "
     "[--cells N --genes N --density F --repeats N] [--seed N]",
     run_bench_io}};

} // namespace
} // namespace gc::cli
