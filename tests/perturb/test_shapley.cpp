// Shapley explanations: exact enumeration against games with known values (and an independent
// brute force over all n! orders), permutation sampling and KernelSHAP against exact, their
// standard errors, batching, caching, cancellation and bad input.
#include "gc/perturb/shapley.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/timing.h"

#include "gc_test.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>

using namespace gc::perturb;

namespace {

using SetValue = std::function<double(const Coalition&)>;

std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i)
    v.push_back("P" + std::to_string(i));
  return v;
}

ShapleyGame game_of(std::size_t n, SetValue f) {
  ShapleyGame g;
  g.players = names(n);
  g.value = [f = std::move(f)](const std::vector<Coalition>& cs) {
    std::vector<double> out;
    out.reserve(cs.size());
    for (const auto& c : cs)
      out.push_back(f(c));
    return out;
  };
  return g;
}

ShapleyOptions with(ShapleyMethod method) {
  ShapleyOptions o;
  o.method = method;
  return o;
}

double weighted_sum(const Coalition& c, const std::vector<double>& w) {
  double s = 0.0;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i]) s += w[i];
  return s;
}

// The nonlinear 12-player test game: a logistic of a weighted sum with mixed signs.
std::vector<double> logistic_weights() {
  return {1.2, -0.8, 0.5, 2.0, -1.5, 0.3, 0.9, -0.4, 1.6, 0.1, -1.1, 0.7};
}
ShapleyGame logistic_game() {
  const auto w = logistic_weights();
  return game_of(w.size(),
                 [w](const Coalition& c) { return 1.0 / (1.0 + std::exp(-(weighted_sum(c, w) - 0.5))); });
}

// Shapley values by averaging marginal contributions over all n! orders: independent of the
// subset-weight formula the library uses.
std::vector<double> brute_force(std::size_t n, const SetValue& f) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> phi(n, 0.0);
  double count = 0.0;
  do {
    Coalition c(n, false);
    double prev = f(c);
    for (const std::size_t p : order) {
      c[p] = true;
      const double now = f(c);
      phi[p] += now - prev;
      prev = now;
    }
    count += 1.0;
  } while (std::next_permutation(order.begin(), order.end()));
  for (auto& x : phi)
    x /= count;
  return phi;
}

template <typename E>
bool throws_with(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
  } catch (const E& e) {
    if (std::string(e.what()).find(needle) != std::string::npos) return true;
    std::fprintf(stderr, "    message: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "    other exception: %s\n", e.what());
  }
  return false;
}

double max_of(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

} // namespace

GC_TEST(exact_additive_game) {
  const std::vector<double> w = {0.5, -1.25, 3.0, 0.0, 2.5, -0.75};
  const auto r =
      shapley_value(game_of(w.size(), [w](const Coalition& c) { return 10.0 + weighted_sum(c, w); }),
                    with(ShapleyMethod::exact));
  for (std::size_t i = 0; i < w.size(); ++i)
    GC_CHECK_NEAR(r.phi[i], w[i], 1e-12);
  GC_CHECK_NEAR(r.f_none, 10.0, 0.0);
  GC_CHECK_NEAR(r.f_all, 14.0, 1e-12);
  GC_CHECK(std::isnan(r.se[0]));
  GC_CHECK_EQ(r.evaluations, std::size_t{64});
  GC_CHECK_EQ(r.calls, std::size_t{1});
}

GC_TEST(exact_voting_and_glove_games) {
  // Weighted majority [51; 50, 49, 1]: A is pivotal in 4 of the 6 orders, B and C in one each.
  const std::vector<double> votes = {50, 49, 1};
  const auto vote = shapley_value(
      game_of(3, [votes](const Coalition& c) { return weighted_sum(c, votes) >= 51 ? 1.0 : 0.0; }),
      with(ShapleyMethod::exact));
  GC_CHECK_NEAR(vote.phi[0], 2.0 / 3.0, 1e-14);
  GC_CHECK_NEAR(vote.phi[1], 1.0 / 6.0, 1e-14);
  GC_CHECK_NEAR(vote.phi[2], 1.0 / 6.0, 1e-14);
  // Glove game, two left gloves and one right: v = pairs formed; the scarce right glove gets 2/3.
  const auto glove = shapley_value(
      game_of(3, [](const Coalition& c) { return std::min<double>(int(c[0]) + int(c[1]), int(c[2])); }),
      with(ShapleyMethod::exact));
  GC_CHECK_NEAR(glove.phi[0], 1.0 / 6.0, 1e-14);
  GC_CHECK_NEAR(glove.phi[1], 1.0 / 6.0, 1e-14);
  GC_CHECK_NEAR(glove.phi[2], 2.0 / 3.0, 1e-14);
}

GC_TEST(exact_security_council_at_fifteen_players) {
  // UN Security Council (5 permanent members weighing 7, 10 others 1, quota 39): the
  // Shapley–Shubik index is 421/2145 per permanent member and 4/2145 per other member.
  std::vector<double> w(15, 1.0);
  std::fill(w.begin(), w.begin() + 5, 7.0);
  ShapleyOptions o = with(ShapleyMethod::exact);
  o.batch_size = 4096;
  const gc::Stopwatch clock;
  const auto r =
      shapley_value(game_of(15, [w](const Coalition& c) { return weighted_sum(c, w) >= 39 ? 1.0 : 0.0; }), o);
  std::printf("    exact, 15 players: %.3f s, %zu coalitions in %zu calls\n", clock.seconds(), r.evaluations,
              r.calls);
  for (std::size_t i = 0; i < 15; ++i)
    GC_CHECK_NEAR(r.phi[i], i < 5 ? 421.0 / 2145.0 : 4.0 / 2145.0, 1e-13);
  GC_CHECK_EQ(r.evaluations, std::size_t{32768});
  GC_CHECK_EQ(r.calls, std::size_t{8});
  GC_CHECK(std::fabs(r.gap) < 1e-12);
}

GC_TEST(exact_interactions_split_equally) {
  // v = Σ w_i + u01 [0,1 ∈ S] + u234 [2,3,4 ∈ S]: a pairwise term splits in halves, a triple in thirds.
  const std::vector<double> w = {1.0, 2.0, -1.0, 0.5, 0.25, 3.0};
  const double u01 = 4.0, u234 = -1.5;
  const auto r = shapley_value(game_of(6,
                                       [=](const Coalition& c) {
                                         return weighted_sum(c, w) + (c[0] && c[1] ? u01 : 0.0) +
                                                (c[2] && c[3] && c[4] ? u234 : 0.0);
                                       }),
                               with(ShapleyMethod::exact));
  GC_CHECK_NEAR(r.phi[0], 1.0 + 2.0, 1e-12);
  GC_CHECK_NEAR(r.phi[1], 2.0 + 2.0, 1e-12);
  GC_CHECK_NEAR(r.phi[2], -1.0 - 0.5, 1e-12);
  GC_CHECK_NEAR(r.phi[3], 0.5 - 0.5, 1e-12);
  GC_CHECK_NEAR(r.phi[4], 0.25 - 0.5, 1e-12);
  GC_CHECK_NEAR(r.phi[5], 3.0, 1e-12);
}

GC_TEST(exact_symmetric_and_null_players) {
  // Players 0-3 symmetric (only their count matters), player 4 never changes anything.
  const auto r = shapley_value(game_of(5,
                                       [](const Coalition& c) {
                                         const int k = int(c[0]) + int(c[1]) + int(c[2]) + int(c[3]);
                                         return std::sqrt(double(k)) + k * k * 0.1;
                                       }),
                               with(ShapleyMethod::exact));
  const double each = (2.0 + 1.6) / 4.0;
  for (std::size_t i = 0; i < 4; ++i)
    GC_CHECK_NEAR(r.phi[i], each, 1e-12);
  GC_CHECK_NEAR(r.phi[4], 0.0, 1e-15);
}

GC_TEST(exact_matches_brute_force_over_orders) {
  gc::Rng rng(7);
  std::vector<double> w(7), u(7);
  for (std::size_t i = 0; i < 7; ++i) {
    w[i] = rng.normal();
    u[i] = rng.normal();
  }
  const SetValue f = [=](const Coalition& c) {
    const double a = weighted_sum(c, w), b = weighted_sum(c, u);
    return std::tanh(a) * std::exp(0.3 * b) + (c[1] && !c[5] ? 0.7 : 0.0);
  };
  const auto expected = brute_force(7, f);
  const auto r = shapley_value(game_of(7, f), with(ShapleyMethod::exact));
  for (std::size_t i = 0; i < 7; ++i)
    GC_CHECK_NEAR(r.phi[i], expected[i], 1e-12);
  GC_CHECK(std::fabs(r.gap) < 1e-12);
}

GC_TEST(gray_code_visits_each_coalition_once) {
  const std::size_t n = 9;
  std::vector<Coalition> seen;
  std::size_t calls = 0;
  ShapleyGame g;
  g.players = names(n);
  g.value = [&](const std::vector<Coalition>& cs) {
    ++calls;
    seen.insert(seen.end(), cs.begin(), cs.end());
    return std::vector<double>(cs.size(), 1.0);
  };
  ShapleyOptions o = with(ShapleyMethod::exact);
  o.batch_size = 7;
  const auto r = shapley_value(g, o);
  GC_CHECK_EQ(seen.size(), std::size_t{512});
  GC_CHECK_EQ(calls, std::size_t{74}); // ceil(512 / 7)
  GC_CHECK_EQ(r.calls, calls);
  std::set<Coalition> distinct(seen.begin(), seen.end());
  GC_CHECK_EQ(distinct.size(), std::size_t{512});
  GC_CHECK(seen.front() == Coalition(n, false));
  std::size_t bad_steps = 0;
  for (std::size_t k = 1; k < seen.size(); ++k) {
    std::size_t flips = 0;
    for (std::size_t i = 0; i < n; ++i)
      flips += seen[k][i] != seen[k - 1][i] ? 1 : 0;
    bad_steps += flips == 1 ? 0 : 1;
  }
  GC_CHECK_EQ(bad_steps, std::size_t{0});
}

GC_TEST(exact_efficiency_gap_on_nonlinear_game) {
  gc::Rng rng(3);
  std::vector<double> w(14);
  for (auto& x : w)
    x = rng.uniform(0.1, 2.0);
  const auto r = shapley_value(game_of(14, [w](const Coalition& c) { return std::sqrt(weighted_sum(c, w)); }),
                               with(ShapleyMethod::exact));
  GC_CHECK(std::fabs(r.gap) < 1e-12);
  GC_CHECK(r.relative_gap() < 1e-12);
  GC_CHECK(std::fabs(std::accumulate(r.phi.begin(), r.phi.end(), 0.0) - (r.f_all - r.f_none)) < 1e-12);
  // The value grows with the weighted sum, so a heavier player earns more.
  for (std::size_t i = 0; i < 14; ++i) {
    for (std::size_t j = 0; j < 14; ++j)
      if (w[i] < w[j]) GC_CHECK(r.phi[i] < r.phi[j]);
  }
}

GC_TEST(permutation_within_three_se_of_exact) {
  const auto g = logistic_game();
  const auto exact = shapley_value(g, with(ShapleyMethod::exact));
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.max_permutations = 2000;
  o.seed = 11;
  const auto r = shapley_value(g, o);
  GC_CHECK_EQ(r.samples, std::size_t{2000});
  GC_CHECK(!r.target_reached);
  for (std::size_t i = 0; i < 12; ++i) {
    GC_CHECK(r.se[i] > 0.0);
    GC_CHECK(std::fabs(r.phi[i] - exact.phi[i]) <= 3.0 * r.se[i]);
  }
  // Every permutation's contributions telescope to f(all) − f(none).
  GC_CHECK(std::fabs(r.gap) < 1e-12);
  GC_CHECK(r.evaluations <= std::size_t{4096});
}

GC_TEST(permutation_se_shrinks_as_one_over_root_m) {
  const auto g = logistic_game();
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.seed = 5;
  o.max_permutations = 400;
  const auto small = shapley_value(g, o);
  o.max_permutations = 6400;
  const auto large = shapley_value(g, o);
  const double ratio = mean_of(small.se) / mean_of(large.se); // expected √16 = 4
  std::printf("    SE ratio for 16x the permutations: %.3f\n", ratio);
  GC_CHECK(ratio > 3.4 && ratio < 4.6);
}

GC_TEST(antithetic_has_lower_variance) {
  const auto g = logistic_game();
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.seed = 21;
  o.max_permutations = 4000;
  o.antithetic = false;
  const auto plain = shapley_value(g, o);
  o.antithetic = true;
  const auto anti = shapley_value(g, o);
  // Same number of permutations: the variance of the estimate, summed over players.
  double vp = 0.0, va = 0.0;
  for (std::size_t i = 0; i < 12; ++i) {
    vp += plain.se[i] * plain.se[i];
    va += anti.se[i] * anti.se[i];
  }
  std::printf("    antithetic / plain variance at 4000 permutations: %.3f\n", va / vp);
  GC_CHECK(va / vp < 0.8);
  // The plain estimates are right too.
  const auto exact = shapley_value(g, with(ShapleyMethod::exact));
  for (std::size_t i = 0; i < 12; ++i)
    GC_CHECK(std::fabs(plain.phi[i] - exact.phi[i]) <= 3.0 * plain.se[i]);
}

GC_TEST(permutation_early_stop_honours_target) {
  const auto g = logistic_game();
  const auto exact = shapley_value(g, with(ShapleyMethod::exact));
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.seed = 2;
  o.max_permutations = 100000;
  for (const double target : {0.01, 0.003}) {
    o.target_se = target;
    const auto t = shapley_value(g, o);
    std::printf("    SE <= %g: %zu permutations, %zu coalitions, %zu calls, max SE %.5f\n", target, t.samples,
                t.evaluations, t.calls, max_of(t.se));
    GC_CHECK(t.target_reached);
    GC_CHECK(max_of(t.se) <= target);
  }
  o.target_se = 0.003;
  const auto r = shapley_value(g, o);
  // It stopped near the target, not far past it.
  GC_CHECK(max_of(r.se) > 0.9 * 0.003);
  GC_CHECK(r.samples < std::size_t{100000});
  for (std::size_t i = 0; i < 12; ++i)
    GC_CHECK(std::fabs(r.phi[i] - exact.phi[i]) <= 4.0 * r.se[i]);
  // An unreachable target stops at the maximum and says so.
  o.target_se = 1e-6;
  o.max_permutations = 50;
  const auto capped = shapley_value(g, o);
  GC_CHECK(!capped.target_reached);
  GC_CHECK_EQ(capped.samples, std::size_t{50});
}

GC_TEST(permutation_additive_game_is_exact) {
  const std::vector<double> w = {0.5, -1.0, 2.0, 0.25};
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.max_permutations = 20;
  const auto r = shapley_value(game_of(4, [w](const Coalition& c) { return weighted_sum(c, w); }), o);
  for (std::size_t i = 0; i < 4; ++i) {
    GC_CHECK_NEAR(r.phi[i], w[i], 1e-12);
    GC_CHECK_NEAR(r.se[i], 0.0, 1e-12);
  }
}

GC_TEST(many_players_span_several_words) {
  // 130 players: coalitions take three 64-bit words, so complements and the cache cross word
  // boundaries. An additive game is estimated exactly by both sampling methods.
  gc::Rng rng(12);
  std::vector<double> w(130);
  for (auto& x : w)
    x = rng.normal();
  std::size_t wrong_size = 0;
  ShapleyGame g = game_of(130, [&](const Coalition& c) {
    wrong_size += c.size() == 130 ? 0 : 1;
    return 1.0 + weighted_sum(c, w);
  });
  ShapleyOptions p = with(ShapleyMethod::permutation);
  p.max_permutations = 40;
  ShapleyOptions k = with(ShapleyMethod::kernel);
  k.max_coalitions = 600;
  for (const auto& o : {p, k}) {
    const auto r = shapley_value(g, o);
    for (std::size_t i = 0; i < 130; ++i)
      GC_CHECK_NEAR(r.phi[i], w[i], 1e-9);
    GC_CHECK_NEAR(r.f_all - r.f_none, std::accumulate(w.begin(), w.end(), 0.0), 1e-9);
  }
  GC_CHECK_EQ(wrong_size, std::size_t{0});
}

GC_TEST(kernel_enumerating_everything_is_exact) {
  gc::Rng rng(9);
  std::vector<double> w(10);
  for (auto& x : w)
    x = rng.normal();
  const SetValue f = [w](const Coalition& c) {
    const double s = weighted_sum(c, w);
    return std::exp(0.5 * s) + (c[2] && c[7] ? 1.5 : 0.0) - (c[0] && c[3] && c[9] ? 0.8 : 0.0);
  };
  const auto exact = shapley_value(game_of(10, f), with(ShapleyMethod::exact));
  ShapleyOptions o = with(ShapleyMethod::kernel);
  o.max_coalitions = 1022;
  const auto r = shapley_value(game_of(10, f), o);
  GC_CHECK_EQ(r.evaluations, std::size_t{1024});
  GC_CHECK_EQ(r.samples, std::size_t{0});
  for (std::size_t i = 0; i < 10; ++i) {
    GC_CHECK_NEAR(r.phi[i], exact.phi[i], 1e-9);
    GC_CHECK_NEAR(r.se[i], 0.0, 0.0);
  }
  GC_CHECK(std::fabs(r.gap) < 1e-12);
}

// A sampling method over many seeds against exact values: how its errors compare with the
// standard errors it reports, and whether its average is off (bias in units of its own SE).
struct SeedSweep {
  double calibration = 0.0; // RMS error / RMS reported SE: 1 when the SEs are honest
  double worst = 0.0;       // largest |error|
  std::size_t outside = 0;  // errors beyond 3 reported SEs
  double bias_z = 0.0;      // largest |mean error| / (RMS SE / √seeds)
  std::size_t evaluations = 0;
};

SeedSweep sweep_seeds(const ShapleyGame& g, ShapleyOptions o, std::size_t seeds) {
  const auto exact = shapley_value(g, with(ShapleyMethod::exact));
  const std::size_t n = g.players.size();
  std::vector<double> sum_error(n, 0.0), sum_se2(n, 0.0);
  SeedSweep out;
  double sq_error = 0.0, sq_se = 0.0;
  for (std::size_t s = 0; s < seeds; ++s) {
    o.seed = 100 + s;
    const auto r = shapley_value(g, o);
    GC_CHECK(std::fabs(r.gap) < 1e-12);
    out.evaluations = std::max(out.evaluations, r.evaluations);
    for (std::size_t i = 0; i < n; ++i) {
      const double err = r.phi[i] - exact.phi[i];
      sq_error += err * err;
      sq_se += r.se[i] * r.se[i];
      sum_error[i] += err;
      sum_se2[i] += r.se[i] * r.se[i];
      out.worst = std::max(out.worst, std::fabs(err));
      out.outside += std::fabs(err) > 3.0 * r.se[i] ? 1 : 0;
    }
  }
  out.calibration = std::sqrt(sq_error / sq_se);
  for (std::size_t i = 0; i < n; ++i) {
    const double mean_error = sum_error[i] / double(seeds);
    const double se_of_mean = std::sqrt(sum_se2[i] / double(seeds)) / std::sqrt(double(seeds));
    out.bias_z = std::max(out.bias_z, std::fabs(mean_error) / se_of_mean);
  }
  std::printf("    %s: worst error %.4f, RMS error / RMS SE %.3f, %zu of %zu beyond 3 SE, bias %.2f SE, "
              "<= %zu coalitions\n",
              std::string(shapley_method_name(o.method)).c_str(), out.worst, out.calibration, out.outside,
              seeds * n, out.bias_z, out.evaluations);
  return out;
}

GC_TEST(permutation_se_is_calibrated) {
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.max_permutations = 300;
  const auto s = sweep_seeds(logistic_game(), o, 40);
  GC_CHECK(s.calibration > 0.8 && s.calibration < 1.25);
  GC_CHECK(s.bias_z < 4.0);
  GC_CHECK(s.outside <= 5);
}

GC_TEST(kernel_sampling_is_close_and_its_se_is_calibrated) {
  ShapleyOptions o = with(ShapleyMethod::kernel);
  for (const std::size_t budget : {100, 600}) {
    o.max_coalitions = budget;
    const auto s = sweep_seeds(logistic_game(), o, 40);
    GC_CHECK(s.evaluations <= budget + 2);
    GC_CHECK(s.worst < (budget == 100 ? 0.1 : 0.05));
    GC_CHECK(s.calibration > 0.8 && s.calibration < 1.2);
    GC_CHECK(s.bias_z < 4.0);
    GC_CHECK(s.outside <= 10);
  }
}

GC_TEST(kernel_additive_game_with_sampling) {
  gc::Rng rng(4);
  std::vector<double> w(30);
  for (auto& x : w)
    x = rng.normal();
  ShapleyOptions o = with(ShapleyMethod::kernel);
  o.max_coalitions = 400;
  const auto r = shapley_value(game_of(30, [w](const Coalition& c) { return 2.0 + weighted_sum(c, w); }), o);
  for (std::size_t i = 0; i < 30; ++i) {
    GC_CHECK_NEAR(r.phi[i], w[i], 1e-9);
    GC_CHECK(r.se[i] < 1e-9);
  }
}

GC_TEST(cache_never_repeats_a_coalition) {
  for (const auto method : {ShapleyMethod::permutation, ShapleyMethod::kernel}) {
    std::set<Coalition> seen;
    std::size_t repeats = 0, total = 0;
    ShapleyGame g;
    g.players = names(8);
    g.value = [&](const std::vector<Coalition>& cs) {
      std::vector<double> out;
      for (const auto& c : cs) {
        ++total;
        repeats += seen.insert(c).second ? 0 : 1;
        out.push_back(std::pow(double(std::count(c.begin(), c.end(), true)), 1.5) + (c[3] ? 1.0 : 0.0));
      }
      return out;
    };
    ShapleyOptions o = with(method);
    o.batch_size = 100;
    o.max_permutations = 600;
    o.max_coalitions = 200;
    const auto r = shapley_value(g, o);
    GC_CHECK_EQ(repeats, std::size_t{0});
    GC_CHECK_EQ(r.evaluations, total);
    GC_CHECK(r.cache_hits > 0);
    GC_CHECK(total <= std::size_t{256});
    // Batching: KernelSHAP asks for every coalition at once, permutation sampling per round.
    if (method == ShapleyMethod::kernel) GC_CHECK_EQ(r.calls, (total + 99) / 100);
    GC_CHECK(r.calls * 5 < total);
  }
}

GC_TEST(several_outputs_share_the_calls) {
  const std::vector<double> w = {1.0, 2.0, 3.0};
  ShapleyGame g;
  g.players = {"A", "B", "C"};
  g.outputs = {"sum", "glove"};
  std::size_t calls = 0;
  g.value = [&](const std::vector<Coalition>& cs) {
    ++calls;
    std::vector<double> out;
    for (const auto& c : cs) {
      out.push_back(weighted_sum(c, w));
      out.push_back(std::min<double>(int(c[0]) + int(c[1]), int(c[2])));
    }
    return out;
  };
  for (const auto method : {ShapleyMethod::exact, ShapleyMethod::permutation, ShapleyMethod::kernel}) {
    calls = 0;
    const auto rs = shapley_values(g, with(method));
    GC_REQUIRE(rs.size() == 2);
    GC_CHECK_EQ(rs[0].output, std::string("sum"));
    GC_CHECK_EQ(rs[1].output, std::string("glove"));
    GC_CHECK_EQ(rs[0].calls, calls);
    for (std::size_t i = 0; i < 3; ++i)
      GC_CHECK_NEAR(rs[0].phi[i], w[i], 1e-9);
    if (method != ShapleyMethod::permutation) {
      GC_CHECK_NEAR(rs[1].phi[0], 1.0 / 6.0, 1e-9);
      GC_CHECK_NEAR(rs[1].phi[2], 2.0 / 3.0, 1e-9);
    }
    GC_CHECK(std::fabs(rs[1].gap) < 1e-12);
  }
  GC_CHECK(
      throws_with<gc::InputError>([&] { (void)shapley_value(g, with(ShapleyMethod::exact)); }, "one output"));
}

GC_TEST(cancelled_progress_throws) {
  for (const auto method : {ShapleyMethod::exact, ShapleyMethod::permutation, ShapleyMethod::kernel}) {
    gc::CancelToken token;
    const gc::Progress progress(nullptr, token);
    std::size_t calls = 0;
    ShapleyGame g = logistic_game();
    const auto inner = g.value;
    // Cancels during the first call, as a user would while a batch runs.
    g.value = [&](const std::vector<Coalition>& cs) {
      ++calls;
      token.cancel();
      return inner(cs);
    };
    ShapleyOptions o = with(method);
    o.batch_size = 64;
    GC_CHECK_THROWS(shapley_value(g, o, progress), gc::Cancelled);
    GC_CHECK_EQ(calls, std::size_t{1});
  }
}

GC_TEST(progress_reaches_one) {
  struct Listener : gc::ProgressListener {
    std::vector<double> seen;
    void on_progress(double f, const std::string&) override { seen.push_back(f); }
  };
  for (const auto method : {ShapleyMethod::exact, ShapleyMethod::permutation, ShapleyMethod::kernel}) {
    auto listener = std::make_shared<Listener>();
    const gc::Progress progress(listener, gc::CancelToken());
    ShapleyOptions o = with(method);
    o.batch_size = 256;
    (void)shapley_value(logistic_game(), o, progress);
    GC_REQUIRE(listener->seen.size() >= 2);
    GC_CHECK(std::is_sorted(listener->seen.begin(), listener->seen.end()));
    GC_CHECK_NEAR(listener->seen.back(), 1.0, 0.0);
  }
}

GC_TEST(bad_input) {
  const auto ok = [](const Coalition& c) { return double(std::count(c.begin(), c.end(), true)); };
  GC_CHECK(throws_with<gc::InputError>(
      [&] { (void)shapley_value(game_of(0, ok), with(ShapleyMethod::exact)); }, "at least one player"));
  GC_CHECK(
      throws_with<gc::InputError>([&] { (void)shapley_value(game_of(16, ok), with(ShapleyMethod::exact)); },
                                  "this game has 16: use the permutation or kernel method"));
  ShapleyGame dup = game_of(3, ok);
  dup.players[2] = "P0";
  GC_CHECK(throws_with<gc::InputError>([&] { (void)shapley_value(dup, with(ShapleyMethod::exact)); },
                                       "'P0' appears twice"));
  ShapleyOptions zero = with(ShapleyMethod::exact);
  zero.batch_size = 0;
  GC_CHECK(throws_with<gc::InputError>([&] { (void)shapley_value(game_of(3, ok), zero); }, "batch size"));
  ShapleyOptions tiny = with(ShapleyMethod::kernel);
  tiny.max_coalitions = 39;
  GC_CHECK(throws_with<gc::InputError>([&] { (void)shapley_value(game_of(20, ok), tiny); },
                                       "at least 2 x 20 players = 40 coalitions, not 39"));
  ShapleyOptions negative = with(ShapleyMethod::permutation);
  negative.target_se = -1.0;
  GC_CHECK(throws_with<gc::InputError>([&] { (void)shapley_value(game_of(3, ok), negative); }, "target"));
  GC_CHECK(
      throws_with<gc::InputError>([] { (void)parse_shapley_method("banzhaf"); }, "unknown Shapley method"));

  ShapleyGame short_count;
  short_count.players = names(4);
  short_count.value = [](const std::vector<Coalition>& cs) {
    return std::vector<double>(cs.size() - 1, 0.0);
  };
  GC_CHECK(throws_with<gc::Error>([&] { (void)shapley_value(short_count, with(ShapleyMethod::exact)); },
                                  "returned 15 values for 16 coalitions (expected 16 x 1 outputs)"));
  for (const auto method : {ShapleyMethod::permutation, ShapleyMethod::kernel}) {
    GC_CHECK(throws_with<gc::Error>([&] { (void)shapley_value(short_count, with(method)); },
                                    "coalitions (expected"));
  }
  ShapleyGame nan_game = game_of(4, [](const Coalition& c) { return c[1] && c[2] ? std::nan("") : 1.0; });
  for (const auto method : {ShapleyMethod::exact, ShapleyMethod::permutation, ShapleyMethod::kernel}) {
    GC_CHECK(throws_with<gc::Error>([&] { (void)shapley_value(nan_game, with(method)); },
                                    "returned NaN for coalition {"));
  }
  GC_CHECK(throws_with<gc::Error>([&] { (void)shapley_value(nan_game, with(ShapleyMethod::exact)); },
                                  "NaN for coalition {P1, P2}"));
}

GC_TEST(json_report) {
  const auto exact = shapley_value(logistic_game(), with(ShapleyMethod::exact));
  const gc::Json j = exact.to_json();
  GC_CHECK_EQ(j.at("method").as_string(), std::string("exact"));
  GC_REQUIRE(j.at("players").size() == 12);
  GC_CHECK_EQ(j.at("players").at(3).at("name").as_string(), std::string("P3"));
  GC_CHECK_NEAR(j.at("players").at(3).at("phi").as_double(), exact.phi[3], 0.0);
  GC_CHECK(j.at("players").at(3).at("se").is_null());
  GC_CHECK_EQ(j.at("evaluations").as_int(), std::int64_t{4096});
  GC_CHECK(j.contains("efficiency_gap") && j.contains("f_all") && j.contains("f_none") &&
           j.contains("calls"));
  ShapleyOptions o = with(ShapleyMethod::permutation);
  o.max_permutations = 100;
  const gc::Json p = shapley_value(logistic_game(), o).to_json();
  GC_CHECK(p.at("players").at(0).at("se").as_double() > 0.0);
  GC_CHECK_EQ(p.at("samples").as_int(), std::int64_t{100});
  GC_CHECK(p.contains("target_reached"));
  // Through text, as the CLI prints it.
  const gc::Json back = gc::Json::parse(j.dump());
  GC_CHECK_NEAR(back.at("players").at(3).at("phi").as_double(), exact.phi[3], 0.0);
  GC_CHECK_NEAR(back.at("f_all").as_double(), exact.f_all, 0.0);
}

GC_TEST_MAIN()
