#pragma once
// Observed perturbation responses, the data that predicted responses are judged against: per
// intervention (and per cell group when the data has them) the mean expression and its change
// Δ = mean − control mean on the dataset's log scale, with the controls they are measured from.
//
// Readers: DREAM4 folders and bulk profile tables in gc/perturb/tables.h, screens (.h5ad, 10x)
// in gc/perturb/screen.h.
#include "gc/perturb/intervention.h"
#include "gc/util/json.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gc::perturb {

// The scale of every expression value of a dataset. It decides what "expression 0" means for
// methods that set a gene's level (the propagation baseline).
enum class Scale {
  log1p_normalised, // counts scaled to 10^4 per cell, then natural log(1 + x): 0 = not expressed
  log2_pseudocount, // log2(x + 1) of non-negative values (DREAM4): 0 = not expressed
  log2_ratio,       // log2 ratio against the wild type (deletion profiles): control = 0, no absolute zero
};
[[nodiscard]] std::string scale_name(Scale s);

// The log2 fold change of amounts between a value and its control on `scale`, amounts taken back
// from the log (expm1, 2^x − 1; negative values as 0) with a pseudo-amount of 0.01 on both sides,
// as the demo world's truth is written; log-ratio data is already one (value − control).
inline constexpr double fold_change_pseudo = 0.01;
[[nodiscard]] double log2_fold_change(Scale scale, double control, double value);

struct Observation {
  Intervention intervention;
  std::size_t group = 0;     // index into PerturbationDataset::groups
  std::vector<double> mean;  // per gene: observed mean expression
  std::vector<double> delta; // per gene: mean − the group's control mean
  std::int64_t samples = 0;  // cells, or profiles averaged
};

struct PerturbationDataset {
  std::string source; // the file or folder read
  std::string layout; // "screen", "dream4", "profiles"
  Scale scale = Scale::log1p_normalised;
  std::vector<std::string> genes;
  // Cell groups (cell types); one group named "all" when the data has none.
  std::vector<std::string> groups{"all"};
  std::vector<std::vector<double>> control;  // [group][gene]: control mean
  std::vector<std::int64_t> control_samples; // [group]
  // Per gene, for "the most expressed genes": the mean control expression over all control
  // samples. Empty when the data has no absolute level (log ratios).
  std::vector<double> expression_level;
  // Unperturbed cells of each group, cells × genes row-major on `scale`, for methods that fit
  // on baseline variation; empty for bulk data.
  std::vector<std::vector<float>> control_cells;
  std::vector<Observation> observations;
  // What the reader decided or dropped (names not matched, columns skipped), for reports.
  Json notes = Json::object();

  [[nodiscard]] std::size_t n_genes() const noexcept { return genes.size(); }
  [[nodiscard]] std::optional<std::size_t> gene_index(const std::string& name) const;
  // Indices of the intervention's genes that are genes of the dataset (sorted).
  [[nodiscard]] std::vector<std::size_t> measured_genes(const Intervention& intervention) const;
  // Whether every gene of the intervention is a gene of the dataset.
  [[nodiscard]] bool all_measured(const Intervention& intervention) const;
  // Rebuilds the name index; call after changing `genes`.
  void index_genes();
  // Throws gc::Error when sizes disagree (every reader ends with it).
  void check() const;
  // {"source", "layout", "scale", "genes", "groups", "observations", "singles", "doubles", ...}.
  [[nodiscard]] Json summary() const;

private:
  std::unordered_map<std::string, std::size_t> m_index;
};

// Known true responses, the answers a simulation carries (the demo world's
// perturbation_truth.tsv): per intervention and cell group, each gene's expected log2 fold change
// against the control, for interventions a screen observed and for those it did not.
struct TruthTable {
  std::string source;
  // (canonical intervention label, cell group) -> gene -> expected log2 fold change
  std::map<std::pair<std::string, std::string>, std::unordered_map<std::string, double>> responses;
  [[nodiscard]] const std::unordered_map<std::string, double>* find(const std::string& label,
                                                                    const std::string& group) const;
};

} // namespace gc::perturb
