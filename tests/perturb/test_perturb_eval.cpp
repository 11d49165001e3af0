// Perturbation-response evaluation: the metrics against hand-computed values (ties and the
// exclusion of perturbed genes included), seeded splits without leakage, and each baseline on a
// small system whose answer is known (the linear model on an exactly linear-in-embedding
// response, the propagation on a three-gene cascade).
#include "gc/perturb/baselines.h"
#include "gc/perturb/dataset.h"
#include "gc/perturb/eval.h"
#include "gc/perturb/split.h"
#ifdef GC_PERTURB_HAVE_TABLES
#include "gc/perturb/tables.h"
#endif
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_test.h"
#include "gc_test_rejects.h"

#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <string>

using namespace gc::perturb;

using gc::test::rejects;

namespace {

// A dataset from Δ's: genes, one control per group, observations (label, group, Δ).
struct Spec {
  std::vector<std::string> genes;
  std::vector<std::vector<double>> control;
  std::vector<std::tuple<std::string, std::size_t, std::vector<double>>> obs;
  Scale scale = Scale::log1p_normalised;
};

PerturbationDataset make(const Spec& s) {
  PerturbationDataset d;
  d.source = "test";
  d.layout = "test";
  d.scale = s.scale;
  d.genes = s.genes;
  d.index_genes();
  d.control = s.control;
  d.groups.clear();
  for (std::size_t k = 0; k < s.control.size(); ++k) {
    d.groups.push_back("group" + std::to_string(k));
    d.control_samples.push_back(1);
  }
  for (const auto& [label, group, delta] : s.obs) {
    Observation o;
    o.intervention = parse_label(label);
    o.group = group;
    o.delta = delta;
    o.mean = delta;
    for (std::size_t g = 0; g < delta.size(); ++g)
      o.mean[g] += s.control[group][g];
    o.samples = 1;
    d.observations.push_back(std::move(o));
  }
  d.check();
  return d;
}

double at(const MetricValues& v, Metric m) { return v[static_cast<std::size_t>(m)]; }

} // namespace

GC_TEST(pearson_by_hand) {
  GC_CHECK_NEAR(pearson({1, 2, 3}, {2, 4, 7}), 5.0 / std::sqrt(76.0 / 3.0), 1e-12);
  GC_CHECK_NEAR(pearson({1, 2, 3}, {3, 2, 1}), -1.0, 1e-12);
  // A constant vector (the no-change prediction) has no correlation.
  GC_CHECK(std::isnan(pearson({0, 0, 0}, {1, 2, 3})));
  GC_CHECK(std::isnan(pearson({0.1, 0.1, 0.1}, {1, 2, 3})));
  GC_CHECK(std::isnan(pearson({1}, {2})));
}

GC_TEST(top_changed_excludes_perturbed_and_breaks_ties_by_index) {
  const std::vector<double> obs{0.5, -3, 3, 1, -1, 0};
  GC_CHECK((top_changed(obs, {1}, 3) == std::vector<std::size_t>{2, 3, 4}));
  GC_CHECK((top_changed(obs, {1}, 2) == std::vector<std::size_t>{2, 3}));
  GC_CHECK((top_changed(obs, {}, 2) == std::vector<std::size_t>{1, 2}));
  GC_CHECK_EQ(top_changed(obs, {1}, 20).size(), std::size_t{5});
  GC_CHECK((most_expressed({1, 3, 3, 0}, 4, 2) == std::vector<std::size_t>{1, 2}));
  GC_CHECK((most_expressed({1, 3, 3, 0}, 4, 3) == std::vector<std::size_t>{0, 1, 2}));
  GC_CHECK((most_expressed({}, 3, 1) == std::vector<std::size_t>{0, 1, 2}));
}

GC_TEST(every_metric_by_hand) {
  // Gene 1 is perturbed: its -3 would otherwise lead every ranking.
  const std::vector<double> obs{0.5, -3, 3, 1, -1, 0};
  const std::vector<double> pred{0.4, -2, 2, -1, -0.5, 0.1};
  MetricOptions o;
  o.top_de = 3;
  o.top_k = 2;
  const auto v = score_response(pred, obs, {1}, {0, 2, 5}, o);
  GC_CHECK_NEAR(at(v, Metric::pearson_delta),
                (11.7 + 0.5 / 6) / std::sqrt((20.25 - 0.25 / 6) * (9.42 - 1.0 / 6)), 1e-12);
  // Top 3 by |observed| without gene 1: genes 2 (3), 3 and 4 (|1|, tie: lower index first... both in).
  GC_CHECK_NEAR(at(v, Metric::pearson_delta_top20), 5.0 / std::sqrt((5.25 - 0.25 / 3) * 8.0), 1e-12);
  GC_CHECK_NEAR(at(v, Metric::mse_top20), (1.0 + 4.0 + 0.25) / 3.0, 1e-12);
  GC_CHECK_NEAR(at(v, Metric::direction_top20), 2.0 / 3.0, 1e-12);
  GC_CHECK_NEAR(at(v, Metric::l2_top_expressed), std::sqrt(0.01 + 1.0 + 0.01), 1e-12);
  // Top 2 observed: gene 2, then genes 3 and 4 tied at |1| share the last place (0.5 each);
  // top 2 predicted: genes 2 and 3. Overlap 1 + 0.5 of 2.
  GC_CHECK_NEAR(at(v, Metric::top50_accuracy), 0.75, 1e-12);
  // Without excluding gene 1 it would lead the observed ranking (and the predicted one).
  GC_CHECK_NEAR(top_k_accuracy(pred, obs, {}, 2), 1.0, 1e-12);
}

GC_TEST(constant_prediction_scores_chance_and_undefined_correlation) {
  const std::vector<double> obs{0.5, -3, 3, 1, -1, 0};
  const std::vector<double> zero(6, 0.0);
  MetricOptions o;
  o.top_de = 3;
  o.top_k = 2;
  const auto v = score_response(zero, obs, {1}, {}, o);
  GC_CHECK(std::isnan(at(v, Metric::pearson_delta)));
  GC_CHECK(std::isnan(at(v, Metric::pearson_delta_top20)));
  GC_CHECK_NEAR(at(v, Metric::mse_top20), (9.0 + 1.0 + 1.0) / 3.0, 1e-12);
  GC_CHECK_NEAR(at(v, Metric::direction_top20), 0.0, 0.0);
  GC_CHECK(std::isnan(at(v, Metric::l2_top_expressed))); // no genes given
  // All five candidates tie for the predicted top 2 (2/5 each): 0.4 * (1 + 0.5 + 0.5) / 2.
  GC_CHECK_NEAR(at(v, Metric::top50_accuracy), 0.4, 1e-12);
  // Right signs, zeros included: sign(0) = sign(0).
  const auto w = score_response({0, 0, 1, 0}, {0, 0, 2, 0}, {}, {0, 1, 2, 3}, MetricOptions{4, 1000, 50});
  GC_CHECK_NEAR(at(w, Metric::direction_top20), 1.0, 0.0);
}

namespace {

// 20 singly perturbed genes (knockout and knockdown each) in two groups, one unmeasured gene,
// ten doubles and a triple.
PerturbationDataset split_world() {
  Spec s;
  for (int i = 0; i < 24; ++i)
    s.genes.push_back("G" + std::to_string(i));
  s.control = {std::vector<double>(24, 1.0), std::vector<double>(24, 2.0)};
  const std::vector<double> d(24, 0.1);
  for (std::size_t k = 0; k < 2; ++k) {
    for (int i = 0; i < 20; ++i) {
      s.obs.emplace_back("G" + std::to_string(i), k, d);
      s.obs.emplace_back("G" + std::to_string(i) + ":kd0.5", k, d);
    }
    s.obs.emplace_back("UNMEASURED", k, d);
    for (int i = 0; i < 10; ++i)
      s.obs.emplace_back("G" + std::to_string(i) + "+G" + std::to_string(i + 10), k, d);
    s.obs.emplace_back("G20+G21", k, d); // members never seen as singles
    s.obs.emplace_back("G1+G2+G3", k, d);
  }
  return make(s);
}

std::string genes_of(const Intervention& iv) {
  std::string k;
  for (const auto& g : iv.genes)
    k += g.gene + "+";
  return k;
}

} // namespace

GC_TEST(singles_split_has_no_leakage_and_is_seeded) {
  const auto d = split_world();
  const auto s = split_singles(d, 1);
  std::set<std::string> train, test;
  for (const auto i : s.train) {
    GC_CHECK_EQ(d.observations[i].intervention.size(), std::size_t{1});
    train.insert(genes_of(d.observations[i].intervention));
  }
  for (const auto i : s.test) {
    GC_CHECK_EQ(d.observations[i].intervention.size(), std::size_t{1});
    GC_CHECK(d.all_measured(d.observations[i].intervention));
    test.insert(genes_of(d.observations[i].intervention));
  }
  for (const auto& k : test)
    GC_CHECK(train.count(k) == 0);
  // A quarter of the 20 measured genes, each with its knockout and knockdown in both groups.
  GC_CHECK_EQ(test.size(), std::size_t{5});
  GC_CHECK_EQ(s.test.size(), std::size_t{20});
  GC_CHECK_EQ(s.train.size(), std::size_t{15 * 4 + 2}); // and the unmeasured single
  GC_CHECK(split_singles(d, 1).test == s.test);
  bool differs = false;
  for (std::uint64_t seed = 2; seed <= 4; ++seed)
    differs = differs || split_singles(d, seed).test != s.test;
  GC_CHECK(differs);
}

GC_TEST(doubles_split_counts_seen_members) {
  const auto d = split_world();
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto s = split_doubles(d, seed);
    std::set<std::string> trained;
    for (const auto i : s.train) {
      GC_REQUIRE(d.observations[i].intervention.size() == 1);
      trained.insert(d.observations[i].intervention.genes[0].gene);
    }
    GC_CHECK_EQ(trained.size(), std::size_t{11 - 1}); // 21 single genes, half withheld (rounded)
    GC_CHECK_EQ(s.test.size(), std::size_t{22});      // every double in both groups, no triple
    GC_REQUIRE(s.seen.size() == s.test.size());
    int seen[3] = {0, 0, 0};
    for (std::size_t t = 0; t < s.test.size(); ++t) {
      const auto& iv = d.observations[s.test[t]].intervention;
      GC_REQUIRE(iv.size() == 2);
      const int expected =
          static_cast<int>(trained.count(iv.genes[0].gene) + trained.count(iv.genes[1].gene));
      GC_CHECK_EQ(s.seen[t], expected);
      ++seen[s.seen[t]];
      for (const auto i : s.train)
        GC_CHECK(!(d.observations[i].intervention == iv));
    }
    GC_CHECK(seen[0] >= 2); // G20+G21 in both groups
  }
}

GC_TEST(no_change_training_mean_and_additive) {
  Spec s;
  s.genes = {"A", "B", "C"};
  s.control = {{1, 1, 1}, {2, 2, 2}};
  s.obs = {
      {"A", 0, {-1, 0.5, 0}}, {"B", 0, {0.2, -1, 0.4}}, {"C:kd0.5", 0, {0, 0, -0.5}}, {"A", 1, {-2, 1, 1}}};
  const auto d = make(s);
  const std::vector<std::size_t> train{0, 1, 2};
  NoChange none;
  none.fit(d, train, {});
  GC_CHECK((none.predict(parse_label("A+B"), 0) == std::vector<double>{0, 0, 0}));
  TrainingMean mean;
  mean.fit(d, train, {});
  const auto m0 = mean.predict(parse_label("C"), 0);
  GC_CHECK_NEAR(m0[0], (-1 + 0.2 + 0) / 3.0, 1e-12);
  GC_CHECK_NEAR(m0[1], (0.5 - 1 + 0) / 3.0, 1e-12);
  GC_CHECK_NEAR(m0[2], (0 + 0.4 - 0.5) / 3.0, 1e-12);
  // Group 1 has no training observation: the mean over all groups.
  GC_CHECK((mean.predict(parse_label("C"), 1) == m0));
  mean.fit(d, {0, 1, 2, 3}, {});
  GC_CHECK((mean.predict(parse_label("C"), 1) == std::vector<double>{-2, 1, 1}));
  Additive add;
  add.fit(d, train, {});
  const auto ab = add.predict(parse_label("A+B"), 0);
  GC_CHECK_NEAR(ab[0], -0.8, 1e-12);
  GC_CHECK_NEAR(ab[1], -0.5, 1e-12);
  GC_CHECK_NEAR(ab[2], 0.4, 1e-12);
  // C was seen knocked down, not knocked out: it adds nothing to a knockout.
  GC_CHECK((add.predict(parse_label("A+C"), 0) == std::vector<double>{-1, 0.5, 0}));
  const auto kd = add.predict(parse_label("A+C:kd0.5"), 0);
  GC_CHECK_NEAR(kd[2], -0.5, 1e-12);
  // Group 1's training has no singles: nothing is seen there.
  GC_CHECK((add.predict(parse_label("A+B"), 1) == std::vector<double>{0, 0, 0}));
}

namespace {

// Responses exactly bilinear in a 2-d gene embedding E (columns summing to 0 over genes):
// Δ(knockout of j) = E W0 E[j]ᵀ, a knockdown by F F times that. The training genes come in
// pairs with opposite embeddings, so the training mean (the model's b) is 0.
const std::vector<std::array<double, 2>> embedding{{3, 1},  {-3, -1}, {1, 4},     {-1, -4},
                                                   {2, -2}, {-2, 2},  {0.5, 3.0}, {-0.5, -3.0}};
const double w0[2][2] = {{0.2, -0.1}, {0.05, 0.3}};

std::vector<double> bilinear(const Intervention& iv) {
  std::array<double, 2> p{0, 0};
  for (const auto& g : iv.genes) {
    const auto j = static_cast<std::size_t>(std::stoi(g.gene.substr(1)));
    for (int c = 0; c < 2; ++c)
      p[static_cast<std::size_t>(c)] += (1.0 - g.level()) * embedding[j][static_cast<std::size_t>(c)];
  }
  std::vector<double> out;
  for (const auto& e : embedding) {
    double v = 0.0;
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        v += e[static_cast<std::size_t>(a)] * w0[a][b] * p[static_cast<std::size_t>(b)];
    out.push_back(v);
  }
  return out;
}

PerturbationDataset bilinear_world() {
  Spec s;
  for (int i = 0; i < 8; ++i)
    s.genes.push_back("G" + std::to_string(i));
  s.control = {std::vector<double>(8, 5.0)};
  for (int i = 0; i < 6; ++i) {
    const auto label = "G" + std::to_string(i);
    s.obs.emplace_back(label, 0, bilinear(parse_label(label)));
  }
  s.obs.emplace_back("G6", 0, bilinear(parse_label("G6")));
  return make(s);
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

double max_abs(const std::vector<double>& a) { return max_abs_diff(a, std::vector<double>(a.size(), 0.0)); }

} // namespace

GC_TEST(linear_model_recovers_a_bilinear_response) {
  const auto d = bilinear_world();
  const std::vector<std::size_t> train{0, 1, 2, 3, 4, 5};
  const auto truth = bilinear(parse_label("G6"));
  GC_REQUIRE(max_abs(truth) > 1.0);
  LinearModel exact(LinearOptions{10, 1e-9});
  exact.fit(d, train, {});
  GC_CHECK(max_abs_diff(exact.predict(parse_label("G6"), 0), truth) < 1e-6 * max_abs(truth));
  // Dose-weighted embedding: half the knockout for a knockdown by 0.5; opposite genes cancel.
  GC_CHECK(max_abs_diff(exact.predict(parse_label("G6:kd0.5"), 0), bilinear(parse_label("G6:kd0.5"))) <
           1e-6 * max_abs(truth));
  GC_CHECK(max_abs(exact.predict(parse_label("G6+G7"), 0)) < 1e-6 * max_abs(truth));
  // λ = 0.1 (the paper's) only shrinks a little at this scale; the training mean is far off.
  LinearModel paper;
  paper.fit(d, train, {});
  const auto p = paper.predict(parse_label("G6"), 0);
  GC_CHECK(max_abs_diff(p, truth) < 0.01 * max_abs(truth));
  GC_CHECK(max_abs_diff(p, truth) > 0.0);
  GC_CHECK(pearson(p, truth) > 0.9999);
  TrainingMean mean;
  mean.fit(d, train, {});
  GC_CHECK(max_abs(mean.predict(parse_label("G6"), 0)) < 1e-12);
}

namespace {

// Control cells of a cascade A -> B -> C: x_A = 5 + u, x_B = 4 + a u + v, x_C = 3 + b (a u + v) + w
// with u, v, w zero-mean and mutually orthogonal, so least squares finds w_AB = a, w_BC = b and
// nothing from A to C exactly.
PerturbationDataset cascade(double a, double b) {
  Spec s;
  s.genes = {"A", "B", "C"};
  s.control = {{5, 4, 3}};
  auto d = make(s);
  const double u[8] = {1, -1, 1, -1, 1, -1, 1, -1};
  const double v[8] = {1, 1, -1, -1, 1, 1, -1, -1};
  const double w[8] = {1, 1, 1, 1, -1, -1, -1, -1};
  d.control_cells = {{}};
  for (int r = 0; r < 8; ++r) {
    const double xb = a * u[r] + v[r];
    for (const double x : {5 + u[r], 4 + xb, 3 + b * xb + w[r]})
      d.control_cells[0].push_back(static_cast<float>(x));
  }
  d.check();
  return d;
}

PropagationOptions chain_options(int steps) {
  PropagationOptions o;
  o.regulators = std::vector<std::string>{"A", "B"};
  o.ridge = 1e-10;
  o.steps = steps;
  o.min_control_cells = 8;
  return o;
}

} // namespace

GC_TEST(propagation_follows_a_three_gene_cascade) {
  const auto d = cascade(0.5, -0.75);
  Propagation p(chain_options(3));
  p.fit(d, {}, {});
  GC_CHECK_EQ(p.fitted_on(0), std::string("control cells"));
  double ab = 0, ac = 0, bc = 0;
  for (const auto& [r, w] : p.network(0)[1])
    if (r == 0) ab = w;
  for (const auto& [r, w] : p.network(0)[2])
    (r == 0 ? ac : bc) = w;
  GC_CHECK_NEAR(ab, 0.5, 1e-8);
  GC_CHECK_NEAR(bc, -0.75, 1e-8);
  GC_CHECK_NEAR(ac, 0.0, 1e-8);
  // Knockout of A: −5 on A, then −2.5 on B, then +1.875 on C (two steps to reach C).
  const auto ko = p.predict(parse_label("A"), 0);
  GC_CHECK_NEAR(ko[0], -5.0, 1e-7);
  GC_CHECK_NEAR(ko[1], -2.5, 1e-7);
  GC_CHECK_NEAR(ko[2], 1.875, 1e-7);
  Propagation one(chain_options(1));
  one.fit(d, {}, {});
  const auto ko1 = one.predict(parse_label("A"), 0);
  GC_CHECK_NEAR(ko1[1], -2.5, 1e-7);
  GC_CHECK_NEAR(ko1[2], 0.0, 1e-7);
  // Knockdown of A by 0.4: −2, −1, +0.75.
  const auto kd = p.predict(parse_label("A:kd0.4"), 0);
  GC_CHECK_NEAR(kd[0], -2.0, 1e-7);
  GC_CHECK_NEAR(kd[1], -1.0, 1e-7);
  GC_CHECK_NEAR(kd[2], 0.75, 1e-7);
  // Overexpression of A threefold: +10, +5, then C would fall to 3 − 3.75 < 0: clipped at −3.
  const auto oe = p.predict(parse_label("A:oe3"), 0);
  GC_CHECK_NEAR(oe[0], 10.0, 1e-7);
  GC_CHECK_NEAR(oe[1], 5.0, 1e-7);
  GC_CHECK_NEAR(oe[2], -3.0, 1e-7);
  // Knocking out B: C rises by 0.75 × 4. A moves too: its ridge model regresses it on B
  // (correlation is not direction), with weight cov(A, B) / var(B) = 4 / 10.
  const auto kb = p.predict(parse_label("B"), 0);
  GC_CHECK_NEAR(kb[1], -4.0, 1e-7);
  GC_CHECK_NEAR(kb[2], 3.0, 1e-7);
  GC_CHECK_NEAR(kb[0], -1.6, 1e-7);
}

GC_TEST(propagation_on_log_ratios_uses_the_measured_knockout_floor) {
  Spec s;
  s.scale = Scale::log2_ratio;
  s.genes = {"A", "B", "C", "D"};
  s.control = {{0, 0, 0, 0}};
  s.obs = {{"A", 0, {-2, 0.5, 0.1, 0}}, {"B", 0, {0.3, -3, 0.2, 0.1}}, {"C", 0, {0, 0.4, -4, -0.2}}};
  const auto d = make(s);
  Propagation p;
  p.fit(d, {0, 1, 2}, {});
  GC_CHECK_EQ(p.fitted_on(0), std::string("profiles"));
  GC_CHECK_NEAR(p.predict(parse_label("D"), 0)[3], -3.0, 1e-12); // median of −2, −3, −4
  GC_CHECK_NEAR(p.predict(parse_label("D:kd0.5"), 0)[3], -1.0, 1e-12);
  GC_CHECK_NEAR(p.predict(parse_label("D:oe4"), 0)[3], 2.0, 1e-12);
  Propagation none;
  none.fit(d, {}, {});
  GC_CHECK_THROWS(none.predict(parse_label("D"), 0), gc::InputError);
}

GC_TEST(evaluate_runs_every_baseline_on_the_same_splits) {
  // Every Δ is 0.1: the answers of the no-change and training-mean baselines are known.
  const auto d = split_world();
  EvalOptions o;
  o.seeds = {1, 2};
  const auto report = evaluate(d, baseline_predictors(), o);
  const auto j = report.to_json();
  const auto& splits = j.at("splits");
  GC_REQUIRE(splits.contains("singles") && splits.contains("doubles_seen0") && splits.contains("doubles"));
  GC_CHECK(!splits.at("singles").at("results").contains("additive"));
  GC_CHECK(splits.at("doubles").at("results").contains("additive"));
  for (const char* name : {"no_change", "training_mean", "linear", "propagation"})
    GC_CHECK(splits.at("singles").at("results").contains(name));
  GC_CHECK_EQ(splits.at("singles").at("test_items").at(0).as_int(), std::int64_t{20});
  const auto& nc = splits.at("singles").at("results").at("no_change");
  GC_CHECK(nc.at("pearson_delta").at("mean").is_null());
  GC_CHECK_EQ(nc.at("pearson_delta").at("values").as_int(), std::int64_t{0});
  GC_CHECK_EQ(nc.at("mse_top20").at("items").as_int(), std::int64_t{40});
  GC_CHECK_NEAR(nc.at("mse_top20").at("mean").as_double(), 0.01, 1e-12); // every Δ is 0.1
  // Every Δ is the same, so the training mean is exact.
  const auto& tm = splits.at("singles").at("results").at("training_mean");
  GC_CHECK_NEAR(tm.at("mse_top20").at("mean").as_double(), 0.0, 1e-20);
  GC_CHECK_NEAR(tm.at("l2_top_expressed").at("sd").as_double(), 0.0, 1e-20);
  // Per-kind item counts add up.
  std::int64_t seen_total = 0;
  for (const char* k : {"doubles_seen0", "doubles_seen1", "doubles_seen2"})
    seen_total += splits.at(k).at("test_items").at(0).as_int();
  GC_CHECK_EQ(seen_total, splits.at("doubles").at("test_items").at(0).as_int());
  GC_CHECK(report.table().find("training_mean") != std::string::npos);
}

GC_TEST(log2_fold_change_on_each_scale) {
  // log1p: amounts expm1(x), pseudo-amount 0.01 on both sides.
  GC_CHECK_NEAR(log2_fold_change(Scale::log1p_normalised, std::log1p(3.0), std::log1p(1.0)),
                std::log2(1.01 / 3.01), 1e-12);
  GC_CHECK_NEAR(log2_fold_change(Scale::log1p_normalised, std::log1p(3.0), -0.2), std::log2(0.01 / 3.01),
                1e-12);
  GC_CHECK_NEAR(log2_fold_change(Scale::log2_pseudocount, 2.0, 1.0), std::log2(1.01 / 3.01), 1e-12);
  GC_CHECK_NEAR(log2_fold_change(Scale::log2_ratio, 0.5, -1.5), -2.0, 1e-15);
}

namespace {

// Records the seeds it is made with; predicts the same Δ as the training mean.
struct SeedProbe {
  std::shared_ptr<std::vector<std::uint64_t>> seeds = std::make_shared<std::vector<std::uint64_t>>();
  PredictorSpec spec(bool doubles) const {
    auto record = seeds;
    return {"probe", "training mean, seeds recorded", true, doubles, [record](std::uint64_t seed) {
              record->push_back(seed);
              return std::make_unique<TrainingMean>();
            }};
  }
};

} // namespace

GC_TEST(evaluate_truth_scores_unobserved_interventions_in_log2_fold_changes) {
  // Log ratios: a log2 fold change is the Δ itself, so the scores are those of the Δ's.
  Spec s;
  s.scale = Scale::log2_ratio;
  s.genes = {"A", "B", "C", "D"};
  s.control = {{0, 0, 0, 0}, {0, 0, 0, 0}};
  s.obs = {{"A", 0, {-2, 1, 0, 0.5}}, {"C", 0, {0, 3, -1, -0.5}}, {"A", 1, {-1, 0, 0, 0}}};
  const auto d = make(s);
  TruthTable truth;
  truth.source = "truth.tsv";
  truth.responses[{"A", "group0"}] = {{"A", -2}, {"B", 1}};                        // observed: left out
  truth.responses[{"B", "group0"}] = {{"A", 1}, {"B", -2}, {"C", 0.5}, {"D", -1}}; // a knockout
  truth.responses[{"B:kd0.5", "group1"}] = {{"A", 0.2}, {"B", -1}, {"C", 0.1}, {"D", 0}}; // a knockdown
  truth.responses[{"B+D", "group0"}] = {{"A", 0.5}, {"B", -2}, {"C", 1}, {"D", -3}};      // a double
  truth.responses[{"B", "all"}] = {{"A", 1}};                                             // no such group
  truth.responses[{"Z", "group0"}] = {{"A", 1}};                                          // unmeasured gene
  SeedProbe probe;
  EvalOptions o;
  o.seeds = {4, 7};
  const auto report = evaluate_truth(d, truth, {probe.spec(false), baseline_predictors()[0]}, o);
  GC_CHECK((*probe.seeds == std::vector<std::uint64_t>{4, 7}));
  const auto j = report.to_json();
  const auto& splits = j.at("splits");
  GC_REQUIRE(splits.contains("truth_knockouts") && splits.contains("truth_knockdowns") &&
             splits.contains("truth_double_knockouts"));
  GC_CHECK(!splits.contains("truth_overexpressions"));
  GC_CHECK_EQ(splits.at("truth_knockouts").at("test_items").at(0).as_int(), std::int64_t{1});
  // The probe is a singles-only predictor: not scored on doubles; no_change is.
  GC_CHECK(!splits.at("truth_double_knockouts").at("results").contains("probe"));
  GC_CHECK(splits.at("truth_double_knockouts").at("results").contains("no_change"));
  // Group 0's training mean Δ, (-1, 2, -0.5, 0), against B's truth with B itself perturbed.
  const auto expected = score_response({-1, 2, -0.5, 0}, {1, -2, 0.5, -1}, {1}, {0, 1, 2, 3});
  const auto& ko = splits.at("truth_knockouts").at("results").at("probe");
  for (std::size_t m = 0; m < metric_count; ++m) {
    const auto name = std::string(metric_name(static_cast<Metric>(m)));
    if (std::isnan(expected[m]))
      GC_CHECK(ko.at(name).at("mean").is_null());
    else
      GC_CHECK_NEAR(ko.at(name).at("mean").as_double(), expected[m], 1e-12);
  }
  // Group 1's training mean is A's knockout there.
  const auto kd = score_response({-1, 0, 0, 0}, {0.2, -1, 0.1, 0}, {1}, {0, 1, 2, 3});
  GC_CHECK_NEAR(
      splits.at("truth_knockdowns").at("results").at("probe").at("mse_top20").at("mean").as_double(),
      kd[static_cast<std::size_t>(Metric::mse_top20)], 1e-12);
  GC_CHECK_EQ(j.at("notes").at("truth_pairs_observed").as_int(), std::int64_t{1});
  GC_CHECK_EQ(j.at("notes").at("truth_pairs_other_group").as_int(), std::int64_t{1});
  GC_CHECK_EQ(j.at("notes").at("truth_pairs_unmeasured").as_int(), std::int64_t{1});

  TruthTable seen;
  seen.source = "seen.tsv";
  seen.responses[{"A", "group0"}] = {{"A", -2}};
  GC_CHECK(
      rejects([&] { (void)evaluate_truth(d, seen, baseline_predictors(), o); },
              "seen.tsv: no intervention of the truth table is left to score: 1 (label, group) pairs were "
              "observed"));
}

// The text-table readers exist where gc::util's line reader does (zlib).
#ifdef GC_PERTURB_HAVE_TABLES
namespace {

std::filesystem::path write(const gc::TempDir& dir, const std::string& name, const std::string& text) {
  const auto p = dir.path() / name;
  std::ofstream(p) << text;
  return p;
}

} // namespace

GC_TEST(profile_tables) {
  const gc::TempDir dir("gc-perturb-eval");
  const auto p = write(dir, "profiles.tsv",
                       "gene\tA\tB+C\tWT\tA\tX9\n"
                       "A\t-2\t0.5\t0.1\t-3\t0\n"
                       "B\t1\t-1\t0\t2\t0\n"
                       "C\t0\t-2\t-0.1\t1e-1\t0\n");
  const auto d = read_profile_table(p);
  GC_CHECK_EQ(d.n_genes(), std::size_t{3});
  GC_CHECK_EQ(d.observations.size(), std::size_t{3}); // A (two replicates), B+C, X9
  GC_CHECK_EQ(d.control_samples[0], std::int64_t{1});
  const auto& a = d.observations[0];
  GC_CHECK_EQ(a.intervention.label(), std::string("A"));
  GC_CHECK_EQ(a.samples, std::int64_t{2});
  GC_CHECK_NEAR(a.delta[0], -2.5, 1e-12);
  GC_CHECK_NEAR(a.delta[1], 1.5, 1e-12);
  GC_CHECK_NEAR(a.delta[2], 0.05, 1e-12);
  GC_CHECK_EQ(d.observations[1].intervention.label(), std::string("B+C"));
  GC_CHECK_EQ(d.notes.at("perturbed_genes_not_measured").as_int(), std::int64_t{1});
  GC_CHECK(rejects([&] { (void)read_profile_table(write(dir, "bad.tsv", "gene\tA\nA\t-1\nB\tx\n")); },
                   "bad.tsv: line 3: value 'x' of profile 'A' (gene B) is not a number"));
  GC_CHECK(rejects([&] { (void)read_profile_table(write(dir, "short.tsv", "gene\tA\tB\nA\t-1\n")); },
                   "short.tsv: line 2: expected a gene name and 2 values"));
  GC_CHECK(rejects([&] { (void)read_profile_table(write(dir, "none.tsv", "gene\tQ\tR\nA\t-1\t1\n")); },
                   "none of the 2 perturbed genes is a gene of the table"));
  GC_CHECK(rejects([&] { (void)read_profile_table(write(dir, "wt.tsv", "gene\tWT\nA\t-1\n")); },
                   "only wild-type columns"));
  std::filesystem::create_directory(dir.path() / "dream");
  write(dir, "dream/x_knockouts.tsv", "\"G1\"\n0\n");
  GC_CHECK(rejects([&] { (void)read_dream4(dir.path() / "dream"); }, "needs *_wildtype.tsv"));
  write(dir, "dream/x_wildtype.tsv", "\"G1\"\t\"G2\"\n0.5\t0.2\n");
  GC_CHECK(rejects([&] { (void)read_dream4(dir.path() / "dream"); }, "header differs from the wild type's"));
  write(dir, "dream/x_knockouts.tsv", "\"G1\"\t\"G2\"\n0\t0.1\n0.4\tNaN\n");
  GC_CHECK(rejects([&] { (void)read_dream4(dir.path() / "dream"); }, "x_knockouts.tsv: line 3: value 2"));
  write(dir, "dream/x_knockouts.tsv", "\"G1\"\t\"G2\"\n0\t0.1\n0.4\t0\n");
  const auto dream = read_dream4(dir.path() / "dream");
  GC_CHECK_EQ(dream.observations.size(), std::size_t{2});
  GC_CHECK_NEAR(dream.observations[1].delta[1], std::log2(1.0) - std::log2(1.2), 1e-12);
  GC_CHECK(rejects([&] { (void)read_gene_list(write(dir, "empty.txt", "# nothing\n\n")); }, "no gene names"));
  GC_CHECK((read_gene_list(write(dir, "tfs.txt", "# TFs\nA\nB extra\nA\n")) ==
            std::vector<std::string>{"A", "B"}));
}

GC_TEST(truth_tables) {
  const gc::TempDir dir("gc-perturb-truth");
  const auto t = read_truth_table(write(dir, "truth.tsv",
                                        "gene\tperturbation\texpected_log2fc\tcell_type\textra\n"
                                        "G1\tTF07+TF03\t-1.5\tall\tx\n"
                                        "G2\tTF07+TF03\t2e-1\tall\tx\n"
                                        "G1\tTF05:oe3\t0.5\ttypeA\tx\n"));
  const auto* d = t.find("TF03+TF07", "all"); // labels in canonical form
  GC_REQUIRE(d != nullptr);
  GC_CHECK_NEAR(d->at("G1"), -1.5, 1e-15);
  GC_CHECK_NEAR(d->at("G2"), 0.2, 1e-15);
  GC_CHECK(t.find("TF05:oe3", "typeA") != nullptr);
  GC_CHECK(t.find("TF05:oe3", "all") == nullptr);
  GC_CHECK(
      rejects([&] { (void)read_truth_table(write(dir, "nocol.tsv", "perturbation\tgene\tcell_type\n")); },
              "nocol.tsv: line 1: the header has no column 'expected_log2fc'"));
  GC_CHECK(rejects(
      [&] {
        (void)read_truth_table(
            write(dir, "nan.tsv", "perturbation\tcell_type\tgene\texpected_log2fc\nA\tall\tB\tNaN\n"));
      },
      "nan.tsv: line 2: expected_log2fc 'NaN' is not a finite number"));
  GC_CHECK(rejects(
      [&] {
        (void)read_truth_table(
            write(dir, "short.tsv", "perturbation\tcell_type\tgene\texpected_log2fc\nA\tall\n"));
      },
      "short.tsv: line 2: expected 4 tab-separated fields, found 2"));
  GC_CHECK(rejects(
      [&] {
        (void)read_truth_table(
            write(dir, "label.tsv", "perturbation\tcell_type\tgene\texpected_log2fc\nA:kd7\tall\tB\t1\n"));
      },
      "label.tsv: line 2: perturbation 'A:kd7'"));
}

#endif

GC_TEST_MAIN()
