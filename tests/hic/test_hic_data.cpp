// Real files from ../shared/data/hic: cooler's own test matrices against their text dumps,
// yeast ICE against cooler's stored weights, and the straw v8 .hic file.
#include "gc/genome/fasta.h"
#include "gc/hic/balance.h"
#include "gc/hic/chrom_names.h"
#include "gc/hic/cooler.h"
#include "gc/hic/dump.h"
#include "gc/hic/juicer.h"
#include "gc/hic/query.h"
#include "gc/util/error.h"

#include <QtTest>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

using namespace gc::hic;
namespace fs = std::filesystem;

class TestHicData : public QObject {
  Q_OBJECT
  fs::path m_dir;

private Q_SLOTS:
  void initTestCase() {
    m_dir = fs::path(GC_SHARED_DATA_DIR) / "hic";
    if (!fs::exists(m_dir)) QSKIP("../shared/data/hic is absent; data tests need the shared test data");
  }

  // Every .cool with a text dump of the same stem matches it pixel for pixel. The .bg2 dumps
  // are one-based (cooler's test inputs), the .coo dumps zero-based bin ids.
  void coolersMatchTextDumps() {
    int compared = 0;
    for (const auto& entry : fs::directory_iterator(m_dir / "cooler")) {
      if (entry.path().extension() != ".cool") continue;
      const auto stem = entry.path().stem().string();
      const auto coo = m_dir / "cooler" / (stem + ".coo");
      const auto bg2 = m_dir / "cooler" / (stem + ".bg2");
      if (!fs::exists(coo) && !fs::exists(bg2)) continue;
      const CoolerMap map(entry.path().string());
      std::ostringstream got;
      DumpOptions opt;
      opt.format = fs::exists(coo) ? DumpFormat::coo : DumpFormat::bg2;
      dump(got, map, opt);
      std::ifstream in(fs::exists(coo) ? coo : bg2);
      std::ostringstream want;
      std::string line;
      while (std::getline(in, line)) {
        if (opt.format == DumpFormat::bg2) {
          std::istringstream f(line);
          std::string c1, c2, v;
          long long s1, e1, s2, e2;
          f >> c1 >> s1 >> e1 >> c2 >> s2 >> e2 >> v;
          want << c1 << '\t' << s1 - 1 << '\t' << e1 << '\t' << c2 << '\t' << s2 - 1 << '\t' << e2 << '\t'
               << v << '\n';
        } else {
          std::istringstream f(line);
          long long a, b;
          std::string v;
          f >> a >> b >> v;
          want << a << '\t' << b << '\t' << v << '\n';
        }
      }
      QCOMPARE(got.str(), want.str());
      ++compared;
    }
    QVERIFY2(compared >= 6, "expected the toy and odd coolers with dumps");
  }

  void asymmetricAndVariableBins() {
    const CoolerMap asym((m_dir / "cooler/toy.asymm.4.cool").string());
    QCOMPARE(asym.info().storage_mode, std::string("square"));
    QVERIFY(!asym.symmetric());
    const CoolerMap var((m_dir / "cooler/toy.symm.upper.var.cool").string());
    QCOMPARE(var.info().bin_type, std::string("variable"));
    QCOMPARE(var.bins().size(), std::int64_t{15});
    // toy.bins.var.bed: chr1 bin 3 is [10, 15), chr2 starts at bin 8
    QCOMPARE(var.bins().start[3], std::int64_t{10});
    QCOMPARE(var.bins().end[3], std::int64_t{15});
    QCOMPARE(var.bins().chrom_offset[1], std::int64_t{8});
    const auto r = resolve_region(var.bins(), "chr1:11-14");
    QCOMPARE(r.lo, std::int64_t{3});
    QCOMPARE(r.hi, std::int64_t{4});
  }

  void mcoolResolutionsAndScool() {
    const auto file = m_dir / "cooler/toy.symm.upper.2.mcool";
    QCOMPARE(sniff_cooler(file), CoolerKind::multires);
    QCOMPARE(list_resolutions(file), (std::vector<std::int64_t>{2, 4, 8, 16, 32}));
    const CoolerMap r4(file.string() + "::/resolutions/4");
    const CoolerMap ref((m_dir / "cooler/toy.symm.upper.4.cool").string());
    QCOMPARE(r4.all_pixels(), ref.all_pixels());
    QVERIFY_THROWS_EXCEPTION(gc::InputError, CoolerMap(file.string()));
    QVERIFY_THROWS_EXCEPTION(gc::InputError, CoolerMap(file.string() + "::/resolutions/3"));
    const auto scool = m_dir / "cooler/scool_test_file.scool";
    QCOMPARE(sniff_cooler(scool), CoolerKind::single_cell);
    const auto cells = list_cells(scool);
    QCOMPARE(cells.size(), std::size_t{5});
    const CoolerMap cell(scool.string() + "::/cells/" + cells.front());
    QVERIFY(cell.nnz() > 0);
    QCOMPARE(static_cast<std::int64_t>(cell.all_pixels().size()), cell.nnz());
  }

  // The acceptance test: our ICE reproduces cooler's stored weights. The column carries no
  // attributes; it was made by cooler <= 0.7 (cooler/ice.py) with `cooler balance` defaults,
  // whose MAD filter counts sigma = MAD / 0.6745. With cooler >= 0.8's raw MAD the same filters
  // mask 60 bins instead of the stored 42, which this test also pins.
  void iceMatchesCoolerOnYeast() {
    const CoolerMap map((m_dir / "cooler/yeast.10kb.cool").string());
    const auto stored = map.weights("weight").values;
    QVERIFY(map.weight_attributes("weight").empty());
    const auto compare = [&](const IceOptions& opt, int& masked, int& mask_mismatches, double& worst) {
      const auto res = ice(map, opt);
      QVERIFY(res.converged);
      int finite = 0;
      masked = mask_mismatches = 0;
      worst = 0;
      for (std::size_t i = 0; i < stored.size(); ++i) {
        masked += std::isnan(res.weights[i]) ? 1 : 0;
        if (std::isnan(res.weights[i]) != std::isnan(stored[i])) ++mask_mismatches;
        if (std::isnan(stored[i]) || std::isnan(res.weights[i])) continue;
        worst = std::max(worst, std::abs(res.weights[i] - stored[i]) / std::abs(stored[i]));
        ++finite;
      }
      QVERIFY(finite > 1000);
    };
    const auto legacy = cooler_ice_py_options();
    QCOMPARE(legacy.ignore_diags, 2);
    QCOMPARE(legacy.min_nnz, 10);
    QCOMPARE(legacy.mad_max, 5.0);
    QVERIFY(legacy.mad_as_sigma);
    QVERIFY(!legacy.cis_only);
    int masked = 0, mismatches = 0;
    double worst = 0;
    compare(legacy, masked, mismatches, worst);
    qInfo("yeast ICE (cooler <= 0.7 filters): %d masked, %d NaN-mask mismatches, max relative error %.3g",
          masked, mismatches, worst);
    QCOMPARE(masked, 42);
    QCOMPARE(mismatches, 0);
    QVERIFY(worst < 1e-3);
    IceOptions current; // cooler >= 0.8 defaults: raw MAD
    compare(current, masked, mismatches, worst);
    QCOMPARE(masked, 60);
    QCOMPARE(mismatches, 18);
  }

  // The yeast genome names chromosomes "II", "Mito"; the cooler "chrII", "chrMito". Regions
  // written either way select the same bins, an unknown name lists the closest ones, and the
  // lengths that differ between R64-1-1 and the cooler are reported through the alias table.
  void yeastGenomeNamesThroughAliases() {
    const CoolerMap map((m_dir / "cooler/yeast.10kb.cool").string());
    const auto& bins = map.bins();
    const auto ii = resolve_region(bins, "II:1-100000");
    const auto chrii = resolve_region(bins, "chrII:1-100000");
    QCOMPARE(bins.chroms[static_cast<std::size_t>(ii.chrom)].name, std::string("chrII"));
    QCOMPARE(ii.chrom, chrii.chrom);
    QCOMPARE(ii.lo, chrii.lo);
    QCOMPARE(ii.size(), std::int64_t{10});
    QCOMPARE(fetch_dense(map, ii, ii), fetch_dense(map, chrii, chrii));
    const auto mito = resolve_region(bins, "Mito");
    QCOMPARE(bins.chroms[static_cast<std::size_t>(mito.chrom)].name, std::string("chrMito"));
    QCOMPARE(mito.lo, std::int64_t{0});
    QCOMPARE(mito.size(), std::int64_t{9}); // 85,781 bp in 10 kb bins
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)resolve_region(bins, "II", exact_name_resolver));
    try {
      (void)resolve_region(bins, "XVII");
      QFAIL("XVII is not a yeast chromosome");
    } catch (const gc::InputError& e) {
      QVERIFY2(std::string(e.what()).find("closest names there") != std::string::npos, e.what());
    }
    // Through dump as well (the CLI's --region path).
    DumpOptions opt;
    opt.region = "II:1-30000";
    opt.format = DumpFormat::coo;
    std::ostringstream by_genome_name, by_cooler_name;
    const auto lines = dump(by_genome_name, map, opt);
    opt.region = "chrII:1-30000";
    QCOMPARE(dump(by_cooler_name, map, opt), lines);
    QCOMPARE(by_genome_name.str(), by_cooler_name.str());
    QCOMPARE(lines, std::int64_t{6}); // the upper triangle of 3 x 3 bins, all stored

    const auto fasta_path = fs::path(GC_SHARED_DATA_DIR) / "genome/yeast_R64-1-1" /
                            "Saccharomyces_cerevisiae.R64-1-1.dna.toplevel.fa.gz";
    if (!fs::exists(fasta_path)) QSKIP("the yeast R64-1-1 FASTA is absent");
    const gc::genome::FastaReader fasta(fasta_path);
    const auto cmp = compare_chromosomes("yeast.10kb.cool", bins, "R64-1-1", fasta.sequences());
    QCOMPARE(cmp.matched.size(), std::size_t{17});
    QCOMPARE(cmp.matched.front(), (std::pair<std::string, std::string>{"chrMito", "Mito"}));
    QCOMPARE(cmp.only_in_a, std::vector<std::string>{"chr2-micron"});
    QVERIFY(cmp.only_in_b.empty());
    // Every chromosome but chrIX and chrXVI differs by a few bases.
    const std::vector<std::tuple<std::string, std::string, std::int64_t, std::int64_t>> want{
        {"chrMito", "Mito", 85781, 85779},   {"chrI", "I", 230221, 230218},
        {"chrII", "II", 813183, 813184},     {"chrIII", "III", 316623, 316620},
        {"chrIV", "IV", 1531932, 1531933},   {"chrV", "V", 576870, 576874},
        {"chrVI", "VI", 270159, 270161},     {"chrVII", "VII", 1090929, 1090940},
        {"chrVIII", "VIII", 562646, 562643}, {"chrX", "X", 745749, 745751},
        {"chrXI", "XI", 666815, 666816},     {"chrXII", "XII", 1078171, 1078177},
        {"chrXIII", "XIII", 924433, 924431}, {"chrXIV", "XIV", 784331, 784333},
        {"chrXV", "XV", 1091288, 1091291}};
    QCOMPARE(cmp.length_mismatches.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      const auto& m = cmp.length_mismatches[i];
      QCOMPARE(
          std::tie(m.name_a, m.name_b, m.length_a, m.length_b),
          std::tie(std::get<0>(want[i]), std::get<1>(want[i]), std::get<2>(want[i]), std::get<3>(want[i])));
    }
  }

  // `cooler dump --join --balanced -r chrMito:1-30000` on the yeast map: raw count, then
  // count * w1 * w2 in "%g" form (4665 * w0 * w2 = 0.03162385... for bins 0 and 2).
  void dumpBalancedYeastLikeCooler() {
    const CoolerMap map((m_dir / "cooler/yeast.10kb.cool").string());
    DumpOptions opt;
    opt.region = "Mito:1-30000";
    opt.weights = map.weights("weight");
    std::ostringstream out;
    QCOMPARE(dump(out, map, opt), std::int64_t{3}); // stored: (0,2), (1,2), (2,2)
    std::istringstream lines(out.str());
    std::string line;
    std::vector<std::string> got;
    while (std::getline(lines, line))
      got.push_back(line);
    QCOMPARE(got.at(0), std::string("chrMito\t0\t10000\tchrMito\t20000\t30000\t4665\t0.0316239"));
    const auto w = opt.weights.values;
    for (const auto& l : got) {
      std::istringstream f(l);
      std::string c1, c2, balanced;
      std::int64_t s1, e1, s2, e2, count;
      f >> c1 >> s1 >> e1 >> c2 >> s2 >> e2 >> count >> balanced;
      char want[32];
      std::snprintf(want, sizeof want, "%g", static_cast<double>(count) * w[s1 / 10000] * w[s2 / 10000]);
      QCOMPARE(balanced, std::string(want));
    }
  }

  void juicerV8Header() {
    const HicFile f(m_dir / "straw/test.hic");
    QCOMPARE(f.header().version, 8);
    QCOMPARE(f.header().genome, std::string("hg19"));
    QCOMPARE(f.header().bp_resolutions, std::vector<std::int32_t>{2500000});
    QCOMPARE(f.header().chroms.front().name, std::string("ALL"));
    QCOMPARE(f.header().chroms[1].name, std::string("1"));
    QCOMPARE(f.header().chroms[1].length, std::int64_t{249250621});
  }

  // Region read: raw counts of chr1 decode to a contact map whose stored KR vector balances it
  // (every KR-normalised row of chr1 x chr1 sums to the same value), which would not hold for
  // misdecoded counts; plus exact regression values of the first pixels.
  void juicerV8Region() {
    const auto map = open_contact_map((m_dir / "straw/test.hic").string());
    const auto chr1 = resolve_region(map->bins(), "1");
    QCOMPARE(chr1.size(), std::int64_t{100});
    const auto raw = fetch_dense(*map, chr1, chr1);
    QCOMPARE(raw(0, 0), 872.0);
    QCOMPARE(raw(0, 1), 122.0);
    QCOMPARE(raw(1, 0), 122.0);
    QCOMPARE(raw(1, 1), 1088.0);
    const auto names = map->weight_names();
    QVERIFY(std::find(names.begin(), names.end(), "KR") != names.end());
    QueryOptions q;
    q.weights = map->weights("KR");
    QVERIFY(q.weights.divisive);
    const auto kr = fetch_dense(*map, chr1, chr1, q);
    std::vector<double> sums;
    for (Eigen::Index i = 0; i < kr.rows(); ++i) {
      if (!std::isfinite(q.weights.factor(chr1.lo + i))) continue;
      double s = 0;
      for (Eigen::Index j = 0; j < kr.cols(); ++j)
        if (std::isfinite(kr(i, j))) s += kr(i, j);
      sums.push_back(s);
    }
    QVERIFY(sums.size() > 50);
    const double mean = std::accumulate(sums.begin(), sums.end(), 0.0) / static_cast<double>(sums.size());
    for (const double s : sums)
      QVERIFY2(std::abs(s / mean - 1) < 1e-3, "KR-normalised chr1 rows must sum to a constant");
    // A sub-region is the same as the corresponding block of the whole chromosome.
    const auto sub = resolve_region(map->bins(), "1:10,000,001-30,000,000");
    const auto part = fetch_dense(*map, sub, sub);
    QCOMPARE(part, raw.block(sub.lo - chr1.lo, sub.lo - chr1.lo, sub.size(), sub.size()).eval());
    // Juicer names chromosome 1 "1"; "chr1" finds it through the alias table, not exactly.
    QCOMPARE(resolve_region(map->bins(), "chr1").lo, chr1.lo);
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)resolve_region(map->bins(), "chr1", exact_name_resolver));
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)resolve_region(map->bins(), "chr99"));
    QVERIFY_THROWS_EXCEPTION(gc::InputError,
                             open_contact_map((m_dir / "straw/test.hic").string() + "::5000"));
  }

  void truncatedHicIsInputError() {
    const auto src = m_dir / "straw/test.hic";
    const auto tmp = fs::temp_directory_path() / "gc_test_truncated.hic";
    std::ifstream in(src, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    for (const double frac : {0.001, 0.3, 0.9, 0.99}) {
      std::ofstream(tmp, std::ios::binary | std::ios::trunc)
          .write(bytes.data(), static_cast<std::streamsize>(bytes.size() * frac));
      bool threw = false;
      try {
        const auto map = open_contact_map(tmp.string());
        (void)fetch_coo(*map, chromosome_range(map->bins(), 0), chromosome_range(map->bins(), 0));
        (void)map->weights(map->default_weight_name());
      } catch (const gc::InputError&) {
        threw = true;
      }
      QVERIFY2(threw, "a truncated .hic must raise InputError");
    }
    fs::remove(tmp);
  }
};

QTEST_GUILESS_MAIN(TestHicData)
#include "test_hic_data.moc"
