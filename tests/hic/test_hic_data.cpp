// Real files from ../shared/data/hic: cooler's own test matrices against their text dumps,
// yeast ICE against cooler's stored weights, and real Juicer .hic files: straw's v8 file, a v9
// file with ICE vectors, a v8 file without normalisations and a two-resolution chr22 file.
#include "gc/genome/fasta.h"
#include "gc/hic/balance.h"
#include "gc/hic/chrom_names.h"
#include "gc/hic/cooler.h"
#include "gc/hic/dump.h"
#include "gc/hic/juicer.h"
#include "gc/hic/query.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QtTest>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <tuple>

using namespace gc::hic;
namespace fs = std::filesystem;

namespace {

// The pixels of `fine` summed into the bins of `coarse`: both cover the same chromosomes with
// fixed bins aligned at each chromosome's start, the coarse bin size a multiple of the fine one.
std::map<std::pair<std::int64_t, std::int64_t>, double> coarsen(const ContactMap& fine,
                                                                const ContactMap& coarse) {
  const auto& fb = fine.bins();
  const auto& cb = coarse.bins();
  const auto factor = cb.bin_size / fb.bin_size;
  const auto to_coarse = [&](std::int64_t bin) {
    const auto c = static_cast<std::size_t>(fb.chrom[static_cast<std::size_t>(bin)]);
    return cb.chrom_offset[c] + (bin - fb.chrom_offset[c]) / factor;
  };
  std::map<std::pair<std::int64_t, std::int64_t>, double> out;
  for (const auto& p : fine.all_pixels())
    out[{to_coarse(p.bin1), to_coarse(p.bin2)}] += p.count;
  return out;
}

std::map<std::pair<std::int64_t, std::int64_t>, double> as_map(const std::vector<Pixel>& pixels) {
  std::map<std::pair<std::int64_t, std::int64_t>, double> out;
  for (const auto& p : pixels)
    out[{p.bin1, p.bin2}] += p.count;
  return out;
}

} // namespace

class TestHicData : public QObject {
  Q_OBJECT
  fs::path m_dir;

private Q_SLOTS:
  void initTestCase() {
    m_dir = fs::path(gc::test::shared_data_dir()) / "hic";
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
    opt.region = gc::genome::parse_region("II:1-30000", gc::genome::RegionText::cooler);
    opt.format = DumpFormat::coo;
    std::ostringstream by_genome_name, by_cooler_name;
    const auto lines = dump(by_genome_name, map, opt);
    opt.region = gc::genome::parse_region("chrII:1-30000", gc::genome::RegionText::cooler);
    QCOMPARE(dump(by_cooler_name, map, opt), lines);
    QCOMPARE(by_genome_name.str(), by_cooler_name.str());
    QCOMPARE(lines, std::int64_t{6}); // the upper triangle of 3 x 3 bins, all stored

    const auto fasta_path = fs::path(gc::test::shared_data_dir()) / "genome/yeast_R64-1-1" /
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
    opt.region = gc::genome::parse_region("Mito:1-30000", gc::genome::RegionText::cooler);
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

  // `hic dump --region` reads the text as cooler does: "chr1:2-20" on 2-bp bins is the pixels of
  // cooler's own dump whose two bins overlap [2, 20) (bins 1..9); the UCSC reading of the same
  // text, [1, 20), also takes bin 0, whose pixel (0, 8) is then dumped too.
  void regionDumpIsCoolerSlice() {
    using gc::genome::parse_region;
    using gc::genome::RegionText;
    const CoolerMap map((m_dir / "cooler/toy.symm.upper.2.cool").string());
    const auto slice = [&](std::int64_t lo, std::int64_t hi) {
      std::ifstream in(m_dir / "cooler/toy.symm.upper.2.bg2");
      std::ostringstream want;
      std::string line;
      int n = 0;
      while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string c1, c2, v;
        long long s1, e1, s2, e2;
        f >> c1 >> s1 >> e1 >> c2 >> s2 >> e2 >> v;
        --s1, --s2; // this dump is one-based
        if (c1 != "chr1" || c2 != "chr1" || !(s1 < hi && e1 > lo) || !(s2 < hi && e2 > lo)) continue;
        want << c1 << '\t' << s1 << '\t' << e1 << '\t' << c2 << '\t' << s2 << '\t' << e2 << '\t' << v << '\n';
        ++n;
      }
      return std::make_pair(want.str(), n);
    };
    DumpOptions opt;
    opt.region = parse_region("chr1:2-20", RegionText::cooler);
    std::ostringstream cooler_reading, ucsc_reading;
    const auto [cooler_want, cooler_lines] = slice(2, 20);
    QCOMPARE(dump(cooler_reading, map, opt), std::int64_t{cooler_lines});
    QCOMPARE(cooler_reading.str(), cooler_want);
    opt.region = parse_region("chr1:2-20");
    const auto [ucsc_want, ucsc_lines] = slice(1, 20);
    QCOMPARE(dump(ucsc_reading, map, opt), std::int64_t{ucsc_lines});
    QCOMPARE(ucsc_reading.str(), ucsc_want);
    QCOMPARE(cooler_lines, 1); // (1, 9)
    QCOMPARE(ucsc_lines, 2);   // (0, 8) and (1, 9)
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

  // A real format-version-9 file (Juicer Tools 3.30, written through hictk): header with int64
  // chromosome lengths and the normalisation vector index position, float expected values and
  // ICE vectors. Names and lengths are dm6's.
  void juicerV9Header() {
    const auto path = m_dir / "juicer/hic_test_file.hic";
    if (!fs::exists(path)) QSKIP("juicer/hic_test_file.hic is absent");
    const HicFile f(path);
    QCOMPARE(f.header().version, 9);
    QCOMPARE(f.header().bp_resolutions, std::vector<std::int32_t>{100000});
    QVERIFY(f.header().frag_resolutions.empty());
    QVERIFY(f.header().nvi_position > f.header().footer_position);
    QCOMPARE(f.header().chroms.front().name, std::string("All"));
    const std::vector<std::pair<std::string, std::int64_t>> dm6{
        {"chr2L", 23513712}, {"chr2R", 25286936}, {"chr3L", 28110227}, {"chr3R", 32079331},
        {"chr4", 1348131},   {"chrX", 23542271},  {"chrY", 3667352},   {"chrM", 19524}};
    const auto map = open_contact_map(path.string());
    const auto& bins = map->bins();
    QCOMPARE(bins.chroms.size(), dm6.size());
    std::int64_t nbins = 0;
    for (std::size_t i = 0; i < dm6.size(); ++i) {
      QCOMPARE(bins.chroms[i].name, dm6[i].first);
      QCOMPARE(bins.chroms[i].length, dm6[i].second);
      nbins += (dm6[i].second + 99999) / 100000;
    }
    QCOMPARE(bins.bin_size, std::int64_t{100000});
    QCOMPARE(bins.size(), nbins); // 1380
    QCOMPARE(f.normalizations(100000), std::vector<std::string>{"ICE"});
    QVERIFY(f.has_normalizations());
    QCOMPARE(map->weight_names(), std::vector<std::string>{"ICE"});
    QCOMPARE(map->default_weight_name(), std::string("ICE"));
    // Expected values: the raw ("NONE") vector and the ICE one, both at 100 kb.
    QCOMPARE(f.expected().size(), std::size_t{2});
    QCOMPARE(f.expected()[0].normalization, std::string("NONE"));
    QCOMPARE(f.expected()[1].normalization, std::string("ICE"));
    for (const auto& e : f.expected()) {
      QCOMPARE(e.unit, std::string("BP"));
      QCOMPARE(e.bin_size, 100000);
      QCOMPARE(e.values.size(), std::size_t{320});
      QCOMPARE(e.chrom_scale.size(), std::size_t{7}); // every chromosome but chrM
    }
    QCOMPARE(f.expected()[0].values.front(), 43844.015625); // a float, exactly
    // The same resolution through the URI forms; an unstored one lists what is stored.
    QCOMPARE(open_contact_map(path.string() + "::100000")->bins().size(), nbins);
    QCOMPARE(open_contact_map(path.string() + "::/resolutions/100000")->bins().size(), nbins);
    try {
      (void)open_contact_map(path.string() + "::5000");
      QFAIL("5 kb is not stored");
    } catch (const gc::InputError& e) {
      QVERIFY2(std::string(e.what()).find("stored: 100000") != std::string::npos, e.what());
    }
  }

  // chr2L's raw matrix: integral counts, symmetric, and its total is the sumCounts Juicer stored
  // for the matrix (a float: 28,650,555 rounds to 28,650,556). The ICE vectors were computed
  // genome-wide (trans included) ignoring the first two diagonals of the whole-genome matrix, so
  // the balanced whole-genome matrix without |bin1 - bin2| < 2 (global bin ids; this also drops
  // the pixels between the last bin of a chromosome and the first of the next) has every
  // unmasked row summing to 1. Measured: max |sum - 1| = 1.1e-7 (the vectors are float32);
  // cis-only row sums are not constant (0.04 to 0.89 on chr2L).
  void juicerV9RawAndIce() {
    const auto path = m_dir / "juicer/hic_test_file.hic";
    if (!fs::exists(path)) QSKIP("juicer/hic_test_file.hic is absent");
    const auto map = open_contact_map(path.string());
    const auto chr2l = resolve_region(map->bins(), "chr2L");
    QCOMPARE(chr2l.size(), std::int64_t{236});
    const auto raw = fetch_dense(*map, chr2l, chr2l);
    QCOMPARE(raw, raw.transpose().eval());
    QCOMPARE(raw.sum(), 28650555.0);
    QCOMPARE(static_cast<float>(raw.sum()), 28650556.0f);
    QCOMPARE(raw.triangularView<Eigen::Upper>().toDenseMatrix().sum(), 19968156.0);
    for (Eigen::Index i = 0; i < raw.size(); ++i)
      QCOMPARE(raw.data()[i], std::round(raw.data()[i]));
    QVERIFY(raw(0, 0) > raw(0, 100)); // contacts decay away from the diagonal
    const auto sub = resolve_region(map->bins(), "chr2L:5,000,001-9,000,000");
    QCOMPARE(fetch_dense(*map, sub, chr2l), raw.middleRows(sub.lo - chr2l.lo, sub.size()).eval());
    // "2L" reaches chr2L through the alias table.
    QCOMPARE(resolve_region(map->bins(), "2L").lo, chr2l.lo);

    const auto w = map->weights("ICE");
    QVERIFY(w.divisive);
    QCOMPARE(static_cast<std::int64_t>(w.values.size()), map->bins().size());
    std::vector<double> sums(w.values.size(), 0.0);
    for (const auto& p : map->all_pixels()) {
      if (std::llabs(p.bin2 - p.bin1) < 2) continue;
      const double v = p.count * w.factor(p.bin1) * w.factor(p.bin2);
      if (!std::isfinite(v)) continue;
      sums[static_cast<std::size_t>(p.bin1)] += v;
      sums[static_cast<std::size_t>(p.bin2)] += v;
    }
    int masked = 0, rows = 0;
    double worst = 0;
    for (std::size_t i = 0; i < sums.size(); ++i) {
      if (!std::isfinite(w.factor(static_cast<std::int64_t>(i)))) {
        ++masked;
        continue;
      }
      ++rows;
      worst = std::max(worst, std::abs(sums[i] - 1));
    }
    qInfo("v9 ICE: %d rows, %d masked, max |row sum - 1| = %.3g", rows, masked, worst);
    QCOMPARE(masked, 61); // 60 bins masked by ICE, plus chrM's one bin, which has no vector
    QCOMPARE(rows, 1319);
    QVERIFY(worst < 1e-6);
    // The balanced dense query applies the same vector: count / (v_i * v_j).
    QueryOptions q;
    q.weights = w;
    const auto ice = fetch_dense(*map, chr2l, chr2l, q);
    const auto v = map->weights("ICE").values;
    const auto i0 = static_cast<std::size_t>(chr2l.lo);
    QCOMPARE(ice(0, 5), raw(0, 5) / (v[i0] * v[i0 + 5]));
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)map->weights("KR"));
  }

  void juicerV9TruncatedIsInputError() {
    const auto src = m_dir / "juicer/hic_test_file.hic";
    if (!fs::exists(src)) QSKIP("juicer/hic_test_file.hic is absent");
    const auto tmp = fs::temp_directory_path() / "gc_test_truncated_v9.hic";
    std::ifstream in(src, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    // Inside the blocks (footer gone), inside the normalisation vector index, inside a vector.
    for (const double frac : {0.5, 0.9972, 0.999}) {
      std::ofstream(tmp, std::ios::binary | std::ios::trunc)
          .write(bytes.data(), static_cast<std::streamsize>(static_cast<double>(bytes.size()) * frac));
      bool threw = false;
      try {
        const auto map = open_contact_map(tmp.string());
        (void)map->weights("ICE");
      } catch (const gc::InputError&) {
        threw = true;
      }
      QVERIFY2(threw, "a truncated v9 .hic must raise InputError");
    }
    fs::remove(tmp);
  }

  // hic2cool's test file: v8, all human chromosomes, six resolutions, and a footer that ends
  // right after the raw expected values. It opens, lists no normalisations, says so when one is
  // asked for, and its coarser resolutions are its 500 kb matrix summed into larger bins.
  void juicerWithoutNormalisations() {
    const auto path = m_dir / "juicer/test_hic_no_norms.hic";
    if (!fs::exists(path)) QSKIP("juicer/test_hic_no_norms.hic is absent");
    const HicFile f(path);
    QCOMPARE(f.header().version, 8);
    const std::vector<std::int32_t> res{16000000, 8000000, 4000000, 2000000, 1000000, 500000};
    QCOMPARE(f.header().bp_resolutions, res);
    QVERIFY(!f.has_normalizations());
    QCOMPARE(f.expected().size(), res.size());
    for (const auto& e : f.expected())
      QCOMPARE(e.normalization, std::string("NONE"));
    const auto file = std::make_shared<const HicFile>(path);
    const HicMap fine(file, 500000);
    QCOMPARE(fine.bins().chroms.size(), std::size_t{24}); // 1..22, X, Y; "ALL" left out
    QCOMPARE(fine.bins().chroms.front().length, std::int64_t{248956422});
    QCOMPARE(fine.bins().size(), std::int64_t{6188});
    for (const auto r : res) {
      QVERIFY(f.normalizations(r).empty());
      const HicMap map(file, r);
      QVERIFY(map.weight_names().empty());
      try {
        (void)map.weights(map.default_weight_name());
        QFAIL("the file has no normalisations");
      } catch (const gc::InputError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find("stores no normalisation") != std::string::npos, e.what());
        QVERIFY2(what.find("test_hic_no_norms.hic") != std::string::npos, e.what());
      }
      // Exact away from each chromosome's last coarse bin. That bin also holds contacts the file
      // places past the chromosome's (GRCh38) length, which have no 500 kb bin to be read into.
      const auto& cb = map.bins();
      const auto last_bin = [&](std::int64_t bin) {
        return bin + 1 ==
               cb.chrom_offset[static_cast<std::size_t>(cb.chrom[static_cast<std::size_t>(bin)]) + 1];
      };
      auto summed = coarsen(fine, map);
      double past_end = 0;
      int exact = 0;
      for (const auto& [key, stored] : as_map(map.all_pixels())) {
        const double got = summed.count(key) ? summed[key] : 0.0;
        summed.erase(key);
        if (last_bin(key.first) || last_bin(key.second)) {
          QVERIFY(got <= stored);
          past_end += stored - got;
        } else {
          QCOMPARE(got, stored);
          ++exact;
        }
      }
      QVERIFY2(summed.empty(), "every summed pixel is stored at the coarse resolution");
      qInfo("%d bp: %d pixels exact, %g contacts past the chromosome ends", r, exact, past_end);
      QVERIFY(exact > 0);
    }
    // chr1 x chr1 at 500 kb: the file stores 3,896 contacts in the upper triangle (5,793 in the
    // full matrix, Juicer's sumCounts); 5 of them lie in bin 498, past chr1's 248,956,422 bp.
    const auto chr1 = resolve_region(fine.bins(), "chr1");
    QCOMPARE(chr1.size(), std::int64_t{498});
    const auto raw = fetch_dense(fine, chr1, chr1);
    QCOMPARE(raw.triangularView<Eigen::Upper>().toDenseMatrix().sum(), 3891.0);
    QCOMPARE(raw.sum(), 5786.0);
  }

  // plotgardener's chr22 file: v8, chromosomes named "1".."22", "X", "Y", "MT", contacts for
  // 22 only, at 2.5 Mb and 100 kb. Each URI resolution gives its own matrix, and the 100 kb
  // one summed into 25-bin blocks is the 2.5 Mb one exactly (Juicer bins both from the same
  // pairs; checked on the file's blocks before writing this test). "chr22" finds "22".
  void juicerChr22Resolutions() {
    const auto path = (m_dir / "juicer/test_chr22.hic").string();
    if (!fs::exists(path)) QSKIP("juicer/test_chr22.hic is absent");
    const auto fine = open_contact_map(path + "::100000");
    const auto coarse = open_contact_map(path + "::/resolutions/2500000");
    QCOMPARE(fine->bins().bin_size, std::int64_t{100000});
    QCOMPARE(coarse->bins().bin_size, std::int64_t{2500000});
    QCOMPARE(open_contact_map(path)->bins().bin_size, std::int64_t{100000}); // finest by default
    QCOMPARE(fine->bins().chroms.size(), std::size_t{25});
    QCOMPARE(fine->bins().chroms[21].name, std::string("22"));
    QCOMPARE(fine->bins().chroms[24].name, std::string("MT"));
    const auto f22 = resolve_region(fine->bins(), "chr22");
    const auto c22 = resolve_region(coarse->bins(), "chr22");
    QCOMPARE(f22.lo, resolve_region(fine->bins(), "22").lo);
    QCOMPARE(c22.lo, resolve_region(coarse->bins(), "22").lo);
    QCOMPARE(fine->bins().chroms[static_cast<std::size_t>(f22.chrom)].name, std::string("22"));
    QVERIFY_THROWS_EXCEPTION(gc::InputError,
                             (void)resolve_region(fine->bins(), "chr22", exact_name_resolver));
    QCOMPARE(f22.size(), std::int64_t{514}); // 51,304,566 bp
    QCOMPARE(c22.size(), std::int64_t{21});

    const auto fm = fetch_dense(*fine, f22, f22);
    const auto cm = fetch_dense(*coarse, c22, c22);
    // Each pair is counted once: sum the fine upper triangle into the coarse upper triangle (a
    // fine pixel off the diagonal can land on a coarse diagonal bin), then mirror.
    Eigen::MatrixXd summed = Eigen::MatrixXd::Zero(cm.rows(), cm.cols());
    for (Eigen::Index i = 0; i < fm.rows(); ++i)
      for (Eigen::Index j = i; j < fm.cols(); ++j)
        summed(i / 25, j / 25) += fm(i, j);
    summed.triangularView<Eigen::StrictlyLower>() = summed.transpose();
    QCOMPARE(summed, cm);
    // Juicer's stored sumCounts of the whole symmetric matrix at each resolution.
    QCOMPARE(fm.sum(), 44604.0);
    QCOMPARE(cm.sum(), 35527.0);
    QCOMPARE(fm.triangularView<Eigen::Upper>().toDenseMatrix().sum(), 29267.0);
    QCOMPARE(cm.triangularView<Eigen::Upper>().toDenseMatrix().sum(), 29267.0);
    QCOMPARE(fm(200, 200), 54.0); // values decoded independently from the file's blocks
    QCOMPARE(cm(10, 10), 1754.0);
    // The whole genome as well (nothing outside chr22 x chr22).
    QCOMPARE(coarsen(*fine, *coarse), as_map(coarse->all_pixels()));
    QVERIFY(fetch_dense(*fine, resolve_region(fine->bins(), "1"), f22).isZero());

    // Each resolution has its own vectors; KR balances chr22 to constant row sums (measured
    // relative spread 3.3e-7 at 100 kb, 5.6e-7 at 2.5 Mb), VC_SQRT is the sqrt of the raw coverage
    // up to a constant.
    const std::vector<std::string> norms{"KR", "SCALE", "VC", "VC_SQRT"};
    for (const auto* map : {fine.get(), coarse.get()}) {
      QCOMPARE(map->weight_names(), norms);
      const auto range = resolve_region(map->bins(), "chr22");
      const auto raw = fetch_dense(*map, range, range);
      QueryOptions q;
      q.weights = map->weights("KR");
      const auto kr = fetch_dense(*map, range, range, q);
      std::vector<double> sums;
      for (Eigen::Index i = 0; i < kr.rows(); ++i) {
        if (!std::isfinite(q.weights.factor(range.lo + i))) continue;
        double s = 0;
        for (Eigen::Index j = 0; j < kr.cols(); ++j)
          if (std::isfinite(kr(i, j))) s += kr(i, j);
        sums.push_back(s);
      }
      const auto [lo, hi] = std::minmax_element(sums.begin(), sums.end());
      qInfo("chr22 KR at %lld bp: %zu rows, row sums %.6g, relative spread %.2g",
            static_cast<long long>(map->bins().bin_size), sums.size(), *lo, *hi / *lo - 1);
      QVERIFY(sums.size() > static_cast<std::size_t>(range.size()) / 2);
      QVERIFY(*hi / *lo - 1 < 1e-5);
      const auto vc = map->weights("VC_SQRT").values;
      std::vector<double> ratio;
      for (Eigen::Index i = 0; i < raw.rows(); ++i) {
        const double coverage = raw.row(i).sum();
        const double v = vc[static_cast<std::size_t>(range.lo + i)];
        if (coverage > 0 && std::isfinite(v) && v > 0) ratio.push_back(v / std::sqrt(coverage));
      }
      const auto [rlo, rhi] = std::minmax_element(ratio.begin(), ratio.end());
      QVERIFY(!ratio.empty());
      QVERIFY2(*rhi / *rlo - 1 < 1e-6, "VC_SQRT must be proportional to sqrt(row coverage)");
    }
  }
};

GC_QTEST_GUILESS_MAIN(TestHicData)
#include "test_hic_data.moc"
