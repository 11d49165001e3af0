#include "gc/perturb/engine.h"

#include "gc/kernels/runtime.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/names.h"
#include "gc/util/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace gc::perturb {

namespace {

// A gene "moves" when its change exceeds 1 % of the largest change of a gene not perturbed
// (and a floor that keeps numerical noise out).
double moved_threshold(const std::vector<float>& delta, const std::vector<bool>& perturbed) {
  double top = 0.0;
  for (std::size_t g = 0; g < delta.size(); ++g)
    if (!perturbed[g]) top = std::max(top, std::abs(static_cast<double>(delta[g])));
  return std::max(0.01 * top, 1e-6);
}

std::string fixed(double v) {
  std::ostringstream os;
  os.precision(3);
  os << std::fixed << v;
  return os.str();
}

} // namespace

Players parse_players(const std::string& text) {
  if (text == "regulators") return Players::regulators;
  if (text == "perturbed") return Players::perturbed;
  throw InputError("explanation players '" + text + "': expected regulators or perturbed");
}

std::vector<GeneResponse> KnockoutResult::ranked(std::size_t top) const {
  auto out = genes;
  std::stable_sort(out.begin(), out.end(), [](const GeneResponse& a, const GeneResponse& b) {
    if ((a.step == 0) != (b.step == 0)) return a.step == 0;
    return std::abs(a.delta) > std::abs(b.delta);
  });
  if (out.size() > top) out.resize(top);
  return out;
}

Json KnockoutResult::to_json(std::size_t top) const {
  Json j = Json::object();
  j["intervention"] = label;
  j["group"] = group;
  j["impact"] = impact;
  j["changed_genes"] = changed;
  Json rows = Json::array();
  for (const auto& r : ranked(top)) {
    Json g = Json::object();
    g["gene"] = r.gene;
    g["delta"] = r.delta;
    g["sd"] = r.sd;
    g["step"] = r.step;
    g["via"] = r.via;
    rows.as_array().push_back(std::move(g));
  }
  j["genes"] = std::move(rows);
  return j;
}

model::PerturbationInputs perturbation_inputs(const PerturbationDataset& data,
                                              const std::vector<std::string>& graph_genes,
                                              const model::EdgeFunctions& graph,
                                              const std::vector<std::size_t>& training, std::size_t* matched,
                                              std::size_t max_regulators) {
  model::PerturbationInputs in;
  const auto g = data.n_genes();
  in.genes = data.genes;
  switch (data.scale) {
  case Scale::log1p_normalised: in.scale = model::ExpressionScale::log1p; break;
  case Scale::log2_pseudocount: in.scale = model::ExpressionScale::log2p1; break;
  case Scale::log2_ratio: in.scale = model::ExpressionScale::log2_ratio; break;
  }
  in.groups = data.groups;
  for (const auto& row : data.control)
    for (double v : row)
      in.control_mean.push_back(static_cast<float>(v));
  // The graph's gene indices in the data.
  std::vector<std::int64_t> to_data(graph_genes.size(), -1);
  std::size_t found = 0;
  for (std::size_t i = 0; i < graph_genes.size(); ++i)
    if (const auto j = data.gene_index(graph_genes[i])) {
      to_data[i] = static_cast<std::int64_t>(*j);
      ++found;
    }
  if (matched) *matched = found;
  if (found == 0)
    throw InputError("none of the " + std::to_string(graph_genes.size()) +
                     " genes of the GRN model is a gene of " + data.source + " (e.g. '" +
                     (graph_genes.empty() ? "" : graph_genes.front()) + "' vs '" +
                     (data.genes.empty() ? "" : data.genes.front()) + "')");
  // The strongest incoming edges of every target.
  std::vector<bool> keep(graph.src.size(), true);
  if (max_regulators > 0) {
    std::map<std::int64_t, std::vector<std::size_t>> incoming;
    for (std::size_t e = 0; e < graph.src.size(); ++e)
      incoming[graph.dst[e]].push_back(e);
    const auto strength = [&](std::size_t e) {
      return graph.gate[e] * 0.5 * (std::abs(graph.w_plus[e]) + std::abs(graph.w_minus[e]));
    };
    for (auto& [t, edges] : incoming) {
      if (edges.size() <= max_regulators) continue;
      std::stable_sort(edges.begin(), edges.end(), [&](auto x, auto y) { return strength(x) > strength(y); });
      for (std::size_t k = max_regulators; k < edges.size(); ++k)
        keep[edges[k]] = false;
    }
  }
  for (std::size_t e = 0; e < graph.src.size(); ++e) {
    const auto s = to_data[static_cast<std::size_t>(graph.src[e])],
               t = to_data[static_cast<std::size_t>(graph.dst[e])];
    if (s < 0 || t < 0 || !keep[e]) continue;
    in.edge_src.push_back(s);
    in.edge_dst.push_back(t);
    in.edge_gate.push_back(graph.gate[e]);
    in.edge_w_plus.push_back(graph.w_plus[e]);
    in.edge_w_minus.push_back(graph.w_minus[e]);
  }
  std::vector<std::size_t> chosen = training;
  if (chosen.empty())
    for (std::size_t i = 0; i < data.observations.size(); ++i)
      chosen.push_back(i);
  // Spread and floor per gene.
  std::vector<double> sum(g, 0.0), sq(g, 0.0), lo(g, std::numeric_limits<double>::infinity()),
      hi(g, -std::numeric_limits<double>::infinity());
  double n = 0.0;
  const auto add = [&](const float* row, std::size_t stride) {
    for (std::size_t k = 0; k < g; ++k) {
      const double v = row[k * stride];
      sum[k] += v;
      sq[k] += v * v;
      lo[k] = std::min(lo[k], v);
      hi[k] = std::max(hi[k], v);
    }
    n += 1.0;
  };
  for (const auto& cells : data.control_cells)
    for (std::size_t c = 0; c + g <= cells.size(); c += g)
      add(cells.data() + c, 1);
  if (n < 2.0) {
    for (auto i : chosen) {
      const auto& o = data.observations.at(i);
      std::vector<float> row(o.mean.begin(), o.mean.end());
      add(row.data(), 1);
    }
    for (const auto& row : data.control) {
      std::vector<float> r(row.begin(), row.end());
      add(r.data(), 1);
    }
  }
  for (std::size_t k = 0; k < g; ++k) {
    const double mean = n > 0 ? sum[k] / n : 0.0;
    const double var = n > 1 ? std::max(0.0, sq[k] / n - mean * mean) : 0.0;
    in.control_sd.push_back(static_cast<float>(std::max(std::sqrt(var), 1e-3)));
  }
  for (auto i : chosen)
    for (std::size_t k = 0; k < g; ++k) {
      lo[k] = std::min(lo[k], data.observations.at(i).mean[k]);
      hi[k] = std::max(hi[k], data.observations.at(i).mean[k]);
    }
  for (const auto& row : data.control)
    for (std::size_t k = 0; k < g; ++k) {
      lo[k] = std::min(lo[k], row[k]);
      hi[k] = std::max(hi[k], row[k]);
    }
  // On log1p and log2(1 + x) data no amount is below 0 even if no cell showed it.
  const bool absolute = data.scale != Scale::log2_ratio;
  for (std::size_t k = 0; k < g; ++k) {
    in.floor.push_back(static_cast<float>(absolute ? 0.0 : (std::isfinite(lo[k]) ? lo[k] : 0.0)));
    in.ceiling.push_back(static_cast<float>(std::isfinite(hi[k]) ? hi[k] : 0.0));
  }
  for (auto i : chosen) {
    const auto& o = data.observations.at(i);
    model::PerturbationExample x;
    x.label = o.intervention.label();
    for (const auto& gi : o.intervention.genes)
      if (const auto j = data.gene_index(gi.gene)) {
        x.genes.push_back(static_cast<std::int64_t>(*j));
        x.levels.push_back(static_cast<float>(gi.level()));
      }
    if (x.genes.empty()) continue; // no perturbed gene measured: nothing to clamp
    x.group = static_cast<std::int64_t>(o.group);
    x.delta.assign(o.delta.begin(), o.delta.end());
    x.weight = static_cast<double>(std::max<std::int64_t>(1, o.samples));
    in.examples.push_back(std::move(x));
  }
  return in;
}

GenoCircuitPredictor::GenoCircuitPredictor(std::vector<std::string> graph_genes, model::EdgeFunctions graph,
                                           model::PerturbationConfig config)
    : m_genes(std::move(graph_genes)), m_graph(std::move(graph)), m_config(std::move(config)) {}

void GenoCircuitPredictor::fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
                               const Progress& progress) {
  if (train.empty()) throw InputError("the GenoCircuit perturbation model needs training observations");
  m_data = &data;
  m_model = std::make_unique<model::PerturbationModel>(m_config,
                                                       perturbation_inputs(data, m_genes, m_graph, train));
  if (m_model->inputs().examples.empty())
    throw InputError("no training observation perturbs a gene of the model's graph");
  (void)m_model->train(progress);
}

std::vector<double> GenoCircuitPredictor::predict(const Intervention& intervention, std::size_t group) const {
  if (!m_model) throw Error("GenoCircuitPredictor::predict before fit");
  model::PerturbationQuery q;
  q.group = static_cast<std::int64_t>(group);
  for (const auto& g : intervention.genes)
    if (const auto i = m_data->gene_index(g.gene)) {
      q.genes.push_back(static_cast<std::int64_t>(*i));
      q.levels.push_back(static_cast<float>(g.level()));
    }
  // An intervention on genes the data does not measure moves nothing the model can see.
  if (q.genes.empty()) return std::vector<double>(m_data->n_genes(), 0.0);
  const auto p = m_model->predict({q}).front();
  return {p.delta.begin(), p.delta.end()};
}

ModelGraph read_model_graph(const std::string& path) {
  require_readable_file(path);
  char magic[8] = {};
  {
    std::ifstream f(path, std::ios::binary);
    f.read(magic, sizeof magic);
  }
  ModelGraph out;
  if (std::string(magic, sizeof magic) == std::string("GCMODEL\n", 8)) {
    const auto grn = model::GenoCircuit::load(path);
    out.genes = grn.inputs().genes;
    out.graph = grn.edge_functions();
    return out;
  }
  const auto pm = model::PerturbationModel::load(path);
  const auto& in = pm.inputs();
  out.genes = in.genes;
  out.graph = {in.edge_src, in.edge_dst, in.edge_gate, in.edge_w_plus, in.edge_w_minus};
  return out;
}

KnockoutEngine::KnockoutEngine(const model::PerturbationModel& model) : m_model(model) {}

std::int64_t KnockoutEngine::group_index(const std::string& group) const {
  if (group.empty()) return 0;
  const auto i = m_model.group_index(group);
  if (i < 0) {
    std::string known;
    for (const auto& g : m_model.inputs().groups)
      known += (known.empty() ? "" : ", ") + g;
    throw InputError("cell group '" + group + "' is not in the model (it knows: " + known + ")");
  }
  return i;
}

model::PerturbationQuery KnockoutEngine::query(const Intervention& intervention,
                                               const std::string& group) const {
  if (intervention.empty()) throw InputError("the intervention names no gene");
  model::PerturbationQuery q;
  q.group = group_index(group);
  std::vector<std::string> unknown;
  for (const auto& g : intervention.genes) {
    const auto i = m_model.gene_index(g.gene);
    if (i < 0) {
      unknown.push_back(g.gene);
      continue;
    }
    q.genes.push_back(i);
    q.levels.push_back(static_cast<float>(g.level()));
  }
  if (!unknown.empty()) {
    std::string names;
    for (std::size_t k = 0; k < unknown.size() && k < 5; ++k)
      names += (k ? ", '" : "'") + unknown[k] + "'" +
               did_you_mean(closest_names(unknown[k], m_model.inputs().genes));
    throw InputError(std::to_string(unknown.size()) + " gene(s) of the intervention are not in the model: " +
                     names + (unknown.size() > 5 ? ", ..." : ""));
  }
  return q;
}

KnockoutResult KnockoutEngine::summarise(const Intervention& iv, const model::PerturbationQuery& q,
                                         const model::PerturbationPrediction& p) const {
  const auto& in = m_model.inputs();
  const auto g = static_cast<std::size_t>(in.num_genes());
  std::vector<bool> perturbed(g, false);
  for (auto i : q.genes)
    perturbed[static_cast<std::size_t>(i)] = true;
  // Moving is judged on the propagated change alone: the shared response moves every gene.
  const double threshold = moved_threshold(p.by_step.empty() ? p.delta : p.by_step.back(), perturbed);
  KnockoutResult r;
  r.label = iv.label();
  r.group = in.groups[static_cast<std::size_t>(q.group)];
  r.genes.resize(g);
  // The step at which each gene first moves, then its strongest mover among its regulators
  // that had moved one step earlier (the perturbed genes count as step 0).
  std::vector<int> step(g, -1);
  for (std::size_t i = 0; i < g; ++i) {
    if (perturbed[i]) {
      step[i] = 0;
      continue;
    }
    for (std::size_t k = 0; k < p.by_step.size(); ++k)
      if (std::abs(p.by_step[k][i]) > threshold) {
        step[i] = static_cast<int>(k) + 1;
        break;
      }
  }
  std::vector<double> best(g, 0.0);
  std::vector<std::string> via(g);
  for (std::size_t e = 0; e < in.edge_src.size(); ++e) {
    const auto s = static_cast<std::size_t>(in.edge_src[e]), t = static_cast<std::size_t>(in.edge_dst[e]);
    // Any regulator already moving one step before the target did; its change at that step.
    if (step[t] <= 0 || step[s] < 0 || step[s] >= step[t]) continue;
    const auto before = static_cast<std::size_t>(step[t] - 1);
    const double ds = before == 0 ? (perturbed[s] ? p.delta[s] : 0.0) : p.by_step[before - 1][s];
    const double slope = ds >= 0 ? in.edge_w_plus[e] : in.edge_w_minus[e];
    const double flow = std::abs(in.edge_gate[e] * slope * ds / std::max(1e-6F, in.control_sd[s]));
    if (flow > best[t]) {
      best[t] = flow;
      via[t] = in.genes[s];
    }
  }
  for (std::size_t i = 0; i < g; ++i) {
    auto& row = r.genes[i];
    row.gene = in.genes[i];
    row.delta = p.delta[i];
    row.sd = p.sd.empty() ? 0.0 : p.sd[i];
    row.step = step[i];
    row.via = via[i];
    if (!perturbed[i]) {
      r.impact += std::abs(row.delta);
      if (step[i] > 0) ++r.changed;
    }
  }
  return r;
}

std::vector<KnockoutResult> KnockoutEngine::predict(const std::vector<Intervention>& interventions,
                                                    const std::string& group, std::int64_t samples) const {
  std::vector<model::PerturbationQuery> queries;
  for (const auto& iv : interventions)
    queries.push_back(query(iv, group));
  const auto preds = m_model.predict(queries, samples);
  std::vector<KnockoutResult> out;
  for (std::size_t i = 0; i < interventions.size(); ++i)
    out.push_back(summarise(interventions[i], queries[i], preds[i]));
  return out;
}

std::vector<Explanation> KnockoutEngine::explain(const Intervention& intervention, const std::string& group,
                                                 const std::vector<std::string>& targets, Players players,
                                                 const ShapleyOptions& options,
                                                 const Progress& progress) const {
  const auto base = query(intervention, group);
  const auto& in = m_model.inputs();
  std::vector<Explanation> out;
  for (const auto& target : targets) {
    const auto t = m_model.gene_index(target);
    if (t < 0) throw InputError("explanation target '" + target + "' is not in the model");
    ShapleyGame game;
    std::vector<std::vector<std::size_t>> player_edges; // regulators: the edges each one removes
    if (players == Players::regulators) {
      std::map<std::int64_t, std::vector<std::size_t>> by_source;
      for (std::size_t e = 0; e < in.edge_dst.size(); ++e)
        if (in.edge_dst[e] == t) by_source[in.edge_src[e]].push_back(e);
      for (const auto& [s, edges] : by_source) {
        game.players.push_back(in.genes[static_cast<std::size_t>(s)]);
        player_edges.push_back(edges);
      }
      if (game.players.empty())
        throw InputError("'" + target +
                         "' has no regulators in the model's graph: nothing to explain its change by");
    } else {
      for (const auto& g : intervention.genes)
        game.players.push_back(g.gene);
    }
    game.outputs = {target};
    game.value = [&, t](const std::vector<Coalition>& coalitions) {
      std::vector<model::PerturbationQuery> queries;
      queries.reserve(coalitions.size());
      for (const auto& c : coalitions) {
        auto q = base;
        if (players == Players::regulators) {
          q.edge_off.assign(in.edge_src.size(), 0);
          for (std::size_t p = 0; p < c.size(); ++p)
            if (!c[p])
              for (auto e : player_edges[p])
                q.edge_off[e] = 1;
        } else {
          q.genes.clear();
          q.levels.clear();
          for (std::size_t p = 0; p < c.size(); ++p)
            if (c[p]) {
              q.genes.push_back(base.genes[p]);
              q.levels.push_back(base.levels[p]);
            }
        }
        queries.push_back(std::move(q));
      }
      // An empty set of perturbed genes is the control: no change.
      std::vector<double> values(queries.size(), 0.0);
      std::vector<model::PerturbationQuery> live;
      std::vector<std::size_t> where;
      for (std::size_t i = 0; i < queries.size(); ++i)
        if (!queries[i].genes.empty()) {
          live.push_back(std::move(queries[i]));
          where.push_back(i);
        }
      const auto v = m_model.predict_genes(live, {t});
      for (std::size_t i = 0; i < where.size(); ++i)
        values[where[i]] = v[i][0];
      return values;
    };
    Explanation x;
    x.target = target;
    x.players = game.players;
    x.shapley = shapley_value(game, options, progress);
    out.push_back(std::move(x));
  }
  return out;
}

std::size_t KnockoutEngine::player_count(const Intervention& intervention, const std::string& target,
                                         Players players) const {
  if (players == Players::perturbed) return intervention.size();
  const auto t = m_model.gene_index(target);
  if (t < 0) throw InputError("explanation target '" + target + "' is not in the model");
  const auto& in = m_model.inputs();
  std::set<std::int64_t> sources;
  for (std::size_t e = 0; e < in.edge_dst.size(); ++e)
    if (in.edge_dst[e] == t) sources.insert(in.edge_src[e]);
  return sources.size();
}

std::vector<AtlasEntry> KnockoutEngine::atlas(const std::vector<std::string>& genes, const std::string& group,
                                              std::size_t chunk, const std::string& resume,
                                              const Progress& progress, std::size_t threads) const {
  if (chunk == 0) throw InputError("atlas: the chunk size must be positive");
  const auto& all = m_model.inputs().genes;
  const auto& list = genes.empty() ? all : genes;
  for (const auto& g : list)
    if (m_model.gene_index(g) < 0) throw InputError("atlas: gene '" + g + "' is not in the model");
  std::map<std::string, AtlasEntry> done;
  if (!resume.empty()) {
    std::ifstream f(resume);
    std::string line;
    std::size_t number = 0;
    while (std::getline(f, line)) {
      ++number;
      if (number == 1 || line.empty()) continue; // header
      std::istringstream row(line);
      AtlasEntry e;
      std::string impact, changed;
      if (!std::getline(row, e.gene, '\t') || !std::getline(row, impact, '\t') ||
          !std::getline(row, changed, '\t'))
        throw InputError("atlas resume file: expected gene, impact, changed_genes, top")
            .file(resume)
            .record("line " + std::to_string(number));
      std::getline(row, e.top);
      try {
        e.impact = std::stod(impact);
        e.changed = std::stoi(changed);
      } catch (const std::exception&) {
        throw InputError("atlas resume file: impact and changed_genes must be numbers")
            .file(resume)
            .record("line " + std::to_string(number));
      }
      done[e.gene] = e;
    }
  }
  const auto write = [&] {
    AtomicFile file(resume);
    file.stream() << "gene\timpact\tchanged_genes\ttop\n";
    for (const auto& [gene, e] : done)
      file.stream() << gene << '\t' << e.impact << '\t' << e.changed << '\t' << e.top << '\n';
    file.commit();
  };
  std::vector<std::string> pending;
  for (const auto& g : list)
    if (!done.count(g)) pending.push_back(g);
  const std::size_t chunks = (pending.size() + chunk - 1) / chunk;
  // One model call per chunk, each a knockout of its genes with the mean latent.
  const auto run_chunk = [this, &pending, &group, chunk](std::size_t c) {
    const auto start = c * chunk, end = std::min(pending.size(), start + chunk);
    std::vector<Intervention> batch;
    for (std::size_t i = start; i < end; ++i)
      batch.push_back(make_intervention(pending[i], "ko"));
    std::vector<AtlasEntry> entries;
    for (const auto& r : predict(batch, group, 1)) {
      AtlasEntry e;
      e.gene = r.label;
      e.impact = r.impact;
      e.changed = r.changed;
      for (const auto& x : r.ranked(6))
        if (x.step != 0) e.top += (e.top.empty() ? "" : ",") + x.gene + ":" + fixed(x.delta);
      entries.push_back(std::move(e));
    }
    return entries;
  };
  // Chunks are merged in their order, whichever thread computed them, so the results and the
  // resume file do not depend on the thread count (a chunk's numbers do not either: each is
  // the same model call on any thread).
  const auto commit = [&](std::size_t c, std::vector<AtlasEntry> entries) {
    for (auto& e : entries)
      done[e.gene] = std::move(e);
    if (!resume.empty()) write();
    const auto end = std::min(pending.size(), (c + 1) * chunk);
    progress.update(static_cast<double>(end) / static_cast<double>(pending.size()),
                    "atlas " + std::to_string(end) + "/" + std::to_string(pending.size()));
  };
  // On the CPU, chunks run side by side on a pool, each on one LibTorch thread: LibTorch's own
  // parallelism inside one call of many small operations is slower (measured by `bench
  // knockout`, docs/benchmarks.md). A GPU model keeps the single-call path: its kernels already
  // parallelise each call, and concurrent calls would only contend for the device.
  std::size_t workers = threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : threads;
  if (m_model.config().device != "cpu") workers = 1;
  workers = std::min(workers, chunks);
  if (workers <= 1) {
    for (std::size_t c = 0; c < chunks; ++c) {
      progress.check();
      commit(c, run_chunk(c));
    }
  } else {
    // Declared after everything its tasks use, so that on an exception its destructor waits for
    // the tasks still running before those go.
    ThreadPool pool(workers);
    std::deque<std::future<std::vector<AtlasEntry>>> running;
    std::size_t next = 0;
    for (std::size_t c = 0; c < chunks; ++c) {
      // Up to two chunks per thread in flight: a thread never waits for the oldest to be merged.
      while (next < chunks && running.size() < 2 * workers) {
        progress.check();
        running.push_back(pool.submit([&run_chunk, next] {
          const kernels::ThreadLimit one_thread(1);
          return run_chunk(next);
        }));
        ++next;
      }
      auto entries = running.front().get();
      running.pop_front();
      commit(c, std::move(entries));
    }
  }
  std::vector<AtlasEntry> out;
  std::set<std::string> wanted(list.begin(), list.end());
  for (const auto& [gene, e] : done)
    if (wanted.count(gene)) out.push_back(e);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.impact > b.impact; });
  return out;
}

} // namespace gc::perturb
