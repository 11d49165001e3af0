// gc::genome unit tests: regions, aliases, IUPAC one-hot, FASTA storage kinds and fetches,
// annotation parsing and queries, BED, VCF, writers' round trips and determinism, bad input.
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/fasta.h"
#include "gc/genome/region.h"
#include "gc/genome/sequence.h"
#include "gc/genome/summary.h"
#include "gc/genome/vcf.h"
#include "gc/genome/writers.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
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
};

QTEST_GUILESS_MAIN(TestGenome)
#include "test_genome.moc"
