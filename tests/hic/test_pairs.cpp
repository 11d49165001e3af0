// 4DN .pairs binning: cooler's own toy pairs against the coolers `cooler cload pairs` made from
// them (fixed and variable bins), real pairtools files with headers, and small hand-written
// files for reflection, dropping, square storage and malformed input.
#include "gc/hic/cooler.h"
#include "gc/hic/pairs.h"
#include "gc/util/error.h"
#include "gc/util/progress.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"

#include <QtTest>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

using namespace gc::hic;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Each part becomes its own gzip member, the layout bgzip writes.
void write_gzip_members(const fs::path& path, const std::vector<std::string>& parts) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    gzFile gz = gzopen(path.string().c_str(), i == 0 ? "wb" : "ab");
    QVERIFY(gz != nullptr);
    QCOMPARE(gzwrite(gz, parts[i].data(), static_cast<unsigned>(parts[i].size())),
             static_cast<int>(parts[i].size()));
    QCOMPARE(gzclose(gz), Z_OK);
  }
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const gc::InputError& e) {
    return e.what();
  }
  return {};
}

// Bins (chrom, start, end), chromosomes and stored pixels of two coolers are identical.
void compare_coolers(const fs::path& got_path, const fs::path& want_path) {
  const CoolerMap got(got_path.string());
  const CoolerMap want(want_path.string());
  const auto& a = got.bins();
  const auto& b = want.bins();
  QCOMPARE(a.chroms.size(), b.chroms.size());
  for (std::size_t c = 0; c < a.chroms.size(); ++c) {
    QCOMPARE(a.chroms[c].name, b.chroms[c].name);
    QCOMPARE(a.chroms[c].length, b.chroms[c].length);
  }
  QCOMPARE(a.chrom, b.chrom);
  QCOMPARE(a.start, b.start);
  QCOMPARE(a.end, b.end);
  QCOMPARE(got.info().bin_type, want.info().bin_type);
  QCOMPARE(got.info().bin_size, want.info().bin_size);
  QCOMPARE(got.info().storage_mode, want.info().storage_mode);
  const auto p = got.all_pixels();
  const auto q = want.all_pixels();
  QCOMPARE(p.size(), q.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == q[i]) continue;
    QFAIL(qPrintable(QString("pixel %1: got (%2, %3, %4), cooler has (%5, %6, %7)")
                         .arg(i)
                         .arg(p[i].bin1)
                         .arg(p[i].bin2)
                         .arg(p[i].count)
                         .arg(q[i].bin1)
                         .arg(q[i].bin2)
                         .arg(q[i].count)));
  }
}

const char* k_sizes = "chrA\t100\nchrB\t50\n";

} // namespace

class TestPairs : public QObject {
  Q_OBJECT
  fs::path m_dir;

private Q_SLOTS:
  void initTestCase() { m_dir = fs::path(gc::test::shared_data_dir()) / "hic" / "cooler"; }

  // ---- cooler's own data: `cooler cload pairs BINS toy.pairs OUT` made the reference coolers ----

  void toyFixedBinsMatchCooler() {
    if (!fs::exists(m_dir))
      QSKIP("../shared/data/hic/cooler is absent; data tests need the shared test data");
    const gc::TempDir tmp("gc-test-pairs");
    const std::regex name(R"(toy\.symm\.upper\.(\d+)\.cool)");
    int compared = 0;
    for (const auto& entry : fs::directory_iterator(m_dir)) {
      std::smatch m;
      const auto file = entry.path().filename().string();
      if (!std::regex_match(file, m, name)) continue;
      const auto bin_size = std::stoll(m[1].str());
      const auto out = tmp.path() / ("toy." + m[1].str() + ".cool");
      const auto s =
          bin_pairs(m_dir / "toy.pairs",
                    Binning::from_spec((m_dir / "toy.chrom.sizes").string() + ":" + m[1].str()), out);
      QCOMPARE(s.pairs_read, std::int64_t{96});
      QCOMPARE(s.pairs_dropped, std::int64_t{0});
      QCOMPARE(s.bins, 64 / bin_size);
      QCOMPARE(s.total_count, 96.0);
      compare_coolers(out, entry.path());
      ++compared;
    }
    QVERIFY2(compared >= 2, "expected toy.symm.upper.2.cool and toy.symm.upper.4.cool");
  }

  void toyVariableBinsMatchCooler() {
    if (!fs::exists(m_dir))
      QSKIP("../shared/data/hic/cooler is absent; data tests need the shared test data");
    const gc::TempDir tmp("gc-test-pairs");
    const auto binning = Binning::from_bed(m_dir / "toy.bins.var.bed");
    QCOMPARE(binning.bins.size(), std::int64_t{15});
    QCOMPARE(binning.bins.bin_size, std::int64_t{0});
    const auto out = tmp.path() / "toy.var.cool";
    const auto s = bin_pairs(m_dir / "toy.pairs", binning, out);
    QCOMPARE(s.pairs_binned, std::int64_t{96});
    // 16 lower-triangle pairs within chr2 (pos1 > pos2) and 32 chr2-chr1 pairs are reflected.
    QCOMPARE(s.reflected, std::int64_t{48});
    compare_coolers(out, m_dir / "toy.symm.upper.var.cool");

    // The same pairs with '#' inside read names, gzip-compressed: comments only start a line.
    const auto out2 = tmp.path() / "toy_hash.var.cool";
    bin_pairs(m_dir / "toy_hash.pairs.gz", binning, out2);
    compare_coolers(out2, m_dir / "toy.symm.upper.var.cool");
  }

  // At 1 bp every pair is its own pixel; cooler's zero-based .coo dump of that matrix is the truth.
  void toyOneBasePairMatchesCooDump() {
    if (!fs::exists(m_dir))
      QSKIP("../shared/data/hic/cooler is absent; data tests need the shared test data");
    const auto binned =
        aggregate_pairs(m_dir / "toy.pairs", Binning::from_chrom_sizes(m_dir / "toy.chrom.sizes", 1));
    std::ifstream coo(m_dir / "toy.symm.upper.1.zb.coo");
    std::vector<Pixel> want;
    long long b1 = 0, b2 = 0;
    double v = 0;
    while (coo >> b1 >> b2 >> v)
      want.push_back({b1, b2, v});
    QCOMPARE(want.size(), std::size_t{96});
    QCOMPARE(binned.pixels, want);
  }

  // pairtools output: 4DN header with #chromsize: and #columns: (which names sam1/sam2 that the
  // lines lack). Binning on the header's own sizes keeps every pair.
  void realPairsWithHeader() {
    if (!fs::exists(m_dir))
      QSKIP("../shared/data/hic/cooler is absent; data tests need the shared test data");
    const auto file = m_dir / "mm9.sample1.pairs";
    const auto header = read_pairs_header(file);
    QCOMPARE(header.format, std::string("pairs format v1.0.0"));
    QCOMPARE(header.chromsizes.size(), std::size_t{22});
    QCOMPARE(header.chromsizes.front().name, std::string("chr1"));
    QCOMPARE(header.chromsizes.front().length, std::int64_t{197195432});
    QCOMPARE(header.columns.size(), std::size_t{10});
    QCOMPARE(header.lines.size(), std::size_t{27});
    QCOMPARE(header.shape, std::string("upper triangle"));

    std::ifstream in(file);
    std::string line;
    std::int64_t data_lines = 0;
    while (std::getline(in, line))
      data_lines += !line.empty() && line[0] != '#';
    QCOMPARE(data_lines, std::int64_t{10000});

    const auto binned = aggregate_pairs(file, Binning::fixed(header.chromsizes, 1000000));
    const auto& s = binned.summary;
    QCOMPARE(s.header_lines, std::int64_t{27});
    QCOMPARE(s.pairs_read, data_lines);
    QCOMPARE(s.pairs_binned, data_lines);
    QCOMPARE(s.total_count, static_cast<double>(data_lines));
    QCOMPARE(s.columns.chrom1, 1);
    QCOMPARE(s.columns.pos2, 4);
    QCOMPARE(s.warnings.size(), std::size_t{1}); // the #columns: / field count mismatch
    for (const auto& p : binned.pixels)
      QVERIFY(p.bin1 <= p.bin2);

    // hg19.sample1.pairs has no header and its own layout: chrom pos strand chrom pos strand.
    PairsOptions o;
    o.columns = PairsColumns{0, 1, 3, 4};
    const auto hg =
        aggregate_pairs(m_dir / "hg19.sample1.pairs",
                        Binning::fixed({{"chr1", 249250621}, {"chr2", 243199373}}, 10000000), {}, o);
    // Counted with awk: 60,643 lines, 8,048 with both ends on chr1/chr2, all upper-triangle.
    QCOMPARE(hg.summary.pairs_read, std::int64_t{60643});
    QCOMPARE(hg.summary.pairs_binned, std::int64_t{8048});
    QCOMPARE(hg.summary.dropped_unknown_chrom, std::int64_t{60643 - 8048});
    QCOMPARE(hg.summary.reflected, std::int64_t{0});
    QVERIFY(hg.summary.unknown_chroms.count("chrX") == 1);
  }

  // ---- hand-written files ----

  void lowerTriangleIsReflected() {
    const gc::TempDir tmp("gc-test-pairs");
    write_text(tmp.path() / "g.sizes", k_sizes);
    write_text(tmp.path() / "p.pairs", "## pairs format v1.0\n"
                                       "#columns: readID chrom1 pos1 chrom2 pos2\n"
                                       "r1\tchrA\t95\tchrA\t5\n"    // lower triangle: bins (9, 0) -> (0, 9)
                                       "r2\tchrA\t1\tchrA\t100\n"   // upper already: (0, 9)
                                       "r3\tchrB\t11\tchrA\t10\n"   // chrB before chrA in the pair: reflected
                                       "r4\tchrA\t10\tchrB\t11\n"); // same contact, upper orientation
    const auto out = tmp.path() / "out.cool";
    const auto s =
        bin_pairs(tmp.path() / "p.pairs", Binning::from_spec((tmp.path() / "g.sizes").string() + ":10"), out);
    QCOMPARE(s.reflected, std::int64_t{2});
    QCOMPARE(s.pixels, std::int64_t{2});
    const CoolerMap map(out.string());
    QCOMPARE(map.bins().size(), std::int64_t{15});
    QCOMPARE(map.info().storage_mode, std::string("symmetric-upper"));
    const std::vector<Pixel> want{{0, 9, 2}, {0, 11, 2}}; // chrA:10 -> bin 0 (1-based 10 = 0-based 9)
    QCOMPARE(map.all_pixels(), want);
    // Only the output is left: the temporary was renamed into place.
    QCOMPARE(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator{}), 3);
  }

  void duplexAndSquareStorage() {
    const gc::TempDir tmp("gc-test-pairs");
    write_text(tmp.path() / "p.pairs", "r1\tchrA\t95\tchrA\t5\nr2\tchrA\t5\tchrA\t95\n");
    const auto bins = Binning::fixed({{"chrA", 100}}, 10);
    PairsOptions duplex;
    duplex.lower_triangle = LowerTriangle::drop;
    const auto d = aggregate_pairs(tmp.path() / "p.pairs", bins, {}, duplex);
    QCOMPARE(d.summary.dropped_lower_triangle, std::int64_t{1});
    QCOMPARE(d.summary.pairs_dropped, std::int64_t{1});
    QCOMPARE(d.pixels, (std::vector<Pixel>{{0, 9, 1}}));

    PairsOptions square;
    square.symmetric_upper = false;
    const auto out = tmp.path() / "square.cool";
    const auto s = bin_pairs(tmp.path() / "p.pairs", bins, out, {}, square);
    QCOMPARE(s.reflected, std::int64_t{0});
    const CoolerMap map(out.string());
    QCOMPARE(map.info().storage_mode, std::string("square"));
    QCOMPARE(map.all_pixels(), (std::vector<Pixel>{{0, 9, 1}, {9, 0, 1}}));

    // Zero-based positions: 0 is the first base, 99 the last of chrA.
    write_text(tmp.path() / "z.pairs", "r\tchrA\t0\tchrA\t99\n");
    PairsOptions zero;
    zero.zero_based = true;
    QCOMPARE(aggregate_pairs(tmp.path() / "z.pairs", bins, {}, zero).pixels, (std::vector<Pixel>{{0, 9, 1}}));
  }

  void unknownChromosomeDroppedAndCounted() {
    const gc::TempDir tmp("gc-test-pairs");
    write_text(tmp.path() / "p.pairs", "r1\tchrA\t5\tchrUn\t7\n"
                                       "r2\tchrA\t5\tchrA\t7\n"
                                       "r3\tchrM\t500000\tchrA\t7\n" // unknown: not bounds-checked
                                       "r4\tchrUn\t1\tchrUn\t2\n");
    const auto b = aggregate_pairs(tmp.path() / "p.pairs", Binning::fixed({{"chrA", 100}}, 10));
    const auto& s = b.summary;
    QCOMPARE(s.pairs_read, std::int64_t{4});
    QCOMPARE(s.pairs_binned, std::int64_t{1});
    QCOMPARE(s.pairs_dropped, std::int64_t{3});
    QCOMPARE(s.dropped_unknown_chrom, std::int64_t{3});
    QCOMPARE(s.unknown_chroms.at("chrUn"), std::int64_t{2});
    QCOMPARE(s.unknown_chroms.at("chrM"), std::int64_t{1});
    QCOMPARE(b.pixels, (std::vector<Pixel>{{0, 0, 1}}));

    // Exact names by default, as cooler; with aliases "1" finds "chr1".
    write_text(tmp.path() / "n.pairs", "r\t1\t5\tchr1\t7\n");
    PairsOptions alias;
    alias.chrom_aliases = true;
    const auto bins = Binning::fixed({{"chr1", 100}}, 10);
    QCOMPARE(aggregate_pairs(tmp.path() / "n.pairs", bins).summary.dropped_unknown_chrom, std::int64_t{1});
    QCOMPARE(aggregate_pairs(tmp.path() / "n.pairs", bins, {}, alias).summary.pairs_binned, std::int64_t{1});
  }

  void malformedLinesNameTheLine() {
    const gc::TempDir tmp("gc-test-pairs");
    const auto bins = Binning::fixed({{"chrA", 100}}, 10);
    const auto p = tmp.path() / "bad.pairs";
    const std::string head = "## pairs format v1.0\n#chromsize: chrA 100\nr1\tchrA\t1\tchrA\t2\n";
    const auto expect = [&](const std::string& body, const std::string& line, const std::string& what) {
      write_text(p, head + body);
      const auto msg = error_of([&] { (void)aggregate_pairs(p, bins); });
      QVERIFY2(msg.find(p.string()) != std::string::npos, msg.c_str());
      QVERIFY2(msg.find(line) != std::string::npos, msg.c_str());
      QVERIFY2(msg.find(what) != std::string::npos, msg.c_str());
      QVERIFY(!fs::exists(tmp.path() / "never.cool"));
    };
    expect("r2\tchrA\t1\tchrA\n", "line 4", "found 4");
    expect("r2\tchrA\t1\tchrA\t2\n\nr3\tchrA\tx\tchrA\t2\n", "line 6", "'x' is not an integer");
    expect("r2\tchrA\t1.5\tchrA\t2\n", "line 4", "pos1 (column 3)");
    expect("r2\tchrA\t10\tchrA\t101\n", "line 4", "beyond the end of chrA");
    expect("r2\tchrA\t0\tchrA\t5\n", "line 4", "is below 1");
    expect("r2 chrA 1 chrA 2\n", "line 4", "found 1");
    write_text(p, "r1\tchrA\t1\n");
    QVERIFY(error_of([&] { (void)aggregate_pairs(p, bins); }).find("column 5 is needed") !=
            std::string::npos);
    write_text(p, "## pairs format v1.0\n#chromsize: chrA 100\n");
    QVERIFY(error_of([&] { (void)aggregate_pairs(p, bins); }).find("no pairs") != std::string::npos);
    write_text(p, "## pairs format v1.0\n#chromsize: chrA ten\n");
    QVERIFY(error_of([&] { (void)read_pairs_header(p); }).find("line 2") != std::string::npos);
    // An error leaves no output file.
    write_text(p, head + "r2\tchrA\t1\tchrA\n");
    QVERIFY_THROWS_EXCEPTION(gc::InputError, bin_pairs(p, bins, tmp.path() / "never.cool"));
    QVERIFY(!fs::exists(tmp.path() / "never.cool"));
  }

  void headerColumnsAndCompression() {
    const gc::TempDir tmp("gc-test-pairs");
    const std::string header = "## pairs format v1.0\n"
                               "#chromsize: chrA 100\n"
                               "#chromsize: chrB 50\n"
                               "#columns: readID chrom1 chrom2 pos1 pos2 strand1 strand2\n";
    const std::string body = "r1\tchrA\tchrB\t15\t3\t+\t-\nr2\tchrA\tchrA\t15\t99\t+\t+\n";
    write_text(tmp.path() / "p.pairs", header + body);
    write_gzip_members(tmp.path() / "p.pairs.gz", {header, body.substr(0, 10), body.substr(10)});
    const auto h = read_pairs_header(tmp.path() / "p.pairs.gz");
    QCOMPARE(h.chromsizes.size(), std::size_t{2});
    QCOMPARE(h.chromsizes[1].name, std::string("chrB"));
    QCOMPARE(h.chromsizes[1].length, std::int64_t{50});
    QCOMPARE(h.columns.size(), std::size_t{7});
    const auto bins = Binning::fixed(h.chromsizes, 10, "header");
    const std::vector<Pixel> want{{1, 9, 1}, {1, 10, 1}}; // chrB starts at bin 10
    for (const char* name : {"p.pairs", "p.pairs.gz"}) {
      const auto b = aggregate_pairs(tmp.path() / name, bins);
      QCOMPARE(b.pixels, want);
      QCOMPARE(b.summary.columns.pos1, 3);
      QCOMPARE(b.summary.columns.chrom2, 2);
      QVERIFY(b.summary.warnings.empty());
    }
    // Raw pairs, positions as written, for scans that need no bins.
    std::vector<std::string> seen;
    for_each_pair(tmp.path() / "p.pairs.gz", columns_from_header(h, tmp.path() / "p.pairs.gz"),
                  [&](std::string_view c1, std::int64_t p1, std::string_view c2, std::int64_t p2) {
                    seen.push_back(std::string(c1) + ":" + std::to_string(p1) + "-" + std::string(c2) + ":" +
                                   std::to_string(p2));
                  });
    QCOMPARE(seen, (std::vector<std::string>{"chrA:15-chrB:3", "chrA:15-chrA:99"}));
    PairsHeader partial;
    partial.columns = {"readID", "chrom1", "pos1", "pos2"};
    QVERIFY(error_of([&] { (void)columns_from_header(partial, "x.pairs"); }).find("'chrom2'") !=
            std::string::npos);
    // A sizes file that disagrees with #chromsize: is a warning naming both.
    write_text(tmp.path() / "g.sizes", "chrA\t120\nchrB\t50\n");
    const auto w =
        aggregate_pairs(tmp.path() / "p.pairs", Binning::from_chrom_sizes(tmp.path() / "g.sizes", 10));
    QCOMPARE(w.summary.warnings.size(), std::size_t{1});
    QVERIFY(w.summary.warnings[0].find("g.sizes") != std::string::npos);
    // A cut-off gzip stream is an error, not a short read.
    std::string gz;
    {
      std::ifstream in(tmp.path() / "p.pairs.gz", std::ios::binary);
      gz.assign(std::istreambuf_iterator<char>(in), {});
    }
    write_text(tmp.path() / "cut.pairs.gz", gz.substr(0, gz.size() - 12));
    QVERIFY(error_of([&] { (void)aggregate_pairs(tmp.path() / "cut.pairs.gz", bins); }).find("truncated") !=
            std::string::npos);
  }

  void countColumnIsSummed() {
    const gc::TempDir tmp("gc-test-pairs");
    write_text(tmp.path() / "p.pairs", "r1\tchrA\t5\tchrA\t7\t2.5\nr2\tchrA\t6\tchrA\t8\t1.25\n");
    PairsOptions o;
    o.count_column = 5;
    const auto out = tmp.path() / "v.cool";
    const auto s = bin_pairs(tmp.path() / "p.pairs", Binning::fixed({{"chrA", 100}}, 10), out, {}, o);
    QCOMPARE(s.total_count, 3.75);
    QCOMPARE(CoolerMap(out.string()).all_pixels(), (std::vector<Pixel>{{0, 0, 3.75}}));
  }

  void badBinsFiles() {
    const gc::TempDir tmp("gc-test-pairs");
    const auto bed = tmp.path() / "b.bed";
    write_text(bed, "chrA\t0\t10\nchrA\t12\t20\n");
    QVERIFY(error_of([&] { (void)Binning::from_bed(bed); }).find("line 2") != std::string::npos);
    write_text(bed, "chrA\t0\t10\nchrB\t0\t10\nchrA\t10\t20\n");
    QVERIFY(error_of([&] { (void)Binning::from_bed(bed); }).find("not on consecutive lines") !=
            std::string::npos);
    write_text(bed, "chrA\t5\t10\n");
    QVERIFY(error_of([&] { (void)Binning::from_bed(bed); }).find("not 0") != std::string::npos);
    // Uniform bins (a shorter last one allowed) are fixed-size, as cooler infers them.
    write_text(bed, "chrA\t0\t10\nchrA\t10\t20\nchrA\t20\t25\nchrB\t0\t10\n");
    const auto fixed = Binning::from_bed(bed);
    QCOMPARE(fixed.bins.bin_size, std::int64_t{10});
    QCOMPARE(fixed.bins.chroms[0].length, std::int64_t{25});

    write_text(tmp.path() / "g.sizes", "chrA\t100\nchrA\t50\n");
    QVERIFY(error_of([&] {
              (void)Binning::from_spec((tmp.path() / "g.sizes").string() + ":10");
            }).find("listed twice") != std::string::npos);
    QVERIFY(!error_of([&] { (void)Binning::from_spec((tmp.path() / "g.sizes").string()); }).empty());
    write_text(tmp.path() / "g.sizes", k_sizes);
    QVERIFY(!error_of([&] { (void)Binning::from_spec((tmp.path() / "g.sizes").string() + ":0"); }).empty());
  }

  void cancelledLeavesNoFile() {
    const gc::TempDir tmp("gc-test-pairs");
    write_text(tmp.path() / "p.pairs", "r\tchrA\t1\tchrA\t2\n");
    gc::CancelToken token;
    token.cancel();
    const gc::Progress progress(nullptr, token);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled,
                             bin_pairs(tmp.path() / "p.pairs", Binning::fixed({{"chrA", 100}}, 10),
                                       tmp.path() / "out.cool", progress));
    QVERIFY(!fs::exists(tmp.path() / "out.cool"));
  }
};

GC_QTEST_GUILESS_MAIN(TestPairs)
#include "test_pairs.moc"
