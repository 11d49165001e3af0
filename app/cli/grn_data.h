#pragma once
// What `grn` and `train` share: the expression input with its checks, the ground truth and the
// TF list reconciled with the expression's gene names, and the GenoCircuit options.
#include "cli.h"

#include "gc/expr/grn_input.h"
#include "gc/grn/dream.h"
#include "gc/grn/eval.h"
#include "gc/grn/names.h"
#include "gc/grn/network_io.h"
#include "gc/util/progress.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#ifdef GC_GRN_HAVE_GENOCIRCUIT
#include "gc/grn/genocircuit.h"
#endif

namespace gc::cli {

// The candidates DREAM scoring (gc/grn/dream.h) ranks against, where the input defines them as the
// DREAM challenges did:
// - "gold-standard": the truth is a DREAM gold standard (`regulator target 1|0` with listed
//   non-edges): every listed pair is a candidate, as in the organisers' script, names in the
//   expression's spelling. Pairs naming genes the expression lacks stay candidates: no method can
//   rank them, so they fall in the random tail, as an unranked candidate does in DREAM.
// - "all-pairs": DREAM4 expression (a DREAM4 folder) with a truth of edges only: every ordered
//   pair of distinct genes of the expression, which is what DREAM4 gold standards list.
// Anything else (BEELINE folders, h5ad, ...) has no DREAM candidate set; BEELINE's metrics are the
// ones defined there. A TF list does not restrict the candidates: a TF-only ranking is a partial
// list, scored as the organisers scored one.
struct DreamCandidates {
  grn::DreamGoldStandard gold;
  std::string kind;               // "gold-standard" or "all-pairs"
  std::int64_t repeated = 0;      // pairs listed again in the gold standard (first listing kept)
  std::int64_t self_pairs = 0;    // `g g` lines of the gold standard, dropped (self edges never count)
  std::int64_t genes_outside = 0; // distinct genes of the candidates missing from the expression
};

struct GrnData {
  expr::GrnExpression data;
  grn::ExpressionCheck check;
  std::optional<grn::TruthNetwork> truth;
  std::optional<std::vector<std::string>> tfs; // as listed (before reconciliation)
  grn::Reconciled names;
  std::optional<DreamCandidates> dream; // with a truth, when the input defines DREAM candidates
  std::vector<std::string> warnings;    // also logged
  bool counts_normalised = false;       // integer counts were library-size normalised + log1p
};

// `tfs_arg` is a file of names or `var:COLUMN` (genes whose var column is true, e.g. is_tf).
[[nodiscard]] GrnData load_grn_data(const std::string& expr_path,
                                    const std::optional<std::string>& truth_path,
                                    const std::optional<std::string>& tfs_arg, const Progress& progress);

[[nodiscard]] Json metrics_json(const grn::Metrics& m);

// `ranked` (in rank order) scored by dream_score(): {"aupr", "auroc", "candidates", "positives",
// "predictions", "true_positives", "candidate_set", "ranked_outside", "genes_outside",
// "repeated_pairs", "self_pairs"}. Ranked edges that are not candidates (genes outside a gold
// standard) are left out of the list and counted in "ranked_outside".
[[nodiscard]] Json dream_json(const std::vector<grn::ScoredEdge>& ranked, const DreamCandidates& candidates);

// Progress of long steps on stderr, one line per tenth.
class LogProgress : public ProgressListener {
public:
  explicit LogProgress(std::string command) : m_command(std::move(command)) {}
  void on_progress(double fraction, const std::string& message) override;

private:
  std::string m_command;
  std::mutex m_mutex;
  std::string m_message;
  int m_tenth = -1;
};

#ifdef GC_GRN_HAVE_GENOCIRCUIT
// --genome --gtf --peaks --hic --motifs, --epochs --device --config JSON (the seed is the
// command's --seed).
struct GenoCircuitArgs {
  grn::GenoCircuitSources sources;
  grn::GenoCircuitOptions options;
};
[[nodiscard]] GenoCircuitArgs read_genocircuit_args(Args& args);
[[nodiscard]] Json genocircuit_sources_json(const grn::GenoCircuitSources& sources);
#endif

} // namespace gc::cli
