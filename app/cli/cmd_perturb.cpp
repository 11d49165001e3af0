// `perturb eval --data FILE|DIR`: every perturbation-response baseline on the same seeded splits
// (unseen singles; doubles with 0, 1 or 2 members seen), scored with GEARS' and Ahlmann-Eltze et
// al.'s metrics (DESIGN §7, §12).
#include "cli.h"

#include "gc/perturb/baselines.h"
#include "gc/perturb/eval.h"
#ifdef GC_PERTURB_HAVE_ENGINE
#include "gc/perturb/engine.h"
#endif
#include "gc/perturb/screen.h"
#include "gc/perturb/tables.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/timing.h"

#include <iostream>

namespace gc::cli {
namespace {

// What is evaluated: the baselines and, with `--model M` (a GRN checkpoint trained on
// unperturbed expression, or a perturbation checkpoint whose graph is reused), the GenoCircuit
// perturbation model: a fresh one trained on each split's training observations over M's
// graph, scored on exactly the splits, seeds and metrics of the baselines in the same run.
std::vector<perturb::PredictorSpec> predictors(const std::optional<std::vector<std::string>>& tfs,
                                               const std::optional<std::string>& model_path, int epochs) {
  perturb::BaselineOptions options;
  options.propagation.regulators = tfs;
  auto out = perturb::baseline_predictors(options);
  if (!model_path) return out;
#ifdef GC_PERTURB_HAVE_ENGINE
  auto graph = std::make_shared<perturb::ModelGraph>(perturb::read_model_graph(*model_path));
  model::PerturbationConfig config;
  config.epochs = epochs;
  perturb::PredictorSpec spec;
  spec.name = "genocircuit";
  spec.description = "GenoCircuit perturbation model over the graph of " + *model_path;
  spec.make = [graph, config](std::uint64_t seed) {
    auto seeded = config;
    seeded.seed = seed;
    return std::make_unique<perturb::GenoCircuitPredictor>(graph->genes, graph->graph, seeded);
  };
  out.push_back(std::move(spec));
  return out;
#else
  (void)epochs;
  throw InputError("perturb eval --model: this build has no model core (LibTorch)");
#endif
}

Json run_perturb(Args& args) {
  const auto sub = args.positional("subcommand (eval)");
  if (sub != "eval") throw InputError("unknown perturb subcommand '" + sub + "' (eval)");
  const auto data_path = args.option("--data");
  perturb::ScreenOptions screen;
  screen.control_labels = args.options("--control");
  screen.column = args.option_or("--column", "");
  screen.group_column = args.option_or("--group-column", "");
  screen.min_cells = args.int_option_or("--min-cells", screen.min_cells);
  const auto tfs_path = args.option("--tfs");
  const auto split = args.option_or("--split", "both");
  const auto truth_path = args.option("--truth");
  const auto seeds = args.int_option_or("--seeds", 3);
  perturb::EvalOptions options;
  options.split.single_test_fraction =
      args.double_option_or("--test-fraction", options.split.single_test_fraction);
  options.split.double_unseen_fraction =
      args.double_option_or("--unseen-fraction", options.split.double_unseen_fraction);
  const auto model_path = args.option("--model");
  const auto epochs = args.int_option_or("--epochs", 300);
  args.finish();
  if (epochs < 1) throw InputError("--epochs must be a positive integer");
  if (!data_path)
    throw InputError("perturb eval needs --data FILE|DIR (a screen, a DREAM4 folder or a profile table)");
  if (split != "singles" && split != "doubles" && split != "both" && split != "none")
    throw InputError("--split '" + split + "': expected singles, doubles, both or none");
  if (split == "none" && !truth_path)
    throw InputError("--split none leaves nothing to evaluate without --truth TABLE");
  if (seeds < 1 || seeds > 1000)
    throw InputError("--seeds " + std::to_string(seeds) + ": expected 1 to 1000");
  options.singles = split == "singles" || split == "both";
  options.doubles = split == "doubles" || split == "both";
  options.seeds.clear();
  for (long long s = 1; s <= seeds; ++s)
    options.seeds.push_back(static_cast<std::uint64_t>(s));

  Stopwatch clock;
  const auto data = perturb::load_perturbation_data(*data_path, screen);
  std::optional<std::vector<std::string>> tfs;
  if (tfs_path) {
    tfs = perturb::read_gene_list(*tfs_path);
    std::size_t known = 0;
    for (const auto& tf : *tfs)
      known += data.gene_index(tf) ? 1 : 0;
    if (known == 0) throw InputError("none of the TFs is a gene of the data").file(*tfs_path);
    log::info("perturb eval: " + std::to_string(known) + " of " + std::to_string(tfs->size()) +
              " TFs are genes of the data");
  }
  const auto specs = predictors(tfs, model_path, static_cast<int>(epochs));
  // Splits of the observed interventions, then (with --truth) the interventions the data never
  // observed, scored against their known responses: one report, kinds side by side.
  perturb::EvalReport report;
  if (split != "none") report = perturb::evaluate(data, specs, options);
  if (truth_path) {
    const auto truth = perturb::read_truth_table(*truth_path);
    auto scored = perturb::evaluate_truth(data, truth, specs, options);
    if (split == "none") {
      report = std::move(scored);
    } else {
      for (auto& k : scored.kinds)
        report.kinds.push_back(std::move(k));
      for (const auto& [key, value] : scored.notes.as_object())
        report.notes[key] = value;
    }
  }
  auto j = report.to_json();
  j["seconds"] = clock.seconds();
  if (tfs_path) j["tfs"] = *tfs_path;
  if (!args.given("--json")) return Json(report.table());
  std::cerr << report.table();
  return j;
}

const Registration perturb_command{
    {"perturb",
     "perturb eval --data FILE|DIR [--model GRN.gcmodel|M.gcpert [--epochs N]] [--control LABEL] [--column "
     "NAME] [--group-column NAME|none] [--tfs FILE] "
     "[--split singles|doubles|both|none] [--truth TABLE] [--seeds N] [--test-fraction F] [--unseen-fraction "
     "F] [--min-cells N] "
     "[--json]",
     "Evaluate perturbation-response predictions: the baselines no change, training mean, additive "
     "(doubles), "
     "linear (PCA 10 + ridge 0.1, Ahlmann-Eltze et al. 2025) and CellOracle-style propagation, on seeded "
     "splits of unseen singles and of doubles with 0, 1 or 2 members seen, scored by Pearson Δ (all genes, "
     "top-20 DE), MSE and direction on the top 20 DE, L2 on the 1,000 most expressed genes and Top-50 "
     "accuracy. With --truth (a table of expected log2 fold changes: perturbation, cell_type, gene, "
     "expected_log2fc, like the demo world's perturbation_truth.tsv), also the interventions the data did "
     "not observe, every predictor trained on all observations, scored in log2 fold changes. Data: a screen "
     "(.h5ad/10x, obs column of targets, control label), a DREAM4 folder or a "
     "table of bulk profiles (genes x profiles, log2 vs wild type)",
     run_perturb}};

} // namespace
} // namespace gc::cli
