// The `bench grn` suite: GRN inference on the BEELINE benchmark sets, in one run: our GENIE3
// against scikit-learn's (tools/grn/genie3_sklearn.py, arboreto's settings) for time and
// accuracy (AUPRC ratio, EPR), plus the times and accuracy of GenoCircuit (training and scoring,
// against our GENIE3 of the same run), GRNBoost2, PIDC and |Pearson|, and a synthetic timing of
// GENIE3 beyond BEELINE's sizes. The baseline's seconds are its inference time as the script
// measures it (Python start-up and file reading excluded), ours likewise. One seed leaves a set's
// AUPRC to the luck of its forests (about ±9 % on BEELINE's small networks), so --seeds N
// averages N runs of each seeded method per set.
#include "cli.h"
#include "grn_data.h"

#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/expr/grn_input.h"
#include "gc/grn/baselines.h"
#include "gc/grn/eval.h"
#include "gc/grn/genie3.h"
#ifdef GC_GRN_HAVE_GENOCIRCUIT
#include "gc/grn/genocircuit.h"
#include "gc/kernels/runtime.h"
#endif
#include "gc/grn/grnboost2.h"
#include "gc/grn/infer.h"
#include "gc/grn/pidc.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/rng.h"
#include "gc/util/temp_dir.h"
#include "gc/util/timing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace gc::cli {
namespace {

namespace fs = std::filesystem;

// One replicate of each synthetic family at 500 cells and of each curated model at 2000 cells:
// every kind of network BEELINE has, in a few minutes.
const std::vector<std::string> default_sets{"Synthetic/dyn-BF/dyn-BF_500_0", "Synthetic/dyn-CY/dyn-CY_500_0",
                                            "Synthetic/dyn-LI/dyn-LI_500_0", "Synthetic/dyn-LL/dyn-LL_500_0",
                                            "Synthetic/dyn-TF/dyn-TF_500_0", "Simulated/HSC/HSC_2000_0",
                                            "Simulated/mCAD/mCAD_2000_0",    "Simulated/VSC/VSC_2000_0"};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs `command`, returning its stdout; false when it cannot start or exits non-zero.
bool run_capture(const std::string& command, std::string& out) {
  struct Pipe {
    FILE* f;
    ~Pipe() {
      if (f != nullptr) pclose(f);
    }
  } pipe{popen(command.c_str(), "r")};
  if (pipe.f == nullptr) return false;
  char buffer[4096];
  out.clear();
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe.f)) > 0)
    out.append(buffer, n);
  const int status = pclose(pipe.f);
  pipe.f = nullptr;
  return status == 0;
}

// The first interpreter that imports sklearn, or "" (with the reason in `why`).
std::string find_python(const std::optional<std::string>& given, std::string& why) {
  std::vector<std::string> candidates;
  if (given) {
    candidates.push_back(*given);
  } else {
    candidates = {"python3", "/usr/bin/python3"};
  }
  for (const auto& py : candidates) {
    std::string out;
    if (run_capture(shell_quote(py) + " -c 'import sklearn, numpy; print(sklearn.__version__)' 2>/dev/null",
                    out)) {
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
      why = "scikit-learn " + out;
      why += " (" + py + ")";
      return py;
    }
  }
  why = "no python3 with scikit-learn found (tried";
  for (const auto& c : candidates)
    why += " " + c;
  why += "); install python3-sklearn or pass --python";
  return {};
}

struct SetData {
  std::string name;   // e.g. Synthetic/dyn-LI/dyn-LI_500_0
  std::string family; // e.g. dyn-LI
  fs::path folder;
  fs::path expression;
  expr::ExpressionMatrix matrix;
  grn::GeneColumns columns;
  std::vector<std::pair<std::string, std::string>> truth;
};

SetData load_set(const fs::path& root, const std::string& name) {
  SetData s;
  s.name = name;
  s.family = fs::path(name).parent_path().filename().string();
  const auto dir = root / name;
  s.folder = dir;
  s.expression = dir / "ExpressionData.csv";
  // ExpressionData.csv is genes × cells; load_expression recognises the BEELINE name, but say so.
  expr::LoadOptions load;
  load.text.orientation = expr::Orientation::genes_by_cells;
  s.matrix = expr::load_expression(s.expression, load);
  s.columns = grn::gene_columns(s.matrix, std::nullopt);
  for (const auto& e : expr::read_edge_list(dir / "refNetwork.csv").edges)
    s.truth.emplace_back(e.source, e.target);
  return s;
}

std::vector<std::string> all_sets(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto* group : {"Synthetic", "Simulated"}) {
    if (!fs::is_directory(root / group)) continue;
    for (const auto& family : fs::directory_iterator(root / group)) {
      if (!family.is_directory()) continue;
      for (const auto& set : fs::directory_iterator(family.path())) {
        if (fs::exists(set.path() / "ExpressionData.csv") && fs::exists(set.path() / "refNetwork.csv"))
          out.push_back(fs::relative(set.path(), root).generic_string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Json accuracy(const std::vector<grn::ScoredEdge>& edges, const SetData& s) {
  return metrics_json(grn::evaluate(edges, s.truth, {}));
}

// The mean of each metric over runs with different seeds.
Json mean_accuracy(const std::vector<Json>& runs) {
  Json out = Json::object();
  for (const auto* key : {"auroc", "auprc", "auprc_ratio", "early_precision", "epr"}) {
    double sum = 0.0;
    for (const auto& r : runs)
      sum += r.at(key).as_double();
    out[key] = sum / static_cast<double>(runs.size());
  }
  return out;
}

// The seed of run k on a set: distinct per set (FNV-1a of its name), so that the replicates of a
// family, which share their gene and cell counts, do not share bootstrap draws and their
// results are independent. Below 10^9 so that the script's numpy seeds (seed + target) fit.
std::uint64_t set_seed(std::uint64_t seed, const std::string& name, int k) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return Rng(seed ^ h).fork(static_cast<std::uint64_t>(k)).next_u64() % 1000000000ULL;
}

double median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Json number_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// Expression of a random regulatory network: the first tenth of the genes are independent
// regulators, every other gene a noisy sum of tanh of two of them.
grn::GeneColumns synthetic_columns(std::int64_t genes, std::int64_t cells, std::uint64_t seed) {
  Rng rng(seed);
  grn::GeneColumns d;
  d.samples = cells;
  d.values.resize(static_cast<std::size_t>(genes * cells));
  const std::int64_t regulators = std::max<std::int64_t>(2, genes / 10);
  for (std::int64_t g = 0; g < genes; ++g) {
    d.genes.push_back("g" + std::to_string(g));
    d.regulators.push_back(static_cast<std::int32_t>(g));
    float* col = d.values.data() + g * cells;
    if (g < regulators) {
      for (std::int64_t c = 0; c < cells; ++c)
        col[c] = static_cast<float>(rng.normal());
    } else {
      const auto a = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(regulators)));
      const auto b = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(regulators)));
      const float* xa = d.values.data() + a * cells;
      const float* xb = d.values.data() + b * cells;
      for (std::int64_t c = 0; c < cells; ++c)
        col[c] = static_cast<float>(std::tanh(xa[c]) - std::tanh(xb[c]) + 0.3 * rng.normal());
    }
  }
  return d;
}

// Writes the synthetic matrix as a BEELINE ExpressionData.csv for the sklearn script.
void write_expression_csv(const fs::path& path, const grn::GeneColumns& d) {
  std::ofstream f(path);
  for (std::int64_t c = 0; c < d.samples; ++c)
    f << ",c" << c;
  f << '\n';
  for (std::int64_t g = 0; g < d.n_genes(); ++g) {
    f << d.genes[static_cast<std::size_t>(g)];
    const float* col = d.column(g);
    for (std::int64_t c = 0; c < d.samples; ++c)
      f << ',' << col[c];
    f << '\n';
  }
  if (!f) throw Error("cannot write " + path.string());
}

struct Sklearn {
  std::string python;
  std::string script;
  int jobs = 1;
  int trees = 200;
};

// Runs the reference script; its inference seconds and edges, or false (reason in `note`).
bool run_sklearn(const Sklearn& sk, const fs::path& expression, const fs::path& out, std::uint64_t seed,
                 double& seconds, std::vector<grn::ScoredEdge>& edges, std::string& note) {
  const std::string command = shell_quote(sk.python) + " " + shell_quote(sk.script) + " " +
                              shell_quote(expression.string()) + " " + shell_quote(out.string()) +
                              " --trees " + std::to_string(sk.trees) + " --jobs " + std::to_string(sk.jobs) +
                              " --seed " + std::to_string(seed);
  std::string stdout_text;
  if (!run_capture(command, stdout_text)) {
    note = "sklearn GENIE3 failed: " + command;
    return false;
  }
  const auto result = Json::parse(stdout_text);
  seconds = result.at("seconds").as_double();
  edges.clear();
  for (const auto& e : expr::read_edge_list(out).edges)
    edges.push_back({e.source, e.target, e.weight});
  return true;
}

#ifdef GC_GRN_HAVE_GENOCIRCUIT
constexpr const char* default_methods = "genocircuit,genie3,grnboost2,pidc,pearson";
constexpr const char* known_methods = "genocircuit, genie3, grnboost2, pidc, pearson";
#else
constexpr const char* default_methods = "genie3,grnboost2,pidc,pearson";
constexpr const char* known_methods = "genie3, grnboost2, pidc, pearson";
#endif

bool known_method(const std::string& m) {
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  if (m == "genocircuit") return true;
#endif
  return m == "genie3" || m == "grnboost2" || m == "pidc" || m == "pearson";
}

Json run_bench_grn(Args& args) {
  std::optional<std::string> beeline = args.option("--beeline");
  const auto sets_option = args.option("--sets");
  const bool all = args.flag("--all");
  const auto python_option = args.option("--python");
  const std::string script = args.option_or("--script", GC_GRN_SKLEARN_SCRIPT);
  const int trees = static_cast<int>(args.int_option_or("--trees", 200));
  const int threads = static_cast<int>(args.int_option_or("--threads", 1));
  const auto seed = static_cast<std::uint64_t>(args.int_option_or("--seed", 1));
  const int seeds = static_cast<int>(args.int_option_or("--seeds", 1));
  const auto methods_text = args.option_or("--methods", default_methods);
  // GenoCircuit: 0 = the configuration's default epochs.
  const auto epochs = args.int_option_or("--epochs", 0);
  const auto device = args.option_or("--device", "cpu");
  const auto synthetic_genes = args.int_option_or("--synthetic-genes", 100);
  const auto synthetic_cells = args.int_option_or("--synthetic-cells", 2000);
  const int synthetic_trees = static_cast<int>(args.int_option_or("--synthetic-trees", 50));
  args.finish();
  if (trees < 1 || synthetic_trees < 1 || seeds < 1)
    throw InputError("--trees, --synthetic-trees and --seeds must be at least 1");
  if (threads < 0) throw InputError("--threads must be 0 (all) or more");
  if (args.given("--epochs") && (epochs < 1 || epochs > 100000))
    throw InputError("--epochs must be between 1 and 100000");
  std::set<std::string> methods;
  {
    std::stringstream ss(methods_text);
    for (std::string m; std::getline(ss, m, ',');) {
      if (!known_method(m))
        throw InputError(std::string("--methods takes ") + known_methods + " (got '" + m + "')");
      methods.insert(m);
    }
  }

  if (!beeline) {
    const char* env = std::getenv("GC_SHARED_DATA");
    beeline = (env != nullptr && *env != '\0' ? fs::path(env) : fs::path("../shared/data")) / "beeline";
  }
  const fs::path root(*beeline);
  if (!fs::is_directory(root))
    throw InputError("BEELINE folder " + root.string() + " not found (pass --beeline DIR)");
  std::vector<std::string> names;
  if (all) {
    names = all_sets(root);
  } else if (sets_option) {
    std::stringstream ss(*sets_option);
    for (std::string n; std::getline(ss, n, ',');)
      names.push_back(n);
  } else {
    names = default_sets;
  }
  if (names.empty()) throw InputError("no BEELINE sets under " + root.string());

  std::string sklearn_why;
  Sklearn sk;
  sk.python = methods.contains("genie3") ? find_python(python_option, sklearn_why) : "";
  sk.script = script;
  sk.jobs = threads == 0 ? -1 : threads;
  sk.trees = trees;
  if (!sk.python.empty() && !fs::exists(script)) {
    sklearn_why = "reference script " + script + " not found (pass --script)";
    sk.python.clear();
  }
  const TempDir scratch("gc-bench-grn");
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  model::GenoCircuitConfig genocircuit_config;
  if (epochs > 0) genocircuit_config.epochs = static_cast<int>(epochs);
  genocircuit_config.device = device;
  genocircuit_config.validate();
  // Checked before any set runs, not when GenoCircuit's turn comes on the first one.
  if (device.rfind("cuda", 0) == 0 && !kernels::runtime_info().cuda_available)
    throw InputError("--device " + device + ": LibTorch sees no CUDA device");
  if (methods.contains("genocircuit")) kernels::configure_threads(threads);
  std::vector<double> gc_ratio, gc_epr, gc_base_ratio, gc_base_epr;
  double gc_seconds = 0.0, gc_base_seconds = 0.0;
  std::string gc_base_name;
#else
  if (args.given("--epochs") || args.given("--device"))
    throw InputError("--epochs and --device are GenoCircuit's: this build has no LibTorch");
#endif

  Json results = Json::array();
  std::map<std::string, std::vector<double>> ours_ratio;
  std::map<std::string, std::vector<double>> sk_ratio;
  std::map<std::string, double> ours_seconds;
  std::map<std::string, double> sk_seconds;
  std::vector<double> all_ours;
  std::vector<double> all_sk;
  double total_ours = 0.0;
  double total_sk = 0.0;

  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto s = load_set(root, names[i]);
    log::info("bench grn: ", names[i], " (", i + 1, "/", names.size(), "), ", s.columns.n_genes(),
              " genes × ", s.columns.samples, " cells");
    Json params = Json::object();
    params["set"] = s.name;
    params["genes"] = s.columns.n_genes();
    params["cells"] = s.columns.samples;
    params["threads"] = threads;
    // What GenoCircuit is compared with on this set: our GENIE3 of this run, else |Pearson|.
    Json same_run_baseline;

    if (methods.contains("genie3")) {
      std::vector<Json> ours_runs;
      std::vector<Json> sk_runs;
      double seconds = 0.0;
      double sk_time = 0.0;
      std::string note;
      for (int k = 0; k < seeds; ++k) {
        const auto run_seed = set_seed(seed, s.name, k);
        grn::Genie3Options o;
        o.forest.trees = trees;
        o.seed = run_seed;
        o.threads = threads;
        const Stopwatch watch;
        const auto edges = grn::genie3(s.columns, o);
        seconds += watch.seconds();
        ours_runs.push_back(accuracy(edges, s));
        if (sk.python.empty() || !note.empty()) continue;
        double t = 0.0;
        std::vector<grn::ScoredEdge> sk_edges;
        if (run_sklearn(sk, s.expression, scratch.path() / ("sk" + std::to_string(i) + ".csv"), run_seed, t,
                        sk_edges, note)) {
          sk_time += t;
          sk_runs.push_back(accuracy(sk_edges, s));
        }
      }
      Json r = Json::object();
      r["name"] = "genie3";
      r["backend"] = "ours";
      r["device"] = "cpu";
      Json p = params;
      p["trees"] = trees;
      p["seeds"] = seeds;
      r["params"] = p;
      r["seconds"] = seconds / seeds;
      const auto acc = mean_accuracy(ours_runs);
      const double ours = acc.at("auprc_ratio").as_double();
      r["accuracy"] = acc;
      same_run_baseline = Json::object();
      same_run_baseline["name"] = "genie3";
      same_run_baseline["seconds"] = seconds / seeds;
      same_run_baseline["accuracy"] = acc;
      ours_ratio[s.family].push_back(ours);
      all_ours.push_back(ours);
      ours_seconds[s.family] += seconds;
      total_ours += seconds;
      if (static_cast<int>(sk_runs.size()) == seeds) {
        Json b = Json::object();
        b["name"] = "sklearn_genie3";
        b["seconds"] = sk_time / seeds;
        const auto sk_acc = mean_accuracy(sk_runs);
        const double theirs = sk_acc.at("auprc_ratio").as_double();
        b["accuracy"] = sk_acc;
        r["baseline"] = b;
        r["speedup"] = sk_time / seconds;
        r["auprc_ratio_vs_baseline"] = number_or_null(ours / theirs);
        sk_ratio[s.family].push_back(theirs);
        all_sk.push_back(theirs);
        sk_seconds[s.family] += sk_time;
        total_sk += sk_time;
        r["note"] = sklearn_why;
      } else {
        r["baseline"] = nullptr;
        r["note"] = note.empty() ? sklearn_why : note;
      }
      results.push_back(std::move(r));
    }

    const auto timed = [&](const std::string& name, const std::function<std::vector<grn::ScoredEdge>()>& fn,
                           const std::string& note) {
      const Stopwatch watch;
      const auto edges = fn();
      Json r = Json::object();
      r["name"] = name;
      r["backend"] = "ours";
      r["device"] = "cpu";
      r["params"] = params;
      r["seconds"] = watch.seconds();
      r["accuracy"] = accuracy(edges, s);
      r["baseline"] = nullptr;
      r["note"] = note;
      results.push_back(std::move(r));
    };
    if (methods.contains("grnboost2")) {
      if (grn::grnboost2_available()) {
        grn::Grnboost2Options o;
        o.seed = set_seed(seed, s.name, 0);
        o.threads = threads;
        timed(
            "grnboost2", [&] { return grn::grnboost2(s.columns, o); },
            "XGBoost, no external baseline in this suite (arboreto is not installed)");
      } else {
        Json r = Json::object();
        r["name"] = "grnboost2";
        r["params"] = params;
        r["seconds"] = nullptr;
        r["baseline"] = nullptr;
        r["note"] = "built without XGBoost";
        results.push_back(std::move(r));
      }
    }
    if (methods.contains("pidc")) {
      grn::PidcOptions o;
      o.threads = threads;
      timed(
          "pidc", [&] { return grn::pidc(s.columns, o); },
          "no external baseline in this suite (NetworkInference.jl needs Julia)");
    }
    if (methods.contains("pearson")) {
      timed(
          "pearson", [&] { return grn::correlation_edges(s.matrix, grn::Correlation::pearson); },
          "|Pearson|: the accuracy floor of DESIGN §12");
      if (same_run_baseline.is_null()) {
        const auto& p = results.as_array().back();
        same_run_baseline = Json::object();
        same_run_baseline["name"] = "pearson";
        same_run_baseline["seconds"] = p.at("seconds");
        same_run_baseline["accuracy"] = p.at("accuracy");
      }
    }
#ifdef GC_GRN_HAVE_GENOCIRCUIT
    if (methods.contains("genocircuit")) {
      // The folder as `grn --expr DIR` reads it: with PseudoTime.csv, which the model uses.
      const auto input = expr::read_grn_expression(s.folder);
      grn::GenoCircuitOptions o;
      o.config = genocircuit_config;
      std::vector<Json> runs;
      double seconds = 0.0;
      double train_seconds = 0.0;
      std::int64_t candidates = 0;
      std::int64_t parameters = 0;
      for (int k = 0; k < seeds; ++k) {
        o.config.seed = set_seed(seed, s.name, k);
        const Stopwatch watch;
        const auto run = grn::train_genocircuit(input.matrix, {}, o);
        seconds += watch.seconds();
        train_seconds += run.model.log().seconds;
        candidates = run.model.inputs().num_edges();
        parameters = run.model.log().parameters;
        runs.push_back(accuracy(run.edges, s));
      }
      Json r = Json::object();
      r["name"] = "genocircuit";
      r["backend"] = "libtorch";
      r["device"] = device;
      r["dtype"] = "f32";
      Json p = params;
      p["epochs"] = genocircuit_config.epochs;
      p["seeds"] = seeds;
      p["candidate_edges"] = candidates;
      p["parameters"] = parameters;
      p["pseudotime"] = !grn::model_pseudotime(input.matrix).empty();
      r["params"] = std::move(p);
      r["seconds"] = seconds / seeds;
      r["train_seconds"] = train_seconds / seeds;
      r["seconds_per_epoch"] = train_seconds / seeds / genocircuit_config.epochs;
      const auto acc = mean_accuracy(runs);
      r["accuracy"] = acc;
      r["baseline"] = same_run_baseline;
      r["note"] = "seconds: input preparation + training + edge scoring (train_seconds: training alone)";
      if (!same_run_baseline.is_null()) {
        const double base_seconds = same_run_baseline.at("seconds").as_double();
        const auto& base_acc = same_run_baseline.at("accuracy");
        r["speedup"] = base_seconds / (seconds / seeds);
        r["auprc_ratio_vs_baseline"] =
            number_or_null(acc.at("auprc_ratio").as_double() / base_acc.at("auprc_ratio").as_double());
        r["epr_vs_baseline"] = number_or_null(acc.at("epr").as_double() / base_acc.at("epr").as_double());
        gc_ratio.push_back(acc.at("auprc_ratio").as_double());
        gc_epr.push_back(acc.at("epr").as_double());
        gc_base_ratio.push_back(base_acc.at("auprc_ratio").as_double());
        gc_base_epr.push_back(base_acc.at("epr").as_double());
        gc_seconds += seconds / seeds;
        gc_base_seconds += base_seconds;
        gc_base_name = same_run_baseline.at("name").as_string();
      }
      results.push_back(std::move(r));
    }
#endif
  }

  // GENIE3 beyond BEELINE's sizes. 5,000 genes × 20,000 cells × 200 trees would take days on
  // a few cores for either implementation (every tree sorts ~70 of 4,999 regulators at every
  // node of 20,000 samples), so the default is a size both finish in about a minute.
  if (methods.contains("genie3") && synthetic_genes > 1 && synthetic_cells > 1) {
    const auto d = synthetic_columns(synthetic_genes, synthetic_cells, seed);
    grn::Genie3Options o;
    o.forest.trees = synthetic_trees;
    o.seed = seed;
    o.threads = threads;
    const Stopwatch watch;
    (void)grn::genie3(d, o);
    const double seconds = watch.seconds();
    Json r = Json::object();
    r["name"] = "genie3_synthetic";
    r["backend"] = "ours";
    r["device"] = "cpu";
    Json p = Json::object();
    p["genes"] = synthetic_genes;
    p["cells"] = synthetic_cells;
    p["trees"] = synthetic_trees;
    p["threads"] = threads;
    r["params"] = p;
    r["seconds"] = seconds;
    r["baseline"] = nullptr;
    r["note"] = sklearn_why;
    if (!sk.python.empty()) {
      const auto csv = scratch.path() / "synthetic.csv";
      write_expression_csv(csv, d);
      Sklearn small = sk;
      small.trees = synthetic_trees;
      double sk_time = 0.0;
      std::vector<grn::ScoredEdge> ignored;
      std::string note;
      if (run_sklearn(small, csv, scratch.path() / "synthetic_sk.csv", seed, sk_time, ignored, note)) {
        Json b = Json::object();
        b["name"] = "sklearn_genie3";
        b["seconds"] = sk_time;
        r["baseline"] = b;
        r["speedup"] = sk_time / seconds;
      } else {
        r["note"] = note;
      }
    }
    results.push_back(std::move(r));
  }

  Json summary = Json::object();
  if (!all_ours.empty()) {
    Json g = Json::object();
    g["sets"] = static_cast<long long>(all_ours.size());
    g["ours_median_auprc_ratio"] = number_or_null(median(all_ours));
    g["sklearn_median_auprc_ratio"] = all_sk.empty() ? Json(nullptr) : number_or_null(median(all_sk));
    g["median_ratio_ours_vs_sklearn"] =
        all_sk.empty() ? Json(nullptr) : number_or_null(median(all_ours) / median(all_sk));
    g["ours_seconds"] = total_ours;
    g["sklearn_seconds"] = all_sk.empty() ? Json(nullptr) : Json(total_sk);
    g["speedup"] = all_sk.empty() ? Json(nullptr) : Json(total_sk / total_ours);
    Json families = Json::array();
    for (const auto& [family, ratios] : ours_ratio) {
      Json f = Json::object();
      f["family"] = family;
      f["sets"] = static_cast<long long>(ratios.size());
      f["ours_median_auprc_ratio"] = number_or_null(median(ratios));
      const auto it = sk_ratio.find(family);
      const bool have = it != sk_ratio.end();
      f["sklearn_median_auprc_ratio"] = have ? number_or_null(median(it->second)) : Json(nullptr);
      f["median_ratio_ours_vs_sklearn"] =
          have ? number_or_null(median(ratios) / median(it->second)) : Json(nullptr);
      f["ours_seconds"] = ours_seconds[family];
      f["sklearn_seconds"] = have ? Json(sk_seconds[family]) : Json(nullptr);
      f["speedup"] = have ? Json(sk_seconds[family] / ours_seconds[family]) : Json(nullptr);
      families.push_back(std::move(f));
    }
    g["families"] = std::move(families);
    summary["genie3"] = std::move(g);
  }

#ifdef GC_GRN_HAVE_GENOCIRCUIT
  // GenoCircuit against its same-run baseline: the target is median AUPRC ratio and EPR
  // at least 1.2 x our GENIE3's.
  if (!gc_ratio.empty()) {
    Json g = Json::object();
    g["sets"] = static_cast<long long>(gc_ratio.size());
    g["baseline"] = gc_base_name;
    g["epochs"] = genocircuit_config.epochs;
    g["median_auprc_ratio"] = number_or_null(median(gc_ratio));
    g["baseline_median_auprc_ratio"] = number_or_null(median(gc_base_ratio));
    g["median_auprc_ratio_vs_baseline"] = number_or_null(median(gc_ratio) / median(gc_base_ratio));
    g["median_epr"] = number_or_null(median(gc_epr));
    g["baseline_median_epr"] = number_or_null(median(gc_base_epr));
    g["median_epr_vs_baseline"] = number_or_null(median(gc_epr) / median(gc_base_epr));
    g["seconds"] = gc_seconds;
    g["baseline_seconds"] = gc_base_seconds;
    g["speedup"] = gc_base_seconds / gc_seconds;
    summary["genocircuit"] = std::move(g);
  }
#endif

  Json out = Json::object();
  out["suite"] = "grn";
  out["machine"] = machine_description();
  out["results"] = std::move(results);
  out["summary"] = std::move(summary);
  return out;
}

const BenchRegistration grn_bench{
    {"grn",
     "GRN inference on BEELINE sets: GENIE3 against scikit-learn's (time, AUPRC ratio, EPR), "
     "GenoCircuit (training + scoring) against our GENIE3 of the same run, GRNBoost2, PIDC and |Pearson| "
     "[--beeline DIR] [--sets A,B | --all] [--methods " +
         std::string(default_methods) +
         "] [--trees N] [--threads N] [--seed N] [--seeds N: runs of each seeded method per set, "
         "accuracy averaged] [--epochs N --device cpu|cuda: GenoCircuit's] [--python PY] [--script "
         "genie3_sklearn.py] [--synthetic-genes N --synthetic-cells N --synthetic-trees N]",
     run_bench_grn}};

} // namespace
} // namespace gc::cli
