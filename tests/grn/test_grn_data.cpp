// GRN inputs on the shared public data (../shared/data, README "DREAM4 layouts"): DREAM4
// folders stacked into one matrix with what each sample is, checked against the raw tables read
// here independently; gold standards and TF lists of DREAM4, DREAM5 and yeast; BEELINE folders;
// and |Pearson| scored as BEELINE scores it, pinned to sklearn (roc_curve / precision_recall_curve
// + auc, BEELINE's computeAUC.py and computeEarlyPrec.py logic) run once on the same edges.
#include "gc/expr/grn_input.h"
#include "gc/grn/eval.h"
#include "gc/grn/infer.h"
#include "gc/grn/names.h"
#include "gc/grn/network_io.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace gc::grn;
namespace fs = std::filesystem;

namespace {

fs::path data_dir(const std::string& sub) { return fs::path(gc::test::shared_data_dir()) / sub; }

// A DREAM4 table read naively: header names (quotes removed), then rows of numbers.
struct RawTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

RawTable read_raw(const fs::path& path) {
  std::ifstream in(path);
  RawTable t;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string f;
    if (t.header.empty()) {
      while (std::getline(fields, f, '\t'))
        t.header.push_back(f.substr(1, f.size() - 2));
      continue;
    }
    std::vector<double> row;
    while (std::getline(fields, f, '\t'))
      row.push_back(std::stod(f));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::map<std::string, std::string> read_new_to_old(const fs::path& path) {
  std::ifstream in(path);
  std::string a, b;
  std::map<std::string, std::string> m;
  in >> a >> b; // "New" "Old"
  while (in >> a >> b)
    m[a] = b;
  return m;
}

const gc::expr::Column& column(const gc::expr::ExpressionMatrix& m, const std::string& name) {
  const auto* c = m.obs.find(name);
  if (c == nullptr) throw gc::Error("no obs column " + name);
  return *c;
}

NamePairs pairs_of(const TruthNetwork& t) { return t.edges; }

} // namespace

class TestGrnData : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void dream4_folders() {
    for (const int n : {1, 2}) {
      const auto dir = data_dir("perturb/dream4/insilico_size100_" + std::to_string(n));
      const auto prefix = "insilico_size100_" + std::to_string(n);
      if (!fs::exists(dir / (prefix + "_knockouts.tsv")))
        QSKIP(qPrintable("DREAM4 data not found under " + QString::fromStdString(dir.string())));
      const auto in = gc::expr::read_grn_expression(dir);
      const auto& m = in.matrix;
      QCOMPARE(in.layout, std::string("dream4"));
      QVERIFY(in.warnings.empty());
      QCOMPARE(m.n_genes(), std::int64_t{100});
      QCOMPARE(m.n_cells(), std::int64_t{1 + 100 + 100 + 210 + 100});
      std::map<std::string, int> conditions;
      for (std::size_t i = 0; i < static_cast<std::size_t>(m.n_cells()); ++i)
        ++conditions[column(m, "condition").text(i)];
      QCOMPARE(conditions, (std::map<std::string, int>{{"wildtype", 1},
                                                       {"knockout", 100},
                                                       {"knockdown", 100},
                                                       {"timeseries", 210},
                                                       {"multifactorial", 100}}));

      // Row i of the knockouts deletes gene i: that gene's value is 0 (and it is named), except
      // G81 of network 2, which the release writes as 0.0023343.
      int zeros = 0;
      for (std::int64_t r = 1; r <= 100; ++r) {
        const auto gene = m.var.index[static_cast<std::size_t>(r - 1)];
        QCOMPARE(column(m, "perturbation").text(static_cast<std::size_t>(r)), gene);
        zeros += m.x.at(r, r - 1) == 0.0f ? 1 : 0;
      }
      QCOMPARE(zeros, n == 1 ? 100 : 99);
      if (n == 2) QCOMPARE(m.x.at(81, 80), 0.0023343f);
      // 10 time courses of 21 points, t = 0, 50, ..., 1000.
      const auto& series = column(m, "series").numbers;
      const auto& time = column(m, "time").numbers;
      for (std::size_t k = 0; k < 210; ++k) {
        const auto row = 201 + k;
        const std::size_t course = k / 21 + 1;
        QCOMPARE(series[row], static_cast<double>(course));
        QCOMPARE(time[row], 50.0 * static_cast<double>(k % 21));
      }
      QVERIFY(std::isnan(series[0]) && std::isnan(time[200]));

      // Multifactorial rows hold the raw table's values under the names of the other tables.
      const auto raw = read_raw(dir / (prefix + "_multifactorial.tsv"));
      const auto new_to_old = read_new_to_old(
          dir / ("insilico_size100_multifactorial_" + std::to_string(n) + "_goldstandard_ref.tsv"));
      QCOMPARE(raw.rows.size(), std::size_t{100});
      for (std::size_t c = 0; c < raw.header.size(); ++c) {
        const auto g = m.gene_index(new_to_old.at(raw.header[c]));
        QVERIFY(g.has_value());
        for (std::size_t r = 0; r < raw.rows.size(); ++r)
          QCOMPARE(m.x.at(411 + static_cast<std::int64_t>(r), *g), static_cast<float>(raw.rows[r][c]));
      }

      // Gold standards: the 1s only. Renamed back through the same map, the multifactorial gold
      // standard is the network's own (which is what makes New -> Old the right direction).
      const auto gold =
          read_truth(dir / ("DREAM4_GoldStandard_InSilico_Size100_" + std::to_string(n) + ".tsv"));
      const std::size_t edges = n == 1 ? 176 : 249;
      QCOMPARE(gold.layout, std::string("labelled"));
      QCOMPARE(gold.edges.size(), edges);
      QCOMPARE(gold.negatives, static_cast<std::int64_t>(9900 - edges));
      const auto mf = read_truth(
          dir / ("DREAM4_GoldStandard_InSilico_Size100_multifactorial_" + std::to_string(n) + ".tsv"));
      std::set<std::pair<std::string, std::string>> a(gold.edges.begin(), gold.edges.end()), b;
      for (const auto& [r, t] : mf.edges)
        b.emplace(new_to_old.at(r), new_to_old.at(t));
      QVERIFY(a == b);
      const auto names = reconcile_names(m.var.index, pairs_of(gold), std::nullopt, {"expr", "gold", ""});
      QCOMPARE(names.report.shared_genes, std::int64_t{100});
      QVERIFY(names.report.warnings.empty());

      // One table on its own.
      const auto ko = gc::expr::read_grn_expression(dir / (prefix + "_timeseries.tsv"));
      QCOMPARE(ko.matrix.n_cells(), std::int64_t{210});
    }
  }

  void dream4_pearson_matches_sklearn() {
    const auto dir = data_dir("perturb/dream4/insilico_size100_1");
    if (!fs::exists(dir / "DREAM4_GoldStandard_InSilico_Size100_1.tsv"))
      QSKIP(qPrintable("DREAM4 data not found under " + QString::fromStdString(dir.string())));
    const auto in = gc::expr::read_grn_expression(dir);
    const auto gold = read_truth(dir / "DREAM4_GoldStandard_InSilico_Size100_1.tsv");
    InferOptions o;
    o.method = Method::pearson;
    const auto ranked = infer(in.matrix, o);
    const auto m = evaluate(ranked, gold.edges, in.matrix.var.index);
    QCOMPARE(m.candidate_edges, std::int64_t{9900});
    QCOMPARE(m.true_edges, std::int64_t{176});
    // sklearn 1.2.1 on these edges: auc(roc_curve) 0.809828540443514, auc(precision_recall_curve)
    // 0.095513075940817, early precision 29/176 (k = 176).
    QVERIFY2(std::abs(m.auroc - 0.809828540443514) < 1e-12, qPrintable(QString::number(m.auroc, 'g', 17)));
    QVERIFY2(std::abs(m.auprc - 0.095513075940817) < 1e-12, qPrintable(QString::number(m.auprc, 'g', 17)));
    QVERIFY(std::abs(m.early_precision - 29.0 / 176.0) < 1e-12);
  }

  void beeline_folders() {
    const auto li = data_dir("beeline/Synthetic/dyn-LI/dyn-LI_500_0");
    const auto hsc = data_dir("beeline/Simulated/HSC/HSC_2000_0");
    if (!fs::exists(li / "ExpressionData.csv") || !fs::exists(hsc / "PseudoTime.csv"))
      QSKIP("BEELINE data (dyn-LI_500_0, HSC_2000_0) not found under the shared data folder");
    // Synthetic: a header naming the cell column (",Time").
    auto in = gc::expr::read_grn_expression(li);
    QCOMPARE(in.matrix.n_cells(), std::int64_t{500});
    QCOMPARE(in.matrix.n_genes(), std::int64_t{7});
    QCOMPARE(in.matrix.obs.column_names(), std::vector<std::string>{"Time"});
    QVERIFY(in.warnings.empty());
    // Simulated: four trajectories, the header one field short; each cell is on some of them.
    in = gc::expr::read_grn_expression(hsc);
    QCOMPARE(in.matrix.n_cells(), std::int64_t{2000});
    QCOMPARE(in.matrix.n_genes(), std::int64_t{11});
    QCOMPARE(in.matrix.obs.column_names(),
             (std::vector<std::string>{"PseudoTime1", "PseudoTime2", "PseudoTime3", "PseudoTime4"}));
    std::size_t on_none = 0;
    for (std::size_t c = 0; c < 2000; ++c) {
      bool any = false;
      for (const auto& name : in.matrix.obs.column_names())
        any = any || !std::isnan(column(in.matrix, name).numbers[c]);
      on_none += any ? 0 : 1;
    }
    QCOMPARE(on_none, std::size_t{0});
    const auto ref = read_truth(hsc / "refNetwork.csv");
    QCOMPARE(ref.edges.size(), std::size_t{30});
    QCOMPARE(ref.signs.size(), std::size_t{30});
    const auto names = reconcile_names(in.matrix.var.index, pairs_of(ref), std::nullopt, {"e", "t", ""});
    QCOMPARE(names.report.shared_genes, std::int64_t{11});
  }

  void beeline_pearson_matches_sklearn() {
    const auto dir = data_dir("beeline/Synthetic/dyn-LI/dyn-LI_500_0");
    if (!fs::exists(dir / "refNetwork.csv"))
      QSKIP("BEELINE dyn-LI_500_0 not found under the shared data folder");
    const auto in = gc::expr::read_grn_expression(dir);
    const auto check = check_expression(in.matrix, dir.string());
    QCOMPARE(check.constant_genes.count, std::int64_t{0});
    const auto ref = read_truth(dir / "refNetwork.csv");
    const auto names = reconcile_names(in.matrix.var.index, pairs_of(ref), std::nullopt, {"e", "t", ""});
    InferOptions o;
    o.method = Method::pearson;
    const auto m = evaluate(infer(in.matrix, o), *names.truth, names.shared_genes);
    // sklearn 1.2.1 on the same edges, candidates = the 42 ordered pairs of the 7 genes.
    QCOMPARE(m.candidate_edges, std::int64_t{42});
    QCOMPARE(m.true_edges, std::int64_t{7});
    QVERIFY2(std::abs(m.auroc - 0.753061224489796) < 1e-12, qPrintable(QString::number(m.auroc, 'g', 17)));
    QVERIFY2(std::abs(m.auprc - 0.432023482469911) < 1e-12, qPrintable(QString::number(m.auprc, 'g', 17)));
    QCOMPARE(m.early_precision, 0.5);
    QCOMPARE(m.epr, 3.0);
  }

  void dream5_and_yeast_truths() {
    const auto dir = data_dir("grn/yeast");
    if (!fs::exists(dir / "DREAM5_NetworkInference_Edges_Network4.tsv"))
      QSKIP("DREAM5 / yeast gold standards not found under the shared data folder");
    const auto d5 = read_truth(dir / "DREAM5_NetworkInference_Edges_Network4.tsv");
    QCOMPARE(d5.layout, std::string("labelled"));
    QCOMPARE(d5.edges.size(), std::size_t{3940});
    QCOMPARE(d5.negatives, std::int64_t{0});
    std::set<std::string> regulators;
    for (const auto& e : d5.edges)
      regulators.insert(e.first);
    QCOMPARE(regulators.size(), std::size_t{114});
    const auto tfs = read_tf_list(dir / "net4_transcription_factors.tsv");
    QCOMPARE(tfs.size(), std::size_t{333});
    for (const auto& r : regulators)
      QVERIFY2(std::find(tfs.begin(), tfs.end(), r) != tfs.end(), r.c_str());
    const auto yeastract = read_truth(dir / "yeastract_c3.txt.gz");
    QCOMPARE(yeastract.layout, std::string("edge-list"));
    QCOMPARE(yeastract.edges.size(), std::size_t{3818});
    QCOMPARE(read_truth(dir / "mac2.txt.gz").edges.size(), std::size_t{3802});
  }
};

GC_QTEST_GUILESS_MAIN(TestGrnData)
#include "test_grn_data.moc"
