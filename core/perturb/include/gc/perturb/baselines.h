#pragma once
// Predictors of perturbation responses, and the baselines every perturbation model must beat
// (DESIGN §12; Ahlmann-Eltze, Huber & Anders, Nat. Methods 2025, "Deep-learning-based gene
// perturbation effect prediction does not yet outperform simple linear baselines"). Each is
// fitted on a split's training observations only and then asked for the Δ of any
// intervention in any cell group. The GenoCircuit perturbation model joins the evaluation as
// one more Predictor (a PredictorSpec whose fit() trains it on the same training observations).
#include "gc/perturb/dataset.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::perturb {

class Predictor {
public:
  virtual ~Predictor() = default;
  // Learns from data.observations[i] for i in `train` (and the controls), nothing else. `data`
  // outlives the predictor.
  virtual void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
                   const Progress& progress) = 0;
  // Predicted Δ (per gene of the data, on its scale) of `intervention` in cell group `group`.
  [[nodiscard]] virtual std::vector<double> predict(const Intervention& intervention,
                                                    std::size_t group) const = 0;
};

// How an evaluation makes a fresh predictor for each split and seed (the seed of the run, for
// predictors that draw random numbers; the baselines are deterministic).
struct PredictorSpec {
  std::string name;        // "no_change", "linear", ... (JSON keys, table rows)
  std::string description; // one line for reports
  bool singles = true;     // evaluated on the unseen-singles split
  bool doubles = true;     // evaluated on the doubles split
  std::function<std::unique_ptr<Predictor>(std::uint64_t seed)> make;
};

// Δ = 0: the prediction is the control mean.
class NoChange final : public Predictor {
public:
  void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
           const Progress& progress) override;
  [[nodiscard]] std::vector<double> predict(const Intervention& intervention,
                                            std::size_t group) const override;

private:
  std::size_t m_genes = 0;
};

// The mean Δ of the training interventions of the group (of all groups when it has none).
class TrainingMean final : public Predictor {
public:
  void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
           const Progress& progress) override;
  [[nodiscard]] std::vector<double> predict(const Intervention& intervention,
                                            std::size_t group) const override;

private:
  std::vector<std::vector<double>> m_mean; // [group]
};

// Σ over the intervention's genes of the observed single-gene Δ of the same gene, mode and
// factor in training (same group); a gene without one adds 0 (Ahlmann-Eltze et al.'s
// "additive" baseline for double perturbations; with no member seen it is "no change").
class Additive final : public Predictor {
public:
  void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
           const Progress& progress) override;
  [[nodiscard]] std::vector<double> predict(const Intervention& intervention,
                                            std::size_t group) const override;

private:
  const PerturbationDataset* m_data = nullptr;
  std::map<std::pair<std::string, std::size_t>, std::size_t> m_single; // (label, group) -> observation
};

struct LinearOptions {
  std::size_t components = 10; // PCA dimension K
  double ridge = 0.1;          // λ on both sides
};

// The linear model of Ahlmann-Eltze et al. 2025 (Methods, "linear model"; their
// run_linear_pretrained_model.R with gene and perturbation embeddings from the training data),
// fitted per cell group:
//   X  = genes × training conditions: the control mean and each training intervention's
//        observed mean (the control is a training condition, as in their code);
//   G  = genes × K: the PCA scores of X's rows (prcomp(X)$x: genes are the observations,
//        each condition column centred), K = 10;
//   P  = K × conditions: the rows of G of the perturbed genes (the control: 0);
//   Y  = genes × conditions: Δ, b = its row means;
//   W  = argmin ||Y − b − G W P||² + λ||W||²: W = (GᵀG + λI)⁻¹ Gᵀ (Y − b) Pᵀ (PPᵀ + λI)⁻¹, λ = 0.1;
//   Δ̂ = G W p + b.
// Beyond their single knockouts: an intervention's embedding is Σ over its genes of
// (1 − level) × the gene's row of G, i.e. their double embedding p₁ + p₂
// (run_lpm_double_prediction.R) with a knockdown by F weighted F and an overexpression by F
// weighted 1 − F. Genes that are not genes of the data have no row: they add 0, and training
// conditions whose genes are all unmeasured are left out of the fit (as in their code).
class LinearModel final : public Predictor {
public:
  explicit LinearModel(LinearOptions options = {}) : m_options(options) {}
  void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
           const Progress& progress) override;
  [[nodiscard]] std::vector<double> predict(const Intervention& intervention,
                                            std::size_t group) const override;

private:
  struct GroupFit {
    std::vector<double> g; // genes × K, row-major
    std::vector<double> w; // K × K
    std::vector<double> b; // genes
  };
  LinearOptions m_options;
  const PerturbationDataset* m_data = nullptr;
  std::size_t m_k = 0;
  std::vector<GroupFit> m_fits; // [group]
};

struct PropagationOptions {
  // Candidate regulators (the TF list); unset or none among the genes: every gene.
  std::optional<std::vector<std::string>> regulators;
  std::size_t regulators_per_target = 20; // the candidates most correlated with the target
  double ridge = 1.0;                     // CellOracle's default alpha of fit_GRN_for_simulation
  int steps = 3;                          // CellOracle's n_propagation
  // Fit on the group's control cells when it has this many, else on bulk profiles.
  std::size_t min_control_cells = 20;
};

// CellOracle-style signal propagation (Kamimoto et al., Nature 2023; celloracle's
// fit_GRN_for_simulation and simulate_shift / _do_simulation), per cell group:
// - GRN: for each target t, a ridge regression with intercept (sklearn's Ridge: sum of squares
//   + α||w||², α = 1) of x_t on its candidate regulators r ≠ t: x_t ≈ Σ_r w_rt x_r + c, fitted
//   on the group's control cells (CellOracle fits on unperturbed cells; we do not impute) or,
//   for bulk data, on the control and training profiles of the group. Only the k candidates
//   most correlated (|Pearson|) with the target are used, to keep it cheap.
// - Input: the intervention sets the level of each perturbed gene relative to the control mean
//   x̄ on the data's scale, as CellOracle sets values in its log-normalised scale: knockout
//   −x̄, knockdown by F −F·x̄, overexpression by F (F − 1)·x̄. Log-ratio data (control 0)
//   have no absolute zero: a knockdown or overexpression changes the gene by log2 of its level,
//   a knockout by the median own-gene Δ of the training knockouts (the measured floor).
// - Propagation, `steps` times: Δ ← Δ W; the perturbed genes are reset to their input; on
//   absolute scales x̄ + Δ is clipped at 0 (expression cannot be negative).
class Propagation final : public Predictor {
public:
  explicit Propagation(PropagationOptions options = {}) : m_options(std::move(options)) {}
  void fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
           const Progress& progress) override;
  [[nodiscard]] std::vector<double> predict(const Intervention& intervention,
                                            std::size_t group) const override;
  // Fitted GRN of a group: per target, its (regulator, weight) pairs.
  [[nodiscard]] const std::vector<std::vector<std::pair<std::size_t, double>>>&
  network(std::size_t group) const {
    return m_networks.at(group);
  }
  // "control cells" or "profiles": what the group's GRN was fitted on.
  [[nodiscard]] const std::string& fitted_on(std::size_t group) const { return m_fitted_on.at(group); }

private:
  PropagationOptions m_options;
  const PerturbationDataset* m_data = nullptr;
  std::vector<std::vector<std::vector<std::pair<std::size_t, double>>>> m_networks; // [group][target]
  std::vector<std::string> m_fitted_on;
  double m_knockout_floor = 0.0; // log-ratio data
  bool m_have_floor = false;
};

struct BaselineOptions {
  LinearOptions linear;
  PropagationOptions propagation;
};

// no_change, training_mean, additive (doubles only), linear, propagation.
[[nodiscard]] std::vector<PredictorSpec> baseline_predictors(const BaselineOptions& options = {});

} // namespace gc::perturb
