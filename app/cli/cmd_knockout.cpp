// `knockout` and `atlas`: in-silico interventions on a trained perturbation model (DESIGN §7),
// with Shapley explanations of predicted changes and the perturbation atlas.
#include "cli.h"
#include "grn_data.h"

#include "gc/kernels/runtime.h"
#include "gc/perturb/engine.h"
#include "gc/perturb/tables.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/timing.h"

#include <cmath>
#include <filesystem>
#include <fstream>

namespace gc::cli {
namespace {

namespace fs = std::filesystem;

// A perturbation checkpoint, or the one `train --perturb` wrote beside a GRN checkpoint.
model::PerturbationModel load_model(const std::string& path, const std::string& device) {
  require_readable_file(path);
  char magic[8] = {};
  {
    std::ifstream f(path, std::ios::binary);
    f.read(magic, sizeof magic);
  }
  if (std::string(magic, sizeof magic) == std::string("GCMODEL\n", 8)) {
    const auto sibling = fs::path(path).replace_extension(".gcpert").string();
    if (!fs::exists(sibling))
      throw InputError("this GRN model has no perturbation model beside it (expected " + sibling +
                       "): train one with `genocircuit-cli train ... --perturb SCREEN`")
          .file(path);
    return model::PerturbationModel::load(sibling, device);
  }
  return model::PerturbationModel::load(path, device);
}

// Predicted vs control as a log2 fold change of amounts.
double log2fc(model::ExpressionScale scale, double control, double predicted) {
  constexpr double pseudo = 0.01;
  switch (scale) {
  case model::ExpressionScale::log1p:
    return std::log2((std::expm1(std::max(predicted, 0.0)) + pseudo) /
                     (std::expm1(std::max(control, 0.0)) + pseudo));
  case model::ExpressionScale::log2p1:
    return std::log2((std::exp2(std::max(predicted, 0.0)) - 1.0 + pseudo) /
                     (std::exp2(std::max(control, 0.0)) - 1.0 + pseudo));
  case model::ExpressionScale::log2_ratio: break;
  }
  return predicted - control;
}

Json explanation_json(const perturb::Explanation& x) {
  const auto& s = x.shapley;
  Json j = Json::object();
  j["target"] = x.target;
  j["method"] = std::string(perturb::shapley_method_name(s.method));
  j["players"] = Json::array_of(x.players);
  j["phi"] = Json::array_of(s.phi);
  Json se = Json::array();
  for (double v : s.se)
    se.as_array().push_back(std::isfinite(v) ? Json(v) : Json());
  j["se"] = std::move(se);
  j["f_all"] = s.f_all;
  j["f_none"] = s.f_none;
  j["efficiency_gap"] = s.gap;
  j["evaluations"] = static_cast<std::int64_t>(s.evaluations);
  j["model_calls"] = static_cast<std::int64_t>(s.calls);
  return j;
}

// --shapley auto (the default): exact enumeration up to 15 players, antithetic permutation
// sampling with an early stop at the requested standard error beyond.
struct ShapleyChoice {
  bool automatic = true;
  perturb::ShapleyOptions options;
};

ShapleyChoice shapley_options(Args& args) {
  ShapleyChoice c;
  const auto method = args.option_or("--shapley", "auto");
  c.automatic = method == "auto";
  if (!c.automatic) c.options.method = perturb::parse_shapley_method(method);
  c.options.seed = static_cast<std::uint64_t>(std::max<long long>(0, args.int_option_or("--seed", 1)));
  c.options.target_se = args.double_option_or("--target-se", 0.01);
  if (!(c.options.target_se >= 0.0)) throw InputError("--target-se must be non-negative");
  return c;
}

Json run_knockout(Args& args) {
  const auto model_arg = args.option("--model");
  const auto genes_arg = args.option("--genes");
  const auto mode = args.option_or("--mode", "ko");
  const auto group = args.option_or("--group", "");
  const auto explain = args.options("--explain");
  const auto explain_top = args.int_option_or("--explain-top", 0);
  const auto players = perturb::parse_players(args.option_or("--players", "regulators"));
  const auto choice = shapley_options(args);
  const auto samples = args.int_option_or("--samples", 0);
  const auto out_arg = args.option("--out");
  const auto device = args.option_or("--device", "");
  const auto threads = args.int_option_or("--threads", 0);
  args.finish();
  if (!model_arg) throw InputError("knockout needs --model MODEL");
  if (!genes_arg) throw InputError("knockout needs --genes G1[,G2..]");
  if (explain_top < 0) throw InputError("--explain-top must be a non-negative integer");
  if (samples < 0) throw InputError("--samples must be a non-negative integer");
  kernels::configure_threads(static_cast<int>(threads));
  Stopwatch clock;
  const auto model = load_model(*model_arg, device);
  const perturb::KnockoutEngine engine(model);
  const auto iv = perturb::make_intervention(*genes_arg, mode);
  const auto result = engine.predict({iv}, group, samples).front();
  const auto& in = model.inputs();
  const auto gi = static_cast<std::size_t>(model.group_index(result.group));
  const auto g = in.genes.size();

  Json r = Json::object();
  Json ivj = Json::object();
  std::vector<std::string> names;
  for (const auto& x : iv.genes)
    names.push_back(x.gene);
  ivj["genes"] = Json::array_of(names);
  const auto& first = iv.genes.front();
  ivj["mode"] = first.mode == perturb::Mode::knockout    ? "ko"
                : first.mode == perturb::Mode::knockdown ? "kd"
                                                         : "oe";
  ivj["value"] = first.mode == perturb::Mode::knockout ? Json() : Json(first.factor);
  ivj["label"] = iv.label();
  r["intervention"] = std::move(ivj);
  r["group"] = result.group;
  r["genes"] = Json::array_of(in.genes);
  std::vector<double> control(g), predicted(g), delta(g), sd(g), fc(g);
  for (std::size_t k = 0; k < g; ++k) {
    control[k] = in.control_mean[gi * g + k];
    delta[k] = result.genes[k].delta;
    predicted[k] = control[k] + delta[k];
    sd[k] = result.genes[k].sd;
    fc[k] = log2fc(in.scale, control[k], predicted[k]);
  }
  r["scale"] = model::scale_name(in.scale);
  r["control"] = Json::array_of(control);
  r["predicted"] = Json::array_of(predicted);
  r["delta"] = Json::array_of(delta);
  r["delta_sd"] = Json::array_of(sd);
  r["log2fc"] = Json::array_of(fc);
  r["impact"] = result.impact;
  r["changed_genes"] = result.changed;
  r["cascade"] = result.to_json(25).at("genes");

  std::vector<std::string> targets(explain.begin(), explain.end());
  if (explain_top > 0)
    for (const auto& x : result.ranked(g))
      if (x.step > 0 && static_cast<long long>(targets.size()) < explain_top) targets.push_back(x.gene);
  Json explanations = Json::array();
  for (const auto& target : targets) {
    auto options = choice.options;
    if (choice.automatic)
      options.method = engine.player_count(iv, target, players) <= perturb::max_exact_players
                           ? perturb::ShapleyMethod::exact
                           : perturb::ShapleyMethod::permutation;
    for (const auto& x : engine.explain(iv, group, {target}, players, options))
      explanations.as_array().push_back(explanation_json(x));
  }
  r["explanations"] = std::move(explanations);

  if (out_arg) {
    AtomicFile file(*out_arg);
    auto& o = file.stream();
    o << "gene,control,predicted,delta,delta_sd,log2fc,step,via\n";
    o.precision(6);
    for (std::size_t k = 0; k < g; ++k)
      o << in.genes[k] << ',' << control[k] << ',' << predicted[k] << ',' << delta[k] << ',' << sd[k] << ','
        << fc[k] << ',' << result.genes[k].step << ',' << result.genes[k].via << '\n';
    file.commit();
    r["out"] = *out_arg;
  }
  r["seconds"] = clock.seconds();
  return r;
}

Json run_atlas(Args& args) {
  const auto model_arg = args.option("--model");
  const auto genes_arg = args.option("--genes");
  const auto group = args.option_or("--group", "");
  const auto out_arg = args.option("--out");
  const bool resume = args.flag("--resume");
  const auto chunk = args.int_option_or("--chunk", 64);
  const auto top = args.int_option_or("--top", 20);
  const auto device = args.option_or("--device", "");
  const auto threads = args.int_option_or("--threads", 0);
  args.finish();
  if (!model_arg) throw InputError("atlas needs --model MODEL");
  if (!out_arg) throw InputError("atlas needs --out atlas.tsv");
  if (chunk <= 0) throw InputError("--chunk must be a positive integer");
  kernels::configure_threads(static_cast<int>(threads));
  Stopwatch clock;
  const auto model = load_model(*model_arg, device);
  const perturb::KnockoutEngine engine(model);
  std::vector<std::string> genes;
  if (genes_arg) genes = perturb::read_gene_list(*genes_arg);
  // Without --resume a stale file from another run must not be taken as finished work.
  if (!resume && fs::exists(*out_arg)) fs::remove(*out_arg);
  const auto listener = std::make_shared<LogProgress>("atlas");
  const auto entries = engine.atlas(genes, group, static_cast<std::size_t>(chunk), *out_arg,
                                    Progress(listener, CancelToken{}));
  Json r = Json::object();
  r["out"] = *out_arg;
  r["genes"] = static_cast<std::int64_t>(entries.size());
  Json rows = Json::array();
  for (std::size_t i = 0; i < entries.size() && static_cast<long long>(i) < top; ++i) {
    Json e = Json::object();
    e["gene"] = entries[i].gene;
    e["impact"] = entries[i].impact;
    e["changed_genes"] = entries[i].changed;
    e["top"] = entries[i].top;
    rows.as_array().push_back(std::move(e));
  }
  r["ranked"] = std::move(rows);
  r["seconds"] = clock.seconds();
  return r;
}

const Registration knockout_command{
    {"knockout",
     "knockout --model MODEL --genes G1[,G2..] [--mode ko|kd:F|oe:F] [--group GROUP] [--explain TARGET ...] "
     "[--explain-top K] [--shapley auto|exact|permutation|kernel] [--players regulators|perturbed] "
     "[--target-se SE] "
     "[--samples N] [--out FILE.csv] [--device cpu|cuda] [--json]",
     "Predict the response to knocking out, down (kd:F removes the fraction F) or overexpressing (oe:F) any "
     "genes, with its uncertainty and cascade, and Shapley explanations of chosen targets' changes",
     run_knockout}};

const Registration atlas_command{
    {"atlas",
     "atlas --model MODEL --out atlas.tsv [--genes FILE] [--group GROUP] [--resume] [--chunk N] [--top K] "
     "[--json]",
     "Knock out every gene (or those listed) in turn, ranked by downstream impact; --resume keeps the genes "
     "already in atlas.tsv",
     run_atlas}};

} // namespace
} // namespace gc::cli
