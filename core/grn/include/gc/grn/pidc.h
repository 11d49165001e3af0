#pragma once
// PIDC (Chan, Stumpf & Babtie 2017, Cell Systems), as NetworkInference.jl computes it:
//
// 1. Each gene is discretised by Bayesian blocks (Scargle et al. 2013) over its sorted distinct
//    values treated as events weighted by their counts: block fitness N·ln(N / width), edges
//    halfway between distinct values, and the prior 4 - ln(73.53·0.05·K^-0.478) with K the
//    number of distinct values seen so far (Discretizers.jl's variant, which NetworkInference.jl
//    uses). A constant gene is one bin.
// 2. Plug-in (maximum-likelihood) probabilities, information in bits. For a target Z and a
//    source X: I(X;Z) and the specific information I(Z=z; X) = Σ_x p(x|z) log2(p(z|x) / p(z)).
//    For every third gene Y, the redundancy of X and Y about Z is Williams & Beer's
//    I_min = Σ_z p(z) min(I(Z=z; X), I(Z=z; Y)), and the unique information of X is
//    U = I(X;Z) - I_min.
// 3. PUC(X, Z) = Σ_{Y ≠ X, Z} [U_X(Z | Y) / I(X;Z) + U_Z(X | Y) / I(X;Z)] (0 where I is 0).
// 4. Context: weight(X, Z) = F_X(PUC(X,Z)) + F_Z(PUC(X,Z)), where F_G is the CDF of the Gamma
//    distribution fitted by maximum likelihood to the PUC scores of gene G with the other genes.
//    When a fit is impossible (a score of 0, or all equal) the pair falls back, as the package
//    does, to the CLR z-score form sqrt(Σ_G max(0, PUC - mean_G)² / var_G).
//
// The network is undirected: both directions carry the same weight. Cost: O(cells) to O(distinct
// values²) per gene for the blocks, O(genes² · cells) for the pairs and O(genes³ · bins) for the
// triplets, so it is refused beyond max_pidc_genes genes.
#include "gc/grn/eval.h"
#include "gc/grn/infer.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <vector>

namespace gc::grn {

inline constexpr std::int64_t max_pidc_genes = 2000;

// Bin index (0-based) of every value and the number of bins, by the Bayesian blocks above.
struct Discretised {
  std::vector<std::int32_t> bins;
  std::int32_t count = 1;
};
[[nodiscard]] Discretised bayesian_blocks(const float* values, std::int64_t n);

// PUC scores, genes × genes row-major, symmetric, zero diagonal (step 3 above), from the
// discretised genes. `threads` as in InferOptions.
[[nodiscard]] std::vector<double> puc_scores(const std::vector<Discretised>& genes, int threads,
                                             const Progress& progress = {});

struct PidcOptions {
  int threads = 0; // 0 = all hardware threads
};

// Throws gc::InputError beyond max_pidc_genes genes. Edges from regulators only (both directions
// of every pair when both are regulators), sorted as sort_edges().
[[nodiscard]] std::vector<ScoredEdge> pidc(const GeneColumns& data, const PidcOptions& options,
                                           const Progress& progress = {});

} // namespace gc::grn
