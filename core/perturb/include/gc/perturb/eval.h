#pragma once
// Scoring predicted perturbation responses against observed ones, and the evaluation that runs
// predictors (the baselines, later the GenoCircuit model) on the same seeded splits.
//
// Metrics per intervention, as GEARS (Roohani et al., Nat. Biotechnol. 2024; gears/inference.py
// compute_metrics, deeper_analysis) and Ahlmann-Eltze et al. (Nat. Methods 2025) define them,
// on Δ = expression − control mean:
//   pearson_delta        Pearson of predicted vs observed Δ over all genes (GEARS pearson_delta)
//   pearson_delta_top20  the same over the 20 most changed genes (pearson_delta_top20_de)
//   mse_top20            mean squared error of predicted vs observed over them (mse_top20_de)
//   direction_top20      fraction of them with sign(predicted Δ) = sign(observed Δ), sign(0) = 0
//                        (frac_correct_direction_top20)
//   l2_top_expressed     L2 distance of predicted and observed expression over the 1,000 most
//                        expressed genes (Ahlmann-Eltze et al.'s headline metric); all genes when
//                        fewer or when the data has no absolute levels
//   top50_accuracy       |top-50 predicted ∩ top-50 observed| / 50, genes ranked by |Δ| (the
//                        seed's Top-50 accuracy)
// The top-20 and top-50 rank genes by |observed Δ| (GEARS ranks by a Wilcoxon test over cells;
// bulk profiles have no cells, so |Δ| serves every layout alike), leaving out the perturbed
// genes themselves, whose change is the intervention, not its effect. Ties: the DE set takes the
// lower gene index first; in top50_accuracy tied genes at the cut share the remaining places
// equally (the expected overlap under random tie-breaking), so a constant prediction scores
// what chance does. A Pearson of a constant vector is undefined (NaN, null in JSON) and left
// out of aggregates, which say how many values they averaged.
#include "gc/perturb/baselines.h"
#include "gc/perturb/dataset.h"
#include "gc/perturb/split.h"
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gc::perturb {

enum class Metric {
  pearson_delta,
  pearson_delta_top20,
  mse_top20,
  direction_top20,
  l2_top_expressed,
  top50_accuracy
};
inline constexpr std::size_t metric_count = 6;
[[nodiscard]] std::string_view metric_name(Metric m) noexcept;
[[nodiscard]] bool higher_is_better(Metric m) noexcept;

struct MetricOptions {
  std::size_t top_de = 20;          // genes of the *_top20 metrics
  std::size_t top_expressed = 1000; // genes of l2_top_expressed
  std::size_t top_k = 50;           // genes of top50_accuracy
};

using MetricValues = std::array<double, metric_count>; // NaN = undefined

// Pearson correlation; NaN when either vector is constant or they are shorter than 2.
[[nodiscard]] double pearson(const std::vector<double>& a, const std::vector<double>& b);
// The n genes with the largest |observed Δ|, `excluded` left out; ties by lower index.
[[nodiscard]] std::vector<std::size_t> top_changed(const std::vector<double>& observed,
                                                   const std::vector<std::size_t>& excluded, std::size_t n);
// |top-k predicted ∩ top-k observed| / k by |Δ| over the genes not excluded, ties at the cut
// sharing the remaining places; k = min(k, genes left).
[[nodiscard]] double top_k_accuracy(const std::vector<double>& predicted, const std::vector<double>& observed,
                                    const std::vector<std::size_t>& excluded, std::size_t k);
// The n genes with the highest level (ties by lower index); every gene when `level` is empty.
[[nodiscard]] std::vector<std::size_t> most_expressed(const std::vector<double>& level, std::size_t genes,
                                                      std::size_t n);

// All metrics of one prediction. `perturbed`: the intervention's genes (indices); `expressed`:
// the genes of l2_top_expressed.
[[nodiscard]] MetricValues score_response(const std::vector<double>& predicted,
                                          const std::vector<double>& observed,
                                          const std::vector<std::size_t>& perturbed,
                                          const std::vector<std::size_t>& expressed,
                                          const MetricOptions& options = {});

struct EvalOptions {
  std::vector<std::uint64_t> seeds{1, 2, 3};
  bool singles = true; // the unseen-singles split
  bool doubles = true; // the doubles split (skipped, with a note, when the data has no doubles)
  SplitOptions split;
  MetricOptions metrics;
};

// One metric of one predictor on one kind of test item: per seed the mean and the median over
// the items (NaN values left out), then over seeds.
struct MetricSummary {
  std::vector<double> seed_means;      // NaN for a seed without a defined value
  std::vector<double> seed_medians;    // likewise
  std::int64_t values = 0;             // defined values, all seeds
  std::int64_t items = 0;              // items scored, all seeds
  [[nodiscard]] double mean() const;   // mean of the seed means
  [[nodiscard]] double sd() const;     // their sample standard deviation (NaN below 2 seeds)
  [[nodiscard]] double median() const; // mean of the seed medians
};

struct PredictorScores {
  std::string name;
  std::array<MetricSummary, metric_count> metrics;
};

// "singles", "doubles", "doubles_seen0", "doubles_seen1", "doubles_seen2".
struct KindResult {
  std::string kind;
  std::vector<std::int64_t> test_items;    // per seed
  std::vector<std::int64_t> train_items;   // per seed
  std::vector<PredictorScores> predictors; // in the order given
};

struct EvalReport {
  Json dataset;
  std::vector<std::uint64_t> seeds;
  std::vector<std::string> predictor_names;
  Json predictor_descriptions = Json::object();
  std::vector<KindResult> kinds;
  Json notes = Json::object();
  [[nodiscard]] Json to_json() const;
  // A fixed-width table: per kind, one row per predictor, "mean ± sd" per metric.
  [[nodiscard]] std::string table() const;
};

// Every predictor on the same splits and seeds: for each seed and split, each predictor is made
// fresh, fitted on the training observations and asked for every test item.
[[nodiscard]] EvalReport evaluate(const PerturbationDataset& data,
                                  const std::vector<PredictorSpec>& predictors,
                                  const EvalOptions& options = {}, const Progress& progress = {});

// Every predictor against known true responses (TruthTable) of the interventions the data did
// not observe — a simulation's evaluation_perturbations: the unscreened knockouts, doubles,
// knockdowns and overexpressions. For each seed each predictor is made fresh with that seed and
// fitted on every observation of the data, then asked for each truth intervention whose label
// no observation has, in each cell group the data and the truth share ("all" when the data has
// no groups). Predictions are turned into log2 fold changes against the group's control mean
// (log2_fold_change on the data's scale) and scored by score_response against the expected
// log2 fold changes, over the genes the truth gives; l2_top_expressed is then an L2 of log2
// fold changes. Kinds: "truth_knockouts", "truth_double_knockouts", "truth_knockdowns",
// "truth_overexpressions", "truth_other" (those with items); double kinds are scored for
// predictors with `doubles`, the others for those with `singles`. gc::InputError when no truth
// intervention is left to score (named in the message: all observed, genes or groups unknown).
[[nodiscard]] EvalReport evaluate_truth(const PerturbationDataset& data, const TruthTable& truth,
                                        const std::vector<PredictorSpec>& predictors,
                                        const EvalOptions& options = {}, const Progress& progress = {});

} // namespace gc::perturb
