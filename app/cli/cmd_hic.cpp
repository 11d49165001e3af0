// `hic dump|balance|graph|load-pairs`, the Hi-C `info` provider and the `hic` benchmark suite.
#include "cli.h"

#include "gc/genome/region.h"
#include "gc/hic/analysis.h"
#include "gc/hic/balance.h"
#include "gc/hic/bench.h"
#include "gc/hic/cooler.h"
#include "gc/hic/dump.h"
#include "gc/hic/juicer.h"
#include "gc/hic/pairs.h"
#include "gc/hic/query.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/log.h"
#include "gc/util/rng.h"
#include "gc/util/temp_dir.h"
#include "gc/util/timing.h"

#include <cmath>
#include <iostream>

namespace gc::cli {
namespace {

// `hic load-pairs`: cooler cload pairs, with its option names (field numbers 1-based).
Json run_hic_load_pairs(const std::string& pairs, Args& args) {
  const auto sizes = args.option("--chrom-sizes");
  const auto bed = args.option("--bins");
  const auto bin_size = args.option("--bin-size");
  const auto out = args.option("--out");
  hic::PairsOptions o;
  const auto c1 = args.option("--chrom1");
  const auto p1 = args.option("--pos1");
  const auto c2 = args.option("--chrom2");
  const auto p2 = args.option("--pos2");
  if (c1 || p1 || c2 || p2) {
    if (!(c1 && p1 && c2 && p2)) throw InputError("--chrom1, --pos1, --chrom2 and --pos2 go together");
    const auto column = [](const char* name, const std::string& text) {
      std::int64_t n = 0;
      if (!parse_int(text, n) || n < 1)
        throw InputError(std::string(name) + " takes a field number (starting at 1), not '" + text + "'");
      return static_cast<int>(n - 1);
    };
    o.columns = hic::PairsColumns{column("--chrom1", *c1), column("--pos1", *p1), column("--chrom2", *c2),
                                  column("--pos2", *p2)};
  }
  o.zero_based = args.flag("--zero-based");
  o.symmetric_upper = !args.flag("--no-symmetric-upper");
  const auto copy_status = args.option_or("--input-copy-status", "unique");
  if (copy_status != "unique" && copy_status != "duplex")
    throw InputError("--input-copy-status must be unique or duplex, not '" + copy_status + "'");
  o.lower_triangle = copy_status == "duplex" ? hic::LowerTriangle::drop : hic::LowerTriangle::reflect;
  if (const auto field = args.option("--field")) {
    // Only the pixel value can be aggregated: the cooler writer stores one value column.
    std::int64_t n = 0;
    if (!field->starts_with("count=") || !parse_int(std::string_view(*field).substr(6), n) || n < 1)
      throw InputError("--field takes count=N (a 1-based column summed as the pixel value), not '" + *field +
                       "'");
    o.count_column = static_cast<int>(n - 1);
  }
  o.chrom_aliases = args.flag("--aliases");
  o.assembly = args.option_or("--assembly", "");
  args.finish();
  if (!out) throw InputError("hic load-pairs needs --out OUT.cool");
  if ((sizes ? 1 : 0) + (bed ? 1 : 0) + (bin_size ? 1 : 0) != 1)
    throw InputError(
        "hic load-pairs needs one of --chrom-sizes SIZES:BINSIZE, --bins BINS.bed or --bin-size N "
        "(bins over the file's #chromsize: lines)");
  hic::Binning binning;
  if (sizes) {
    binning = hic::Binning::from_spec(*sizes);
  } else if (bed) {
    binning = hic::Binning::from_bed(*bed);
  } else {
    std::int64_t n = 0;
    if (!parse_int(*bin_size, n)) throw InputError("--bin-size must be an integer, not '" + *bin_size + "'");
    const auto header = hic::read_pairs_header(pairs);
    if (header.chromsizes.empty())
      throw InputError("no #chromsize: lines in the header; give --chrom-sizes SIZES:BINSIZE").file(pairs);
    binning = hic::Binning::fixed(header.chromsizes, n, pairs + " #chromsize: lines");
  }
  const Stopwatch clock;
  const auto s = hic::bin_pairs(pairs, binning, *out, {}, o);
  for (const auto& w : s.warnings)
    log::warning(w);
  if (!s.unknown_chroms.empty())
    log::warning(pairs, ": ", s.dropped_unknown_chrom, " pairs dropped on ", s.unknown_chroms.size(),
                 " chromosome(s) outside the bins (e.g. '", s.unknown_chroms.begin()->first, "')");
  Json unknown = Json::object();
  for (const auto& [name, n] : s.unknown_chroms)
    unknown[name] = n;
  Json r = Json::object();
  r["format"] = "cooler";
  r["out"] = *out;
  r["bins"] = s.bins;
  r["bin_size"] = binning.bins.bin_size > 0 ? Json(binning.bins.bin_size) : Json(nullptr);
  r["storage_mode"] = o.symmetric_upper ? "symmetric-upper" : "square";
  r["pixels"] = s.pixels;
  r["pairs_read"] = s.pairs_read;
  r["pairs_binned"] = s.pairs_binned;
  r["pairs_dropped"] = s.pairs_dropped;
  r["dropped_unknown_chrom"] = s.dropped_unknown_chrom;
  r["dropped_lower_triangle"] = s.dropped_lower_triangle;
  r["reflected"] = s.reflected;
  r["unknown_chromosomes"] = std::move(unknown);
  r["total_count"] = s.total_count;
  r["warnings"] = Json::array_of(s.warnings);
  r["seconds"] = clock.seconds();
  return r;
}

Json run_hic(Args& args) {
  const std::string sub = args.positional("SUBCOMMAND (dump, balance, graph, load-pairs)");
  const std::string uri = args.positional("FILE");
  if (sub == "load-pairs") return run_hic_load_pairs(uri, args);
  if (sub == "dump") {
    hic::DumpOptions opt;
    // cooler's reading by default, so that the output equals `cooler dump -r` for the same text.
    const auto reading = args.option_or("--region-text", "ucsc");
    if (reading != "cooler" && reading != "ucsc")
      throw InputError("--region-text must be cooler or ucsc, not '" + reading + "'");
    const auto text = reading == "cooler" ? genome::RegionText::cooler : genome::RegionText::ucsc;
    if (const auto r = args.option("--region")) opt.region = genome::parse_region(*r, text);
    if (const auto r = args.option("--region2")) opt.region2 = genome::parse_region(*r, text);
    opt.format = hic::parse_dump_format(args.option_or("--format", "bg2"));
    const auto method = hic::parse_balance_method(args.option_or("--balance", "none"));
    opt.balanced_digits = static_cast<int>(args.int_option_or("--digits", opt.balanced_digits));
    const auto out = args.option("--out");
    const bool json = args.flag("--json");
    args.finish();
    if (json && !out) throw InputError("hic dump --json needs --out FILE (the pixels go to the file)");
    const auto map = hic::open_contact_map(uri);
    opt.weights = hic::compute_weights(*map, method);
    std::int64_t lines = 0;
    if (out) {
      AtomicFile file(*out);
      lines = hic::dump(file.stream(), *map, opt);
      file.commit();
    } else {
      lines = hic::dump(std::cout, *map, opt);
    }
    Json r = Json::object();
    if (out) {
      r["pixels"] = lines;
      r["out"] = *out;
    }
    return r;
  }
  if (sub == "balance") {
    const auto method = hic::parse_balance_method(args.option_or("--method", "ice"));
    const auto out = args.option("--out");
    const bool store = args.flag("--store");
    // --legacy-mad selects cooler <= 0.7's MAD filter (sigma = MAD / 0.6745); see IceOptions.
    hic::IceOptions o = args.flag("--legacy-mad") ? hic::cooler_ice_py_options() : hic::IceOptions{};
    o.cis_only = args.flag("--cis-only");
    o.ignore_diags = static_cast<int>(args.int_option_or("--ignore-diags", o.ignore_diags));
    o.min_nnz = static_cast<int>(args.int_option_or("--min-nnz", o.min_nnz));
    o.mad_max = args.double_option_or("--mad-max", o.mad_max);
    const auto name = args.option_or("--name", "weight");
    args.finish();
    if (method == hic::BalanceMethod::none || method == hic::BalanceMethod::file)
      throw InputError("--method must be ice, kr, vc or vc_sqrt");
    const auto map = hic::open_contact_map(uri);
    std::vector<double> weights;
    std::map<std::string, double> attrs;
    Json r = Json::object();
    if (method == hic::BalanceMethod::ice) {
      const auto res = hic::ice(*map, o);
      weights = res.weights;
      attrs = res.attributes();
      r["converged"] = res.converged;
      r["iterations"] = res.iterations;
      if (res.scale.size() == 1) r["scale"] = res.scale.front();
    } else {
      weights = hic::compute_weights(*map, method).factors();
      attrs["divisive_weights"] = 0;
    }
    std::int64_t masked = 0;
    for (const double w : weights)
      masked += std::isnan(w) ? 1 : 0;
    r["method"] = hic::to_string(method);
    r["bins"] = static_cast<std::int64_t>(weights.size());
    r["masked"] = masked;
    if (out) {
      AtomicFile file(*out);
      const auto& bins = map->bins();
      file.stream() << "chrom\tstart\tend\tweight\n";
      file.stream().precision(17);
      for (std::size_t i = 0; i < weights.size(); ++i)
        file.stream() << bins.chroms[static_cast<std::size_t>(bins.chrom[i])].name << '\t' << bins.start[i]
                      << '\t' << bins.end[i] << '\t' << weights[i] << '\n';
      file.commit();
      r["out"] = *out;
    }
    if (store) {
      if (hic::is_hic_file(uri.substr(0, uri.find("::"))))
        throw InputError("--store writes into coolers only, not .hic");
      hic::store_weights(uri, name, weights, attrs);
      r["stored"] = name;
    }
    return r;
  }
  if (sub == "graph") {
    const double top = args.double_option_or("--top-percent", 5);
    const auto window = args.int_option_or("--local-window", 0);
    const auto out = args.option("--out");
    const auto method = hic::parse_balance_method(args.option_or("--balance", "file"));
    args.finish();
    if (!out) throw InputError("hic graph needs --out edges.tsv");
    const auto map = hic::open_contact_map(uri);
    const auto graph = hic::build_contact_graph(*map, hic::compute_weights(*map, method), top, window);
    AtomicFile file(*out);
    file.stream() << "bin1\tbin2\tlog_contact\tlog_distance\toe\n";
    file.stream().precision(9);
    for (std::int64_t r = 0; r < graph.nodes; ++r)
      for (auto k = graph.row_ptr[static_cast<std::size_t>(r)];
           k < graph.row_ptr[static_cast<std::size_t>(r) + 1]; ++k) {
        const auto e = static_cast<std::size_t>(k);
        if (graph.col[e] < r) continue; // each undirected edge once
        file.stream() << r << '\t' << graph.col[e] << '\t' << graph.log_contact[e] << '\t'
                      << graph.log_distance[e] << '\t' << graph.oe[e] << '\n';
      }
    file.commit();
    Json r = Json::object();
    r["nodes"] = graph.nodes;
    r["edges"] = static_cast<std::int64_t>(graph.edges() / 2);
    r["out"] = *out;
    return r;
  }
  throw InputError("unknown hic subcommand '" + sub + "' (dump, balance, graph, load-pairs)");
}

const Registration hic_command{
    {"hic",
     "hic dump|balance|graph FILE[::GROUP] [--region R1 [--region2 R2] [--region-text cooler|ucsc]] "
     "[--balance none|file|ice|kr|vc|vc_sqrt] "
     "[--format bg2|coo] [--digits N] [--out F] | --method M [--ignore-diags N --min-nnz N --mad-max X "
     "--legacy-mad --cis-only] [--out weights.tsv] "
     "[--store] | --top-percent P "
     "--local-window BP --out edges.tsv | load-pairs PAIRS (--chrom-sizes SIZES:BINSIZE | --bins BINS.bed | "
     "--bin-size N) --out OUT.cool [--chrom1 N --pos1 N --chrom2 N --pos2 N] [--zero-based] "
     "[--no-symmetric-upper] [--input-copy-status unique|duplex] [--field count=N] [--aliases] [--assembly "
     "A]",
     "Dump, balance or build a contact graph from a cooler or .hic file. --region is UCSC text, "
     "1-based inclusive, like every other command (chr1:10001-20000 is the 10 kb bin [10000, 20000)); "
     "--region-text cooler reads it as cooler dump -r does (0-based start, end exclusive: "
     "chr1:10000-20000), for output that matches cooler's for the same text. load-pairs bins a 4DN "
     ".pairs file into a cooler as cooler cload pairs does",
     run_hic}};

Json run_bench_hic(Args& args) {
  hic::HicBenchOptions o;
  o.bins = args.int_option_or("--bins", o.bins);
  o.chromosomes = static_cast<int>(args.int_option_or("--chromosomes", o.chromosomes));
  o.band = static_cast<int>(args.int_option_or("--band", o.band));
  o.window = args.int_option_or("--window", o.window);
  o.query_repeats = static_cast<int>(args.int_option_or("--repeats", o.query_repeats));
  o.seed = static_cast<std::uint64_t>(args.int_option_or("--seed", static_cast<long long>(o.seed)));
  args.finish();
  const TempDir scratch("gc-bench-hic");
  Json out = Json::object();
  out["suite"] = "hic";
  out["machine"] = machine_description();
  out["results"] = hic::bench_hic(scratch.path(), o);
  return out;
}

const BenchRegistration hic_bench{
    {"hic",
     "Hi-C engine: ICE throughput and a warm balanced 1000 x 1000-bin region query on a synthetic "
     "100,000-bin cooler, each against a same-run baseline [--bins N --chromosomes N --band N "
     "--window N --repeats N --seed N]",
     run_bench_hic}};

} // namespace
} // namespace gc::cli
