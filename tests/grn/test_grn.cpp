// Unit tests of gc::grn: BEELINE metrics on hand-computed examples (ties, perfect and reversed
// rankings, random level, undirected mode, TF restriction), the correlation baselines, and the
// |Pearson| baseline on a BEELINE synthetic data set.
#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/grn/baselines.h"
#include "gc/grn/eval.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace gc::grn;
namespace fs = std::filesystem;

namespace {

using Truth = std::vector<std::pair<std::string, std::string>>;

const std::vector<std::string> abcd{"A", "B", "C", "D"};
// True edges of the 4-gene example; D->D is a self loop, excluded by default.
const Truth abcd_truth{{"A", "B"}, {"B", "C"}, {"C", "D"}, {"D", "D"}};

// The 4-gene example, 12 directed non-self candidates, 3 true (density 1/4):
//   A->B 0.9 (T), A->C 0.8 (F), B->C 0.6 (T), D->A -0.6 (F, |w| ties with B->C),
//   C->D 0.2 (T); the other 7 candidates are unscored (0, F). X->A (X not a gene) and the self
//   edge A->A are not candidates and are ignored.
// Cumulative (TP, FP) per distinct |w|: 0.9 (1,0), 0.8 (1,1), 0.6 (2,2), 0.2 (3,2), 0 (3,9).
// ROC (FP/9, TP/3): (0,0) (0,1/3) (1/9,1/3) (2/9,2/3) (2/9,1) (1,1); trapezoids
//   0 + 1/9·1/3 + 1/9·(1/3+2/3)/2 + 0 + 7/9·1 = 2/54 + 3/54 + 42/54 = 47/54.
//   Mann–Whitney: positives 0.9, 0.6, 0.2 beat 9, 7 + ½ (the tie), 7 of the 9 negatives:
//   23.5/27 = 47/54.
// PR (TP/3, TP/(TP+FP)): (0,1) (1/3,1) (1/3,1/2) (2/3,1/2) (1,3/5) (1,1/4); trapezoids
//   1/3·1 + 0 + 1/3·1/2 + 1/3·(1/2+3/5)/2 + 0 = 20/60 + 10/60 + 11/60 = 41/60
//   (average precision would be 1/3·(1 + 1/2 + 3/5) = 0.7).
// Early precision, k = 3: the 3rd |w| is 0.6, so the tie D->A is included: 2 of 4 = 1/2,
//   EPR = (1/2)/(1/4) = 2. Precision at 1 = 1, at 2 = 1/2, at 10 (5 predicted) = 3/5.
const std::vector<ScoredEdge> abcd_ranked{{"X", "A", 5.0}, {"A", "A", 3.0},  {"A", "B", 0.9}, {"A", "C", 0.8},
                                          {"B", "C", 0.6}, {"D", "A", -0.6}, {"C", "D", 0.2}};

std::vector<std::string> names(std::initializer_list<const char*> list) { return {list.begin(), list.end()}; }

} // namespace

class TestGrn : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void hand_computed_example() {
    EvalOptions o;
    o.k = {1, 2, 10};
    const auto m = evaluate(abcd_ranked, abcd_truth, abcd, o);
    QCOMPARE(m.candidate_edges, std::int64_t{12});
    QCOMPARE(m.true_edges, std::int64_t{3});
    QCOMPARE(m.predicted_edges, std::int64_t{5});
    QCOMPARE(m.truth_outside, std::int64_t{1});
    QCOMPARE(m.density, 0.25);
    QVERIFY(std::abs(m.auroc - 47.0 / 54.0) < 1e-15);
    QVERIFY(std::abs(m.auprc - 41.0 / 60.0) < 1e-15);
    QVERIFY(std::abs(m.auprc_ratio - 41.0 / 15.0) < 1e-14);
    QCOMPARE(m.early_precision, 0.5);
    QCOMPARE(m.epr, 2.0);
    QCOMPARE(m.precision_at_k.at(1), 1.0);
    QCOMPARE(m.precision_at_k.at(2), 0.5);
    QCOMPARE(m.precision_at_k.at(10), 0.6);

    // The curves themselves, point by point.
    const auto c = label_candidates(abcd_ranked, abcd_truth, abcd, o);
    QCOMPARE(c.scores.size(), std::size_t{12});
    const auto roc = roc_curve(c.scores, c.labels);
    const std::vector<CurvePoint> roc_expected{
        {0, 0}, {0, 1.0 / 3}, {1.0 / 9, 1.0 / 3}, {2.0 / 9, 2.0 / 3}, {2.0 / 9, 1}, {1, 1}};
    QCOMPARE(roc.size(), roc_expected.size());
    for (std::size_t i = 0; i < roc.size(); ++i) {
      QVERIFY(std::abs(roc[i].x - roc_expected[i].x) < 1e-15);
      QVERIFY(std::abs(roc[i].y - roc_expected[i].y) < 1e-15);
    }
    const auto pr = pr_curve(c.scores, c.labels);
    const std::vector<CurvePoint> pr_expected{{0, 1},         {1.0 / 3, 1}, {1.0 / 3, 0.5},
                                              {2.0 / 3, 0.5}, {1, 0.6},     {1, 0.25}};
    QCOMPARE(pr.size(), pr_expected.size());
    for (std::size_t i = 0; i < pr.size(); ++i) {
      QVERIFY(std::abs(pr[i].x - pr_expected[i].x) < 1e-15);
      QVERIFY(std::abs(pr[i].y - pr_expected[i].y) < 1e-15);
    }
    QVERIFY(std::abs(auroc_mann_whitney(c.scores, c.labels) - 47.0 / 54.0) < 1e-15);
    QCOMPARE(auroc(c.scores, c.labels), m.auroc);
    QCOMPARE(auprc(c.scores, c.labels), m.auprc);
  }

  void perfect_and_reversed() {
    // Perfect: the true edges alone are scored.
    const std::vector<ScoredEdge> perfect{{"A", "B", 3}, {"B", "C", 2}, {"C", "D", 1}};
    const auto p = evaluate(perfect, abcd_truth, abcd);
    QCOMPARE(p.auroc, 1.0);
    QCOMPARE(p.auprc, 1.0);
    QCOMPARE(p.auprc_ratio, 4.0);
    QCOMPARE(p.early_precision, 1.0);
    QCOMPARE(p.epr, 1.0 / p.density);
    QCOMPARE(p.epr, 4.0);

    // Reversed: all 9 false candidates ranked, the true ones unscored (last, tied at 0).
    // ROC runs along FPR to (1,0), then up: area 0. PR: (0,1), (0,0) for each false threshold,
    // then (1,1/4): the trapezoid gives 1·(0 + 1/4)/2 = 1/8.
    std::vector<ScoredEdge> reversed;
    double w = 9;
    for (const auto& a : abcd)
      for (const auto& b : abcd)
        if (a != b && !(a == "A" && b == "B") && !(a == "B" && b == "C") && !(a == "C" && b == "D"))
          reversed.push_back({a, b, w--});
    QCOMPARE(reversed.size(), std::size_t{9});
    const auto r = evaluate(reversed, abcd_truth, abcd);
    QCOMPARE(r.auroc, 0.0);
    QCOMPARE(r.auprc, 0.125);
    QCOMPARE(r.early_precision, 0.0);
    QCOMPARE(r.epr, 0.0);
  }

  void ties_and_random_level() {
    // Every candidate at one weight: a single threshold. ROC (0,0)-(1,1): 1/2. PR (0,1)-(1,1/4):
    // (1 + 1/4)/2 = 5/8. Early precision takes the whole tie: 3/12 = density, EPR 1.
    std::vector<ScoredEdge> flat;
    for (const auto& a : abcd)
      for (const auto& b : abcd)
        if (a != b) flat.push_back({a, b, 0.7});
    const auto f = evaluate(flat, abcd_truth, abcd);
    QCOMPARE(f.auroc, 0.5);
    QCOMPARE(f.auprc, 0.625);
    QCOMPARE(f.early_precision, 0.25);
    QCOMPARE(f.epr, 1.0);

    // No prediction at all: the same areas (everything tied at 0), nothing selected for EP.
    const auto none = evaluate({}, abcd_truth, abcd);
    QCOMPARE(none.auroc, 0.5);
    QCOMPARE(none.auprc, 0.625);
    QCOMPARE(none.early_precision, 0.0);

    // Weights equal after BEELINE's rounding to 6 decimals tie for the early-precision cut:
    // k = 3, the 3rd weight 0.5 ties with 0.5000000001, so 4 edges (2 true) are taken.
    const std::vector<ScoredEdge> near{
        {"A", "B", 0.9}, {"A", "C", 0.8}, {"B", "C", 0.5}, {"D", "A", 0.5000000001}};
    QCOMPARE(evaluate(near, abcd_truth, abcd).early_precision, 0.5);
    EvalOptions exact;
    exact.early_precision_decimals = -1;
    // Unrounded, D->A ranks 3rd and the cut 0.5000000001 leaves B->C out: 1 of 3.
    QCOMPARE(evaluate(near, abcd_truth, abcd, exact).early_precision, 1.0 / 3.0);
  }

  void mann_whitney_agrees_with_trapezoid() {
    // Pseudo-random scores on a coarse grid (many ties) and labels.
    std::uint64_t state = 12345;
    const auto next = [&] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(state >> 33) / static_cast<double>(1ULL << 31);
    };
    std::vector<double> scores;
    std::vector<std::uint8_t> labels;
    for (int i = 0; i < 2000; ++i) {
      const bool positive = next() < 0.2;
      labels.push_back(positive ? 1 : 0);
      scores.push_back(std::round((next() + (positive ? 0.3 : 0.0)) * 10.0) / 10.0);
    }
    const double a = auroc(scores, labels);
    const double u = auroc_mann_whitney(scores, labels);
    QVERIFY(a > 0.6 && a < 0.95);
    QVERIFY2(std::abs(a - u) < 1e-12,
             qPrintable(QString("trapezoid %1, Mann-Whitney %2").arg(a, 0, 'g', 17).arg(u, 0, 'g', 17)));
    // No positives: undefined.
    QVERIFY(std::isnan(auroc({1, 2}, {0, 0})));
    QVERIFY(std::isnan(auprc({1, 2}, {0, 0})));
    QVERIFY(std::isnan(auroc_mann_whitney({1, 2}, {1, 1})));
  }

  void undirected_mode() {
    // Genes A, B, C: 3 unordered candidates; truth {A,B} (listed both ways) and {B,C}: density
    // 2/3. {A,B} takes the larger |w| of B->A 0.9 and A->B 0.1; {A,C} 0.5 (F); {B,C} unscored.
    // ROC (P=2, N=1): (0,0) (0,1/2) (1,1/2) (1,1): 1/2. PR: (0,1) (1/2,1) (1/2,1/2) (1,2/3):
    // 1/2 + 1/2·(1/2 + 2/3)/2 = 19/24. EP, k = 2: {A,B}, {A,C}: 1/2; EPR 3/4.
    const Truth truth{{"A", "B"}, {"B", "A"}, {"B", "C"}};
    const std::vector<ScoredEdge> ranked{{"B", "A", 0.9}, {"A", "B", 0.1}, {"C", "A", 0.5}};
    EvalOptions o;
    o.directed = false;
    const auto m = evaluate(ranked, truth, names({"A", "B", "C"}), o);
    QCOMPARE(m.candidate_edges, std::int64_t{3});
    QCOMPARE(m.true_edges, std::int64_t{2});
    QCOMPARE(m.predicted_edges, std::int64_t{2});
    QCOMPARE(m.auroc, 0.5);
    QVERIFY(std::abs(m.auprc - 19.0 / 24.0) < 1e-15);
    QCOMPARE(m.early_precision, 0.5);
    QVERIFY(std::abs(m.epr - 0.75) < 1e-15);
    // The same input directed: 6 candidates, 3 true; A->B keeps its first weight... which is
    // listed second, so B->A 0.9 (T), C->A 0.5 (F), A->B 0.1 (T), B->C 0 (T), 2 more F at 0.
    const auto d = evaluate(ranked, truth, names({"A", "B", "C"}));
    QCOMPARE(d.candidate_edges, std::int64_t{6});
    QCOMPARE(d.true_edges, std::int64_t{3});
    // Mann–Whitney: 0.9 beats 3, 0.1 beats 2, 0 ties 2 (1): 6/9.
    QVERIFY(std::abs(d.auroc - 6.0 / 9.0) < 1e-15);
    // Undirected with self pairs allowed: 3 + 3 candidates.
    o.exclude_self = false;
    QCOMPARE(evaluate(ranked, truth, names({"A", "B", "C"}), o).candidate_edges, std::int64_t{6});
  }

  void tf_restriction() {
    // Regulators A and C (Z is no gene): candidates A->{B,C,D}, C->{A,B,D} = 6; true A->B, C->D
    // (B->C and D->D are outside). Scored: A->B 0.9 (T), A->C 0.8 (F), C->D 0.2 (T), 3 F at 0.
    // ROC (P=2, N=4): (0,0) (0,1/2) (1/4,1/2) (1/4,1) (1,1): 1/8 + 3/4 = 7/8.
    // PR: (0,1) (1/2,1) (1/2,1/2) (1,2/3) (1,1/3): 1/2 + 1/2·(1/2+2/3)/2 = 19/24.
    // EP, k = 2: cut 0.8, 1 of 2; density 1/3, EPR 3/2.
    EvalOptions o;
    o.tfs = names({"A", "C", "Z"});
    const auto m = evaluate(abcd_ranked, abcd_truth, abcd, o);
    QCOMPARE(m.candidate_edges, std::int64_t{6});
    QCOMPARE(m.true_edges, std::int64_t{2});
    QCOMPARE(m.truth_outside, std::int64_t{2});
    QCOMPARE(m.predicted_edges, std::int64_t{3});
    QCOMPARE(m.auroc, 0.875);
    QVERIFY(std::abs(m.auprc - 19.0 / 24.0) < 1e-15);
    QCOMPARE(m.early_precision, 0.5);
    QVERIFY(std::abs(m.epr - 1.5) < 1e-15);
    const auto c = label_candidates(abcd_ranked, abcd_truth, abcd, o);
    QCOMPARE(c.edges.size(), std::size_t{6});
    for (const auto& [a, b] : c.edges)
      QVERIFY(a == "A" || a == "C");
    // Undirected with TFs: pairs touching A or C: 6 - {B,D} = 5.
    o.directed = false;
    QCOMPARE(evaluate(abcd_ranked, abcd_truth, abcd, o).candidate_edges, std::int64_t{5});
  }

  void universe_from_truth_and_bad_input() {
    // No gene list: BEELINE's universe, the genes the truth names (A-D here).
    const auto m = evaluate(abcd_ranked, abcd_truth, {});
    QCOMPARE(m.candidate_edges, std::int64_t{12});
    QVERIFY(std::abs(m.auroc - 47.0 / 54.0) < 1e-15);
    const std::vector<ScoredEdge> bad{{"A", "B", std::nan("")}};
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)evaluate(bad, abcd_truth, abcd));
    EvalOptions o;
    o.k = {0};
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)evaluate(abcd_ranked, abcd_truth, abcd, o));
  }

  void correlation_baselines() {
    // 5 cells × 5 genes: x, 2x, x², 6-x, constant, a tied series.
    gc::expr::ExpressionMatrix m;
    const std::vector<std::vector<float>> genes{{1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}, {1, 4, 9, 16, 25},
                                                {5, 4, 3, 2, 1}, {7, 7, 7, 7, 7},  {1, 1, 2, 2, 3}};
    std::vector<float> values;
    for (std::size_t c = 0; c < 5; ++c)
      for (const auto& g : genes)
        values.push_back(g[c]);
    m.x = gc::expr::Matrix::dense(5, 6, values);
    m.var.index = names({"x", "x2", "sq", "rev", "flat", "tied"});
    const auto weight = [](const std::vector<ScoredEdge>& edges, const std::string& a, const std::string& b) {
      for (const auto& e : edges)
        if (e.regulator == a && e.target == b) return e.weight;
      return std::nan("");
    };
    const auto pearson = correlation_edges(m, Correlation::pearson);
    QCOMPARE(pearson.size(), std::size_t{30});
    QVERIFY(std::abs(weight(pearson, "x", "x2") - 1.0) < 1e-12);
    // Σdxdy = 60, Σdx² = 10, Σdy² = 374.
    QVERIFY(std::abs(weight(pearson, "x", "sq") - 60.0 / std::sqrt(3740.0)) < 1e-12);
    QCOMPARE(weight(pearson, "sq", "x"), weight(pearson, "x", "sq"));
    QVERIFY(std::abs(weight(pearson, "x", "rev") - 1.0) < 1e-12);
    QCOMPARE(weight(pearson, "flat", "x"), 0.0);
    for (std::size_t i = 1; i < pearson.size(); ++i)
      QVERIFY(pearson[i - 1].weight >= pearson[i].weight);
    const auto signed_r = correlation_edges(m, Correlation::pearson, false);
    QVERIFY(std::abs(weight(signed_r, "x", "rev") + 1.0) < 1e-12);

    const auto spearman = correlation_edges(m, Correlation::spearman);
    QVERIFY(std::abs(weight(spearman, "x", "sq") - 1.0) < 1e-12);
    // Mid-ranks of the tied series 1.5 1.5 3.5 3.5 5: Σdxdr = 9, Σdr² = 9, ρ = 9/√90.
    QVERIFY(std::abs(weight(spearman, "x", "tied") - 9.0 / std::sqrt(90.0)) < 1e-12);
    QCOMPARE(weight(spearman, "tied", "flat"), 0.0);

    gc::expr::ExpressionMatrix one_cell;
    one_cell.x = gc::expr::Matrix::dense(1, 2, {1, 2});
    one_cell.var.index = names({"a", "b"});
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)correlation_edges(one_cell, Correlation::pearson));
  }

  void beeline_dyn_li_pearson() {
    const fs::path dir = fs::path(gc::test::shared_data_dir()) / "beeline/Synthetic/dyn-LI/dyn-LI_500_0";
    if (!fs::exists(dir / "ExpressionData.csv") || !fs::exists(dir / "refNetwork.csv"))
      QSKIP(qPrintable(
          QString("BEELINE dyn-LI data not found under %1").arg(QString::fromStdString(dir.string()))));
    const auto expression = gc::expr::load_expression(dir / "ExpressionData.csv");
    QCOMPARE(expression.n_genes(), std::int64_t{7});
    QCOMPARE(expression.n_cells(), std::int64_t{500});
    const auto ref = gc::expr::read_edge_list(dir / "refNetwork.csv");
    Truth truth;
    for (const auto& e : ref.edges)
      truth.emplace_back(e.source, e.target);
    QCOMPARE(truth.size(), std::size_t{8});

    for (const auto method : {Correlation::pearson, Correlation::spearman}) {
      const auto ranked = correlation_edges(expression, method);
      QCOMPARE(ranked.size(), std::size_t{42});
      const auto m = evaluate(ranked, truth, expression.var.index);
      QCOMPARE(m.candidate_edges, std::int64_t{42});
      QCOMPARE(m.true_edges, std::int64_t{7}); // g7->g7 is a self loop
      QCOMPARE(m.truth_outside, std::int64_t{1});
      for (const double v : {m.auroc, m.auprc, m.early_precision}) {
        QVERIFY(std::isfinite(v));
        QVERIFY(v >= 0.0 && v <= 1.0);
      }
      QVERIFY(std::isfinite(m.epr) && std::isfinite(m.auprc_ratio));
      const auto c = label_candidates(ranked, truth, expression.var.index);
      const double u = auroc_mann_whitney(c.scores, c.labels);
      QVERIFY2(
          std::abs(u - m.auroc) < 1e-12,
          qPrintable(QString("trapezoid %1, Mann-Whitney %2").arg(m.auroc, 0, 'g', 17).arg(u, 0, 'g', 17)));
      QCOMPARE(auprc(c.scores, c.labels), m.auprc);
      qInfo("dyn-LI_500_0 %s: AUROC %.6f (Mann-Whitney %.6f) AUPRC %.6f (ratio %.4f) EP %.4f EPR %.4f "
            "density %.4f",
            method == Correlation::pearson ? "|Pearson|" : "|Spearman|", m.auroc, u, m.auprc, m.auprc_ratio,
            m.early_precision, m.epr, m.density);
    }
  }
};

GC_QTEST_GUILESS_MAIN(TestGrn)
#include "test_grn.moc"
