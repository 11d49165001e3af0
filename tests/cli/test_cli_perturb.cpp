// `genocircuit-cli perturb eval` end to end: the JSON shape on DREAM4 network 1 with every
// baseline, the no-change baseline's scores on the 20 double knockouts recomputed here from the
// files, the table, and bad input: exit 2 with the file and record named.
#include "gc/util/error.h"
#include "gc/util/json.h"

#include "cli_run.h"
#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

namespace {

using gc::test::cli;
using gc::test::one_object;
using gc::test::Run;
using gc::test::write_file;

QString fail_text(const Run& r) {
  return QString::fromUtf8("exit " + QByteArray::number(r.code) + ": " + r.err);
}

QString dream4_dir() {
  return QString::fromStdString(
      (std::filesystem::path(gc::test::shared_data_dir()) / "perturb/dream4/insilico_size100_1").string());
}

std::vector<std::vector<double>> numbers(const QString& path, bool header) {
  std::ifstream in(path.toStdString());
  std::string line;
  std::vector<std::vector<double>> rows;
  if (header) std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<double> row;
    double v = 0;
    while (fields >> v)
      row.push_back(v);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

} // namespace

class TestCliPerturb : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void dream4_every_baseline_json();
  void no_change_on_the_double_knockouts_recomputed();
  void table_without_json();
  void bad_input_exits_2();

private:
  QTemporaryDir m_dir;
};

void TestCliPerturb::dream4_every_baseline_json() {
  if (!QFile::exists(dream4_dir())) QSKIP("DREAM4 insilico_size100_1 is absent from the shared data");
  const auto r = cli({"perturb", "eval", "--data", dream4_dir(), "--seeds", "2", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  QCOMPARE(j.at("dataset").at("layout").as_string(), std::string("dream4"));
  QCOMPARE(j.at("dataset").at("genes").as_int(), std::int64_t{100});
  QCOMPARE(j.at("seeds").size(), std::size_t{2});
  const auto& splits = j.at("splits");
  // A quarter of the 100 genes held out, with their knockout and knockdown.
  QCOMPARE(splits.at("singles").at("test_items").dump(), std::string("[50,50]"));
  QCOMPARE(splits.at("doubles").at("test_items").dump(), std::string("[20,20]"));
  for (const char* kind : {"singles", "doubles", "doubles_seen0", "doubles_seen1", "doubles_seen2"}) {
    const auto& results = splits.at(kind).at("results");
    for (const char* p : {"no_change", "training_mean", "linear", "propagation"}) {
      QVERIFY2(results.contains(p), kind);
      for (const char* m : {"pearson_delta", "pearson_delta_top20", "mse_top20", "direction_top20",
                            "l2_top_expressed", "top50_accuracy"})
        QVERIFY(results.at(p).at(m).contains("mean") && results.at(p).at(m).contains("sd"));
    }
    QCOMPARE(results.contains("additive"), std::string(kind) != "singles");
  }
  const auto& nc = splits.at("singles").at("results").at("no_change");
  QVERIFY(nc.at("pearson_delta").at("mean").is_null()); // a constant prediction has no correlation
  // All 99 non-perturbed genes tie at Δ = 0: the expected overlap is chance, 50/99.
  QVERIFY(std::abs(nc.at("top50_accuracy").at("mean").as_double() - 50.0 / 99.0) < 1e-12);
  // The baselines beat no change on the top-20 MSE of unseen singles.
  const auto mse = [&](const char* p) {
    return splits.at("singles").at("results").at(p).at("mse_top20").at("mean").as_double();
  };
  QVERIFY(mse("training_mean") < mse("no_change"));
  QVERIFY(mse("linear") < mse("no_change"));
}

void TestCliPerturb::no_change_on_the_double_knockouts_recomputed() {
  if (!QFile::exists(dream4_dir())) QSKIP("DREAM4 insilico_size100_1 is absent from the shared data");
  const auto dir = dream4_dir();
  const auto wt = numbers(dir + "/insilico_size100_1_wildtype.tsv", true).at(0);
  const auto pairs = numbers(dir + "/insilico_size100_1_dualknockouts_indexes.tsv", true);
  const auto answers = numbers(dir + "/insilico_size100_1_nonoise_dualknockouts.tsv", false);
  QCOMPARE(pairs.size(), std::size_t{20});
  double mse = 0, l2 = 0;
  for (std::size_t r = 0; r < pairs.size(); ++r) {
    std::vector<std::pair<double, double>> changed; // (|Δ|, Δ) without the two knocked-out genes
    double ss = 0;
    for (std::size_t g = 0; g < 100; ++g) {
      const double d = std::log2(answers[r][g] + 1) - std::log2(wt[g] + 1);
      ss += d * d;
      if (g + 1 != pairs[r][0] && g + 1 != pairs[r][1]) changed.emplace_back(std::abs(d), d);
    }
    std::stable_sort(changed.begin(), changed.end(), [](auto a, auto b) { return a.first > b.first; });
    double top = 0;
    for (std::size_t i = 0; i < 20; ++i)
      top += changed[i].second * changed[i].second;
    mse += top / 20 / 20;
    l2 += std::sqrt(ss) / 20;
  }
  const auto r = cli({"perturb", "eval", "--data", dir, "--split", "doubles", "--seeds", "1", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  QVERIFY(!j.at("splits").contains("singles"));
  const auto& nc = j.at("splits").at("doubles").at("results").at("no_change");
  QVERIFY2(std::abs(nc.at("mse_top20").at("mean").as_double() - mse) < 1e-9, nc.dump().c_str());
  QVERIFY(std::abs(nc.at("l2_top_expressed").at("mean").as_double() - l2) < 1e-9);
}

void TestCliPerturb::table_without_json() {
  if (!QFile::exists(dream4_dir())) QSKIP("DREAM4 insilico_size100_1 is absent from the shared data");
  const auto r = cli({"perturb", "eval", "--data", dream4_dir(), "--split", "singles", "--seeds", "1"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QVERIFY(r.out.startsWith("singles (test items per seed: 50)"));
  QVERIFY(r.out.contains("training_mean") && r.out.contains("propagation") &&
          r.out.contains("top50_accuracy"));
  QVERIFY(!r.out.contains("additive")); // doubles only
}

void TestCliPerturb::bad_input_exits_2() {
  const QString bad = m_dir.filePath("bad.tsv");
  write_file(bad, "gene\tA\tB\nA\t-1\t0.5\nB\t0.2\toops\n");
  auto r = cli({"perturb", "eval", "--data", bad, "--json"});
  QCOMPARE(r.code, 2);
  const auto err = one_object(r.out).at("error").as_string();
  QVERIFY2(err.find("bad.tsv: line 3: value 'oops' of profile 'B'") != std::string::npos, err.c_str());
  r = cli({"perturb", "eval", "--data", m_dir.filePath("missing.h5ad")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("missing.h5ad") && r.err.contains("no such file"), r.err.constData());
  r = cli({"perturb", "eval"});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("needs --data"));
  r = cli({"perturb", "eval", "--data", bad, "--split", "triples"});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("--split 'triples'"));
  r = cli({"perturb", "eval", "--data", bad, "--seeds", "0"});
  QCOMPARE(r.code, 2);
  r = cli({"perturb", "predict"});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("unknown perturb subcommand 'predict'"));
  const QString none = m_dir.filePath("none.tsv");
  write_file(none, "gene\tQ\nA\t-1\nB\t0.5\n");
  r = cli({"perturb", "eval", "--data", none});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("none.tsv") && r.err.contains("none of the 1 perturbed genes"), r.err.constData());
}

GC_QTEST_GUILESS_MAIN(TestCliPerturb)
#include "test_cli_perturb.moc"
