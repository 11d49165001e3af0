#pragma once
// The perturbation side of GenoCircuit (DESIGN §4.2, training stage 3): a variational graph
// model of the response to an intervention, on plain inputs (gc::perturb and the CLI assemble
// them from screens, DREAM4 tables or deletion profiles).
//
//   graph     the induced graph of a trained GenoCircuit model: per edge r -> t its gate A_e
//             and its edge function f_e(x) = w+ max(x, 0) + w- min(x, 0) in z-scores
//   encoder   q(z | X): two graph convolutions over |A w| (both directions) of each gene's
//             control profile in a cell group (mean, spread, degrees) -> per-gene Gaussian
//             latent z_g (mean, log-variance)
//   decoder   p(Y | z, A, Delta): the intervention Delta clamps the perturbed genes at their new
//             level (knockout 0, knockdown x (1 - F), overexpression x F, on the expression's
//             linear scale) and the structural equations of A carry the change `steps` times:
//             d_t <- gain_k * sum_e A_e (1 + r_e) [f_e(x0_r + d_r) - f_e(x0_r)], with learned
//             per-step gains, small learned per-edge corrections r_e and a per-target response
//             gain decoded from z_t, plus a response every perturbation of the group shares (started at
//             the training mean). A gene with no regulators in A moves only by that shared part.
//
// Training: weighted reconstruction of the observed mean responses (z-scores), the KL term of
// q(z | X) against N(0, I), the triplet loss max(0, a + d(Yi, Yj) - d(Yi, Yk)) with d the cosine
// distance (j: the observed response most similar to i's, k: the least similar), and an L2
// pull of the edge corrections to 0 (so an edge never seen perturbed keeps the GRN's function).
// Predictions average `samples` draws of z and report their spread as the uncertainty.
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gc::model {

struct PerturbationConfig {
  std::int64_t latent = 8;  // z per gene
  std::int64_t hidden = 32; // encoder width
  std::int64_t steps = 3;   // propagation steps through A
  int epochs = 300;         // full-batch epochs
  double learning_rate = 1e-2;
  double kl_weight = 1e-3;
  double triplet_weight = 0.1;
  double triplet_margin = 0.2;
  double correction_weight = 1e-2; // L2 on the per-edge corrections r_e
  std::int64_t samples = 32;       // draws of z per prediction
  std::uint64_t seed = 1;
  std::string device = "cpu";

  [[nodiscard]] Json to_json() const;
  [[nodiscard]] static PerturbationConfig from_json(const Json& json); // unknown keys: InputError
  void validate() const;
};

// How expression values relate to amounts, so that an intervention's level can be applied:
// log1p (normalised counts: x = ln(1 + amount)), log2p1 (x = log2(1 + amount), e.g. DREAM4
// levels), log2_ratio (x = log2(amount / wild type), e.g. deletion profiles; a knockout goes
// to the gene's floor, there being no absolute zero).
enum class ExpressionScale { log1p, log2p1, log2_ratio };
[[nodiscard]] std::string scale_name(ExpressionScale s);
[[nodiscard]] ExpressionScale parse_scale(const std::string& name);

// One observed response: the mean expression of the perturbed cells (or samples) of one cell
// group minus the group's control mean, on the expression's scale.
struct PerturbationExample {
  std::string label;               // gc::perturb::Intervention label, for reports
  std::vector<std::int64_t> genes; // perturbed gene indices
  std::vector<float> levels;       // multiplier per perturbed gene (0, 1 - F, F)
  std::int64_t group = 0;          // index into PerturbationInputs::groups
  std::vector<float> delta;        // one per gene
  double weight = 1.0;             // e.g. the number of cells
};

struct PerturbationInputs {
  std::vector<std::string> genes;
  ExpressionScale scale = ExpressionScale::log1p;
  std::vector<std::string> groups; // cell types / clusters ("all" when there are none)
  std::vector<float> control_mean; // groups x genes
  std::vector<float> control_sd;   // genes: spread of the controls (z-scale of the decoder)
  std::vector<float> floor;        // genes: lowest value observed (a knockout's level on log2 ratios)
  std::vector<float> ceiling;      // genes: highest value observed (no gene is predicted beyond its range)
  // The induced graph (GenoCircuit::edge_functions()).
  std::vector<std::int64_t> edge_src, edge_dst;
  std::vector<float> edge_gate, edge_w_plus, edge_w_minus;
  std::vector<PerturbationExample> examples; // empty for a model only used to predict

  [[nodiscard]] std::int64_t num_genes() const noexcept { return static_cast<std::int64_t>(genes.size()); }
  [[nodiscard]] std::int64_t num_edges() const noexcept { return static_cast<std::int64_t>(edge_src.size()); }
  // gc::InputError for sizes that disagree, indices out of range, non-finite values.
  void validate() const;
};

// One query: genes and their levels in one cell group; `edge_off` (empty or one per edge)
// removes edges (1 = removed), which Shapley explanations use to take regulators out.
struct PerturbationQuery {
  std::vector<std::int64_t> genes;
  std::vector<float> levels;
  std::int64_t group = 0;
  std::vector<std::uint8_t> edge_off;
};

struct PerturbationPrediction {
  std::vector<float> delta; // mean over draws of z, one per gene (expression scale)
  std::vector<float> sd;    // spread over the draws
  // The mean change after each propagation step (steps x genes), for the cascade view: a gene
  // first moving at step k is k edges downstream of the intervention.
  std::vector<std::vector<float>> by_step;
};

struct PerturbationEpoch {
  int epoch = 0;
  double loss = 0.0, reconstruction = 0.0, kl = 0.0, triplet = 0.0, correction = 0.0, seconds = 0.0;
};

class PerturbationModel {
public:
  PerturbationModel(PerturbationConfig config, PerturbationInputs inputs);
  ~PerturbationModel();
  PerturbationModel(PerturbationModel&&) noexcept;
  PerturbationModel& operator=(PerturbationModel&&) noexcept;

  // Fits the examples (gc::InputError when there are none); gc::Cancelled from progress; a
  // loss turning NaN/Inf stops with the epoch and the term named.
  std::vector<PerturbationEpoch> train(const Progress& progress = {},
                                       const std::function<void(const PerturbationEpoch&)>& on_epoch = {});
  // Batched predictions: one model call for all queries. `samples` 0 uses the config's; 1
  // gives the mean-latent prediction (deterministic, sd 0).
  [[nodiscard]] std::vector<PerturbationPrediction> predict(const std::vector<PerturbationQuery>& queries,
                                                            std::int64_t samples = 0) const;
  // Only the mean change of the listed genes, batched (the Shapley engine's value function).
  [[nodiscard]] std::vector<std::vector<float>> predict_genes(const std::vector<PerturbationQuery>& queries,
                                                              const std::vector<std::int64_t>& genes) const;

  [[nodiscard]] const PerturbationConfig& config() const noexcept;
  [[nodiscard]] const PerturbationInputs& inputs() const noexcept;
  [[nodiscard]] const std::vector<PerturbationEpoch>& log() const noexcept;
  [[nodiscard]] std::int64_t gene_index(const std::string& gene) const; // -1 when absent
  [[nodiscard]] std::int64_t group_index(const std::string& group) const;

  // Versioned checkpoint (config, genes, groups, graph, control statistics, weights, log),
  // written atomically; load() gives gc::InputError naming the file for anything else.
  void save(const std::string& path) const;
  [[nodiscard]] static PerturbationModel load(const std::string& path, const std::string& device = "");

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

inline constexpr std::uint32_t perturbation_checkpoint_version = 2; // 2: value ranges, shared response

} // namespace gc::model
