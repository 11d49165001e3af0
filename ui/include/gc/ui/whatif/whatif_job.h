#pragma once
// Where the what-if view's answers come from — one place for the GUI (in TaskRunner workers) and
// the headless figure alike:
//
// - the model job: the GenoCircuit GRN the graph view trains on the workspace's expression data
//   (the same cached checkpoint, gc::ui::graph::genocircuit_model), then the perturbation model
//   on its graph, trained on the workspace's screen (an expression dataset with a perturbation
//   column and control cells) through gc::perturb::perturbation_inputs and cached beside the GRN
//   checkpoint as .gcpert, keyed by both; a later start loads it. With it the job reads the
//   truth table when the workspace has one (perturbation, cell_type, gene, expected_log2fc: the
//   demo world's perturbation_truth.tsv) and proposes a scenario: the screened single-gene
//   knockout of a regulator with the highest predicted impact.
// - the prediction: the state's intervention in its cell group through gc::perturb's knockout
//   engine — per gene Δ, its spread over draws of the latent, the step at which it first moves
//   and through which regulator, and the log2 fold change of amounts — with the truth's
//   comparison when the table holds that intervention in that group.
// - the explanation: Shapley values of the target's Δ (gc::perturb::KnockoutEngine::explain),
//   with regulators or perturbed genes as players.
#include "gc/perturb/dataset.h"
#include "gc/perturb/intervention.h"
#include "gc/perturb/shapley.h"
#include "gc/ui/graph/grn_job.h"
#include "gc/ui/graph/response_overlay.h"
#include "gc/ui/whatif/whatif_state.h"
#include "gc/util/progress.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gc::ui {
struct Dataset;
}

namespace gc::ui::whatif {

// Whether this build has the perturbation model and the knockout engine (LibTorch).
[[nodiscard]] bool have_perturbation_model() noexcept;
// The perturbation model's training epochs by default (its configuration's); 0 without it.
[[nodiscard]] int default_perturbation_epochs();

// An expression dataset whose obs has a perturbation target column
// (gc::perturb::screen_target_columns()).
[[nodiscard]] bool is_screen(const Dataset& dataset);
// A table whose header names the columns perturbation, cell_type, gene and expected_log2fc.
[[nodiscard]] bool is_truth_table(const Dataset& dataset);

// The true expected responses of a truth table (gc::perturb::read_truth_table, the reader of
// `perturb eval --truth`): per canonical intervention label and cell group, each gene's expected
// log2 fold change.
using TruthTable = gc::perturb::TruthTable;
[[nodiscard]] TruthTable read_truth_table(const QString& path, const gc::Progress& progress = {});

struct ModelSources {
  graph::GrnSources grn;                      // the GRN: GenoCircuit on the expression dataset
  std::shared_ptr<const Dataset> screen;      // the perturbation screen; null: nothing to train on
  std::shared_ptr<const Dataset> truth;       // the truth table, or null
  int epochs = default_perturbation_epochs(); // perturbation model training epochs
  std::uint64_t seed = 1;
  // Train the perturbation model even when a cached one fits. Not part of key().
  bool retrain = false;

  // Identifies the inputs: equal keys give equal models.
  [[nodiscard]] QString key() const;
  [[nodiscard]] bool ready() const noexcept;
  // What is missing, for the view's message ("" when ready).
  [[nodiscard]] QString missing() const;
};

// The GRN: the first expression dataset that is not a screen (the screen itself when there is
// no other), by the graph view's GenoCircuit with its default epochs; the first screen; the
// first truth table.
[[nodiscard]] ModelSources choose_model_sources(const std::vector<std::shared_ptr<const Dataset>>& datasets);

// The trained models, read-only once the model job made them, shared by the view's workers (model
// calls are serialised: predictions reseed LibTorch's generator).
class WhatifModel {
public:
  struct Impl;
  explicit WhatifModel(std::shared_ptr<Impl> impl);

  [[nodiscard]] const std::vector<std::string>& genes() const noexcept;
  [[nodiscard]] const std::vector<std::string>& groups() const noexcept;
  // The model's expression scale for axis titles: "log1p", "log2(1+x)" or "log2 ratio".
  [[nodiscard]] const std::string& scale() const noexcept;
  [[nodiscard]] bool has_gene(const std::string& gene) const;
  // Genes with edges out of them in the model's graph (the regulators).
  [[nodiscard]] const std::vector<std::string>& regulators() const noexcept;
  // The proposed scenario (see the file comment); empty when the screen has no single knockout.
  [[nodiscard]] const QStringList& default_genes() const noexcept;
  // Labels of the interventions the screen observed.
  [[nodiscard]] const std::vector<std::string>& screened() const noexcept;
  [[nodiscard]] const TruthTable* truth() const noexcept;
  // Where the models are cached and whether they were loaded from there.
  [[nodiscard]] const QString& checkpoint() const noexcept;
  [[nodiscard]] const QString& grn_checkpoint() const noexcept;
  [[nodiscard]] bool cached() const noexcept;
  [[nodiscard]] const QString& screen_name() const noexcept;
  // What the job decided or could not do, for the log.
  [[nodiscard]] const std::vector<std::string>& notes() const noexcept;
  // Close names for an unknown gene (case-insensitive edit distance), best first.
  [[nodiscard]] QStringList suggest(const QString& name, int limit = 3) const;

  // For the job's functions (whatif_job.cpp), which know Impl.
  [[nodiscard]] const Impl& impl() const noexcept { return *m_impl; }

private:
  std::shared_ptr<Impl> m_impl;
};

// Reads or trains everything (worker thread): throws gc::Error when sources are not ready (or in
// a build without the model), gc::InputError for unusable data, gc::Cancelled when cancelled.
// Progress messages name the step ("GRN: epoch 3/40", "perturbation model: epoch 120/300").
[[nodiscard]] std::shared_ptr<const WhatifModel> run_model_job(const ModelSources& sources,
                                                               const gc::Progress& progress = {});

struct GeneRow {
  std::string gene;
  double delta = 0.0;  // predicted change, expression scale
  double sd = 0.0;     // spread over draws of the latent
  double log2fc = 0.0; // predicted vs control, log2 fold change of amounts
  double control = 0.0;
  int step = -1;   // 0 perturbed, k: first moves k edges downstream, -1 does not move
  std::string via; // the regulator it moves through at that step
  bool perturbed = false;
};

// Predicted against true log2 fold changes over the genes not perturbed.
struct TruthComparison {
  std::string label, group;
  std::vector<std::string> genes;
  std::vector<double> predicted, expected;
  std::vector<bool> top_de; // among the 20 genes with the largest |true log2fc|
  double pearson = 0.0;     // NaN when either side is constant
  int direction_agree = 0;  // of the top-20 DE genes, those with the true sign
  int direction_total = 0;  // the top-20 DE genes (fewer when fewer genes move)
};
inline constexpr std::size_t truth_top_de = 20;

struct Response {
  std::string label;       // the intervention's canonical label
  std::string description; // "TF03 knockout", "TF03 + TF07 knockdown by 50 %", "TF05 3× overexpression"
  std::string group;
  std::string scale; // WhatifModel::scale()
  // Every gene, ranked: perturbed genes first, then by |Δ| (gc::perturb::KnockoutResult::ranked).
  std::vector<GeneRow> rows;
  double impact = 0.0; // Σ|Δ| over the genes not perturbed
  int changed = 0;     // genes not perturbed that move
  // The most changed gene that is not perturbed (the default explanation target).
  std::string most_changed;
  std::optional<TruthComparison> truth;

  // The first `n` rows (the bars).
  [[nodiscard]] std::vector<GeneRow> top(std::size_t n) const;
  [[nodiscard]] const GeneRow* row(const std::string& gene) const;
};

// The state's intervention in its group. Throws gc::InputError for no genes, genes the model
// lacks (with close names), an unknown group or a factor its mode does not accept.
[[nodiscard]] Response predict_response(const WhatifModel& model, const WhatifState& state,
                                        const gc::Progress& progress = {});

// What the graph view draws of a response: every gene's Δ, the perturbed genes and the cascade
// (via → gene for each gene that moves through a regulator).
[[nodiscard]] graph::ResponseOverlay response_overlay(const Response& response);

struct Explanation {
  std::string target;
  std::string label; // the intervention's
  std::string group;
  Players players = Players::regulators;
  bool automatic = false; // the method was chosen by Method::automatic
  gc::perturb::ShapleyResult shapley;
};

// The explanation target of `state` for `response`: state.target, else the most changed gene.
[[nodiscard]] std::string explanation_target(const WhatifState& state, const Response& response);
// Shapley values of the target's Δ under the state's intervention. Throws gc::InputError for a
// target the model lacks or without regulators, and for exact enumeration of more than
// gc::perturb::max_exact_players players (naming the count and the methods that sample);
// gc::Cancelled when cancelled.
[[nodiscard]] Explanation explain_response(const WhatifModel& model, const WhatifState& state,
                                           const std::string& target, const gc::Progress& progress = {});

// Predicted vs control as a log2 fold change of amounts on the model's scale, with the truth
// tables' pseudocount (0.01): log1p amounts are expm1(x), log2(1+x) amounts 2^x − 1; log2 ratios
// are the difference.
[[nodiscard]] double log2_fold_change(const std::string& scale, double control, double predicted);

} // namespace gc::ui::whatif
