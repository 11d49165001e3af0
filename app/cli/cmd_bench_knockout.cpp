// `bench knockout` (issue 11, item 8): the knockout engine's costs, each against the unbatched
// path of the same run (DESIGN §8 shape; `target` says whether the target is met).
//
//   knockout_response  one knockout, KnockoutEngine::predict with the default draws of the
//                      latent, on a synthetic perturbation model of 5,000 genes (300 regulators,
//                      10 per target as perturbation_inputs prunes a GRN to, one target with 16);
//                      baseline: the same number of draws as one-draw model calls
//   shapley_permutation  the 16 regulators of that target under a triple knockout, antithetic
//                      permutation sampling until every SE <= 5 % of |f(all) - f(none)| (the
//                      change explained); baseline: the same permutations, one coalition per
//                      value-function call (batch size 1)
//   atlas_demo_world   every gene of the demo world knocked out in turn (GRN trained on its cells,
//                      the perturbation model on its screen, both timed apart): a chunk per pool
//                      thread against one model call per chunk with LibTorch's own threads
//   atlas_large        the same comparison on 512 genes of the 5,000-gene model
//
// The synthetic model is trained a few epochs on noisy responses of 40 regulator knockouts
// computed by a second, untrained model of the same graph, so it has a trained model's state.
#include "cli.h"

#include "gc/expr/h5ad.h"
#include "gc/grn/genocircuit.h"
#include "gc/kernels/runtime.h"
#include "gc/model/perturbation.h"
#include "gc/perturb/engine.h"
#include "gc/perturb/screen.h"
#include "gc/simulate/world.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/rng.h"
#include "gc/util/temp_dir.h"
#include "gc/util/timing.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <thread>

namespace gc::cli {
namespace {

constexpr std::int64_t large_genes = 5000;
constexpr std::int64_t large_regulators = 300;
constexpr std::size_t regulators_per_target = perturb::default_max_regulators;
constexpr std::size_t wide_regulators = 16;
// The wide target is a regulator itself, as hubs usually are: its edges feed back into it
// through the regulators it regulates, so its Shapley game is not additive.
constexpr std::int64_t wide_target = large_regulators - 1;
constexpr int large_epochs = 5;
constexpr int grn_epochs = 10;
constexpr double relative_se = 0.05;

std::string gene_name(std::int64_t g) { return (g < large_regulators ? "tf" : "g") + std::to_string(g); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(f >> one >> five >> fifteen)) return "";
  return one + " " + five + " " + fifteen;
}

Json target_json(const std::string& text, bool met) {
  Json t = Json::object();
  t["text"] = text;
  t["met"] = met;
  return t;
}

Json result(const std::string& name, const std::string& device, Json params, double seconds,
            const std::string& baseline_name, double baseline_seconds, Json target, const std::string& note) {
  Json r = Json::object();
  r["name"] = name;
  r["backend"] = "libtorch";
  r["device"] = device;
  r["dtype"] = "f32";
  r["params"] = std::move(params);
  r["seconds"] = seconds;
  r["peak_bytes"] = nullptr; // not measured: a few MB of temporaries per call at these sizes
  Json b = Json::object();
  b["name"] = baseline_name;
  b["seconds"] = baseline_seconds;
  b["peak_bytes"] = nullptr;
  r["baseline"] = std::move(b);
  r["speedup"] = baseline_seconds / seconds;
  r["memory_ratio"] = nullptr;
  r["target"] = std::move(target);
  r["note"] = note;
  return r;
}

// Regulators 0..299 (which regulate each other too), every gene with 10 distinct regulators
// other than itself, the wide target with 16; log1p controls, one cell group.
model::PerturbationInputs synthetic_inputs(std::uint64_t seed) {
  Rng rng(seed);
  model::PerturbationInputs in;
  in.scale = model::ExpressionScale::log1p;
  in.groups = {"all"};
  for (std::int64_t g = 0; g < large_genes; ++g) {
    in.genes.push_back(gene_name(g));
    const double mean = rng.uniform(0.5, 3.0), sd = rng.uniform(0.2, 0.8);
    in.control_mean.push_back(static_cast<float>(mean));
    in.control_sd.push_back(static_cast<float>(sd));
    in.floor.push_back(0.0F);
    in.ceiling.push_back(static_cast<float>(mean + 4.0 * sd));
  }
  for (std::int64_t t = 0; t < large_genes; ++t) {
    const std::size_t k = t == wide_target ? wide_regulators : regulators_per_target;
    std::set<std::int64_t> chosen;
    while (chosen.size() < k) {
      const auto r = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(large_regulators)));
      if (r != t) chosen.insert(r);
    }
    for (const auto r : chosen) {
      const double slope = (rng.bernoulli(0.7) ? 1.0 : -1.0) * rng.uniform(0.15, 0.5);
      in.edge_src.push_back(r);
      in.edge_dst.push_back(t);
      in.edge_gate.push_back(static_cast<float>(rng.uniform(0.3, 1.0)));
      in.edge_w_plus.push_back(static_cast<float>(slope));
      in.edge_w_minus.push_back(static_cast<float>(slope * rng.uniform(0.5, 1.5)));
    }
  }
  return in;
}

struct LargeModel {
  std::unique_ptr<model::PerturbationModel> model;
  double train_seconds = 0.0;
  std::size_t examples = 0;
};

LargeModel large_model(const std::string& device) {
  auto in = synthetic_inputs(1);
  model::PerturbationConfig teacher_config;
  teacher_config.device = device;
  teacher_config.seed = 2;
  std::vector<model::PerturbationQuery> queries;
  for (std::int64_t r = 0; r < 40; ++r) {
    model::PerturbationQuery q;
    q.genes = {r * 7 % large_regulators};
    q.levels = {0.0F};
    queries.push_back(std::move(q));
  }
  std::vector<model::PerturbationPrediction> truth;
  {
    const model::PerturbationModel teacher(teacher_config, in);
    truth = teacher.predict(queries, 1);
  }
  Rng noise(3);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    model::PerturbationExample x;
    x.label = gene_name(queries[i].genes[0]);
    x.genes = queries[i].genes;
    x.levels = queries[i].levels;
    for (std::size_t g = 0; g < truth[i].delta.size(); ++g)
      x.delta.push_back(truth[i].delta[g] + static_cast<float>(noise.normal(0.0, 0.05 * in.control_sd[g])));
    x.weight = 200.0;
    in.examples.push_back(std::move(x));
  }
  LargeModel out;
  out.examples = in.examples.size();
  model::PerturbationConfig config;
  config.device = device;
  config.epochs = large_epochs;
  out.model = std::make_unique<model::PerturbationModel>(config, std::move(in));
  Stopwatch watch;
  (void)out.model->train();
  out.train_seconds = watch.seconds();
  return out;
}

Json bench_response(const model::PerturbationModel& m, const std::string& device) {
  const perturb::KnockoutEngine engine(m);
  const auto samples = m.config().samples;
  const int repeats = 21;
  std::vector<perturb::Intervention> ivs;
  for (int i = 0; i < repeats; ++i)
    ivs.push_back(perturb::make_intervention(gene_name(i * 13 % large_regulators)));
  (void)engine.predict({ivs[0]}, "");
  std::vector<double> ours, base;
  double impact_sum = 0.0;
  for (const auto& iv : ivs) {
    Stopwatch watch;
    const auto r = engine.predict({iv}, "").front();
    ours.push_back(watch.seconds());
    impact_sum += r.impact;
    const auto q = engine.query(iv, "");
    watch.reset();
    for (std::int64_t s = 0; s < samples; ++s)
      (void)m.predict({q}, 1);
    base.push_back(watch.seconds());
  }
  const double seconds = median(ours), baseline = median(base);
  Json p = Json::object();
  p["genes"] = m.inputs().num_genes();
  p["edges"] = m.inputs().num_edges();
  p["regulators"] = large_regulators;
  p["samples"] = samples;
  p["steps"] = m.config().steps;
  p["repeats"] = repeats;
  p["mean_impact"] = impact_sum / repeats;
  return result("knockout_response", device, std::move(p), seconds, "one_draw_per_call", baseline,
                target_json("<= 20 ms on the 2-core CPU", seconds <= 0.020),
                "seconds: median over single-gene knockouts of different regulators of "
                "KnockoutEngine::predict (the draws of the latent, the cascade and the summary); baseline: "
                "the same number of model calls of one draw each (mean latent) for the same query");
}

Json bench_shapley(const model::PerturbationModel& m, const std::string& device) {
  const perturb::KnockoutEngine engine(m);
  const auto& in = m.inputs();
  const auto target = gene_name(wide_target);
  // Three of the target's own regulators knocked out.
  std::vector<std::string> regulators;
  for (std::size_t e = 0; e < in.edge_dst.size(); ++e)
    if (in.edge_dst[e] == wide_target)
      regulators.push_back(in.genes[static_cast<std::size_t>(in.edge_src[e])]);
  std::sort(regulators.begin(), regulators.end());
  const auto iv = perturb::make_intervention(regulators[0] + "," + regulators[5] + "," + regulators[10]);
  const auto players = engine.player_count(iv, target, perturb::Players::regulators);
  // The change to explain, f(all) - f(none), from one antithetic pair (not timed).
  perturb::ShapleyOptions pilot;
  pilot.method = perturb::ShapleyMethod::permutation;
  pilot.min_permutations = 2;
  pilot.max_permutations = 2;
  const auto probe = engine.explain(iv, "", {target}, perturb::Players::regulators, pilot).front().shapley;
  const double change = std::abs(probe.f_all - probe.f_none);
  if (!(change > 0.0)) throw Error("bench knockout: the explained change of " + target + " is 0");

  perturb::ShapleyOptions options;
  options.method = perturb::ShapleyMethod::permutation;
  options.target_se = relative_se * change;
  const auto timed = [&](const perturb::ShapleyOptions& o, int repeats, perturb::ShapleyResult& out) {
    std::vector<double> t;
    for (int k = 0; k < repeats; ++k) {
      Stopwatch watch;
      out = engine.explain(iv, "", {target}, perturb::Players::regulators, o).front().shapley;
      t.push_back(watch.seconds());
    }
    return median(t);
  };
  perturb::ShapleyResult batched, unbatched;
  const double seconds = timed(options, 5, batched);
  // The same permutations (same seed, same count), one coalition per call.
  perturb::ShapleyOptions single = options;
  single.batch_size = 1;
  single.target_se = 0.0;
  single.min_permutations = batched.samples;
  single.max_permutations = batched.samples;
  const double baseline = timed(single, 3, unbatched);
  double max_se = 0.0, max_phi = 0.0, max_diff = 0.0;
  for (std::size_t i = 0; i < batched.phi.size(); ++i) {
    max_se = std::max(max_se, batched.se[i]);
    max_phi = std::max(max_phi, std::abs(batched.phi[i]));
    max_diff = std::max(max_diff, std::abs(batched.phi[i] - unbatched.phi[i]));
  }
  Json p = Json::object();
  p["genes"] = in.num_genes();
  p["edges"] = in.num_edges();
  p["players"] = players;
  p["target_gene"] = target;
  p["intervention"] = iv.label();
  p["antithetic"] = options.antithetic;
  p["target_se"] = options.target_se;
  p["explained_change"] = change;
  p["max_se"] = max_se;
  p["max_se_relative"] = max_se / change;
  p["max_abs_phi"] = max_phi;
  p["target_reached"] = batched.target_reached;
  p["permutations"] = batched.samples;
  p["evaluations"] = batched.evaluations;
  p["calls"] = batched.calls;
  p["cache_hits"] = batched.cache_hits;
  p["baseline_evaluations"] = unbatched.evaluations;
  p["baseline_calls"] = unbatched.calls;
  p["max_phi_difference"] = max_diff;
  p["efficiency_gap"] = batched.gap;
  Json r = result("shapley_permutation", device, std::move(p), seconds, "one_coalition_per_call", baseline,
                  target_json("<= 1 s to 5 % relative SE; batched >= 5x the one-coalition-per-call path",
                              seconds <= 1.0 && batched.target_reached && baseline / seconds >= 5.0),
                  "seconds: KnockoutEngine::explain with permutation sampling and the early stop, median of "
                  "5; baseline: the same permutations (same seed and count) with batch_size 1, median of 3; "
                  "the relative SE is the largest SE over |f(all) - f(none)|");
  r["target"]["seconds_met"] = seconds <= 1.0 && batched.target_reached;
  r["target"]["batching_met"] = baseline / seconds >= 5.0;
  return r;
}

bool same_atlas(const std::vector<perturb::AtlasEntry>& a, const std::vector<perturb::AtlasEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].gene != b[i].gene || a[i].impact != b[i].impact || a[i].changed != b[i].changed ||
        a[i].top != b[i].top)
      return false;
  return true;
}

// Genes per second of the atlas with one call per chunk (threads 1) and with a chunk per pool
// thread (threads 0), best of `repeats` each, alternating.
Json bench_atlas(const std::string& name, const model::PerturbationModel& m,
                 const std::vector<std::string>& genes, const std::string& device, int repeats, Json params,
                 const std::string& note) {
  const perturb::KnockoutEngine engine(m);
  const std::size_t chunk = 64;
  const auto count = genes.empty() ? m.inputs().genes.size() : genes.size();
  (void)engine.atlas(genes, "", chunk, "", {}, 1);
  double single = 1e300, threaded = 1e300;
  std::vector<perturb::AtlasEntry> one, many;
  for (int k = 0; k < repeats; ++k) {
    Stopwatch watch;
    one = engine.atlas(genes, "", chunk, "", {}, 1);
    single = std::min(single, watch.seconds());
    watch.reset();
    many = engine.atlas(genes, "", chunk, "", {}, 0);
    threaded = std::min(threaded, watch.seconds());
  }
  const auto n = static_cast<double>(count);
  params["genes_knocked_out"] = static_cast<std::int64_t>(count);
  params["model_genes"] = m.inputs().num_genes();
  params["edges"] = m.inputs().num_edges();
  params["chunk"] = static_cast<std::int64_t>(chunk);
  params["pool_threads"] = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  params["torch_threads"] = kernels::runtime_info().cpu_threads;
  params["repeats"] = repeats;
  params["genes_per_second"] = n / threaded;
  params["baseline_genes_per_second"] = n / single;
  params["identical"] = same_atlas(one, many);
  Json r = result(
      name, device, std::move(params), threaded, "one_call_per_chunk", single,
      target_json("genes/s reported; threaded results identical to one thread", same_atlas(one, many)), note);
  return r;
}

struct DemoModel {
  std::unique_ptr<model::PerturbationModel> model;
  double simulate_seconds = 0.0, grn_seconds = 0.0, perturbation_seconds = 0.0;
  std::int64_t grn_candidates = 0;
  int perturbation_epochs = 0;
  std::size_t observations = 0;
};

// The demo world's GRN (GenoCircuit on its cells, TF candidates) and perturbation model (its
// screen), as `train --perturb` makes them, with fewer GRN epochs.
DemoModel demo_model(const std::string& device) {
  DemoModel out;
  Stopwatch watch;
  const auto spec = simulate::WorldSpec::preset_named("demo");
  auto genome = simulate::simulate_genome(spec);
  const auto grn = simulate::simulate_grn(spec, genome);
  const auto expression = simulate::simulate_expression(spec, genome, grn);
  const TempDir dir("gc-bench-knockout");
  const auto screen = dir.path() / "screen.h5ad";
  expr::write_h5ad(screen, expression.screen);
  const auto data = perturb::read_screen(screen);
  out.simulate_seconds = watch.seconds();
  out.observations = data.observations.size();

  grn::GenoCircuitOptions options;
  options.config.epochs = grn_epochs;
  options.config.device = device;
  std::vector<std::string> tfs;
  for (const auto t : grn.tfs)
    tfs.push_back(genome.genes[t].name);
  options.regulators = tfs;
  watch.reset();
  const auto run = grn::train_genocircuit(expression.cells, {}, options);
  out.grn_seconds = watch.seconds();
  out.grn_candidates = run.model.inputs().num_edges();

  model::PerturbationConfig config;
  config.device = device;
  out.perturbation_epochs = config.epochs;
  out.model = std::make_unique<model::PerturbationModel>(
      config, perturb::perturbation_inputs(data, run.model.inputs().genes, run.model.edge_functions()));
  watch.reset();
  (void)out.model->train();
  out.perturbation_seconds = watch.seconds();
  return out;
}

Json run_bench_knockout(Args& args) {
  const auto device = args.option_or("--device", "cpu");
  const auto threads = args.int_option_or("--threads", 0);
  args.finish();
  if (threads < 0) throw InputError("--threads must be 0 (all) or a positive number");
  kernels::configure_threads(static_cast<int>(threads));
  const auto load_before = load_average();
  Json results = Json::array();

  log::info("bench knockout: synthetic model of ", large_genes, " genes");
  const auto large = large_model(device);
  auto response = bench_response(*large.model, device);
  response["params"]["train_seconds"] = large.train_seconds;
  response["params"]["train_epochs"] = large_epochs;
  response["params"]["train_examples"] = static_cast<std::int64_t>(large.examples);
  results.push_back(std::move(response));
  log::info("bench knockout: Shapley, ", wide_regulators, " players");
  results.push_back(bench_shapley(*large.model, device));

  log::info("bench knockout: demo world");
  const auto demo = demo_model(device);
  Json p = Json::object();
  p["simulate_seconds"] = demo.simulate_seconds;
  p["grn_train_seconds"] = demo.grn_seconds;
  p["grn_epochs"] = grn_epochs;
  p["grn_candidate_edges"] = demo.grn_candidates;
  p["perturbation_train_seconds"] = demo.perturbation_seconds;
  p["perturbation_epochs"] = demo.perturbation_epochs;
  p["screen_observations"] = static_cast<std::int64_t>(demo.observations);
  results.push_back(bench_atlas("atlas_demo_world", *demo.model, {}, device, 15, std::move(p),
                                "seconds: the atlas over every gene with a chunk of 64 per pool thread, each "
                                "on one LibTorch thread; baseline: one call per chunk at a time, LibTorch "
                                "parallelising inside it; best of the repeats"));
  std::vector<std::string> subset;
  for (std::int64_t g = 0; g < 512; ++g)
    subset.push_back(gene_name(g * (large_genes / 512)));
  results.push_back(bench_atlas("atlas_large", *large.model, subset, device, 3, Json::object(),
                                "as atlas_demo_world, on 512 genes (every ninth) of the 5,000-gene model"));

  Json out = Json::object();
  out["suite"] = "knockout";
  out["machine"] = machine_description();
  out["machine"]["load_average_before"] = load_before;
  out["machine"]["load_average_after"] = load_average();
  out["results"] = std::move(results);
  return out;
}

const BenchRegistration knockout_bench{
    {"knockout",
     "Knockout engine: one response of a 5,000-gene model against one-draw calls, Shapley with 16 players "
     "to 5 % relative SE against one coalition per call, the demo world's atlas threaded against one call "
     "per chunk [--device cpu|cuda] [--threads N]",
     run_bench_knockout}};

} // namespace
} // namespace gc::cli
