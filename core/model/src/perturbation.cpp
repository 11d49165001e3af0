// The perturbation model: encoder, structural decoder, training and checkpoints (see the header).
#include "gc/model/perturbation.h"

#include "container.h"

#include "gc/util/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>

namespace gc::model {

namespace {

constexpr char perturbation_magic[8] = {'G', 'C', 'P', 'E', 'R', 'T', 'B', '\n'};

torch::Tensor floats(const std::vector<float>& v) {
  if (v.empty()) return torch::zeros({0});
  return torch::from_blob(const_cast<float*>(v.data()), {static_cast<std::int64_t>(v.size())}, torch::kFloat)
      .clone();
}

torch::Tensor longs(const std::vector<std::int64_t>& v) {
  if (v.empty()) return torch::zeros({0}, torch::kLong);
  return torch::from_blob(const_cast<std::int64_t*>(v.data()), {static_cast<std::int64_t>(v.size())},
                          torch::kLong)
      .clone();
}

std::vector<float> to_floats(const torch::Tensor& t) {
  const auto c = t.to(torch::kCPU).to(torch::kFloat).contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

std::vector<std::int64_t> to_longs(const torch::Tensor& t) {
  const auto c = t.to(torch::kCPU).to(torch::kLong).contiguous();
  return {c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + c.numel()};
}

torch::Device device_of(const std::string& text) {
  try {
    torch::Device d(text);
    if (d.is_cuda() && !torch::cuda::is_available())
      throw InputError("device '" + text + "' requested but LibTorch sees no CUDA device");
    return d;
  } catch (const c10::Error&) {
    throw InputError("unknown device '" + text + "' (use cpu, cuda or cuda:N)");
  }
}

void check_finite(const std::vector<float>& v, const std::string& what) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) throw InputError(what + " value " + std::to_string(i + 1) + " is not finite");
}

struct NetImpl : torch::nn::Module {
  NetImpl(const PerturbationConfig& c, std::int64_t edges, std::int64_t groups, std::int64_t genes) {
    const std::int64_t features = 5;
    enc1 = register_module("enc1", torch::nn::Linear(features, c.hidden));
    enc2 = register_module("enc2", torch::nn::Linear(c.hidden, c.hidden));
    mu = register_module("mu", torch::nn::Linear(c.hidden, c.latent));
    logvar = register_module("logvar", torch::nn::Linear(c.hidden, c.latent));
    gain_out = register_module("gain_out", torch::nn::Linear(c.latent, 1));
    // softplus(log(e - 1)) = 1: every target starts with the GRN's own response.
    torch::NoGradGuard no_grad;
    gain_out->weight.zero_();
    gain_out->bias.fill_(std::log(std::expm1(1.0)));
    step_gain = register_parameter("step_gain", torch::ones({c.steps}));
    // One scale for the whole graph: a GRN trained on imputation gives the right shape of the
    // responses but not their size; train() starts it at the best value on a grid.
    log_scale = register_parameter("log_scale", torch::zeros({1}));
    correction = register_parameter("correction", torch::zeros({edges}));
    // The part of the response every perturbation of a group shares (stress, growth, the
    // screen itself) — what the training-mean baseline predicts; train() starts it there.
    shared = register_parameter("shared", torch::zeros({groups, genes}));
  }
  torch::nn::Linear enc1{nullptr}, enc2{nullptr}, mu{nullptr}, logvar{nullptr}, gain_out{nullptr};
  torch::Tensor step_gain, correction, log_scale, shared;
};
TORCH_MODULE(Net);

} // namespace

// ---- configuration ---------------------------------------------------------------------

Json PerturbationConfig::to_json() const {
  Json j = Json::object();
  j["latent"] = latent;
  j["hidden"] = hidden;
  j["steps"] = steps;
  j["epochs"] = epochs;
  j["learning_rate"] = learning_rate;
  j["kl_weight"] = kl_weight;
  j["triplet_weight"] = triplet_weight;
  j["triplet_margin"] = triplet_margin;
  j["correction_weight"] = correction_weight;
  j["samples"] = samples;
  j["seed"] = static_cast<std::int64_t>(seed);
  j["device"] = device;
  return j;
}

PerturbationConfig PerturbationConfig::from_json(const Json& json) {
  if (!json.is_object()) throw InputError("perturbation model configuration must be a JSON object");
  PerturbationConfig c;
  for (const auto& [key, value] : json.as_object()) {
    const auto integer = [&](auto& field) {
      if (!value.is_int())
        throw InputError("perturbation model configuration: '" + key + "' must be an integer");
      field = static_cast<std::remove_reference_t<decltype(field)>>(value.as_int());
    };
    const auto number = [&](double& field) {
      if (!value.is_number())
        throw InputError("perturbation model configuration: '" + key + "' must be a number");
      field = value.as_double();
    };
    if (key == "latent")
      integer(c.latent);
    else if (key == "hidden")
      integer(c.hidden);
    else if (key == "steps")
      integer(c.steps);
    else if (key == "epochs")
      integer(c.epochs);
    else if (key == "learning_rate")
      number(c.learning_rate);
    else if (key == "kl_weight")
      number(c.kl_weight);
    else if (key == "triplet_weight")
      number(c.triplet_weight);
    else if (key == "triplet_margin")
      number(c.triplet_margin);
    else if (key == "correction_weight")
      number(c.correction_weight);
    else if (key == "samples")
      integer(c.samples);
    else if (key == "seed") {
      std::int64_t s = 0;
      integer(s);
      if (s < 0) throw InputError("perturbation model configuration: 'seed' must be non-negative");
      c.seed = static_cast<std::uint64_t>(s);
    } else if (key == "device") {
      if (!value.is_string()) throw InputError("perturbation model configuration: 'device' must be a string");
      c.device = value.as_string();
    } else
      throw InputError("perturbation model configuration: unknown key '" + key + "'");
  }
  c.validate();
  return c;
}

void PerturbationConfig::validate() const {
  const auto positive = [](std::int64_t v, const char* name) {
    if (v <= 0)
      throw InputError(std::string("perturbation model configuration: '") + name + "' must be positive");
  };
  positive(latent, "latent");
  positive(hidden, "hidden");
  positive(steps, "steps");
  positive(epochs, "epochs");
  positive(samples, "samples");
  if (!(learning_rate > 0.0) || !std::isfinite(learning_rate))
    throw InputError("perturbation model configuration: 'learning_rate' must be positive");
  for (const auto& [v, name] :
       {std::pair{kl_weight, "kl_weight"}, std::pair{triplet_weight, "triplet_weight"},
        std::pair{triplet_margin, "triplet_margin"}, std::pair{correction_weight, "correction_weight"}})
    if (!(v >= 0.0) || !std::isfinite(v))
      throw InputError(std::string("perturbation model configuration: '") + name + "' must be non-negative");
}

std::string scale_name(ExpressionScale s) {
  switch (s) {
  case ExpressionScale::log1p: return "log1p";
  case ExpressionScale::log2p1: return "log2p1";
  case ExpressionScale::log2_ratio: return "log2_ratio";
  }
  return "log1p";
}

ExpressionScale parse_scale(const std::string& name) {
  for (auto s : {ExpressionScale::log1p, ExpressionScale::log2p1, ExpressionScale::log2_ratio})
    if (name == scale_name(s)) return s;
  throw InputError("expression scale '" + name + "': expected log1p, log2p1 or log2_ratio");
}

void PerturbationInputs::validate() const {
  const auto g = num_genes();
  const auto e = num_edges();
  if (g < 1) throw InputError("the perturbation model needs at least one gene");
  if (groups.empty()) throw InputError("the perturbation model needs at least one cell group");
  const auto gs = static_cast<std::size_t>(g);
  if (control_mean.size() != groups.size() * gs)
    throw InputError("control means hold " + std::to_string(control_mean.size()) + " values for " +
                     std::to_string(groups.size()) + " groups x " + std::to_string(g) + " genes");
  if (control_sd.size() != gs || floor.size() != gs || ceiling.size() != gs)
    throw InputError("control spreads, floors and ceilings need one value per gene");
  check_finite(control_mean, "control mean");
  check_finite(control_sd, "control spread");
  check_finite(floor, "expression floor");
  check_finite(ceiling, "expression ceiling");
  const auto es = static_cast<std::size_t>(e);
  if (edge_dst.size() != es || edge_gate.size() != es || edge_w_plus.size() != es ||
      edge_w_minus.size() != es)
    throw InputError("the graph's edge lists differ in length");
  for (std::size_t i = 0; i < es; ++i)
    if (edge_src[i] < 0 || edge_src[i] >= g || edge_dst[i] < 0 || edge_dst[i] >= g)
      throw InputError("graph edge " + std::to_string(i + 1) + " names a gene index out of range");
  check_finite(edge_gate, "edge gate");
  check_finite(edge_w_plus, "edge slope");
  check_finite(edge_w_minus, "edge slope");
  for (const auto& x : examples) {
    const std::string where = "perturbation '" + x.label + "'";
    if (x.genes.empty() || x.genes.size() != x.levels.size())
      throw InputError(where + ": needs perturbed genes with one level each");
    for (auto gi : x.genes)
      if (gi < 0 || gi >= g) throw InputError(where + ": gene index out of range");
    for (float l : x.levels)
      if (!(l >= 0.0F) || !std::isfinite(l)) throw InputError(where + ": a level must be finite and >= 0");
    if (x.group < 0 || x.group >= static_cast<std::int64_t>(groups.size()))
      throw InputError(where + ": cell group out of range");
    if (x.delta.size() != gs) throw InputError(where + ": the response needs one value per gene");
    check_finite(x.delta, where + " response");
    if (!(x.weight > 0.0) || !std::isfinite(x.weight)) throw InputError(where + ": weight must be positive");
  }
}

// ---- the model ---------------------------------------------------------------------------

struct PerturbationModel::Impl {
  PerturbationConfig config;
  PerturbationInputs inputs;
  std::vector<PerturbationEpoch> log;
  torch::Device device{torch::kCPU};
  mutable Net net{nullptr};              // forward() is not const in LibTorch
  torch::Tensor src, dst, gate, wp, wm;  // [E]
  torch::Tensor sd, floor, mean;         // [G] (mean: the pooled control mean = the hinge)
  torch::Tensor lo_z, hi_z;              // [G] the range of values seen, in z-scores
  torch::Tensor base_z;                  // [Gr, G] control means in z-scores
  torch::Tensor control;                 // [Gr, G] control means, expression scale
  torch::Tensor adj_src, adj_dst, adj_w; // both directions of |A w|, normalised per node
  torch::Tensor features;                // [Gr, G, 5]
  // Per gene, the edges out of it and into it (graph order), for subgraph().
  std::vector<std::vector<std::int64_t>> out_edges, in_edges;

  std::int64_t genes() const { return inputs.num_genes(); }

  void prepare() {
    const auto g = genes();
    out_edges.assign(static_cast<std::size_t>(g), {});
    in_edges.assign(static_cast<std::size_t>(g), {});
    for (std::int64_t e = 0; e < inputs.num_edges(); ++e) {
      out_edges[static_cast<std::size_t>(inputs.edge_src[static_cast<std::size_t>(e)])].push_back(e);
      in_edges[static_cast<std::size_t>(inputs.edge_dst[static_cast<std::size_t>(e)])].push_back(e);
    }
    const auto groups = static_cast<std::int64_t>(inputs.groups.size());
    src = longs(inputs.edge_src).to(device);
    dst = longs(inputs.edge_dst).to(device);
    gate = floats(inputs.edge_gate).to(device);
    wp = floats(inputs.edge_w_plus).to(device);
    wm = floats(inputs.edge_w_minus).to(device);
    control = floats(inputs.control_mean).view({groups, g}).to(device);
    sd = floats(inputs.control_sd).clamp_min(1e-3).to(device);
    floor = floats(inputs.floor).to(device);
    mean = control.mean(0);
    base_z = (control - mean) / sd;
    lo_z = (torch::minimum(floor, std::get<0>(control.min(0))) - mean) / sd;
    hi_z = (torch::maximum(floats(inputs.ceiling).to(device), std::get<0>(control.max(0))) - mean) / sd;
    // Encoder graph: both directions of every edge, weighted by its strength, row-normalised
    // with a self loop (a gene with no edges keeps its own features).
    const auto strength = gate * 0.5 * (wp.abs() + wm.abs());
    adj_src = torch::cat({src, dst});
    adj_dst = torch::cat({dst, src});
    adj_w = torch::cat({strength, strength});
    const auto degree = torch::ones({g}, sd.options()).index_add(0, adj_dst, adj_w);
    adj_w = adj_w / degree.index_select(0, adj_dst);
    const auto self = 1.0 / degree;
    self_w = self;
    const auto indeg = torch::zeros({g}, sd.options()).index_add(0, dst, torch::ones_like(gate));
    const auto outdeg = torch::zeros({g}, sd.options()).index_add(0, src, torch::ones_like(gate));
    features = torch::stack({base_z, sd.log().expand({groups, g}), indeg.log1p().expand({groups, g}),
                             outdeg.log1p().expand({groups, g}), torch::ones({groups, g}, sd.options())},
                            2);
  }
  torch::Tensor self_w;

  // h [Gr, G, H] -> mean over each gene and its neighbours, weighted.
  torch::Tensor aggregate(const torch::Tensor& h) const {
    auto out = h * self_w.view({1, -1, 1});
    return out.index_add(1, adj_dst, h.index_select(1, adj_src) * adj_w.view({1, -1, 1}));
  }

  // Per-group latent (mean, log-variance) [Gr, G, L].
  std::pair<torch::Tensor, torch::Tensor> encode() const {
    auto h = torch::relu(net->enc1->forward(aggregate(features)));
    h = torch::relu(net->enc2->forward(aggregate(h)));
    return {net->mu->forward(h), net->logvar->forward(h).clamp(-10.0, 10.0)};
  }

  // encode() for predictions, computed once per state of the weights: no query changes it.
  // Whatever changes a parameter in place (an optimiser step, a checkpoint read) moves its
  // version counter, so the sum of the counters tells when to encode again.
  mutable std::mutex encoded_mutex;
  mutable std::int64_t encoded_version = -1;
  mutable std::pair<torch::Tensor, torch::Tensor> encoded;
  std::pair<torch::Tensor, torch::Tensor> encode_for_prediction() const {
    std::int64_t version = 0;
    for (const auto& p : net->parameters())
      version += p._version();
    const std::lock_guard lock(encoded_mutex);
    if (version != encoded_version) {
      encoded = encode();
      encoded_version = version;
    }
    return encoded;
  }

  // The level applied to the control mean `x` (expression scale), element-wise.
  torch::Tensor clamped_value(const torch::Tensor& x, const torch::Tensor& level,
                              const torch::Tensor& lo) const {
    switch (inputs.scale) {
    case ExpressionScale::log1p: return torch::log1p(level * torch::expm1(x.clamp_min(0.0)));
    case ExpressionScale::log2p1: return torch::log2(1.0 + level * (torch::exp2(x.clamp_min(0.0)) - 1.0));
    case ExpressionScale::log2_ratio: break;
    }
    const auto v = x + torch::log2(level.clamp_min(1e-30));
    return torch::where(level > 0, torch::maximum(v, lo), lo);
  }

  // The part of the graph that a batch of predictions needs (see subgraph()).
  struct Subgraph {
    std::vector<std::int64_t> edge_list; // kept edges, in graph order
    std::vector<std::int64_t> gene_list; // genes decoded, ascending; empty: every gene
    torch::Tensor edges, genes;          // the same as tensors (genes undefined: every gene)
    torch::Tensor src, dst;              // [E'] endpoints, as columns of the genes decoded
  };

  // The same numbers with less work. A gene no perturbed gene reaches keeps d exactly 0 (its
  // messages are f(x0) - f(x0) = 0, and 0 is inside its clamp range), so within `steps` steps a
  // message is non-zero only on an edge out of a gene at most steps - 1 edges downstream of a
  // perturbed gene; it reaches an output by the last step only on an edge into a gene at most
  // steps - 1 edges upstream of one. Such a gene keeps every incoming edge that can carry a
  // change in time, in graph order, so its sums are the same. `outputs` null: every gene is
  // one (all genes decoded). nullopt when nearly the whole graph is needed.
  std::optional<Subgraph> subgraph(const std::vector<PerturbationQuery>& queries,
                                   const std::vector<std::int64_t>* outputs) const {
    const auto g = static_cast<std::size_t>(genes());
    const auto reach = [&](std::vector<std::int64_t> frontier,
                           const std::vector<std::vector<std::int64_t>>& edges,
                           const std::vector<std::int64_t>& other_end) {
      std::vector<bool> seen(g, false);
      for (const auto x : frontier)
        seen[static_cast<std::size_t>(x)] = true;
      for (std::int64_t k = 1; k < config.steps && !frontier.empty(); ++k) {
        std::vector<std::int64_t> next;
        for (const auto x : frontier)
          for (const auto e : edges[static_cast<std::size_t>(x)]) {
            const auto y = other_end[static_cast<std::size_t>(e)];
            if (!seen[static_cast<std::size_t>(y)]) {
              seen[static_cast<std::size_t>(y)] = true;
              next.push_back(y);
            }
          }
        frontier = std::move(next);
      }
      return seen;
    };
    std::vector<std::int64_t> perturbed;
    for (const auto& q : queries)
      for (const auto gi : q.genes)
        if (gi >= 0 && gi < genes()) perturbed.push_back(gi);
    const auto down = reach(perturbed, out_edges, inputs.edge_dst);
    const auto up = outputs ? reach(*outputs, in_edges, inputs.edge_src) : std::vector<bool>(g, true);
    Subgraph sub;
    std::vector<bool> used(g, false);
    for (std::int64_t e = 0; e < inputs.num_edges(); ++e) {
      const auto s = static_cast<std::size_t>(inputs.edge_src[static_cast<std::size_t>(e)]),
                 t = static_cast<std::size_t>(inputs.edge_dst[static_cast<std::size_t>(e)]);
      if (!down[s] || !up[t]) continue;
      sub.edge_list.push_back(e);
      used[s] = used[t] = true;
    }
    const auto edges = static_cast<std::size_t>(inputs.num_edges());
    std::vector<std::int64_t> local;
    if (outputs) {
      for (const auto o : *outputs)
        used[static_cast<std::size_t>(o)] = true;
      local.assign(g, -1);
      for (std::size_t i = 0; i < g; ++i)
        if (used[i]) {
          local[i] = static_cast<std::int64_t>(sub.gene_list.size());
          sub.gene_list.push_back(static_cast<std::int64_t>(i));
        }
    }
    if (10 * sub.edge_list.size() >= 9 * edges && 10 * (outputs ? sub.gene_list.size() : g) >= 9 * g)
      return std::nullopt;
    std::vector<std::int64_t> from, to;
    for (const auto e : sub.edge_list) {
      const auto s = inputs.edge_src[static_cast<std::size_t>(e)],
                 t = inputs.edge_dst[static_cast<std::size_t>(e)];
      from.push_back(outputs ? local[static_cast<std::size_t>(s)] : s);
      to.push_back(outputs ? local[static_cast<std::size_t>(t)] : t);
    }
    sub.edges = longs(sub.edge_list).to(device);
    if (outputs) sub.genes = longs(sub.gene_list).to(device);
    sub.src = longs(from).to(device);
    sub.dst = longs(to).to(device);
    return sub;
  }

  struct Batch {
    torch::Tensor group;   // [B]
    torch::Tensor clamp;   // [B, G] 1 where perturbed
    torch::Tensor clamp_z; // [B, G] the clamped change in z-scores
    torch::Tensor keep;    // [B, E] 1 - edge_off (E': over the subgraph's edges when built for one)
    torch::Tensor latent;  // [B] the row of z each query is decoded with; undefined: its group
  };

  Batch batch(const std::vector<PerturbationQuery>& queries, const Subgraph* sub = nullptr) const {
    const auto g = genes();
    const auto b = static_cast<std::int64_t>(queries.size());
    const auto groups = static_cast<std::int64_t>(inputs.groups.size());
    std::vector<std::int64_t> group(queries.size());
    std::vector<float> mask(static_cast<std::size_t>(b * g), 0.0F),
        level(static_cast<std::size_t>(b * g), 1.0F);
    std::vector<float> keep;
    bool any_off = false;
    for (const auto& q : queries)
      any_off = any_off || !q.edge_off.empty();
    const auto kept = sub ? sub->edge_list.size() : static_cast<std::size_t>(inputs.num_edges());
    if (any_off) keep.assign(static_cast<std::size_t>(b) * kept, 1.0F);
    for (std::int64_t i = 0; i < b; ++i) {
      const auto& q = queries[static_cast<std::size_t>(i)];
      if (q.group < 0 || q.group >= groups) throw InputError("perturbation query: cell group out of range");
      if (q.genes.size() != q.levels.size()) throw InputError("perturbation query: one level per gene");
      group[static_cast<std::size_t>(i)] = q.group;
      for (std::size_t k = 0; k < q.genes.size(); ++k) {
        const auto gi = q.genes[k];
        if (gi < 0 || gi >= g) throw InputError("perturbation query: gene index out of range");
        if (!(q.levels[k] >= 0.0F) || !std::isfinite(q.levels[k]))
          throw InputError("perturbation query: a level must be finite and >= 0");
        mask[static_cast<std::size_t>(i * g + gi)] = 1.0F;
        level[static_cast<std::size_t>(i * g + gi)] = q.levels[k];
      }
      if (!q.edge_off.empty()) {
        if (q.edge_off.size() != static_cast<std::size_t>(inputs.num_edges()))
          throw InputError("perturbation query: edge_off needs one entry per graph edge");
        for (std::size_t k = 0; k < kept; ++k)
          if (q.edge_off[sub ? static_cast<std::size_t>(sub->edge_list[k]) : k] != 0)
            keep[static_cast<std::size_t>(i) * kept + k] = 0.0F;
      }
    }
    Batch out;
    out.group = longs(group).to(device);
    out.clamp = floats(mask).view({b, g}).to(device);
    const auto lv = floats(level).view({b, g}).to(device);
    const auto x = control.index_select(0, out.group);
    out.clamp_z = (clamped_value(x, lv, floor.expand({b, g})) - x) / sd * out.clamp;
    if (any_off) out.keep = floats(keep).view({b, static_cast<std::int64_t>(kept)}).to(device);
    return out;
  }

  // Change in z-scores [B, G] for latent z [Gr, G, L]; `steps` (optional) receives each step's.
  torch::Tensor decode(const Batch& b, const torch::Tensor& z, std::vector<torch::Tensor>* steps,
                       const Subgraph* sub = nullptr) const {
    return decode_gains(b, torch::softplus(net->gain_out->forward(z).squeeze(2)), steps, sub);
  }

  // The same from the per-target response gains decoded from z ([Gr, G], or the gains of
  // several draws stacked, rows picked by Batch::latent). Over the genes and edges of `sub` when
  // given ([B, G'] in its gene order when it has a gene list), else the whole graph.
  torch::Tensor decode_gains(const Batch& b, const torch::Tensor& gains, std::vector<torch::Tensor>* steps,
                             const Subgraph* sub = nullptr) const {
    const bool some_genes = sub && sub->genes.defined();
    const auto of_genes = [&](const torch::Tensor& t) {
      return some_genes ? t.index_select(t.dim() - 1, sub->genes) : t;
    };
    const auto of_edges = [&](const torch::Tensor& t) { return sub ? t.index_select(0, sub->edges) : t; };
    const auto g = some_genes ? sub->genes.size(0) : genes();
    const auto& from = sub ? sub->src : src;
    const auto& to = sub ? sub->dst : dst;
    const auto w_plus = of_edges(wp), w_minus = of_edges(wm);
    const auto edge_function = [&](const torch::Tensor& x) {
      return w_plus * torch::relu(x) + w_minus * torch::clamp_max(x, 0.0);
    };
    const auto base = of_genes(base_z.index_select(0, b.group));                                // [B, G]
    const auto gain = of_genes(gains.index_select(0, b.latent.defined() ? b.latent : b.group)); // [B, G]
    const auto base_f = edge_function(base.index_select(1, from));                              // [B, E]
    auto weight = of_edges(gate) * torch::exp(net->log_scale) * (1.0 + of_edges(net->correction));
    const auto clamp_z = of_genes(b.clamp_z);
    auto d = clamp_z;
    const auto free = 1.0 - of_genes(b.clamp);
    // A gene cannot leave the range of values seen (no expression below 0 on log1p data).
    const auto lo = of_genes(lo_z) - base, hi = of_genes(hi_z) - base;
    for (std::int64_t k = 0; k < config.steps; ++k) {
      auto msg = (edge_function((base + d).index_select(1, from)) - base_f) * weight;
      if (b.keep.defined()) msg = msg * b.keep;
      // scatter_add sums in edge order as index_add does, without index_add's per-edge cost on
      // the CPU along dimension 1.
      const auto agg =
          torch::zeros({d.size(0), g}, d.options()).scatter_add(1, to.view({1, -1}).expand_as(msg), msg);
      d = clamp_z + free * torch::clamp(net->step_gain[k] * gain * agg, lo, hi);
      if (steps) steps->push_back(d);
    }
    return clamp_z + free * torch::clamp(d + of_genes(net->shared.index_select(0, b.group)), lo, hi);
  }

  torch::Tensor sample(const torch::Tensor& mu, const torch::Tensor& logvar) const {
    return mu + torch::randn_like(mu) * torch::exp(0.5 * logvar);
  }
};

PerturbationModel::PerturbationModel(PerturbationConfig config, PerturbationInputs inputs)
    : m_impl(std::make_unique<Impl>()) {
  config.validate();
  inputs.validate();
  m_impl->config = std::move(config);
  m_impl->inputs = std::move(inputs);
  m_impl->device = device_of(m_impl->config.device);
  torch::manual_seed(m_impl->config.seed);
  m_impl->net = Net(m_impl->config, m_impl->inputs.num_edges(),
                    static_cast<std::int64_t>(m_impl->inputs.groups.size()), m_impl->inputs.num_genes());
  m_impl->net->to(m_impl->device);
  m_impl->prepare();
}

PerturbationModel::~PerturbationModel() = default;
PerturbationModel::PerturbationModel(PerturbationModel&&) noexcept = default;
PerturbationModel& PerturbationModel::operator=(PerturbationModel&&) noexcept = default;

const PerturbationConfig& PerturbationModel::config() const noexcept { return m_impl->config; }
const PerturbationInputs& PerturbationModel::inputs() const noexcept { return m_impl->inputs; }
const std::vector<PerturbationEpoch>& PerturbationModel::log() const noexcept { return m_impl->log; }

std::int64_t PerturbationModel::gene_index(const std::string& gene) const {
  const auto& g = m_impl->inputs.genes;
  const auto it = std::find(g.begin(), g.end(), gene);
  return it == g.end() ? -1 : static_cast<std::int64_t>(it - g.begin());
}

std::int64_t PerturbationModel::group_index(const std::string& group) const {
  const auto& g = m_impl->inputs.groups;
  const auto it = std::find(g.begin(), g.end(), group);
  return it == g.end() ? -1 : static_cast<std::int64_t>(it - g.begin());
}

std::vector<PerturbationEpoch>
PerturbationModel::train(const Progress& progress,
                         const std::function<void(const PerturbationEpoch&)>& on_epoch) {
  auto& m = *m_impl;
  const auto& ex = m.inputs.examples;
  if (ex.empty()) throw InputError("no observed perturbation responses to train the perturbation model on");
  const auto& c = m.config;
  torch::manual_seed(c.seed);
  const auto g = m.genes();
  const auto n = static_cast<std::int64_t>(ex.size());
  std::vector<PerturbationQuery> queries;
  std::vector<float> observed, weights;
  for (const auto& x : ex) {
    queries.push_back({x.genes, x.levels, x.group, {}});
    observed.insert(observed.end(), x.delta.begin(), x.delta.end());
    weights.push_back(static_cast<float>(x.weight));
  }
  const auto b = m.batch(queries);
  const auto obs = floats(observed).view({n, g}).to(m.device) / m.sd; // z-scores
  auto w = floats(weights).to(m.device);
  w = w / w.sum();
  const auto free = 1.0 - b.clamp;
  const auto free_count = free.sum(1).clamp_min(1.0);

  // Triplets from the observed responses: for each anchor the most and the least similar
  // other response (cosine), fixed for the whole fit.
  torch::Tensor pos, neg;
  if (n >= 3 && c.triplet_weight > 0.0) {
    const auto unit = (obs * free) / (obs * free).norm(2, 1, true).clamp_min(1e-8);
    auto sim = unit.mm(unit.t());
    const auto eye = torch::eye(n, sim.options()).to(torch::kBool);
    pos = sim.masked_fill(eye, -2.0).argmax(1);
    neg = sim.masked_fill(eye, 2.0).argmin(1);
  }

  {
    // The shared response starts at the weighted mean of the training responses of each group
    // (the perturbed genes left out), the mean over all groups where a group has none.
    torch::NoGradGuard no_grad;
    const auto groups = static_cast<std::int64_t>(m.inputs.groups.size());
    const auto wf = free * w.unsqueeze(1);
    const auto all = (obs * wf).sum(0) / wf.sum(0).clamp_min(1e-12);
    auto init = all.unsqueeze(0).repeat({groups, 1});
    for (std::int64_t gr = 0; gr < groups; ++gr) {
      const auto rows = (b.group == gr).nonzero().squeeze(1);
      if (rows.numel() == 0) continue;
      const auto wr = wf.index_select(0, rows);
      init[gr] = (obs.index_select(0, rows) * wr).sum(0) / wr.sum(0).clamp_min(1e-12);
    }
    m.net->shared.copy_(init);
  }
  {
    // The graph's scale from a grid (10^-2 ... 10^6) on the mean latent, before gradient steps.
    torch::NoGradGuard no_grad;
    const auto mu = m.encode().first;
    double best = std::numeric_limits<double>::infinity(), best_log = 0.0;
    for (int k = -4; k <= 12; ++k) {
      const double v = 0.5 * k * std::log(10.0);
      m.net->log_scale.fill_(v);
      const auto err = ((m.decode(b, mu, nullptr) - obs).pow(2) * free).sum(1) / free_count;
      const double e = (err * w).sum().item<double>();
      if (e < best) {
        best = e;
        best_log = v;
      }
    }
    m.net->log_scale.fill_(best_log);
  }
  torch::optim::Adam optimiser(m.net->parameters(), torch::optim::AdamOptions(c.learning_rate));
  m.net->train();
  std::vector<PerturbationEpoch> log;
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    progress.check();
    const auto start = std::chrono::steady_clock::now();
    const auto [mu, logvar] = m.encode();
    const auto z = m.sample(mu, logvar);
    const auto pred = m.decode(b, z, nullptr);
    const auto err = ((pred - obs).pow(2) * free).sum(1) / free_count;
    const auto reconstruction = (err * w).sum();
    const auto kl = -0.5 * (1.0 + logvar - mu.pow(2) - logvar.exp()).mean();
    auto loss = reconstruction + c.kl_weight * kl;
    torch::Tensor triplet;
    if (pos.defined()) {
      const auto unit = (pred * free) / (pred * free).norm(2, 1, true).clamp_min(1e-8);
      const auto d_pos = 1.0 - (unit * unit.index_select(0, pos)).sum(1);
      const auto d_neg = 1.0 - (unit * unit.index_select(0, neg)).sum(1);
      triplet = torch::relu(c.triplet_margin + d_pos - d_neg).mean();
      loss = loss + c.triplet_weight * triplet;
    }
    const auto correction = m.net->correction.pow(2).sum() / static_cast<double>(g);
    loss = loss + c.correction_weight * correction;
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();

    PerturbationEpoch row;
    row.epoch = epoch;
    row.loss = loss.item<double>();
    row.reconstruction = reconstruction.item<double>();
    row.kl = kl.item<double>();
    row.triplet = triplet.defined() ? triplet.item<double>() : 0.0;
    row.correction = correction.item<double>();
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& [v, name] : {std::pair{row.reconstruction, "reconstruction"}, std::pair{row.kl, "KL"},
                                  std::pair{row.triplet, "triplet"}, std::pair{row.loss, "total"}})
      if (!std::isfinite(v))
        throw Error("perturbation model training stopped at epoch " + std::to_string(epoch) + ": the " +
                    name + " loss is " + (std::isnan(v) ? "NaN" : "infinite") +
                    " (try a lower learning_rate)");
    log.push_back(row);
    progress.update(static_cast<double>(epoch) / c.epochs,
                    "epoch " + std::to_string(epoch) + "/" + std::to_string(c.epochs));
    if (on_epoch) on_epoch(row);
  }
  m.net->eval();
  m.log = log;
  return log;
}

std::vector<PerturbationPrediction> PerturbationModel::predict(const std::vector<PerturbationQuery>& queries,
                                                               std::int64_t samples) const {
  torch::NoGradGuard no_grad;
  const auto& m = *m_impl;
  if (queries.empty()) return {};
  if (samples <= 0) samples = m.config.samples;
  const auto sub = m.subgraph(queries, nullptr);
  const auto* part = sub ? &*sub : nullptr;
  const auto b = m.batch(queries, part);
  const auto [mu, logvar] = m.encode_for_prediction();
  // A generator of its own, seeded per call: the same query always gets the same answer, and
  // other work using LibTorch's global generator (GRN training) is not disturbed.
  auto generator = at::detail::createCPUGenerator(m.config.seed + 17);
  // z enters the decoder only through the linear layer of the response gain, so a draw of z
  // gives that layer's output w . mu + b plus one normal per gene scaled by
  // sqrt(sum_l w_l^2 var_l): the same distribution as drawing every z_l, with L times fewer draws.
  auto head = m.net->gain_out;
  const auto at_mean = head->forward(mu).squeeze(2); // [Gr, G]
  const auto spread = (logvar.exp() * head->weight.pow(2).view({1, 1, -1})).sum(2).sqrt();
  // The draws are decoded together, as copies of the queries (draw-major), in rounds that keep
  // the [rows, edges] tensors of a decode near 2^24 values.
  const auto n = static_cast<std::int64_t>(queries.size());
  const auto g = m.genes();
  const auto width = std::max<std::int64_t>(part ? sub->src.size(0) : m.inputs.num_edges(), g);
  const auto per_round =
      std::max<std::int64_t>(1, (std::int64_t{1} << 24) / std::max<std::int64_t>(1, n * width));
  // Sums of the draws' deviations from the first draw: E[d^2] - E[d]^2 on raw float sums would
  // lose the spread of a gene that moves much more than its draws differ.
  torch::Tensor first_draw, sum, sq;
  std::vector<torch::Tensor> step_sum;
  const auto add = [](torch::Tensor& total, const torch::Tensor& part_sum) {
    total = total.defined() ? total + part_sum : part_sum;
  };
  for (std::int64_t first = 0; first < samples; first += per_round) {
    const auto count = std::min(per_round, samples - first);
    std::vector<torch::Tensor> gains;
    for (std::int64_t s = 0; s < count; ++s)
      gains.push_back(torch::softplus(
          samples == 1
              ? at_mean
              : at_mean + at::randn(at_mean.sizes(), generator, at_mean.options().device(torch::kCPU))
                                  .to(at_mean.device()) *
                              spread));
    auto rows = b;
    if (count > 1) {
      rows.group = b.group.repeat({count});
      rows.latent = torch::arange(count, b.group.options()).repeat_interleave(n) * mu.size(0) + rows.group;
      rows.clamp = b.clamp.repeat({count, 1});
      rows.clamp_z = b.clamp_z.repeat({count, 1});
      if (b.keep.defined()) rows.keep = b.keep.repeat({count, 1});
    }
    std::vector<torch::Tensor> steps;
    const auto d =
        (m.decode_gains(rows, count > 1 ? torch::cat(gains, 0) : gains.front(), &steps, part) * m.sd)
            .view({count, n, g});
    if (!first_draw.defined()) first_draw = d[0].clone();
    const auto off = d - first_draw;
    add(sum, off.sum(0));
    add(sq, (off * off).sum(0));
    step_sum.resize(steps.size());
    for (std::size_t k = 0; k < steps.size(); ++k)
      add(step_sum[k], (steps[k] * m.sd).view({count, n, g}).sum(0));
  }
  const auto shift = sum / static_cast<double>(samples);
  const auto mean = first_draw + shift;
  const auto var = (sq / static_cast<double>(samples) - shift * shift).clamp_min(0.0);
  std::vector<PerturbationPrediction> out(queries.size());
  const auto mean_c = mean.to(torch::kCPU).contiguous();
  const auto sd_c = var.sqrt().to(torch::kCPU).contiguous();
  std::vector<torch::Tensor> steps_c;
  for (auto& t : step_sum)
    steps_c.push_back((t / static_cast<double>(samples)).to(torch::kCPU).contiguous());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const auto off = static_cast<std::int64_t>(i) * g;
    out[i].delta.assign(mean_c.data_ptr<float>() + off, mean_c.data_ptr<float>() + off + g);
    out[i].sd.assign(sd_c.data_ptr<float>() + off, sd_c.data_ptr<float>() + off + g);
    for (const auto& t : steps_c)
      out[i].by_step.emplace_back(t.data_ptr<float>() + off, t.data_ptr<float>() + off + g);
  }
  return out;
}

std::vector<std::vector<float>>
PerturbationModel::predict_genes(const std::vector<PerturbationQuery>& queries,
                                 const std::vector<std::int64_t>& genes) const {
  torch::NoGradGuard no_grad;
  const auto& m = *m_impl;
  for (auto gi : genes)
    if (gi < 0 || gi >= m.genes()) throw InputError("perturbation query: gene index out of range");
  std::vector<std::vector<float>> out;
  if (queries.empty()) return out;
  // The mean latent: Shapley values need a deterministic value function. Only the part of the
  // graph that can change the listed genes is decoded.
  const auto sub = m.subgraph(queries, &genes);
  const auto* part = sub ? &*sub : nullptr;
  const auto b = m.batch(queries, part);
  const auto mu = m.encode_for_prediction().first;
  std::vector<std::int64_t> columns = genes;
  if (part)
    for (auto& c : columns)
      c = std::lower_bound(sub->gene_list.begin(), sub->gene_list.end(), c) - sub->gene_list.begin();
  const auto d = m.decode(b, mu, nullptr, part).index_select(1, longs(columns).to(m.device)) *
                 m.sd.index_select(0, longs(genes).to(m.device));
  const auto c = d.to(torch::kCPU).contiguous();
  const auto k = static_cast<std::int64_t>(genes.size());
  for (std::size_t i = 0; i < queries.size(); ++i)
    out.emplace_back(c.data_ptr<float>() + static_cast<std::int64_t>(i) * k,
                     c.data_ptr<float>() + static_cast<std::int64_t>(i + 1) * k);
  return out;
}

// ---- checkpoints ---------------------------------------------------------------------------

void PerturbationModel::save(const std::string& path) const {
  const auto& m = *m_impl;
  const auto& in = m.inputs;
  Json header = Json::object();
  header["format"] = "genocircuit-perturbation-model";
  header["config"] = m.config.to_json();
  header["genes"] = Json::array_of(in.genes);
  header["groups"] = Json::array_of(in.groups);
  header["scale"] = scale_name(in.scale);
  header["examples"] = static_cast<std::int64_t>(in.examples.size());
  Json rows = Json::array();
  for (const auto& e : m.log) {
    Json r = Json::object();
    r["epoch"] = e.epoch;
    r["loss"] = e.loss;
    r["reconstruction"] = e.reconstruction;
    r["kl"] = e.kl;
    r["triplet"] = e.triplet;
    r["correction"] = e.correction;
    r["seconds"] = e.seconds;
    rows.as_array().push_back(std::move(r));
  }
  header["log"] = std::move(rows);
  torch::serialize::OutputArchive archive;
  m.net->save(archive);
  archive.write("input.control_mean", floats(in.control_mean), true);
  archive.write("input.control_sd", floats(in.control_sd), true);
  archive.write("input.floor", floats(in.floor), true);
  archive.write("input.ceiling", floats(in.ceiling), true);
  archive.write("input.edge_src", longs(in.edge_src), true);
  archive.write("input.edge_dst", longs(in.edge_dst), true);
  archive.write("input.edge_gate", floats(in.edge_gate), true);
  archive.write("input.edge_w_plus", floats(in.edge_w_plus), true);
  archive.write("input.edge_w_minus", floats(in.edge_w_minus), true);
  std::ostringstream payload;
  archive.save_to(payload);
  detail::write_container(path, perturbation_magic,
                          {perturbation_checkpoint_version, header.dump(), payload.str()});
}

PerturbationModel PerturbationModel::load(const std::string& path, const std::string& device) {
  const auto c = detail::read_container(path, perturbation_magic, perturbation_checkpoint_version,
                                        "GenoCircuit perturbation model",
                                        "train one with `genocircuit-cli perturb train`");
  try {
    const auto header = Json::parse(c.header);
    auto config = PerturbationConfig::from_json(header.at("config"));
    if (!device.empty()) config.device = device;
    torch::serialize::InputArchive archive;
    std::istringstream stream(c.payload);
    archive.load_from(stream);
    const auto read = [&](const char* name) {
      torch::Tensor t;
      archive.read(name, t, true);
      return t;
    };
    PerturbationInputs in;
    for (const auto& g : header.at("genes").as_array())
      in.genes.push_back(g.as_string());
    for (const auto& g : header.at("groups").as_array())
      in.groups.push_back(g.as_string());
    in.scale = parse_scale(header.at("scale").as_string());
    in.control_mean = to_floats(read("input.control_mean"));
    in.control_sd = to_floats(read("input.control_sd"));
    in.floor = to_floats(read("input.floor"));
    in.ceiling = to_floats(read("input.ceiling"));
    in.edge_src = to_longs(read("input.edge_src"));
    in.edge_dst = to_longs(read("input.edge_dst"));
    in.edge_gate = to_floats(read("input.edge_gate"));
    in.edge_w_plus = to_floats(read("input.edge_w_plus"));
    in.edge_w_minus = to_floats(read("input.edge_w_minus"));
    PerturbationModel model(config, std::move(in));
    auto& m = *model.m_impl;
    m.net->load(archive);
    m.net->to(m.device);
    m.net->eval();
    for (const auto& r : header.at("log").as_array()) {
      PerturbationEpoch e;
      e.epoch = static_cast<int>(r.at("epoch").as_int());
      e.loss = r.at("loss").as_double();
      e.reconstruction = r.at("reconstruction").as_double();
      e.kl = r.at("kl").as_double();
      e.triplet = r.at("triplet").as_double();
      e.correction = r.at("correction").as_double();
      e.seconds = r.at("seconds").as_double();
      m.log.push_back(e);
    }
    return model;
  } catch (const InputError& e) {
    throw InputError(std::string("invalid perturbation model checkpoint: ") + e.what()).file(path);
  } catch (const c10::Error& e) {
    throw InputError(std::string("invalid perturbation model checkpoint: ") + e.what_without_backtrace())
        .file(path);
  } catch (const Error& e) {
    throw InputError(std::string("invalid perturbation model checkpoint: ") + e.what()).file(path);
  }
}

} // namespace gc::model
