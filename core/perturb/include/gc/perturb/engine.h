#pragma once
// The knockout engine (built when the model core is): in-silico interventions on a trained
// perturbation model — single and multi-gene knockouts, knockdowns and overexpressions of any
// gene, in a chosen cell group — with the downstream cascade, Shapley explanations of a
// predicted change, and the perturbation atlas (every gene, or a list, knocked out in turn and
// ranked by downstream impact).
#include "gc/model/genocircuit.h"
#include "gc/model/perturbation.h"
#include "gc/perturb/baselines.h"
#include "gc/perturb/dataset.h"
#include "gc/perturb/intervention.h"
#include "gc/perturb/shapley.h"
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <string>
#include <vector>

namespace gc::perturb {

struct GeneResponse {
  std::string gene;
  double delta = 0.0; // predicted change, expression scale
  double sd = 0.0;    // spread over draws of the latent
  // 0 for a perturbed gene; k when it first moves at propagation step k (k edges downstream);
  // -1 when it does not move.
  int step = -1;
  std::string via; // the regulator it moves through at that step ("" for steps 0 and -1)
};

struct KnockoutResult {
  std::string label; // the intervention
  std::string group;
  std::vector<GeneResponse> genes; // every gene, in the model's order
  double impact = 0.0;             // sum of |delta| over the genes not perturbed
  int changed = 0;                 // genes not perturbed that move

  // The responses sorted by |delta| (perturbed genes first), the first `top` of them.
  [[nodiscard]] std::vector<GeneResponse> ranked(std::size_t top) const;
  [[nodiscard]] Json to_json(std::size_t top) const;
};

// Who the players of an explanation are: the regulators of the target (their edges into it are
// removed when absent), or the perturbed genes themselves (left unperturbed when absent).
enum class Players { regulators, perturbed };
[[nodiscard]] Players parse_players(const std::string& text);

struct Explanation {
  std::string target;
  std::vector<std::string> players;
  ShapleyResult shapley;
};

struct AtlasEntry {
  std::string gene;
  double impact = 0.0;
  int changed = 0;
  std::string top; // the most changed genes, "G1:-0.52,G2:0.31,..."
};

// The perturbation model's inputs from observed responses and a trained GenoCircuit graph:
// the dataset's genes (a graph gene it lacks drops its edges; counts in `matched`), its groups
// and controls, and the observations listed in `training` (all when empty) as examples. The
// decoder's z-scale per gene is the spread of the control cells when the data has them, else
// of the training profiles; the floor the lowest value seen. gc::InputError when no gene of the
// graph is in the data. Each target keeps its `max_regulators` strongest incoming edges (gate x
// mean |slope|; 0 keeps all): a candidate graph holds every TF -> gene pair, and the many weak
// ones would otherwise add up to a change everywhere (CellOracle prunes its GRN the same way).
inline constexpr std::size_t default_max_regulators = 10;
[[nodiscard]] model::PerturbationInputs
perturbation_inputs(const PerturbationDataset& data, const std::vector<std::string>& graph_genes,
                    const model::EdgeFunctions& graph, const std::vector<std::size_t>& training = {},
                    std::size_t* matched = nullptr, std::size_t max_regulators = default_max_regulators);

// The GenoCircuit perturbation model as a perturb::Predictor, for `perturb eval --model`: fit()
// trains a fresh perturbation model on the training observations over a fixed graph (a GRN
// trained on unperturbed expression), predict() averages its draws of the latent.
class GenoCircuitPredictor final : public Predictor {
public:
  GenoCircuitPredictor(std::vector<std::string> graph_genes, model::EdgeFunctions graph,
                       model::PerturbationConfig config);
  void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
           const Progress& progress) override;
  [[nodiscard]] std::vector<double> predict(const Intervention& intervention,
                                            std::size_t group) const override;

private:
  std::vector<std::string> m_genes;
  model::EdgeFunctions m_graph;
  model::PerturbationConfig m_config;
  const PerturbationDataset* m_data = nullptr;
  std::unique_ptr<model::PerturbationModel> m_model;
};

// The graph of a GRN checkpoint (GenoCircuit) or of a perturbation checkpoint, by file content.
struct ModelGraph {
  std::vector<std::string> genes;
  model::EdgeFunctions graph;
};
[[nodiscard]] ModelGraph read_model_graph(const std::string& path);

class KnockoutEngine {
public:
  explicit KnockoutEngine(const model::PerturbationModel& model);

  // Gene names resolved against the model (gc::InputError listing unknown ones); the group by
  // name ("" = the first, usually "all").
  [[nodiscard]] model::PerturbationQuery query(const Intervention& intervention,
                                               const std::string& group) const;
  [[nodiscard]] std::vector<KnockoutResult> predict(const std::vector<Intervention>& interventions,
                                                    const std::string& group, std::int64_t samples = 0) const;
  // Shapley values of the predicted change of each target; exact up to 15 players.
  [[nodiscard]] std::vector<Explanation> explain(const Intervention& intervention, const std::string& group,
                                                 const std::vector<std::string>& targets, Players players,
                                                 const ShapleyOptions& options,
                                                 const Progress& progress = {}) const;
  // How many players an explanation of `target` has (regulators in the graph, or perturbed genes).
  [[nodiscard]] std::size_t player_count(const Intervention& intervention, const std::string& target,
                                         Players players) const;
  // Knockout of each gene in turn (all genes when `genes` is empty), `chunk` per model call,
  // ranked by impact. With `resume` set, finished genes are kept in that TSV (rewritten
  // atomically after every chunk) and skipped when the run starts again. On the CPU the chunks
  // run on `threads` threads (0: one per hardware thread), one LibTorch thread each; with 1,
  // and always on a GPU, one call at a time, LibTorch parallelising inside it. The results are
  // the same whatever the thread count.
  [[nodiscard]] std::vector<AtlasEntry> atlas(const std::vector<std::string>& genes, const std::string& group,
                                              std::size_t chunk = 64, const std::string& resume = "",
                                              const Progress& progress = {}, std::size_t threads = 0) const;

private:
  const model::PerturbationModel& m_model;
  std::int64_t group_index(const std::string& group) const;
  KnockoutResult summarise(const Intervention& iv, const model::PerturbationQuery& q,
                           const model::PerturbationPrediction& p) const;
};

} // namespace gc::perturb
