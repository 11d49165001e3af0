// `train --perturb`, `knockout` and `atlas` end to end on a small simulated world: the JSON
// contract of DESIGN §7, Shapley efficiency, the atlas file and its resumption, the
// knockout-impact tracks read back through gc::genome, bad input.
#include "cli_run.h"

#include "gc/genome/annotation.h"
#include "gc/genome/bigwig.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

using gc::test::cli;
using gc::test::one_object;

class TestCliKnockout : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void knockout_contract();
  void atlas_ranks_and_resumes();
  void knockout_track();
  void atlas_track();
  void track_bad_input();
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

// Each gene's interval is its span in the GTF with its change (the demo world's genes do not
// overlap), stored as a float.
void TestCliKnockout::knockout_track() {
  const auto gtf = m_world + "/genes.gtf";
  const auto bw = m_dir.filePath("ko.bw");
  auto r = cli({"knockout", "--model", m_model, "--genes", QString::fromStdString(m_tf), "--samples", "1",
                "--track", bw, "--gtf", gtf, "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto j = one_object(r.out);
  const auto& genes = j.at("genes").as_array();
  const auto& delta = j.at("delta").as_array();
  const auto& t = j.at("track");
  QCOMPARE(t.at("format").as_string(), std::string("bigwig"));
  QCOMPARE(t.at("value").as_string(), std::string("delta"));
  QCOMPARE(t.at("name").as_string(), m_tf + " delta");
  QCOMPARE(t.at("chromosome_sizes").as_string(), std::string("annotation"));
  QCOMPARE(static_cast<std::size_t>(t.at("genes_placed").as_int()), genes.size());
  QVERIFY(t.at("genes_missing").as_array().empty());
  QVERIFY2(r.err.contains("size is the end of its last gene"), r.err.constData());
  const auto annotation = gc::genome::Annotation::load(gtf.toStdString());
  const gc::genome::BigWigReader reader(bw.toStdString());
  std::map<std::string, std::int64_t> last_end;
  for (const auto& g : annotation.genes())
    last_end[g.chrom] = std::max(last_end[g.chrom], g.end);
  QCOMPARE(reader.chromosomes().size(), last_end.size());
  for (const auto& [chrom, end] : last_end)
    QCOMPARE(reader.length(chrom), end);
  std::size_t stored = 0;
  for (const auto& c : reader.chromosomes())
    stored += reader.intervals(c.name, 0, c.length).size();
  QCOMPARE(stored, genes.size());
  for (std::size_t g = 0; g < genes.size(); ++g) {
    const auto* gene = annotation.find_gene(genes[g].as_string());
    QVERIFY(gene != nullptr);
    const auto found = reader.intervals(gene->chrom, gene->start, gene->end);
    QCOMPARE(found.size(), std::size_t{1});
    QCOMPARE(found[0].start, gene->start);
    QCOMPARE(found[0].end, gene->end);
    QCOMPARE(found[0].value, static_cast<float>(delta[g].as_double()));
  }

  // bedGraph of the log2 fold change on the genome's chromosomes: a track line, then one line per
  // gene in chromosome and position order.
  const auto bg = m_dir.filePath("ko.bedgraph");
  r = cli({"knockout", "--model", m_model, "--genes", QString::fromStdString(m_tf), "--samples", "1",
           "--track", bg, "--gtf", gtf, "--genome", m_world + "/genome.fa.gz", "--value", "log2fc",
           "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto fc_run = one_object(r.out);
  QCOMPARE(fc_run.at("track").at("chromosome_sizes").as_string(), std::string("genome"));
  const auto lines = QString(gc::test::read_file(bg)).trimmed().split('\n');
  QCOMPARE(lines.front(),
           QString::fromStdString("track type=bedGraph name=\"" + m_tf +
                                  " log2fc\" description=\"GenoCircuit predicted log2fc per gene "
                                  "under " +
                                  m_tf + " (group " + fc_run.at("group").as_string() + ")\""));
  QCOMPARE(static_cast<std::size_t>(lines.size()), genes.size() + 1);
  std::map<std::string, double> fc;
  for (std::size_t g = 0; g < genes.size(); ++g)
    fc[genes[g].as_string()] = fc_run.at("log2fc").as_array()[g].as_double();
  QString previous_chrom;
  long long previous_end = 0;
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const auto f = lines[i].split('\t');
    QCOMPARE(f.size(), qsizetype{4});
    const auto genes_here = annotation.genes_in({f[0].toStdString(), f[1].toLongLong(), f[2].toLongLong()});
    QCOMPARE(genes_here.size(), std::size_t{1});
    const auto& gene = annotation.genes()[genes_here.front()];
    QCOMPARE(f[1].toLongLong(), gene.start);
    QCOMPARE(f[2].toLongLong(), gene.end);
    QCOMPARE(f[3].toFloat(), static_cast<float>(fc.at(gene.name)));
    if (f[0] == previous_chrom) QVERIFY(f[1].toLongLong() >= previous_end);
    previous_chrom = f[0];
    previous_end = f[2].toLongLong();
  }
}

void TestCliKnockout::atlas_track() {
  const auto bw = m_dir.filePath("atlas.bw");
  const auto gtf = m_world + "/genes.gtf";
  const auto r = cli({"atlas", "--model", m_model, "--out", m_dir.filePath("atlas_track.tsv"), "--track", bw,
                      "--gtf", gtf, "--genome", m_world + "/genome.fa.gz", "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto j = one_object(r.out);
  QCOMPARE(j.at("track").at("genes_placed").as_int(), j.at("genes").as_int());
  const auto annotation = gc::genome::Annotation::load(gtf.toStdString());
  const gc::genome::BigWigReader reader(bw.toStdString());
  // The genome's sizes, from its index.
  const auto fai = QString(gc::test::read_file(m_world + "/genome.fa.gz.fai")).trimmed().split('\n');
  QCOMPARE(reader.chromosomes().size(), static_cast<std::size_t>(fai.size()));
  for (const auto& line : fai) {
    const auto f = line.split('\t');
    QCOMPARE(reader.length(f[0].toStdString()), f[1].toLongLong());
  }
  for (const auto& e : j.at("ranked").as_array()) {
    const auto* gene = annotation.find_gene(e.at("gene").as_string());
    QVERIFY(gene != nullptr);
    const auto found = reader.intervals(gene->chrom, gene->start, gene->end);
    QCOMPARE(found.size(), std::size_t{1});
    QCOMPARE(found[0].value, static_cast<float>(e.at("impact").as_double()));
  }
}

void TestCliKnockout::track_bad_input() {
  const auto tf = QString::fromStdString(m_tf);
  const auto gtf = m_world + "/genes.gtf";
  auto r = cli({"knockout", "--model", m_model, "--genes", tf, "--track", m_dir.filePath("a.bw")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("a.bw") && r.err.contains("--track needs --gtf"), r.err.constData());
  const auto absent = m_dir.filePath("no_such_folder/a.bw");
  r = cli({"knockout", "--model", m_model, "--genes", tf, "--track", absent, "--gtf", gtf});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("no_such_folder/a.bw") && r.err.contains("does not exist"), r.err.constData());
  // A GTF of other genes: the knockout, and the atlas before it runs.
  const auto other = m_dir.filePath("other.gtf");
  gc::test::write_file(other, "chr1\tx\tgene\t1\t100\t.\t+\t.\tgene_id \"X1\"; gene_name \"X1\";\n");
  r = cli({"knockout", "--model", m_model, "--genes", tf, "--track", m_dir.filePath("b.bw"), "--gtf", other,
           "--out", m_dir.filePath("b.csv")});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("other.gtf") && r.err.contains("is a gene of the annotation"), r.err.constData());
  QVERIFY(!QFile::exists(m_dir.filePath("b.bw")) && !QFile::exists(m_dir.filePath("b.csv")));
  r = cli({"atlas", "--model", m_model, "--out", m_dir.filePath("c.tsv"), "--track", m_dir.filePath("c.bw"),
           "--gtf", other});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("other.gtf"), r.err.constData());
  QVERIFY(!QFile::exists(m_dir.filePath("c.tsv")) && !QFile::exists(m_dir.filePath("c.bw")));
  // Track options without a track, and a z-score from a single draw.
  r = cli({"knockout", "--model", m_model, "--genes", tf, "--gtf", gtf});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("give --track"), r.err.constData());
  r = cli({"knockout", "--model", m_model, "--genes", tf, "--samples", "1", "--value", "z", "--track",
           m_dir.filePath("z.bw"), "--gtf", gtf});
  QCOMPARE(r.code, 2);
  QVERIFY2(r.err.contains("--samples 1"), r.err.constData());
  // Some genes without a locus: written, with a warning that names them.
  const auto lines = QString(gc::test::read_file(gtf)).split('\n');
  QByteArray part;
  for (const auto& line : lines)
    if (line.contains("\"TF") || line.contains("gene_id \"G0")) part += line.toUtf8() + '\n';
  const auto partial = m_dir.filePath("partial.gtf");
  gc::test::write_file(partial, part);
  r = cli({"knockout", "--model", m_model, "--genes", tf, "--track", m_dir.filePath("p.bedgraph"), "--gtf",
           partial, "--json"});
  QVERIFY2(r.code == 0, r.err.constData());
  const auto j = one_object(r.out);
  const auto missing = j.at("track").at("genes_missing").as_array().size();
  QVERIFY(missing > 0);
  QCOMPARE(static_cast<std::size_t>(j.at("track").at("genes_placed").as_int()) + missing,
           j.at("genes").as_array().size());
  const auto warning = QString::number(missing) + " of " + QString::number(j.at("genes").as_array().size()) +
                       " genes are not genes of";
  QVERIFY2(r.err.contains(warning.toUtf8()), r.err.constData());
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
