// gc::genome unit tests: regions, aliases, IUPAC one-hot, FASTA storage kinds and fetches,
// annotation parsing and queries, BED, VCF, writers' round trips and determinism, bad input.
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/bedgraph.h"
#include "gc/genome/bigwig.h"
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/fasta.h"
#include "gc/genome/motifs.h"
#include "gc/genome/region.h"
#include "gc/genome/sequence.h"
#include "gc/genome/summary.h"
#include "gc/genome/vcf.h"
#include "gc/genome/writers.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/temp_dir.h"

#include "gc_progress_recorder.h"
#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sys/stat.h>
#include <thread>

namespace fs = std::filesystem;
using namespace gc::genome;

namespace {

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

void write_plain_gzip(const fs::path& p, const std::string& text) {
  gzFile f = gzopen(p.c_str(), "wb");
  QVERIFY(f != nullptr);
  QCOMPARE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  QCOMPARE(gzclose(f), Z_OK);
}

std::vector<FastaSequence> random_genome(std::uint64_t seed) {
  gc::Rng rng(seed);
  std::vector<FastaSequence> out;
  const char* bases = "ACGT";
  for (int c = 0; c < 3; ++c) {
    FastaSequence s{"chr" + std::to_string(c + 1),
                    std::string(static_cast<std::size_t>(70'000 + 1'234 * c), 'A')};
    for (auto& b : s.sequence)
      b = bases[rng.below(4)];
    out.push_back(std::move(s));
  }
  out[1].sequence.replace(100, 8, "RYNNkmAc"); // IUPAC codes and soft-masking survive
  return out;
}

template <typename F>
QString input_error_of(F&& f) {
  try {
    f();
  } catch (const gc::InputError& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

const char* tiny_gtf =
    "#!genome-build test\n"
    "chrI\tt\tgene\t101\t400\t.\t+\t.\tgene_id \"G1\"; gene_name \"ALPHA\"; gene_biotype "
    "\"protein_coding\";\n"
    "chrI\tt\ttranscript\t101\t400\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n"
    "chrI\tt\texon\t301\t400\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n"
    "chrI\tt\texon\t101\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n"
    "chrI\tt\tCDS\t120\t200\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\";\n"
    "chrI\tt\texon\t1001\t1500\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T2\"; gene_name \"Alpine\";\n"
    "chrII\tt\texon\t5\t50\t.\t+\t.\tgene_id \"G3\"; transcript_id \"T3\"; gene_name \"beta\";\n";

// Motif texts for the motif tests, values chosen so the expected numbers can be worked by hand.
const char* jaspar_text = ">MA0004.1 Arnt\n"
                          "4\t19\t0\t0\t0\t0\n"
                          "16\t0\t20\t0\t0\t0\n"
                          "0\t1\t0\t20\t0\t20\n"
                          "0\t0\t0\t0\t20\t0\n"
                          "\n"
                          ">MX1\tBracket name\n"
                          "A  [ 1 0 3 ]\n"
                          "C  [ 0 4 0 ]\n"
                          "T  [ 3 0 1.25 ]\n"
                          "G  [ 0 0 0 ]\n";

const char* transfac_text = "VV  TRANSFAC MATRIX TABLE\n"
                            "XX\n"
                            "//\n"
                            "AC  M00001\n"
                            "XX\n"
                            "ID  V$MYOD_01\n"
                            "XX\n"
                            "NA  MyoD\n"
                            "XX\n"
                            "P0      A      C      G      T\n"
                            "01      1      2      2      0      S\n"
                            "02      2      1      2      0      R\n"
                            "03      3      0      1      0      A\n"
                            "04      0      5      0      0      C\n"
                            "XX\n"
                            "//\n"
                            "AC MA0271.1\n"
                            "XX\n"
                            "ID ARG80\n"
                            "XX\n"
                            "DE MA0271.1 ARG80 ; From JASPAR\n"
                            "PO\tA\tC\tG\tT\n"
                            "01\t89.0\t0.0\t0.0\t69.0\n"
                            "02\t0.0\t0.0\t301.0\t0.5\n"
                            "XX\n"
                            "CC tax_group:fungi\n"
                            "XX\n"
                            "//\n"
                            "ID ONLYID\n"
                            "P0 T G C A\n"
                            "1 1 2 3 4\n"
                            "//\n";

const char* meme_text = "MEME version 4\n"
                        "\n"
                        "ALPHABET= ACGT\n"
                        "\n"
                        "strands: + -\n"
                        "\n"
                        "Background letter frequencies\n"
                        "A 0.3 C 0.2 G 0.2 T 0.3\n"
                        "\n"
                        "MOTIF MA0004.1 Arnt\n"
                        "letter-probability matrix: alength= 4 w= 3 nsites= 20 E= 0\n"
                        " 0.200000  0.800000  0.000000  0.000000\n"
                        " 0.950000  0.000000  0.050000  0.000000\n"
                        " 0.000000  1.000000  0.000000  0.000000\n"
                        "URL http://jaspar.genereg.net/matrix/MA0004.1\n"
                        "\n"
                        "MOTIF m2\n"
                        "letter-probability matrix: alength=4 w=2\n"
                        "0.25 0.25 0.25 0.25\n"
                        "0.5 0.25 0.125 0.125\n";

// `genes` genes of 5 GTF lines each (gene, transcript, two exons, CDS), about 120 bytes a line.
std::string progress_gtf(int genes) {
  std::string text;
  for (int g = 0; g < genes; ++g) {
    const std::int64_t start = 1 + 10'000LL * g;
    const std::string ids = "gene_id \"G" + std::to_string(g) + "\"; transcript_id \"T" + std::to_string(g) +
                            "\"; gene_name \"NAME" + std::to_string(g) + "\";\n";
    const auto line = [&](const char* type, std::int64_t a, std::int64_t b, const char* phase) {
      text += "chr" + std::to_string(g % 3 + 1) + "\tsim\t" + type + "\t" + std::to_string(a) + "\t" +
              std::to_string(b) + "\t.\t+\t" + phase + "\t" + ids;
    };
    line("gene", start, start + 2'999, ".");
    line("transcript", start, start + 2'999, ".");
    line("exon", start, start + 999, ".");
    line("exon", start + 2'000, start + 2'999, ".");
    line("CDS", start + 100, start + 999, "0");
  }
  return text;
}

// The same genes in GFF3 (gene, mRNA, two exons, CDS).
std::string progress_gff3(int genes) {
  std::string text = "##gff-version 3\n";
  for (int g = 0; g < genes; ++g) {
    const std::int64_t start = 1 + 10'000LL * g;
    const std::string gene = "G" + std::to_string(g), tx = "T" + std::to_string(g);
    const auto line = [&](const char* type, std::int64_t a, std::int64_t b, const char* phase,
                          const std::string& attributes) {
      text += "chr" + std::to_string(g % 3 + 1) + "\tsim\t" + type + "\t" + std::to_string(a) + "\t" +
              std::to_string(b) + "\t.\t+\t" + phase + "\t" + attributes + "\n";
    };
    line("gene", start, start + 2'999, ".", "ID=" + gene + ";Name=NAME" + std::to_string(g));
    line("mRNA", start, start + 2'999, ".", "ID=" + tx + ";Parent=" + gene);
    line("exon", start, start + 999, ".", "Parent=" + tx);
    line("exon", start + 2'000, start + 2'999, ".", "Parent=" + tx);
    line("CDS", start + 100, start + 999, "0", "ID=cds" + std::to_string(g) + ";Parent=" + tx);
  }
  return text;
}

// The error message of parsing `text`, empty when it parses.
QString motif_error(const std::string& text, MotifFormat format) {
  return input_error_of([&] { (void)parse_motifs(text, format, "m.txt"); });
}

} // namespace

class TestGenome : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void regions() {
    QCOMPARE(parse_region("chrII:10,000-200,000"), (Region{"chrII", 9'999, 200'000}));
    QCOMPARE(parse_region("chrII"), (Region{"chrII", 0, Region::to_end}));
    QVERIFY(parse_region("chrII").whole_chromosome());
    QCOMPARE(parse_region("chrII:10000"), (Region{"chrII", 9'999, 10'000}));
    QCOMPARE(parse_region("chrII:10kb-20kb"), (Region{"chrII", 9'999, 20'000}));
    QCOMPARE(parse_region("chrII:1.5M-2M"), (Region{"chrII", 1'499'999, 2'000'000}));
    QCOMPARE(parse_region(" chr1:5- "), (Region{"chr1", 4, Region::to_end}));
    // Names with colons (HLA contigs) split at the last colon.
    QCOMPARE(parse_region("HLA-A*01:01:1-10"), (Region{"HLA-A*01:01", 0, 10}));
    QCOMPARE(parse_region("chrII:10,000-200,000").to_string(), std::string("chrII:10000-200000"));
    QVERIFY(input_error_of([] { (void)parse_region("chrII:200-100"); }).contains("before start"));
    QVERIFY(input_error_of([] { (void)parse_region("chrII:abc-100"); }).contains("invalid position"));
    QVERIFY(input_error_of([] { (void)parse_region("chrII:0-100"); }).contains("start at 1"));
    QVERIFY(input_error_of([] { (void)parse_region(""); }).contains("empty"));
    QVERIFY(input_error_of([] { (void)parse_region("chrII:1.2345k-2k"); }).contains("invalid position"));
    QCOMPARE(clamp_to_chromosome(parse_region("chrII"), 500), (Region{"chrII", 0, 500}));
    QVERIFY(input_error_of([] {
              (void)clamp_to_chromosome(parse_region("c:1-600"), 500);
            }).contains("ends after"));
  }

  // The same text, read the two documented ways (README "Regions"): UCSC by default, cooler's
  // 0-based start for `hic dump --region`.
  void region_readings() {
    QCOMPARE(parse_region("chr1:10000-20000"), (Region{"chr1", 9'999, 20'000}));
    QCOMPARE(parse_region("chr1:10000-20000", RegionText::ucsc), (Region{"chr1", 9'999, 20'000}));
    QCOMPARE(parse_region("chr1:10000-20000", RegionText::cooler), (Region{"chr1", 10'000, 20'000}));
    QCOMPARE(parse_region("chr1:10001-20000"), parse_region("chr1:10000-20000", RegionText::cooler));
    QCOMPARE(parse_region("chr1:10,000-20kb", RegionText::cooler), (Region{"chr1", 10'000, 20'000}));
    QCOMPARE(parse_region("chr1:0-100", RegionText::cooler), (Region{"chr1", 0, 100}));
    QCOMPARE(parse_region("chr1:5-", RegionText::cooler), (Region{"chr1", 5, Region::to_end}));
    QCOMPARE(parse_region("chr1", RegionText::cooler), (Region{"chr1", 0, Region::to_end}));
    QCOMPARE(parse_region("chr1:10000-20000", RegionText::cooler).to_string(),
             std::string("chr1:10001-20000"));
    QCOMPARE(parse_region("chr1:10000-20000", RegionText::cooler).to_string(RegionText::cooler),
             std::string("chr1:10000-20000"));
    // One base in UCSC text, nothing in cooler's half-open reading; cooler wants START-END.
    QCOMPARE(parse_region("chr1:100-100"), (Region{"chr1", 99, 100}));
    QVERIFY(input_error_of([] { (void)parse_region("chr1:100-100", RegionText::cooler); }).contains("empty"));
    QVERIFY(input_error_of([] { (void)parse_region("chr1:100", RegionText::cooler); }).contains("START-END"));
    QVERIFY(input_error_of([] {
              (void)parse_region("chr1:200-100", RegionText::cooler);
            }).contains("before start"));
  }

  void aliases() {
    const auto& a = ChromAliases::builtin();
    const std::vector<std::string> genome = {"I", "II", "X", "XVI", "Mito"};
    QCOMPARE(a.resolve("chrI", genome), std::string("I"));
    QCOMPARE(a.resolve("chrMito", genome), std::string("Mito"));
    QCOMPARE(a.resolve("chrM", genome), std::string("Mito"));
    QCOMPARE(a.resolve("MT", genome), std::string("Mito"));
    QCOMPARE(a.resolve("16", genome), std::string("XVI"));
    QCOMPARE(a.resolve("chr10", genome), std::string("X"));
    const std::vector<std::string> ucsc = {"chr1", "chr2", "chrX", "chrM"};
    QCOMPARE(a.resolve("X", ucsc), std::string("chrX")); // the direct "chr" form wins over roman X = 10
    QCOMPARE(a.resolve("I", ucsc), std::string("chr1"));
    QCOMPARE(a.resolve("Mito", ucsc), std::string("chrM"));
    QCOMPARE(a.resolve("chrx", ucsc), std::string("chrX"));
    const QString err = input_error_of([&] { (void)a.resolve("chr2-micron", genome, "genome.fa"); });
    QVERIFY2(err.contains("unknown chromosome 'chr2-micron' in genome.fa") && err.contains("closest"),
             qPrintable(err));
    QVERIFY(!a.find("chrZZ", genome).has_value());

    ChromAliases user;
    QVERIFY(!user.find("scaffold_7", {"S7"}).has_value());
    QTemporaryDir dir;
    const fs::path tsv = fs::path(dir.path().toStdString()) / "extra.tsv";
    write_bytes(tsv, "# user aliases\nscaffold_7\tS7\n");
    user.load_tsv(tsv);
    QCOMPARE(user.resolve("scaffold_7", {"S7"}), std::string("S7"));
    write_bytes(tsv, "lonely\n");
    QVERIFY(input_error_of([&] { user.load_tsv(tsv); }).contains("line 1"));

    // Yeast genome vs cooler naming: structured mismatches plus names missing on either side.
    const std::vector<ChromLength> fa = {{"I", 230'218}, {"II", 813'184}, {"Mito", 85'779}};
    const std::vector<ChromLength> cool = {
        {"chrI", 230'218}, {"chrII", 813'178}, {"chrMito", 85'779}, {"chr2-micron", 6'318}};
    const auto cmp = a.compare("genome.fa", fa, "yeast.cool", cool);
    QCOMPARE(cmp.matched.size(), std::size_t(3));
    QCOMPARE(cmp.matched[2], (std::pair<std::string, std::string>{"Mito", "chrMito"}));
    QCOMPARE(cmp.length_mismatches.size(), std::size_t(1));
    QCOMPARE(cmp.length_mismatches[0].name_a, std::string("II"));
    QCOMPARE(cmp.length_mismatches[0].name_b, std::string("chrII"));
    QCOMPARE(cmp.length_mismatches[0].length_b, std::int64_t(813'178));
    QCOMPARE(cmp.only_in_b, std::vector<std::string>{"chr2-micron"});
    QVERIFY(cmp.only_in_a.empty());
  }

  void iupac_one_hot() {
    const auto v = one_hot("ACGTRNn-u");
    QCOMPARE(v.size(), std::size_t(36));
    const std::vector<float> expected = {
        1,    0, 0,     0,     0,     1,     0,     0,     0,     0,     1, 0, 0, 0, 0, 1, 0.5f, 0,
        0.5f, 0, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0, 0, 0, 0, 0, 0, 0,    1};
    for (std::size_t i = 0; i < v.size(); ++i)
      QCOMPARE(v[i], expected[i]);
    std::array<float, 4> d{};
    QVERIFY(iupac_distribution('B', d));
    QCOMPARE(d[0], 0.0f);
    QCOMPARE(d[1], 1.0f / 3.0f);
    QVERIFY(iupac_distribution('w', d));
    QCOMPARE(d[0] + d[3], 1.0f);
    QVERIFY(!iupac_distribution('Z', d));
    QVERIFY(input_error_of([] { (void)one_hot("ACZ"); }).contains("position 3"));
    QCOMPARE(reverse_complement("AACGTRYn"), std::string("nRYACGTT"));
  }

  void fasta_bgzip_round_trip_and_fetch() {
    QTemporaryDir dir;
    const fs::path fa = fs::path(dir.path().toStdString()) / "g.fa.gz";
    const auto genome = random_genome(7);
    write_fasta_bgzip(fa, genome);
    QVERIFY(fs::exists(fa.string() + ".fai"));
    QVERIFY(fs::exists(fa.string() + ".gzi"));
    const std::string bytes = read_bytes(fa);
    // Deterministic: the same input gives the same bytes.
    write_fasta_bgzip(fa, genome);
    QCOMPARE(read_bytes(fa), bytes);

    const FastaReader reader(fa);
    QCOMPARE(reader.storage(), FastaStorage::bgzip);
    QCOMPARE(reader.sequences().size(), std::size_t(3));
    QCOMPARE(reader.length("chr2"), std::int64_t(71'234));
    QCOMPARE(reader.total_length(), std::int64_t(70'000 + 71'234 + 72'468));
    QCOMPARE(reader.fetch("chr2", 100, 108), std::string("RYNNkmAc"));
    QCOMPARE(reader.fetch("2", 100, 108), std::string("RYNNkmAc")); // alias without "chr"
    gc::Rng rng(3);
    for (int i = 0; i < 300; ++i) {
      const auto& s = genome[rng.below(3)];
      const auto len = static_cast<std::int64_t>(rng.below(2'000));
      const auto start =
          static_cast<std::int64_t>(rng.below(s.sequence.size() - static_cast<std::size_t>(len)));
      QCOMPARE(reader.fetch(s.name, start, start + len),
               s.sequence.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(len)));
    }
    Region fetched;
    QCOMPARE(reader.fetch(parse_region("chr3"), &fetched), genome[2].sequence);
    QCOMPARE(fetched.end, std::int64_t(72'468));
    QCOMPARE(reader.fetch(parse_region("chr1:1-60")), genome[0].sequence.substr(0, 60));
    QVERIFY(input_error_of([&] { (void)reader.fetch("chr1", 69'990, 70'001); }).contains("outside"));
    QVERIFY(input_error_of([&] { (void)reader.fetch("chrQ", 0, 1); }).contains("unknown chromosome"));

    // Concurrent fetches share the handle pool.
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 500; ++i) {
          const std::int64_t start = (t * 7'919 + i * 131) % 60'000;
          if (reader.fetch("chr1", start, start + 1'000) !=
              genome[0].sequence.substr(static_cast<std::size_t>(start), 1'000))
            ++bad;
        }
      });
    }
    for (auto& th : threads)
      th.join();
    QCOMPARE(bad.load(), 0);
    QCOMPARE(format_fasta_record("x", "ACGTA", 2), std::string(">x\nAC\nGT\nA\n"));
  }

  void fasta_plain_gzip_and_readonly() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const std::string text = ">s1 description\nACGTN\nRYacg\n>s2\nTTTT\n";
    // Plain gzip: read into memory.
    write_plain_gzip(root / "p.fa.gz", text);
    const FastaReader gz(root / "p.fa.gz");
    QCOMPARE(gz.storage(), FastaStorage::gzip_in_memory);
    QCOMPARE(gz.names(), (std::vector<std::string>{"s1", "s2"}));
    QCOMPARE(gz.fetch("s1", 3, 9), std::string("TNRYac"));
    QVERIFY(!fs::exists(root / "p.fa.gz.fai"));
    // Plain text in a writable folder: .fai built next to it.
    write_bytes(root / "t.fa", text);
    const FastaReader plain(root / "t.fa");
    QCOMPARE(plain.storage(), FastaStorage::plain);
    QCOMPARE(plain.fetch("s1", 3, 9), std::string("TNRYac"));
    QVERIFY(fs::exists(root / "t.fa.fai"));
    // Read-only folder: index kept privately, nothing written next to the file.
    const fs::path ro = root / "ro";
    fs::create_directories(ro);
    write_bytes(ro / "r.fa", text);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    if (::access(ro.c_str(), W_OK) == 0) {
      fs::permissions(ro, fs::perms::owner_all);
      QSKIP("running as root: a read-only folder is still writable");
    }
    {
      const FastaReader r(ro / "r.fa");
      QCOMPARE(r.fetch("s2", 0, 4), std::string("TTTT"));
    }
    QVERIFY(!fs::exists(ro / "r.fa.fai"));
    fs::permissions(ro, fs::perms::owner_all);
  }

  void fasta_progress() {
    const gc::TempDir dir("gc-test-genome-progress");
    // Plain gzip is read into memory line by line: 5 MB of text (the line reader takes 1 MiB at a
    // time), 16 symbols so that it stays 2.5 MB compressed.
    gc::Rng rng(11);
    const char* symbols = "ACGTNRYKacgtnrym";
    std::string text;
    std::string chr2;
    for (int c = 1; c <= 2; ++c) {
      text += ">chr" + std::to_string(c) + "\n";
      for (int line = 0; line < 42'000; ++line) {
        std::string bases(60, 'A');
        for (auto& b : bases)
          b = symbols[rng.below(16)];
        if (c == 2) chr2 += bases;
        text += bases + "\n";
      }
    }
    write_plain_gzip(dir.path() / "g.fa.gz", text);
    const auto rec = gc::test::ProgressRecorder::make();
    const FastaReader gz(dir.path() / "g.fa.gz", rec->progress());
    QCOMPARE(gz.storage(), FastaStorage::gzip_in_memory);
    QCOMPARE(gz.length("chr2"), std::int64_t(2'520'000));
    QCOMPARE(gz.fetch("chr2", 500'000, 500'060), chr2.substr(500'000, 60));
    QVERIFY2(rec->complete(4).empty(), rec->complete(4).c_str());
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, FastaReader(dir.path() / "g.fa.gz", stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());

    // Indexing is one htslib call: reported before and after it.
    const auto fa = dir.path() / "t.fa";
    write_bytes(fa, text);
    const auto index = dir.path() / "t.fa.fai";
    const auto files = [&] {
      std::vector<std::string> names;
      for (const auto& e : fs::directory_iterator(dir.path()))
        names.push_back(e.path().filename().string());
      std::sort(names.begin(), names.end());
      return names;
    };
    // Cancelled before the build: no index, and no temporary left in the folder.
    gc::CancelToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, FastaReader(fa, gc::Progress(nullptr, token)));
    QCOMPARE(files(), (std::vector<std::string>{"g.fa.gz", "t.fa"}));
    // Cancelled at the report after the build: the complete index is kept, nothing else.
    const auto after = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, FastaReader(fa, after->progress()));
    QVERIFY2(after->stopped_midway().empty(), after->stopped_midway().c_str());
    QCOMPARE(after->messages().back(), std::string("indexed t.fa"));
    QCOMPARE(files(), (std::vector<std::string>{"g.fa.gz", "t.fa", "t.fa.fai"}));
    const auto built = read_bytes(index);
    QCOMPARE(built, std::string("chr1\t2520000\t6\t60\t61\nchr2\t2520000\t2562012\t60\t61\n"));
    const auto again = gc::test::ProgressRecorder::make();
    const FastaReader plain(fa, again->progress());
    QCOMPARE(plain.fetch("chr2", 500'000, 500'060), chr2.substr(500'000, 60));
    QVERIFY2(again->complete(0).empty(), again->complete(0).c_str());
    // The index was current: no "indexing" report this time.
    for (const auto& m : again->messages())
      QVERIFY(m.find("indexing") == std::string::npos);
  }

  void annotation_progress() {
    const gc::TempDir dir("gc-test-genome-progress");
    write_bytes(dir.path() / "g.gtf", progress_gtf(9'000)); // about 5 MB
    const auto rec = gc::test::ProgressRecorder::make();
    const Annotation a = Annotation::load(dir.path() / "g.gtf", rec->progress());
    QCOMPARE(a.genes().size(), std::size_t(9'000));
    QCOMPARE(a.exons().size(), std::size_t(18'000));
    QCOMPARE(a.find_gene("name8999")->start, std::int64_t(89'990'000));
    QVERIFY2(rec->complete(4).empty(), rec->complete(4).c_str());
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)Annotation::load(dir.path() / "g.gtf", stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());

    write_bytes(dir.path() / "g.gff3", progress_gff3(9'000));
    const auto gff = gc::test::ProgressRecorder::make();
    const Annotation b = Annotation::load(dir.path() / "g.gff3", AnnotationFormat::gff3, gff->progress());
    QCOMPARE(b.genes().size(), std::size_t(9'000));
    QCOMPARE(b.transcripts()[b.find_gene("NAME17")->transcripts.front()].cds.size(), std::size_t(1));
    QVERIFY2(gff->complete(4).empty(), gff->complete(4).c_str());
    const auto stop3 = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)Annotation::load(dir.path() / "g.gff3", stop3->progress()));
    QVERIFY2(stop3->stopped_midway().empty(), stop3->stopped_midway().c_str());
  }

  void bed_progress() {
    const gc::TempDir dir("gc-test-genome-progress");
    std::string text = "track name=progress\n";
    std::string graph;
    for (int i = 0; i < 120'000; ++i) { // about 5 MB
      const std::string where = "chr" + std::to_string(i % 5 + 1) + "\t" + std::to_string(i * 100) + "\t" +
                                std::to_string(i * 100 + 50);
      text += where + "\tpeak" + std::to_string(i) + "\t" + std::to_string(i % 1000) + "\t+\n";
      graph += where + "\t" + std::to_string(i % 17) + ".5\n";
    }
    write_bytes(dir.path() / "p.bed", text);
    write_bytes(dir.path() / "s.bedgraph", graph);
    const auto rec = gc::test::ProgressRecorder::make();
    const auto records = read_bed(dir.path() / "p.bed", rec->progress());
    QCOMPARE(records.size(), std::size_t(120'000));
    QCOMPARE(records.back().name, std::string("peak119999"));
    QCOMPARE(records.back().score, 999.0);
    QVERIFY2(rec->complete(3).empty(), rec->complete(3).c_str());
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)read_bed(dir.path() / "p.bed", stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
    const auto bg = gc::test::ProgressRecorder::make();
    const auto signal = read_bedgraph(dir.path() / "s.bedgraph", bg->progress());
    QCOMPARE(signal[16].score, 16.5);
    QVERIFY2(bg->complete(2).empty(), bg->complete(2).c_str()); // 3 MB
  }

  void vcf_progress() {
    const gc::TempDir dir("gc-test-genome-progress");
    VariantTable t;
    t.contigs = {{"chr1", 100'000'000}};
    t.samples = {"s1", "s2", "s3"};
    for (int i = 0; i < 60'000; ++i) {
      t.sites.push_back({"chr1", 100LL * i, "rs" + std::to_string(i), "A", {"G"}, 30.0f, "PASS", 0.5f});
      for (int s = 0; s < 3; ++s)
        t.dosage.push_back(static_cast<std::int8_t>((i + s) % 3));
    }
    const auto path = dir.path() / "v.vcf.gz";
    write_vcf(path, t);
    const VcfReader reader(path);
    const auto rec = gc::test::ProgressRecorder::make();
    const VariantTable all = reader.read_all(true, rec->progress());
    QCOMPARE(all.sites.size(), std::size_t(60'000));
    QCOMPARE(all.dosage, t.dosage);
    QVERIFY2(rec->complete(5).empty(), rec->complete(5).c_str());
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)reader.read_all(false, stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
    // An indexed query checks the same token.
    gc::CancelToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)reader.query(parse_region("chr1:1-1000000"), true,
                                                               gc::Progress(nullptr, token)));
  }

  void fasta_bad_input() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const fs::path bad = fs::path(GC_SOURCE_DIR) / "tests/data/bad/bad_no_header.fa";
    QVERIFY(input_error_of([&] { FastaReader r(bad); }).contains("'>' header"));
    write_bytes(root / "empty.fa", "");
    QVERIFY(input_error_of([&] { FastaReader r(root / "empty.fa"); }).contains("empty"));
    QVERIFY(!input_error_of([&] { FastaReader r(root); }).isEmpty()); // a directory
    QVERIFY(!input_error_of([&] { FastaReader r(root / "missing.fa"); }).isEmpty());
    // Truncated bgzip and plain gzip.
    write_fasta_bgzip(root / "g.fa.gz", random_genome(1));
    std::string bytes = read_bytes(root / "g.fa.gz");
    write_bytes(root / "cut.fa.gz", bytes.substr(0, bytes.size() / 2));
    QVERIFY(!input_error_of([&] {
               FastaReader r(root / "cut.fa.gz");
               (void)r.fetch("chr3", 0, 1000);
             }).isEmpty());
    write_plain_gzip(root / "p.fa.gz", ">a\n" + std::string(200'000, 'A') + "\n");
    bytes = read_bytes(root / "p.fa.gz");
    write_bytes(root / "pcut.fa.gz", bytes.substr(0, bytes.size() - 20));
    QVERIFY(input_error_of([&] { FastaReader r(root / "pcut.fa.gz"); }).contains("truncated"));
    // Found by fuzz_fasta: a first sequence line without bases gave htslib a line width of 0 and
    // the fetch died with SIGFPE; it must be bad input instead.
    // The crashing input as found: control bytes and NULs on the first line, more on the last.
    write_bytes(root / "ctrl.fa", ">cesc\n\x04" + std::string(5, '\0') + std::string(45, '\x07') + "\nACGT" +
                                      std::string(7, '\x07') + std::string("\xc9\0\0c", 4));
    QVERIFY(input_error_of([&] {
              FastaReader r(root / "ctrl.fa");
              (void)r.fetch("cesc", 0, 4);
            }).contains("no bases on its first line"));
  }

  void annotation_gtf() {
    const Annotation a = Annotation::parse(tiny_gtf, AnnotationFormat::gtf);
    QCOMPARE(a.genes().size(), std::size_t(3));
    QCOMPARE(a.transcripts().size(), std::size_t(3));
    QCOMPARE(a.exons().size(), std::size_t(4));
    QCOMPARE(a.cds().size(), std::size_t(1));
    const Gene* g = a.find_gene("alpha");
    QVERIFY(g != nullptr);
    QCOMPARE(g->id, std::string("G1"));
    QCOMPARE(g->start, std::int64_t(100));
    QCOMPARE(g->end, std::int64_t(400));
    QCOMPARE(g->biotype, std::string("protein_coding"));
    QCOMPARE(g->strand, Strand::plus);
    const Transcript& t = a.transcripts()[g->transcripts.at(0)];
    QCOMPARE(a.exons()[t.exons[0]].start, std::int64_t(100)); // exons sorted by start
    QCOMPARE(a.cds()[t.cds[0]].phase, 0);
    // G2 has no gene line: its extent comes from its exons.
    const Gene* g2 = a.find_gene("G2");
    QVERIFY(g2 != nullptr);
    QCOMPARE(g2->start, std::int64_t(1000));
    QCOMPARE(g2->strand, Strand::minus);
    QCOMPARE(a.genes_in(parse_region("chrI:350-1001")), (std::vector<std::size_t>{0, 1}));
    QCOMPARE(a.genes_in(parse_region("chrI:401-1000")), std::vector<std::size_t>{});
    QCOMPARE(a.genes_in(parse_region("chrII")), std::vector<std::size_t>{2});
    QCOMPARE(a.transcripts_in(parse_region("chrI:1-101")), std::vector<std::size_t>{0});
    QCOMPARE(a.complete("al", 10), (std::vector<std::string>{"ALPHA", "Alpine"}));
    QCOMPARE(a.complete("G", 2), (std::vector<std::string>{"G1", "G2"}));
    QVERIFY(a.find_gene("nope") == nullptr);
  }

  void annotation_gff3() {
    const char* gff = "##gff-version 3\n"
                      "c1\ts\tgene\t10\t100\t.\t-\t.\tID=gene1;Name=my%3Bgene;biotype=protein_coding\n"
                      "c1\ts\tmRNA\t10\t100\t.\t-\t.\tID=tx1;Parent=gene1\n"
                      "c1\ts\texon\t10\t40\t.\t-\t.\tParent=tx1\n"
                      "c1\ts\tCDS\t20\t40\t.\t-\t2\tParent=tx1\n"
                      "c1\ts\tgene\t200\t300\t.\t+\t.\tID=gene2;Name=direct\n"
                      "c1\ts\tCDS\t200\t300\t.\t+\t0\tID=cds2;Parent=gene2\n"
                      "c1\ts\ttRNA\t400\t470\t.\t+\t.\tID=rna0\n"
                      "c1\ts\tgene\t400\t470\t.\t+\t.\tID=gene3;Name=trnA\n"
                      "c1\ts\texon\t400\t470\t.\t+\t.\tParent=rna0\n"
                      "###\n"
                      "##FASTA\n>c1\nACGT\n";
    const Annotation a = Annotation::parse(gff, AnnotationFormat::gff3);
    QCOMPARE(a.genes().size(), std::size_t(3));
    QCOMPARE(a.transcripts().size(), std::size_t(3));
    QCOMPARE(a.exons().size(), std::size_t(2));
    QCOMPARE(a.cds().size(), std::size_t(2));
    QCOMPARE(a.genes()[0].name, std::string("my;gene"));
    QCOMPARE(a.genes()[0].start, std::int64_t(9));
    QCOMPARE(a.cds()[0].phase, 2);
    QCOMPARE(a.genes()[1].biotype, std::string("protein_coding")); // implicit mRNA for CDS under a gene
    QCOMPARE(a.transcripts()[a.genes()[2].transcripts.at(0)].biotype, std::string("tRNA"));
    QVERIFY(a.find_gene("TRNA") == &a.genes()[2]);
  }

  void annotation_bad_input() {
    const fs::path bad = fs::path(GC_SOURCE_DIR) / "tests/data/bad";
    QVERIFY(input_error_of([&] {
              (void)Annotation::load(bad / "bad_gtf_missing_columns.gtf");
            }).contains("line 1: expected 9"));
    QVERIFY(input_error_of([&] {
              (void)Annotation::load(bad / "bad_gtf_start_after_end.gtf");
            }).contains("after end"));
    QVERIFY(input_error_of([&] {
              (void)Annotation::load(bad / "bad_gtf_nonnumeric.gtf");
            }).contains("not an integer"));
    QVERIFY(input_error_of([] {
              (void)Annotation::parse("c\ts\texon\t1\t5\t.\t*\t.\tgene_id \"g\"; transcript_id \"t\";\n",
                                      AnnotationFormat::gtf);
            }).contains("strand"));
    QVERIFY(input_error_of([] {
              (void)Annotation::parse("c\ts\texon\t1\t5\t.\t+\t.\tfoo \"g\";\n", AnnotationFormat::gtf);
            }).contains("gene_id"));
    QVERIFY(input_error_of([] {
              (void)Annotation::parse("# only a comment\n", AnnotationFormat::gtf);
            }).contains("no annotation features"));
  }

  void bed() {
    const auto recs = parse_bed("track name=x\nbrowser position chr1\n# c\n"
                                "chr1\t10\t20\n"
                                "chr1\t30\t60\tpeak1\t5.5\t-\n"
                                "chr2\t100\t200\tgene\t0\t+\t110\t190\t255,0,0\t2\t20,30,\t0,70,\n");
    QCOMPARE(recs.size(), std::size_t(3));
    QCOMPARE(recs[0].columns, 3);
    QCOMPARE(recs[1].name, std::string("peak1"));
    QCOMPARE(recs[1].score, 5.5);
    QCOMPARE(recs[1].strand, Strand::minus);
    QCOMPARE(recs[2].block_starts, (std::vector<std::int64_t>{0, 70}));
    QCOMPARE(recs[2].thick_start, std::int64_t(110));
    QVERIFY(input_error_of([] { (void)parse_bed("chr1\t20\t10\n", "x.bed"); }).contains("x.bed: line 1"));
    QVERIFY(input_error_of([] { (void)parse_bed("chr1\t1\tten\n"); }).contains("end"));
    QVERIFY(input_error_of([] {
              (void)parse_bed("chr1\t0\t100\tn\t0\t+\t0\t100\t0\t2\t20\t0,70\n");
            }).contains("blockCount"));
    QVERIFY(input_error_of([] {
              (void)read_bed(fs::path(GC_SOURCE_DIR) / "tests/data/bad/bad_bed_two_columns.bed");
            }).contains("found 2"));
    QTemporaryDir dir;
    const fs::path p = fs::path(dir.path().toStdString()) / "out.bed";
    write_bed(p, recs);
    const auto back = read_bed(p);
    QCOMPARE(back.size(), recs.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
      QCOMPARE(back[i].columns, recs[i].columns);
      QCOMPARE(back[i].end, recs[i].end);
      QCOMPARE(back[i].block_sizes, recs[i].block_sizes);
    }
    const fs::path gz = fs::path(dir.path().toStdString()) / "out.bed.gz";
    write_bed(gz, recs);
    QCOMPARE(read_bed(gz).size(), std::size_t(3));
  }

  void peaks() {
    // narrowPeak by content: BED6+4 after a track line, summit -1 = none.
    const std::string narrow = "track type=narrowPeak name=\"p\"\n"
                               "chr22\t100\t500\tp1\t214\t.\t13.2158\t24.2291\t21.4687\t166\n"
                               "chr22\t900\t950\t.\t0\t+\t0\t-1\t-1\t-1\n";
    const auto n = parse_bed(narrow, "x.txt");
    QCOMPARE(n.size(), std::size_t(2));
    QCOMPARE(n[0].format, BedFormat::narrow_peak);
    QCOMPARE(n[0].columns, 10);
    QCOMPARE(n[0].score, 214.0);
    QCOMPARE(n[0].signal_value, 13.2158);
    QCOMPARE(n[0].p_value, 24.2291);
    QCOMPARE(n[0].q_value, 21.4687);
    QCOMPARE(n[0].peak, std::int64_t(166));
    QCOMPARE(n[0].thick_start, std::int64_t(100));
    QCOMPARE(n[0].thick_end, std::int64_t(500));
    QCOMPARE(n[1].strand, Strand::plus);
    QCOMPARE(n[1].p_value, -1.0);
    QCOMPARE(n[1].peak, std::int64_t(-1));
    // broadPeak: BED6+3, by content (fractional signal) or by name.
    const auto b = parse_bed("chr1\t0\t1000\tb1\t500\t.\t4.5\t3.25\t1.5\n");
    QCOMPARE(b[0].format, BedFormat::broad_peak);
    QCOMPARE(b[0].q_value, 1.5);
    QCOMPARE(b[0].peak, std::int64_t(-1));
    // A BED9 with integer thick columns stays BED.
    QCOMPARE(parse_bed("chr1\t0\t100\tn\t0\t+\t10\t90\t255,0,0\n")[0].format, BedFormat::bed);
    QCOMPARE(bed_format_from_name("a/x.narrowPeak.gz"), BedFormat::narrow_peak);
    QCOMPARE(bed_format_from_name("x.BROADPEAK"), BedFormat::broad_peak);
    QCOMPARE(bed_format_from_name("x.bed"), BedFormat::automatic);
    // Bad input names the line: a summit past the region, a non-number, a mixed layout.
    QVERIFY(input_error_of([] {
              (void)parse_bed("chr1\t0\t100\t.\t0\t.\t1\t2\t3\t101\n", "p.narrowPeak");
            }).contains("p.narrowPeak: line 1: peak offset 101"));
    QVERIFY(input_error_of([] {
              (void)parse_bed("chr1\t0\t100\t.\t0\t.\t1\tx\t3\t10\n", "p", BedFormat::narrow_peak);
            }).contains("pValue 'x'"));
    QVERIFY(input_error_of([&] {
              (void)parse_bed(narrow + "chr22\t1\t2\tx\t0\t+\n", "p");
            }).contains("line 4: narrowPeak records have 10 columns, found 6"));
    // The name decides over content: a .narrowPeak file of BED6 lines is bad input.
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    write_bytes(root / "six.narrowPeak", "chr1\t0\t10\tn\t0\t+\n");
    QVERIFY(input_error_of([&] { (void)read_bed(root / "six.narrowPeak"); }).contains("found 6"));
    // Round trip through write_bed keeps the peak columns.
    write_bed(root / "out.narrowPeak", n);
    const auto back = read_bed(root / "out.narrowPeak");
    QCOMPARE(back.size(), std::size_t(2));
    QCOMPARE(back[0].format, BedFormat::narrow_peak);
    QCOMPARE(back[0].q_value, 21.4687);
    QCOMPARE(back[0].peak, std::int64_t(166));
    QCOMPARE(back[1].peak, std::int64_t(-1));
    write_bytes(root / "p.broadPeak", "chr1\t0\t1000\tb1\t500\t.\t4\t3\t1\n");
    QCOMPARE(read_bed(root / "p.broadPeak")[0].format, BedFormat::broad_peak);
    QCOMPARE(summarize_bed(root / "out.narrowPeak").at("format").as_string(), std::string("narrowPeak"));
  }

  void gtf_round_trip() {
    const Annotation a = Annotation::parse(tiny_gtf, AnnotationFormat::gtf);
    QTemporaryDir dir;
    const fs::path p = fs::path(dir.path().toStdString()) / "out.gtf";
    write_gtf(p, a);
    const std::string first = read_bytes(p);
    write_gtf(p, a);
    QCOMPARE(read_bytes(p), first);
    const Annotation b = Annotation::load(p);
    QCOMPARE(b.genes().size(), a.genes().size());
    QCOMPARE(b.exons().size(), a.exons().size());
    QCOMPARE(b.cds().size(), a.cds().size());
    for (std::size_t i = 0; i < a.genes().size(); ++i) {
      QCOMPARE(b.genes()[i].id, a.genes()[i].id);
      QCOMPARE(b.genes()[i].name, a.genes()[i].name);
      QCOMPARE(b.genes()[i].start, a.genes()[i].start);
      QCOMPARE(b.genes()[i].end, a.genes()[i].end);
    }
    QCOMPARE(b.cds()[0].phase, 0);
  }

  void vcf_round_trip_and_query() {
    VariantTable t;
    t.contigs = {{"chr1", 10'000}, {"chr2", 5'000}};
    t.samples = {"s1", "s2", "s3"};
    const float nan = std::numeric_limits<float>::quiet_NaN();
    t.sites = {{"chr1", 99, "rs1", "A", {"G"}, 50.0f, "PASS", 0.5f},
               {"chr1", 4'999, ".", "C", {"T"}, nan, ".", nan},
               {"chr2", 9, "rs3", "G", {"A"}, 10.0f, "PASS", 0.25f}};
    t.dosage = {0, 1, 2, -1, 2, 2, 1, 0, 0};
    QTemporaryDir dir;
    const fs::path p = fs::path(dir.path().toStdString()) / "v.vcf.gz";
    write_vcf(p, t);
    QVERIFY(fs::exists(p.string() + ".tbi"));
    const std::string bytes = read_bytes(p);
    write_vcf(p, t);
    QCOMPARE(read_bytes(p), bytes);

    const VcfReader r(p);
    QCOMPARE(r.format(), VariantFormat::vcf_gz);
    QVERIFY(r.has_index());
    QCOMPARE(r.samples(), t.samples);
    QCOMPARE(r.contigs().size(), std::size_t(2));
    QCOMPARE(r.contigs()[1].length, std::int64_t(5'000));
    QCOMPARE(r.count_records(), std::size_t(3));
    const VariantTable all = r.read_all();
    QCOMPARE(all.sites.size(), std::size_t(3));
    QCOMPARE(all.dosage, t.dosage);
    QCOMPARE(all.sites[0].id, std::string("rs1"));
    QCOMPARE(all.sites[0].pos, std::int64_t(99));
    QCOMPARE(all.sites[0].alts, std::vector<std::string>{"G"});
    QCOMPARE(all.sites[0].filter, std::string("PASS"));
    QCOMPARE(all.sites[0].allele_frequency, 0.5f);
    QVERIFY(std::isnan(all.sites[1].qual));
    // No INFO/AF: computed from the called genotypes (2 + 2 alt of 4 called alleles).
    QCOMPARE(all.sites[1].allele_frequency, 1.0f);
    const auto f = all.dosage_as_float();
    QVERIFY(std::isnan(f[3]));
    // Indexed region queries, with alias resolution ("1" -> "chr1").
    const VariantTable q = r.query(parse_region("1:4,000-6,000"));
    QCOMPARE(q.sites.size(), std::size_t(1));
    QCOMPARE(q.sites[0].pos, std::int64_t(4'999));
    QCOMPARE(q.dosage, (std::vector<std::int8_t>{-1, 2, 2}));
    QCOMPARE(r.query(parse_region("chr2")).sites.size(), std::size_t(1));
    QCOMPARE(r.query(parse_region("chr1:1-99")).sites.size(), std::size_t(0));
    // Without the index the same query scans.
    fs::remove(p.string() + ".tbi");
    const VcfReader scan(p);
    QVERIFY(!scan.has_index());
    QCOMPARE(scan.query(parse_region("chr1:100-5000")).sites.size(), std::size_t(2));
  }

  void vcf_bad_input() {
    const fs::path bad = fs::path(GC_SOURCE_DIR) / "tests/data/bad/bad_vcf_broken_header.vcf";
    QVERIFY(input_error_of([&] { VcfReader r(bad); }).contains("broken VCF header"));
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    QVERIFY(!input_error_of([&] { VcfReader r(root); }).isEmpty());
    write_bytes(root / "e.vcf", "");
    QVERIFY(input_error_of([&] { VcfReader r(root / "e.vcf"); }).contains("empty"));
    write_bytes(
        root / "rec.vcf",
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\tabc\t.\tA\tG\t.\t.\t.\n");
    QVERIFY(input_error_of([&] { (void)VcfReader(root / "rec.vcf").read_all(); }).contains("record 1"));
    QVERIFY(input_error_of([&] { (void)VcfReader(root / "rec.vcf").count_records(); }).contains("record 1"));
  }

  void summaries() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    write_fasta_bgzip(root / "g.fa.gz", random_genome(2));
    const gc::Json j = summarize_fasta(root / "g.fa.gz");
    QCOMPARE(j.at("format").as_string(), std::string("fasta"));
    QCOMPARE(j.at("sequences").as_int(), std::int64_t(3));
    QCOMPARE(j.at("total_length").as_int(), std::int64_t(213'702));
    QVERIFY(looks_like_fasta(">x\nACGT"));
    QVERIFY(looks_like_vcf("##fileformat=VCFv4.2\n"));
    QVERIFY(looks_like_annotation("x.txt", "c\ts\tgene\t1\t10\t.\t+\t.\tID=g\n"));
    QVERIFY(looks_like_bed("x.txt", "chr1\t1\t10\n"));
    QVERIFY(!looks_like_bed("x.txt", "gene,cell\n"));
  }

  // bigWig write → read round trip: chromosomes (stored in name order), intervals, the header
  // summary (exact, where libBigWig's own is wrong), exact and zoomed statistics, threads.
  void bigwig_round_trip() {
    const gc::TempDir dir("gc-bigwig");
    const fs::path out = dir.path() / "track.bw";
    const std::vector<ChromLength> chroms = {
        {"chr2", 5'000}, {"chr3", 1'000'000}, {"chr1", 3'000}, {"chrM", 100}};
    BigWigTrack track;
    track["chr1"] = {
        {0, 10, 5.0F}, {10, 20, 1.0F}, {100, 250, 3.0F}, {250, 300, 0.0F}, {2'990, 3'000, -2.5F}};
    track["chr2"] = {{1'000, 1'500, 0.25F}};
    // 100,000 intervals: several chunks for libBigWig, many data blocks, several zoom levels.
    for (std::int64_t i = 0; i < 100'000; ++i)
      track["chr3"].push_back({10 * i, 10 * i + 5, static_cast<float>(i % 17)});
    write_bigwig(out, chroms, track);

    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir.path()))
      left.push_back(e.path().filename().string());
    QCOMPARE(left, std::vector<std::string>{"track.bw"}); // no temporary left behind

    const BigWigReader r(out);
    QCOMPARE(r.chromosomes().size(), std::size_t(4));
    QCOMPARE(r.names(), (std::vector<std::string>{"chr1", "chr2", "chr3", "chrM"}));
    QCOMPARE(r.length("chr3"), std::int64_t(1'000'000));
    QCOMPARE(r.length("M"), std::int64_t(100)); // through the aliases
    QVERIFY(!r.zoom_levels().empty());
    QVERIFY(r.intervals("chr1", 0, 3'000) == track["chr1"]);
    QVERIFY(r.intervals("chr2", 0, 5'000) == track["chr2"]);
    QVERIFY(r.intervals("chr3", 0, 1'000'000) == track["chr3"]);
    QVERIFY(r.intervals("chrM", 0, 100).empty());
    // Overlapping intervals come back whole; a Region reads UCSC text through the aliases.
    QVERIFY(r.intervals("chr1", 5, 101) ==
            (std::vector<BigWigInterval>{{0, 10, 5.0F}, {10, 20, 1.0F}, {100, 250, 3.0F}}));
    QVERIFY(r.intervals(parse_region("1:1-20")) ==
            (std::vector<BigWigInterval>{{0, 10, 5.0F}, {10, 20, 1.0F}}));
    QCOMPARE(r.intervals(parse_region("chr3")).size(), std::size_t(100'000));

    // The header summary, against sums done here.
    double sum = 0.0, sum_sq = 0.0;
    std::uint64_t bases = 0;
    for (const auto& [c, ivs] : track) {
      for (const auto& iv : ivs) {
        bases += static_cast<std::uint64_t>(iv.end - iv.start);
        sum += static_cast<double>(iv.end - iv.start) * iv.value;
        sum_sq += static_cast<double>(iv.end - iv.start) * iv.value * iv.value;
      }
    }
    QCOMPARE(r.summary().bases_covered, bases);
    QCOMPARE(r.summary().min, -2.5);
    QCOMPARE(r.summary().max, 16.0);
    QCOMPARE(r.summary().sum, sum);
    QCOMPARE(r.summary().sum_squares, sum_sq);

    // libBigWig alone would store max = 2.2e-308 for a single positive value, and 3 for 5, 1, 3.
    const fs::path small = dir.path() / "small.bw";
    write_bigwig(small, {{"chrA", 100}}, {{"chrA", {{0, 10, 5.0F}}}}, 0);
    QCOMPARE(BigWigReader(small).summary().max, 5.0);
    QCOMPARE(BigWigReader(small).summary().min, 5.0);
    QVERIFY(BigWigReader(small).zoom_levels().empty());
    write_bigwig(small, {{"chrA", 100}}, {{"chrA", {{0, 10, 5.0F}, {10, 20, 1.0F}, {20, 30, 3.0F}}}});
    QCOMPARE(BigWigReader(small).summary().max, 5.0);
    QCOMPARE(BigWigReader(small).summary().min, 1.0);

    // Exact statistics over chr1 [0, 300) in 3 bins, worked by hand: [0,100) has 10 bp of 5 and
    // 10 bp of 1; [100,200) is all 3; [200,300) is 50 bp of 3 then 50 bp of (stored) zero.
    const auto exact = [&](BigWigStat s) { return r.stats("chr1", 0, 300, 3, s, BigWigStatsMode::exact); };
    QCOMPARE(exact(BigWigStat::sum), (std::vector<double>{60.0, 300.0, 150.0}));
    QCOMPARE(exact(BigWigStat::mean), (std::vector<double>{3.0, 3.0, 1.5}));
    QCOMPARE(exact(BigWigStat::coverage), (std::vector<double>{0.2, 1.0, 1.0}));
    QCOMPARE(exact(BigWigStat::min), (std::vector<double>{1.0, 3.0, 0.0}));
    QCOMPARE(exact(BigWigStat::max), (std::vector<double>{5.0, 3.0, 3.0}));
    // No data: NaN for mean/min/max, 0 for coverage and sum.
    const auto empty_mean = r.stats("chrM", 0, 100, 2, BigWigStat::mean, BigWigStatsMode::exact);
    QVERIFY(std::isnan(empty_mean[0]) && std::isnan(empty_mean[1]));
    QCOMPARE(r.stats("chrM", 0, 100, 2, BigWigStat::coverage), (std::vector<double>{0.0, 0.0}));
    QCOMPARE(r.stats("chrM", 0, 100, 2, BigWigStat::sum), (std::vector<double>{0.0, 0.0}));
    QVERIFY(std::isnan(r.stats("chrM", 0, 100, 2, BigWigStat::max)[1]));
    // Zoomed (libBigWig) agrees where its records line up with the bins.
    for (const auto s :
         {BigWigStat::mean, BigWigStat::max, BigWigStat::min, BigWigStat::coverage, BigWigStat::sum}) {
      const auto z = r.stats("chr1", 0, 300, 3, s);
      const auto e = exact(s);
      for (std::size_t i = 0; i < e.size(); ++i)
        QVERIFY2(std::abs(z[i] - e[i]) < 1e-6, qPrintable(QString("stat %1 bin %2: zoomed %3, exact %4")
                                                              .arg(static_cast<int>(s))
                                                              .arg(i)
                                                              .arg(z[i])
                                                              .arg(e[i])));
    }
    // Coarse bins over chr3 read a zoom level: coverage is 1/2 everywhere, the mean 8 (values
    // 0..16 cycle), within the approximation at bin edges.
    const auto cover = r.stats("chr3", 0, 1'000'000, 10, BigWigStat::coverage);
    const auto mean = r.stats("chr3", 0, 1'000'000, 10, BigWigStat::mean);
    const auto exact_mean = r.stats("chr3", 0, 1'000'000, 10, BigWigStat::mean, BigWigStatsMode::exact);
    for (std::size_t i = 0; i < 10; ++i) {
      QVERIFY2(std::abs(cover[i] - 0.5) < 0.01, qPrintable(QString::number(cover[i])));
      QVERIFY2(std::abs(mean[i] - exact_mean[i]) < 0.05 * exact_mean[i],
               qPrintable(QString::number(mean[i])));
    }

    // One reader shared by threads gives the same answers as alone (its mutex serialises libBigWig).
    std::vector<std::vector<BigWigInterval>> alone;
    for (int q = 0; q < 16; ++q)
      alone.push_back(r.intervals("chr3", q * 60'000, q * 60'000 + 50'000));
    std::vector<int> ok(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int round = 0; round < 5; ++round) {
          for (int q = 0; q < 16; ++q) {
            const int k = (q + t) % 16;
            if (r.intervals("chr3", k * 60'000, k * 60'000 + 50'000) == alone[static_cast<std::size_t>(k)])
              ++ok[t];
            (void)r.stats("chr3", 0, 1'000'000, 50, BigWigStat::mean);
          }
        }
      });
    }
    for (auto& th : threads)
      th.join();
    QCOMPARE(ok, std::vector<int>(4, 80));

    const std::string head = read_bytes(out).substr(0, 4096);
    QVERIFY(looks_like_bigwig(head));
    QVERIFY(looks_like_bigwig(std::string("\x88\x8f\xfc\x26", 4))); // byte-swapped
    QVERIFY(!looks_like_bigwig("chr1\t0\t10\t1\n"));
    QVERIFY(!looks_like_bigwig(std::string("\x26\xfc", 2)));
    const gc::Json j = summarize_bigwig(out);
    QCOMPARE(j.at("format").as_string(), std::string("bigwig"));
    QCOMPARE(j.at("chromosomes").size(), std::size_t(4));
    QCOMPARE(j.at("chromosomes").at(std::size_t(2)).at("name").as_string(), std::string("chr3"));
    QCOMPARE(j.at("chromosomes").at(std::size_t(2)).at("length").as_int(), std::int64_t(1'000'000));
    QCOMPARE(j.at("bases_covered").as_int(), static_cast<std::int64_t>(bases));
    QCOMPARE(j.at("max").as_double(), 16.0);
    QCOMPARE(j.at("mean").as_double(), sum / static_cast<double>(bases));
  }

  // Bad tracks are refused before any file is created, naming the output and the interval.
  void bigwig_write_validation() {
    const gc::TempDir dir("gc-bigwig-bad");
    const fs::path out = dir.path() / "bad.bw";
    const std::vector<ChromLength> chroms = {{"chr1", 1'000}};
    const auto error = [&](const BigWigTrack& t, const std::vector<ChromLength>& c, int zoom = 10) {
      const QString e = input_error_of([&] { write_bigwig(out, c, t, zoom); });
      if (!e.contains(QString::fromStdString(out.string()))) return QString("(does not name the file) ") + e;
      return e;
    };
    QVERIFY(error({{"chr1", {{10, 20, 1.0F}, {5, 8, 1.0F}}}}, chroms).contains("not sorted"));
    QVERIFY(error({{"chr1", {{10, 20, 1.0F}, {15, 30, 1.0F}}}}, chroms).contains("overlaps the previous"));
    QVERIFY(error({{"chr1", {{10, 20, 1.0F}, {15, 30, 1.0F}}}}, chroms).contains("interval 2 on chr1"));
    QVERIFY(error({{"chrZ", {{0, 1, 1.0F}}}}, chroms).contains("unknown chromosome 'chrZ'"));
    QVERIFY(error({{"chr1", {{990, 1'001, 1.0F}}}}, chroms).contains("outside the chromosome"));
    QVERIFY(error({{"chr1", {{-1, 5, 1.0F}}}}, chroms).contains("outside the chromosome"));
    QVERIFY(error({{"chr1", {{5, 5, 1.0F}}}}, chroms).contains("empty interval"));
    QVERIFY(error({{"chr1", {{5, 6, std::numeric_limits<float>::quiet_NaN()}}}}, chroms).contains("finite"));
    QVERIFY(error({{"chr1", {{5, 6, std::numeric_limits<float>::infinity()}}}}, chroms).contains("finite"));
    QVERIFY(error({}, chroms).contains("nothing to write"));
    QVERIFY(error({{"chr1", {}}}, chroms).contains("nothing to write"));
    QVERIFY(error({{"chr1", {{0, 1, 1.0F}}}}, {{"chr1", 10}, {"chr1", 10}}).contains("given twice"));
    QVERIFY(error({{"chr1", {{0, 1, 1.0F}}}}, {{"chr1", 0}}).contains("has length 0"));
    QVERIFY(error({{"chr1", {{0, 1, 1.0F}}}}, {{"chr1", 5'000'000'000}}).contains("has length 5000000000"));
    QVERIFY(error({{"chr1", {{0, 1, 1.0F}}}}, {}).contains("no chromosomes"));
    QVERIFY(error({{"chr1", {{0, 1, 1.0F}}}}, chroms, 11).contains("zoom levels"));
    QVERIFY(fs::is_empty(dir.path()));
  }

  void bigwig_bad_input() {
    const gc::TempDir dir("gc-bigwig-in");
    const fs::path good = dir.path() / "good.bw";
    BigWigTrack track;
    for (std::int64_t i = 0; i < 20'000; ++i)
      track["chr1"].push_back({i * 40, i * 40 + 20, static_cast<float>(i % 7)});
    write_bigwig(good, {{"chr1", 1'000'000}}, track);
    const std::string bytes = read_bytes(good);
    const auto error = [&](const std::string& name, const std::string& content) {
      write_bytes(dir.path() / name, content);
      const QString e = input_error_of([&] { BigWigReader r(dir.path() / name); });
      if (!e.contains(QString::fromStdString((dir.path() / name).string())))
        return "(does not name the file) " + e;
      return e;
    };
    QVERIFY(error("half.bw", bytes.substr(0, bytes.size() / 2)).contains("truncated"));
    QVERIFY(error("no_end.bw", bytes.substr(0, bytes.size() - 4)).contains("truncated"));
    QVERIFY(error("header.bw", bytes.substr(0, 40)).contains("truncated"));
    QVERIFY(error("text.bw", "chr1\t0\t10\t1.5\n").contains("not a bigWig"));
    QVERIFY(error("empty.bw", "").contains("not a bigWig"));
    QVERIFY(error("bed.bb", std::string("\xeb\xf2\x89\x87", 4) + bytes.substr(4)).contains("bigBed"));
    std::string swapped = bytes;
    std::reverse(swapped.begin(), swapped.begin() + 4);
    QVERIFY(error("swapped.bw", swapped).contains("big-endian"));
    QVERIFY(!input_error_of([&] { BigWigReader r(dir.path() / "missing.bw"); }).isEmpty());

    const BigWigReader r(good);
    const QString file = QString::fromStdString(good.string());
    const QString unknown = input_error_of([&] { (void)r.intervals("chrQ", 0, 10); });
    QVERIFY2(unknown.contains("unknown chromosome 'chrQ'") && unknown.contains(file), qPrintable(unknown));
    QVERIFY(input_error_of([&] { (void)r.intervals("chr1", 0, 1'000'001); }).contains("lies outside chr1"));
    QVERIFY(input_error_of([&] { (void)r.intervals("chr1", -5, 10); }).contains(file));
    QVERIFY(input_error_of([&] { (void)r.stats("chr1", 0, 100, 0, BigWigStat::mean); }).contains("bins"));
    QVERIFY(input_error_of([&] { (void)r.stats("chr1", 0, 100, 101, BigWigStat::mean); }).contains("bins"));
    QVERIFY(input_error_of([&] { (void)r.stats("chr1", 0, 2'000'000, 1, BigWigStat::sum); }).contains(file));
    QVERIFY(
        input_error_of([&] { (void)r.intervals(parse_region("chr1:900,000-1,200,000")); }).contains(file));
    QVERIFY(input_error_of([&] { (void)summarize_bigwig(dir.path() / "text.bw"); }).contains("not a bigWig"));
  }

  void motifs_jaspar() {
    const auto motifs = parse_motifs(jaspar_text, MotifFormat::jaspar);
    QCOMPARE(motifs.size(), std::size_t(2));
    const Motif& arnt = motifs[0];
    QCOMPARE(arnt.id, std::string("MA0004.1"));
    QCOMPARE(arnt.name, std::string("Arnt"));
    QCOMPARE(arnt.length(), std::size_t(6));
    QCOMPARE(arnt.counts[0], (BaseValues{4, 16, 0, 0}));
    QCOMPARE(arnt.counts[1], (BaseValues{19, 0, 1, 0}));
    QCOMPARE(arnt.counts[4], (BaseValues{0, 0, 0, 20}));
    QCOMPARE(arnt.counts[5], (BaseValues{0, 0, 20, 0}));
    QCOMPARE(arnt.sites, 20.0);
    QVERIFY(!arnt.background);
    QCOMPARE(arnt.consensus(), std::string("CACGTG"));
    // Bracketed rows, labelled out of order (T before G), with a fractional count.
    const Motif& mx = motifs[1];
    QCOMPARE(mx.id, std::string("MX1"));
    QCOMPARE(mx.name, std::string("Bracket name"));
    QCOMPARE(mx.counts, (std::vector<BaseValues>{{1, 0, 0, 3}, {0, 4, 0, 0}, {3, 0, 0, 1.25}}));
    QCOMPARE(mx.sites, 4.25); // the largest column sum
    QCOMPARE(mx.consensus(), std::string("TCA"));
  }

  void motifs_transfac() {
    const auto motifs = parse_motifs(transfac_text, MotifFormat::transfac);
    QCOMPARE(motifs.size(), std::size_t(3)); // the VV header record holds no matrix
    QCOMPARE(motifs[0].id, std::string("M00001"));
    QCOMPARE(motifs[0].name, std::string("MyoD")); // NA wins over ID
    QCOMPARE(motifs[0].counts,
             (std::vector<BaseValues>{{1, 2, 2, 0}, {2, 1, 2, 0}, {3, 0, 1, 0}, {0, 5, 0, 0}}));
    QCOMPARE(motifs[0].sites, 5.0);
    QCOMPARE(motifs[0].consensus(), std::string("SRAC"));
    // JASPAR's TRANSFAC export: AC is the matrix id, ID the factor; `PO`, tabs, float counts.
    QCOMPARE(motifs[1].id, std::string("MA0271.1"));
    QCOMPARE(motifs[1].name, std::string("ARG80"));
    QCOMPARE(motifs[1].counts, (std::vector<BaseValues>{{89, 0, 0, 69}, {0, 0, 301, 0.5}}));
    QCOMPARE(motifs[1].sites, 301.5);
    // Columns in the header's order; no AC: ID is the id and there is no name.
    QCOMPARE(motifs[2].id, std::string("ONLYID"));
    QCOMPARE(motifs[2].name, std::string());
    QCOMPARE(motifs[2].counts, (std::vector<BaseValues>{{4, 3, 2, 1}}));
  }

  void motifs_meme() {
    const auto motifs = parse_motifs(meme_text, MotifFormat::meme);
    QCOMPARE(motifs.size(), std::size_t(2));
    const Motif& a = motifs[0];
    QCOMPARE(a.id, std::string("MA0004.1"));
    QCOMPARE(a.name, std::string("Arnt"));
    QCOMPARE(a.length(), std::size_t(3));
    QCOMPARE(a.sites, 20.0);
    // Counts are the probabilities times nsites.
    const std::vector<BaseValues> expected{{4, 16, 0, 0}, {19, 0, 1, 0}, {0, 20, 0, 0}};
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t b = 0; b < 4; ++b)
        QVERIFY(std::abs(a.counts[i][b] - expected[i][b]) < 1e-12);
    QVERIFY(a.background.has_value());
    QCOMPARE(*a.background, (BaseValues{0.3, 0.2, 0.2, 0.3}));
    // No nsites: the probabilities are kept as they are; no name on the MOTIF line.
    const Motif& b = motifs[1];
    QCOMPARE(b.id, std::string("m2"));
    QCOMPARE(b.name, std::string());
    QCOMPARE(b.counts, (std::vector<BaseValues>{{0.25, 0.25, 0.25, 0.25}, {0.5, 0.25, 0.125, 0.125}}));
    QCOMPARE(b.sites, 1.0);
    QCOMPARE(*b.background, (BaseValues{0.3, 0.2, 0.2, 0.3}));

    // MEME 5's alphabet block, no w=, no background, no trailing newline.
    const auto block = parse_motifs("MEME version 5\n"
                                    "ALPHABET \"DNA\" DNA-LIKE\n"
                                    "A \"Adenine\" CC0000 ~ T \"Thymine\" 008000\n"
                                    "C \"Cytosine\" 0000CC ~ G \"Guanine\" FFB300\n"
                                    "N \"Any base\" = ACGT\n"
                                    "END ALPHABET\n"
                                    "MOTIF x\n"
                                    "letter-probability matrix:\n"
                                    "1 0 0 0\n"
                                    "0 0 0.5 0.5",
                                    MotifFormat::meme);
    QCOMPARE(block.size(), std::size_t(1));
    QCOMPARE(block[0].counts, (std::vector<BaseValues>{{1, 0, 0, 0}, {0, 0, 0.5, 0.5}}));
    QVERIFY(!block[0].background);
    QCOMPARE(block[0].consensus(), std::string("AK"));
  }

  void motifs_log_odds() {
    Motif m;
    m.counts = {{3, 1, 0, 0}, {0, 0, 0, 4}};
    // Uniform background, pseudocount 1 per letter: column 1 is (4, 2, 1, 1) / 8.
    const auto p = m.probabilities(1.0);
    QCOMPARE(p[0], (BaseValues{0.5, 0.25, 0.125, 0.125}));
    QCOMPARE(p[1], (BaseValues{0.125, 0.125, 0.125, 0.625}));
    QCOMPARE(m.probabilities(0.0)[0], (BaseValues{0.75, 0.25, 0, 0}));
    const Pwm pwm = m.log_odds(uniform_background, 1.0);
    QCOMPARE(pwm.length(), std::size_t(2));
    QCOMPARE(pwm.scores[0], (BaseValues{1, 0, -1, -1}));
    QCOMPARE(pwm.scores[1][0], -1.0);
    QVERIFY(std::abs(pwm.scores[1][3] - 1.3219280948873624) < 1e-12); // log2(0.625 / 0.25)
    QVERIFY(std::abs(pwm.max_score() - 2.3219280948873626) < 1e-12);
    QCOMPARE(pwm.min_score(), -2.0);
    QVERIFY(std::abs(*pwm.score("AT") - 2.3219280948873626) < 1e-12);
    QVERIFY(std::abs(*pwm.score("at") - 2.3219280948873626) < 1e-12); // soft-masked bases score
    QCOMPARE(*pwm.score("CA"), -1.0);
    QVERIFY(!pwm.score("AN").has_value());
    QVERIFY(input_error_of([&] { (void)pwm.score("A"); }).contains("length 2"));

    // Skewed background (0.4, 0.1, 0.1, 0.4), pseudocount 0.5: the 2 pseudo-counts are spread
    // 0.8, 0.2, 0.2, 0.8, so column 1 is (3.8, 1.2, 0.2, 0.8) / 6.
    const BaseValues bg{0.4, 0.1, 0.1, 0.4};
    const auto q = m.probabilities(0.5, bg);
    QVERIFY(std::abs(q[0][0] - 3.8 / 6) < 1e-15 && std::abs(q[0][1] - 0.2) < 1e-15);
    const Pwm skew = m.log_odds(bg, 0.5);
    QVERIFY(std::abs(skew.scores[0][0] - 0.6629650127224292) < 1e-12); // log2(19/12)
    QVERIFY(std::abs(skew.scores[0][1] - 1.0) < 1e-12);                // log2(0.2 / 0.1)
    QVERIFY(std::abs(skew.scores[0][2] + 1.5849625007211563) < 1e-12); // log2(1/3)
    QVERIFY(std::abs(skew.scores[0][3] + 1.5849625007211563) < 1e-12); // log2((0.8/6) / 0.4)

    // No pseudocount: an absent base scores -inf, so does the worst site.
    const Pwm raw = m.log_odds(uniform_background, 0.0);
    QVERIFY(std::isinf(raw.scores[0][2]) && raw.scores[0][2] < 0);
    QVERIFY(std::isinf(raw.min_score()));
    QVERIFY(std::abs(raw.max_score() - (std::log2(3.0) + 2.0)) < 1e-12); // log2(.75/.25) + log2(1/.25)

    // An empty column carries no information: it takes the background.
    Motif empty;
    empty.counts = {{0, 0, 0, 0}};
    QCOMPARE(empty.probabilities(0.0, bg)[0], bg);
    QCOMPARE(empty.consensus(), std::string("N"));
    QVERIFY(input_error_of([&] { (void)m.probabilities(-1.0); }).contains("negative"));
    QVERIFY(input_error_of([&] { (void)m.log_odds({0.5, 0.5, 0.5, 0.5}, 1.0); }).contains("sum to"));
    QVERIFY(input_error_of([&] { (void)m.log_odds({0.5, 0.5, 0, 0}, 1.0); }).contains("positive"));
  }

  void motifs_reverse_complement() {
    Motif m;
    m.id = "M";
    m.counts = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    m.sites = 26;
    m.background = BaseValues{0.3, 0.2, 0.15, 0.35};
    const Motif rc = m.reverse_complement();
    QCOMPARE(rc.id, std::string("M"));
    QCOMPARE(rc.counts, (std::vector<BaseValues>{{8, 7, 6, 5}, {4, 3, 2, 1}}));
    QCOMPARE(rc.sites, 26.0);
    QCOMPARE(*rc.background, (BaseValues{0.35, 0.15, 0.2, 0.3}));
    QCOMPARE(rc.reverse_complement().counts, m.counts);
    const auto mx = parse_motifs(jaspar_text, MotifFormat::jaspar)[1];
    QCOMPARE(mx.consensus(), std::string("TCA"));
    QCOMPARE(mx.reverse_complement().consensus(), std::string("TGA"));
    // A site on the minus strand scores on the reverse complement as its complement does on plus.
    const Pwm plus = mx.log_odds(uniform_background, 0.25);
    const Pwm minus = mx.reverse_complement().log_odds(uniform_background, 0.25);
    QCOMPARE(*minus.score("TGA"), *plus.score("TCA"));
  }

  void motifs_detect() {
    QCOMPARE(detect_motif_format(jaspar_text), std::optional(MotifFormat::jaspar));
    QCOMPARE(detect_motif_format(">MX1\nA [ 1 0 ]\nC [ 0 4 ]\nG [ 0 0 ]\nT [ 3 0 ]\n"),
             std::optional(MotifFormat::jaspar));
    QCOMPARE(detect_motif_format(transfac_text), std::optional(MotifFormat::transfac));
    QCOMPARE(detect_motif_format(meme_text), std::optional(MotifFormat::meme));
    QCOMPARE(detect_motif_format("*****\nMEME - Motif discovery tool\n*****\nMEME version 5.5.4\n"),
             std::optional(MotifFormat::meme));
    // FASTA is never a motif file, even with one-letter sequence lines.
    QVERIFY(!detect_motif_format(">chr1 test\nACGTACGTNN\nACGT\n"));
    QVERIFY(!detect_motif_format(">s\nA\nC\nG\nT\n"));
    QVERIFY(!detect_motif_format(">sp|P1|X protein\nMKVLAAGIV\n"));
    QVERIFY(!detect_motif_format(">MA1 x\n1 2 3\nACGT\n1 2 3\n1 2 3\n"));
    QVERIFY(!detect_motif_format("chr1\t1\t10\n"));
    QVERIFY(!detect_motif_format("AC foo\nXX\n//\n")); // two-letter codes but no P0 row
    QVERIFY(!detect_motif_format(""));
    QVERIFY(!looks_like_fasta(transfac_text)); // and the FASTA sniffer does not claim TRANSFAC
  }

  void motifs_bad_input() {
    const auto jaspar = MotifFormat::jaspar;
    QCOMPARE(motif_error(">M1 x\n1 2 3\n4 5 6\n7 8\n1 1 1\n", jaspar),
             QString("m.txt: line 4: motif 'M1': row G has 2 values but row A has 3 (rows must have equal "
                     "length)"));
    QCOMPARE(motif_error(">M1\n1 2 x\n", jaspar),
             QString("m.txt: line 2: motif 'M1': count 'x' is not a non-negative number"));
    QVERIFY(motif_error(">M1\n1 2 3\n1 -2 3\n", jaspar).startsWith("m.txt: line 3: motif 'M1': count '-2'"));
    QCOMPARE(motif_error(">M1\n1 2\n3 4\n>M2\n1\n1\n1\n1\n", jaspar),
             QString("m.txt: line 1: motif 'M1': has 2 matrix rows, expected 4 (A, C, G, T)"));
    QCOMPARE(motif_error("\n>M0\nA [ ]\nC [ ]\nG [ ]\nT [ ]\n", jaspar),
             QString("m.txt: line 2: motif 'M0': motif has length 0"));
    QVERIFY(motif_error(">M1\n1\n1\n1\n1\n1\n", jaspar).startsWith("m.txt: line 6: motif 'M1': more than 4"));
    QVERIFY(motif_error("1 2 3\n", jaspar).startsWith("m.txt: line 1: matrix row before"));
    QVERIFY(
        motif_error(">M1\nA [ 1 ]\nA [ 1 ]\n", jaspar).contains("line 3: motif 'M1': row A appears twice"));
    QVERIFY(motif_error(">M1\nA [ 1 ]\n1\n", jaspar).contains("line 3: motif 'M1': rows mix"));
    QVERIFY(
        motif_error(">M1\nU [ 1 ]\n", jaspar).contains("line 2: motif 'M1': 'U [ 1 ]' is not a matrix row"));

    const auto transfac = MotifFormat::transfac;
    QCOMPARE(motif_error("AC M1\nP0 A C G T\n01 1 2 3\n//\n", transfac),
             QString("m.txt: line 3: motif 'M1': matrix row has 3 values, expected 4 (A C G T)"));
    QVERIFY(motif_error("AC M1\nP0 A C G T\n01 1 2 3 4\n02 1 2 3 4 5\n//\n", transfac)
                .startsWith("m.txt: line 4: motif 'M1': matrix row has 5 values"));
    QCOMPARE(motif_error("AC M1\nP0 A C G T\n01 1 2 x 4\n//\n", transfac),
             QString("m.txt: line 3: motif 'M1': count 'x' is not a non-negative number"));
    QVERIFY(motif_error("AC M1\nP0 A C G T\n01 1 -2 3 4\n//\n", transfac)
                .contains("line 3: motif 'M1': count '-2'"));
    QCOMPARE(motif_error("AC M1\nP0 A C G T\n01 1 2 3 4\nXX\nAC M2\nP0 A C G T\n01 1 1 1 1\n//\n", transfac),
             QString("m.txt: line 5: motif 'M1': missing '//' before this line (a new record starts)"));
    QCOMPARE(motif_error("AC M1\nP0 A C G T\n01 1 2 3 4\nXX\n", transfac),
             QString("m.txt: line 4: motif 'M1': missing '//' at the end of the file"));
    QCOMPARE(motif_error("AC M1\nXX\nP0 A C G T\nXX\n//\n", transfac),
             QString("m.txt: line 3: motif 'M1': motif has length 0 (no rows after P0)"));
    QVERIFY(motif_error("AC M1\nP0 A C G U\n01 1 2 3 4\n//\n", transfac)
                .contains("line 2: motif 'M1': matrix header"));
    QVERIFY(motif_error("AC M1\nXX\n//\n", transfac).contains("line 3: motif 'M1': record has no P0 matrix"));
    // Found by fuzz_motifs: a line of only \v (or \f) trimmed to non-empty but split into no
    // tokens, and the TRANSFAC parser read the first of them.
    QVERIFY(motif_error("\v\n", transfac).contains("m.txt"));
    const auto vt = parse_motifs("AC M1\n\v\nP0 A C G T\n\f 01 1 2 3 4\f\n//\n", transfac);
    QCOMPARE(vt.size(), std::size_t(1));
    QCOMPARE(vt[0].counts, (std::vector<BaseValues>{{1, 2, 3, 4}}));
    QVERIFY(motif_error("XX\n//\n", transfac).contains("no motifs found"));

    const auto meme = MotifFormat::meme;
    QCOMPARE(motif_error("MEME version 4\n\nALPHABET= ACGU\n", meme),
             QString("m.txt: line 3: alphabet 'ACGU' is not ACGT (only DNA motifs are read)"));
    QVERIFY(
        motif_error("MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n", meme).contains("line 2: alphabet"));
    QVERIFY(motif_error("MEME version 5\nALPHABET \"RNA\" RNA-LIKE\nA ~ U\nC ~ G\nEND ALPHABET\n", meme)
                .contains("line 2: alphabet 'AUCG' is not ACGT"));
    QCOMPARE(
        motif_error("MEME version 4\nMOTIF m1\nletter-probability matrix: w= 2\n0.5 0.5 0\n0 0 0 1\n", meme),
        QString("m.txt: line 4: motif 'm1': matrix row has 3 values, expected 4 (A C G T)"));
    QVERIFY(motif_error("MEME version 4\nMOTIF m1\nletter-probability matrix:\n0.5 -0.5 0 1\n", meme)
                .contains("line 4: motif 'm1': probability '-0.5'"));
    QCOMPARE(
        motif_error("MEME version 4\nMOTIF m1\nletter-probability matrix: w= 3\n1 0 0 0\n0 1 0 0\n\n", meme),
        QString("m.txt: line 6: motif 'm1': letter-probability matrix has 2 rows but w= 3"));
    QVERIFY(motif_error("MEME version 4\nMOTIF m1\nletter-probability matrix: w= 0\n", meme)
                .contains("line 3: motif 'm1': motif has length 0"));
    QVERIFY(motif_error("MEME version 4\nMOTIF m1\nletter-probability matrix: alength= 20 w= 1\n", meme)
                .contains("line 3: motif 'm1': alength= 20"));
    QVERIFY(motif_error("MEME version 4\nMOTIF m1\nMOTIF m2\n", meme)
                .contains("line 2: motif 'm1': MOTIF has no letter-probability matrix"));
    QVERIFY(motif_error("MOTIF m1\nletter-probability matrix:\n1 0 0 0\n", meme)
                .contains("line 1: motif 'm1': MOTIF before the 'MEME version' line"));
    QVERIFY(motif_error("MEME version 4\nBackground letter frequencies\nA 0.5 C 0.5\n", meme)
                .contains("line 2: background letter frequencies are incomplete"));
  }

  void motifs_files() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    write_plain_gzip(root / "m.pfm.gz", jaspar_text);
    const auto from_file = read_motifs(root / "m.pfm.gz");
    const auto from_text = parse_motifs(jaspar_text, MotifFormat::jaspar);
    QCOMPARE(from_file.size(), from_text.size());
    for (std::size_t i = 0; i < from_file.size(); ++i) {
      QCOMPARE(from_file[i].id, from_text[i].id);
      QCOMPARE(from_file[i].counts, from_text[i].counts);
    }
    const gc::Json s = summarize_motifs(root / "m.pfm.gz");
    QCOMPARE(s.at("format").as_string(), std::string("motifs"));
    QCOMPARE(s.at("motif_format").as_string(), std::string("jaspar"));
    QCOMPARE(s.at("motifs").as_int(), std::int64_t(2));
    QCOMPARE(s.at("min_length").as_int(), std::int64_t(3));
    QCOMPARE(s.at("max_length").as_int(), std::int64_t(6));
    QCOMPARE(s.at("ids").size(), std::size_t(2));
    QCOMPARE(s.at("ids").at(1).as_string(), std::string("MX1"));
    QCOMPARE(s.at("names").at(0).as_string(), std::string("Arnt"));

    // A file longer than the sniffed head: line numbers run on across the boundary, and only
    // the first 10 ids are listed.
    std::string big;
    for (int i = 0; i < 300; ++i)
      big +=
          "AC M" + std::to_string(i) + "\nP0 A C G T\n01 1 2 3 4\n02 0 0 0 " + std::to_string(i) + "\n//\n";
    write_bytes(root / "big.transfac", big);
    const auto many = read_motifs(root / "big.transfac");
    QCOMPARE(many.size(), std::size_t(300));
    QCOMPARE(many[299].id, std::string("M299"));
    QCOMPARE(many[299].counts[1], (BaseValues{0, 0, 0, 299}));
    QCOMPARE(many[299].sites, 299.0);
    const gc::Json bs = summarize_motifs(root / "big.transfac");
    QCOMPARE(bs.at("motif_format").as_string(), std::string("transfac"));
    QCOMPARE(bs.at("ids").size(), std::size_t(10));
    QCOMPARE(bs.at("names").at(0).as_string(), std::string());
    big.replace(big.rfind("02 0 0 0 299"), 12, "02 0 0 0");
    write_bytes(root / "bad.transfac", big);
    const QString where =
        QString::fromStdString((root / "bad.transfac").string()) + ": line 1499: motif 'M299'";
    QVERIFY(input_error_of([&] { (void)read_motifs(root / "bad.transfac"); }).startsWith(where));

    write_bytes(root / "meme.txt", meme_text);
    QCOMPARE(read_motifs(root / "meme.txt").size(), std::size_t(2));
    QCOMPARE(read_motifs(root / "meme.txt", MotifFormat::meme)[1].id, std::string("m2"));
    write_fasta_bgzip(root / "g.fa.gz", random_genome(3));
    QVERIFY(input_error_of([&] { (void)read_motifs(root / "g.fa.gz"); }).contains("not a motif file"));
    QVERIFY(input_error_of([&] { (void)read_motifs(root / "missing.txt"); }).contains("missing.txt"));
  }
};

GC_QTEST_GUILESS_MAIN(TestGenome)
#include "test_genome.moc"
