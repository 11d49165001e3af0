// GenoCircuit: modules, training and scoring (see the header for the model).
#include "gc/model/genocircuit.h"

#include "container.h"

#include "gc/kernels/flash_attention.h"
#include "gc/kernels/gatv2.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <numeric>
#include <sstream>

namespace gc::model {

namespace {

std::int64_t peak_rss_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
}

torch::Device parse_device(const std::string& text) {
  try {
    torch::Device device(text);
    if (device.is_cuda() && !torch::cuda::is_available())
      throw InputError("device '" + text + "' requested but LibTorch sees no CUDA device");
    return device;
  } catch (const c10::Error&) {
    throw InputError("unknown device '" + text + "' (use cpu, cuda or cuda:N)");
  }
}

// Per-gene z-scores over cells (population sd); constant genes become 0.
torch::Tensor standardise_columns(const torch::Tensor& x) {
  const auto mean = x.mean(0, true);
  const auto sd = x.std(0, /*unbiased=*/false, true);
  return (x - mean) / sd.clamp_min(1e-6) * (sd > 1e-6).to(x.dtype());
}

// Principal components of the genes' profiles (genes as observations) from at most
// `max_cells` cells: [G, k], zero-padded when there are fewer components than k.
torch::Tensor profile_components(const torch::Tensor& z, std::int64_t k, std::int64_t max_cells) {
  auto sample = z;
  if (z.size(0) > max_cells) sample = z.index_select(0, torch::randperm(z.size(0)).slice(0, 0, max_cells));
  auto genes = sample.t().contiguous(); // [G, C]
  genes = genes - genes.mean(0, true);
  auto svd = torch::linalg_svd(genes.to(torch::kDouble), /*full_matrices=*/false, c10::nullopt);
  const auto& u = std::get<0>(svd);
  const auto& s = std::get<1>(svd);
  const std::int64_t kept = std::min<std::int64_t>(k, s.size(0));
  auto comps = (u.slice(1, 0, kept) * s.slice(0, 0, kept)).to(torch::kFloat);
  comps = comps / comps.std().clamp_min(1e-6);
  if (kept < k) comps = torch::cat({comps, torch::zeros({comps.size(0), k - kept})}, 1);
  return comps;
}

// Local velocity along one lineage: for each cell on it (finite time), the mean expression of
// the `k` next cells minus that of the `k` previous ones, over their time difference. Adds the
// velocity to `sum` and 1 to `count` for every cell that gets one.
void lineage_velocity(const torch::Tensor& z, const float* time, std::int64_t k, torch::Tensor& sum,
                      torch::Tensor& count) {
  const auto cells = z.size(0);
  std::vector<std::int64_t> order;
  for (std::int64_t c = 0; c < cells; ++c)
    if (std::isfinite(time[c])) order.push_back(c);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::int64_t a, std::int64_t b) { return time[a] < time[b]; });
  const auto n = static_cast<std::int64_t>(order.size());
  if (n < 3) return;
  const auto idx = torch::tensor(order, torch::kLong);
  const auto sorted = z.index_select(0, idx);
  // Prefix sums of expression and time make every window an O(G) difference.
  const auto prefix = torch::cat({torch::zeros({1, z.size(1)}), sorted.cumsum(0)}, 0);
  std::vector<double> time_prefix(order.size() + 1, 0.0);
  for (std::size_t i = 0; i < order.size(); ++i)
    time_prefix[i + 1] = time_prefix[i] + time[order[i]];
  const auto mean_time = [&](std::int64_t a, std::int64_t b) {
    return (time_prefix[static_cast<std::size_t>(b)] - time_prefix[static_cast<std::size_t>(a)]) /
           static_cast<double>(b - a);
  };
  auto sorted_velocity = torch::zeros_like(sorted);
  std::vector<std::int64_t> rows;
  for (std::int64_t r = 0; r < n; ++r) {
    const auto lo = std::max<std::int64_t>(0, r - k);
    const auto hi = std::min<std::int64_t>(n, r + k + 1);
    // Windows [lo, r) and (r, hi); at the ends the cell itself stands in for the missing side.
    const auto prev_a = r > lo ? lo : r, prev_b = r > lo ? r : r + 1;
    const auto next_a = hi > r + 1 ? r + 1 : r, next_b = hi > r + 1 ? hi : r + 1;
    const double t_prev = mean_time(prev_a, prev_b);
    const double t_next = mean_time(next_a, next_b);
    if (t_next - t_prev <= 1e-9) continue;
    const auto m_prev = (prefix[prev_b] - prefix[prev_a]) / static_cast<double>(prev_b - prev_a);
    const auto m_next = (prefix[next_b] - prefix[next_a]) / static_cast<double>(next_b - next_a);
    sorted_velocity[r] = (m_next - m_prev) / (t_next - t_prev);
    rows.push_back(r);
  }
  if (rows.empty()) return;
  const auto row_idx = torch::tensor(rows, torch::kLong);
  const auto cells_idx = idx.index_select(0, row_idx);
  sum.index_add_(0, cells_idx, sorted_velocity.index_select(0, row_idx));
  count.index_add_(0, cells_idx, torch::ones({cells_idx.size(0)}));
}

// Velocity along pseudotime, lineage by lineage (a cell on several lineages, such as a shared
// root, gets their mean), z-scaled per gene. Returns [C, G] and a [C] mask of cells with one.
std::pair<torch::Tensor, torch::Tensor> pseudotime_velocity(const torch::Tensor& z,
                                                            const std::vector<float>& time, std::int64_t k) {
  const auto cells = z.size(0);
  auto sum = torch::zeros_like(z);
  auto count = torch::zeros({cells});
  for (std::size_t offset = 0; offset + static_cast<std::size_t>(cells) <= time.size();
       offset += static_cast<std::size_t>(cells))
    lineage_velocity(z, time.data() + offset, k, sum, count);
  const auto valid = count > 0;
  auto velocity = torch::zeros_like(z);
  if (valid.sum().item<std::int64_t>() < 3) return {velocity, torch::zeros({cells}, torch::kBool)};
  const auto cells_idx = valid.nonzero().squeeze(1);
  auto kept = sum.index_select(0, cells_idx) / count.index_select(0, cells_idx).unsqueeze(1);
  kept = kept / kept.std(0, false, true).clamp_min(1e-6);
  velocity.index_copy_(0, cells_idx, kept);
  return {velocity, valid};
}

// Sinusoidal encoding of (chromosome, TSS): wavelengths from 1 kb to ~10 Mb over half the
// channels for the position, the other half for the chromosome index; unknown loci get zeros.
torch::Tensor coordinate_encoding(const std::vector<std::int32_t>& chrom,
                                  const std::vector<std::int64_t>& position, std::int64_t dim) {
  const auto genes = static_cast<std::int64_t>(chrom.size());
  auto pe = torch::zeros({genes, dim});
  auto acc = pe.accessor<float, 2>();
  const std::int64_t half = dim / 2;
  for (std::int64_t g = 0; g < genes; ++g) {
    if (chrom[static_cast<std::size_t>(g)] < 0) continue;
    const double pos = static_cast<double>(position[static_cast<std::size_t>(g)]);
    for (std::int64_t i = 0; i + 1 < half; i += 2) {
      const double wavelength = 1e3 * std::pow(1e4, static_cast<double>(i) / static_cast<double>(half));
      acc[g][i] = static_cast<float>(std::sin(2.0 * M_PI * pos / wavelength));
      acc[g][i + 1] = static_cast<float>(std::cos(2.0 * M_PI * pos / wavelength));
    }
    const double c = chrom[static_cast<std::size_t>(g)];
    for (std::int64_t i = half; i + 1 < dim; i += 2) {
      const double wavelength =
          2.0 * std::pow(64.0, static_cast<double>(i - half) / static_cast<double>(dim - half));
      acc[g][i] = static_cast<float>(std::sin(2.0 * M_PI * c / wavelength));
      acc[g][i + 1] = static_cast<float>(std::cos(2.0 * M_PI * c / wavelength));
    }
  }
  return pe;
}

// The local module: stride-3 k = 9 convolution, then residual dilated convolutions, pooled.
struct SequenceEncoderImpl : torch::nn::Module {
  SequenceEncoderImpl(std::int64_t channels, std::int64_t blocks, std::int64_t dim) {
    stem = register_module("stem",
                           torch::nn::Conv1d(torch::nn::Conv1dOptions(4, channels, 9).stride(3).padding(4)));
    for (std::int64_t b = 0; b < blocks; ++b) {
      const std::int64_t dilation = std::int64_t{2} << b;
      dilated.push_back(register_module(
          "dilated" + std::to_string(b),
          torch::nn::Conv1d(
              torch::nn::Conv1dOptions(channels, channels, 3).dilation(dilation).padding(dilation))));
    }
    out = register_module("out", torch::nn::Linear(2 * channels, dim));
  }
  // onehot [G, 4, L] -> [G, dim]
  torch::Tensor forward(const torch::Tensor& onehot) {
    // Pooling after the stem keeps the dilated blocks cheap on kilobase promoters.
    auto h = torch::max_pool1d(torch::relu(stem->forward(onehot)), 3, 3, 0, 1, /*ceil_mode=*/true);
    for (auto& conv : dilated)
      h = h + torch::relu(conv->forward(h));
    return out->forward(torch::cat({h.mean(2), std::get<0>(h.max(2))}, 1));
  }
  torch::nn::Conv1d stem{nullptr};
  std::vector<torch::nn::Conv1d> dilated;
  torch::nn::Linear out{nullptr};
};
TORCH_MODULE(SequenceEncoder);

struct NetImpl : torch::nn::Module {
  NetImpl(const GenoCircuitConfig& c, std::int64_t genes, std::int64_t edges, std::int64_t features,
          bool sequence, bool velocity)
      : heads(c.heads), dim(c.dim), feature_dim(features), attention(c.ablation != "no_attention"),
        graph(c.ablation != "no_graph") {
    if (!graph) features = 0;
    expr_proj = register_module("expr_proj", torch::nn::Linear(c.expr_components, c.dim));
    if (sequence) seq = register_module("seq", SequenceEncoder(c.conv_channels, c.conv_blocks, c.dim));
    q = register_module("q", torch::nn::Linear(c.dim, c.dim));
    k = register_module("k", torch::nn::Linear(c.dim, c.dim));
    v = register_module("v", torch::nn::Linear(c.dim, c.dim));
    o = register_module("o", torch::nn::Linear(c.dim, c.dim));
    ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim})));
    kernels::Gatv2LayerOptions gopt;
    gopt.in_dim = c.dim;
    gopt.edge_dim = features;
    gopt.heads = c.heads;
    gopt.out_dim = c.dim / c.heads;
    gat = register_module("gat", kernels::Gatv2Layer(gopt));
    ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim})));
    score_src = register_module("score_src", torch::nn::Linear(c.dim, c.dim));
    score_dst = register_module("score_dst", torch::nn::Linear(c.dim, c.dim));
    if (features > 0) {
      score_edge = register_module("score_edge", torch::nn::Linear(features, c.dim));
      prior = register_module("prior", torch::nn::Linear(features, 1));
    }
    score_att =
        register_parameter("score_att", torch::randn({c.dim}) / std::sqrt(static_cast<double>(c.dim)));
    // Slopes of the piecewise-linear edge functions: row 0 above the gene's mean, row 1 below.
    weight = register_parameter("weight", torch::randn({2, edges}) * 0.01);
    bias = register_parameter("bias", torch::zeros({genes}));
    if (velocity) {
      vweight = register_parameter("vweight", torch::randn({2, edges}) * 0.01);
      vbias = register_parameter("vbias", torch::zeros({genes}));
      decay = register_parameter("decay", torch::zeros({genes}));
    }
  }

  // Logits of A for every candidate edge (input order).
  // `sequence` is the local module's output, or undefined without sequences.
  torch::Tensor logits(const torch::Tensor& components, const torch::Tensor& sequence,
                       const torch::Tensor& coords, const torch::Tensor& src, const torch::Tensor& dst,
                       const torch::Tensor& features, const torch::Tensor& features_csr,
                       const kernels::GraphCsr& csr) {
    const auto genes = components.size(0);
    const auto h_expr = expr_proj->forward(components);
    auto kv = sequence.defined() ? sequence : h_expr;
    if (coords.defined()) kv = kv + coords;
    const auto split = [&](const torch::Tensor& t) {
      return t.view({1, genes, heads, dim / heads}).transpose(1, 2).contiguous();
    };
    torch::Tensor h;
    if (attention) {
      auto attended =
          kernels::flash_attention(split(q->forward(h_expr)), split(k->forward(kv)), split(v->forward(kv)));
      attended = attended.transpose(1, 2).reshape({genes, dim});
      h = ln1->forward(h_expr + o->forward(attended));
    } else {
      h = ln1->forward(sequence.defined() ? h_expr + kv : h_expr);
    }
    if (!graph) {
      auto pre = score_src->forward(h).index_select(0, src) + score_dst->forward(h).index_select(0, dst);
      return torch::leaky_relu(pre, 0.2).matmul(score_att);
    }
    h = ln2->forward(h + gat->forward(h, features_csr, csr));
    auto pre = score_src->forward(h).index_select(0, src) + score_dst->forward(h).index_select(0, dst);
    if (score_edge) pre = pre + score_edge->forward(features);
    auto logit = torch::leaky_relu(pre, 0.2).matmul(score_att);
    if (prior) logit = logit + prior->forward(features).squeeze(1);
    return logit;
  }

  std::int64_t heads;
  std::int64_t dim;
  std::int64_t feature_dim;
  bool attention; // cross-attention between genes (off: pure GNN)
  bool graph;     // GATv2 layer and prior features (off: pure transformer)
  torch::nn::Linear expr_proj{nullptr}, q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
  SequenceEncoder seq{nullptr};
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  kernels::Gatv2Layer gat{nullptr};
  torch::nn::Linear score_src{nullptr}, score_dst{nullptr}, score_edge{nullptr}, prior{nullptr};
  torch::Tensor score_att, weight, bias, vweight, vbias, decay;
};
TORCH_MODULE(Net);

void check_finite(double value, int epoch, const char* term) {
  if (!std::isfinite(value))
    throw Error("training stopped at epoch " + std::to_string(epoch) + ": the " + term + " loss is " +
                (std::isnan(value) ? "NaN" : "infinite") +
                " (try a lower learning rate, or check the expression values)");
}

} // namespace

// ---- configuration ----------------------------------------------------------------------

Json GenoCircuitConfig::to_json() const {
  Json j = Json::object();
  j["dim"] = dim;
  j["heads"] = heads;
  j["expr_components"] = expr_components;
  j["pca_cells"] = pca_cells;
  j["conv_channels"] = conv_channels;
  j["conv_blocks"] = conv_blocks;
  j["velocity_neighbours"] = velocity_neighbours;
  j["epochs"] = epochs;
  j["batch_cells"] = batch_cells;
  j["learning_rate"] = learning_rate;
  j["mask_fraction"] = mask_fraction;
  j["sparsity"] = sparsity;
  j["weight_decay"] = weight_decay;
  j["supervised_weight"] = supervised_weight;
  j["holdout_fraction"] = holdout_fraction;
  j["seed"] = static_cast<std::int64_t>(seed);
  j["device"] = device;
  j["ablation"] = ablation;
  j["context_scores"] = context_scores;
  j["prior_weight"] = prior_weight;
  return j;
}

GenoCircuitConfig GenoCircuitConfig::from_json(const Json& json) {
  if (!json.is_object()) throw InputError("model configuration must be a JSON object");
  GenoCircuitConfig c;
  for (const auto& [key, value] : json.as_object()) {
    const auto integer = [&](std::int64_t& out) {
      if (!value.is_int()) throw InputError("model configuration: '" + key + "' must be an integer");
      out = value.as_int();
    };
    const auto number = [&](double& out) {
      if (!value.is_number()) throw InputError("model configuration: '" + key + "' must be a number");
      out = value.as_double();
    };
    std::int64_t tmp = 0;
    if (key == "dim")
      integer(c.dim);
    else if (key == "heads")
      integer(c.heads);
    else if (key == "expr_components")
      integer(c.expr_components);
    else if (key == "pca_cells")
      integer(c.pca_cells);
    else if (key == "conv_channels")
      integer(c.conv_channels);
    else if (key == "conv_blocks")
      integer(c.conv_blocks);
    else if (key == "velocity_neighbours")
      integer(c.velocity_neighbours);
    else if (key == "epochs") {
      integer(tmp);
      c.epochs = static_cast<int>(tmp);
    } else if (key == "batch_cells")
      integer(c.batch_cells);
    else if (key == "learning_rate")
      number(c.learning_rate);
    else if (key == "mask_fraction")
      number(c.mask_fraction);
    else if (key == "sparsity")
      number(c.sparsity);
    else if (key == "weight_decay")
      number(c.weight_decay);
    else if (key == "supervised_weight")
      number(c.supervised_weight);
    else if (key == "prior_weight")
      number(c.prior_weight);
    else if (key == "holdout_fraction")
      number(c.holdout_fraction);
    else if (key == "seed") {
      integer(tmp);
      if (tmp < 0) throw InputError("model configuration: 'seed' must be non-negative");
      c.seed = static_cast<std::uint64_t>(tmp);
    } else if (key == "device") {
      if (!value.is_string()) throw InputError("model configuration: 'device' must be a string");
      c.device = value.as_string();
    } else if (key == "ablation") {
      if (!value.is_string()) throw InputError("model configuration: 'ablation' must be a string");
      c.ablation = value.as_string();
    } else if (key == "context_scores") {
      if (!value.is_bool()) throw InputError("model configuration: 'context_scores' must be true or false");
      c.context_scores = value.as_bool();
    } else
      throw InputError("model configuration: unknown key '" + key + "'");
  }
  c.validate();
  return c;
}

void GenoCircuitConfig::validate() const {
  const auto positive = [](std::int64_t v, const char* name) {
    if (v <= 0) throw InputError(std::string("model configuration: '") + name + "' must be positive");
  };
  positive(dim, "dim");
  positive(heads, "heads");
  positive(expr_components, "expr_components");
  positive(pca_cells, "pca_cells");
  positive(conv_channels, "conv_channels");
  positive(conv_blocks, "conv_blocks");
  positive(velocity_neighbours, "velocity_neighbours");
  positive(epochs, "epochs");
  positive(batch_cells, "batch_cells");
  if (dim % heads != 0) throw InputError("model configuration: 'dim' must be a multiple of 'heads'");
  if (ablation != "none" && ablation != "no_attention" && ablation != "no_graph" && ablation != "prior_only")
    throw InputError("model configuration: 'ablation' must be none, no_attention, no_graph or prior_only");
  if (!(learning_rate > 0.0) || !std::isfinite(learning_rate))
    throw InputError("model configuration: 'learning_rate' must be positive");
  if (!(mask_fraction > 0.0 && mask_fraction < 1.0))
    throw InputError("model configuration: 'mask_fraction' must be in (0, 1)");
  if (!(holdout_fraction >= 0.0 && holdout_fraction < 1.0))
    throw InputError("model configuration: 'holdout_fraction' must be in [0, 1)");
  for (const auto& [v, name] :
       {std::pair{sparsity, "sparsity"}, std::pair{weight_decay, "weight_decay"},
        std::pair{supervised_weight, "supervised_weight"}, std::pair{prior_weight, "prior_weight"}})
    if (!(v >= 0.0) || !std::isfinite(v))
      throw InputError(std::string("model configuration: '") + name + "' must be non-negative");
}

void GrnInputs::validate() const {
  const auto g = num_genes();
  if (g < 2) throw InputError("the model needs at least 2 genes");
  if (cells < 0 || expression.size() != static_cast<std::size_t>(cells * g))
    throw InputError("expression holds " + std::to_string(expression.size()) + " values for " +
                     std::to_string(cells) + " cells x " + std::to_string(g) + " genes");
  for (std::size_t i = 0; i < expression.size(); ++i)
    if (!std::isfinite(expression[i]))
      throw InputError("expression value of gene '" + genes[i % genes.size()] + "' in cell " +
                       std::to_string(i / genes.size() + 1) + " is not finite");
  if (!pseudotime.empty() && (cells == 0 || pseudotime.size() % static_cast<std::size_t>(cells) != 0))
    throw InputError("pseudotime has " + std::to_string(pseudotime.size()) + " values for " +
                     std::to_string(cells) + " cells (one per cell for each lineage)");
  if (!sequences.empty() &&
      (sequence_length <= 0 || sequences.size() != static_cast<std::size_t>(g * sequence_length)))
    throw InputError("sequences do not hold one sequence of the stated length per gene");
  if (chrom.size() != position.size() || (!chrom.empty() && chrom.size() != genes.size()))
    throw InputError("genomic coordinates must be given for every gene or for none");
  if (edge_src.size() != edge_dst.size())
    throw InputError("candidate edge sources and targets differ in number");
  if (edge_src.empty()) throw InputError("the candidate graph has no edges");
  for (std::size_t e = 0; e < edge_src.size(); ++e) {
    if (edge_src[e] < 0 || edge_src[e] >= g || edge_dst[e] < 0 || edge_dst[e] >= g)
      throw InputError("candidate edge " + std::to_string(e) + " names a gene index out of range");
    if (edge_src[e] == edge_dst[e])
      throw InputError("candidate edge " + std::to_string(e) + " is a self edge");
  }
  if (edge_features.size() != edge_src.size() * edge_feature_names.size())
    throw InputError("edge features do not hold one row per candidate edge");
  for (float f : edge_features)
    if (!std::isfinite(f)) throw InputError("an edge prior feature is not finite");
  if (!edge_labels.empty() && edge_labels.size() != edge_src.size())
    throw InputError("edge labels do not hold one label per candidate edge");
}

Json TrainLog::to_json() const {
  Json j = Json::object();
  Json rows = Json::array();
  for (const auto& e : epochs) {
    Json r = Json::object();
    r["epoch"] = e.epoch;
    r["loss"] = e.loss;
    r["imputation"] = e.imputation;
    r["velocity"] = e.velocity;
    r["supervised"] = e.supervised;
    r["prior"] = e.prior;
    r["penalty"] = e.penalty;
    r["mean_a"] = e.sparsity;
    r["seconds"] = e.seconds;
    rows.as_array().push_back(std::move(r));
  }
  j["epochs"] = std::move(rows);
  j["device"] = device;
  j["seconds"] = seconds;
  j["parameters"] = parameters;
  j["peak_bytes"] = peak_bytes;
  j["supervised"] = supervised;
  j["heldout_edges"] = Json::array_of(heldout_edges);
  return j;
}

TrainLog TrainLog::from_json(const Json& json) {
  TrainLog log;
  for (const auto& r : json.at("epochs").as_array()) {
    EpochLog e;
    e.epoch = static_cast<int>(r.at("epoch").as_int());
    e.loss = r.at("loss").as_double();
    e.imputation = r.at("imputation").as_double();
    e.velocity = r.at("velocity").as_double();
    e.supervised = r.at("supervised").as_double();
    // Absent from checkpoints written before these terms were logged.
    if (const auto* v = r.find("prior")) e.prior = v->as_double();
    if (const auto* v = r.find("penalty")) e.penalty = v->as_double();
    e.sparsity = r.at("mean_a").as_double();
    e.seconds = r.at("seconds").as_double();
    log.epochs.push_back(e);
  }
  log.device = json.at("device").as_string();
  log.seconds = json.at("seconds").as_double();
  log.parameters = json.at("parameters").as_int();
  log.peak_bytes = json.at("peak_bytes").as_int();
  log.supervised = json.at("supervised").as_bool();
  for (const auto& v : json.at("heldout_edges").as_array())
    log.heldout_edges.push_back(v.as_int());
  return log;
}

// ---- the model --------------------------------------------------------------------------

struct GenoCircuit::Impl {
  GenoCircuitConfig config;
  GrnInputs inputs;
  TrainLog log;
  torch::Device device{torch::kCPU};
  Net net{nullptr};
  // Derived inputs, on `device`.
  torch::Tensor z, velocity, velocity_valid; // [C, G], [C, G], [C]; empty after load()
  torch::Tensor components, onehot, coords;  // [G, k], [G, 4, L] or undefined, [G, dim] or undefined
  torch::Tensor src, dst, features, features_csr;
  kernels::GraphCsr csr;

  bool has_velocity() const { return net->vweight.defined(); }

  void prepare_graph() {
    const auto g = inputs.num_genes();
    const auto e = inputs.num_edges();
    const auto f = inputs.feature_dim();
    src = torch::tensor(inputs.edge_src, torch::kLong);
    dst = torch::tensor(inputs.edge_dst, torch::kLong);
    features =
        f > 0
            ? torch::from_blob(const_cast<float*>(inputs.edge_features.data()), {e, f}, torch::kFloat).clone()
            : torch::zeros({e, 0});
    if (f > 0) {
      // Priors arrive on different scales (log-odds, contact counts): standardise each.
      const auto sd = features.std(0, false, true);
      features = (features - features.mean(0, true)) / sd.clamp_min(1e-6) * (sd > 1e-6).to(torch::kFloat);
    }
    torch::Tensor perm;
    csr = kernels::GraphCsr::from_edges(src, dst, g, &perm);
    features_csr = f > 0 ? features.index_select(0, perm) : torch::Tensor();
    if (!inputs.sequences.empty()) {
      const auto codes = torch::from_blob(const_cast<std::uint8_t*>(inputs.sequences.data()),
                                          {g, inputs.sequence_length}, torch::kUInt8)
                             .to(torch::kLong);
      // N (code 4) becomes the all-zero column.
      onehot = torch::one_hot(codes, 5).slice(2, 0, 4).permute({0, 2, 1}).to(torch::kFloat).contiguous();
    }
    if (!inputs.chrom.empty()) coords = coordinate_encoding(inputs.chrom, inputs.position, config.dim);
    src = src.to(device);
    dst = dst.to(device);
    features = features.to(device);
    if (features_csr.defined()) features_csr = features_csr.to(device);
    csr.row_ptr = csr.row_ptr.to(device);
    csr.col_idx = csr.col_idx.to(device);
    if (onehot.defined()) onehot = onehot.to(device);
    if (coords.defined()) coords = coords.to(device);
  }

  void prepare_expression() {
    const auto g = inputs.num_genes();
    auto x = torch::from_blob(inputs.expression.data(), {inputs.cells, g}, torch::kFloat).clone();
    z = standardise_columns(x);
    components = profile_components(z, config.expr_components, config.pca_cells);
    if (has_velocity() && !inputs.pseudotime.empty()) {
      auto [vel, valid] = pseudotime_velocity(z, inputs.pseudotime, config.velocity_neighbours);
      velocity = vel.to(device);
      velocity_valid = valid.to(device);
    }
    z = z.to(device);
    components = components.to(device);
  }

  // The local module is the costliest part of a step and its input never changes: in training
  // its output is recomputed with gradients every `refresh` steps and reused (detached) between.
  torch::Tensor sequence_cache;
  torch::Tensor logits(bool refresh = true) {
    torch::Tensor sequence;
    if (net->seq) {
      if (refresh || !sequence_cache.defined()) {
        sequence = net->seq->forward(onehot);
        sequence_cache = sequence.detach();
      } else {
        sequence = sequence_cache;
      }
    }
    return net->logits(components, sequence, coords, src, dst, features, features_csr, csr);
  }

  // Sum over the incoming edges of each target of the piecewise-linear edge functions
  // a_e * (w+ max(x, 0) + w- min(x, 0)) of the regulator's value: [B, G] -> [B, G].
  torch::Tensor propagate(const torch::Tensor& x, const torch::Tensor& a, const torch::Tensor& w) const {
    return torch::relu(x).mm(dense(a * w[0])) + torch::clamp_max(x, 0.0).mm(dense(a * w[1]));
  }

  // Dense G x G matrix holding `values` at (src, dst); differentiable in `values`.
  torch::Tensor dense(const torch::Tensor& values) const {
    const auto g = inputs.num_genes();
    return torch::zeros({g, g}, values.options()).index_put({src, dst}, values);
  }
};

GenoCircuit::GenoCircuit(GenoCircuitConfig config, GrnInputs inputs) : m_impl(std::make_unique<Impl>()) {
  config.validate();
  inputs.validate();
  if (inputs.cells < 2) throw InputError("the model needs at least 2 cells or samples");
  m_impl->config = std::move(config);
  m_impl->inputs = std::move(inputs);
  m_impl->device = parse_device(m_impl->config.device);
  torch::manual_seed(m_impl->config.seed);
  const auto& in = m_impl->inputs;
  m_impl->net = Net(m_impl->config, in.num_genes(), in.num_edges(), in.feature_dim(), !in.sequences.empty(),
                    !in.pseudotime.empty());
  m_impl->net->to(m_impl->device);
  m_impl->prepare_graph();
  m_impl->prepare_expression();
}

GenoCircuit::~GenoCircuit() = default;
GenoCircuit::GenoCircuit(GenoCircuit&&) noexcept = default;
GenoCircuit& GenoCircuit::operator=(GenoCircuit&&) noexcept = default;

const GenoCircuitConfig& GenoCircuit::config() const noexcept { return m_impl->config; }
const GrnInputs& GenoCircuit::inputs() const noexcept { return m_impl->inputs; }
const TrainLog& GenoCircuit::log() const noexcept { return m_impl->log; }

void GenoCircuit::set_expression(std::vector<float> expression, std::int64_t cells,
                                 std::vector<float> pseudotime) {
  auto& in = m_impl->inputs;
  GrnInputs probe = in;
  probe.expression = std::move(expression);
  probe.cells = cells;
  probe.pseudotime = std::move(pseudotime);
  probe.validate();
  if (cells < 2) throw InputError("the model needs at least 2 cells or samples");
  if (m_impl->has_velocity() && probe.pseudotime.empty())
    throw InputError("this model was trained with pseudotime: give the pseudotime of the new cells too");
  if (!m_impl->has_velocity()) probe.pseudotime.clear();
  in.expression = std::move(probe.expression);
  in.cells = cells;
  in.pseudotime = std::move(probe.pseudotime);
  m_impl->prepare_expression();
}

TrainLog GenoCircuit::train(const Progress& progress, const EpochCallback& on_epoch) {
  auto& m = *m_impl;
  if (!m.z.defined() || m.inputs.cells == 0)
    throw InputError("this model holds no expression to train on (a loaded checkpoint needs set_expression)");
  if (m.config.ablation == "prior_only") {
    if (m.inputs.feature_dim() == 0)
      throw InputError("the prior_only ablation needs prior features (motifs)");
    m.log = TrainLog{};
    m.log.device = m.device.str();
    return m.log;
  }
  if (m_impl->has_velocity() && !m_impl->velocity.defined())
    throw InputError("this model was built with pseudotime, but its expression has none");
  const auto& c = m.config;
  torch::manual_seed(c.seed);
  const auto start = std::chrono::steady_clock::now();
  const auto cells = m.inputs.cells;
  const auto genes = m.inputs.num_genes();
  const auto edges = m.inputs.num_edges();
  const auto batch = std::min<std::int64_t>(c.batch_cells, cells);
  // Small data sets (DREAM4's few hundred samples) are resampled so that an epoch is never
  // fewer than 10 optimiser steps.
  const auto steps = std::max<std::int64_t>(10, (cells + batch - 1) / batch);

  TrainLog log;
  log.device = m.device.str();
  for (const auto& p : m.net->parameters())
    log.parameters += p.numel();

  torch::Tensor labels, train_mask;
  double pos_weight = 1.0;
  if (!m.inputs.edge_labels.empty()) {
    labels = torch::tensor(std::vector<float>(m.inputs.edge_labels.begin(), m.inputs.edge_labels.end()),
                           torch::kFloat);
    // A seeded split of the labelled candidates, stratified by label so both sides have positives.
    auto heldout = torch::zeros({edges}, torch::kBool);
    for (int cls = 0; cls < 2; ++cls) {
      const auto members = (labels == static_cast<float>(cls)).nonzero().squeeze(1);
      const auto n_out =
          static_cast<std::int64_t>(std::floor(c.holdout_fraction * static_cast<double>(members.size(0))));
      if (n_out > 0)
        heldout.index_fill_(0, members.index_select(0, torch::randperm(members.size(0)).slice(0, 0, n_out)),
                            true);
    }
    train_mask = heldout.logical_not();
    const auto idx = heldout.nonzero().squeeze(1);
    log.heldout_edges.assign(idx.data_ptr<std::int64_t>(), idx.data_ptr<std::int64_t>() + idx.numel());
    const double pos = labels.masked_select(train_mask).sum().item<double>();
    const double neg = static_cast<double>(train_mask.sum().item<std::int64_t>()) - pos;
    if (pos < 1.0) throw InputError("none of the reference edges is a candidate edge of the training split");
    pos_weight = neg / pos;
    log.supervised = true;
    labels = labels.to(m.device);
    train_mask = train_mask.to(m.device);
  }

  // Networks of fewer than 1,000 genes train several times faster on one intra-op thread: the
  // per-operation fork/join of LibTorch's pool costs more than the work, and much more on a
  // loaded machine (demo world, 2 busy cores: 0.3-3 s per epoch on 1 thread, 6-22 s on 2).
  const bool tiny = genes < 1000 && m.device.is_cpu();
  const int threads_before = torch::get_num_threads();
  struct RestoreThreads {
    int n;
    bool active;
    ~RestoreThreads() {
      if (active) torch::set_num_threads(n);
    }
  } restore{threads_before, tiny && threads_before > 1};
  if (restore.active) torch::set_num_threads(1);

  torch::Tensor prior_target;
  if (m.inputs.feature_dim() > 0 && m.net->graph) prior_target = torch::sigmoid(m.features.sum(1)).detach();

  torch::optim::Adam optimiser(m.net->parameters(), torch::optim::AdamOptions(c.learning_rate));
  m.net->train();
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    // The gate A and the slopes multiply. Penalising A from the start shuts the gates before any
    // slope has grown (the product's saddle at zero), and training both from the start saturates
    // every gate at 1 (where the sigmoid has no gradient left). So the first third of the epochs
    // fits the slopes with every gate at 1/2, then the gates train with the sparsity penalty
    // ramped up linearly over the next third.
    const int warm = c.epochs / 3;
    const bool gates_fixed = epoch <= warm;
    const double sparsity_now =
        warm == 0 ? c.sparsity
                  : c.sparsity *
                        std::clamp(static_cast<double>(epoch - warm) / static_cast<double>(warm), 0.0, 1.0);
    EpochLog row;
    row.epoch = epoch;
    std::vector<torch::Tensor> passes;
    for (std::int64_t have = 0; have < steps * batch; have += cells)
      passes.push_back(torch::randperm(cells));
    const auto order = torch::cat(passes).to(m.device);
    for (std::int64_t s = 0; s < steps; ++s) {
      progress.check();
      const auto idx = order.slice(0, s * batch, (s + 1) * batch);
      const auto xb = m.z.index_select(0, idx);
      const auto mask = torch::rand({idx.size(0), genes}, xb.options()) < c.mask_fraction;
      const auto xin = xb.masked_fill(mask, 0.0);

      const bool need_logits = !gates_fixed || labels.defined();
      const auto logit = need_logits ? m.logits(s % 4 == 0) : torch::Tensor();
      const auto a = gates_fixed ? torch::full({edges}, 0.5, xb.options()) : torch::sigmoid(logit);
      const auto pred = m.propagate(xin, a, m.net->weight) + m.net->bias;
      const auto maskf = mask.to(xb.dtype());
      const auto imputation = ((pred - xb).pow(2) * maskf).sum() / maskf.sum().clamp_min(1.0);
      // Penalties per target gene (sums over edges / genes), on the scale of one target's MSE.
      const double per_gene = 1.0 / static_cast<double>(genes);
      auto penalty =
          sparsity_now * per_gene * a.sum() + c.weight_decay * per_gene * m.net->weight.pow(2).sum();
      auto loss = imputation + penalty;
      torch::Tensor vel_loss;
      if (m.has_velocity()) {
        const auto valid = m.velocity_valid.index_select(0, idx).to(xb.dtype()).unsqueeze(1);
        const auto vb = m.velocity.index_select(0, idx);
        const auto vpred =
            m.propagate(xb, a, m.net->vweight) - torch::softplus(m.net->decay) * xb + m.net->vbias;
        vel_loss =
            ((vpred - vb).pow(2) * valid).sum() / (valid.sum() * static_cast<double>(genes)).clamp_min(1.0);
        const auto vdecay = c.weight_decay * per_gene * m.net->vweight.pow(2).sum();
        penalty = penalty + vdecay;
        loss = loss + vel_loss + vdecay;
      }
      // Weak anchoring of the gates to the static prior (the prior_only ranking as soft labels), so
      // that strong prior evidence is refined by the data rather than washed out by it.
      torch::Tensor prior_loss;
      if (need_logits && prior_target.defined() && c.prior_weight > 0.0) {
        prior_loss = torch::binary_cross_entropy_with_logits(logit, prior_target);
        loss = loss + c.prior_weight * prior_loss;
      }
      torch::Tensor sup_loss;
      if (labels.defined() && c.supervised_weight > 0.0) {
        const auto bce = torch::binary_cross_entropy_with_logits(
            logit, labels, {}, torch::full({1}, pos_weight, logit.options()), at::Reduction::None);
        sup_loss = (bce * train_mask.to(bce.dtype())).sum() / train_mask.sum().clamp_min(1).to(bce.dtype());
        loss = loss + c.supervised_weight * sup_loss;
      }
      optimiser.zero_grad();
      loss.backward();
      optimiser.step();

      row.loss += loss.item<double>();
      row.imputation += imputation.item<double>();
      if (vel_loss.defined()) row.velocity += vel_loss.item<double>();
      if (sup_loss.defined()) row.supervised += sup_loss.item<double>();
      if (prior_loss.defined()) row.prior += prior_loss.item<double>();
      row.penalty += penalty.item<double>();
      row.sparsity += a.mean().item<double>();
      progress.update(
          (static_cast<double>(epoch - 1) + static_cast<double>(s + 1) / static_cast<double>(steps)) /
              static_cast<double>(c.epochs),
          "epoch " + std::to_string(epoch) + "/" + std::to_string(c.epochs));
    }
    const auto n = static_cast<double>(steps);
    row.loss /= n;
    row.imputation /= n;
    row.velocity /= n;
    row.supervised /= n;
    row.prior /= n;
    row.penalty /= n;
    row.sparsity /= n;
    check_finite(row.imputation, epoch, "imputation");
    check_finite(row.velocity, epoch, "velocity");
    check_finite(row.supervised, epoch, "supervised");
    check_finite(row.loss, epoch, "total");
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    log.epochs.push_back(row);
    if (on_epoch) on_epoch(row);
  }
  m.net->eval();
  log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log.peak_bytes = peak_rss_bytes();
  m.log = log;
  return log;
}

namespace {

// CLR over the sparse candidate graph: z-scores of each edge's score among its source's and its
// destination's edges (population standard deviation; a node with one edge or equal scores
// gives z = 0), combined as sqrt(z_src+^2 + z_dst+^2) and weighted by the edge's own strength.
torch::Tensor context_scores(const torch::Tensor& raw, const torch::Tensor& src, const torch::Tensor& dst,
                             std::int64_t genes) {
  const auto positive_z = [&](const torch::Tensor& node) {
    const auto n =
        torch::zeros({genes}, raw.options()).index_add_(0, node, torch::ones_like(raw)).clamp_min(1.0);
    const auto mean = torch::zeros({genes}, raw.options()).index_add_(0, node, raw) / n;
    const auto centred = raw - mean.index_select(0, node);
    const auto sd = (torch::zeros({genes}, raw.options()).index_add_(0, node, centred * centred) / n).sqrt();
    const auto sd_e = sd.index_select(0, node);
    const auto scale = torch::where(sd_e > 1e-12, sd_e, torch::ones_like(sd_e));
    return torch::where(sd_e > 1e-12, centred / scale, torch::zeros_like(sd_e)).clamp_min(0.0);
  };
  const auto zs = positive_z(src);
  const auto zd = positive_z(dst);
  const auto top = raw.max().clamp_min(1e-300);
  return (zs * zs + zd * zd).sqrt() * (raw / top).sqrt() + 1e-6 * raw / top;
}

} // namespace

EdgeScores GenoCircuit::edge_scores() const {
  torch::NoGradGuard no_grad;
  auto& m = *m_impl;
  if (m.config.ablation == "prior_only") {
    if (m.inputs.feature_dim() == 0)
      throw InputError("the prior_only ablation needs prior features (motifs)");
    const auto score = m.features.sum(1).to(torch::kCPU).to(torch::kDouble).contiguous();
    EdgeScores out;
    out.score.assign(score.data_ptr<double>(), score.data_ptr<double>() + score.numel());
    out.raw = out.score;
    out.probability.assign(out.score.size(), 0.0);
    out.sign.assign(out.score.size(), 0);
    return out;
  }
  const auto a = torch::sigmoid(m.logits()).to(torch::kCPU).to(torch::kDouble);
  auto magnitude = m.net->weight.abs().mean(0).to(torch::kCPU).to(torch::kDouble);
  if (m.net->vweight.defined())
    magnitude = magnitude + m.net->vweight.abs().mean(0).to(torch::kCPU).to(torch::kDouble);
  // The gate carries the priors and the slope the fit: the square root keeps a steep slope from
  // outranking a well-supported gate.
  const auto raw = (a * magnitude.sqrt()).contiguous();
  const auto score = m.config.context_scores ? context_scores(raw, m.src.to(torch::kCPU),
                                                              m.dst.to(torch::kCPU), m.inputs.num_genes())
                                                   .contiguous()
                                             : raw;
  const auto w = m.net->weight.sum(0).to(torch::kCPU).contiguous();
  EdgeScores out;
  const auto e = m.inputs.num_edges();
  out.score.assign(score.data_ptr<double>(), score.data_ptr<double>() + e);
  out.raw.assign(raw.data_ptr<double>(), raw.data_ptr<double>() + e);
  const auto ac = a.contiguous();
  out.probability.assign(ac.data_ptr<double>(), ac.data_ptr<double>() + e);
  out.sign.resize(static_cast<std::size_t>(e));
  const float* wp = w.data_ptr<float>();
  for (std::int64_t i = 0; i < e; ++i)
    out.sign[static_cast<std::size_t>(i)] = wp[i] < 0.0F ? -1 : 1;
  return out;
}

EdgeFunctions GenoCircuit::edge_functions() const {
  torch::NoGradGuard no_grad;
  auto& m = *m_impl;
  EdgeFunctions out;
  out.src = m.inputs.edge_src;
  out.dst = m.inputs.edge_dst;
  const auto to_vector = [](const torch::Tensor& t) {
    const auto c = t.to(torch::kCPU).to(torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  // The prior_only ablation has no trained gates: its edges pass through with their slopes.
  out.gate = m.config.ablation == "prior_only" ? std::vector<float>(out.src.size(), 1.0F)
                                               : to_vector(torch::sigmoid(m.logits()));
  out.w_plus = to_vector(m.net->weight[0]);
  out.w_minus = to_vector(m.net->weight[1]);
  return out;
}

// ---- checkpoints ------------------------------------------------------------------------
//
// Layout: "GCMODEL\n", u32 version, u64 header length, header JSON (config, genes, inputs
// without expression, training log), u64 payload length, payload (a torch archive of the
// weights and the derived inputs), u32 CRC-32 of everything before it.

namespace {

constexpr char checkpoint_magic[8] = {'G', 'C', 'M', 'O', 'D', 'E', 'L', '\n'};

template <typename T>
torch::Tensor vector_tensor(const std::vector<T>& v, torch::ScalarType type) {
  if (v.empty()) return torch::zeros({0}, type);
  return torch::from_blob(const_cast<T*>(v.data()), {static_cast<std::int64_t>(v.size())}, type).clone();
}

template <typename T>
std::vector<T> tensor_vector(const torch::Tensor& t) {
  const auto c = t.contiguous();
  return {c.data_ptr<T>(), c.data_ptr<T>() + c.numel()};
}

} // namespace

void GenoCircuit::save(const std::string& path) const {
  const auto& m = *m_impl;
  Json header = Json::object();
  header["format"] = "genocircuit-model";
  header["version"] = static_cast<std::int64_t>(checkpoint_version);
  header["config"] = m.config.to_json();
  header["genes"] = Json::array_of(m.inputs.genes);
  header["edge_feature_names"] = Json::array_of(m.inputs.edge_feature_names);
  header["sequence_length"] = m.inputs.sequence_length;
  header["pseudotime"] = !m.inputs.pseudotime.empty();
  header["cells"] = m.inputs.cells;
  header["log"] = m.log.to_json();

  torch::serialize::OutputArchive archive;
  m.net->save(archive);
  const auto& in = m.inputs;
  archive.write("input.components", m.components.to(torch::kCPU), true);
  archive.write("input.edge_src", vector_tensor(in.edge_src, torch::kLong), true);
  archive.write("input.edge_dst", vector_tensor(in.edge_dst, torch::kLong), true);
  archive.write("input.edge_features", vector_tensor(in.edge_features, torch::kFloat), true);
  archive.write("input.edge_labels", vector_tensor(in.edge_labels, torch::kUInt8), true);
  archive.write("input.sequences", vector_tensor(in.sequences, torch::kUInt8), true);
  archive.write("input.chrom", vector_tensor(in.chrom, torch::kInt), true);
  archive.write("input.position", vector_tensor(in.position, torch::kLong), true);
  std::ostringstream payload;
  archive.save_to(payload);
  detail::write_container(path, checkpoint_magic, {checkpoint_version, header.dump(), payload.str()});
}

GenoCircuit GenoCircuit::load(const std::string& path, const std::string& device) {
  const auto container =
      detail::read_container(path, checkpoint_magic, checkpoint_version, "GenoCircuit model",
                             "train one with `genocircuit-cli train`");
  const auto& header_text = container.header;
  const auto& payload = container.payload;
  try {
    const auto header = Json::parse(header_text);
    auto config = GenoCircuitConfig::from_json(header.at("config"));
    if (!device.empty()) config.device = device;
    torch::serialize::InputArchive archive;
    std::istringstream stream(payload);
    archive.load_from(stream);
    const auto read = [&](const char* name) {
      torch::Tensor t;
      archive.read(name, t, true);
      return t;
    };
    GrnInputs in;
    for (const auto& g : header.at("genes").as_array())
      in.genes.push_back(g.as_string());
    for (const auto& f : header.at("edge_feature_names").as_array())
      in.edge_feature_names.push_back(f.as_string());
    in.sequence_length = header.at("sequence_length").as_int();
    in.edge_src = tensor_vector<std::int64_t>(read("input.edge_src"));
    in.edge_dst = tensor_vector<std::int64_t>(read("input.edge_dst"));
    in.edge_features = tensor_vector<float>(read("input.edge_features"));
    in.edge_labels = tensor_vector<std::uint8_t>(read("input.edge_labels"));
    in.sequences = tensor_vector<std::uint8_t>(read("input.sequences"));
    in.chrom = tensor_vector<std::int32_t>(read("input.chrom"));
    in.position = tensor_vector<std::int64_t>(read("input.position"));
    // Stand-in expression so that the module is built exactly as trained; the stored gene
    // components replace what it derives.
    const auto g = static_cast<std::int64_t>(in.genes.size());
    in.cells = 2;
    in.expression.assign(static_cast<std::size_t>(2 * g), 0.0F);
    for (std::int64_t i = 0; i < g; ++i)
      in.expression[static_cast<std::size_t>(g + i)] = 1.0F;
    if (header.at("pseudotime").as_bool()) in.pseudotime = {0.0F, 1.0F, 2.0F};
    if (!in.pseudotime.empty()) {
      in.cells = 3;
      in.expression.resize(static_cast<std::size_t>(3 * g), 0.5F);
    }
    GenoCircuit model(config, std::move(in));
    auto& m = *model.m_impl;
    m.net->load(archive);
    m.net->to(m.device);
    m.net->eval();
    m.components = read("input.components").to(m.device);
    m.z = torch::Tensor();
    m.inputs.cells = 0;
    m.inputs.expression.clear();
    m.inputs.pseudotime.clear();
    m.velocity = torch::Tensor();
    m.velocity_valid = torch::Tensor();
    m.log = TrainLog::from_json(header.at("log"));
    return model;
  } catch (const InputError& e) {
    throw InputError(std::string("invalid model checkpoint: ") + e.what()).file(path);
  } catch (const c10::Error& e) {
    throw InputError(std::string("invalid model checkpoint: ") + e.what_without_backtrace()).file(path);
  } catch (const Error& e) {
    throw InputError(std::string("invalid model checkpoint: ") + e.what()).file(path);
  }
}

} // namespace gc::model
