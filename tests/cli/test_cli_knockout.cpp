// `train --perturb`, `knockout` and `atlas` end to end on a small simulated world: the JSON
// contract of DESIGN §7, Shapley efficiency, the atlas file and its resumption, bad input.
#include "cli_run.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using gc::test::cli;
using gc::test::one_object;

class TestCliKnockout : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void knockout_contract();
  void atlas_ranks_and_resumes();
  void bad_input();

private:
  QTemporaryDir m_dir;
  QString m_world, m_model;
  std::string m_tf;
};

void TestCliKnockout::initTestCase() {
  QVERIFY(m_dir.isValid());
  m_world = m_dir.filePath("world");
  auto r = cli({"simulate", "--out", m_world, "--preset", "small", "--seed", "3", "--quiet"});
  QVERIFY2(r.code == 0, r.err.constData());
  m_model = m_dir.filePath("m.gcmodel");
  r = cli({"train", "--expr", m_world + "/expression.h5ad", "--tfs", m_world + "/tfs.txt", "--perturb",
           m_world + "/screen.h5ad", "--epochs", "4", "--perturb-epochs", "40", "--out", m_model, "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto j = one_object(r.out);
  const auto& p = j.at("perturbation");
  QVERIFY(QFile::exists(QString::fromStdString(p.at("model").as_string())));
  QVERIFY(QString::fromStdString(p.at("model").as_string()).endsWith("m.gcpert"));
  QVERIFY(p.at("examples").as_int() > 0);
  QVERIFY(p.at("final_reconstruction").as_double() < 1e9);
  // A TF the screen knocked out.
  QFile tfs(m_world + "/tfs.txt");
  QVERIFY(tfs.open(QIODevice::ReadOnly));
  m_tf = QString(tfs.readLine()).trimmed().toStdString();
  QVERIFY(!m_tf.empty());
}

void TestCliKnockout::knockout_contract() {
  const auto out = m_dir.filePath("ko.csv");
  // One draw (the mean latent): the explained value is then exactly the reported change.
  const auto r = cli({"knockout", "--model", m_model, "--genes", QString::fromStdString(m_tf),
                      "--explain-top", "1", "--samples", "1", "--out", out, "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto j = one_object(r.out);
  QCOMPARE(j.at("intervention").at("mode").as_string(), std::string("ko"));
  const auto& genes = j.at("genes").as_array();
  const auto& control = j.at("control").as_array();
  const auto& predicted = j.at("predicted").as_array();
  const auto& delta = j.at("delta").as_array();
  QCOMPARE(control.size(), genes.size());
  QCOMPARE(j.at("delta_sd").as_array().size(), genes.size());
  QCOMPARE(j.at("log2fc").as_array().size(), genes.size());
  std::size_t tf = genes.size();
  for (std::size_t g = 0; g < genes.size(); ++g) {
    QVERIFY(std::abs(predicted[g].as_double() - control[g].as_double() - delta[g].as_double()) < 1e-9);
    if (genes[g].as_string() == m_tf) tf = g;
  }
  QVERIFY(tf < genes.size());
  QVERIFY(delta[tf].as_double() < 0.0); // the knocked-out gene goes down
  QVERIFY(j.at("log2fc").as_array()[tf].as_double() < -1.0);
  // One explanation, its values adding up to the explained change.
  const auto& ex = j.at("explanations").as_array();
  QCOMPARE(ex.size(), std::size_t{1});
  double sum = 0.0;
  for (const auto& v : ex[0].at("phi").as_array())
    sum += v.as_double();
  QVERIFY(std::abs(sum - (ex[0].at("f_all").as_double() - ex[0].at("f_none").as_double())) < 1e-6);
  QVERIFY(std::abs(ex[0].at("efficiency_gap").as_double()) < 1e-6);
  const auto target = ex[0].at("target").as_string();
  for (std::size_t g = 0; g < genes.size(); ++g)
    if (genes[g].as_string() == target)
      QVERIFY(std::abs(ex[0].at("f_all").as_double() - delta[g].as_double()) < 1e-5);
  // The CSV has a header and one row per gene.
  const auto lines = QString(gc::test::read_file(out)).trimmed().split('\n');
  QCOMPARE(lines.front(), QString("gene,control,predicted,delta,delta_sd,log2fc,step,via"));
  QCOMPARE(static_cast<std::size_t>(lines.size()), genes.size() + 1);
  // Overexpression raises the gene.
  const auto oe = cli(
      {"knockout", "--model", m_model, "--genes", QString::fromStdString(m_tf), "--mode", "oe:4", "--json"});
  QVERIFY2(oe.code == 0, oe.err.constData());
  QVERIFY(one_object(oe.out).at("delta").as_array()[tf].as_double() > 0.0);
}

void TestCliKnockout::atlas_ranks_and_resumes() {
  const auto out = m_dir.filePath("atlas.tsv");
  auto r = cli({"atlas", "--model", m_dir.filePath("m.gcpert"), "--out", out, "--chunk", "16", "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto j = one_object(r.out);
  const auto n = j.at("genes").as_int();
  QVERIFY(n > 10);
  const auto& ranked = j.at("ranked").as_array();
  for (std::size_t i = 1; i < ranked.size(); ++i)
    QVERIFY(ranked[i - 1].at("impact").as_double() >= ranked[i].at("impact").as_double());
  const auto lines = QString(gc::test::read_file(out)).trimmed().split('\n');
  QCOMPARE(lines.size(), static_cast<qsizetype>(n + 1));
  // --resume keeps what the file holds.
  gc::test::write_file(out,
                       "gene\timpact\tchanged_genes\ttop\n" + QByteArray(m_tf.c_str()) + "\t1e6\t1\tkept\n");
  r = cli({"atlas", "--model", m_model, "--out", out, "--resume", "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto again = one_object(r.out);
  QCOMPARE(again.at("ranked").as_array().front().at("gene").as_string(), m_tf);
  QCOMPARE(again.at("ranked").as_array().front().at("top").as_string(), std::string("kept"));
}

void TestCliKnockout::bad_input() {
  auto r = cli({"knockout", "--model", m_model, "--genes", "NOPE1,NOPE2", "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("NOPE1") && r.err.contains("2 gene(s)"), r.err.constData());
  r = cli({"knockout", "--model", m_model, "--genes", QString::fromStdString(m_tf), "--mode", "kd:2"});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("between 0 and 1"), r.err.constData());
  r = cli({"knockout", "--model", m_world + "/grn.csv", "--genes", "X"});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("grn.csv") && r.err.contains("not a GenoCircuit perturbation model"),
           r.err.constData());
  // A missing --perturb file fails before any training.
  r = cli({"train", "--expr", m_world + "/expression.h5ad", "--perturb", m_dir.filePath("absent.h5ad"),
           "--out", m_dir.filePath("x.gcmodel")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("absent.h5ad"), r.err.constData());
  QVERIFY(!QFile::exists(m_dir.filePath("x.gcmodel")));
}

GC_QTEST_GUILESS_MAIN(TestCliKnockout)
#include "test_cli_knockout.moc"
