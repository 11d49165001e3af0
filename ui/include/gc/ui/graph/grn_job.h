#pragma once
// Where the graph view's network comes from — the one place that turns the workspace's datasets
// into GraphData, for the GUI (in a TaskRunner worker) and the headless figure alike:
//
// - an expression dataset: the network inferred by gc::grn::infer (GENIE3 by default, as
//   `genocircuit-cli grn` runs it: the matrix as stored, regulators restricted to the genes its
//   var column `is_tf` marks, when it has one), every edge of provenance "expression", signed by
//   the Pearson correlation of regulator and target (the method itself gives none);
// - or an edge-list dataset (gc::data's edge_list: refNetwork.csv, ranked edges) shown as the
//   network itself, with the file's weights and signs;
// - and, when chosen, an edge list as the reference (read as `--truth` is read), against which
//   edges are marked and the whole ranking gets BEELINE's PR and ROC curves.
// - or, with the method "genocircuit" (the default when the model is built), the GenoCircuit
//   model trained on the expression dataset with whatever the workspace also holds — genome,
//   annotation, BED/narrowPeak elements, Hi-C, motifs — as `genocircuit-cli grn` trains it; the
//   trained checkpoint is cached (keyed by the input files, their sizes and times, and the
//   configuration), so a second start only scores it; GraphData::training says which happened,
//   with the loss per epoch (the cached checkpoint's own log when it was scored).
#include "gc/grn/eval.h"
#include "gc/grn/infer.h"
#include "gc/ui/graph/graph_data.h"
#include "gc/ui/graph/graph_state.h"
#include "gc/util/progress.h"

#ifdef GC_GRN_HAVE_GENOCIRCUIT
#include "gc/model/genocircuit.h"
#endif

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::ui {
struct Dataset;
}

namespace gc::ui::graph {

// The learned model's method name (in the method box and in sessions).
inline constexpr const char* genocircuit_method = "genocircuit";
// Whether this build has the model (LibTorch).
[[nodiscard]] bool have_genocircuit() noexcept;
// Baseline names of gc::grn plus genocircuit when built; throws gc::InputError otherwise.
void check_method(const QString& method);
[[nodiscard]] QStringList method_names();
// GenoCircuit's training epochs by default (the model configuration's); 0 without the model.
[[nodiscard]] int default_epochs();

// Receives each GenoCircuit epoch as it ends, on the worker thread that trains (marshal to the
// GUI thread before touching widgets); never called when a cached model is scored.
using TrainSink = std::function<void(const TrainEpoch&)>;

struct GrnSources {
  std::shared_ptr<const Dataset> network;   // an expression dataset or an edge list
  std::shared_ptr<const Dataset> reference; // an edge list, or null
  gc::grn::Method method = gc::grn::Method::genie3;
  bool genocircuit = false; // the learned model instead of `method`
  // For genocircuit: the workspace's other inputs (absolute paths, empty when not loaded).
  QString genome, annotation, elements, hic, motifs;
  int epochs = default_epochs(); // GenoCircuit training epochs (another count, another model)
  // GenoCircuit: train even when a cached model fits (and replace it). Not part of key(): the
  // network is that of the same inputs, only made again.
  bool retrain = false;
  // Which choices of the state could not be honoured ("grn.csv is not loaded").
  QStringList notes;

  // Identifies the inputs: equal keys give equal GraphData.
  [[nodiscard]] QString key() const;
  [[nodiscard]] bool inferred() const; // the network comes from an expression dataset
};

// Datasets that can be the network (expression datasets, then edge lists, in workspace order)
// and those that can be the reference (edge lists).
[[nodiscard]] std::vector<std::shared_ptr<const Dataset>>
network_candidates(const std::vector<std::shared_ptr<const Dataset>>& datasets);
[[nodiscard]] std::vector<std::shared_ptr<const Dataset>>
reference_candidates(const std::vector<std::shared_ptr<const Dataset>>& datasets);

// The state's choices (by file name) among `datasets`, automatic choices where it makes none
// (see GraphState). Throws gc::InputError for a method name infer does not know.
[[nodiscard]] GrnSources choose_sources(const std::vector<std::shared_ptr<const Dataset>>& datasets,
                                        const GraphState& state);

// Genes marked in an expression dataset's var column `is_tf` (True, 1, yes, t), or nullopt
// when it has no such column or marks none.
[[nodiscard]] std::optional<std::vector<std::string>> marked_tfs(const gc::expr::ExpressionMatrix& matrix);

// The ranked edges of an expression matrix (the step a trained model replaces): infer with the
// TFs as regulators, fixed seed 1 so a session always re-makes the same network.
[[nodiscard]] std::vector<gc::grn::ScoredEdge>
infer_network(const gc::expr::ExpressionMatrix& matrix, gc::grn::Method method,
              const std::optional<std::vector<std::string>>& tfs, const gc::Progress& progress);

// Reads and computes everything (worker thread): throws gc::InputError for unreadable data,
// gc::Error when there is no network source (or GenoCircuit is asked of a build without it),
// gc::Cancelled when cancelled (also between training epochs). `on_epoch` gets GenoCircuit's
// epochs while it trains.
[[nodiscard]] GraphData run_grn_job(const GrnSources& sources, const gc::Progress& progress = {},
                                    const TrainSink& on_epoch = {});

#ifdef GC_GRN_HAVE_GENOCIRCUIT
// The GenoCircuit model of `sources` (its network dataset's expression, with the genome,
// annotation, elements, Hi-C and motifs it names) as the graph view makes it: seed 1, its epochs,
// the TFs of the var column is_tf as regulators. Cached in $XDG_CACHE_HOME/genocircuit/models,
// keyed by every input file (path, size, time), the configuration and the TFs: the cached
// checkpoint is loaded unless `sources.retrain`, else the model is trained (epochs to `on_epoch`)
// and cached. Other views that need the network's model (the what-if view) get the same one.
struct GenoCircuitModel {
  gc::model::GenoCircuit model;
  QString checkpoint;                // the cache file
  bool cached = false;               // loaded, not trained
  QString trained_at;                // the checkpoint's time ("yyyy-MM-dd HH:mm")
  std::vector<std::string> warnings; // of the input preparation, when trained
};
// Throws gc::Error when `sources` has no expression dataset, gc::Cancelled when cancelled.
[[nodiscard]] GenoCircuitModel genocircuit_model(const GrnSources& sources, const gc::Progress& progress = {},
                                                 const TrainSink& on_epoch = {});
// The cache file genocircuit_model reads and writes for `sources`, without reading it.
[[nodiscard]] QString genocircuit_checkpoint(const GrnSources& sources);
#endif

// The reference's candidates are listed for PR/ROC curves up to this many (BEELINE lists every
// ordered pair of genes); beyond, only the metrics are computed.
inline constexpr std::int64_t max_curve_candidates = 4'000'000;

// BEELINE-style evaluation of `data`'s ranking against its reference over `universe` (network
// genes that the reference names), restricted to `tfs` as regulators when given.
[[nodiscard]] Evaluation evaluate_network(const GraphData& data, const std::vector<std::string>& universe,
                                          const std::optional<std::vector<std::string>>& tfs);

// The pretty name of a method: "GENIE3", "Pearson", ...
[[nodiscard]] QString method_label(const QString& method);

} // namespace gc::ui::graph
