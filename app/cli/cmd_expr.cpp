// Expression module in the CLI: `info` providers for expression files and edge lists, and the
// `io-h5ad` benchmark suite (the .h5ad part of the `io` suite).
#include "cli.h"

#include "gc/expr/bench.h"
#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/util/error.h"

namespace gc::cli {
namespace {

const InfoRegistration expression_info{{"expression (.h5ad, 10x .h5, .mtx folder, CSV/TSV)",
                                        [](const std::filesystem::path& path, const std::string& head) {
                                          return expr::detect_expression_format(path, head).has_value();
                                        },
                                        [](const std::filesystem::path& path) {
                                          const auto format = expr::detect_expression_format(path);
                                          if (!format)
                                            throw InputError("not an expression file").file(path.string());
                                          return expr::describe_expression(path, *format);
                                        }}};

const InfoRegistration edge_list_info{
    {"edge list (refNetwork.csv, ranked edges)",
     [](const std::filesystem::path& path, const std::string& head) {
       std::error_code ec;
       return std::filesystem::is_regular_file(path, ec) &&
              expr::looks_like_edge_list_header(head.substr(0, head.find('\n')));
     },
     [](const std::filesystem::path& path) { return expr::describe_edge_list(path); }}};

const InfoRegistration pseudotime_info{
    {"pseudotime (BEELINE PseudoTime.csv)",
     [](const std::filesystem::path& path, const std::string&) {
       const auto name = path.filename().string();
       return name == "PseudoTime.csv" || name == "PseudoTime.csv.gz";
     },
     [](const std::filesystem::path& path) { return expr::describe_pseudotime(path); }}};

Json run_io_h5ad(Args& args) {
  expr::H5adBenchOptions o;
  o.cells = args.int_option_or("--cells", o.cells);
  o.genes = args.int_option_or("--genes", o.genes);
  o.density = args.double_option_or("--density", o.density);
  o.repeats = static_cast<int>(args.int_option_or("--repeats", o.repeats));
  o.seed = static_cast<std::uint64_t>(args.int_option_or("--seed", static_cast<long long>(o.seed)));
  if (auto dir = args.option("--dir")) o.work_dir = *dir;
  args.finish();
  Json out = Json::object();
  out["suite"] = "io-h5ad";
  out["machine"] = machine_description();
  Json results = Json::array();
  results.push_back(expr::bench_h5ad_load(o));
  out["results"] = results;
  return out;
}

const BenchRegistration io_h5ad_bench{{"io-h5ad",
                                       ".h5ad CSR load vs raw HDF5 array reads [--cells N --genes N "
                                       "--density F --repeats N --seed N --dir DIR]",
                                       run_io_h5ad}};

} // namespace
} // namespace gc::cli
