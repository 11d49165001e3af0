// The demo world: structure of each component against its own ground truth, and byte-identical
// output for the same seed.
#include "gc/expr/h5ad.h"
#include "gc/perturb/intervention.h"
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
#include <sstream>

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

std::vector<std::vector<std::string>> read_tsv(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, '\t'))
      cols.push_back(c);
    rows.push_back(std::move(cols));
  }
  return rows;
}

// TFs with a target other than themselves, computed here from the edges.
std::set<std::size_t> regulating_tfs(const Grn& grn) {
  std::set<std::size_t> out;
  for (const auto& e : grn.edges)
    if (e.regulator != e.target) out.insert(e.regulator);
  return out;
}

bool autoregulated(const Grn& grn, std::size_t g) {
  return std::find(grn.autoregulated.begin(), grn.autoregulated.end(), g) != grn.autoregulated.end();
}

const Perturbation* find_perturbation(const World& w, const std::string& label) {
  for (const auto& p : w.expression.perturbations)
    if (p.name == label) return &p;
  return nullptr;
}

double hill(double x, double k, int sign) {
  return sign > 0 ? x * x / (k * k + x * x) : k * k / (k * k + x * x);
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
  void steadyStateLevels();
  void truthCoversPerturbations();
  void truthOwnResponses();
  void truthFiles();
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
    if (p.kind != PerturbationKind::single) continue;
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

// The solver on networks small enough to solve by hand.
void TestSimulate::steadyStateLevels() {
  // A -> B (activation, K 3, A's half-response 1), basal A 2, B 0.1.
  Grn two;
  two.tfs = {0};
  two.layer = {0, 1};
  two.edges = {{0, 1, +1, 3.0}};
  two.half_response = {1.0, 1.0};
  two.basal = {{2.0, 0.1}};
  two.order = {0, 1};
  auto x = steady_state(two, 0);
  QCOMPARE(x[0], 2.0);
  QVERIFY(std::abs(x[1] - (0.1 + 3.0 * 4.0 / 5.0)) < 1e-12);
  x = steady_state(two, 0, {0.5, 1.0}); // A knocked down by half: x_A = 1, hill = 1/2
  QVERIFY(std::abs(x[0] - 1.0) < 1e-12);
  QVERIFY(std::abs(x[1] - 1.6) < 1e-12);
  x = steady_state(two, 0, {0.0, 1.0});
  QCOMPARE(x[0], 0.0);
  QVERIFY(std::abs(x[1] - 0.1) < 1e-12);
  x = steady_state(two, 0, {1.0, 3.0}); // B overexpressed: 3 (0.1 + 3 * 4/5)
  QVERIFY(std::abs(x[1] - 7.5) < 1e-12);
  QVERIFY_THROWS_EXCEPTION(gc::Error, (void)steady_state(two, 0, {1.0}));

  // A steep negative self-loop, x = l (0.05 + 4 k^2 / (k^2 + x^2)) with k = 0.1: |f'| > 1 at
  // the fixed point, where plain iteration oscillates.
  Grn neg;
  neg.tfs = {0};
  neg.layer = {0};
  neg.edges = {{0, 0, -1, 4.0}};
  neg.half_response = {0.1};
  neg.basal = {{0.05}};
  neg.order = {0};
  for (const double l : {1.0, 3.0}) {
    const double v = steady_state(neg, 0, {l})[0];
    const double f = l * (0.05 + 4.0 * hill(v, 0.1, -1));
    QVERIFY2(std::abs(f - v) < 1e-9, qPrintable(QString("level %1: x %2, f(x) %3").arg(l).arg(v).arg(f)));
  }
  // A positive self-loop settles on its lowest fixed point: f(x) > x everywhere below it.
  Grn pos = neg;
  pos.edges = {{0, 0, +1, 2.0}};
  pos.half_response = {1.0};
  pos.basal = {{0.1}};
  const double v = steady_state(pos, 0, {3.0})[0];
  auto f = [](double y) { return 3.0 * (0.1 + 2.0 * hill(y, 1.0, +1)); };
  QVERIFY(std::abs(f(v) - v) < 1e-9);
  for (double t = 0; t < v - 1e-6; t += v / 100)
    QVERIFY(f(t) > t);
}

void TestSimulate::truthCoversPerturbations() {
  const auto& w = small_world();
  const auto& ps = w.expression.perturbations;
  const auto& genes = w.genome.genes;
  std::map<PerturbationKind, int> kinds;
  std::set<std::string> labels;
  for (const auto& p : ps) {
    ++kinds[p.kind];
    QVERIFY2(labels.insert(p.name).second, p.name.c_str());
    // Labels are gc::perturb's and read back to the same intervention.
    QCOMPARE(p.name, p.intervention.label());
    QVERIFY(gc::perturb::parse_label(p.name) == p.intervention);
    QCOMPARE(p.genes.size(), p.intervention.genes.size());
    for (std::size_t k = 0; k < p.genes.size(); ++k)
      QCOMPARE(genes[p.genes[k]].name, p.intervention.genes[k].gene);
    QCOMPARE(p.expected_log2fc.size(), genes.size());
    QCOMPARE(p.expected_log2fc_by_type.size(), w.expression.cell_types.size());
  }
  // Every TF knockout that reaches another gene is in the truth.
  const auto tfs = regulating_tfs(w.grn);
  QVERIFY(tfs.size() >= 4);
  for (const auto tf : tfs) {
    const auto* p = find_perturbation(w, genes[tf].name);
    QVERIFY2(p != nullptr && p->kind == PerturbationKind::single, genes[tf].name.c_str());
  }
  QCOMPARE(kinds[PerturbationKind::single], static_cast<int>(tfs.size()));
  QCOMPARE(kinds[PerturbationKind::double_knockout], w.spec.truth_double);
  QCOMPARE(kinds[PerturbationKind::knockdown], w.spec.truth_knockdown);
  QCOMPARE(kinds[PerturbationKind::overexpression], w.spec.truth_overexpression);
  QCOMPARE(kinds[PerturbationKind::non_tf], w.spec.truth_non_tf);

  std::set<std::string> screened_singles;
  int screened = 0;
  for (const auto& p : ps) {
    if (!p.screened) continue;
    ++screened;
    QVERIFY(p.kind == PerturbationKind::single || p.kind == PerturbationKind::double_knockout);
    if (p.kind == PerturbationKind::single) screened_singles.insert(p.name);
  }
  QCOMPARE(static_cast<int>(screened_singles.size()), w.spec.knockout_single);
  QCOMPARE(screened, w.spec.knockout_single + w.spec.knockout_double);
  // Unscreened doubles of all three kinds: 0, 1 and 2 members screened singly.
  std::set<int> members;
  for (const auto& p : ps) {
    if (p.kind != PerturbationKind::double_knockout) continue;
    QCOMPARE(p.genes.size(), std::size_t{2});
    int seen = 0;
    for (const auto& gi : p.intervention.genes) {
      QVERIFY2(find_perturbation(w, gi.gene) != nullptr, p.name.c_str()); // its singles are known
      seen += screened_singles.count(gi.gene) ? 1 : 0;
    }
    QCOMPARE(p.members_screened, seen);
    if (p.screened)
      QCOMPARE(seen, 2);
    else
      members.insert(seen);
  }
  QCOMPARE(members, (std::set<int>{0, 1, 2}));
  // Knockdowns and overexpressions carry the spec's strength; non-TF knockouts name non-TFs.
  for (const auto& p : ps) {
    const auto& gi = p.intervention.genes.front();
    if (p.kind == PerturbationKind::knockdown) {
      QVERIFY(gi.mode == gc::perturb::Mode::knockdown && gi.level() == 1.0 - w.spec.knockdown_fraction);
      QCOMPARE(p.name, genes[p.genes[0]].name + ":kd0.5");
    }
    if (p.kind == PerturbationKind::overexpression) {
      QVERIFY(gi.mode == gc::perturb::Mode::overexpression && gi.level() == w.spec.overexpression_factor);
      QCOMPARE(p.name, genes[p.genes[0]].name + ":oe3");
    }
    if (p.kind == PerturbationKind::non_tf) QVERIFY(!genes[p.genes[0]].is_tf);
  }
}

void TestSimulate::truthOwnResponses() {
  const auto& w = small_world();
  const auto& grn = w.grn;
  const auto& ss = w.expression.steady_state;
  const std::size_t types = ss.size();
  constexpr double pseudo = 0.01;
  auto mean = [&](std::size_t g) {
    double m = 0;
    for (const auto& t : ss)
      m += t[g] / static_cast<double>(types);
    return m;
  };
  int kd = 0, oe = 0, plain_oe = 0;
  for (const auto& p : w.expression.perturbations) {
    const auto g = p.genes.front();
    const double own = p.expected_log2fc[g];
    switch (p.kind) {
    case PerturbationKind::single:
    case PerturbationKind::non_tf:
      QVERIFY2(own < -2.0, qPrintable(QString::fromStdString(p.name) + " " + QString::number(own)));
      QVERIFY(std::abs(own - std::log2(pseudo / (mean(g) + pseudo))) < 1e-12);
      break;
    case PerturbationKind::knockdown: {
      const auto* ko = find_perturbation(w, w.genome.genes[g].name);
      QVERIFY(ko != nullptr);
      QVERIFY2(own < 0 && own > ko->expected_log2fc[g], qPrintable(QString::fromStdString(p.name)));
      if (!autoregulated(grn, g)) // production halved, nothing feeds back: exactly half
        QVERIFY(std::abs(own - std::log2((0.5 * mean(g) + pseudo) / (mean(g) + pseudo))) < 1e-9);
      ++kd;
      break;
    }
    case PerturbationKind::overexpression:
      QVERIFY(own > 0);
      if (autoregulated(grn, g)) {
        QVERIFY(own > std::log2(3.0) - 0.05); // positive feedback amplifies it
      } else {
        QVERIFY(std::abs(own - std::log2((3.0 * mean(g) + pseudo) / (mean(g) + pseudo))) < 1e-9);
        QVERIFY2(std::abs(own - std::log2(3.0)) < 0.05, qPrintable(QString::number(own)));
        ++plain_oe;
      }
      ++oe;
      break;
    case PerturbationKind::double_knockout:
      for (const auto m : p.genes)
        QVERIFY(p.expected_log2fc[m] < -2.0);
      break;
    }
    // Non-TF genes regulate nothing: only the gene itself responds.
    if (p.kind == PerturbationKind::non_tf)
      for (std::size_t i = 0; i < p.expected_log2fc.size(); ++i)
        if (i != g) QCOMPARE(p.expected_log2fc[i], 0.0);
  }
  QCOMPARE(kd, w.spec.truth_knockdown);
  QCOMPARE(oe, w.spec.truth_overexpression);
  QVERIFY(plain_oe >= 1);

  // By hand, per cell type: a gene whose only regulator A is knocked out keeps its basal
  // production, plus K for a repressor (whose hill term becomes 1).
  int hand = 0;
  for (const auto& p : w.expression.perturbations) {
    if (p.kind != PerturbationKind::single) continue;
    const auto a = p.genes[0];
    for (const auto& e : grn.edges) {
      if (e.regulator != a || e.target == a) continue;
      const auto inputs = std::count_if(grn.edges.begin(), grn.edges.end(),
                                        [&](const Edge& o) { return o.target == e.target; });
      if (inputs != 1) continue;
      for (std::size_t c = 0; c < types; ++c) {
        const double x = grn.basal[c][e.target] + (e.sign < 0 ? e.strength : 0.0);
        const double expected = std::log2((x + pseudo) / (ss[c][e.target] + pseudo));
        QVERIFY(std::abs(p.expected_log2fc_by_type[c][e.target] - expected) < 1e-9);
      }
      ++hand;
    }
  }
  QVERIFY(hand >= 1);
}

// The written files: the truth table's rows and columns, signs from grn_weights.tsv, the
// manifest's screened and evaluation lists against screen.h5ad, and the cell-type rows against
// the mixture rebuilt from steady_state.tsv.
void TestSimulate::truthFiles() {
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  const fs::path dir = fs::path(tmp.path().toStdString()) / "world";
  const auto manifest = write_world(small_world(), dir);
  const auto& truth = manifest.at("ground_truth");

  // steady_state.tsv: gene, one column per cell type.
  const auto ss_rows = read_tsv(dir / truth.at("steady_state").as_string());
  std::vector<std::string> types(ss_rows.front().begin() + 1, ss_rows.front().end());
  QCOMPARE(types.size(), std::size_t{3});
  std::map<std::string, std::vector<double>> control;
  for (std::size_t r = 1; r < ss_rows.size(); ++r)
    for (std::size_t c = 1; c < ss_rows[r].size(); ++c)
      control[ss_rows[r][0]].push_back(std::stod(ss_rows[r][c]));

  // perturbation_truth.tsv: lfc[perturbation][cell type][gene].
  const auto rows = read_tsv(dir / truth.at("perturbation_truth").as_string());
  QCOMPARE(rows.front(), (std::vector<std::string>{"perturbation", "cell_type", "gene", "expected_log2fc"}));
  std::map<std::string, std::map<std::string, std::map<std::string, double>>> lfc;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    QCOMPARE(rows[r].size(), std::size_t{4});
    lfc[rows[r][0]][rows[r][1]][rows[r][2]] = std::stod(rows[r][3]);
  }
  const auto genes = control.size();
  QCOMPARE(rows.size() - 1, lfc.size() * (types.size() + 1) * genes);

  // Manifest lists: screened and evaluation partition the truth, with kinds.
  std::set<std::string> screened, evaluation, all_labels;
  for (const auto& l : truth.at("perturbations").as_array())
    all_labels.insert(l.as_string());
  std::map<std::string, int> kinds;
  for (const char* key : {"screened_perturbations", "evaluation_perturbations"})
    for (const auto& e : truth.at(key).as_array()) {
      const auto label = e.at("label").as_string();
      const bool is_screened = e.at("screened").as_bool();
      QCOMPARE(is_screened, std::string(key) == "screened_perturbations");
      (is_screened ? screened : evaluation).insert(label);
      ++kinds[e.at("kind").as_string()];
      QCOMPARE(e.at("genes").size(), gc::perturb::parse_label(label).size());
      QCOMPARE(e.contains("members_screened"), e.at("kind").as_string() == "double");
    }
  for (const auto& l : screened)
    QVERIFY2(!evaluation.count(l), l.c_str());
  QCOMPARE(screened.size() + evaluation.size(), all_labels.size());
  std::set<std::string> in_file;
  for (const auto& [label, rest] : lfc)
    in_file.insert(label);
  QCOMPARE(in_file, all_labels);
  QCOMPARE(kinds.size(), std::size_t{5});
  QVERIFY(kinds.at("knockdown") > 0 && kinds.at("overexpression") > 0 && kinds.at("non_tf") > 0);

  // The screen's perturbation labels are exactly the screened ones.
  const auto screen = gc::expr::read_h5ad(dir / "screen.h5ad");
  const auto* pc = screen.obs.find("perturbation");
  QVERIFY(pc != nullptr);
  std::set<std::string> observed;
  for (const auto c : pc->codes)
    observed.insert(pc->categories[static_cast<std::size_t>(c)]);
  QVERIFY(observed.erase(truth.at("control_label").as_string()) == 1);
  QCOMPARE(observed, screened);

  // Signs from grn_weights.tsv: a target of a knocked-out activator goes down, of a repressor
  // up, when no other regulator of it changes.
  std::multimap<std::string, std::pair<std::string, char>> regulators; // target -> (regulator, sign)
  const auto weights = read_tsv(dir / truth.at("grn_weights").as_string());
  for (std::size_t r = 1; r < weights.size(); ++r)
    regulators.emplace(weights[r][1], std::pair(weights[r][0], weights[r][2][0]));
  int up = 0, down = 0;
  for (const auto& [label, by_type] : lfc) {
    if (label.find_first_of("+:") != std::string::npos || !control.count(label)) continue;
    const auto& all = by_type.at("all");
    for (const auto& [target, reg] : regulators) {
      if (reg.first != label || target == label) continue;
      const auto [lo, hi] = regulators.equal_range(target);
      const bool isolated = std::all_of(lo, hi, [&](const auto& o) {
        return o.second.first == label || o.second.first == target || all.at(o.second.first) == 0.0;
      });
      if (!isolated) continue;
      if (reg.second == '+') {
        QVERIFY2(all.at(target) < 0, (label + " -> " + target).c_str());
        ++down;
      } else {
        QVERIFY2(all.at(target) > 0, (label + " -| " + target).c_str());
        ++up;
      }
    }
  }
  QVERIFY(down >= 1 && up >= 1);

  // Cell-type rows against `all`: rebuild each type's perturbed state from its log ratio and
  // the control in steady_state.tsv, average, and take the mixture's log ratio.
  constexpr double pseudo = 0.01;
  for (const auto& [label, by_type] : lfc)
    for (const auto& [gene, c] : control) {
      double perturbed = 0, ctrl = 0;
      for (std::size_t t = 0; t < types.size(); ++t) {
        perturbed += (std::exp2(by_type.at(types[t]).at(gene)) * (c[t] + pseudo) - pseudo) / 3.0;
        ctrl += c[t] / 3.0;
      }
      const double expected = std::log2((std::max(0.0, perturbed) + pseudo) / (ctrl + pseudo));
      QVERIFY2(std::abs(by_type.at("all").at(gene) - expected) < 1e-3, (label + " " + gene).c_str());
    }
  // One by hand: a non-TF knockout leaves pseudo / (control + pseudo) in every type.
  const auto& neg = *std::find_if(truth.at("evaluation_perturbations").as_array().begin(),
                                  truth.at("evaluation_perturbations").as_array().end(),
                                  [](const gc::Json& e) { return e.at("kind").as_string() == "non_tf"; });
  const auto g = neg.at("label").as_string();
  double m = 0;
  for (std::size_t t = 0; t < types.size(); ++t) {
    const double x = control.at(g)[t];
    QVERIFY(std::abs(lfc.at(g).at(types[t]).at(g) - std::log2(pseudo / (x + pseudo))) < 1e-4);
    m += x / 3.0;
  }
  QVERIFY(std::abs(lfc.at(g).at("all").at(g) - std::log2(pseudo / (m + pseudo))) < 1e-4);
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
  std::vector<const Perturbation*> screened;
  for (const auto& p : w.expression.perturbations)
    if (p.screened) screened.push_back(&p);
  QCOMPARE(screened.size(), std::size_t{4}); // 3 single + 1 double
  QCOMPARE(s.n_cells(), std::int64_t{spec.control_cells +
                                     spec.cells_per_perturbation * static_cast<int>(screened.size())});
  const auto* pc = s.obs.find("perturbation");
  QVERIFY(pc != nullptr);
  QCOMPARE(pc->categories.size(), screened.size() + 1);
  QCOMPARE(pc->categories.front(), std::string("control"));
  QVERIFY(pc->categories.back().find('+') != std::string::npos);
  std::vector<std::int64_t> per_category(pc->categories.size(), 0);
  for (const auto c : pc->codes)
    ++per_category[static_cast<std::size_t>(c)];
  QCOMPARE(per_category.front(), std::int64_t{spec.control_cells});
  // Knocked-out genes produce nothing, so they are never counted in their perturbation's cells.
  for (std::size_t k = 0; k < screened.size(); ++k) {
    const auto code = static_cast<std::int32_t>(k + 1);
    QCOMPARE(pc->categories[k + 1], screened[k]->name);
    QCOMPARE(per_category[k + 1], std::int64_t{spec.cells_per_perturbation});
    for (const auto g : screened[k]->genes) {
      const auto col = s.x.column(static_cast<std::int64_t>(g));
      for (std::size_t c = 0; c < col.size(); ++c)
        if (pc->codes[c] == code) QCOMPARE(col[c], 0.0f);
    }
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
