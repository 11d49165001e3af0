#pragma once
// GenoCircuit, the regulatory side of the model core (DESIGN §4.2), on plain inputs so that it
// builds without HDF5/htslib (GENOCIRCUIT_MINIMAL); gc::grn assembles the inputs from files.
//
//   local module   one-hot promoter/enhancer sequence -> Conv1D(k = 9, stride 3) + residual
//                  dilated convolutions -> per-gene sequence embedding
//   global module  cross-attention between genes: Q from the expression embedding (principal
//                  components of each gene's profile across cells), K and V from the sequence
//                  embedding plus a genomic-coordinate positional encoding; without sequence
//                  and coordinates K and V come from the expression embedding (self-attention)
//   graph          one GATv2 layer (our kernel) over the sparse candidate graph with the prior
//                  edge features, then A_e = sigmoid(GATv2 score(h_dst, h_src, f_e) + prior
//                  term) for every candidate edge e = regulator -> target
//   decoders       masked gene imputation: x_target ~ sum_e A_e f_e(x_regulator) over the
//                  unmasked genes, f_e piecewise linear (slope w+ above the regulator's mean,
//                  w- below): a sparse additive structural-equation model gated by A; with
//                  pseudotime also the local velocity dx/dt along pseudotime ~ sum_e A_e g_e(x)
//                  minus a per-gene decay
//
// Training: (1) masked imputation (+ velocity) with a sparsity penalty on A; (2) when reference
// edges are given, supervised binary cross-entropy on A's logits over a training split of the
// candidate edges, with a held-out split kept aside for reporting. Edge score = A_e * mean
// |slope| of f_e (+ that of g_e with pseudotime), sign = sign of w+ + w-.
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gc::model {

struct GenoCircuitConfig {
  // Sizes
  std::int64_t dim = 64;                 // node embedding width
  std::int64_t heads = 4;                // cross-attention and GATv2 heads (dim % heads == 0)
  std::int64_t expr_components = 16;     // principal components of gene profiles
  std::int64_t pca_cells = 2000;         // cells sampled for the components
  std::int64_t conv_channels = 32;       // local module width
  std::int64_t conv_blocks = 3;          // dilated residual blocks (dilations 2, 4, 8, ...)
  std::int64_t velocity_neighbours = 10; // cells on each side for the pseudotime velocity
  // Training
  int epochs = 40;
  std::int64_t batch_cells = 256;
  double learning_rate = 3e-3;
  double mask_fraction = 0.25;
  double sparsity = 0.02;         // weight of sum(A) / genes (the mean in-degree)
  double weight_decay = 1e-3;     // weight of sum(w^2 + v^2) / genes
  double prior_weight = 1.0;      // pull of the gates towards the static prior (when priors exist)
  double supervised_weight = 1.0; // BCE weight when reference edges are given
  double holdout_fraction = 0.2;  // of the labelled candidate edges, kept out of the BCE
  std::uint64_t seed = 1;
  std::string device = "cpu"; // "cpu", "cuda" or "cuda:N"
  // Ablations for the model card: "none"; "no_attention" (pure GNN: no cross-attention);
  // "no_graph" (pure transformer: no GATv2 layer, no prior features in the edge score);
  // "prior_only" (no training: edges ranked by the sum of their standardised prior features).
  std::string ablation = "none";
  // Rank edges by their context (CLR) score times their strength (see EdgeScores); false ranks
  // by the raw score.
  bool context_scores = true;

  [[nodiscard]] Json to_json() const;
  // Unknown keys are an InputError (a typo must not silently keep a default).
  [[nodiscard]] static GenoCircuitConfig from_json(const Json& json);
  // Throws gc::InputError naming the first invalid field.
  void validate() const;
};

// Everything the model sees, aligned by gene index.
struct GrnInputs {
  std::vector<std::string> genes;
  std::int64_t cells = 0;
  std::vector<float> expression; // cells x genes, row-major, log-normalised (the model z-scores)
  // Empty, or one time per cell for each lineage (lineage-major: lineages x cells; NaN = the
  // cell is not on that lineage). Branching trajectories keep their lineages apart: cells of
  // two branches at the same time are not neighbours along either.
  std::vector<float> pseudotime;
  [[nodiscard]] std::int64_t lineages() const noexcept {
    return cells > 0 ? static_cast<std::int64_t>(pseudotime.size()) / cells : 0;
  }
  // Sequence codes A=0 C=1 G=2 T=3 N=4, genes x sequence_length; empty without a genome.
  std::vector<std::uint8_t> sequences;
  std::int64_t sequence_length = 0;
  // Genomic coordinates (chrom index, TSS); empty without an annotation, chrom -1 = unknown.
  std::vector<std::int32_t> chrom;
  std::vector<std::int64_t> position;
  // Candidate edges regulator -> target (no self edges), with prior features per edge.
  std::vector<std::int64_t> edge_src;
  std::vector<std::int64_t> edge_dst;
  std::vector<std::string> edge_feature_names;
  std::vector<float> edge_features; // edges x edge_feature_names.size()
  // Reference labels per candidate edge for supervised fine-tuning: empty = none; else 1 for a
  // reference edge, 0 for a candidate not in the reference.
  std::vector<std::uint8_t> edge_labels;

  [[nodiscard]] std::int64_t num_genes() const noexcept { return static_cast<std::int64_t>(genes.size()); }
  [[nodiscard]] std::int64_t num_edges() const noexcept { return static_cast<std::int64_t>(edge_src.size()); }
  [[nodiscard]] std::int64_t feature_dim() const noexcept {
    return static_cast<std::int64_t>(edge_feature_names.size());
  }
  // Throws gc::InputError when sizes disagree, indices are out of range or values are not finite.
  void validate() const;
};

struct EpochLog {
  int epoch = 0;
  double loss = 0.0;
  double imputation = 0.0;
  double velocity = 0.0;
  double supervised = 0.0;
  double prior = 0.0;    // pull of the gates towards the static prior (0 without priors)
  double penalty = 0.0;  // sparsity and weight-decay terms
  double sparsity = 0.0; // mean A
  double seconds = 0.0;
};

struct TrainLog {
  std::vector<EpochLog> epochs;
  std::string device;
  double seconds = 0.0;
  std::int64_t parameters = 0;
  std::int64_t peak_bytes = 0; // CUDA peak when on a GPU, else the largest tensor set we hold
  bool supervised = false;
  // Candidate edge indices kept out of the supervised loss (empty when not supervised).
  std::vector<std::int64_t> heldout_edges;
  [[nodiscard]] Json to_json() const;
  [[nodiscard]] static TrainLog from_json(const Json& json);
};

// raw_e = A_e * sqrt(mean |slope|). With context scores (the default),
// score_e = clr_e * sqrt(raw_e / max raw), clr_e = sqrt(max(0, z_src)^2 + max(0, z_dst)^2),
// z_src and z_dst the z-scores of raw_e among the regulator's outgoing and the target's
// incoming candidate edges (CLR, Faith et al. 2007). CLR discounts a target whose regulators
// all score high because it is well predicted; the strength factor keeps a true hub's many
// strong edges from being discounted as background. Edges at 0 keep the order of their raw
// scores through a 1e-6 tie-break.
struct EdgeScores {
  std::vector<double> score;       // per candidate edge, in GrnInputs order
  std::vector<double> raw;         // raw_e
  std::vector<double> probability; // A_e
  std::vector<int> sign;           // +1 / -1 from the imputation weight
};

// The learned structural equations, for the perturbation model: per candidate edge (GrnInputs
// order) the gate A_e and the slopes of the imputation edge function f_e (w+ above the
// regulator's mean, w- below, in z-scores of the training expression).
struct EdgeFunctions {
  std::vector<std::int64_t> src, dst;
  std::vector<float> gate, w_plus, w_minus;
};

// Called after every epoch (from the training thread) for live loss curves.
using EpochCallback = std::function<void(const EpochLog&)>;

class GenoCircuit {
public:
  GenoCircuit(GenoCircuitConfig config, GrnInputs inputs);
  ~GenoCircuit();
  GenoCircuit(GenoCircuit&&) noexcept;
  GenoCircuit& operator=(GenoCircuit&&) noexcept;

  // Trains from the current weights; throws gc::Cancelled (weights are then those of the last
  // finished step), and gc::Error naming the epoch and the loss term when a loss turns NaN/Inf.
  TrainLog train(const Progress& progress = {}, const EpochCallback& on_epoch = {});
  [[nodiscard]] EdgeScores edge_scores() const;
  [[nodiscard]] EdgeFunctions edge_functions() const;

  [[nodiscard]] const GenoCircuitConfig& config() const noexcept;
  [[nodiscard]] const GrnInputs& inputs() const noexcept;
  [[nodiscard]] const TrainLog& log() const noexcept;

  // Versioned checkpoint: config, gene names, the inputs the graph was built on, weights and
  // the training log, written atomically. load() throws gc::InputError naming the file for a
  // wrong, truncated or corrupted file or an unsupported version.
  void save(const std::string& path) const;
  [[nodiscard]] static GenoCircuit load(const std::string& path, const std::string& device = "");

  // Same graph and weights, re-scored on new expression of the same genes (cells may differ).
  void set_expression(std::vector<float> expression, std::int64_t cells, std::vector<float> pseudotime = {});

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

inline constexpr std::uint32_t checkpoint_version = 1;

} // namespace gc::model
