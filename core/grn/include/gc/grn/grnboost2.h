#pragma once
// GRNBoost2 (Moerman et al. 2019, arboreto) with XGBoost's gradient boosting: for every target
// gene, shallow regression trees on the candidate regulators (the target excluded), and the
// weight of regulator -> target is the total gain of the regulator's splits.
//
// As arboreto's GRNBoost2: learning rate 0.01, depth 3, each tree on 90% of the samples and each
// split choosing among 10% of the regulators (at least one), up to 5000 rounds with early
// stopping. arboreto stops on the out-of-bag improvement of sklearn's GradientBoostingRegressor;
// here 10% of the samples (at least one) are held out, drawn per target from the seed, and
// boosting stops once their RMSE has not improved for 25 rounds; the importances are those of the
// model cut at its best round. The boosting starts from the mean of the training targets, as
// sklearn's does. Each booster runs on one thread; targets run in parallel.
#include "gc/grn/eval.h"
#include "gc/grn/infer.h"
#include "gc/util/progress.h"

#include <cstdint>
#include <vector>

namespace gc::grn {

// False when this build has no XGBoost (grnboost2() then throws gc::Error).
[[nodiscard]] bool grnboost2_available() noexcept;

struct Grnboost2Options {
  double learning_rate = 0.01;
  int max_depth = 3;
  double subsample = 0.9;
  double colsample_bynode = 0.1;
  int max_rounds = 5000;
  int early_stop_window = 25;
  double validation_fraction = 0.1;
  std::uint64_t seed = 1;
  int threads = 0; // 0 = all hardware threads
};

// Edges with a positive total gain, sorted as sort_edges(). The result depends on the seed, not on
// the thread count. Throws gc::Error naming XGBoost's message when a call into it fails.
[[nodiscard]] std::vector<ScoredEdge> grnboost2(const GeneColumns& data, const Grnboost2Options& options,
                                                const Progress& progress = {});

} // namespace gc::grn
