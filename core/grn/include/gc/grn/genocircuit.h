#pragma once
// The GenoCircuit front-end: from an expression matrix and, when present, a genome, its
// annotation, regulatory elements (BED/narrowPeak), a Hi-C map and TF motifs to the model's
// inputs (gc::model::GrnInputs), trained, scored as ranked edges.
//
// Candidate graph: every regulator -> target pair (regulators = the TF list, else every gene),
// self edges excluded. Prior features per candidate (each present only when its sources are):
//   motif_promoter     best PWM hit (both strands, scaled to [0, 1] of the motif's score range)
//                      of the regulator's motif in the target's promoter
//   motif_element      best hit of the regulator's motif in an element in contact with the
//                      target's promoter, times log(1 + O/E) of that contact (Hi-C contact graph:
//                      top percent of pixels by O/E plus a local window); without Hi-C, the
//                      elements within the local window, unweighted
//   motif_known        1 when the regulator has a motif at all
//   perturbation_response  when the data perturbs regulators (obs `perturbation` naming one
//                      gene: DREAM4 knockouts/knockdowns, screens): the target's mean robust
//                      |z| (median, 1.4826 MAD over all samples) in the regulator's samples
// Motifs are matched to genes by motif name or id against the gene's name or id in the
// annotation (or the expression name), case-insensitively.
#include "gc/expr/matrix.h"
#include "gc/grn/eval.h"
#include "gc/model/genocircuit.h"
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gc::grn {

struct GenoCircuitSources {
  std::filesystem::path genome;     // FASTA
  std::filesystem::path annotation; // GTF/GFF3
  std::filesystem::path elements;   // BED/narrowPeak: promoters, enhancers, accessible regions
  std::filesystem::path hic;        // .cool/.mcool/.hic (finest resolution used)
  std::filesystem::path motifs;     // JASPAR/TRANSFAC/MEME
};

struct GenoCircuitOptions {
  model::GenoCircuitConfig config;
  std::int64_t promoter_upstream = 1000; // bp before the TSS
  std::int64_t promoter_downstream = 100;
  double hic_top_percent = 5.0;
  std::int64_t local_window = 20'000; // bp around the TSS for elements (and the Hi-C graph)
  std::int64_t max_candidate_edges = 3'000'000;
  // Candidate regulators (TF names); unset = every gene.
  std::optional<std::vector<std::string>> regulators;
  // Reference edges for supervised fine-tuning (names; pairs outside the candidates ignored).
  std::vector<std::pair<std::string, std::string>> reference;
};

struct PreparedInputs {
  model::GrnInputs inputs;
  Json report = Json::object(); // what was used, what fell back and why
  std::vector<std::string> warnings;
};

// Throws gc::InputError for unusable input (naming the file), gc::Cancelled when cancelled.
[[nodiscard]] PreparedInputs prepare_genocircuit_inputs(const expr::ExpressionMatrix& matrix,
                                                        const GenoCircuitSources& sources,
                                                        const GenoCircuitOptions& options,
                                                        const Progress& progress = {});

// The model's candidate edges with score and sign, sorted by decreasing score (ties by names).
[[nodiscard]] std::vector<ScoredEdge> genocircuit_edges(const model::GenoCircuit& model);

struct GenoCircuitRun {
  model::GenoCircuit model;
  std::vector<ScoredEdge> edges;
  Json report;
  std::vector<std::string> warnings;
};

// prepare + train + score. Progress: 15 % preparing, the rest training.
[[nodiscard]] GenoCircuitRun train_genocircuit(const expr::ExpressionMatrix& matrix,
                                               const GenoCircuitSources& sources,
                                               const GenoCircuitOptions& options,
                                               const Progress& progress = {},
                                               const model::EpochCallback& on_epoch = {});

// Dense cells x genes values as the model takes them: counts (every value a non-negative
// integer) are library-size normalised and log1p-transformed, anything else is used as given.
[[nodiscard]] std::vector<float> model_expression(const expr::ExpressionMatrix& matrix,
                                                  bool* was_counts = nullptr);
// Pseudotime from obs as GrnInputs::pseudotime holds it, one lineage per column: the columns
// listed in uns[expr::pseudotime_columns_key] (what a BEELINE PseudoTime.csv held, one column
// per branch), else the numeric columns named pseudotime*; empty when there is none.
[[nodiscard]] std::vector<float> model_pseudotime(const expr::ExpressionMatrix& matrix);

} // namespace gc::grn
