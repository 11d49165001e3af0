#pragma once
// Matrix balancing. Every method returns multiplicative weights (balanced = count * w_i * w_j,
// NaN = masked bin), the cooler convention; Juicer's divisive vectors are converted by
// Weights::factor(). ICE follows cooler's balance_cooler exactly (filters, convergence on the
// variance of the marginals, final division by sqrt(mean marginal) so balanced rows sum to ~1),
// except that the main diagonal enters a marginal once where cooler adds it twice: the two only
// differ with ignore_diags = 0.
#include "gc/hic/contact_map.h"
#include "gc/util/progress.h"

#include <map>
#include <string>
#include <vector>

namespace gc::hic {

struct IceOptions {
  int ignore_diags = 2; // drop pixels with |bin1 - bin2| < ignore_diags
  double mad_max = 5;   // drop bins whose log marginal is > mad_max MADs below the median (0 = off)
  // Which deviation mad_max counts. false: the raw median absolute deviation, as cooler >= 0.8
  // (cooler/balance.py, later _balance.py). true: MAD / 0.6745, the normal-consistent sigma
  // estimate that cooler <= 0.7 used (cooler/ice.py); it reproduces the weights stored in older
  // coolers such as cooler's own test file yeast.10kb.cool (see cooler_ice_py_options()).
  bool mad_as_sigma = false;
  int min_nnz = 10;     // drop bins with fewer nonzero pixels
  double min_count = 0; // drop bins with a smaller marginal sum (0 = off)
  double tol = 1e-5;    // convergence: variance of the nonzero marginals
  int max_iters = 200;
  bool cis_only = false; // balance each chromosome on its intra-chromosomal pixels only
  bool rescale_marginals = true;
  std::vector<std::int64_t> blacklist; // bins to drop
};

// The filters of cooler <= 0.7's `cooler balance` defaults (cooler/ice.py: ignore_diags 2,
// min_nnz 10, mad_max 5 in sigma units, genome-wide). Weight columns written by those versions
// carry no attributes, so this is what to use to recompute or verify them.
[[nodiscard]] IceOptions cooler_ice_py_options();

struct IceResult {
  std::vector<double> weights;
  bool converged = false;
  int iterations = 0;           // largest number of iterations (over chromosomes when cis-only)
  std::vector<double> scale;    // mean marginal at the end: one value, or one per chromosome (cis-only)
  std::vector<double> variance; // final variance, same shape as scale
  IceOptions options;
  // What cooler stores on bins/weight: tol, min_nnz, min_count, mad_max, cis_only, ignore_diags,
  // scale (genome-wide only), converged, var, divisive_weights.
  [[nodiscard]] std::map<std::string, double> attributes() const;
};

// `pixels` are upper-triangle pixels (bin1 <= bin2); with `symmetric` false (square storage)
// only the upper triangle is used. Reports every iteration to `progress` (the fraction estimated
// from how far the variance has fallen towards tol, never less than iterations / max_iters) and
// throws gc::Cancelled at the next iteration after a cancel.
[[nodiscard]] IceResult ice(const BinTable& bins, const std::vector<Pixel>& pixels,
                            const IceOptions& options = {}, bool symmetric = true,
                            const Progress& progress = {});
// Reading the map's pixels (all_pixels) is one call, with cancellation checked after it.
[[nodiscard]] IceResult ice(const ContactMap& map, const IceOptions& options = {},
                            const Progress& progress = {});

struct KrOptions {
  double tol = 1e-6;
  int max_iters = 200; // outer Newton steps
  int ignore_diags = 0;
  int min_nnz = 1; // bins with fewer nonzeros are masked before balancing
};
// Knight–Ruiz (2013) Newton / conjugate-gradient balancing of the symmetric matrix: on success
// count * w_i * w_j has every unmasked row summing to 1. InputError when it does not converge.
// Reports every Newton step (fraction from how far the residual has fallen towards tol) and
// checks cancellation at every conjugate-gradient step.
[[nodiscard]] std::vector<double> kr(const BinTable& bins, const std::vector<Pixel>& pixels,
                                     const KrOptions& options = {}, const Progress& progress = {});
// Coverage: w_i = s / rowsum_i; VC_SQRT: w_i = s / sqrt(rowsum_i). s makes the balanced total
// equal the raw total (Juicer's scaling). Zero-coverage bins are NaN. Two passes over the pixels,
// with progress and cancellation between them.
[[nodiscard]] std::vector<double> vc(const BinTable& bins, const std::vector<Pixel>& pixels, bool square_root,
                                     const Progress& progress = {});

enum class BalanceMethod { none, file, ice, kr, vc, vc_sqrt };
[[nodiscard]] BalanceMethod parse_balance_method(const std::string& name);
[[nodiscard]] std::string to_string(BalanceMethod method);
// Weights for a method: `file` reads the stored default normalisation; none -> empty weights.
[[nodiscard]] Weights compute_weights(const ContactMap& map, BalanceMethod method,
                                      const Progress& progress = {});

} // namespace gc::hic
