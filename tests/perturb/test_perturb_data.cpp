// Perturbation data readers on real files (../shared/data: DREAM4 size 100, the Kemmeren yeast
// deletion profiles; skipped visibly without it) and on a small simulated demo world's screen,
// with values checked against the files and against an independent recomputation.
#include "gc/expr/h5ad.h"
#include "gc/perturb/baselines.h"
#include "gc/perturb/dataset.h"
#include "gc/perturb/eval.h"
#include "gc/perturb/screen.h"
#include "gc/perturb/tables.h"
#include "gc/simulate/world.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_test.h"
#include "gc_test_rejects.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;
using namespace gc::perturb;

using gc::test::rejects;

namespace {

fs::path shared(const std::string& rel) {
  const auto p = fs::path(gc::test::shared_data_dir()) / rel;
  if (!fs::exists(p)) GC_SKIP("no shared data at " + p.string());
  return p;
}

const Observation& find(const PerturbationDataset& d, const std::string& label, std::size_t group = 0) {
  for (const auto& o : d.observations)
    if (o.intervention.label() == label && o.group == group) return o;
  throw gc::Error("no observation " + label);
}

std::size_t gene(const PerturbationDataset& d, const std::string& name) {
  const auto i = d.gene_index(name);
  if (!i) throw gc::Error("no gene " + name);
  return *i;
}

} // namespace

GC_TEST(dream4_network_1) {
  const auto d = load_perturbation_data(shared("perturb/dream4/insilico_size100_1"));
  GC_CHECK_EQ(d.layout, std::string("dream4"));
  GC_CHECK_EQ(d.n_genes(), std::size_t{100});
  GC_CHECK_EQ(d.observations.size(), std::size_t{220});
  const auto s = d.summary();
  GC_CHECK_EQ(s.at("singles").as_int(), std::int64_t{200}); // 100 knockouts, 100 knockdowns
  GC_CHECK_EQ(s.at("doubles").as_int(), std::int64_t{20});
  // Wild type: G1 0.1399892, G2 0.2259739; knockout row 1: G1 0, G2 0.2052669; read as log2(x + 1).
  GC_CHECK_NEAR(d.control[0][gene(d, "G1")], std::log2(1.1399892), 1e-12);
  const auto& ko = find(d, "G1");
  GC_CHECK_NEAR(ko.mean[gene(d, "G1")], 0.0, 0.0);
  GC_CHECK_NEAR(ko.delta[gene(d, "G1")], -std::log2(1.1399892), 1e-12);
  GC_CHECK_NEAR(ko.delta[gene(d, "G2")], std::log2(1.2052669) - std::log2(1.2259739), 1e-12);
  // Knockdown row 2 halves G2: 0.1160430.
  GC_CHECK_NEAR(find(d, "G2:kd0.5").mean[gene(d, "G2")], std::log2(1.1160430), 1e-12);
  // First dual knockout: genes 37 and 46, noise-free answer row 1 (G36 0.625289).
  const auto& dbl = find(d, "G37+G46");
  GC_CHECK_NEAR(dbl.mean[gene(d, "G37")], 0.0, 0.0);
  GC_CHECK_NEAR(dbl.mean[gene(d, "G46")], 0.0, 0.0);
  GC_CHECK_NEAR(dbl.mean[gene(d, "G36")], std::log2(1.625289), 1e-12);
  // Every knockout zeroes its own gene, as the DREAM4 layout says.
  for (const auto& o : d.observations)
    if (o.intervention.genes[0].mode == Mode::knockout)
      for (const auto g : d.measured_genes(o.intervention))
        GC_CHECK_EQ(o.mean[g], 0.0);
  // A file named inside the folder opens the folder; network 2 reads the same way.
  GC_CHECK_EQ(
      load_perturbation_data(shared("perturb/dream4/insilico_size100_1/insilico_size100_1_knockouts.tsv"))
          .observations.size(),
      std::size_t{220});
  GC_CHECK_EQ(read_dream4(shared("perturb/dream4/insilico_size100_2")).observations.size(), std::size_t{220});
}

GC_TEST(kemmeren_deletion_profiles) {
  const auto path = shared("perturb/kemmeren/kemmeren_log2.tsv");
  const auto d = load_perturbation_data(path);
  GC_CHECK_EQ(d.layout, std::string("profiles"));
  GC_CHECK(d.scale == Scale::log2_ratio);
  GC_CHECK_EQ(d.n_genes(), std::size_t{194});
  // 1,487 columns: 3 named WT are the wild type, 1,484 deletion strains.
  GC_CHECK_EQ(d.observations.size(), std::size_t{1484});
  GC_CHECK_EQ(d.control_samples[0], std::int64_t{3});
  GC_CHECK_EQ(d.summary().at("interventions_on_measured_genes").as_int(), std::int64_t{62});
  GC_CHECK_EQ(d.notes.at("perturbed_genes_not_measured").as_int(), std::int64_t{1484 - 62});
  // Values as given: YAR003W's column at YAL038W, YDL006W's at YAL040C.
  GC_CHECK_NEAR(find(d, "YAR003W").delta[gene(d, "YAL038W")], 0.020185697, 1e-15);
  GC_CHECK_NEAR(find(d, "YDL006W").delta[gene(d, "YAL040C")], 0.068106691, 1e-15);
  // The README: in all 62 measured deletions the gene's own value is negative, median −2.67.
  std::vector<double> own;
  for (const auto& o : d.observations)
    if (d.all_measured(o.intervention)) own.push_back(o.delta[d.measured_genes(o.intervention)[0]]);
  GC_REQUIRE(own.size() == 62);
  GC_CHECK(std::all_of(own.begin(), own.end(), [](double v) { return v < 0; }));
  std::sort(own.begin(), own.end());
  GC_CHECK_NEAR(0.5 * (own[30] + own[31]), -2.67, 0.01);
  // Singles split: test items only among the 62 measured deletions.
  const auto split = split_singles(d, 1);
  GC_CHECK_EQ(split.test.size(), std::size_t{16});
  for (const auto i : split.test)
    GC_CHECK(d.all_measured(d.observations[i].intervention));
}

namespace {

struct SmallWorld {
  gc::TempDir dir{"gc-perturb-data"};
  fs::path screen;
  std::vector<std::string> cell_types;
  SmallWorld() {
    const auto world = gc::simulate::generate(gc::simulate::WorldSpec::preset_named("small"));
    (void)gc::simulate::write_world(world, dir.path() / "world");
    screen = dir.path() / "world" / "screen.h5ad";
    cell_types = world.expression.cell_types;
  }
};

const SmallWorld& small_world() {
  static const SmallWorld w;
  return w;
}

} // namespace

GC_TEST(demo_world_screen) {
  const auto& w = small_world();
  const auto d = load_perturbation_data(w.screen);
  GC_CHECK_EQ(d.layout, std::string("screen"));
  GC_CHECK_EQ(d.notes.at("target_column").as_string(), std::string("perturbation"));
  GC_CHECK_EQ(d.notes.at("group_column").as_string(), std::string("cell_type"));
  auto groups = d.groups, expected = w.cell_types;
  std::sort(groups.begin(), groups.end());
  std::sort(expected.begin(), expected.end());
  GC_CHECK(groups == expected);
  const auto raw = gc::expr::read_h5ad(w.screen);
  GC_CHECK_EQ(d.n_genes(), static_cast<std::size_t>(raw.n_genes()));
  std::int64_t cells = 0;
  for (const auto c : d.control_samples)
    cells += c;
  for (const auto& o : d.observations)
    cells += o.samples;
  GC_CHECK(cells <= raw.n_cells());
  GC_CHECK(cells > raw.n_cells() * 9 / 10); // only (intervention, type) pairs under 5 cells are dropped
  GC_CHECK(d.summary().at("doubles").as_int() >= 1);
  // A knocked-out gene produces nothing in the simulation: its mean is 0, its Δ minus the control.
  std::size_t knockouts = 0;
  for (const auto& o : d.observations) {
    if (o.intervention.genes[0].mode != Mode::knockout) continue;
    for (const auto g : d.measured_genes(o.intervention)) {
      GC_CHECK_EQ(o.mean[g], 0.0);
      GC_CHECK_NEAR(o.delta[g], -d.control[o.group][g], 1e-12);
      ++knockouts;
    }
  }
  GC_CHECK(knockouts > 0);
  // Independent recomputation of one Δ from the counts: log1p(count · 10^4 / library size).
  const auto& o = d.observations.front();
  const auto& labels = *raw.obs.find("perturbation");
  const auto& types = *raw.obs.find("cell_type");
  const auto perturbed = d.measured_genes(o.intervention);
  std::int64_t target = 0;
  while (std::find(perturbed.begin(), perturbed.end(), static_cast<std::size_t>(target)) != perturbed.end())
    ++target;
  const auto libraries = raw.library_sizes();
  double pert = 0, ctrl = 0;
  int np = 0, nc = 0;
  for (std::int64_t c = 0; c < raw.n_cells(); ++c) {
    if (types.text(static_cast<std::size_t>(c)) != d.groups[o.group]) continue;
    const auto label = labels.text(static_cast<std::size_t>(c));
    const double v = std::log1p(raw.x.at(c, target) * 1e4 / libraries[static_cast<std::size_t>(c)]);
    if (label == "control") {
      ctrl += v;
      ++nc;
    } else if (gc::perturb::parse_label(label) == o.intervention) {
      pert += v;
      ++np;
    }
  }
  GC_REQUIRE(np > 0 && nc > 0);
  GC_CHECK_EQ(static_cast<std::int64_t>(np), o.samples);
  GC_CHECK_NEAR(o.delta[static_cast<std::size_t>(target)], pert / np - ctrl / nc, 1e-5);
  // The evaluation runs on it with every baseline.
  EvalOptions eo;
  eo.seeds = {1};
  const auto report = evaluate(d, baseline_predictors(), eo);
  GC_CHECK(report.to_json().at("splits").contains("singles"));
}

GC_TEST(hand_made_screen) {
  // Values that are not counts are taken as log-normalised: means are plain averages.
  gc::expr::ExpressionMatrix m;
  const std::vector<float> x{1.5F, 2, 0.5F, 0.5F, 2, 1.5F, 0, 1, 1, 0,    2, 1,
                             9,    9, 9,    0,    0, 3,    1, 1, 1, 0.5F, 1, 1};
  m.x = gc::expr::Matrix::dense(8, 3, x);
  m.var.index = {"A", "B", "C"};
  for (int c = 0; c < 8; ++c)
    m.obs.index.push_back("cell" + std::to_string(c));
  m.obs.columns.push_back(gc::expr::Column::categorical(
      "perturbation", {"non-targeting", "ctrl", "A+ctrl", "A", "A+B", "control"}, {0, 1, 2, 3, -1, 4, 5, 3}));
  m.obs.columns.push_back(gc::expr::Column::categorical("cell_type", {"t1", "t2"}, {0, 0, 0, 0, 0, 0, 1, 1}));
  const gc::TempDir dir("gc-perturb-screen");
  const auto path = dir.path() / "screen.h5ad";
  gc::expr::write_h5ad(path, m);
  ScreenOptions o;
  o.min_cells = 1;
  const auto d = read_screen(path, o);
  GC_REQUIRE(d.groups == (std::vector<std::string>{"t1", "t2"}));
  GC_CHECK((d.control[0] == std::vector<double>{1, 2, 1})); // non-targeting and ctrl cells
  GC_CHECK((d.control[1] == std::vector<double>{1, 1, 1}));
  GC_CHECK_EQ(d.observations.size(), std::size_t{3});
  const auto& a = find(d, "A", 0); // "A+ctrl" and "A": the single A
  GC_CHECK_EQ(a.samples, std::int64_t{2});
  GC_CHECK((a.delta == std::vector<double>{-1, -0.5, 0}));
  GC_CHECK((find(d, "A+B", 0).delta == std::vector<double>{-1, -2, 2}));
  GC_CHECK((find(d, "A", 1).delta == std::vector<double>{-0.5, 0, 0}));
  GC_CHECK_EQ(d.notes.at("cells_without_a_label").as_int(), std::int64_t{1}); // not a control
  GC_REQUIRE(d.expression_level.size() == 3);
  GC_CHECK_NEAR(d.expression_level[0], 1.0, 1e-12);
  GC_CHECK_NEAR(d.expression_level[1], 5.0 / 3.0, 1e-12);
  GC_CHECK_EQ(d.control_cells[0].size(), std::size_t{2 * 3});
  o.min_cells = 2;
  const auto fewer = read_screen(path, o);
  GC_CHECK_EQ(fewer.observations.size(), std::size_t{1});
  GC_CHECK_EQ(fewer.notes.at("observations_below_min_cells").as_int(), std::int64_t{2});
}

GC_TEST(screen_bad_input) {
  const auto& w = small_world();
  ScreenOptions no_controls;
  no_controls.column = "cell_type"; // a column without control labels
  GC_CHECK(rejects([&] { (void)read_screen(w.screen, no_controls); }, "no control cells"));
  ScreenOptions missing;
  missing.column = "guide";
  GC_CHECK(rejects([&] { (void)read_screen(w.screen, missing); }, "no obs column 'guide'"));
  ScreenOptions groups;
  groups.group_column = "batch";
  GC_CHECK(rejects([&] { (void)read_screen(w.screen, groups); }, "no obs column 'batch'"));
  ScreenOptions pooled;
  pooled.group_column = "none";
  GC_CHECK_EQ(read_screen(w.screen, pooled).groups.size(), std::size_t{1});
}

GC_TEST_MAIN()
