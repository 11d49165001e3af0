// Unit tests of gc::hic on synthetic matrices written with our own writer.
#include "gc/hdf5/hdf5.h"
#include "gc/hic/analysis.h"
#include "gc/hic/balance.h"
#include "gc/hic/cooler.h"
#include "gc/hic/dump.h"
#include "gc/hic/juicer.h"
#include "gc/hic/query.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"

#include "gc_progress_recorder.h"
#include "gc_qtest_main.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

using namespace gc::hic;
namespace fs = std::filesystem;

namespace {
// Two chromosomes (1000 and 600 bp, 100-bp bins), distance-decay counts plus some trans.
std::vector<Pixel> synthetic(const BinTable& bins) {
  std::vector<Pixel> px;
  for (std::int64_t i = 0; i < bins.size(); ++i)
    for (std::int64_t j = i; j < bins.size(); ++j) {
      const bool cis = bins.chrom[i] == bins.chrom[j];
      const double v = cis ? std::floor(100.0 / (1.0 + static_cast<double>(j - i)) +
                                        static_cast<double>((i * 7 + j * 3) % 5))
                           : static_cast<double>((i + j) % 3);
      if (v > 0) px.push_back({i, j, v});
    }
  return px;
}
} // namespace

class TestHic : public QObject {
  Q_OBJECT
  fs::path m_tmp;
  BinTable m_bins;

private Q_SLOTS:
  void initTestCase() {
    m_tmp = fs::temp_directory_path() / ("gc_test_hic_" + std::to_string(::getpid()));
    fs::create_directories(m_tmp);
    m_bins = BinTable::fixed({{"chrA", 1000}, {"chrB", 650}}, 100);
  }
  void cleanupTestCase() { fs::remove_all(m_tmp); }

  void writerRoundTrip() {
    auto px = synthetic(m_bins);
    auto shuffled = px;
    std::reverse(shuffled.begin(), shuffled.end());
    for (auto& p : shuffled)
      std::swap(p.bin1, p.bin2); // lower triangle + unsorted input
    CoolerWriteOptions opt;
    opt.assembly = "toy";
    opt.bin_columns["weight"] = std::vector<double>(static_cast<std::size_t>(m_bins.size()), 0.5);
    const auto file = m_tmp / "rt.cool";
    write_cooler(file, m_bins, shuffled, opt);
    QCOMPARE(sniff_cooler(file), CoolerKind::single);
    const CoolerMap map(file.string());
    QCOMPARE(map.info().format_version, 3);
    QCOMPARE(map.info().bin_size, std::int64_t{100});
    QCOMPARE(map.info().assembly, std::string("toy"));
    QCOMPARE(map.bins().size(), std::int64_t{17});
    QCOMPARE(map.bins().end[16], std::int64_t{650});
    QCOMPARE(map.all_pixels(), px);
    QCOMPARE(map.weights("weight").factor(3), 0.5);
    // Row access reads exactly the requested rectangle.
    const auto rect = map.fetch_stored(2, 4, 5, 12);
    for (const auto& p : rect)
      QVERIFY(p.bin1 >= 2 && p.bin1 < 4 && p.bin2 >= 5 && p.bin2 < 12);
    QCOMPARE(rect.size(), std::size_t{13}); // row 2: 5 cis + bin 11; row 3: 5 cis + bins 10, 11
  }

  void zoomifySums() {
    const auto px = synthetic(m_bins);
    const auto file = m_tmp / "z.mcool";
    write_mcool(file, m_bins, px, {2, 4}, {}, true);
    QCOMPARE(list_resolutions(file), (std::vector<std::int64_t>{100, 200, 400}));
    const CoolerMap fine(file.string() + "::/resolutions/100");
    const CoolerMap coarse(file.string() + "::/resolutions/200");
    QCOMPARE(coarse.bins().size(), std::int64_t{9}); // 5 + 4 (650 bp -> 4 bins)
    double total_fine = 0, total_coarse = 0;
    for (const auto& p : fine.all_pixels())
      total_fine += p.count;
    for (const auto& p : coarse.all_pixels())
      total_coarse += p.count;
    QCOMPARE(total_coarse, total_fine);
    // coarse (0,0) = fine (0,0) + (0,1) + (1,1)  (upper triangle)
    const auto f = fetch_dense(fine, {0, 0, 2}, {0, 0, 2});
    const auto c = fetch_dense(coarse, {0, 0, 1}, {0, 0, 1});
    QCOMPARE(c(0, 0), f(0, 0) + f(0, 1) + f(1, 1));
    QCOMPARE(coarse.weight_names(), std::vector<std::string>{"weight"});
  }

  void iceRowsSumToConstant() {
    const auto px = synthetic(m_bins);
    IceOptions opt;
    opt.min_nnz = 0;
    opt.mad_max = 0;
    opt.ignore_diags = 0;
    const auto res = ice(m_bins, px, opt);
    QVERIFY(res.converged);
    std::vector<double> rows(static_cast<std::size_t>(m_bins.size()), 0.0);
    for (const auto& p : px) {
      const double v = p.count * res.weights[p.bin1] * res.weights[p.bin2];
      rows[p.bin1] += v;
      if (p.bin1 != p.bin2) rows[p.bin2] += v;
    }
    for (const double r : rows)
      QVERIFY(std::abs(r - 1.0) < 1e-2);
    // cis-only: each chromosome balanced on its own pixels.
    opt.cis_only = true;
    const auto cis = ice(m_bins, px, opt);
    QCOMPARE(cis.scale.size(), std::size_t{2});
  }

  void krDoublyStochasticAndVc() {
    const auto px = synthetic(m_bins);
    const auto w = kr(m_bins, px);
    std::vector<double> rows(static_cast<std::size_t>(m_bins.size()), 0.0);
    for (const auto& p : px) {
      const double v = p.count * w[p.bin1] * w[p.bin2];
      rows[p.bin1] += v;
      if (p.bin1 != p.bin2) rows[p.bin2] += v;
    }
    for (const double r : rows)
      QVERIFY(std::abs(r - 1.0) < 1e-5);
    const auto v = vc(m_bins, px, false);
    double raw = 0, bal = 0;
    for (const auto& p : px) {
      const double m = p.bin1 == p.bin2 ? 1 : 2;
      raw += m * p.count;
      bal += m * p.count * v[p.bin1] * v[p.bin2];
    }
    QVERIFY(std::abs(bal / raw - 1) < 1e-12);
  }

  void queriesDenseSparseTransAndOe() {
    const auto px = synthetic(m_bins);
    const auto file = m_tmp / "q.cool";
    write_cooler(file, m_bins, px);
    const CoolerMap map(file.string());
    const auto a = resolve_region(map.bins(), "chrA:150-450");
    QCOMPARE(a.lo, std::int64_t{1});
    QCOMPARE(a.hi, std::int64_t{5});
    const auto b = resolve_region(map.bins(), "chrB");
    const auto cis = fetch_dense(map, a, a);
    QCOMPARE(cis, cis.transpose().eval());
    QCOMPARE(cis(0, 2), std::floor(100.0 / 3 + ((1 * 7 + 3 * 3) % 5)));
    const auto trans = fetch_dense(map, b, a);
    QCOMPARE(trans(0, 1), static_cast<double>((2 + 10) % 3 == 0 ? 0 : (2 + 10) % 3));
    const auto coo = fetch_coo(map, a, b);
    QCOMPARE(static_cast<Eigen::Index>(coo.size()), (fetch_dense(map, a, b).array() != 0).count());
    // Balanced: a masked bin gives a NaN row and column.
    std::vector<double> w(static_cast<std::size_t>(m_bins.size()), 2.0);
    w[2] = std::nan("");
    QueryOptions q;
    q.weights = Weights::multiplicative(w);
    const auto bal = fetch_dense(map, a, a, q);
    QVERIFY(std::isnan(bal(1, 0)) && std::isnan(bal(0, 1)));
    QCOMPARE(bal(0, 0), 4 * cis(0, 0));
    // O/E: expected on diagonal d is the mean over valid pairs of that diagonal.
    const auto e = compute_expected(map, {}, 0);
    double sum = 0;
    for (int i = 0; i + 1 < 10; ++i)
      sum += fetch_dense(map, {0, i, i + 1}, {0, i + 1, i + 2})(0, 0);
    QCOMPARE(e.cis[0][1], sum / 9);
    q = {};
    q.expected = &e;
    const auto oe = fetch_dense(map, a, a, q);
    QCOMPARE(oe(0, 1), cis(0, 1) / e.cis[0][1]);
  }

  void insulationFindsPlantedBoundaries() {
    const int n = 60;
    Eigen::MatrixXd m(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        m(i, j) = (i / 20 == j / 20 ? 10.0 : 1.0) / (1 + std::abs(i - j));
    const auto score = insulation_score(m, 5);
    const auto bounds = find_boundaries(score, 0.1);
    QCOMPARE(bounds.size(), std::size_t{2});
    QCOMPARE(bounds[0].bin, std::int64_t{19});
    QCOMPARE(bounds[1].bin, std::int64_t{39});
  }

  void structure3dRecoversALine() {
    // Contacts from points on a line: c = d^-2, alpha = 0.5 gives back d exactly.
    const int n = 12;
    Eigen::MatrixXd c(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        c(i, j) = i == j ? 0 : std::pow(std::abs(i - j), -2.0);
    const auto x = structure_3d(c, 0.5);
    for (int i = 0; i + 1 < n; ++i)
      QVERIFY(std::abs((x.row(i + 1) - x.row(i)).norm() - 1.0) < 1e-6);
  }

  // A confined random-walk polymer of 2,000 beads seen only through contacts c = d^-4 between
  // beads closer than 3 units (a sparse graph): landmark MDS with shortest paths recovers the
  // pairwise bead distances.
  void structure3dPolymer() {
    gc::Rng rng(7);
    const int n = 2000;
    const double radius = 8;
    Eigen::MatrixX3d truth(n, 3);
    Eigen::RowVector3d p(0, 0, 0);
    for (int i = 0; i < n; ++i) {
      truth.row(i) = p;
      for (;;) {
        const Eigen::RowVector3d step(rng.normal(), rng.normal(), rng.normal());
        const Eigen::RowVector3d q = p + step.normalized();
        if (q.norm() < radius) {
          p = q;
          break;
        }
      }
    }
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(n, n);
    std::int64_t edges = 0;
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) {
        const double d = (truth.row(i) - truth.row(j)).norm();
        if (d < 3 && d > 0) {
          c(i, j) = c(j, i) = std::pow(d, -4.0);
          ++edges;
        }
      }
    QVERIFY(edges < static_cast<std::int64_t>(n) * n / 8); // sparse
    const auto x = structure_3d(c, 0.25);
    QVERIFY(x.allFinite());
    double sum_t = 0, sum_x = 0, sum_tt = 0, sum_xx = 0, sum_tx = 0;
    std::vector<double> rel;
    const int pairs = 5000;
    int used = 0;
    for (int k = 0; k < pairs; ++k) {
      const auto i = static_cast<Eigen::Index>(rng.below(n));
      const auto j = static_cast<Eigen::Index>(rng.below(n));
      if (i == j) continue;
      const double t = (truth.row(i) - truth.row(j)).norm();
      const double e = (x.row(i) - x.row(j)).norm();
      if (t > 3) rel.push_back(std::abs(e - t) / t);
      ++used;
      sum_t += t;
      sum_x += e;
      sum_tt += t * t;
      sum_xx += e * e;
      sum_tx += t * e;
    }
    const double cnt = used;
    const double r = (sum_tx - sum_t * sum_x / cnt) /
                     std::sqrt((sum_tt - sum_t * sum_t / cnt) * (sum_xx - sum_x * sum_x / cnt));
    std::nth_element(rel.begin(), rel.begin() + static_cast<std::ptrdiff_t>(rel.size() / 2), rel.end());
    const double median_rel = rel[rel.size() / 2];
    qInfo("polymer: %lld contacts, distance correlation %.4f, median relative error %.4f",
          static_cast<long long>(edges), r, median_rel);
    QVERIFY(r > 0.95);
    QVERIFY(median_rel < 0.15);
  }

  void balancingProgress() {
    // A longer chromosome than m_bins so that ICE needs a good number of iterations.
    const auto bins = BinTable::fixed({{"chrA", 20'000}, {"chrB", 12'000}}, 100);
    const auto px = synthetic(bins);
    IceOptions opt;
    opt.min_nnz = 0;
    opt.mad_max = 0;
    const auto plain = ice(bins, px, opt);
    const auto rec = gc::test::ProgressRecorder::make();
    const auto res = ice(bins, px, opt, true, rec->progress());
    QVERIFY(res.converged);
    QVERIFY(res.iterations >= 5);
    QCOMPARE(res.weights, plain.weights); // reporting does not change the result
    QVERIFY2(rec->complete(static_cast<std::size_t>(res.iterations)).empty(),
             rec->complete(static_cast<std::size_t>(res.iterations)).c_str());
    const auto messages = rec->messages();
    QVERIFY(std::find(messages.begin(), messages.end(),
                      "ICE converged after " + std::to_string(res.iterations) + " iterations") !=
            messages.end());
    QVERIFY(std::any_of(messages.begin(), messages.end(), [](const std::string& m) {
      return m.starts_with("ICE iteration 2 of at most 200");
    }));
    // Cancelled at the first report under way: stops at the next iteration.
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)ice(bins, px, opt, true, stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
    // cis-only: chromosome by chromosome, in order.
    opt.cis_only = true;
    const auto cis = gc::test::ProgressRecorder::make();
    (void)ice(bins, px, opt, true, cis->progress());
    QVERIFY2(cis->complete(4).empty(), cis->complete(4).c_str());
    const auto cis_messages = cis->messages();
    QVERIFY(std::any_of(cis_messages.begin(), cis_messages.end(),
                        [](const std::string& m) { return m.starts_with("chrB: ICE iteration"); }));

    const auto kr_rec = gc::test::ProgressRecorder::make();
    QCOMPARE(kr(bins, px, {}, kr_rec->progress()), kr(bins, px));
    QVERIFY2(kr_rec->complete(2).empty(), kr_rec->complete(2).c_str());
    const auto kr_stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)kr(bins, px, {}, kr_stop->progress()));
    QVERIFY2(kr_stop->stopped_midway().empty(), kr_stop->stopped_midway().c_str());

    const auto vc_rec = gc::test::ProgressRecorder::make();
    QCOMPARE(vc(bins, px, true, vc_rec->progress()), vc(bins, px, true));
    QVERIFY2(vc_rec->complete(1).empty(), vc_rec->complete(1).c_str());
    const auto vc_stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)vc(bins, px, false, vc_stop->progress()));
    QVERIFY2(vc_stop->stopped_midway().empty(), vc_stop->stopped_midway().c_str());

    // Through a map: reading the pixels is a stage of its own.
    const auto file = m_tmp / "progress.cool";
    write_cooler(file, m_bins, synthetic(m_bins));
    const CoolerMap map(file.string());
    for (const auto method : {BalanceMethod::ice, BalanceMethod::kr, BalanceMethod::vc}) {
      const auto r = gc::test::ProgressRecorder::make();
      QCOMPARE(compute_weights(map, method, r->progress()).factors(), compute_weights(map, method).factors());
      QVERIFY2(r->complete(2).empty(), (to_string(method) + ": " + r->complete(2)).c_str());
      QCOMPARE(r->messages().front(), std::string("reading pixels"));
    }
  }

  void structure3dProgress() {
    const int n = 150;
    Eigen::MatrixXd c(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        c(i, j) = i == j ? 0 : std::pow(std::abs(i - j), -2.0);
    const auto rec = gc::test::ProgressRecorder::make();
    const auto x = structure_3d(c, 0.5, 50, rec->progress());
    QVERIFY(x.isApprox(structure_3d(c, 0.5, 50)));
    // Two distance-graph checks, one report per landmark, MDS and placement.
    QVERIFY2(rec->complete(50).empty(), rec->complete(50).c_str());
    const auto messages = rec->messages();
    QVERIFY(std::find(messages.begin(), messages.end(),
                      "3D structure: shortest paths from landmark 50 of 50") != messages.end());
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)structure_3d(c, 0.5, 50, stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
    // Stopped while building the distance graph, before any shortest path.
    for (const auto& m : stop->messages())
      QVERIFY(m.find("shortest paths") == std::string::npos);
  }

  void contactGraphLocalAndTop() {
    const auto file = m_tmp / "g.cool";
    write_cooler(file, m_bins, synthetic(m_bins));
    const CoolerMap map(file.string());
    const auto g = build_contact_graph(map, {}, 0, 100);
    // only neighbours within 100 bp: 9 + 6 cis neighbour pairs, both directions
    QCOMPARE(g.edges(), std::size_t{30});
    QCOMPARE(g.row_ptr.back(), std::int64_t{30});
    const auto g2 = build_contact_graph(map, {}, 100, 0);
    QCOMPARE(g2.edges(), std::size_t{2 * (45 + 21)});
    // Reported per chromosome.
    const auto rec = gc::test::ProgressRecorder::make();
    QCOMPARE(build_contact_graph(map, {}, 100, 0, rec->progress()).col, g2.col);
    QVERIFY2(rec->complete(3).empty(), rec->complete(3).c_str());
    const auto stop = gc::test::ProgressRecorder::make(true);
    QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)build_contact_graph(map, {}, 100, 0, stop->progress()));
    QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
  }

  // `cooler dump --balanced [--join]`: the raw count, then count * w1 * w2 in "%g" form, empty
  // for pixels touching a masked bin (which are still printed).
  void dumpBalancedColumnLikeCooler() {
    const auto file = m_tmp / "d.cool";
    std::vector<double> w(static_cast<std::size_t>(m_bins.size()), 0.5);
    w[1] = std::numeric_limits<double>::quiet_NaN();
    w[2] = 1.0 / 3.0;
    CoolerWriteOptions wopt;
    wopt.bin_columns["weight"] = w;
    const std::vector<Pixel> px{{0, 0, 4}, {0, 1, 7}, {0, 2, 10}, {2, 2, 1}, {2, 12, 3}};
    write_cooler(file, m_bins, px, wopt);
    const CoolerMap map(file.string());
    DumpOptions opt;
    opt.weights = map.weights("weight");
    std::ostringstream bg2;
    QCOMPARE(dump(bg2, map, opt), std::int64_t{5});
    QCOMPARE(bg2.str(), std::string("chrA\t0\t100\tchrA\t0\t100\t4\t1\n"
                                    "chrA\t0\t100\tchrA\t100\t200\t7\t\n"
                                    "chrA\t0\t100\tchrA\t200\t300\t10\t1.66667\n"
                                    "chrA\t200\t300\tchrA\t200\t300\t1\t0.111111\n"
                                    "chrA\t200\t300\tchrB\t200\t300\t3\t0.5\n"));
    opt.format = DumpFormat::coo;
    opt.region = gc::genome::parse_region("chrA:1-300");
    opt.balanced_digits = 17;
    std::ostringstream coo;
    QCOMPARE(dump(coo, map, opt), std::int64_t{4});
    QCOMPARE(coo.str(), std::string("0\t0\t4\t1\n0\t1\t7\t\n0\t2\t10\t1.6666666666666665\n"
                                    "2\t2\t1\t0.1111111111111111\n"));
    std::ostringstream raw;
    opt.weights = {};
    QCOMPARE(dump(raw, map, opt), std::int64_t{4});
    QCOMPARE(raw.str(), std::string("0\t0\t4\n0\t1\t7\n0\t2\t10\n2\t2\t1\n"));
  }

  void badInputs() {
    const auto file = m_tmp / "b.cool";
    write_cooler(file, m_bins, synthetic(m_bins));
    const CoolerMap map(file.string());
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)resolve_region(map.bins(), "chrA:900-1200"));
    // The default resolver goes through the alias table ("A" is chrA); the exact one suggests it.
    QCOMPARE(resolve_region(map.bins(), "A").chrom, 0);
    try {
      (void)resolve_region(map.bins(), "A", exact_name_resolver);
      QFAIL("unknown chromosome accepted");
    } catch (const gc::InputError& e) {
      QVERIFY(std::string(e.what()).find("did you mean 'chrA'") != std::string::npos);
    }
    try {
      (void)resolve_region(map.bins(), "chrC");
      QFAIL("unknown chromosome accepted");
    } catch (const gc::InputError& e) {
      QVERIFY2(std::string(e.what()).find("unknown chromosome 'chrC'") != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("closest names there") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)map.weights("KR"));
    // An HDF5 file that is not a cooler (an AnnData-like layout).
    const auto h5 = m_tmp / "not_cooler.h5";
    {
      const auto f = gc::hdf5::File::open(h5, gc::hdf5::File::Mode::create);
      f.create_group("obs");
      f.write_dataset("X", std::vector<double>{1, 2});
    }
    QCOMPARE(sniff_cooler(h5), CoolerKind::not_cooler);
    QVERIFY_THROWS_EXCEPTION(gc::InputError, CoolerMap(h5.string()));
    QVERIFY_THROWS_EXCEPTION(gc::InputError, open_contact_map((m_tmp / "missing.cool").string()));
    const auto bad_dir = fs::path(GC_SOURCE_DIR) / "tests/data/bad";
    for (const char* name : {"hic_truncated_header.hic", "hic_bad_version.hic"})
      QVERIFY_THROWS_EXCEPTION(gc::InputError, HicFile(bad_dir / name));
    // A name resolver hook maps aliases.
    const NameResolver alias = [](const std::string& n, const std::vector<std::string>& known) {
      return n == "A" ? std::string("chrA") : exact_name_resolver(n, known);
    };
    QCOMPARE(resolve_region(map.bins(), "A:1-200", alias).hi, std::int64_t{2});
  }

  // gc::hic takes the one gc::genome::Region. "chr1:10000-20000" is one 10 kb bin in cooler's
  // reading (what `hic dump --region` uses) and reaches into the bin before it in the UCSC
  // reading (the default, and resolve_region's for text).
  void regionReadingsSelectBins() {
    using gc::genome::parse_region;
    using gc::genome::RegionText;
    const auto bins = BinTable::fixed({{"chr1", 100'000}}, 10'000);
    const auto cooler = resolve_region(bins, parse_region("chr1:10000-20000", RegionText::cooler));
    QCOMPARE(std::make_pair(cooler.lo, cooler.hi), std::make_pair(std::int64_t{1}, std::int64_t{2}));
    const auto ucsc = resolve_region(bins, parse_region("chr1:10000-20000"));
    QCOMPARE(std::make_pair(ucsc.lo, ucsc.hi), std::make_pair(std::int64_t{0}, std::int64_t{2}));
    const auto text = resolve_region(bins, "chr1:10000-20000");
    QCOMPARE(std::make_pair(text.lo, text.hi), std::make_pair(std::int64_t{0}, std::int64_t{2}));
    const auto one_bin = resolve_region(bins, "chr1:10001-20000");
    QCOMPARE(std::make_pair(one_bin.lo, one_bin.hi), std::make_pair(std::int64_t{1}, std::int64_t{2}));
    const auto to_end = resolve_region(bins, parse_region("chr1:95000-", RegionText::cooler));
    QCOMPARE(std::make_pair(to_end.lo, to_end.hi), std::make_pair(std::int64_t{9}, std::int64_t{10}));
    QVERIFY_THROWS_EXCEPTION(
        gc::InputError, (void)resolve_region(bins, parse_region("chr1:100000-100010", RegionText::cooler)));

    // Through dump: the cooler reading leaves out bin 0, the UCSC one keeps it.
    const auto file = m_tmp / "readings.cool";
    const std::vector<Pixel> px{{0, 0, 1}, {0, 1, 2}, {1, 1, 3}, {1, 2, 4}, {2, 2, 5}};
    write_cooler(file, bins, px);
    const CoolerMap map(file.string());
    DumpOptions opt;
    opt.format = DumpFormat::coo;
    opt.region = parse_region("chr1:10000-20000", RegionText::cooler);
    std::ostringstream cooler_dump, ucsc_dump;
    QCOMPARE(dump(cooler_dump, map, opt), std::int64_t{1});
    QCOMPARE(cooler_dump.str(), std::string("1\t1\t3\n"));
    opt.region = parse_region("chr1:10000-20000");
    QCOMPARE(dump(ucsc_dump, map, opt), std::int64_t{3});
    QCOMPARE(ucsc_dump.str(), std::string("0\t0\t1\n0\t1\t2\n1\t1\t3\n"));
  }
};

GC_QTEST_GUILESS_MAIN(TestHic)
#include "test_hic.moc"
