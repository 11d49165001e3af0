// Unit tests of the GRN inference baselines and DREAM scoring on small hand-built cases whose
// answer is known: GENIE3 forests (true regulator first, importances summing to 1, exact
// importances when only one feature can split, same result for any thread count and for both
// node layouts), PIDC (Bayesian blocks, a copied gene, symmetric PUC, the gene limit), GRNBoost2
// when built with XGBoost, the infer() front-end's checks, and DREAM AUPR/AUROC computed by hand.
#include "gc/grn/dream.h"
#include "gc/grn/eval.h"
#include "gc/grn/genie3.h"
#include "gc/grn/grnboost2.h"
#include "gc/grn/infer.h"
#include "gc/grn/pidc.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>

using namespace gc::grn;

namespace {

// genes × samples values, row g = gene g.
GeneColumns columns(const std::vector<std::string>& names, const std::vector<std::vector<float>>& genes) {
  GeneColumns d;
  d.genes = names;
  d.samples = static_cast<std::int64_t>(genes.front().size());
  for (const auto& g : genes)
    d.values.insert(d.values.end(), g.begin(), g.end());
  for (std::size_t g = 0; g < names.size(); ++g)
    d.regulators.push_back(static_cast<std::int32_t>(g));
  return d;
}

gc::expr::ExpressionMatrix matrix(const std::vector<std::string>& names,
                                  const std::vector<std::vector<float>>& genes) {
  const auto cells = static_cast<std::int64_t>(genes.front().size());
  const auto n = static_cast<std::int64_t>(genes.size());
  std::vector<float> values(static_cast<std::size_t>(cells * n));
  for (std::int64_t c = 0; c < cells; ++c)
    for (std::int64_t g = 0; g < n; ++g)
      values[static_cast<std::size_t>(c * n + g)] =
          genes[static_cast<std::size_t>(g)][static_cast<std::size_t>(c)];
  gc::expr::ExpressionMatrix m;
  m.x = gc::expr::Matrix::dense(cells, n, values);
  m.var.index = names;
  for (std::int64_t c = 0; c < cells; ++c)
    m.obs.index.push_back("cell" + std::to_string(c));
  return m;
}

std::vector<float> noise(gc::Rng& rng, int n) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (auto& x : v)
    x = static_cast<float>(rng.normal());
  return v;
}

// A: random; B = A² exactly (non-monotone: correlation misses it); C, D: random.
struct Planted {
  std::vector<std::string> names{"A", "B", "C", "D"};
  std::vector<std::vector<float>> genes;
  explicit Planted(int n = 300) {
    gc::Rng rng(7);
    const auto a = noise(rng, n);
    std::vector<float> b(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      b[i] = a[i] * a[i];
    genes = {a, b, noise(rng, n), noise(rng, n)};
  }
};

std::map<std::pair<std::string, std::string>, double> by_pair(const std::vector<ScoredEdge>& edges) {
  std::map<std::pair<std::string, std::string>, double> out;
  for (const auto& e : edges)
    out[{e.regulator, e.target}] = e.weight;
  return out;
}

// The strongest regulator of `target`.
std::string top_regulator(const std::vector<ScoredEdge>& edges, const std::string& target) {
  for (const auto& e : edges) // sorted by decreasing weight
    if (e.target == target) return e.regulator;
  return {};
}

// Records the last fraction; cancels `token` at the first report when asked to.
class Recorder : public gc::ProgressListener {
public:
  Recorder(gc::CancelToken token, bool cancel) : m_token(std::move(token)), m_cancel(cancel) {}
  void on_progress(double fraction, const std::string&) override {
    const std::lock_guard lock(m_mutex);
    last = std::max(last, fraction);
    ++reports;
    if (m_cancel) m_token.cancel();
  }
  double last = 0.0;
  int reports = 0;

private:
  gc::CancelToken m_token;
  bool m_cancel;
  std::mutex m_mutex;
};

} // namespace

class TestGrnBaselines : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void genie3_ranks_the_true_regulator_first() {
    const Planted p;
    const auto data = columns(p.names, p.genes);
    Genie3Options o;
    o.forest.trees = 100;
    o.threads = 1;
    const auto edges = genie3(data, o);
    QCOMPARE(top_regulator(edges, "B"), std::string("A"));
    const auto w = by_pair(edges);
    // B is a function of A alone: A carries most of the variance reduction. (sklearn's
    // RandomForestRegressor on the same kind of data gives 0.67, 0.17, 0.16.)
    QVERIFY(w.at({"A", "B"}) > 0.6);
    QVERIFY(w.at({"C", "B"}) < 0.25 && w.at({"D", "B"}) < 0.25);
    // Each target's importances sum to 1 (sklearn's normalisation), self edges never appear.
    std::map<std::string, double> sums;
    for (const auto& e : edges) {
      QVERIFY(e.regulator != e.target);
      QVERIFY(e.weight > 0.0);
      sums[e.target] += e.weight;
    }
    QCOMPARE(sums.size(), std::size_t{4});
    for (const auto& [target, sum] : sums)
      QVERIFY2(std::abs(sum - 1.0) < 1e-9, target.c_str());
  }

  void genie3_is_the_same_for_any_thread_count_and_layout() {
    const Planted p(200);
    const auto data = columns(p.names, p.genes);
    Genie3Options o;
    o.forest.trees = 30;
    o.seed = 11;
    o.threads = 1;
    const auto one = genie3(data, o);
    o.threads = 3;
    const auto three = genie3(data, o);
    QCOMPARE(one.size(), three.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
      QCOMPARE(one[i].regulator, three[i].regulator);
      QCOMPARE(one[i].target, three[i].target);
      QCOMPARE(one[i].weight, three[i].weight); // bit-identical
    }
    o.seed = 12;
    const auto other_seed = genie3(data, o);
    QVERIFY(by_pair(other_seed) != by_pair(one));

    // Both node layouts grow trees of the same law: both find A -> B.
    for (const auto layout : {ForestLayout::presorted, ForestLayout::per_node}) {
      o.forest.layout = layout;
      const auto edges = genie3(data, o);
      QCOMPARE(top_regulator(edges, "B"), std::string("A"));
      QVERIFY(by_pair(edges).at({"A", "B"}) > 0.5);
    }
  }

  void genie3_and_pidc_report_progress_and_cancel() {
    const Planted p(100);
    const auto data = columns(p.names, p.genes);
    Genie3Options o;
    o.forest.trees = 5;
    o.threads = 2;
    {
      const gc::CancelToken token;
      const auto recorder = std::make_shared<Recorder>(token, false);
      (void)genie3(data, o, gc::Progress(recorder, token));
      QCOMPARE(recorder->last, 1.0);
      QVERIFY(recorder->reports >= 1);
    }
    {
      const gc::CancelToken token;
      const auto recorder = std::make_shared<Recorder>(token, true);
      QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)genie3(data, o, gc::Progress(recorder, token)));
    }
    {
      const gc::CancelToken token;
      token.cancel();
      QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)pidc(data, {}, gc::Progress(nullptr, token)));
    }
  }

  void forest_importance_is_exact_when_one_feature_can_split() {
    // The second feature is constant, so every split is on the first: importances (1, 0).
    gc::Rng rng(3);
    const auto x = noise(rng, 50);
    const std::vector<float> constant(50, 2.5F);
    std::vector<float> y(50);
    for (std::size_t i = 0; i < y.size(); ++i)
      y[i] = 3.0F * x[i] + 1.0F;
    ForestOptions o;
    o.trees = 10;
    o.max_features = 1;
    const auto imp = forest_importances({x.data(), constant.data()}, y.data(), 50, o, 5);
    QCOMPARE(imp.size(), std::size_t{2});
    QCOMPARE(imp[0], 1.0);
    QCOMPARE(imp[1], 0.0);
    // A constant target gives trees that never split: all importances 0.
    const std::vector<float> flat(50, 1.0F);
    const auto none = forest_importances({x.data(), constant.data()}, flat.data(), 50, o, 5);
    QCOMPARE(none[0], 0.0);
    QCOMPARE(none[1], 0.0);
  }

  void infer_checks_its_input_and_restricts_regulators() {
    const Planted p(60);
    auto m = matrix(p.names, p.genes);
    InferOptions o;
    o.method = Method::pearson;
    o.regulators = std::vector<std::string>{"A", "Z"}; // Z is not a gene: ignored
    const auto edges = infer(m, o);
    QCOMPARE(edges.size(), std::size_t{3}); // A -> B, C, D
    for (const auto& e : edges)
      QCOMPARE(e.regulator, std::string("A"));
    for (std::size_t i = 1; i < edges.size(); ++i)
      QVERIFY(edges[i - 1].weight >= edges[i].weight);

    o.method = Method::genie3;
    o.trees = 20;
    o.threads = 2;
    const auto forest = infer(m, o);
    QCOMPARE(forest.front().regulator, std::string("A"));
    QCOMPARE(forest.front().target, std::string("B"));

    o.regulators = std::vector<std::string>{"Z"};
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)infer(m, o));

    // A NaN names its gene and sample.
    auto genes = p.genes;
    genes[2][5] = std::nanf("");
    const auto bad = matrix(p.names, genes);
    o.regulators.reset();
    try {
      (void)infer(bad, o);
      QFAIL("NaN accepted");
    } catch (const gc::InputError& e) {
      const std::string what = e.what();
      QVERIFY2(what.find("'C'") != std::string::npos && what.find("cell5") != std::string::npos, e.what());
    }
    const auto one_cell = matrix({"A", "B"}, {{1.0F}, {2.0F}});
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)infer(one_cell, o));
    const auto one_gene = matrix({"A"}, {{1.0F, 2.0F, 3.0F}});
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)infer(one_gene, o));

    QCOMPARE(parse_method("pidc"), Method::pidc);
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)parse_method("aracne"));
    for (const auto method : all_methods())
      QCOMPARE(parse_method(method_name(method)), method);
  }

  void bayesian_blocks_split_separated_clusters() {
    // Two tight clusters far apart. The gap has to lie inside some block (edges sit halfway
    // between neighbouring values); the cheapest is one holding just the clusters' facing ends
    // (0.099 and 10.0), so the rest of each cluster keeps a block of its own.
    std::vector<float> v;
    for (int i = 0; i < 100; ++i)
      v.push_back(0.001F * static_cast<float>(i));
    for (int i = 0; i < 100; ++i)
      v.push_back(10.0F + 0.001F * static_cast<float>(i));
    const auto d = bayesian_blocks(v.data(), static_cast<std::int64_t>(v.size()));
    QCOMPARE(d.count, 3);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const int expected = i < 99 ? 0 : i < 101 ? 1 : 2;
      QCOMPARE(d.bins[i], expected);
    }
    const std::vector<float> constant(20, 1.0F);
    const auto c = bayesian_blocks(constant.data(), 20);
    QCOMPARE(c.count, 1);
  }

  void pidc_finds_a_copied_gene() {
    // B copies A through a monotone map; C and D are independent: A-B is the top pair.
    gc::Rng rng(21);
    const auto a = noise(rng, 400);
    std::vector<float> b(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      b[i] = std::exp(a[i]);
    const auto data =
        columns({"A", "B", "C", "D", "E"}, {a, b, noise(rng, 400), noise(rng, 400), noise(rng, 400)});
    PidcOptions o;
    o.threads = 2;
    const auto edges = pidc(data, o);
    QCOMPARE(edges.size(), std::size_t{20}); // both directions of the 10 pairs
    const auto w = by_pair(edges);
    for (const auto& [pair, weight] : w)
      QCOMPARE(weight, w.at({pair.second, pair.first})); // undirected
    QVERIFY((edges[0].regulator == "A" && edges[0].target == "B") ||
            (edges[0].regulator == "B" && edges[0].target == "A"));
    QVERIFY(w.at({"A", "B"}) > w.at({"C", "D"}));

    // PUC itself: symmetric, zero diagonal, and the copied pair above every other.
    std::vector<Discretised> discrete;
    for (std::int64_t g = 0; g < data.n_genes(); ++g)
      discrete.push_back(bayesian_blocks(data.column(g), data.samples));
    const auto puc = puc_scores(discrete, 1);
    for (std::size_t i = 0; i < 5; ++i) {
      QCOMPARE(puc[i * 5 + i], 0.0);
      for (std::size_t j = 0; j < 5; ++j)
        QVERIFY(std::abs(puc[i * 5 + j] - puc[j * 5 + i]) < 1e-12);
    }

    GeneColumns big;
    big.samples = 2;
    for (std::int64_t g = 0; g <= max_pidc_genes; ++g)
      big.genes.push_back("g" + std::to_string(g));
    big.values.assign(big.genes.size() * 2, 0.0F);
    big.regulators = {0};
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)pidc(big, o));
  }

  void grnboost2_ranks_the_true_regulator_first() {
    if (!grnboost2_available()) {
      const Planted p(50);
      QVERIFY_THROWS_EXCEPTION(gc::Error, (void)grnboost2(columns(p.names, p.genes), {}));
      QSKIP("built without XGBoost");
    }
    const Planted p(300);
    const auto data = columns(p.names, p.genes);
    Grnboost2Options o;
    o.threads = 2;
    o.max_rounds = 600;
    const auto edges = grnboost2(data, o);
    QCOMPARE(top_regulator(edges, "B"), std::string("A"));
    for (const auto& e : edges)
      QVERIFY(e.weight > 0.0 && e.regulator != e.target);
    o.threads = 1;
    const auto again = grnboost2(data, o);
    QCOMPARE(by_pair(again), by_pair(edges));
  }

  void dream_scores_a_complete_ranking() {
    // 3 genes, 6 candidates, true: A->B and B->C. Ranking: T F T F F F.
    const auto gold = dream_gold_standard({{"A", "B"}, {"B", "C"}, {"C", "C"}}, {"A", "B", "C"});
    QCOMPARE(gold.edges.size(), std::size_t{6});
    const std::vector<ScoredEdge> ranked{{"A", "B", 6}, {"A", "C", 5}, {"B", "C", 4},
                                         {"B", "A", 3}, {"C", "A", 2}, {"C", "B", 1}};
    const auto s = dream_score(ranked, gold, true);
    // AUPR: 1/P at rank 1, then (1 - FP·ln(k/(k-1)))/P at rank 3 with FP = 1.
    const double aupr = 0.5 + (1.0 - std::log(1.5)) / 2.0;
    QVERIFY(std::abs(s.aupr - aupr) < 1e-12);
    // AUROC: positives at ranks 1 and 3 beat 4 and 3 of the 4 negatives.
    QVERIFY(std::abs(s.auroc - 7.0 / 8.0) < 1e-12);
    QCOMPARE(s.predictions, std::int64_t{6});
    QCOMPARE(s.true_positives, std::int64_t{2});
    QCOMPARE(s.precision.size(), std::size_t{6});
    QCOMPARE(s.precision[2], 2.0 / 3.0);
    QCOMPARE(s.recall[2], 1.0);

    // A complete ranking without ties: the same AUROC as BEELINE's evaluate().
    std::vector<std::pair<std::string, std::string>> truth;
    for (std::size_t i = 0; i < gold.edges.size(); ++i)
      if (gold.labels[i] != 0) truth.push_back(gold.edges[i]);
    const auto m = evaluate(ranked, truth, {"A", "B", "C"});
    QVERIFY(std::abs(m.auroc - s.auroc) < 1e-12);
  }

  void dream_scores_a_partial_list_as_the_organisers_script() {
    const auto gold = dream_gold_standard({{"A", "B"}, {"B", "C"}}, {"A", "B", "C"});
    // L = 2 of T = 6: T, F; the other 4 (1 positive) follow at random, rho = 1/4.
    const auto s = dream_score({{"A", "B", 1}, {"A", "C", 0.5}}, gold, true);
    // 1/2 + rho(1 - recL) + rho(recL - L·rho/P)·ln((L·rho + P(1 - recL)) / (L·rho))
    const double aupr = 0.5 + 0.25 * 0.5 + 0.25 * (0.5 - 2 * 0.25 / 2) * std::log((0.5 + 1.0) / 0.5);
    QVERIFY(std::abs(s.aupr - aupr) < 1e-12);
    // The tail's positive beats 1.5 of its 3 negatives on average: (4 + 1.5) / 8.
    QVERIFY(std::abs(s.auroc - 5.5 / 8.0) < 1e-12);
    QCOMPARE(s.precision.size(), std::size_t{3}); // 2 ranks + 1 remaining positive
    QCOMPARE(s.recall.back(), 1.0);
    QVERIFY(std::abs(s.fpr.back() - 1.0) < 1e-12);
    // An empty list is the random predictor.
    const auto empty = dream_score({}, gold);
    QVERIFY(std::abs(empty.aupr - 2.0 / 6.0) < 1e-12);
    QVERIFY(std::abs(empty.auroc - 0.5) < 1e-12);
    // A repeated edge keeps its first rank; an edge outside the candidates is an error.
    const auto repeated = dream_score({{"A", "B", 1}, {"A", "C", 0.5}, {"A", "B", 0.1}}, gold);
    QCOMPARE(repeated.predictions, std::int64_t{2});
    QCOMPARE(repeated.aupr, s.aupr);
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)dream_score({{"A", "A", 1}}, gold));
  }

  void dream_agrees_with_evaluate_on_random_rankings() {
    gc::Rng rng(5);
    std::vector<std::string> genes;
    for (int g = 0; g < 12; ++g)
      genes.push_back("G" + std::to_string(g));
    std::vector<std::pair<std::string, std::string>> truth;
    std::vector<ScoredEdge> ranked;
    for (const auto& a : genes)
      for (const auto& b : genes) {
        if (a == b) continue;
        if (rng.bernoulli(0.15)) truth.emplace_back(a, b);
        ranked.push_back({a, b, rng.uniform()});
      }
    sort_edges(ranked);
    const auto s = dream_score(ranked, dream_gold_standard(truth, genes));
    const auto m = evaluate(ranked, truth, genes);
    QVERIFY(std::abs(s.auroc - m.auroc) < 1e-12);
    // The two AUPR definitions differ (interpolated vs trapezoids) but not by much.
    QVERIFY(std::abs(s.aupr - m.auprc) < 0.05);
  }

  void dream_gold_standard_file() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("gold.tsv").toStdString();
    {
      std::ofstream f(path);
      f << "G1\tG2\t1\nG2\tG1\t0\nG1\tG3\t0\nG3\tG1\t1\nG2\tG3\t0\nG3\tG2\t0\n";
    }
    const auto gold = read_dream_gold_standard(path);
    QCOMPARE(gold.edges.size(), std::size_t{6});
    QCOMPARE(std::accumulate(gold.labels.begin(), gold.labels.end(), 0), 2);
    QCOMPARE(gold.edges[3], (std::pair<std::string, std::string>{"G3", "G1"}));
    {
      std::ofstream f(path);
      f << "G1\tG2\t1\nG2\tG1\t2\n";
    }
    try {
      (void)read_dream_gold_standard(path);
      QFAIL("label 2 accepted");
    } catch (const gc::InputError& e) {
      QVERIFY2(std::string(e.what()).find("2") != std::string::npos, e.what());
    }
  }
};

GC_QTEST_GUILESS_MAIN(TestGrnBaselines)
#include "test_grn_baselines.moc"
