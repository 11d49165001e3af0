#pragma once
// GENIE3 (Huynh-Thu et al. 2010) as arboreto and BEELINE run it: for every target gene, a random
// forest regresses its expression on the candidate regulators (the target itself excluded), and
// the weight of regulator -> target is the forest's feature importance of the regulator.
//
// The forest follows scikit-learn's RandomForestRegressor with arboreto's settings: bootstrap
// samples of n draws with replacement (as sample weights, the way sklearn does), CART trees
// grown fully (min_samples_leaf 1, no depth limit) on the squared error, split thresholds halfway
// between consecutive distinct values, and at each node max_features = floor(sqrt(#candidates))
// regulators tried, drawn at random (constant ones included; more are drawn only while all drawn
// so far are constant in the node, as sklearn's BestSplitter does). Importance (sklearn
// feature_importances_): per tree, the weighted impurity decrease of the splits on each regulator, divided by
// the root weight and normalised to sum 1; then the mean over the trees that split at all, normalised to
// sum 1. So a target's incoming weights sum to 1 (or are all 0 when its expression never varies).
//
// The random numbers are ours (gc::Rng), not numpy's, so the forests equal sklearn's in law,
// not draw for draw. Results depend on the seed only, never on the thread count: every target
// and tree draws from its own stream.
#include "gc/grn/eval.h"
#include "gc/grn/infer.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <vector>

namespace gc::grn {

// How a tree node gets its samples in each feature's order (the trees are the same in law
// either way; only the cost differs):
// - presorted: every feature keeps the node's samples in its own order, and a split
//   stable-partitions all features' lists: cost ~ #features per sample and tree level;
// - per_node: a node sorts its samples for each feature it tries (big nodes filter the feature's
//   global order instead): cost ~ max_features·log2(samples) per sample and level.
// automatic takes the cheaper: presorted for the few regulators of BEELINE-sized networks,
// per_node for thousands of candidate regulators.
enum class ForestLayout { automatic, presorted, per_node };

struct ForestOptions {
  int trees = 200;
  int max_features = 0; // 0 = floor(sqrt(features)), at least 1
  ForestLayout layout = ForestLayout::automatic;
};

// Feature importances of a random forest regressing `target` on `features` (each a pointer to
// `samples` values). `seed` selects the random streams (tree t draws from Rng(seed).fork(t)).
// Throws gc::Cancelled between trees when `progress` is cancelled.
[[nodiscard]] std::vector<double> forest_importances(const std::vector<const float*>& features,
                                                     const float* target, std::int64_t samples,
                                                     const ForestOptions& options, std::uint64_t seed,
                                                     const Progress& progress = {});

struct Genie3Options {
  ForestOptions forest;
  std::uint64_t seed = 1;
  int threads = 0; // 0 = all hardware threads
};

// Edges regulator -> target weighted by importance, for every target gene and every candidate
// regulator with a positive importance (arboreto drops the zeros too), sorted as sort_edges().
// Work is spread over targets; progress counts finished targets.
[[nodiscard]] std::vector<ScoredEdge> genie3(const GeneColumns& data, const Genie3Options& options,
                                             const Progress& progress = {});

} // namespace gc::grn
