// `genocircuit-cli grn` end to end (DESIGN §7): the JSON shape scripts rely on, metrics on BEELINE
// and DREAM4 data pinned to sklearn run once on the same ranked edges (BEELINE's computeAUC.py
// logic: roc_curve / precision_recall_curve + auc), the demo world with its TF column, every
// output format, and bad input: exit 2, the file named, no output left behind.
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

} // namespace

class TestCliGrn : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void beeline_pearson_json_and_formats();
  void dream4_folder();
  void demo_world_with_tf_column();
  void bad_input_exits_2_and_leaves_no_output();
  void train_then_grn_from_the_checkpoint();

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

GC_QTEST_GUILESS_MAIN(TestCliGrn)
#include "test_cli_grn.moc"
