// The demo world: structure of each component against its own ground truth, and byte-identical
// output for the same seed.
#include "gc/simulate/world.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

using namespace gc::simulate;
namespace fs = std::filesystem;

namespace {

std::string revcomp(const std::string& s) {
  std::string out(s.rbegin(), s.rend());
  for (char& c : out)
    c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
  return out;
}

const World& small_world() {
  static const World w = [] {
    auto spec = WorldSpec::preset_named("small");
    spec.seed = 11;
    return generate(spec);
  }();
  return w;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::map<std::string, std::string> all_files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out[e.path().filename().string()] = slurp(e.path());
  return out;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

} // namespace

class TestSimulate : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void presets();
  void genome();
  void motifsAtRecordedPositions();
  void grnStructure();
  void knockoutTruthSigns();
  void expression();
  void screen();
  void hicDecayAndLoops();
  void variantsLinkage();
  void deterministicFiles();
  void refusesForeignFolder();
};

void TestSimulate::presets() {
  QCOMPARE(WorldSpec::preset_named("small").genes, 40);
  const auto demo = WorldSpec::preset_named("demo");
  std::int64_t bp = 0;
  for (const auto l : demo.chromosome_lengths)
    bp += l;
  QVERIFY(bp >= 2'000'000 && bp <= 5'000'000);
  const auto large = WorldSpec::preset_named("large");
  bp = 0;
  for (const auto l : large.chromosome_lengths)
    bp += l;
  QCOMPARE(bp, std::int64_t{100'000'000});
  QCOMPARE(large.genes, 5000);
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)WorldSpec::preset_named("huge"));
}

void TestSimulate::genome() {
  const auto& w = small_world();
  const auto& g = w.genome;
  QCOMPARE(g.chrom_names, (std::vector<std::string>{"chr1", "chr2", "chr3"}));
  QCOMPARE(g.genes.size(), std::size_t{40});
  QCOMPARE(g.motifs.size(), std::size_t{6}); // 15 % of 40
  std::size_t gc = 0, total = 0;
  for (const auto& s : g.sequences) {
    QCOMPARE(s.size(), std::size_t{200'000});
    gc += static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return c == 'G' || c == 'C'; }));
    total += s.size();
  }
  const double frac = static_cast<double>(gc) / static_cast<double>(total);
  QVERIFY2(frac > 0.39 && frac < 0.44, qPrintable(QString::number(frac)));
  std::set<char> strands;
  for (const auto& gene : g.genes) {
    QVERIFY(!gene.exons.empty() && gene.exons.size() <= 6);
    QCOMPARE(gene.exons.front().first, gene.start);
    QCOMPARE(gene.exons.back().second, gene.end);
    QVERIFY(gene.promoter_end - gene.promoter_start == 1000);
    QVERIFY(gene.strand == '+' ? gene.promoter_end == gene.start : gene.promoter_start == gene.end);
    strands.insert(gene.strand);
  }
  QCOMPARE(strands.size(), std::size_t{2});
  for (const auto& e : g.enhancers) {
    const auto d = std::abs((e.start + e.end) / 2 - g.genes[e.gene].tss());
    QVERIFY(d <= 50'500);
  }
  for (const auto& m : g.motifs) {
    QVERIFY(m.consensus.size() >= 8 && m.consensus.size() <= 12);
    QCOMPARE(m.pwm.size(), m.consensus.size());
  }
}

void TestSimulate::motifsAtRecordedPositions() {
  const auto& g = small_world().genome;
  QVERIFY(!g.sites.empty());
  std::set<SiteKind> kinds;
  for (const auto& s : g.sites) {
    const auto& seq = g.sequences[static_cast<std::size_t>(s.chrom)];
    QCOMPARE(seq.substr(static_cast<std::size_t>(s.start), s.sequence.size()), s.sequence);
    const auto& consensus = g.motifs[s.motif].consensus;
    QCOMPARE(s.strand == '+' ? s.sequence : revcomp(s.sequence), consensus);
    if (s.kind == SiteKind::promoter) {
      const auto& t = g.genes[static_cast<std::size_t>(s.target)];
      QVERIFY(s.start >= t.promoter_start &&
              s.start + static_cast<std::int64_t>(s.sequence.size()) <= t.promoter_end);
    }
    kinds.insert(s.kind);
  }
  QCOMPARE(kinds.size(), std::size_t{3});
  // Every true edge has its regulator's motif in the target's promoter.
  const auto& grn = small_world().grn;
  for (const auto& e : grn.edges) {
    const bool found = std::any_of(g.sites.begin(), g.sites.end(), [&](const MotifSite& s) {
      return s.kind == SiteKind::promoter && g.motifs[s.motif].tf == e.regulator &&
             s.target == static_cast<std::ptrdiff_t>(e.target);
    });
    QVERIFY(found);
  }
}

void TestSimulate::grnStructure() {
  const auto& w = small_world();
  const auto& grn = w.grn;
  QCOMPARE(grn.tfs.size(), std::size_t{6});
  std::set<int> signs;
  std::vector<int> indegree(w.genome.genes.size(), 0);
  for (const auto& e : grn.edges) {
    QVERIFY(w.genome.genes[e.regulator].is_tf);
    QVERIFY(e.regulator == e.target || grn.layer[e.regulator] < grn.layer[e.target]);
    QVERIFY(e.strength >= 1.0 && e.strength <= 4.0);
    signs.insert(e.sign);
    if (e.regulator != e.target) ++indegree[e.target];
  }
  QCOMPARE(signs, (std::set<int>{-1, 1}));
  for (std::size_t i = 0; i < indegree.size(); ++i)
    QVERIFY(grn.layer[i] == 0 ? indegree[i] == 0 : (indegree[i] >= 1 && indegree[i] <= 4));
  QCOMPARE(grn.autoregulated.size(), std::size_t{1});
  const auto a = grn.autoregulated.front();
  QVERIFY(std::any_of(grn.edges.begin(), grn.edges.end(),
                      [&](const Edge& e) { return e.regulator == a && e.target == a; }));
  QVERIFY(!grn.feed_forward_loops.empty());
  auto has = [&](std::size_t r, std::size_t t) {
    return std::any_of(grn.edges.begin(), grn.edges.end(),
                       [&](const Edge& e) { return e.regulator == r && e.target == t; });
  };
  for (const auto& f : grn.feed_forward_loops)
    QVERIFY(has(f[0], f[1]) && has(f[1], f[2]) && has(f[0], f[2]));
  // Cell types differ in their master-regulator states.
  QVERIFY(w.expression.steady_state[0] != w.expression.steady_state[1]);
}

void TestSimulate::knockoutTruthSigns() {
  const auto& w = small_world();
  const auto& grn = w.grn;
  int checked = 0;
  for (const auto& p : w.expression.perturbations) {
    if (p.genes.size() != 1) continue;
    const auto ko = p.genes[0];
    QVERIFY(p.expected_log2fc[ko] < -3.0);
    for (const auto& e : grn.edges) {
      if (e.regulator != ko || e.target == ko) continue;
      // Only targets whose other regulators are unaffected: then the sign is the edge's.
      const bool isolated = std::all_of(grn.edges.begin(), grn.edges.end(), [&](const Edge& o) {
        return o.target != e.target || o.regulator == ko || o.regulator == e.target ||
               std::abs(p.expected_log2fc[o.regulator]) < 1e-12;
      });
      if (!isolated) continue;
      const double lfc = p.expected_log2fc[e.target];
      QVERIFY2(e.sign > 0 ? lfc < 0 : lfc > 0, qPrintable(QString::fromStdString(p.name)));
      ++checked;
    }
  }
  QVERIFY(checked >= 3);
  // A gene with no path from any knocked-out TF keeps exactly the same expression.
  const auto& p = w.expression.perturbations.front();
  const auto ko = p.genes[0];
  for (std::size_t i = 0; i < grn.layer.size(); ++i)
    if (grn.layer[i] == 0 && i != ko) QCOMPARE(p.expected_log2fc[i], 0.0);
}

void TestSimulate::expression() {
  const auto& w = small_world();
  const auto& m = w.expression.cells;
  QCOMPARE(m.n_cells(), std::int64_t{300});
  QCOMPARE(m.n_genes(), std::int64_t{40});
  const auto* ct = m.obs.find("cell_type");
  QVERIFY(ct != nullptr);
  QCOMPARE(ct->categories.size(), std::size_t{3});
  std::set<std::int32_t> used(ct->codes.begin(), ct->codes.end());
  QCOMPARE(used.size(), std::size_t{3});
  const auto* tf = m.var.find("is_tf");
  QVERIFY(tf != nullptr);
  QCOMPARE(std::count(tf->codes.begin(), tf->codes.end(), 1), 6L);
  const double drop = w.expression.dropout_fraction;
  QVERIFY2(drop > 0.1 && drop < 0.85, qPrintable(QString::number(drop)));
  const auto lib = m.library_sizes();
  const double mean_lib = std::accumulate(lib.begin(), lib.end(), 0.0) / static_cast<double>(lib.size());
  QVERIFY2(mean_lib > 50, qPrintable(QString::number(mean_lib)));
  // Cell types are separable: the mean of a master regulator differs between types as its
  // steady state does.
  const auto& ss = w.expression.steady_state;
  std::size_t best = 0;
  double gap = 0;
  for (std::size_t i = 0; i < ss[0].size(); ++i)
    if (std::abs(ss[0][i] - ss[1][i]) > gap) {
      gap = std::abs(ss[0][i] - ss[1][i]);
      best = i;
    }
  const auto col = m.x.column(static_cast<std::int64_t>(best));
  double mean[2] = {0, 0};
  double n[2] = {0, 0};
  for (std::size_t c = 0; c < col.size(); ++c)
    if (ct->codes[c] < 2) {
      mean[ct->codes[c]] += col[c];
      n[ct->codes[c]] += 1;
    }
  QVERIFY((mean[0] / n[0] > mean[1] / n[1]) == (ss[0][best] > ss[1][best]));
}

void TestSimulate::screen() {
  const auto& w = small_world();
  const auto& s = w.expression.screen;
  const auto& spec = w.spec;
  const auto np = w.expression.perturbations.size();
  QCOMPARE(np, std::size_t{4}); // 3 single + 1 double
  QCOMPARE(s.n_cells(),
           std::int64_t{spec.control_cells + spec.cells_per_perturbation * static_cast<int>(np)});
  const auto* pc = s.obs.find("perturbation");
  QVERIFY(pc != nullptr);
  QCOMPARE(pc->categories.front(), std::string("control"));
  QVERIFY(pc->categories.back().find('+') != std::string::npos);
  // Knocked-out genes produce nothing, so they are never counted in their perturbation's cells.
  for (std::size_t p = 0; p < np; ++p)
    for (const auto g : w.expression.perturbations[p].genes) {
      const auto col = s.x.column(static_cast<std::int64_t>(g));
      for (std::size_t c = 0; c < col.size(); ++c)
        if (pc->codes[c] == static_cast<std::int32_t>(p + 1)) QCOMPARE(col[c], 0.0f);
    }
}

void TestSimulate::hicDecayAndLoops() {
  const auto& h = small_world().hic;
  QCOMPARE(h.bins.bin_size, std::int64_t{2000});
  QCOMPARE(h.bins.size(), std::int64_t{300});
  std::vector<double> sum(101, 0.0);
  double cis = 0, trans = 0;
  for (const auto& p : h.pixels) {
    QVERIFY(p.bin1 <= p.bin2);
    if (h.bins.chrom[static_cast<std::size_t>(p.bin1)] != h.bins.chrom[static_cast<std::size_t>(p.bin2)]) {
      trans += p.count;
      continue;
    }
    cis += p.count;
    sum[static_cast<std::size_t>(p.bin2 - p.bin1)] += p.count;
  }
  QVERIFY(trans > 0.05 * cis && trans < 0.2 * cis);
  // Least-squares slope of log mean contact vs log distance over 1..40 bins.
  double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
  for (int d = 1; d <= 40; ++d) {
    const double pairs = 3.0 * (100 - d);
    const double x = std::log(d), y = std::log(sum[static_cast<std::size_t>(d)] / pairs);
    sx += x, sy += y, sxx += x * x, sxy += x * y, n += 1;
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  QVERIFY2(slope < -0.5 && slope > -1.6, qPrintable(QString::number(slope)));
  QVERIFY(!h.loops.empty());
  QVERIFY(!h.tad_boundaries.empty());
  std::map<std::pair<std::int64_t, std::int64_t>, double> counts;
  for (const auto& p : h.pixels)
    counts[{p.bin1, p.bin2}] = p.count;
  double observed = 0, expected = 0;
  for (const auto& l : h.loops) {
    observed += counts[{l.bin1, l.bin2}];
    expected += h.expected[static_cast<std::size_t>(l.bin2 - l.bin1)];
  }
  QVERIFY2(observed > 3 * expected, qPrintable(QString("%1 vs %2").arg(observed).arg(expected)));
  std::set<int> comps(h.compartment.begin(), h.compartment.end());
  QCOMPARE(comps.size(), std::size_t{2});
}

void TestSimulate::variantsLinkage() {
  const auto& v = small_world().variants;
  const auto& t = v.table;
  QCOMPARE(t.samples.size(), std::size_t{20});
  QVERIFY(t.sites.size() > 100);
  QCOMPARE(t.dosage.size(), t.sites.size() * t.samples.size());
  for (std::size_t i = 1; i < t.sites.size(); ++i)
    if (t.sites[i].chrom == t.sites[i - 1].chrom) QVERIFY(t.sites[i].pos > t.sites[i - 1].pos);
  const auto& g = small_world().genome;
  for (const auto& s : t.sites) {
    const auto c = static_cast<std::size_t>(std::stoi(s.chrom.substr(3)) - 1);
    QCOMPARE(s.ref[0], g.sequences[c][static_cast<std::size_t>(s.pos)]);
    QVERIFY(s.alts.front() != s.ref);
  }
  auto column = [&](std::size_t site) {
    std::vector<double> x;
    for (std::size_t s = 0; s < t.samples.size(); ++s)
      x.push_back(t.dosage_at(site, s));
    return x;
  };
  // Linkage: |r| between sites of one block exceeds |r| between sites of different blocks.
  double within = 0, across = 0;
  int nw = 0, na = 0;
  for (std::size_t b = 0; b + 1 < v.blocks.size(); ++b) {
    const auto& blk = v.blocks[b];
    const auto& nxt = v.blocks[b + 1];
    if (blk.site_count < 2 || nxt.site_count < 1 || blk.chrom != nxt.chrom) continue;
    within += std::abs(correlation(column(blk.first_site), column(blk.first_site + 1)));
    across += std::abs(correlation(column(blk.first_site), column(nxt.first_site)));
    ++nw, ++na;
  }
  QVERIFY(nw >= 5);
  QVERIFY2(within / nw > across / na + 0.1,
           qPrintable(QString("%1 vs %2").arg(within / nw).arg(across / na)));
}

void TestSimulate::deterministicFiles() {
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  const fs::path root = tmp.path().toStdString();
  auto spec = WorldSpec::preset_named("small");
  spec.seed = 5;
  const auto manifest = write_world(generate(spec), root / "a");
  (void)write_world(generate(spec), root / "b");
  spec.seed = 6;
  (void)write_world(generate(spec), root / "c");
  const auto a = all_files(root / "a");
  const auto b = all_files(root / "b");
  const auto c = all_files(root / "c");
  QVERIFY(a.size() >= 15);
  QCOMPARE(a.size(), b.size());
  for (const auto& [name, bytes] : a) {
    QVERIFY2(b.count(name), name.c_str());
    QVERIFY2(b.at(name) == bytes, ("differs between identical seeds: " + name).c_str());
  }
  for (const auto name : {"genome.fa.gz", "grn.csv", "expression.h5ad", "hic.mcool", "variants.vcf.gz"})
    QVERIFY2(c.at(name) != a.at(name), name);
  // Every file the manifest lists exists, and the manifest is what was written.
  const auto parsed = gc::Json::parse(gc::read_text_file(root / "a" / "manifest.json"));
  QCOMPARE(parsed.dump(), manifest.dump());
  QCOMPARE(parsed.at("seed").as_int(), std::int64_t{5});
  for (const auto& f : parsed.at("files").as_array())
    QVERIFY2(fs::is_regular_file(root / "a" / f.at("path").as_string()), f.at("path").as_string().c_str());
  QCOMPARE(parsed.at("files").size() + 1, a.size());
  const auto grn = gc::read_text_file(root / "a" / parsed.at("ground_truth").at("grn").as_string());
  QVERIFY(grn.rfind("Gene1,Gene2,Type\n", 0) == 0);
}

void TestSimulate::refusesForeignFolder() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  std::ofstream(dir / "notes.txt") << "someone's data\n";
  auto spec = WorldSpec::preset_named("small");
  const auto w = generate(spec);
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)write_world(w, dir));
  QVERIFY(!fs::exists(dir / "manifest.json"));
  // Our own world may be rewritten in place.
  const fs::path ours = dir / "world";
  (void)write_world(w, ours);
  (void)write_world(w, ours);
  QVERIFY(fs::exists(ours / "manifest.json"));
}

GC_QTEST_GUILESS_MAIN(TestSimulate)
#include "test_simulate.moc"
