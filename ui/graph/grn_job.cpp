#include "gc/ui/graph/grn_job.h"

#include "gc/expr/edge_list.h"
#include "gc/grn/network_io.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"

#ifdef GC_GRN_HAVE_GENOCIRCUIT
#include "gc/grn/genocircuit.h"
#endif

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_map>

namespace gc::ui::graph {
namespace {

bool is_network(const Dataset& d) { return d.source && d.source->kind == gc::data::Kind::network; }
bool is_expression(const Dataset& d) { return d.source && d.source->expression; }

QString file_name(const Dataset& d) { return QFileInfo(d.path).fileName(); }

std::shared_ptr<const Dataset> named(const std::vector<std::shared_ptr<const Dataset>>& candidates,
                                     const QString& name) {
  for (const auto& d : candidates)
    if (file_name(*d) == name || d->path == name) return d;
  return nullptr;
}

bool truthy(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return v == "true" || v == "1" || v == "yes" || v == "t";
}

// Signs of edges the method left unsigned: the sign of the Pearson correlation of regulator and
// target across samples (SCENIC's convention for splitting a regulator's targets).
void sign_by_correlation(GraphData& data, const gc::expr::ExpressionMatrix& m, const gc::Progress& progress) {
  const auto columns = gc::grn::gene_columns(m, std::nullopt);
  std::unordered_map<std::string, std::int64_t> column_of;
  for (std::size_t g = 0; g < columns.genes.size(); ++g)
    column_of.emplace(columns.genes[g], static_cast<std::int64_t>(g));
  const auto n = static_cast<std::size_t>(columns.samples);
  // Per gene: mean and the centred column's norm, computed once.
  std::unordered_map<std::int64_t, std::pair<double, double>> stats;
  const auto stat = [&](std::int64_t g) {
    if (const auto it = stats.find(g); it != stats.end()) return it->second;
    const float* x = columns.column(g);
    double mean = 0;
    for (std::size_t s = 0; s < n; ++s)
      mean += x[s];
    mean /= static_cast<double>(n);
    double ss = 0;
    for (std::size_t s = 0; s < n; ++s)
      ss += (x[s] - mean) * (x[s] - mean);
    return stats[g] = {mean, std::sqrt(ss)};
  };
  for (std::size_t i = 0; i < data.edges.size(); ++i) {
    if (i % 512 == 0)
      progress.update(static_cast<double>(i) / static_cast<double>(data.edges.size()), "edge signs");
    auto& e = data.edges[i];
    if (e.sign != 0) continue;
    const auto a = column_of.find(data.genes[static_cast<std::size_t>(e.regulator)]);
    const auto b = column_of.find(data.genes[static_cast<std::size_t>(e.target)]);
    if (a == column_of.end() || b == column_of.end()) continue;
    const auto [ma, na] = stat(a->second);
    const auto [mb, nb] = stat(b->second);
    if (na <= 0 || nb <= 0) continue;
    const float* x = columns.column(a->second);
    const float* y = columns.column(b->second);
    double cov = 0;
    for (std::size_t s = 0; s < n; ++s)
      cov += (x[s] - ma) * (y[s] - mb);
    e.sign = cov > 0 ? 1 : cov < 0 ? -1 : 0;
  }
}

// Keeps the curve's shape at about 2000 points (the areas are computed before thinning).
std::vector<gc::grn::CurvePoint> thin(const std::vector<gc::grn::CurvePoint>& c) {
  if (c.size() <= 2000) return c;
  std::vector<gc::grn::CurvePoint> out{c.front()};
  for (std::size_t i = 1; i + 1 < c.size(); ++i) {
    if (std::abs(c[i].x - out.back().x) >= 5e-4 || std::abs(c[i].y - out.back().y) >= 5e-4)
      out.push_back(c[i]);
  }
  out.push_back(c.back());
  return out;
}

} // namespace

bool have_genocircuit() noexcept {
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  return true;
#else
  return false;
#endif
}

void check_method(const QString& method) {
  if (method == genocircuit_method && have_genocircuit()) return;
  (void)gc::grn::parse_method(method.toStdString()); // throws naming the valid methods
}

QStringList method_names() {
  QStringList names;
  if (have_genocircuit()) names << genocircuit_method;
  for (const auto m : gc::grn::all_methods())
    names << QString::fromStdString(gc::grn::method_name(m));
  return names;
}

int default_epochs() {
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  return gc::model::GenoCircuitConfig{}.epochs;
#else
  return 0;
#endif
}

QString GrnSources::key() const {
  QString k = network ? network->path : QString();
  if (inferred() && genocircuit)
    k += QString("|genocircuit|%1|%2|%3|%4|%5|%6")
             .arg(genome, annotation, elements, hic, motifs, QString::number(epochs));
  else if (inferred())
    k += "|" + QString::fromStdString(gc::grn::method_name(method));
  k += "|" + (reference ? reference->path : QString());
  return k;
}

bool GrnSources::inferred() const { return network && is_expression(*network); }

std::vector<std::shared_ptr<const Dataset>>
network_candidates(const std::vector<std::shared_ptr<const Dataset>>& datasets) {
  std::vector<std::shared_ptr<const Dataset>> out;
  for (const auto& d : datasets)
    if (is_expression(*d)) out.push_back(d);
  for (const auto& d : datasets)
    if (is_network(*d)) out.push_back(d);
  return out;
}

std::vector<std::shared_ptr<const Dataset>>
reference_candidates(const std::vector<std::shared_ptr<const Dataset>>& datasets) {
  std::vector<std::shared_ptr<const Dataset>> out;
  for (const auto& d : datasets)
    if (is_network(*d)) out.push_back(d);
  return out;
}

GrnSources choose_sources(const std::vector<std::shared_ptr<const Dataset>>& datasets,
                          const GraphState& state) {
  GrnSources s;
  check_method(state.method);
  s.genocircuit = state.method == genocircuit_method;
  if (!s.genocircuit) s.method = gc::grn::parse_method(state.method.toStdString());
  if (state.epochs > 0) s.epochs = state.epochs;
  // The model's other inputs: the first dataset of each kind (BED-like intervals only).
  for (const auto& d : datasets) {
    const auto lower = d->path.toLower();
    if (d->kind == DatasetKind::genome && d->fasta && s.genome.isEmpty()) s.genome = d->path;
    if (d->kind == DatasetKind::annotation && s.annotation.isEmpty()) s.annotation = d->path;
    if (d->kind == DatasetKind::hic && s.hic.isEmpty()) s.hic = d->hic_uri.isEmpty() ? d->path : d->hic_uri;
    if (d->kind == DatasetKind::intervals && s.elements.isEmpty() &&
        (lower.endsWith(".bed") || lower.endsWith(".bed.gz") || lower.contains("peak")))
      s.elements = d->path;
    if (d->source && d->source->motifs && s.motifs.isEmpty()) s.motifs = d->path;
  }
  // Priors need the genes placed (annotation) and sequence to scan (genome).
  if (s.annotation.isEmpty() || s.genome.isEmpty()) s.elements.clear(), s.hic.clear(), s.motifs.clear();
  if (s.annotation.isEmpty()) s.genome.clear();
  const auto networks = network_candidates(datasets);
  if (!state.source.isEmpty()) {
    s.network = named(networks, state.source);
    if (!s.network) s.notes << state.source + " is not loaded: showing the first network source instead";
  }
  if (!s.network && !networks.empty()) s.network = networks.front();
  const auto references = reference_candidates(datasets);
  if (state.reference) {
    if (!state.reference->isEmpty()) {
      s.reference = named(references, *state.reference);
      if (!s.reference) s.notes << *state.reference + " is not loaded: no reference";
    }
  } else {
    for (const auto& d : references) {
      if (d != s.network) {
        s.reference = d;
        break;
      }
    }
  }
  return s;
}

std::optional<std::vector<std::string>> marked_tfs(const gc::expr::ExpressionMatrix& matrix) {
  const auto* column = matrix.var.find("is_tf");
  if (!column) return std::nullopt;
  std::vector<std::string> tfs;
  for (std::size_t g = 0; g < matrix.var.index.size() && g < column->size(); ++g)
    if (truthy(column->text(g))) tfs.push_back(matrix.var.index[g]);
  if (tfs.empty()) return std::nullopt;
  return tfs;
}

std::vector<gc::grn::ScoredEdge> infer_network(const gc::expr::ExpressionMatrix& matrix,
                                               gc::grn::Method method,
                                               const std::optional<std::vector<std::string>>& tfs,
                                               const gc::Progress& progress) {
  gc::grn::InferOptions options;
  options.method = method;
  options.regulators = tfs;
  options.seed = 1;
  return gc::grn::infer(matrix, options, progress);
}

namespace {

struct LearnedNetwork {
  std::vector<gc::grn::ScoredEdge> edges;
  ProvenanceSet provenance;
  std::vector<std::string> notes;
  Training training;
};

#ifdef GC_GRN_HAVE_GENOCIRCUIT
gc::grn::GenoCircuitOptions genocircuit_options(const GrnSources& sources,
                                                const std::optional<std::vector<std::string>>& tfs) {
  gc::grn::GenoCircuitOptions options;
  options.regulators = tfs;
  options.config.seed = 1;
  options.config.epochs = sources.epochs;
  options.config.validate(); // an epoch count below 1 names the field
  return options;
}

const gc::expr::ExpressionMatrix& network_expression(const GrnSources& sources) {
  if (!sources.inferred()) throw gc::Error("GenoCircuit needs an expression dataset to train on");
  return *sources.network->source->expression;
}

QString checkpoint_of(const GrnSources& sources, const gc::grn::GenoCircuitOptions& options,
                      const std::optional<std::vector<std::string>>& tfs) {
  // Cache key: every input file with its size and time, the TFs and the configuration.
  QCryptographicHash hash(QCryptographicHash::Sha1);
  for (const auto& path : {sources.network->path, sources.genome, sources.annotation, sources.elements,
                           sources.hic.section("::", 0, 0), sources.motifs}) {
    const QFileInfo info(path);
    hash.addData((path + "|" + QString::number(info.size()) + "|" +
                  QString::number(info.lastModified().toMSecsSinceEpoch()) + "\n")
                     .toUtf8());
  }
  hash.addData(QByteArray::fromStdString(options.config.to_json().dump()));
  hash.addData(QByteArray::number(tfs ? static_cast<qlonglong>(tfs->size()) : -1));
  const QString dir =
      QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/genocircuit/models";
  return dir + "/" + QString::fromLatin1(hash.result().toHex()) + ".gcmodel";
}

TrainEpoch train_epoch(const gc::model::EpochLog& e, int epochs) {
  return {e.epoch, epochs, e.loss, e.imputation, e.velocity, e.supervised, e.prior, e.penalty, e.seconds};
}

Training training_of(const gc::model::TrainLog& log, int epochs) {
  Training t;
  for (const auto& e : log.epochs)
    t.epochs.push_back(train_epoch(e, epochs));
  t.seconds = log.seconds;
  return t;
}
#endif

// The GenoCircuit network: the edges of genocircuit_model's model, with its training log.
LearnedNetwork genocircuit_network(const GrnSources& sources, const gc::Progress& progress,
                                   const TrainSink& on_epoch) {
#ifdef GC_GRN_HAVE_GENOCIRCUIT
  LearnedNetwork out;
  out.provenance.add(Provenance::learned).add(Provenance::expression);
  if (!sources.motifs.isEmpty()) out.provenance.add(Provenance::motif);
  if (!sources.hic.isEmpty() && !sources.elements.isEmpty()) out.provenance.add(Provenance::hic);
  auto learned = genocircuit_model(sources, progress, on_epoch);
  out.edges = gc::grn::genocircuit_edges(learned.model);
  const auto& log = learned.model.log();
  out.training = training_of(log, learned.model.config().epochs);
  out.training.cached = learned.cached;
  out.training.checkpoint = learned.checkpoint.toStdString();
  out.training.trained_at = learned.trained_at.toStdString();
  if (learned.cached) {
    out.notes.push_back("GenoCircuit model from the cache: " + learned.checkpoint.toStdString());
  } else {
    out.notes.push_back("GenoCircuit trained (" + std::to_string(log.epochs.size()) + " epochs, " +
                        std::to_string(static_cast<int>(log.seconds)) + " s) and cached in " +
                        learned.checkpoint.toStdString());
  }
  for (auto& w : learned.warnings)
    out.notes.push_back(std::move(w));
  return out;
#else
  (void)sources, (void)progress, (void)on_epoch;
  throw gc::Error("this build has no GenoCircuit model (LibTorch)");
#endif
}

} // namespace

Evaluation evaluate_network(const GraphData& data, const std::vector<std::string>& universe,
                            const std::optional<std::vector<std::string>>& tfs) {
  std::vector<gc::grn::ScoredEdge> ranked;
  ranked.reserve(data.edges.size());
  for (const auto& e : data.edges) {
    ranked.push_back({data.genes[static_cast<std::size_t>(e.regulator)],
                      data.genes[static_cast<std::size_t>(e.target)], e.score, e.sign});
  }
  std::vector<std::pair<std::string, std::string>> truth;
  truth.reserve(data.reference_edges.size());
  for (const auto& r : data.reference_edges) {
    truth.emplace_back(data.genes[static_cast<std::size_t>(r.regulator)],
                       data.genes[static_cast<std::size_t>(r.target)]);
  }
  gc::grn::EvalOptions options;
  options.tfs = tfs;
  Evaluation ev;
  ev.metrics = gc::grn::evaluate(ranked, truth, universe, options);
  if (ev.metrics.candidate_edges > max_curve_candidates) {
    ev.curves_note = std::to_string(ev.metrics.candidate_edges) +
                     " candidate edges: curves are drawn up to " + std::to_string(max_curve_candidates);
    return ev;
  }
  const auto labelled = gc::grn::label_candidates(ranked, truth, universe, options);
  ev.pr = thin(gc::grn::pr_curve(labelled.scores, labelled.labels));
  ev.roc = thin(gc::grn::roc_curve(labelled.scores, labelled.labels));
  return ev;
}

GraphData run_grn_job(const GrnSources& sources, const gc::Progress& progress, const TrainSink& on_epoch) {
  if (!sources.network) throw gc::Error("no network to show: load an expression dataset or an edge list");
  const Dataset& ds = *sources.network;
  const std::string file = file_name(ds).toStdString();
  GraphData data;
  data.source = file;
  std::vector<std::string> universe; // the network's genes
  std::optional<std::vector<std::string>> tfs;
  if (sources.inferred()) {
    const auto& m = *ds.source->expression;
    data.genes = m.var.index;
    data.index_genes();
    tfs = marked_tfs(m);
    if (tfs) {
      for (const auto& t : *tfs)
        if (const auto g = data.gene_index(t)) data.is_tf[static_cast<std::size_t>(*g)] = 1;
    }
    const std::string method =
        sources.genocircuit ? std::string(genocircuit_method) : gc::grn::method_name(sources.method);
    progress.update(0.0, "inferring the network (" + method + ")");
    if (sources.genocircuit) {
      auto learned = genocircuit_network(sources, progress.sub(0.0, 0.85), on_epoch);
      add_ranked_edges(data, std::move(learned.edges), learned.provenance);
      for (auto& n : learned.notes)
        data.notes.push_back(std::move(n));
      data.training = std::move(learned.training);
    } else {
      auto edges = infer_network(m, sources.method, tfs, progress.sub(0.0, 0.85));
      add_ranked_edges(data, std::move(edges), Provenance::expression);
    }
    sign_by_correlation(data, m, progress.sub(0.85, 0.9));
    data.method = method;
    data.title = method_label(QString::fromStdString(method)).toStdString() + " on " + file;
    data.notes.push_back(tfs ? "regulators: the " + std::to_string(tfs->size()) +
                                   " genes marked in var column is_tf"
                             : std::string("regulators: every gene (no var column is_tf)"));
    data.notes.emplace_back(
        sources.genocircuit
            ? "edge signs: the sign of the model's edge function (slopes above and below the mean)"
            : "edge signs: sign of the Pearson correlation of regulator and target");
    universe = data.genes;
  } else {
    const auto list = gc::expr::read_edge_list(ds.path.toStdString());
    progress.update(0.5, "reading " + file);
    std::vector<gc::grn::ScoredEdge> edges;
    std::set<std::pair<std::string, std::string>> seen;
    edges.reserve(list.edges.size());
    for (const auto& e : list.edges) {
      // A pair listed twice keeps its first line, as BEELINE reads it.
      if (seen.emplace(e.source, e.target).second) {
        edges.push_back(
            {e.source, e.target, list.has_weights && std::isfinite(e.weight) ? e.weight : 1.0, e.sign});
      }
    }
    for (const auto& n : list.nodes)
      (void)data.intern(n);
    add_ranked_edges(data, std::move(edges), ProvenanceSet());
    // The sources of an edge list are its regulators.
    for (const auto& e : data.edges)
      data.is_tf[static_cast<std::size_t>(e.regulator)] = 1;
    data.method = list.has_weights ? "edge weight" : "unweighted";
    data.title = file;
    universe = list.nodes;
  }
  progress.check();
  if (sources.reference) {
    const std::string ref_file = file_name(*sources.reference).toStdString();
    const auto truth = gc::grn::read_truth(sources.reference->path.toStdString());
    std::vector<ReferenceEdge> ref;
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < truth.edges.size(); ++i) {
      const int a = data.intern(truth.edges[i].first), b = data.intern(truth.edges[i].second);
      if (seen.emplace(a, b).second) ref.push_back({a, b, truth.signs.empty() ? 0 : truth.signs[i]});
    }
    set_reference(data, ref_file, ref);
    std::set<std::string> named_by_truth;
    for (const auto& [a, b] : truth.edges) {
      named_by_truth.insert(a);
      named_by_truth.insert(b);
    }
    std::vector<std::string> shared;
    for (const auto& g : universe)
      if (named_by_truth.contains(g)) shared.push_back(g);
    progress.update(0.92, "evaluating against " + ref_file);
    if (shared.size() >= 2) {
      data.evaluation = evaluate_network(data, shared, tfs);
    } else {
      data.notes.push_back(ref_file + " shares fewer than 2 genes with " + file + ": no PR/ROC curves");
    }
  }
  for (const auto& n : sources.notes)
    data.notes.push_back(n.toStdString());
  progress.update(1.0);
  return data;
}

QString method_label(const QString& method) {
  if (method == genocircuit_method) return "GenoCircuit";
  if (method == "genie3") return "GENIE3";
  if (method == "grnboost2") return "GRNBoost2";
  if (method == "pearson") return "|Pearson|";
  if (method == "spearman") return "|Spearman|";
  if (method == "pidc") return "PIDC";
  return method;
}

#ifdef GC_GRN_HAVE_GENOCIRCUIT
QString genocircuit_checkpoint(const GrnSources& sources) {
  const auto tfs = marked_tfs(network_expression(sources));
  return checkpoint_of(sources, genocircuit_options(sources, tfs), tfs);
}

GenoCircuitModel genocircuit_model(const GrnSources& sources, const gc::Progress& progress,
                                   const TrainSink& on_epoch) {
  const auto& m = network_expression(sources);
  const auto tfs = marked_tfs(m);
  const auto options = genocircuit_options(sources, tfs);
  const QString cached = checkpoint_of(sources, options, tfs);
  const auto written = [&cached] { return QFileInfo(cached).lastModified().toString("yyyy-MM-dd HH:mm"); };
  if (!sources.retrain && QFileInfo::exists(cached)) {
    try {
      progress.update(0.5, "reading the cached GenoCircuit model");
      return {gc::model::GenoCircuit::load(cached.toStdString()), cached, true, written(), {}};
    } catch (const gc::InputError&) {
      // A damaged or older checkpoint: train again below.
    }
  }
  gc::grn::GenoCircuitSources in;
  in.genome = sources.genome.toStdString();
  in.annotation = sources.annotation.toStdString();
  in.elements = sources.elements.toStdString();
  in.hic = sources.hic.toStdString();
  in.motifs = sources.motifs.toStdString();
  const int epochs = options.config.epochs;
  gc::model::EpochCallback forward;
  if (on_epoch)
    forward = [&on_epoch, epochs](const gc::model::EpochLog& e) { on_epoch(train_epoch(e, epochs)); };
  auto run = gc::grn::train_genocircuit(m, in, options, progress, forward);
  QDir().mkpath(QFileInfo(cached).path());
  run.model.save(cached.toStdString());
  return {std::move(run.model), cached, false, written(), std::move(run.warnings)};
}
#endif

} // namespace gc::ui::graph
