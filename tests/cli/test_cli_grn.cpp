// `genocircuit-cli grn` end to end (DESIGN §7): the JSON shape scripts rely on, metrics on BEELINE
// and DREAM4 data pinned to sklearn run once on the same ranked edges (BEELINE's computeAUC.py
// logic: roc_curve / precision_recall_curve + auc), DREAM scoring of DREAM4 data against a
// step-by-step computation here, the demo world with its TF column, every output format, bad
// input: exit 2, the file named, no output left behind, and `bench grn`'s GenoCircuit entry.
#include "gc/util/error.h"
#include "gc/util/json.h"

#include "cli_run.h"
#include "gc_qtest_main.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace {

using gc::test::cli;
using gc::test::one_object;
using gc::test::read_file;
using gc::test::Run;
using gc::test::write_file;

QString fail_text(const Run& r) {
  return QString::fromUtf8("exit " + QByteArray::number(r.code) + ": " + r.err);
}

QString shared(const QString& sub) {
  return QString::fromStdString(
      (std::filesystem::path(gc::test::shared_data_dir()) / sub.toStdString()).string());
}

bool near(const gc::Json& j, double want, double tol = 1e-12) { return std::abs(j.as_double() - want) < tol; }

// GraphML read by Qt's parser: edges as (source name, target name), and the TF nodes.
struct Graph {
  QString error;
  std::vector<std::pair<QString, QString>> edges;
  QStringList tfs;
};

Graph read_graphml(const QString& path) {
  Graph g;
  QXmlStreamReader xml(read_file(path));
  std::map<QString, QString> key_name, node_name;
  QString node;
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    const auto a = xml.attributes();
    if (xml.name() == QLatin1String("key")) {
      key_name[a.value("id").toString()] = a.value("attr.name").toString();
    } else if (xml.name() == QLatin1String("node")) {
      node = a.value("id").toString();
    } else if (xml.name() == QLatin1String("edge")) {
      node.clear();
      g.edges.emplace_back(node_name[a.value("source").toString()], node_name[a.value("target").toString()]);
    } else if (xml.name() == QLatin1String("data") && !node.isEmpty()) {
      const auto key = key_name[a.value("key").toString()];
      const auto text = xml.readElementText();
      if (key == "name") node_name[node] = text;
      if (key == "is_tf" && text == "true") g.tfs << node_name[node];
    }
  }
  if (xml.hasError()) g.error = xml.errorString();
  return g;
}

using Pair = std::pair<QByteArray, QByteArray>;

// A DREAM gold standard read here: `regulator<TAB>target<TAB>1|0` per line.
std::map<Pair, int> read_gold(const QString& path) {
  std::map<Pair, int> gold;
  for (const auto& line : read_file(path).split('\n')) {
    const auto f = line.trimmed().split('\t');
    if (f.size() == 3) gold[{f[0], f[1]}] = f[2].toInt();
  }
  return gold;
}

// The ranked pairs of a `Gene1<TAB>Gene2<TAB>EdgeWeight<TAB>Sign` file, in file order.
std::vector<Pair> read_ranked(const QString& path) {
  std::vector<Pair> ranked;
  const auto lines = read_file(path).trimmed().split('\n');
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const auto f = lines[i].split('\t');
    ranked.emplace_back(f[0], f[1]);
  }
  return ranked;
}

struct DreamReference {
  double aupr = 0, auroc = 0;
  std::int64_t listed = 0;
};

// DREAM AUPR and AUROC following the rules dream.h states, computed step by step instead of in
// closed form: the list is extended to all T candidates, each unranked candidate an expected
// discovery of rho = (P - TP_L) / (T - L) of a positive. Step k discovers d (1, 0 or rho); AUROC
// adds the trapezoid from (FP/N, TP/P) before the step to after it; AUPR adds the area under the
// precision (TP + d·x) / (k - 1 + x), x from 0 to 1, over the recall the step crosses (d / P),
// here by Simpson's rule.
DreamReference dream_reference(const std::vector<Pair>& ranked, const std::map<Pair, int>& gold) {
  double p = 0;
  for (const auto& [pair, label] : gold)
    p += label;
  const auto t = static_cast<double>(gold.size());
  const double n = t - p;
  std::vector<double> discovery;
  std::set<Pair> seen;
  for (const auto& e : ranked)
    if (seen.insert(e).second) discovery.push_back(gold.at(e));
  DreamReference out;
  out.listed = static_cast<std::int64_t>(discovery.size());
  double tp_listed = 0;
  for (const double d : discovery)
    tp_listed += d;
  const double rho = (p - tp_listed) / (t - static_cast<double>(discovery.size()));
  discovery.resize(gold.size(), rho);
  double tp = 0, fp = 0;
  for (std::size_t i = 0; i < discovery.size(); ++i) {
    const double d = discovery[i];
    const auto before = static_cast<double>(i); // k - 1
    double mean_precision = d;                  // the first step: (0 + d·x) / x
    if (i > 0) {
      constexpr int intervals = 64;
      double sum = 0;
      for (int j = 0; j <= intervals; ++j) {
        const double x = static_cast<double>(j) / intervals;
        const double w = j == 0 || j == intervals ? 1 : j % 2 == 1 ? 4 : 2;
        sum += w * (tp + d * x) / (before + x);
      }
      mean_precision = sum / (3.0 * intervals);
    }
    out.aupr += mean_precision * d / p;
    out.auroc += (1 - d) / n * (tp + d / 2) / p;
    tp += d;
    fp += 1 - d;
  }
  return out;
}

} // namespace

class TestCliGrn : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void beeline_pearson_json_and_formats();
  void dream4_folder();
  void dream4_dream_scoring();
  void dream_gold_standard_as_listed();
  void demo_world_with_tf_column();
  void bad_input_exits_2_and_leaves_no_output();
  void train_then_grn_from_the_checkpoint();
  void bench_grn_has_genocircuit_beside_the_baselines();

private:
  QTemporaryDir m_dir;
};

void TestCliGrn::beeline_pearson_json_and_formats() {
  const QString dir = shared("beeline/Synthetic/dyn-LI/dyn-LI_500_0");
  if (!QFile::exists(dir + "/refNetwork.csv")) QSKIP("BEELINE dyn-LI_500_0 is absent from the shared data");
  const QString out = m_dir.filePath("li.csv");
  auto r = cli({"grn", "--expr", dir, "--method", "pearson", "--truth", dir + "/refNetwork.csv", "--out", out,
                "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  // DESIGN §7 keys.
  QCOMPARE(j.at("method").as_string(), std::string("pearson"));
  QCOMPARE(j.at("genes").as_int(), std::int64_t{7});
  QCOMPARE(j.at("edges").as_int(), std::int64_t{42});
  QCOMPARE(QString::fromStdString(j.at("out").as_string()), out);
  const auto& m = j.at("metrics");
  // sklearn 1.2.1 on li.csv against refNetwork.csv (7 genes, 42 candidates, 7 true edges).
  QVERIFY2(near(m.at("auroc"), 0.753061224489796), qPrintable(QString::fromStdString(m.dump())));
  QVERIFY(near(m.at("auprc"), 0.432023482469911));
  QVERIFY(near(m.at("auprc_ratio"), 0.432023482469911 * 6, 1e-11));
  QVERIFY(near(m.at("early_precision"), 0.5));
  QVERIFY(near(m.at("epr"), 3.0));
  QVERIFY(near(m.at("precision_at_k").at("10"), 0.4));
  QVERIFY(near(m.at("precision_at_k").at("100"), 7.0 / 42.0)); // all 42 candidates are listed
  QCOMPARE(j.at("true_edges").as_int(), std::int64_t{7});
  QVERIFY(near(j.at("density"), 1.0 / 6.0));
  QCOMPARE(j.at("input").at("layout").as_string(), std::string("beeline"));
  QCOMPARE(j.at("truth").at("edges").as_int(), std::int64_t{8}); // with the self loop g7 -> g7
  QVERIFY(j.at("warnings").is_array() && j.at("warnings").size() == 0);
  QVERIFY(j.at("seconds").at("total").as_double() >= 0);
  QVERIFY(j.at("names").at("shared_genes").as_int() == 7);
  QVERIFY(m.at("dream").is_null()); // BEELINE data define no DREAM candidates
  const auto lines = read_file(out).trimmed().split('\n');
  QCOMPARE(lines.size(), 43);
  QCOMPARE(lines.front(), QByteArray("Gene1,Gene2,EdgeWeight"));
  QCOMPARE(lines[1].split(',').size(), 3);

  // GraphML (well-formed for Qt's parser), SIF and TSV of the same run; --top cuts the list.
  r = cli({"grn", "--expr", dir, "--method", "pearson", "--out", m_dir.filePath("li.graphml"), "--top", "5",
           "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QVERIFY(one_object(r.out).at("metrics").is_null()); // no --truth
  const auto g = read_graphml(m_dir.filePath("li.graphml"));
  QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
  QCOMPARE(g.edges.size(), std::size_t{5});
  QCOMPARE(g.edges[0].first + "," + g.edges[0].second,
           QString::fromUtf8(lines[1].split(',')[0] + "," + lines[1].split(',')[1]));
  r = cli({"grn", "--expr", dir, "--method", "pearson", "--out", m_dir.filePath("li.sif"), "--quiet"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QVERIFY(r.out.contains("method: pearson\n")); // without --json: one "key: value" line each
  const auto sif = read_file(m_dir.filePath("li.sif")).trimmed().split('\n');
  QCOMPARE(sif.size(), 42);
  for (const auto& line : sif) {
    const auto f = line.split('\t');
    QCOMPARE(f.size(), 3);
    QVERIFY2(f[1] == "activates" || f[1] == "represses", line.constData());
  }
}

void TestCliGrn::dream4_folder() {
  const QString dir = shared("perturb/dream4/insilico_size100_1");
  const QString gold = dir + "/DREAM4_GoldStandard_InSilico_Size100_1.tsv";
  if (!QFile::exists(gold)) QSKIP("DREAM4 insilico_size100_1 is absent from the shared data");
  const auto r = cli({"grn", "--expr", dir, "--method", "pearson", "--truth", gold, "--out",
                      m_dir.filePath("dream4.tsv"), "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  QCOMPARE(j.at("samples").as_int(), std::int64_t{511});
  QCOMPARE(j.at("genes").as_int(), std::int64_t{100});
  QCOMPARE(j.at("edges").as_int(), std::int64_t{9900});
  QCOMPARE(j.at("input").at("layout").as_string(), std::string("dream4"));
  QCOMPARE(j.at("input").at("obs_columns").dump(),
           std::string(R"(["condition","perturbation","series","time"])"));
  QCOMPARE(j.at("truth").at("layout").as_string(), std::string("labelled"));
  QCOMPARE(j.at("truth").at("negatives").as_int(), std::int64_t{9724});
  QCOMPARE(j.at("true_edges").as_int(), std::int64_t{176});
  // sklearn 1.2.1 on dream4.tsv against the gold standard's 1s.
  QVERIFY(near(j.at("metrics").at("auroc"), 0.809828540443514));
  QVERIFY(near(j.at("metrics").at("auprc"), 0.095513075940817));
  QVERIFY(near(j.at("metrics").at("early_precision"), 29.0 / 176.0));
  QVERIFY(read_file(m_dir.filePath("dream4.tsv")).startsWith("Gene1\tGene2\tEdgeWeight\tSign\n"));
}

// metrics.dream on DREAM4 network 1: a complete list, a partial one (TF regulators only, the rest
// scored as the random tail), and the same network with a truth of edges only (candidates: every
// ordered pair of the folder's genes), each against dream_reference() on the list the CLI wrote.
void TestCliGrn::dream4_dream_scoring() {
  const QString dir = shared("perturb/dream4/insilico_size100_1");
  const QString gold_path = dir + "/DREAM4_GoldStandard_InSilico_Size100_1.tsv";
  if (!QFile::exists(gold_path)) QSKIP("DREAM4 insilico_size100_1 is absent from the shared data");
  const auto gold = read_gold(gold_path);
  QCOMPARE(gold.size(), std::size_t{9900});
  const QString out = m_dir.filePath("dream_ranked.tsv");
  const QStringList base{"grn", "--expr", dir, "--method", "pearson", "--out", out};
  const auto check = [&](const gc::Json& d, std::int64_t listed) {
    const auto ref = dream_reference(read_ranked(out), gold);
    QCOMPARE(ref.listed, listed);
    QCOMPARE(d.at("predictions").as_int(), listed);
    QCOMPARE(d.at("candidates").as_int(), std::int64_t{9900});
    QCOMPARE(d.at("positives").as_int(), std::int64_t{176});
    QCOMPARE(d.at("ranked_outside").as_int(), std::int64_t{0});
    QVERIFY2(near(d.at("aupr"), ref.aupr, 1e-9),
             qPrintable(QString::fromStdString(d.dump()) + " reference AUPR " +
                        QString::number(ref.aupr, 'g', 15)));
    QVERIFY2(near(d.at("auroc"), ref.auroc, 1e-9),
             qPrintable(QString::fromStdString(d.dump()) + " reference AUROC " +
                        QString::number(ref.auroc, 'g', 15)));
  };

  // Without --json: the metrics line of the human-readable output carries it, as JSON.
  auto r = cli(base + QStringList{"--truth", gold_path, "--quiet"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QByteArray metrics_line;
  for (const auto& line : r.out.split('\n'))
    if (line.startsWith("metrics: ")) metrics_line = line.mid(9);
  QVERIFY2(!metrics_line.isEmpty(), r.out.constData());
  const auto metrics = gc::Json::parse(metrics_line.toStdString());
  const auto complete = metrics.at("dream");
  QCOMPARE(complete.at("candidate_set").as_string(), std::string("gold-standard"));
  QCOMPARE(complete.at("true_positives").as_int(), std::int64_t{176});
  check(complete, 9900);
  // Tied |Pearson| weights: DREAM ranks by list order, BEELINE averages over ties, so the two
  // AUPRs differ a little (sklearn's 0.0955 in dream4_folder).
  QVERIFY(std::abs(complete.at("aupr").as_double() - metrics.at("auprc").as_double()) < 0.01);

  // 25 TFs: 2,475 of the 9,900 candidates listed, the rest in the random tail.
  QByteArray tfs;
  for (int g = 1; g <= 25; ++g)
    tfs += "G" + QByteArray::number(g) + "\n";
  write_file(m_dir.filePath("dream_tfs.txt"), tfs);
  r = cli(base + QStringList{"--truth", gold_path, "--tfs", m_dir.filePath("dream_tfs.txt"), "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  QCOMPARE(j.at("metrics").at("candidate_edges").as_int(), std::int64_t{2475}); // BEELINE's TFEdges
  const auto partial = j.at("metrics").at("dream");
  QVERIFY(partial.at("true_positives").as_int() < 176);
  check(partial, 2475);

  // The gold standard's edges alone: the same candidates and labels, so the same scores.
  QByteArray edges = "Gene1,Gene2\n";
  for (const auto& [pair, label] : gold)
    if (label == 1) edges += pair.first + "," + pair.second + "\n";
  write_file(m_dir.filePath("dream_edges.csv"), edges);
  r = cli(base + QStringList{"--truth", m_dir.filePath("dream_edges.csv"), "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto pairs = one_object(r.out).at("metrics").at("dream");
  QCOMPARE(pairs.at("candidate_set").as_string(), std::string("all-pairs"));
  QVERIFY(near(pairs.at("aupr"), complete.at("aupr").as_double()));
  QVERIFY(near(pairs.at("auroc"), complete.at("auroc").as_double()));
}

// A gold standard's own candidates: a pair naming a gene the expression lacks stays a candidate
// (in the random tail), ranked edges of a gene the gold standard lacks are left out, a repeated
// pair keeps its first label and a self pair is dropped, both with a warning.
void TestCliGrn::dream_gold_standard_as_listed() {
  QDir dir(m_dir.filePath("gold"));
  QVERIFY(dir.mkpath("."));
  write_file(dir.filePath("expr.csv"),
             "gene,c1,c2,c3,c4,c5\nA,1,2,3,4,6\nB,2,1,4,3,5\nC,1,3,2,5,4\nD,5,1,2,2,1\n");
  write_file(dir.filePath("gold.tsv"),
             "A\tB\t1\nB\tC\t1\nA\tC\t0\nB\tA\t0\nC\tA\t0\nC\tB\t0\nE\tA\t1\nA\tE\t0\nA\tA\t1\nA\tB\t0\n");
  const std::map<Pair, int> gold{{{"A", "B"}, 1}, {{"B", "C"}, 1}, {{"A", "C"}, 0}, {{"B", "A"}, 0},
                                 {{"C", "A"}, 0}, {{"C", "B"}, 0}, {{"E", "A"}, 1}, {{"A", "E"}, 0}};
  const QString out = dir.filePath("ranked.tsv");
  const auto r = cli({"grn", "--expr", dir.filePath("expr.csv"), "--method", "pearson", "--truth",
                      dir.filePath("gold.tsv"), "--out", out, "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  const auto& d = j.at("metrics").at("dream");
  QCOMPARE(d.at("candidate_set").as_string(), std::string("gold-standard"));
  QCOMPARE(d.at("candidates").as_int(), std::int64_t{8});
  QCOMPARE(d.at("positives").as_int(), std::int64_t{3});
  QCOMPARE(d.at("predictions").as_int(), std::int64_t{6});
  QCOMPARE(d.at("ranked_outside").as_int(), std::int64_t{6}); // the edges of D
  QCOMPARE(d.at("genes_outside").as_int(), std::int64_t{1});  // E
  QCOMPARE(d.at("repeated_pairs").as_int(), std::int64_t{1});
  QCOMPARE(d.at("self_pairs").as_int(), std::int64_t{1});
  const auto warnings = QString::fromStdString(j.at("warnings").dump());
  QVERIFY2(warnings.contains("more than once") && warnings.contains("self pairs"), qPrintable(warnings));
  std::vector<Pair> listed;
  for (const auto& e : read_ranked(out))
    if (gold.contains(e)) listed.push_back(e);
  const auto ref = dream_reference(listed, gold);
  QVERIFY(near(d.at("aupr"), ref.aupr, 1e-9));
  QVERIFY(near(d.at("auroc"), ref.auroc, 1e-9));
}

void TestCliGrn::demo_world_with_tf_column() {
  const QString world = m_dir.filePath("world");
  auto r = cli({"simulate", "--out", world, "--preset", "small", "--seed", "3", "--quiet"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const QString out = m_dir.filePath("world.graphml");
  r = cli({"grn", "--expr", world + "/expression.h5ad", "--truth", world + "/grn.csv", "--tfs", "var:is_tf",
           "--method", "genie3", "--trees", "20", "--seed", "2", "--out", out, "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  const auto tfs = j.at("tfs").at("in_expression").as_int();
  QVERIFY(tfs > 0);
  QCOMPARE(j.at("tfs").at("listed").as_int(), tfs);
  QCOMPARE(j.at("input").at("layout").as_string(), std::string("h5ad"));
  // Candidates: TF regulators only, to every other gene.
  QCOMPARE(j.at("metrics").at("candidate_edges").as_int(), tfs * (j.at("genes").as_int() - 1));
  QCOMPARE(j.at("edges").as_int(), tfs * (j.at("genes").as_int() - 1));
  for (const char* k : {"auroc", "auprc", "early_precision"}) {
    const double v = j.at("metrics").at(k).as_double();
    QVERIFY2(v >= 0.0 && v <= 1.0, k);
  }
  const auto g = read_graphml(out);
  QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
  QCOMPARE(static_cast<std::int64_t>(g.tfs.size()), tfs);
  for (const auto& [regulator, target] : g.edges)
    QVERIFY2(g.tfs.contains(regulator), qPrintable(regulator));

  // The same TFs from a file give the same scores.
  write_file(m_dir.filePath("world_tfs.txt"), "TF\n" + g.tfs.join('\n').toUtf8() + "\n");
  const QStringList base{
      "grn",     "--expr", world + "/expression.h5ad",  "--truth", world + "/grn.csv", "--method",
      "pearson", "--out",  m_dir.filePath("world.csv"), "--json"};
  const auto a = cli(base + QStringList{"--tfs", "var:is_tf"});
  const auto b = cli(base + QStringList{"--tfs", m_dir.filePath("world_tfs.txt")});
  QVERIFY2(a.code == 0 && b.code == 0, qPrintable(fail_text(a) + fail_text(b)));
  QCOMPARE(one_object(a.out).at("metrics").dump(), one_object(b.out).at("metrics").dump());
}

void TestCliGrn::bad_input_exits_2_and_leaves_no_output() {
  QDir dir(m_dir.filePath("bad"));
  QVERIFY(dir.mkpath("."));
  write_file(dir.filePath("ok.csv"), "gene,c1,c2,c3\nA,1,2,3\nB,4,5,7\nC,1,3,1\n");
  auto r = cli({"grn", "--expr", dir.filePath("ok.csv"), "--out", dir.filePath("ranked.txt")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("ranked.txt") && r.err.contains(".csv, .tsv, .graphml, .sif"), r.err.constData());

  r = cli({"grn", "--expr", dir.filePath("missing"), "--out", dir.filePath("x.csv"), "--json"});
  QCOMPARE(r.code, 2);
  const auto e = one_object(r.out);
  QCOMPARE(e.at("kind").as_string(), std::string("input"));
  QVERIFY(QString::fromStdString(e.at("error").as_string()).contains(dir.filePath("missing")));

  r = cli({"grn", "--expr", dir.filePath("ok.csv"), "--method", "magic", "--out", dir.filePath("x.csv")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("'magic'") && r.err.contains("pearson") && r.err.contains("genie3"),
           r.err.constData());

  // A malformed DREAM4 table: the file and the line.
  QVERIFY(dir.mkpath("dream4"));
  write_file(dir.filePath("dream4/net_knockouts.tsv"), "\"G1\"\t\"G2\"\n0\t0.5\n0.25\n");
  r = cli({"grn", "--expr", dir.filePath("dream4"), "--out", dir.filePath("x.csv")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("net_knockouts.tsv") && r.err.contains("line 3"), r.err.constData());

  // NaN: the gene and the sample. A failed run leaves an existing output as it was, and no
  // temporary file beside it.
  write_file(dir.filePath("nan.csv"), "gene,c1,c2,c3\nA,1,2,3\nB,4,NA,7\n");
  write_file(dir.filePath("ranked.csv"), "old\n");
  const auto before = dir.entryList(QDir::Files);
  r = cli(
      {"grn", "--expr", dir.filePath("nan.csv"), "--method", "pearson", "--out", dir.filePath("ranked.csv")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("nan.csv") && r.err.contains("'B'") && r.err.contains("'c2'"), r.err.constData());
  QCOMPARE(read_file(dir.filePath("ranked.csv")), QByteArray("old\n"));
  QCOMPARE(dir.entryList(QDir::Files), before);

  // A truth that shares no gene: both files, with examples of each.
  write_file(dir.filePath("truth.csv"), "Gene1,Gene2\nX,Y\n");
  r = cli({"grn", "--expr", dir.filePath("ok.csv"), "--method", "pearson", "--truth",
           dir.filePath("truth.csv"), "--out", dir.filePath("ranked.csv")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("truth.csv") && r.err.contains("ok.csv") && r.err.contains("X, Y") &&
               r.err.contains("A, B, C"),
           r.err.constData());
  QCOMPARE(read_file(dir.filePath("ranked.csv")), QByteArray("old\n"));
  // --out must not replace an input.
  r = cli({"grn", "--expr", dir.filePath("ok.csv"), "--method", "pearson", "--out", dir.filePath("ok.csv")});
  QCOMPARE(r.code, 2);
  QVERIFY(read_file(dir.filePath("ok.csv")).startsWith("gene,c1"));
}

// `train` writes a checkpoint that `grn --model` re-scores; the checkpoint's network equals the
// one `train --edges` wrote; damaged checkpoints and gene sets that differ are bad input.
void TestCliGrn::train_then_grn_from_the_checkpoint() {
  const QString dir = shared("beeline/Synthetic/dyn-LI/dyn-LI_500_0");
  if (!QFile::exists(dir + "/refNetwork.csv")) QSKIP("BEELINE dyn-LI_500_0 is absent from the shared data");
  const QString model = m_dir.filePath("li.gcmodel"), edges = m_dir.filePath("li_train.csv");
  auto r = cli(
      {"train", "--expr", dir, "--out", model, "--edges", edges, "--epochs", "6", "--seed", "3", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  auto j = one_object(r.out);
  QCOMPARE(j.at("genes").as_int(), std::int64_t{7});
  QCOMPARE(j.at("candidate_edges").as_int(), std::int64_t{42});
  QCOMPARE(j.at("checkpoint_version").as_int(), std::int64_t{1});
  QCOMPARE(j.at("inputs").at("training").at("epochs").size(), std::size_t{6});
  QVERIFY(j.at("inputs").at("pseudotime").as_bool()); // PseudoTime.csv beside the expression

  const QString out = m_dir.filePath("li_model.csv");
  r = cli(
      {"grn", "--model", model, "--expr", dir, "--truth", dir + "/refNetwork.csv", "--out", out, "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  j = one_object(r.out);
  QCOMPARE(j.at("method").as_string(), std::string("genocircuit"));
  QCOMPARE(j.at("edges").as_int(), std::int64_t{42});
  QVERIFY(j.at("metrics").at("auroc").as_double() > 0.0);
  // The same cells re-scored by the loaded checkpoint give the ranked list `train` wrote.
  QCOMPARE(read_file(out), read_file(edges));

  // A damaged checkpoint is bad input naming the file; nothing is written.
  const QString bad = m_dir.filePath("bad.gcmodel");
  {
    QFile in(model), cut(bad);
    QVERIFY(in.open(QIODevice::ReadOnly) && cut.open(QIODevice::WriteOnly));
    cut.write(in.read(in.size() / 2));
  }
  const QString none = m_dir.filePath("none.csv");
  r = cli({"grn", "--model", bad, "--expr", dir, "--out", none});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("bad.gcmodel") && r.err.contains("truncated"), r.err.constData());
  QVERIFY(!QFile::exists(none));
  // Other genes than the model's.
  const QString other = shared("beeline/Synthetic/dyn-CY/dyn-CY_500_0");
  if (QFile::exists(other)) {
    r = cli({"grn", "--model", model, "--expr", other, "--out", none});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("trained on 7 genes"), r.err.constData());
  }
  r = cli({"grn", "--model", model, "--method", "pearson", "--expr", dir, "--out", none});
  QCOMPARE(r.code, 2);
}

// `bench grn --json` (DESIGN §8 shape): GenoCircuit timed and scored beside the baselines on the
// same set in the same run, against the same run's baseline. Shape and consistency only: times
// are the benchmark's business.
void TestCliGrn::bench_grn_has_genocircuit_beside_the_baselines() {
  const QString root = shared("beeline");
  if (!QFile::exists(root + "/Synthetic/dyn-LI/dyn-LI_500_0/refNetwork.csv"))
    QSKIP("BEELINE dyn-LI_500_0 is absent from the shared data");
  auto r = cli({"bench", "grn", "--beeline", root, "--sets", "Synthetic/dyn-LI/dyn-LI_500_0", "--methods",
                "genocircuit,pearson", "--epochs", "3", "--synthetic-genes", "0", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto j = one_object(r.out);
  QCOMPARE(j.at("suite").as_string(), std::string("grn"));
  QVERIFY(j.at("machine").at("cpu").is_string());
  const auto& results = j.at("results").as_array();
  QCOMPARE(results.size(), std::size_t{2});
  const auto& pearson = results[0];
  const auto& model = results[1];
  QCOMPARE(pearson.at("name").as_string(), std::string("pearson"));
  QCOMPARE(model.at("name").as_string(), std::string("genocircuit"));
  const auto& p = model.at("params");
  QCOMPARE(p.at("epochs").as_int(), std::int64_t{3});
  QCOMPARE(p.at("genes").as_int(), std::int64_t{7});
  QCOMPARE(p.at("cells").as_int(), std::int64_t{500});
  QCOMPARE(p.at("candidate_edges").as_int(), std::int64_t{42});
  QVERIFY(p.at("pseudotime").as_bool());
  const double seconds = model.at("seconds").as_double();
  QVERIFY(seconds > 0 && model.at("train_seconds").as_double() <= seconds);
  QVERIFY(near(model.at("seconds_per_epoch"), model.at("train_seconds").as_double() / 3));
  // The baseline is the |Pearson| run of this set (no GENIE3 asked for), ratios against it.
  const auto& base = model.at("baseline");
  QCOMPARE(base.at("name").as_string(), std::string("pearson"));
  QCOMPARE(base.at("seconds").as_double(), pearson.at("seconds").as_double());
  QCOMPARE(base.at("accuracy").dump(), pearson.at("accuracy").dump());
  QVERIFY(near(model.at("speedup"), base.at("seconds").as_double() / seconds));
  QVERIFY(near(model.at("auprc_ratio_vs_baseline"), model.at("accuracy").at("auprc_ratio").as_double() /
                                                        base.at("accuracy").at("auprc_ratio").as_double()));
  QVERIFY(near(pearson.at("accuracy").at("auprc"), 0.432023482469911)); // as `grn` scores it
  const auto& summary = j.at("summary").at("genocircuit");
  QCOMPARE(summary.at("sets").as_int(), std::int64_t{1});
  QCOMPARE(summary.at("baseline").as_string(), std::string("pearson"));

  r = cli({"bench", "grn", "--beeline", root, "--methods", "genocircuit,magic", "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(one_object(r.out).at("error").as_string().find("'magic'") != std::string::npos);
  r = cli({"bench", "grn", "--beeline", root, "--epochs", "0"});
  QCOMPARE(r.code, 2);
}

GC_QTEST_GUILESS_MAIN(TestCliGrn)
#include "test_cli_grn.moc"
