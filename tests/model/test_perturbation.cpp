// The perturbation model on a planted cascade: knocking out the head of a chain must move its
// targets the way the structural equations say, training must fit observed responses and
// generalise to an unseen knockout through the graph, and checkpoints and bad input behave.
#include "gc/kernels/runtime.h"
#include "gc/model/perturbation.h"
#include "gc/util/error.h"

#include "gc_test.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using gc::model::PerturbationConfig;
using gc::model::PerturbationInputs;
using gc::model::PerturbationModel;
using gc::model::PerturbationQuery;

namespace {

// Genes: a -> b (activation, slope 0.8), b -> c (repression, slope -0.5), d -> e (0.6), f alone.
// One cell group; controls at 2.0 on the log1p scale, spread 1.
PerturbationInputs chain() {
  PerturbationInputs in;
  in.genes = {"a", "b", "c", "d", "e", "f"};
  in.groups = {"all"};
  in.control_mean.assign(6, 2.0F);
  in.control_sd.assign(6, 1.0F);
  in.floor.assign(6, 0.0F);
  in.ceiling.assign(6, 10.0F);
  in.edge_src = {0, 1, 3};
  in.edge_dst = {1, 2, 4};
  in.edge_gate = {1.0F, 1.0F, 1.0F};
  in.edge_w_plus = {0.8F, -0.5F, 0.6F};
  in.edge_w_minus = {0.8F, -0.5F, 0.6F};
  return in;
}

PerturbationConfig small() {
  PerturbationConfig c;
  c.latent = 4;
  c.hidden = 8;
  c.steps = 3;
  c.epochs = 150;
  c.learning_rate = 2e-2;
  c.samples = 8;
  return c;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("gc_test_pert_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

} // namespace

// Untrained, every gain is 1 at the mean latent: the prediction is the structural cascade.
GC_TEST(untrained_prediction_is_the_structural_cascade) {
  gc::kernels::configure_threads(1);
  PerturbationModel model(small(), chain());
  // Knockout of a: its log1p value goes from 2 to 0, i.e. -2 z. b moves 0.8 * -2 = -1.6 at
  // step 1; c moves -0.5 * -1.6 = +0.8 at step 2; d, e, f stay.
  const auto p = model.predict({{{0}, {0.0F}, 0, {}}}, 1).front();
  GC_CHECK_NEAR(p.delta[0], -2.0, 1e-5);
  GC_CHECK_NEAR(p.delta[1], -1.6, 1e-5);
  GC_CHECK_NEAR(p.delta[2], 0.8, 1e-5);
  for (int g : {3, 4, 5})
    GC_CHECK_NEAR(p.delta[g], 0.0, 1e-7);
  GC_CHECK_EQ(p.by_step.size(), std::size_t{3});
  GC_CHECK_NEAR(p.by_step[0][2], 0.0, 1e-7); // c is two edges away: still at 0 after step 1
  GC_CHECK_NEAR(p.by_step[1][2], 0.8, 1e-5);
  // Knockdown by half: log1p(0.5 * expm1(2)) - 2 on a.
  const auto kd = model.predict({{{0}, {0.5F}, 0, {}}}, 1).front();
  GC_CHECK_NEAR(kd.delta[0], std::log1p(0.5 * std::expm1(2.0)) - 2.0, 1e-5);
  // Removing the edge a -> b stops the cascade at a.
  const auto cut = model.predict({{{0}, {0.0F}, 0, {1, 0, 0}}}, 1).front();
  GC_CHECK_NEAR(cut.delta[1], 0.0, 1e-7);
  GC_CHECK_NEAR(cut.delta[2], 0.0, 1e-7);
  // Batched values agree with single queries.
  const auto v = model.predict_genes({{{0}, {0.0F}, 0, {}}, {{3}, {0.0F}, 0, {}}}, {1, 4});
  GC_CHECK_NEAR(v[0][0], -1.6, 1e-5);
  GC_CHECK_NEAR(v[1][1], 0.6 * -2.0, 1e-5);
}

// The truth is the cascade with every edge twice as strong as the graph says; training on the
// knockdowns (by half) of a, d and f learns that and carries it to the unseen knockdown of b.
// (Knockdowns keep every doubled change inside the range a log1p value can take.)
GC_TEST(training_fits_and_generalises_through_the_graph) {
  gc::kernels::configure_threads(1);
  auto in = chain();
  const auto k = static_cast<float>(std::log1p(0.5 * std::expm1(2.0)) - 2.0); // about -0.567
  // a: b = 1.6 k, c = -1.0 * 1.6 k; d: e = 1.2 k.
  in.examples.push_back({"a", {0}, {0.5F}, 0, {k, 1.6F * k, -1.6F * k, 0, 0, 0}, 100});
  in.examples.push_back({"d", {3}, {0.5F}, 0, {0, 0, 0, k, 1.2F * k, 0}, 100});
  in.examples.push_back({"f", {5}, {0.5F}, 0, {0, 0, 0, 0, 0, k}, 100});
  PerturbationModel untrained(small(), in);
  const PerturbationQuery unseen{{1}, {0.5F}, 0, {}};
  const auto before = untrained.predict({unseen}, 1).front();
  PerturbationModel model(small(), in);
  const auto log = model.train();
  GC_CHECK_EQ(log.size(), std::size_t{150});
  GC_CHECK(log.back().reconstruction < 0.25 * log.front().reconstruction);
  // Unseen: knockdown of b (k) -> c: -0.5 k by the graph, -1.0 k in the doubled truth.
  const double want = -1.0 * k;
  const auto after = model.predict({unseen}, 1).front();
  GC_CHECK(std::abs(after.delta[2] - want) < std::abs(before.delta[2] - want));
  GC_CHECK(std::abs(after.delta[2] - want) < 0.1);
  GC_CHECK_NEAR(after.delta[3], 0.0, 1e-6); // d is not downstream of b
  // Several draws of z give a spread, one draw (the mean) none.
  const auto drawn = model.predict({unseen}, 16).front();
  GC_CHECK(drawn.sd[2] >= 0.0F);
  GC_CHECK_NEAR(after.sd[2], 0.0, 1e-6);
}

GC_TEST(checkpoint_round_trip_and_bad_input) {
  gc::kernels::configure_threads(1);
  auto in = chain();
  in.examples.push_back({"a", {0}, {0.0F}, 0, {-2.0F, -1.6F, 0.8F, 0, 0, 0}, 1});
  in.examples.push_back({"d", {3}, {0.0F}, 0, {0, 0, 0, -2.0F, -1.2F, 0}, 1});
  auto c = small();
  c.epochs = 5;
  PerturbationModel model(c, in);
  model.train();
  const auto path = temp_path("m.gcpert");
  model.save(path);
  const auto loaded = PerturbationModel::load(path);
  const PerturbationQuery q{{0, 3}, {0.0F, 3.0F}, 0, {}};
  GC_CHECK(loaded.predict({q}, 1).front().delta == model.predict({q}, 1).front().delta);
  GC_CHECK_EQ(loaded.log().size(), std::size_t{5});
  GC_CHECK_EQ(loaded.gene_index("e"), std::int64_t{4});
  GC_CHECK_EQ(loaded.group_index("all"), std::int64_t{0});
  const auto rejects = [](const std::function<void()>& fn, const std::string& needle) {
    try {
      fn();
    } catch (const gc::InputError& e) {
      if (std::string(e.what()).find(needle) != std::string::npos) return true;
      std::fprintf(stderr, "    message: %s\n", e.what());
    }
    return false;
  };
  std::string bytes;
  {
    std::ifstream f(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  const auto bad = temp_path("bad.gcpert");
  std::ofstream(bad, std::ios::binary) << bytes.substr(0, bytes.size() - 9);
  GC_CHECK(rejects([&] { (void)PerturbationModel::load(bad); }, "truncated"));
  std::ofstream(bad, std::ios::binary) << "GCMODEL\n rest";
  GC_CHECK(rejects([&] { (void)PerturbationModel::load(bad); }, "not a GenoCircuit perturbation model"));
  std::filesystem::remove(bad);
  std::filesystem::remove(path);

  auto wrong = chain();
  wrong.edge_dst[1] = 9;
  GC_CHECK(rejects([&] { PerturbationModel m(small(), wrong); }, "out of range"));
  auto nan = chain();
  nan.examples.push_back({"a", {0}, {0.0F}, 0, {NAN, 0, 0, 0, 0, 0}, 1});
  GC_CHECK(rejects([&] { PerturbationModel m(small(), nan); }, "not finite"));
  PerturbationModel empty(small(), chain());
  GC_CHECK(rejects([&] { empty.train(); }, "no observed perturbation"));
  GC_CHECK(rejects([&] { (void)empty.predict({{{7}, {0.0F}, 0, {}}}); }, "out of range"));
  GC_CHECK(rejects([] { (void)PerturbationConfig::from_json(gc::Json::parse(R"({"stepz": 2})")); },
                   "unknown key"));
}

GC_TEST_MAIN()
