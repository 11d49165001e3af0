// genocircuit-cli's contract (DESIGN §7): exit codes, one JSON object on stdout with --json,
// messages on stderr that name the file and the problem.
#include "gc/util/error.h"
#include "gc/util/json.h"

#include "cli_run.h"
#include "gc_qtest_main.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>

namespace {

using gc::test::cli;
using gc::test::one_object;
using gc::test::read_file;
using gc::test::Run;
using gc::test::write_file;

// Relative path -> SHA-256 of every file under `dir`.
std::map<QString, QByteArray> file_hashes(const QString& dir) {
  std::map<QString, QByteArray> hashes;
  QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    hashes[QDir(dir).relativeFilePath(path)] =
        QCryptographicHash::hash(read_file(path), QCryptographicHash::Sha256);
  }
  return hashes;
}

QString fail_text(const Run& r) {
  return QString::fromUtf8("exit " + QByteArray::number(r.code) + ": " + r.err);
}

bool is_number_or_null(const gc::Json& j) { return j.is_null() || j.is_number(); }
} // namespace

class TestCli : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void version_and_help();
  void unknown_command_and_option_exit_2();
  void info_on_bad_input_exits_2_with_json_error();
  void fasta_region();
  void simulate_writes_the_world_deterministically();
  void hic_dump_balance_graph_on_the_demo_world();
  void hic_dump_region_readings_on_a_cooler();
  void bench_kernels_json_shape();

private:
  // The small demo world, simulated once (seed 5) by the first test that needs it.
  const gc::Json& world();
  QTemporaryDir m_dir;
  gc::Json m_world;
};

const gc::Json& TestCli::world() {
  if (m_world.is_null()) {
    const auto r =
        cli({"simulate", "--out", m_dir.filePath("world_a"), "--preset", "small", "--seed", "5", "--json"});
    if (r.code != 0) throw gc::Error("simulate failed: " + fail_text(r).toStdString());
    m_world = one_object(r.out);
  }
  return m_world;
}

void TestCli::version_and_help() {
  auto r = cli({"--version"});
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.startsWith("genocircuit-cli "));
  r = cli({"--version", "--json"});
  QCOMPARE(r.code, 0);
  const auto v = one_object(r.out);
  QCOMPARE(v.at("name").as_string(), std::string("genocircuit-cli"));
  QVERIFY(QString::fromStdString(v.at("version").as_string())
              .contains(QRegularExpression("^\\d+\\.\\d+\\.\\d+$")));
  r = cli({"--help"});
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.contains("info FILE"));
  QVERIFY(r.out.contains("bench SUITE"));
  QVERIFY(r.out.contains("Exit codes"));
  r = cli({"info", "--help"});
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.contains("Usage: genocircuit-cli info FILE"));
  // No command at all is a usage error.
  r = cli({});
  QCOMPARE(r.code, 2);
}

void TestCli::unknown_command_and_option_exit_2() {
  auto r = cli({"frobnicate", "--json"});
  QCOMPARE(r.code, 2);
  const auto e = one_object(r.out);
  QCOMPARE(e.at("kind").as_string(), std::string("input"));
  QCOMPARE(e.at("exit_code").as_int(), 2);
  QVERIFY(r.err.contains("unknown command 'frobnicate'"));
  r = cli({"info", "x.fa", "--no-such-option"});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("unknown option --no-such-option"));
  r = cli({"bench", "no-such-suite", "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(one_object(r.out).at("error").as_string().find("unknown benchmark suite") != std::string::npos);
}

void TestCli::info_on_bad_input_exits_2_with_json_error() {
  const QString missing = m_dir.path() + "/missing.fa";
  auto r = cli({"info", missing, "--json"});
  QCOMPARE(r.code, 2);
  auto e = one_object(r.out);
  QVERIFY(QString::fromStdString(e.at("error").as_string()).contains(missing));
  QVERIFY(QString::fromStdString(e.at("error").as_string()).contains("no such file"));

  QFile empty(m_dir.path() + "/empty.txt");
  QVERIFY(empty.open(QIODevice::WriteOnly));
  empty.close();
  r = cli({"info", empty.fileName(), "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(QString::fromStdString(one_object(r.out).at("error").as_string()).contains("empty"));

  QFile junk(m_dir.path() + "/junk.bin");
  QVERIFY(junk.open(QIODevice::WriteOnly));
  junk.write(QByteArray("\x00\x01\x02garbage that is no known format", 34));
  junk.close();
  r = cli({"info", junk.fileName()});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("junk.bin"));
  QVERIFY(r.err.contains("unrecognised file format"));
  QVERIFY(r.out.isEmpty()); // nothing on stdout without --json on error

  r = cli({"info", m_dir.path(), "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(QString::fromStdString(one_object(r.out).at("error").as_string()).contains("directory"));
}

// A FASTA written here: the UCSC text chrT:11-20 is bases 11..20 (1-based), i.e. [10, 20).
void TestCli::fasta_region() {
  QByteArray seq;
  for (int i = 0; i < 100; ++i)
    seq += "ACGT"[(i * 7 + i / 5) % 4];
  const QString fa = m_dir.filePath("small.fa");
  write_file(fa, ">chrT test\n" + seq.left(60) + "\n" + seq.mid(60) + "\n>chrU\nNNNNACGT\n");
  auto r = cli({"fasta", fa, "--region", "chrT:11-20"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QCOMPARE(r.out, ">chrT:11-20\n" + seq.mid(10, 10) + "\n");
  r = cli({"fasta", fa, "--region", "chrT:11-20", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  auto j = one_object(r.out);
  QCOMPARE(j.at("name").as_string(), std::string("chrT"));
  QCOMPARE(j.at("start").as_int(), std::int64_t{10});
  QCOMPARE(j.at("end").as_int(), std::int64_t{20});
  QCOMPARE(QByteArray::fromStdString(j.at("sequence").as_string()), seq.mid(10, 10));
  // Across the line break; a bare name is the whole sequence, wrapped at --width.
  r = cli({"fasta", fa, "--region", "chrT:55-64", "--json"});
  QCOMPARE(QByteArray::fromStdString(one_object(r.out).at("sequence").as_string()), seq.mid(54, 10));
  r = cli({"fasta", fa, "--region", "chrU", "--width", "5"});
  QCOMPARE(r.out, QByteArray(">chrU:1-8\nNNNNA\nCGT\n"));
  // The default (UCSC) reading: chrT:10-20 starts at 0-based 9, unlike `hic dump`.
  j = one_object(cli({"fasta", fa, "--region", "chrT:10-20", "--json"}).out);
  QCOMPARE(j.at("start").as_int(), std::int64_t{9});
  QCOMPARE(j.at("end").as_int(), std::int64_t{20});
  // Bad regions are input errors naming the problem.
  r = cli({"fasta", fa, "--region", "chrT:90-120"});
  QCOMPARE(r.code, 2);
  r = cli({"fasta", fa, "--region", "chrZ:1-10"});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("chrZ"));
}

// Every file the manifest lists exists, and a second run with the same seed writes the same
// bytes; another seed does not.
void TestCli::simulate_writes_the_world_deterministically() {
  const auto& m = world();
  QCOMPARE(m.at("preset").as_string(), std::string("small"));
  QCOMPARE(m.at("seed").as_int(), std::int64_t{5});
  const QString a = m_dir.filePath("world_a");
  QVERIFY(QFile::exists(a + "/manifest.json"));
  QCOMPARE(gc::Json::parse(read_file(a + "/manifest.json").toStdString()).dump(), m.dump());
  const auto& files = m.at("files");
  QVERIFY(files.size() >= 10);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const QString path = a + "/" + QString::fromStdString(files.at(i).at("path").as_string());
    QVERIFY2(QFileInfo(path).isFile() && QFileInfo(path).size() > 0, qPrintable(path));
  }
  for (const char* truth : {"grn", "perturbation_truth", "tad_boundaries", "loops"})
    QVERIFY(QFile::exists(a + "/" + QString::fromStdString(m.at("ground_truth").at(truth).as_string())));

  const QString b = m_dir.filePath("world_b");
  auto r = cli({"simulate", "--out", b, "--preset", "small", "--seed", "5"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  const auto ha = file_hashes(a), hb = file_hashes(b);
  QCOMPARE(ha.size(), files.size() + 1); // + manifest.json
  QCOMPARE(hb.size(), ha.size());
  for (const auto& [name, hash] : ha) {
    QVERIFY2(hb.count(name) == 1, qPrintable(name));
    QVERIFY2(hb.at(name) == hash, qPrintable("differs between runs with the same seed: " + name));
  }
  const QString c = m_dir.filePath("world_c");
  r = cli({"simulate", "--out", c, "--preset", "small", "--seed", "6"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QVERIFY(file_hashes(c).at("genome.fa.gz") != ha.at("genome.fa.gz"));
}

// The demo world's Hi-C at its base resolution: dump prints every stored pixel, balance weighs
// every bin, graph writes one line per undirected edge.
void TestCli::hic_dump_balance_graph_on_the_demo_world() {
  const auto& m = world();
  const auto& summary = m.at("summary");
  const QString uri = m_dir.filePath("world_a/hic.mcool") + "::/resolutions/" +
                      QString::number(summary.at("hic_bin_size").as_int());
  const QString pixels = m_dir.filePath("pixels.tsv");
  auto r = cli({"hic", "dump", uri, "--format", "coo", "--out", pixels, "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  auto j = one_object(r.out);
  QCOMPARE(j.at("pixels").as_int(), summary.at("hic_pixels").as_int());
  const auto lines = read_file(pixels).split('\n');
  QCOMPARE(static_cast<std::int64_t>(lines.size()) - 1, summary.at("hic_pixels").as_int());
  QCOMPARE(lines.front().split('\t').size(), 3);
  // Upper triangle: bin1 <= bin2 on every line.
  for (const auto& line : lines) {
    if (line.isEmpty()) continue;
    const auto f = line.split('\t');
    QVERIFY2(f[0].toLongLong() <= f[1].toLongLong(), line.constData());
  }

  r = cli({"hic", "balance", uri, "--method", "ice", "--out", m_dir.filePath("weights.tsv"), "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  j = one_object(r.out);
  QCOMPARE(j.at("method").as_string(), std::string("ice"));
  QVERIFY(j.at("converged").as_bool());
  QCOMPARE(j.at("bins").as_int(), summary.at("hic_bins").as_int());
  QVERIFY(j.at("masked").as_int() < j.at("bins").as_int());
  const auto weights = read_file(m_dir.filePath("weights.tsv")).trimmed().split('\n');
  QCOMPARE(weights.front(), QByteArray("chrom\tstart\tend\tweight"));
  QCOMPARE(static_cast<std::int64_t>(weights.size()) - 1, summary.at("hic_bins").as_int());

  const QString edges = m_dir.filePath("edges.tsv");
  r = cli({"hic", "graph", uri, "--top-percent", "5", "--local-window", "50000", "--out", edges, "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  j = one_object(r.out);
  QCOMPARE(j.at("nodes").as_int(), summary.at("hic_bins").as_int());
  QVERIFY(j.at("edges").as_int() > 0);
  const auto edge_lines = read_file(edges).trimmed().split('\n');
  QCOMPARE(edge_lines.front(), QByteArray("bin1\tbin2\tlog_contact\tlog_distance\toe"));
  QCOMPARE(static_cast<std::int64_t>(edge_lines.size()) - 1, j.at("edges").as_int());
}

// cooler's toy matrix (2-bp bins) with its own text dump: `hic dump --region` reads the text the
// UCSC way (1-based, as every command does); --region-text cooler as `cooler dump -r` does.
void TestCli::hic_dump_region_readings_on_a_cooler() {
  const auto dir = std::filesystem::path(gc::test::shared_data_dir()) / "hic/cooler";
  const QString cool = QString::fromStdString((dir / "toy.symm.upper.2.cool").string());
  if (!QFile::exists(cool)) QSKIP("shared test data (hic/cooler/toy.symm.upper.2.cool) is absent");
  auto r = cli({"hic", "dump", cool, "--region", "chr1:2-20", "--region-text", "cooler"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QCOMPARE(r.out, QByteArray("chr1\t2\t4\tchr1\t18\t20\t2\n"));
  r = cli({"hic", "dump", cool, "--region", "chr1:2-20"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QCOMPARE(r.out, QByteArray("chr1\t0\t2\tchr1\t16\t18\t2\nchr1\t2\t4\tchr1\t18\t20\t2\n"));
  r = cli({"hic", "dump", cool, "--region", "chr1:2-20", "--region-text", "ucsc"});
  QCOMPARE(r.out, QByteArray("chr1\t0\t2\tchr1\t16\t18\t2\nchr1\t2\t4\tchr1\t18\t20\t2\n"));
  // The whole matrix equals cooler's dump (one-based starts in that file).
  r = cli({"hic", "dump", cool});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  QByteArray want;
  for (const auto& line :
       read_file(QString::fromStdString((dir / "toy.symm.upper.2.bg2").string())).split('\n')) {
    const auto f = line.split('\t');
    if (f.size() != 7) continue;
    want += f[0] + '\t' + QByteArray::number(f[1].toLongLong() - 1) + '\t' + f[2] + '\t' + f[3] + '\t' +
            QByteArray::number(f[4].toLongLong() - 1) + '\t' + f[5] + '\t' + f[6] + '\n';
  }
  QCOMPARE(r.out, want);
  r = cli({"hic", "dump", cool, "--region", "chr1:2-20", "--region-text", "bed"});
  QCOMPARE(r.code, 2);
  r = cli({"hic", "dump", cool, "--region", "chr1:20", "--region-text", "cooler"}); // wants START-END
  QCOMPARE(r.code, 2);
}

// DESIGN §8: suite, machine {cpu, threads, gpu, torch}, results with a same-run baseline (or
// null with the reason in note). The smallest sizes keep it to a second or so.
void TestCli::bench_kernels_json_shape() {
  auto r = cli({"bench", "kernels", "--sizes", "64", "--heads", "1", "--head-dim", "16", "--ops",
                "flash,block", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  auto j = one_object(r.out);
  QCOMPARE(j.at("suite").as_string(), std::string("kernels"));
  const auto& machine = j.at("machine");
  QVERIFY(machine.at("cpu").is_string());
  QVERIFY(machine.at("threads").as_int() >= 1);
  QVERIFY(machine.at("gpu").is_null() || machine.at("gpu").is_string());
  QVERIFY(machine.at("torch").is_null() || machine.at("torch").is_string());
  const auto& results = j.at("results");
  QCOMPARE(results.size(), std::size_t{3}); // flash_forward, flash_forward_backward, block_sparse_forward
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& x = results.at(i);
    for (const char* key : {"name", "backend", "device", "dtype", "note"})
      QVERIFY2(x.at(key).is_string(), key);
    QCOMPARE(x.at("device").as_string(), std::string("cpu"));
    QCOMPARE(x.at("dtype").as_string(), std::string("f32"));
    QCOMPARE(x.at("params").at("n").as_int(), std::int64_t{64});
    QCOMPARE(x.at("params").at("heads").as_int(), std::int64_t{1});
    QCOMPARE(x.at("params").at("head_dim").as_int(), std::int64_t{16});
    QVERIFY(x.at("seconds").as_double() > 0);
    QVERIFY(is_number_or_null(x.at("peak_bytes")));
    const auto& base = x.at("baseline");
    QVERIFY(base.is_object());
    QVERIFY(base.at("name").is_string());
    QVERIFY(base.at("seconds").as_double() > 0);
    QVERIFY(is_number_or_null(base.at("peak_bytes")));
    QCOMPARE(x.at("speedup").as_double(), base.at("seconds").as_double() / x.at("seconds").as_double());
    QVERIFY(is_number_or_null(x.at("memory_ratio")));
  }
  QCOMPARE(results.at(0).at("name").as_string(), std::string("flash_forward"));
  QCOMPARE(results.at(0).at("baseline").at("name").as_string(), std::string("naive_torch"));
  // A baseline that cannot run at this size is null, and the note says why.
  r = cli({"bench", "kernels", "--sizes", "64", "--heads", "1", "--head-dim", "16", "--ops", "flash",
           "--naive-limit-mb", "0", "--json"});
  QVERIFY2(r.code == 0, qPrintable(fail_text(r)));
  j = one_object(r.out);
  const auto& first = j.at("results").at(0);
  QCOMPARE(first.at("name").as_string(), std::string("flash_forward"));
  QVERIFY(first.at("baseline").is_null());
  QVERIFY(first.at("speedup").is_null());
  QVERIFY(first.at("memory_ratio").is_null());
  QVERIFY(first.at("note").as_string().find("naive baseline skipped") != std::string::npos);
}

GC_QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
