// `hic dump|balance|graph`, the Hi-C `info` provider and the `hic` benchmark suite.
#include "cli.h"

#include "gc/hic/analysis.h"
#include "gc/hic/balance.h"
#include "gc/hic/bench.h"
#include "gc/hic/cooler.h"
#include "gc/hic/dump.h"
#include "gc/hic/juicer.h"
#include "gc/hic/query.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/temp_dir.h"
#include "gc/util/timing.h"

#include <cmath>
#include <iostream>

namespace gc::cli {
namespace {

Json run_hic(Args& args) {
  const std::string sub = args.positional("SUBCOMMAND (dump, balance, graph)");
  const std::string uri = args.positional("FILE");
  if (sub == "dump") {
    hic::DumpOptions opt;
    opt.region = args.option("--region");
    opt.region2 = args.option("--region2");
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
  throw InputError("unknown hic subcommand '" + sub + "' (dump, balance, graph)");
}

const Registration hic_command{
    {"hic",
     "hic dump|balance|graph FILE[::GROUP] [--region R1 [--region2 R2]] [--balance "
     "none|file|ice|kr|vc|vc_sqrt] "
     "[--format bg2|coo] [--digits N] [--out F] | --method M [--ignore-diags N --min-nnz N --mad-max X "
     "--legacy-mad --cis-only] [--out weights.tsv] "
     "[--store] | --top-percent P "
     "--local-window BP --out edges.tsv",
     "Dump, balance or build a contact graph from a cooler or .hic file", run_hic}};

Json chroms_json(const hic::BinTable& bins) {
  Json a = Json::array();
  for (const auto& c : bins.chroms) {
    Json o = Json::object();
    o["name"] = c.name;
    o["length"] = c.length;
    a.push_back(std::move(o));
  }
  return a;
}

Json describe_hic(const std::filesystem::path& path) {
  const std::string uri = path.string();
  const std::string file = uri.substr(0, uri.find("::"));
  Json r = Json::object();
  if (hic::is_hic_file(file)) {
    const auto f = std::make_shared<const hic::HicFile>(file);
    r["format"] = "hic";
    r["version"] = f->header().version;
    r["genome"] = f->header().genome;
    r["resolutions"] = Json::array_of(
        std::vector<std::int64_t>(f->header().bp_resolutions.begin(), f->header().bp_resolutions.end()));
    const hic::HicMap map(f, 0);
    r["chromosomes"] = chroms_json(map.bins());
    r["bins"] = map.bins().size();
    r["normalizations"] = Json::array_of(map.weight_names());
    return r;
  }
  const auto kind = hic::sniff_cooler(file);
  if (kind == hic::CoolerKind::multires && uri.find("::") == std::string::npos) {
    const auto res = hic::list_resolutions(file);
    const hic::CoolerMap map(file + "::/resolutions/" + std::to_string(res.front()));
    r["format"] = "mcool";
    r["resolutions"] = Json::array_of(res);
    r["chromosomes"] = chroms_json(map.bins());
    r["bins"] = map.bins().size();
    r["nnz"] = map.nnz();
    return r;
  }
  if (kind == hic::CoolerKind::single_cell && uri.find("::") == std::string::npos) {
    const auto cells = hic::list_cells(file);
    r["format"] = "scool";
    r["cells"] = static_cast<std::int64_t>(cells.size());
    if (!cells.empty()) {
      const hic::CoolerMap map(file + "::/cells/" + cells.front());
      r["resolutions"] = Json::array_of(std::vector<std::int64_t>{map.info().bin_size});
      r["chromosomes"] = chroms_json(map.bins());
      r["bins"] = map.bins().size();
    }
    return r;
  }
  const hic::CoolerMap map(uri);
  r["format"] = kind == hic::CoolerKind::multires      ? "mcool"
                : kind == hic::CoolerKind::single_cell ? "scool"
                                                       : "cool";
  r["resolutions"] = Json::array_of(std::vector<std::int64_t>{map.info().bin_size});
  r["chromosomes"] = chroms_json(map.bins());
  r["bins"] = map.bins().size();
  r["nnz"] = map.nnz();
  r["storage_mode"] = map.info().storage_mode;
  r["format_version"] = map.info().format_version;
  r["weights"] = Json::array_of(map.weight_names());
  return r;
}

const InfoRegistration hic_info{{"Hi-C (cooler .cool/.mcool/.scool, Juicer .hic)",
                                 [](const std::filesystem::path& path, const std::string& head) {
                                   if (head.size() >= 4 && head.compare(0, 4, std::string("HIC\0", 4)) == 0)
                                     return true;
                                   const std::string file = path.string().substr(0, path.string().find("::"));
                                   if (head.size() < 8 || head.compare(0, 8, "\x89HDF\r\n\x1a\n") != 0)
                                     return false;
                                   try {
                                     return hic::sniff_cooler(file) != hic::CoolerKind::not_cooler;
                                   } catch (const Error&) {
                                     return false;
                                   }
                                 },
                                 describe_hic}};

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
