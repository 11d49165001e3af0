// `bench model`: GenoCircuit training time per epoch and peak memory on synthetic inputs of the
// demo world's size and (--large) of 5,000 genes x 20,000 cells, against |Pearson| over the same matrix in
// the same run (the cheapest GRN baseline, DESIGN §8 shape). Plain model inputs only, so it also
// runs in the minimal GPU build.
//
// Both sizes come with a TF list, as real data do (30 and 500 regulators), so the candidate graph
// is regulators x genes: 2.5 M edges at the large size, not the 25 M ordered pairs of 5,000 genes.
// One optimiser step runs the whole graph (cross-attention over all genes, GATv2 and edge scoring
// over every candidate) whatever the batch, and only the imputation scales with the cells of a
// batch: at the large size the graph costs ~6 s of a step on 2 CPU cores, so with the default 256
// cells an epoch of 20,000 cells (79 steps) takes ~10 minutes. The large size trains
// with 2,048 cells per step (10 steps per epoch), the setting a 20,000-cell screen would use
// (`--config '{"batch_cells": 2048}'` for train/grn); --batch-cells overrides both sizes.
#include "cli.h"

#include "gc/kernels/runtime.h"
#include "gc/model/genocircuit.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/rng.h"
#include "gc/util/timing.h"

#include <torch/torch.h>

#include <malloc.h>

#include <optional>

namespace gc::cli {
namespace {

struct Size {
  std::string name;
  std::int64_t genes, cells, regulators, sequence;
  std::int64_t batch_cells; // 0: the configuration's default
};

// Regulators drive targets through random sparse weights, so training has signal to fit.
model::GrnInputs synthetic(const Size& s, std::uint64_t seed) {
  model::GrnInputs in;
  Rng rng(seed);
  for (std::int64_t g = 0; g < s.genes; ++g)
    in.genes.push_back("g" + std::to_string(g));
  in.cells = s.cells;
  torch::manual_seed(seed);
  const auto tf = torch::randn({s.cells, s.regulators});
  auto w = torch::zeros({s.regulators, s.genes});
  for (std::int64_t t = 0; t < s.genes; ++t)
    for (int k = 0; k < 3; ++k)
      w[static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(s.regulators)))][t] = rng.normal();
  auto x = (tf.mm(w) + 0.5 * torch::randn({s.cells, s.genes})).contiguous();
  x.slice(1, 0, s.regulators).copy_(tf);
  in.expression.assign(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
  for (std::int64_t r = 0; r < s.regulators; ++r)
    for (std::int64_t t = 0; t < s.genes; ++t)
      if (r != t) {
        in.edge_src.push_back(r);
        in.edge_dst.push_back(t);
      }
  if (s.sequence > 0) {
    in.sequence_length = s.sequence;
    in.sequences.resize(static_cast<std::size_t>(s.genes * s.sequence));
    for (auto& b : in.sequences)
      b = static_cast<std::uint8_t>(rng.below(4));
  }
  return in;
}

Json run_bench_model(Args& args) {
  const auto device = args.option_or("--device", "cpu");
  const auto epochs = static_cast<int>(args.int_option_or("--epochs", 1));
  // 5,000 x 20,000: minutes per epoch on 2 CPU cores and ~3.5 GB of memory, so only on request.
  const bool large = args.flag("--large");
  const auto threads = args.int_option_or("--threads", 0);
  const auto batch_cells = args.int_option_or("--batch-cells", 0);
  args.finish();
  if (epochs < 1) throw InputError("--epochs must be positive");
  if (threads < 0) throw InputError("--threads must be 0 (all) or a positive number");
  if (args.given("--batch-cells") && batch_cells < 1) throw InputError("--batch-cells must be positive");
  kernels::configure_threads(static_cast<int>(threads));
  std::vector<Size> sizes{{"demo", 300, 3000, 30, 1100, 0}};
  if (large) sizes.push_back({"large", 5000, 20000, 500, 0, 2048});
  Json results = Json::array();
  for (const auto& s : sizes) {
    log::info("bench model: ", s.name, " (", s.genes, " genes x ", s.cells, " cells, ", s.regulators,
              " regulators)");
    auto in = synthetic(s, 1);
    // Baseline: |Pearson| of every regulator with every gene over the same values.
    malloc_trim(0);
    const auto before_base = current_rss_bytes();
    const bool reset_base = reset_peak_rss();
    Stopwatch base_watch;
    {
      auto x =
          torch::from_blob(in.expression.data(), {s.cells, s.genes}, torch::kFloat).to(torch::Device(device));
      x = (x - x.mean(0, true)) / x.std(0, false, true).clamp_min(1e-6);
      const auto corr = x.slice(1, 0, s.regulators).t().mm(x).abs() / static_cast<double>(s.cells);
      (void)corr.sum().item<double>();
    }
    const double base_seconds = base_watch.seconds();
    const auto base_peak = reset_base ? static_cast<std::int64_t>(peak_rss_bytes() - before_base) : 0;

    model::GenoCircuitConfig config;
    config.epochs = epochs;
    config.device = device;
    if (batch_cells > 0)
      config.batch_cells = batch_cells;
    else if (s.batch_cells > 0)
      config.batch_cells = s.batch_cells;
    malloc_trim(0);
    const auto before = current_rss_bytes();
    const bool reset = reset_peak_rss();
    model::GenoCircuit m(config, std::move(in));
    const auto log = m.train();
    const auto peak = reset ? static_cast<std::int64_t>(peak_rss_bytes() - before) : 0;
    const double per_epoch = log.seconds / static_cast<double>(log.epochs.size());

    Json r = Json::object();
    r["name"] = "genocircuit_train_epoch";
    r["backend"] = "libtorch";
    r["device"] = device;
    r["dtype"] = "f32";
    Json params = Json::object();
    params["size"] = s.name;
    params["genes"] = s.genes;
    params["cells"] = s.cells;
    params["regulators"] = s.regulators;
    params["candidate_edges"] = m.inputs().num_edges();
    params["sequence_length"] = s.sequence;
    params["epochs"] = epochs;
    params["batch_cells"] = config.batch_cells;
    params["parameters"] = log.parameters;
    r["params"] = std::move(params);
    r["seconds"] = per_epoch;
    r["peak_bytes"] = peak;
    Json b = Json::object();
    b["name"] = "pearson_torch";
    b["seconds"] = base_seconds;
    b["peak_bytes"] = base_peak;
    r["baseline"] = std::move(b);
    r["speedup"] = base_seconds / per_epoch;
    r["memory_ratio"] =
        base_peak > 0 ? Json(static_cast<double>(peak) / static_cast<double>(base_peak)) : Json();
    r["note"] = "seconds: one training epoch with the gate network (below 3 epochs there is no warm-up; the "
                "warm-up epochs of a longer run, its first third, skip the graph and cost less); "
                "peak_bytes: process high-water mark above the resident size before (CPU)";
    results.push_back(std::move(r));
  }
  Json out = Json::object();
  out["suite"] = "model";
  out["machine"] = machine_description();
  out["results"] = std::move(results);
  return out;
}

const BenchRegistration model_bench{
    {"model",
     "GenoCircuit training time per epoch and peak memory (demo size; with --large also 5,000 genes x "
     "20,000 cells, 500 regulators, 2,048 cells per step) against |Pearson| on the same matrix "
     "[--device cpu|cuda] [--epochs N] [--large] [--threads N] [--batch-cells N]",
     run_bench_model}};

} // namespace
} // namespace gc::cli
