// `knockout` and `atlas`: in-silico interventions on a trained perturbation model (DESIGN §7),
// with Shapley explanations of predicted changes, the perturbation atlas, and their
// knockout-impact tracks (bedGraph, bigWig) on the genes' loci.
#include "cli.h"
#include "grn_data.h"

#include "gc/genome/fasta.h"
#include "gc/kernels/runtime.h"
#include "gc/perturb/engine.h"
#include "gc/perturb/tables.h"
#include "gc/perturb/track.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/timing.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

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

// --track OUT --gtf GTF [--genome FA]: the annotation (and the genome's sizes) are read and the
// output path checked before the model runs, so bad input fails before any work.
struct TrackOptions {
  std::optional<std::string> out, gtf, genome;
};

TrackOptions track_options(Args& args) {
  TrackOptions t;
  t.out = args.option("--track");
  t.gtf = args.option("--gtf");
  t.genome = args.option("--genome");
  return t;
}

struct TrackSource {
  std::string out, gtf;
  perturb::TrackFormat format;
  genome::Annotation annotation;
  std::vector<genome::ChromLength> sizes; // empty without --genome
};

std::optional<TrackSource> track_source(const TrackOptions& t) {
  if (!t.out) {
    if (t.gtf || t.genome)
      throw InputError("--gtf and --genome place the genes of a --track OUT: give --track");
    return std::nullopt;
  }
  if (!t.gtf) throw InputError("--track needs --gtf GTF, the annotation that places the genes").file(*t.out);
  const auto format = perturb::track_output_format(*t.out);
  require_readable_file(*t.gtf);
  TrackSource s{*t.out, *t.gtf, format, genome::Annotation::load(*t.gtf), {}};
  if (t.genome) s.sizes = genome::FastaReader(*t.genome).sequences();
  return s;
}

Json write_track(const TrackSource& s, const std::vector<perturb::GeneValue>& values, const std::string& name,
                 const std::string& description) {
  const auto track = perturb::impact_track(values, s.annotation, s.sizes, s.gtf);
  const auto examples = [](const std::vector<std::string>& genes) {
    std::string text;
    for (std::size_t i = 0; i < genes.size() && i < 5; ++i)
      text += (i ? ", " : "") + genes[i];
    return text + (genes.size() > 5 ? ", ..." : "");
  };
  if (!track.missing.empty()) {
    log::warning("track: ", track.missing.size(), " of ", values.size(), " genes are not genes of ", s.gtf,
                 " (", examples(track.missing), "); they are not in ", s.out);
  }
  if (!track.off_genome.empty()) {
    log::warning("track: ", track.off_genome.size(), " of ", values.size(),
                 " genes are on chromosomes the genome does not have (", examples(track.off_genome),
                 "); they are not in ", s.out);
  }
  if (track.sizes_from_annotation)
    log::info("track: without --genome each chromosome's size is the end of its last gene in ", s.gtf);
  perturb::write_impact_track(s.out, track, name, description);
  Json j = Json::object();
  j["out"] = s.out;
  j["format"] = s.format == perturb::TrackFormat::bigwig ? "bigwig" : "bedgraph";
  j["name"] = name;
  j["intervals"] = static_cast<std::int64_t>(track.intervals.size());
  j["genes_placed"] = static_cast<std::int64_t>(track.placed);
  j["genes_missing"] = Json::array_of(track.missing);
  j["genes_off_genome"] = Json::array_of(track.off_genome);
  j["chromosome_sizes"] = track.sizes_from_annotation ? "annotation" : "genome";
  return j;
}

// Places the genes once with zero values: an annotation or genome that does not fit the
// model fails before any prediction, not after an atlas of knockouts.
void check_track_fits(const TrackSource& s, const std::vector<std::string>& genes) {
  std::vector<perturb::GeneValue> probe_values;
  probe_values.reserve(genes.size());
  for (const auto& gene : genes)
    probe_values.push_back({gene, 0.0});
  (void)perturb::impact_track(probe_values, s.annotation, s.sizes, s.gtf);
}

// The value a knockout track shows per gene.
enum class TrackValue { delta, log2fc, z };

TrackValue parse_track_value(const std::string& text) {
  if (text == "delta") return TrackValue::delta;
  if (text == "log2fc") return TrackValue::log2fc;
  if (text == "z") return TrackValue::z;
  throw InputError("--value must be delta, log2fc or z (delta / delta_sd), not '" + text + "'");
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
  const auto track_args = track_options(args);
  const auto value_arg = args.option("--value");
  args.finish();
  if (!model_arg) throw InputError("knockout needs --model MODEL");
  if (!genes_arg) throw InputError("knockout needs --genes G1[,G2..]");
  if (explain_top < 0) throw InputError("--explain-top must be a non-negative integer");
  if (samples < 0) throw InputError("--samples must be a non-negative integer");
  if (value_arg && !track_args.out) throw InputError("--value chooses what a --track shows: give --track");
  const auto value = parse_track_value(value_arg.value_or("delta"));
  // One draw has no spread to divide by.
  if (value == TrackValue::z && samples == 1)
    throw InputError("--value z needs the spread of several draws of the latent: not with --samples 1");
  const auto track = track_source(track_args);
  kernels::configure_threads(static_cast<int>(threads));
  Stopwatch clock;
  const auto model = load_model(*model_arg, device);
  if (track) check_track_fits(*track, model.inputs().genes);
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

  if (track) {
    std::vector<perturb::GeneValue> values;
    values.reserve(g);
    std::size_t without_spread = 0;
    for (std::size_t k = 0; k < g; ++k) {
      double v = value == TrackValue::delta ? delta[k] : fc[k];
      if (value == TrackValue::z) {
        // A change without spread (a clamped perturbed gene) has no finite z: it is left out and
        // counted; no change and no spread is no change.
        if (sd[k] == 0.0 && delta[k] != 0.0) {
          ++without_spread;
          continue;
        }
        v = sd[k] == 0.0 ? 0.0 : delta[k] / sd[k];
      }
      values.push_back({in.genes[k], v});
    }
    const char* value_name = value == TrackValue::delta    ? "delta"
                             : value == TrackValue::log2fc ? "log2fc"
                                                           : "z";
    auto t = write_track(*track, values, iv.label() + " " + value_name,
                         std::string("GenoCircuit predicted ") + value_name + " per gene under " +
                             iv.label() + " (group " + result.group + ")");
    t["value"] = value_name;
    if (value == TrackValue::z) t["genes_without_spread"] = static_cast<std::int64_t>(without_spread);
    r["track"] = std::move(t);
  }
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
  const auto track_args = track_options(args);
  args.finish();
  if (!model_arg) throw InputError("atlas needs --model MODEL");
  if (!out_arg) throw InputError("atlas needs --out atlas.tsv");
  if (chunk <= 0) throw InputError("--chunk must be a positive integer");
  const auto track = track_source(track_args);
  kernels::configure_threads(static_cast<int>(threads));
  Stopwatch clock;
  const auto model = load_model(*model_arg, device);
  const perturb::KnockoutEngine engine(model);
  std::vector<std::string> genes;
  if (genes_arg) genes = perturb::read_gene_list(*genes_arg);
  if (track) check_track_fits(*track, genes.empty() ? model.inputs().genes : genes);
  // Without --resume a stale file from another run must not be taken as finished work.
  if (!resume && fs::exists(*out_arg)) fs::remove(*out_arg);
  const auto listener = std::make_shared<LogProgress>("atlas");
  // --threads N: N workers of one LibTorch thread each over the chunks (0: every core).
  const auto entries =
      engine.atlas(genes, group, static_cast<std::size_t>(chunk), *out_arg, Progress(listener, CancelToken{}),
                   static_cast<std::size_t>(std::max<long long>(0, threads)));
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
  if (track) {
    std::vector<perturb::GeneValue> values;
    values.reserve(entries.size());
    for (const auto& e : entries)
      values.push_back({e.gene, e.impact});
    r["track"] =
        write_track(*track, values, "knockout impact",
                    "GenoCircuit atlas: downstream impact (sum of |delta|) of knocking out each gene" +
                        (group.empty() ? std::string() : " (group " + group + ")"));
  }
  r["seconds"] = clock.seconds();
  return r;
}

const Registration knockout_command{
    {"knockout",
     "knockout --model MODEL --genes G1[,G2..] [--mode ko|kd:F|oe:F] [--group GROUP] [--explain TARGET ...] "
     "[--explain-top K] [--shapley auto|exact|permutation|kernel] [--players regulators|perturbed] "
     "[--target-se SE] "
     "[--samples N] [--out FILE.csv] [--track OUT.bw|OUT.bedgraph --gtf GTF [--genome FA] "
     "[--value delta|log2fc|z]] [--device cpu|cuda] [--json]",
     "Predict the response to knocking out, down (kd:F removes the fraction F) or overexpressing (oe:F) any "
     "genes, with its uncertainty and cascade, and Shapley explanations of chosen targets' changes; --track "
     "writes the change on the genes' loci for IGV",
     run_knockout}};

const Registration atlas_command{
    {"atlas",
     "atlas --model MODEL --out atlas.tsv [--genes FILE] [--group GROUP] [--resume] [--chunk N] [--top K] "
     "[--track OUT.bw|OUT.bedgraph --gtf GTF [--genome FA]] [--json]",
     "Knock out every gene (or those listed) in turn, ranked by downstream impact; --resume keeps the genes "
     "already in atlas.tsv; --track writes each gene's impact on its locus for IGV",
     run_atlas}};

} // namespace
} // namespace gc::cli
