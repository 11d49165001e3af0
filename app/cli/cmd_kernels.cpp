// `bench kernels`: time and peak memory of each attention operator against a baseline measured
// in the same run (DESIGN §8): the naive torch matmul-softmax-matmul for dense and sliding
// attention, dense flash attention for block-sparse, the gathered torch implementation for GATv2.
#include "cli.h"

#include "gc/kernels/block_sparse.h"
#include "gc/kernels/flash_attention.h"
#include "gc/kernels/gatv2.h"
#include "gc/kernels/runtime.h"
#include "gc/kernels/sliding_window.h"
#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/timing.h"

#include <torch/torch.h>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

namespace gc::cli {
namespace {

using kernels::Backend;

struct Measurement {
  double seconds = 0.0;
  Json peak_bytes; // null where not measured
};

struct Bench {
  torch::Device device{torch::kCPU};
  int repeats = 3;

  void sync() const {
    if (device.is_cuda()) torch::cuda::synchronize();
  }

  // Best time of `repeats` runs (one warm-up run first when repeats > 1); peak memory is the
  // process high-water mark above the resident size before the runs (CPU only).
  Measurement measure(const std::function<void()>& fn, int reps) const {
    Measurement m;
    // Hand freed heap pages back to the OS first, so earlier runs' free memory neither hides
    // this run's allocations nor counts towards them.
    malloc_trim(0);
    const auto before = current_rss_bytes();
    const bool can_reset = !device.is_cuda() && reset_peak_rss();
    if (reps > 1) {
      fn();
      sync();
    }
    double best = 1e300;
    for (int r = 0; r < reps; ++r) {
      Stopwatch sw;
      fn();
      sync();
      best = std::min(best, sw.seconds());
    }
    m.seconds = best;
    if (can_reset)
      m.peak_bytes = static_cast<long long>(peak_rss_bytes() > before ? peak_rss_bytes() - before : 0);
    return m;
  }
};

Json result(const std::string& name, const std::string& backend, const std::string& device, Json params,
            const Measurement& ours, const std::optional<std::pair<std::string, Measurement>>& baseline,
            std::string note) {
  Json r = Json::object();
  r["name"] = name;
  r["backend"] = backend;
  r["device"] = device;
  r["dtype"] = "f32";
  r["params"] = std::move(params);
  r["seconds"] = ours.seconds;
  r["peak_bytes"] = ours.peak_bytes;
  if (baseline) {
    Json b = Json::object();
    b["name"] = baseline->first;
    b["seconds"] = baseline->second.seconds;
    b["peak_bytes"] = baseline->second.peak_bytes;
    r["baseline"] = std::move(b);
    r["speedup"] = baseline->second.seconds / ours.seconds;
    const auto& bp = baseline->second.peak_bytes;
    if (!ours.peak_bytes.is_null() && !bp.is_null() && bp.as_int() > 0)
      r["memory_ratio"] = static_cast<double>(ours.peak_bytes.as_int()) / static_cast<double>(bp.as_int());
    else
      r["memory_ratio"] = nullptr;
  } else {
    r["baseline"] = nullptr;
    r["speedup"] = nullptr;
    r["memory_ratio"] = nullptr;
  }
  if (device == "cuda")
    note += std::string(note.empty() ? "" : "; ") + "peak_bytes is not measured on the GPU";
  r["note"] = std::move(note);
  return r;
}

std::vector<std::int64_t> parse_sizes(const std::string& text) {
  std::vector<std::int64_t> sizes;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      const auto v = std::stoll(item, &used);
      if (used != item.size() || v <= 0) throw std::invalid_argument(item);
      sizes.push_back(v);
    } catch (const std::exception&) {
      throw InputError("--sizes: '" + item + "' is not a positive integer");
    }
  }
  if (sizes.empty()) throw InputError("--sizes: give at least one size");
  return sizes;
}

Json run_kernels_bench(Args& args) {
  const auto device_name = args.option_or("--device", "cpu");
  const auto sizes = parse_sizes(args.option_or("--sizes", "512,4096,16384"));
  const auto heads = args.int_option_or("--heads", 8);
  const auto head_dim = args.int_option_or("--head-dim", 64);
  const auto naive_limit = static_cast<double>(args.int_option_or("--naive-limit-mb", 8192)) * 1024 * 1024;
  const auto graph_nodes = args.int_option_or("--graph-nodes", 100000);
  const auto graph_edges = args.int_option_or("--graph-edges", 2000000);
  const auto ops_text = args.option_or("--ops", "flash,sliding,block,gatv2");
  const auto want = [&](const std::string& op) {
    return ("," + ops_text + ",").find("," + op + ",") != std::string::npos;
  };
  // 0 keeps the process-wide setting (kernels::configure_threads at start-up).
  const auto threads = args.int_option_or("--threads", 0);
  (void)args.flag("--json");
  args.finish();
  if (device_name != "cpu" && device_name != "cuda") throw InputError("--device must be cpu or cuda");
  if (device_name == "cuda" && !(torch::cuda::is_available() && kernels::cuda_kernels_compiled()))
    throw InputError("--device cuda: no CUDA device, or this build has no CUDA kernels");
  if (threads < 0) throw InputError("--threads must be >= 0");
  if (threads > 0) kernels::configure_threads(static_cast<int>(threads));
  Bench bench;
  bench.device = device_name == "cuda" ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  const Backend ours = device_name == "cuda" ? Backend::Cuda : Backend::Cpu;
  const std::string ours_name = device_name == "cuda" ? "cuda" : "cpu_tiled";
  const torch::NoGradGuard no_grad;
  torch::manual_seed(0);

  Json results = Json::array();
  const auto opts = torch::TensorOptions().device(bench.device);
  for (const auto n : sizes) {
    const int reps = n <= 4096 ? 3 : 1;
    const auto q = torch::randn({1, heads, n, head_dim}, opts);
    const auto k = torch::randn({1, heads, n, head_dim}, opts);
    const auto v = torch::randn({1, heads, n, head_dim}, opts);
    // The naive path holds scores, probabilities and a mask: about three n x n f32 tensors per head.
    const double naive_bytes =
        3.0 * 4.0 * static_cast<double>(heads) * static_cast<double>(n) * static_cast<double>(n);
    const bool naive_fits = naive_bytes <= naive_limit;
    const std::string naive_note = naive_fits
                                       ? ""
                                       : "naive baseline skipped: needs ~" +
                                             std::to_string(static_cast<long long>(naive_bytes / (1 << 20))) +
                                             " MiB for n x n scores (limit --naive-limit-mb)";
    Json params = Json::object();
    params["n"] = n;
    params["heads"] = heads;
    params["head_dim"] = head_dim;
    params["batch"] = 1;
    gc::log::info("bench kernels: n = " + std::to_string(n));

    const auto flash = [&](Backend b) {
      kernels::FlashOptions o;
      o.backend = b;
      return [&, o] { (void)kernels::flash_attention(q, k, v, o); };
    };
    // Block-sparse attention is compared with dense flash attention, so flash runs for either.
    Measurement flash_ours;
    if (want("flash") || want("block")) flash_ours = bench.measure(flash(ours), reps);
    if (want("flash")) {
      std::optional<std::pair<std::string, Measurement>> base;
      if (naive_fits) base = {{"naive_torch", bench.measure(flash(Backend::Naive), reps)}};
      results.push_back(
          result("flash_forward", ours_name, device_name, params, flash_ours, base, naive_note));
    }

    if (want("flash") && n <= 4096) {
      const auto train = [&](Backend b) {
        return [&, b] {
          const torch::AutoGradMode grad(true);
          auto ql = q.clone().requires_grad_(true), kl = k.clone().requires_grad_(true),
               vl = v.clone().requires_grad_(true);
          kernels::FlashOptions o;
          o.backend = b;
          kernels::flash_attention(ql, kl, vl, o).sum().backward();
        };
      };
      const auto t_ours = bench.measure(train(ours), reps);
      results.push_back(result("flash_forward_backward", ours_name, device_name, params, t_ours,
                               {{"naive_torch", bench.measure(train(Backend::Naive), reps)}}, ""));
    }

    if (want("sliding")) {
      kernels::SlidingWindowOptions so;
      so.window = 256;
      so.global_tokens = {0};
      Json sparams = params;
      sparams["window"] = so.window;
      sparams["global_tokens"] = 1;
      const auto sliding = [&](Backend b) {
        auto o = so;
        o.backend = b;
        return [&, o] { (void)kernels::sliding_window_attention(q, k, v, o); };
      };
      const auto s_ours = bench.measure(sliding(ours), reps);
      std::optional<std::pair<std::string, Measurement>> s_base;
      if (naive_fits) s_base = {{"naive_torch_masked", bench.measure(sliding(Backend::Naive), reps)}};
      results.push_back(
          result("sliding_window_forward", ours_name, device_name, sparams, s_ours, s_base, naive_note));
    }
    if (!want("block")) continue;

    // BigBird layout near 5 % density: the diagonal band (3 blocks per row) plus random blocks.
    const std::int64_t block = 64;
    const std::int64_t nb = (n + block - 1) / block;
    kernels::BigBirdOptions bb;
    bb.local_blocks = 1;
    bb.random_blocks = std::max<std::int64_t>(
        0, static_cast<std::int64_t>(std::llround(0.05 * static_cast<double>(nb))) - 3);
    bb.seed = 7;
    kernels::BlockSparseOptions bo;
    bo.layout = kernels::make_bigbird_layout(n, block, bb);
    bo.backend = ours;
    Json bparams = params;
    bparams["block"] = block;
    bparams["density"] = bo.layout.density();
    const auto b_ours = bench.measure([&] { (void)kernels::block_sparse_attention(q, k, v, bo); }, reps);
    results.push_back(result("block_sparse_forward", ours_name, device_name, bparams, b_ours,
                             {{"flash_dense_" + ours_name, flash_ours}},
                             "baseline: dense flash attention of this run at the same n"));
  }

  // GATv2 forward + backward on a random graph (edge features, 4 heads x 16 channels).
  if (want("gatv2")) {
    const std::int64_t H = 4, C = 16;
    const auto src = torch::randint(0, graph_nodes, {graph_edges}, torch::kLong);
    const auto dst = torch::randint(0, graph_nodes, {graph_edges}, torch::kLong);
    auto g = kernels::GraphCsr::from_edges(src, dst, graph_nodes);
    g = kernels::GraphCsr{g.row_ptr.to(bench.device), g.col_idx.to(bench.device)};
    const auto xs = torch::randn({graph_nodes, H, C}, opts), xd = torch::randn({graph_nodes, H, C}, opts);
    const auto xe = torch::randn({graph_edges, H, C}, opts), att = torch::randn({H, C}, opts);
    const auto gat = [&](Backend b) {
      return [&, b] {
        const torch::AutoGradMode grad(true);
        auto a = xs.clone().requires_grad_(true), c = xd.clone().requires_grad_(true),
             e = xe.clone().requires_grad_(true), w = att.clone().requires_grad_(true);
        kernels::Gatv2Options o;
        o.backend = b;
        kernels::gatv2_aggregate(a, c, e, w, g, o).sum().backward();
      };
    };
    Json params = Json::object();
    params["nodes"] = graph_nodes;
    params["edges"] = graph_edges;
    params["heads"] = H;
    params["channels"] = C;
    gc::log::info("bench kernels: gatv2");
    const auto g_ours = bench.measure(gat(ours), 1);
    results.push_back(result("gatv2_forward_backward", ours_name, device_name, params, g_ours,
                             {{"naive_torch_gather", bench.measure(gat(Backend::Naive), 1)}}, ""));
  }

  Json out = Json::object();
  out["suite"] = "kernels";
  out["machine"] = machine_description();
  out["results"] = std::move(results);
  return out;
}

const BenchRegistration kernels_bench{
    {"kernels",
     "attention kernels vs naive torch: kernels [--device cpu|cuda] [--sizes 512,4096,16384] [--heads 8] "
     "[--head-dim 64] [--graph-nodes N] [--graph-edges E] [--naive-limit-mb MB] [--ops "
     "flash,sliding,block,gatv2]",
     run_kernels_bench}};

} // namespace
} // namespace gc::cli
