// `grn --expr FILE|DIR --out FILE`: GRN inference from expression data to a ranked edge list,
// scored against a ground truth when one is given (DESIGN §7, §12).
#include "cli.h"
#include "grn_data.h"

#include "gc/grn/baselines.h"
#include "gc/grn/infer.h"
#ifdef GC_GRN_HAVE_GENOCIRCUIT
#include "gc/kernels/runtime.h"
#endif
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/timing.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <unordered_map>

namespace gc::cli {
namespace {

namespace fs = std::filesystem;

// The model is the product's answer; without LibTorch the best baseline stands in.
#ifdef GC_GRN_HAVE_GENOCIRCUIT
constexpr const char* default_method = "genocircuit";
#else
constexpr const char* default_method = "genie3";
#endif

// What a method may use besides the expression data and the candidate regulators.
struct GrnRequest {
  std::string method;
  std::uint64_t seed = 1;
  int threads = 0;
  int trees = 200;
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  std::optional<GenoCircuitArgs> genocircuit; // set for --method genocircuit
  std::optional<std::string> model;           // --model: a trained checkpoint
#endif
};

// Candidate regulators are TFs in the expression's spelling; unset = every gene.
using MethodRunner = std::function<grn::Network(const expr::GrnExpression& data,
                                                const std::optional<std::vector<std::string>>& regulators,
                                                const Progress& progress)>;

// Correlation edges carry the sign of the coefficient whose absolute value ranked them.
void set_correlation_signs(std::vector<grn::ScoredEdge>& edges, const expr::ExpressionMatrix& m,
                           grn::Correlation kind) {
  const auto& genes = m.var.index;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t g = 0; g < genes.size(); ++g)
    index.emplace(genes[g], g);
  // genes × genes signs, filled from the signed coefficients.
  std::vector<signed char> sign(genes.size() * genes.size(), 0);
  for (const auto& e : grn::correlation_edges(m, kind, false)) {
    const auto cell = index.at(e.regulator) * genes.size() + index.at(e.target);
    sign[cell] = static_cast<signed char>(e.weight > 0 ? 1 : e.weight < 0 ? -1 : 0);
  }
  for (auto& e : edges)
    e.sign = sign[index.at(e.regulator) * genes.size() + index.at(e.target)];
}

// The one place a --method name becomes a way to rank edges. It is resolved before any data is
// read, so a misspelt method fails at once; a method that needs more than the expression matrix
// (a learned model) is dispatched here with what it needs in GrnRequest.
#ifdef GC_GRN_HAVE_GENOCIRCUIT
// A checkpoint re-scored on the given expression: its genes must be the matrix's genes.
grn::Network score_checkpoint(const std::string& path, const expr::GrnExpression& data) {
  auto m = model::GenoCircuit::load(path);
  const auto& genes = m.inputs().genes;
  const auto& matrix = data.matrix;
  std::vector<std::int64_t> column;
  std::vector<std::string> missing;
  for (const auto& g : genes) {
    if (const auto i = matrix.gene_index(g))
      column.push_back(*i);
    else if (missing.size() < 5)
      missing.push_back(g);
  }
  if (column.size() != genes.size() || matrix.n_genes() != static_cast<std::int64_t>(genes.size())) {
    std::string examples;
    for (const auto& g : missing)
      examples += (examples.empty() ? "" : ", ") + g;
    throw InputError(
        "the model was trained on " + std::to_string(genes.size()) + " genes and the expression has " +
        std::to_string(matrix.n_genes()) +
        (missing.empty() ? std::string(" (different sets)") : "; genes of the model missing: " + examples))
        .file(path);
  }
  const auto values = grn::model_expression(matrix);
  const auto cells = matrix.n_cells();
  const auto g = static_cast<std::int64_t>(genes.size());
  std::vector<float> ordered(static_cast<std::size_t>(cells * g));
  for (std::int64_t c = 0; c < cells; ++c)
    for (std::int64_t j = 0; j < g; ++j)
      ordered[static_cast<std::size_t>(c * g + j)] =
          values[static_cast<std::size_t>(c * matrix.n_genes() + column[static_cast<std::size_t>(j)])];
  m.set_expression(std::move(ordered), cells, grn::model_pseudotime(matrix));
  grn::Network net;
  net.edges = grn::genocircuit_edges(m);
  net.method = "genocircuit";
  return net;
}
#endif

MethodRunner method_runner(const GrnRequest& request) {
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  if (request.method == "genocircuit") {
    return [request](const expr::GrnExpression& data,
                     const std::optional<std::vector<std::string>>& regulators, const Progress& progress) {
      kernels::configure_threads(request.threads);
      if (request.model) return score_checkpoint(*request.model, data);
      auto options = request.genocircuit->options;
      options.regulators = regulators;
      options.config.seed = request.seed;
      auto run = grn::train_genocircuit(data.matrix, request.genocircuit->sources, options, progress);
      grn::Network net;
      net.edges = std::move(run.edges);
      net.method = "genocircuit";
      return net;
    };
  }
#endif
  const auto method = grn::parse_method(request.method);
  return
      [method, request](const expr::GrnExpression& data,
                        const std::optional<std::vector<std::string>>& regulators, const Progress& progress) {
        grn::InferOptions options;
        options.method = method;
        options.regulators = regulators;
        options.seed = request.seed;
        options.threads = request.threads;
        options.trees = request.trees;
        grn::Network net;
        net.edges = grn::infer(data.matrix, options, progress);
        net.method = grn::method_name(method);
        if (method == grn::Method::pearson || method == grn::Method::spearman) {
          set_correlation_signs(net.edges, data.matrix,
                                method == grn::Method::pearson ? grn::Correlation::pearson
                                                               : grn::Correlation::spearman);
        }
        return net;
      };
}

std::string method_list() {
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  std::string list = "genocircuit";
#else
  std::string list;
#endif
  for (const auto m : grn::all_methods())
    list += (list.empty() ? "" : "|") + grn::method_name(m);
  return list;
}

void refuse_overwrite(const fs::path& out, const std::string& input, const char* what) {
  std::error_code ec;
  if (fs::exists(input, ec) && fs::equivalent(out, input, ec))
    throw InputError("--out would overwrite the " + std::string(what) + " " + input).file(out.string());
}

Json run_grn(Args& args) {
  const auto expr_arg = args.option("--expr");
  const auto out_arg = args.option("--out");
  GrnRequest request;
  const auto method_arg = args.option("--method");
  request.method = method_arg.value_or(default_method);
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  request.model = args.option("--model");
  if (request.model && method_arg && *method_arg != "genocircuit")
    throw InputError("--model is a GenoCircuit checkpoint: it cannot be used with --method " + *method_arg);
  if (request.model) {
    request.method = "genocircuit";
    require_readable_file(*request.model);
  }
  if (request.method == "genocircuit" && !request.model) request.genocircuit = read_genocircuit_args(args);
#endif
  const auto truth_arg = args.option("--truth");
  const auto tfs_arg = args.option("--tfs");
  const auto top = args.int_option_or("--top", 0);
  const auto seed = args.int_option_or("--seed", 1);
  const auto threads = args.int_option_or("--threads", 0);
  const auto trees = args.int_option_or("--trees", 200);
  args.finish();
  if (!expr_arg || expr_arg->empty()) throw InputError("grn needs --expr FILE|DIR");
  if (!out_arg || out_arg->empty()) throw InputError("grn needs --out FILE (.csv, .tsv, .graphml or .sif)");
  if (args.given("--top") && top < 1) throw InputError("--top must be a positive number of edges");
  if (seed < 0) throw InputError("--seed must be a non-negative integer");
  if (threads < 0) throw InputError("--threads must be 0 (all) or a positive number");
  if (trees < 1 || trees > 100000) throw InputError("--trees must be between 1 and 100000");
  request.seed = static_cast<std::uint64_t>(seed);
  request.threads = static_cast<int>(threads);
  request.trees = static_cast<int>(trees);

  // Everything that can be checked without the data is checked first.
  const fs::path out = *out_arg;
  const auto format = grn::network_format_of(out);
  {
    std::error_code ec;
    const auto folder = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    if (!fs::is_directory(folder, ec))
      throw InputError("the folder of --out does not exist").file(out.string());
    if (fs::is_directory(out, ec)) throw InputError("--out is a folder, not a file").file(out.string());
    refuse_overwrite(out, *expr_arg, "expression input");
    if (truth_arg) refuse_overwrite(out, *truth_arg, "ground truth");
    if (tfs_arg) refuse_overwrite(out, *tfs_arg, "TF list");
  }
  const auto run_method = method_runner(request);
  const auto listener = std::make_shared<LogProgress>("grn");
  const Progress progress(listener, CancelToken{});
  Stopwatch total, step;
  Json seconds = Json::object();
  const auto in = load_grn_data(*expr_arg, truth_arg, tfs_arg, progress.sub(0.0, 0.1));
  const auto& data = in.data;
  const auto& names = in.names;
  seconds["read"] = step.seconds();

  step.reset();
  auto network = run_method(data, names.tfs, progress.sub(0.1, 1.0));
  seconds["infer"] = step.seconds();
  network.source = *expr_arg;
  network.tfs = names.tfs;
  const auto ranked_edges = network.edges.size();

  // Scored before anything is written, so a failure leaves no output behind.
  std::optional<grn::Metrics> metrics;
  Json dream; // null where the input defines no DREAM candidates (grn_data.h)
  if (in.truth) {
    step.reset();
    grn::EvalOptions eval;
    eval.tfs = names.tfs;
    metrics = grn::evaluate(network.edges, *names.truth, names.shared_genes, eval);
    if (metrics->true_edges == 0) {
      throw InputError("no edge of the ground truth joins two genes of " + *expr_arg +
                       (in.tfs ? " with a TF of " + *tfs_arg + " as regulator" : std::string()) +
                       " (self edges do not count): there is nothing to score")
          .file(*truth_arg);
    }
    // Over the whole ranked list (before --top), like the metrics above.
    if (in.dream) dream = dream_json(network.edges, *in.dream);
    seconds["evaluate"] = step.seconds();
  }

  step.reset();
  if (top > 0 && static_cast<std::size_t>(top) < network.edges.size())
    network.edges.resize(static_cast<std::size_t>(top));
  grn::write_network(out, network);
  seconds["write"] = step.seconds();
  seconds["total"] = total.seconds();

  Json r = Json::object();
  r["method"] = network.method;
  r["genes"] = data.matrix.n_genes();
  r["edges"] = network.edges.size();
  r["out"] = out.string();
  r["metrics"] = metrics ? metrics_json(*metrics) : Json();
  if (metrics) r["metrics"]["dream"] = std::move(dream);
  if (metrics) {
    r["true_edges"] = metrics->true_edges;
    r["density"] = metrics->density;
  }
  r["format"] = grn::network_format_name(format);
  r["samples"] = data.matrix.n_cells();
  r["ranked_edges"] = ranked_edges;
  r["top"] = top > 0 ? Json(top) : Json();
  r["signed"] = std::any_of(network.edges.begin(), network.edges.end(),
                            [](const grn::ScoredEdge& e) { return e.sign != 0; });
  Json input = Json::object();
  input["path"] = *expr_arg;
  input["layout"] = data.layout;
  input["counts_normalised"] = in.counts_normalised;
  Json files = Json::array();
  for (const auto& f : data.files)
    files.push_back(f.string());
  input["files"] = std::move(files);
  input["obs_columns"] = Json::array_of(data.matrix.obs.column_names());
  input["constant_genes"] = in.check.constant_genes.to_json();
  r["input"] = std::move(input);
  if (in.truth) {
    Json t = Json::object();
    t["path"] = *truth_arg;
    t["layout"] = in.truth->layout;
    t["edges"] = in.truth->edges.size();
    t["negatives"] = in.truth->negatives;
    r["truth"] = std::move(t);
  }
  if (in.tfs) {
    Json t = Json::object();
    t["source"] = *tfs_arg;
    t["listed"] = names.report.tfs;
    t["in_expression"] = names.report.tfs_in_expression;
    r["tfs"] = std::move(t);
  }
  r["names"] = names.report.to_json();
  Json options = Json::object();
  options["seed"] = request.seed;
  options["threads"] = request.threads;
  options["trees"] = request.trees;
  r["options"] = std::move(options);
  r["warnings"] = Json::array_of(in.warnings);
  r["seconds"] = std::move(seconds);
  return r;
}

const Registration grn_command{
    {"grn",
     "grn --expr FILE|DIR --out ranked.csv|.tsv|.graphml|.sif [--method " + method_list() +
         "] [--model MODEL] [--truth FILE] [--tfs FILE|var:COLUMN] [--top K] [--seed N] [--threads N] "
         "[--trees N] "
         "[genocircuit: --genome FA --gtf GTF --peaks BED --hic FILE --motifs FILE --epochs N --device D "
         "--config JSON] [--json]",
     "Infer a gene regulatory network from expression (BEELINE or DREAM4 folder, h5ad, 10x, CSV/TSV), "
     "write the ranked edges and, with --truth, score them as BEELINE does (AUROC, AUPRC, early precision) "
     "and, for DREAM gold standards and DREAM4 data, as the DREAM challenges did (metrics.dream: AUPR, "
     "AUROC)",
     run_grn}};

} // namespace
} // namespace gc::cli
