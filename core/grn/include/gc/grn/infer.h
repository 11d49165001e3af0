#pragma once
// GRN inference front-end for the statistical baselines (DESIGN §4.2, §12): one call from an
// expression matrix (cells or samples × genes) to ranked regulator -> target edges. The
// GenoCircuit model has its own front-end (gc/grn/genocircuit.h) because it also takes the
// genome, peaks, Hi-C and motifs.
#include "gc/expr/matrix.h"
#include "gc/grn/eval.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::grn {

enum class Method { pearson, spearman, genie3, grnboost2, pidc };

[[nodiscard]] std::string method_name(Method method); // "pearson", "spearman", "genie3", ...
// Throws gc::InputError naming the valid methods for anything else.
[[nodiscard]] Method parse_method(std::string_view name);
[[nodiscard]] const std::vector<Method>& all_methods();

struct InferOptions {
  Method method = Method::genie3;
  // Candidate regulators (a TF list), as gene names of the matrix; unset = every gene.
  // Names not in the matrix are ignored (the caller reports them, see gc/grn/names.h).
  std::optional<std::vector<std::string>> regulators;
  std::uint64_t seed = 1;
  int threads = 0; // 0 = all hardware threads
  int trees = 200; // GENIE3 forest size
};

// The matrix as the methods read it: one contiguous column of values per gene, checked finite.
struct GeneColumns {
  std::vector<std::string> genes;
  std::int64_t samples = 0;
  std::vector<float> values;            // gene-major: values[g * samples + s]
  std::vector<std::int32_t> regulators; // candidate regulator genes, ascending indices

  [[nodiscard]] std::int64_t n_genes() const noexcept { return static_cast<std::int64_t>(genes.size()); }
  [[nodiscard]] const float* column(std::int64_t g) const noexcept { return values.data() + g * samples; }
};

// Throws gc::InputError for fewer than 2 samples or genes, names that disagree with the matrix,
// a NaN/Inf value (naming the gene and the sample), or a regulator list none of whose names is a
// gene of the matrix.
[[nodiscard]] GeneColumns gene_columns(const expr::ExpressionMatrix& matrix,
                                       const std::optional<std::vector<std::string>>& regulators);

// Decreasing weight, ties by regulator, then target name: the order infer() returns.
void sort_edges(std::vector<ScoredEdge>& edges);

// Edges sorted by decreasing weight (ties by regulator, then target). Self edges are never
// emitted. Reports to `progress`, throws gc::Cancelled when cancelled and gc::InputError for
// matrices that cannot be scored (fewer than 2 samples or 2 genes, NaN/Inf values).
[[nodiscard]] std::vector<ScoredEdge> infer(const expr::ExpressionMatrix& matrix, const InferOptions& options,
                                            const Progress& progress = {});

} // namespace gc::grn
