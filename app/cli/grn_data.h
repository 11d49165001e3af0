#pragma once
// What `grn` and `train` share: the expression input with its checks, the ground truth and the
// TF list reconciled with the expression's gene names, and the GenoCircuit options.
#include "cli.h"

#include "gc/expr/grn_input.h"
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

struct GrnData {
  expr::GrnExpression data;
  grn::ExpressionCheck check;
  std::optional<grn::TruthNetwork> truth;
  std::optional<std::vector<std::string>> tfs; // as listed (before reconciliation)
  grn::Reconciled names;
  std::vector<std::string> warnings; // also logged
  bool counts_normalised = false;    // integer counts were library-size normalised + log1p
};

// `tfs_arg` is a file of names or `var:COLUMN` (genes whose var column is true, e.g. is_tf).
[[nodiscard]] GrnData load_grn_data(const std::string& expr_path,
                                    const std::optional<std::string>& truth_path,
                                    const std::optional<std::string>& tfs_arg, const Progress& progress);

[[nodiscard]] Json metrics_json(const grn::Metrics& m);

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
