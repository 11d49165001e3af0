// The knockout engine on a small planted cascade: names resolve (or fail clearly), the cascade
// says how far downstream each gene is and through which regulator, Shapley values of a target
// add up to its predicted change, and the atlas ranks genes by impact and resumes. On a random
// trained model: the threaded atlas equals the one-thread atlas, and a prediction that decodes
// only the part of the graph its query needs equals one decoded over the whole graph.
#include "gc/kernels/runtime.h"
#include "gc/perturb/engine.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"

#include "gc_test.h"
#include "gc_test_rejects.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

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

// 80 genes: regulators g0..g11 in a binary tree (g1 and g2 under g0, g3 and g4 under g1, ...),
// every other gene under 3 of them; two groups. Trained a few epochs on 12 noisy knockout
// responses of an untrained model of the same graph, so that the latent, the gains and the
// shared response all take part. A knockout low in the tree reaches only part of it within the
// 3 propagation steps, so its prediction decodes part of the graph.
gc::model::PerturbationModel random_model() {
  gc::Rng rng(7);
  gc::model::PerturbationInputs in;
  const int genes = 80, regulators = 12;
  in.groups = {"all", "typeB"};
  for (int g = 0; g < genes; ++g)
    in.genes.push_back("g" + std::to_string(g));
  for (int k = 0; k < 2 * genes; ++k)
    in.control_mean.push_back(static_cast<float>(rng.uniform(0.5, 3.0)));
  for (int g = 0; g < genes; ++g) {
    in.control_sd.push_back(static_cast<float>(rng.uniform(0.2, 0.8)));
    in.floor.push_back(0.0F);
    in.ceiling.push_back(5.0F);
  }
  const auto add_edge = [&](int r, int t) {
    const double slope = (rng.bernoulli(0.7) ? 1.0 : -1.0) * rng.uniform(0.3, 0.9);
    in.edge_src.push_back(r);
    in.edge_dst.push_back(t);
    in.edge_gate.push_back(static_cast<float>(rng.uniform(0.3, 1.0)));
    in.edge_w_plus.push_back(static_cast<float>(slope));
    in.edge_w_minus.push_back(static_cast<float>(slope * rng.uniform(0.5, 1.5)));
  };
  for (int t = 0; t < genes; ++t) {
    if (t < regulators) {
      if (t > 0) add_edge((t - 1) / 2, t);
      continue;
    }
    std::set<int> chosen;
    while (chosen.size() < 3)
      chosen.insert(static_cast<int>(rng.below(regulators)));
    for (const int r : chosen)
      add_edge(r, t);
  }
  gc::model::PerturbationConfig c;
  c.latent = 4;
  c.hidden = 8;
  c.samples = 8;
  c.epochs = 5;
  std::vector<gc::model::PerturbationQuery> queries;
  for (std::int64_t r = 0; r < regulators; ++r)
    queries.push_back({{r}, {0.0F}, r % 2, {}});
  gc::model::PerturbationConfig teacher = c;
  teacher.seed = 2;
  const auto truth = gc::model::PerturbationModel(teacher, in).predict(queries, 1);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    gc::model::PerturbationExample x;
    x.label = in.genes[static_cast<std::size_t>(queries[i].genes[0])];
    x.genes = queries[i].genes;
    x.levels = queries[i].levels;
    x.group = queries[i].group;
    for (const float d : truth[i].delta)
      x.delta.push_back(d + static_cast<float>(rng.normal(0.0, 0.05)));
    in.examples.push_back(std::move(x));
  }
  gc::model::PerturbationModel model(c, in);
  (void)model.train();
  return model;
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
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

// Chunks computed on several threads are merged in their order: the same entries, the same
// numbers and the same resume file as one call at a time, with or without finished genes.
GC_TEST(threaded_atlas_equals_one_thread) {
  gc::kernels::configure_threads(2);
  const auto model = random_model();
  const KnockoutEngine engine(model);
  const auto dir = std::filesystem::temp_directory_path();
  const auto one_path = (dir / ("gc_atlas1_" + std::to_string(::getpid()) + ".tsv")).string();
  const auto many_path = (dir / ("gc_atlasN_" + std::to_string(::getpid()) + ".tsv")).string();
  std::filesystem::remove(one_path);
  std::filesystem::remove(many_path);
  const auto one = engine.atlas({}, "typeB", 7, one_path, {}, 1);
  GC_CHECK_EQ(one.size(), std::size_t{80});
  GC_CHECK(one.front().impact > 0.0);
  for (const std::size_t threads : {2, 3}) {
    std::filesystem::remove(many_path);
    const auto many = engine.atlas({}, "typeB", 7, many_path, {}, threads);
    GC_CHECK_EQ(many.size(), one.size());
    for (std::size_t i = 0; i < std::min(one.size(), many.size()); ++i) {
      GC_CHECK_EQ(many[i].gene, one[i].gene);
      GC_CHECK_EQ(many[i].impact, one[i].impact);
      GC_CHECK_EQ(many[i].changed, one[i].changed);
      GC_CHECK_EQ(many[i].top, one[i].top);
    }
    GC_CHECK(read_all(many_path) == read_all(one_path));
  }
  // A resumed threaded run keeps what the file holds and computes the rest as before.
  {
    std::ofstream f(many_path);
    f << "gene\timpact\tchanged_genes\ttop\ng3\t99\t7\tkept\n";
  }
  const auto resumed = engine.atlas({}, "typeB", 7, many_path, {}, 3);
  GC_CHECK_EQ(resumed.size(), std::size_t{80});
  GC_CHECK_EQ(resumed.front().gene, std::string("g3"));
  GC_CHECK_EQ(resumed.front().top, std::string("kept"));
  for (const auto& e : resumed)
    if (e.gene != "g3")
      for (const auto& o : one)
        if (o.gene == e.gene) GC_CHECK_EQ(e.impact, o.impact);
  std::filesystem::remove(one_path);
  std::filesystem::remove(many_path);
}

// A single knockout decodes only the edges its change can travel in time, and a Shapley value
// function only the part of the graph upstream of its target; a batch with an intervention on
// every gene needs the whole graph. Both give the same numbers, bit for bit.
GC_TEST(restricted_predictions_are_exact) {
  gc::kernels::configure_threads(1);
  const auto model = random_model();
  const KnockoutEngine engine(model);
  std::string all;
  for (int g = 0; g < 80; ++g)
    all += (g ? "," : "") + std::string("g") + std::to_string(g);
  const auto everything = make_intervention(all, "kd:0.5");
  for (const auto* gene : {"g2", "g4", "g9", "g40"}) {
    const auto iv = make_intervention(gene);
    const auto alone = engine.predict({iv}, "typeB", 1).front();
    const auto full = engine.predict({iv, everything}, "typeB", 1).front();
    GC_CHECK(alone.impact > 0.0 || std::string(gene) == "g40"); // g40 regulates nothing
    for (std::size_t g = 0; g < alone.genes.size(); ++g) {
      GC_CHECK_EQ(alone.genes[g].delta, full.genes[g].delta);
      GC_CHECK_EQ(alone.genes[g].step, full.genes[g].step);
      GC_CHECK_EQ(alone.genes[g].via, full.genes[g].via);
    }
    // Sampled predictions draw the same latent for every query of a call.
    const auto sampled = engine.predict({iv}, "typeB", 8).front();
    const auto sampled_full = engine.predict({iv, everything}, "typeB", 8).front();
    for (std::size_t g = 0; g < sampled.genes.size(); ++g) {
      GC_CHECK_NEAR(sampled.genes[g].delta, sampled_full.genes[g].delta, 1e-6);
      GC_CHECK_NEAR(sampled.genes[g].sd, sampled_full.genes[g].sd, 1e-6);
    }
  }
  // The value function of an explanation (predict_genes on the target's upstream part) at the
  // full coalition is the predicted change, for a regulator (g5, under g2 under g0) and a target.
  const auto iv = make_intervention("g0,g1");
  const auto response = engine.predict({iv}, "", 1).front();
  for (const int t : {5, 50}) {
    const auto target = "g" + std::to_string(t);
    const auto x = engine.explain(iv, "", {target}, Players::regulators, ShapleyOptions{}).front();
    GC_CHECK_EQ(x.shapley.f_all, response.genes[static_cast<std::size_t>(t)].delta);
    GC_CHECK(std::abs(x.shapley.gap) < 1e-6);
  }
}

GC_TEST_MAIN()
