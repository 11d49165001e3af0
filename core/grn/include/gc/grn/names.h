#pragma once
// What GRN inference checks before it runs: that the expression matrix can be scored, and that
// the genes of a ground-truth network and of a TF list are genes of the expression data. Names
// are matched exactly first; a name found only ignoring case and surrounding whitespace
// ("gata1 " for "Gata1") is taken in the expression's spelling, with a warning. Everything
// dropped or renamed is counted, with examples, so nothing is lost silently.
#include "gc/expr/matrix.h"
#include "gc/util/json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gc::grn {

// A count with up to 5 examples.
struct NameExamples {
  std::int64_t count = 0;
  std::vector<std::string> examples;

  void add(const std::string& name);
  [[nodiscard]] Json to_json() const;
};

struct NameReport {
  std::int64_t expression_genes = 0;
  std::int64_t truth_genes = 0;  // distinct genes the ground truth names
  std::int64_t shared_genes = 0; // of those, genes of the expression (after reconciliation)
  std::int64_t tfs = 0;          // distinct names of the TF list
  std::int64_t tfs_in_expression = 0;
  NameExamples truth_not_in_expression;
  NameExamples tfs_not_in_expression;
  NameExamples
      truth_regulators_not_tfs; // regulators of truth edges (genes of the expression) not listed as TFs
  NameExamples case_mismatches; // "given -> expression spelling"
  std::vector<std::string> warnings;

  [[nodiscard]] Json to_json() const;
};

using NamePairs = std::vector<std::pair<std::string, std::string>>;

struct Reconciled {
  // Truth edges in the expression's spelling; edges naming genes outside the expression keep
  // their names (evaluation counts them as outside the candidates).
  std::optional<NamePairs> truth;
  // The TFs that are genes of the expression, in its spelling, in list order.
  std::optional<std::vector<std::string>> tfs;
  // Genes of the expression that the truth names, in expression order (the scoring universe).
  std::vector<std::string> shared_genes;
  NameReport report;
};

// File names used in messages.
struct NameSources {
  std::string expression;
  std::string truth;
  std::string tfs;
};

// Throws gc::InputError naming both files, with examples of each side's names, when the truth
// shares fewer than 2 genes with the expression or no TF is a gene of the expression.
[[nodiscard]] Reconciled reconcile_names(const std::vector<std::string>& expression_genes,
                                         const std::optional<NamePairs>& truth,
                                         const std::optional<std::vector<std::string>>& tfs,
                                         const NameSources& sources);

struct ExpressionCheck {
  NameExamples constant_genes; // same value in every sample: they correlate with nothing
  std::vector<std::string> warnings;
};

// Throws gc::InputError naming `source` for an empty matrix, names that disagree with its size,
// a gene named twice, a NaN or infinite value (naming gene and sample), or when every gene is
// constant (no method could rank anything). Constant genes are a warning: they still get edges,
// of weight 0.
[[nodiscard]] ExpressionCheck check_expression(const expr::ExpressionMatrix& matrix,
                                               const std::string& source);

} // namespace gc::grn
