// `train --expr FILE|DIR ... --out MODEL`: trains GenoCircuit (masked imputation, pseudotime
// velocity when present, supervised fine-tuning on --truth) and writes a versioned checkpoint.
#include "cli.h"
#include "grn_data.h"

#include "gc/grn/genocircuit.h"
#include "gc/kernels/runtime.h"
#include "gc/perturb/engine.h"
#include "gc/perturb/screen.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/timing.h"

#include <filesystem>
#include <optional>
#include <unordered_set>

namespace gc::cli {
namespace {

namespace fs = std::filesystem;

// AUROC/AUPRC over a subset of the candidate edges (the held-out split).
Json split_metrics(const model::GrnInputs& in, const model::EdgeScores& scores,
                   const std::vector<std::int64_t>& edges) {
  std::vector<double> s;
  std::vector<std::uint8_t> labels;
  std::int64_t positives = 0;
  for (auto e : edges) {
    s.push_back(scores.score[static_cast<std::size_t>(e)]);
    labels.push_back(in.edge_labels[static_cast<std::size_t>(e)]);
    positives += labels.back();
  }
  Json j = Json::object();
  j["edges"] = static_cast<std::int64_t>(edges.size());
  j["true_edges"] = positives;
  const double density =
      edges.empty() ? 0.0 : static_cast<double>(positives) / static_cast<double>(edges.size());
  const double auprc = grn::auprc(s, labels);
  j["auroc"] = grn::auroc(s, labels);
  j["auprc"] = auprc;
  j["auprc_ratio"] = density > 0.0 ? auprc / density : Json();
  return j;
}

Json run_train(Args& args) {
  const auto expr_arg = args.option("--expr");
  const auto out_arg = args.option("--out");
  const auto truth_arg = args.option("--truth");
  const auto tfs_arg = args.option("--tfs");
  const auto threads = args.int_option_or("--threads", 0);
  const auto edges_arg = args.option("--edges");
  const auto seed = args.int_option_or("--seed", 1);
  const auto perturb_arg = args.option("--perturb");
  const auto perturb_epochs = args.int_option_or("--perturb-epochs", model::PerturbationConfig{}.epochs);
  auto gc_args = read_genocircuit_args(args);
  args.finish();
  if (seed < 0) throw InputError("--seed must be a non-negative integer");
  if (perturb_epochs <= 0) throw InputError("--perturb-epochs must be a positive integer");
  gc_args.options.config.seed = static_cast<std::uint64_t>(seed);
  if (!expr_arg || expr_arg->empty()) throw InputError("train needs --expr FILE|DIR");
  if (!out_arg || out_arg->empty()) throw InputError("train needs --out MODEL (the checkpoint to write)");
  const fs::path out = *out_arg;
  {
    std::error_code ec;
    const auto folder = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    if (!fs::is_directory(folder, ec))
      throw InputError("the folder of --out does not exist").file(out.string());
    if (fs::is_directory(out, ec)) throw InputError("--out is a folder, not a file").file(out.string());
  }
  kernels::configure_threads(static_cast<int>(threads));
  const auto listener = std::make_shared<LogProgress>("train");
  const Progress progress(listener, CancelToken{});
  Stopwatch total;

  // Read the perturbation data first: a bad file must fail before the long GRN training.
  std::optional<perturb::PerturbationDataset> perturbations;
  if (perturb_arg) perturbations = perturb::load_perturbation_data(*perturb_arg);
  auto d = load_grn_data(*expr_arg, truth_arg, tfs_arg, progress.sub(0.0, 0.05));
  auto& options = gc_args.options;
  options.regulators = d.names.tfs;
  if (d.names.truth) options.reference = *d.names.truth;
  auto run = grn::train_genocircuit(
      d.data.matrix, gc_args.sources, options, progress.sub(0.05, 1.0), [](const model::EpochLog& e) {
        log::info("train: epoch ", e.epoch, " loss ", e.loss, " (imputation ", e.imputation, ", velocity ",
                  e.velocity, ", supervised ", e.supervised, ", mean A ", e.sparsity, ")");
      });
  for (const auto& w : run.warnings)
    d.warnings.push_back(w);
  run.model.save(out.string());
  if (edges_arg) {
    grn::Network network;
    network.edges = run.edges;
    network.tfs = d.names.tfs;
    network.method = "genocircuit";
    network.source = *expr_arg;
    grn::write_network(*edges_arg, network);
  }

  Json r = Json::object();
  if (perturbations) {
    // Stage 3: the perturbation model on the GRN just trained, written beside it.
    std::size_t matched = 0;
    auto inputs = perturb::perturbation_inputs(*perturbations, run.model.inputs().genes,
                                               run.model.edge_functions(), {}, &matched);
    model::PerturbationConfig pc;
    pc.epochs = static_cast<int>(perturb_epochs);
    pc.seed = static_cast<std::uint64_t>(seed);
    pc.device = gc_args.options.config.device;
    model::PerturbationModel pm(pc, std::move(inputs));
    const auto plog = pm.train(progress, [](const model::PerturbationEpoch& e) {
      if (e.epoch % 50 == 0)
        log::info("train: perturbation epoch ", e.epoch, " loss ", e.loss, " (reconstruction ",
                  e.reconstruction, ", KL ", e.kl, ", triplet ", e.triplet, ")");
    });
    const auto path = fs::path(out).replace_extension(".gcpert").string();
    pm.save(path);
    Json p = Json::object();
    p["model"] = path;
    p["data"] = perturbations->summary();
    p["graph_genes_in_data"] = static_cast<std::int64_t>(matched);
    p["graph_edges"] = pm.inputs().num_edges();
    p["examples"] = static_cast<std::int64_t>(pm.inputs().examples.size());
    p["config"] = pc.to_json();
    p["final_loss"] = plog.back().loss;
    p["final_reconstruction"] = plog.back().reconstruction;
    r["perturbation"] = std::move(p);
  }
  r["model"] = out.string();
  r["checkpoint_version"] = static_cast<std::int64_t>(model::checkpoint_version);
  r["genes"] = d.data.matrix.n_genes();
  r["samples"] = d.data.matrix.n_cells();
  r["candidate_edges"] = run.model.inputs().num_edges();
  r["config"] = run.model.config().to_json();
  r["inputs"] = run.report;
  r["sources"] = genocircuit_sources_json(gc_args.sources);
  const auto& log = run.model.log();
  r["device"] = log.device;
  r["parameters"] = log.parameters;
  r["peak_bytes"] = log.peak_bytes;
  r["seconds"] = total.seconds();
  if (!log.epochs.empty()) {
    r["final_loss"] = log.epochs.back().loss;
    r["seconds_per_epoch"] = log.seconds / static_cast<double>(log.epochs.size());
  }
  if (log.supervised) {
    const auto scores = run.model.edge_scores();
    r["heldout"] = split_metrics(run.model.inputs(), scores, log.heldout_edges);
    std::vector<std::int64_t> trained;
    const std::unordered_set<std::int64_t> held(log.heldout_edges.begin(), log.heldout_edges.end());
    for (std::int64_t e = 0; e < run.model.inputs().num_edges(); ++e)
      if (!held.count(e)) trained.push_back(e);
    r["training_split"] = split_metrics(run.model.inputs(), scores, trained);
  }
  r["names"] = d.names.report.to_json();
  r["warnings"] = Json::array_of(d.warnings);
  return r;
}

const Registration train_command{
    {"train",
     "train --expr FILE|DIR --out MODEL [--genome FA --gtf GTF --peaks BED --hic FILE --motifs FILE] "
     "[--tfs FILE|var:COLUMN] [--truth REF] [--epochs N] [--seed N] [--device cpu|cuda] [--config JSON] "
     "[--threads N] [--edges ranked.csv|.tsv|.graphml|.sif] [--perturb SCREEN|PROFILES|DREAM4 "
     "[--perturb-epochs N]] "
     "[--json]",
     "Train the GenoCircuit model (masked gene imputation, pseudotime velocity when the data has it, "
     "supervised fine-tuning on --truth with a held-out edge split) and write a versioned checkpoint "
     "(and, with --edges, its ranked network; with --perturb, the perturbation model on its graph, as "
     "MODEL with the extension .gcpert, for `knockout` and `atlas`)",
     run_train}};

} // namespace
} // namespace gc::cli
