#pragma once
// Correlation baselines for GRN inference: every ordered pair of distinct genes scored by the
// correlation of their expression across cells. Correlation is symmetric, so (a, b) and (b, a)
// carry the same weight; BEELINE lists such methods in both directions too.
#include "gc/expr/matrix.h"
#include "gc/grn/eval.h"

#include <vector>

namespace gc::grn {

enum class Correlation { pearson, spearman };

// Weight = |r| (Pearson) or |rho| (Spearman: Pearson of mid-ranks, ties averaged), or the signed
// coefficient when `absolute` is false. A gene constant across cells correlates with nothing:
// its edges get weight 0. Sorted by decreasing weight, ties by regulator then target names.
// Throws gc::InputError when the matrix has fewer than 2 cells or names and sizes disagree.
[[nodiscard]] std::vector<ScoredEdge> correlation_edges(const expr::ExpressionMatrix& m, Correlation method,
                                                        bool absolute = true);

} // namespace gc::grn
