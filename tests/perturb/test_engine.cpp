// The knockout engine on a small planted cascade: names resolve (or fail clearly), the cascade
// says how far downstream each gene is and through which regulator, Shapley values of a target
// add up to its predicted change, and the atlas ranks genes by impact and resumes.
#include "gc/kernels/runtime.h"
#include "gc/perturb/engine.h"
#include "gc/util/error.h"

#include "gc_test.h"
#include "gc_test_rejects.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace gc::perturb;

using gc::test::rejects;

namespace {

// a -> b (0.8), b -> c (-0.5), a -> c (0.3), d -> c (0.4), e alone; log1p controls at 2, sd 1.
gc::model::PerturbationModel cascade() {
  gc::model::PerturbationInputs in;
  in.genes = {"a", "b", "c", "d", "e"};
  in.groups = {"all", "typeB"};
  in.control_mean.assign(10, 2.0F);
  in.control_sd.assign(5, 1.0F);
  in.floor.assign(5, 0.0F);
  in.ceiling.assign(5, 10.0F);
  in.edge_src = {0, 1, 0, 3};
  in.edge_dst = {1, 2, 2, 2};
  in.edge_gate = {1, 1, 1, 1};
  in.edge_w_plus = {0.8F, -0.5F, 0.3F, 0.4F};
  in.edge_w_minus = {0.8F, -0.5F, 0.3F, 0.4F};
  gc::model::PerturbationConfig c;
  c.latent = 4;
  c.hidden = 8;
  c.samples = 4;
  return gc::model::PerturbationModel(c, in);
}

} // namespace

GC_TEST(cascade_steps_and_paths) {
  gc::kernels::configure_threads(1);
  const auto model = cascade();
  const KnockoutEngine engine(model);
  const auto r = engine.predict({make_intervention("a")}, "", 1).front();
  GC_CHECK_EQ(r.label, std::string("a"));
  GC_CHECK_EQ(r.group, std::string("all"));
  // a: -2; b: 0.8 * -2 = -1.6 at step 1; c: 0.3 * -2 at step 1, then -0.5 * -1.6 + 0.3 * -2 = 0.2.
  GC_CHECK_NEAR(r.genes[0].delta, -2.0, 1e-5);
  GC_CHECK_EQ(r.genes[0].step, 0);
  GC_CHECK_EQ(r.genes[1].step, 1);
  GC_CHECK_EQ(r.genes[1].via, std::string("a"));
  GC_CHECK_NEAR(r.genes[2].delta, 0.2, 1e-5);
  GC_CHECK_EQ(r.genes[2].step, 1);
  GC_CHECK_EQ(r.genes[3].step, -1);
  GC_CHECK_NEAR(r.impact, 1.6 + 0.2, 1e-5);
  GC_CHECK_EQ(r.changed, 2);
  const auto top = r.ranked(2);
  GC_CHECK_EQ(top[0].gene, std::string("a"));
  GC_CHECK_EQ(top[1].gene, std::string("b"));
  // Any gene can be perturbed, also one without targets; in another group by name.
  const auto e = engine.predict({make_intervention("e", "oe:3")}, "typeB", 1).front();
  GC_CHECK_NEAR(e.genes[4].delta, std::log1p(3 * std::expm1(2.0)) - 2.0, 1e-5);
  GC_CHECK_EQ(e.changed, 0);
  GC_CHECK(rejects([&] { (void)engine.predict({make_intervention("a,zz,yy")}, ""); }, "2 gene(s)"));
  GC_CHECK(rejects([&] { (void)engine.predict({make_intervention("a")}, "typeQ"); }, "typeB"));
}

// c's change under the knockout of a and d: exact Shapley values over its regulators add up to
// the change (efficiency), and d's share is its own edge's effect, which nothing else touches.
GC_TEST(shapley_explains_the_change) {
  gc::kernels::configure_threads(1);
  const auto model = cascade();
  const KnockoutEngine engine(model);
  const auto iv = make_intervention("a,d");
  const auto full = engine.predict({iv}, "", 1).front().genes[2].delta;
  ShapleyOptions exact;
  const auto x = engine.explain(iv, "", {"c"}, Players::regulators, exact).front();
  GC_CHECK_EQ(x.players.size(), std::size_t{3}); // a, b, d
  double sum = 0.0;
  for (double v : x.shapley.phi)
    sum += v;
  GC_CHECK_NEAR(sum, full, 1e-5);
  GC_CHECK_NEAR(x.shapley.f_none, 0.0, 1e-9);
  GC_CHECK(std::abs(x.shapley.gap) < 1e-9);
  for (std::size_t p = 0; p < x.players.size(); ++p)
    if (x.players[p] == "d") GC_CHECK_NEAR(x.shapley.phi[p], 0.4 * -2.0, 1e-5);
  // Players = the perturbed genes: a and d share the change; d alone gives 0.4 * -2.
  const auto y = engine.explain(iv, "", {"c"}, Players::perturbed, exact).front();
  GC_CHECK(y.players == (std::vector<std::string>{"a", "d"}));
  GC_CHECK_NEAR(y.shapley.phi[0] + y.shapley.phi[1], full, 1e-5);
  GC_CHECK_NEAR(y.shapley.phi[1], -0.8, 1e-5); // the cascade is additive here: d's own effect
  GC_CHECK(
      rejects([&] { (void)engine.explain(iv, "", {"e"}, Players::regulators, exact); }, "no regulators"));
}

GC_TEST(atlas_ranks_and_resumes) {
  gc::kernels::configure_threads(1);
  const auto model = cascade();
  const KnockoutEngine engine(model);
  const auto path =
      (std::filesystem::temp_directory_path() / ("gc_atlas_" + std::to_string(::getpid()) + ".tsv")).string();
  std::filesystem::remove(path);
  const auto first = engine.atlas({"a", "d"}, "", 1, path);
  GC_CHECK_EQ(first.size(), std::size_t{2});
  GC_CHECK_EQ(first[0].gene, std::string("a")); // a moves b and c; d only c
  GC_CHECK(first[0].impact > first[1].impact);
  GC_CHECK(first[0].top.find("b:-1.600") != std::string::npos);
  // A resumed run keeps the finished genes as written and only computes the new ones.
  {
    std::ofstream f(path);
    f << "gene\timpact\tchanged_genes\ttop\na\t99\t7\tkept\n";
  }
  const auto all = engine.atlas({}, "", 2, path);
  GC_CHECK_EQ(all.size(), std::size_t{5});
  GC_CHECK_EQ(all[0].gene, std::string("a"));
  GC_CHECK_NEAR(all[0].impact, 99.0, 0.0);
  GC_CHECK_EQ(all[0].top, std::string("kept"));
  {
    std::ofstream f(path);
    f << "gene\timpact\tchanged_genes\ttop\na\tlots\t7\tx\n";
  }
  GC_CHECK(rejects([&] { (void)engine.atlas({}, "", 2, path); }, "line 2"));
  std::filesystem::remove(path);
}

GC_TEST_MAIN()
