#pragma once
// Shapley values of a cooperative game whose players are whatever a caller explains with (candidate
// regulators, edges, input groups) and whose value is a model output with a coalition of them
// present. Generic over the model: the caller passes a batched value function, and every method
// hands it many coalitions per call, so the knockout engine can run them as one batched model call
// on CPU threads or the GPU. Repeated coalitions are evaluated once (a cache keyed by the bitset).
//
//   exact        all 2^n coalitions, handed over in Gray-code order (consecutive coalitions differ
//                by one player, also across calls, so an incremental value function can exploit
//                single flips); up to max_exact_players players.
//   permutation  random permutations (by default each with its reverse, antithetic), marginal
//                contributions averaged; per-player standard errors; stops early once every
//                player's standard error is at or below a target.
//   kernel       KernelSHAP (Lundberg & Lee 2017): Shapley-kernel weighted least squares with
//                φ(∅) = f(none) and Σφ = f(all) − f(none) enforced exactly (one player eliminated);
//                coalition sizes enumerated completely, smallest first, while the budget allows,
//                the rest sampled in complementary pairs.
//
// A game may have several outputs (targets explained at once from the same model calls): the value
// function then returns, for each coalition in turn, one value per output.
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::perturb {

// coalition[i] is true when player i is present.
using Coalition = std::vector<bool>;
// Returns coalitions.size() × outputs values, coalition-major: values[c * outputs + o]. Must be
// finite. Called from the thread that computes the Shapley values; may parallelise internally.
using ValueFunction = std::function<std::vector<double>(const std::vector<Coalition>& coalitions)>;

inline constexpr std::size_t max_exact_players = 15;

struct ShapleyGame {
  std::vector<std::string> players; // n >= 1 distinct names
  std::vector<std::string> outputs; // names of the outputs; empty means one unnamed output
  ValueFunction value;

  [[nodiscard]] std::size_t output_count() const noexcept { return outputs.empty() ? 1 : outputs.size(); }
};

enum class ShapleyMethod { exact, permutation, kernel };

// "exact", "permutation", "kernel"; gc::InputError naming the text otherwise.
[[nodiscard]] ShapleyMethod parse_shapley_method(std::string_view text);
[[nodiscard]] std::string_view shapley_method_name(ShapleyMethod method) noexcept;

struct ShapleyOptions {
  ShapleyMethod method = ShapleyMethod::exact;
  // Coalitions per value-function call (the last call of a round may hold fewer).
  std::size_t batch_size = 4096;
  std::uint64_t seed = 1;

  // permutation
  // Each permutation with its reverse: lower variance when a player's contribution depends
  // monotonically on how early it joins (concave or convex games); it can be higher otherwise.
  bool antithetic = true;
  double target_se = 0.0;            // stop once every standard error <= this; 0: run to the maximum
  std::size_t min_permutations = 32; // before the early stop may trigger (the SEs must settle first)
  std::size_t max_permutations = 20000;

  // kernel: coalitions besides the empty and the full one (at least 2n; 2^n - 2 or more = all).
  std::size_t max_coalitions = 2048;
};

struct ShapleyResult {
  ShapleyMethod method = ShapleyMethod::exact;
  std::string output; // the output's name ("" for a one-output game without names)
  std::vector<std::string> players;
  std::vector<double> phi;
  // Standard error of each φ: NaN for exact. For kernel, a linearised (sandwich, HC1) estimate over
  // the sampled coalition pairs: 0 when every coalition was enumerated, NaN with no more pairs than
  // n − 1; calibrated (RMS error / RMS SE ≈ 1) from about 8n coalitions, too small below that.
  std::vector<double> se;
  double f_all = 0.0;
  double f_none = 0.0;
  double gap = 0.0; // Σφ − (f_all − f_none)

  // Shared by every output of one run.
  std::size_t evaluations = 0; // distinct coalitions evaluated
  std::size_t calls = 0;       // value-function calls
  std::size_t cache_hits = 0;  // coalitions asked for again and served from the cache
  std::size_t samples = 0;     // permutations (permutation) or sampled coalitions (kernel); 0 for exact
  bool target_reached = false; // permutation with a target: every SE <= target_se
  double seconds = 0.0;

  // |gap| / |f_all − f_none| (|gap| when f_all == f_none).
  [[nodiscard]] double relative_gap() const noexcept;
  [[nodiscard]] Json to_json() const;
};

// One result per output, in the game's output order. gc::InputError for a bad game or options
// (no players, duplicate names, too many players for exact, a zero batch size, ...); gc::Error when
// the value function breaks its contract (wrong number of values, NaN or infinity); gc::Cancelled
// from `progress`, checked before every value-function call.
[[nodiscard]] std::vector<ShapleyResult>
shapley_values(const ShapleyGame& game, const ShapleyOptions& options, const Progress& progress = {});

// The same for a one-output game.
[[nodiscard]] ShapleyResult shapley_value(const ShapleyGame& game, const ShapleyOptions& options,
                                          const Progress& progress = {});

} // namespace gc::perturb
