#include "gc/ui/whatif/whatif_job.h"

#include "gc/perturb/eval.h"
#include "gc/perturb/screen.h"
#include "gc/perturb/tables.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#ifdef GC_PERTURB_HAVE_ENGINE
#include "gc/perturb/engine.h"
#endif

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <set>
#include <unordered_set>

namespace gc::ui::whatif {

struct WhatifModel::Impl {
  std::vector<std::string> genes, groups, regulators, screened, notes;
  std::unordered_set<std::string> gene_set;
  std::string scale = "log1p";
  QStringList default_genes;
  std::shared_ptr<const TruthTable> truth;
  QString checkpoint, grn_checkpoint, screen_name;
  bool cached = false;
#ifdef GC_PERTURB_HAVE_ENGINE
  // The engine refers to the model, so both stay where they were made.
  std::unique_ptr<gc::model::PerturbationModel> model;
  std::unique_ptr<gc::perturb::KnockoutEngine> engine;
#endif
  // Predictions reseed LibTorch's global generator: one model call at a time keeps them
  // reproducible when a stale request is still ending.
  mutable std::mutex mutex;
};

namespace {

QString file_name(const Dataset& d) { return QFileInfo(d.path).fileName(); }

std::vector<std::string> split_header(const std::string& line) {
  std::vector<std::string> out;
  for (const auto f : gc::split_tabs(line))
    out.emplace_back(f);
  return out;
}

QString lower(QString s) { return s.toLower(); }

constexpr std::array<const char*, 4> truth_columns{"perturbation", "cell_type", "gene", "expected_log2fc"};

// Levenshtein distance, for suggesting gene names.
int edit_distance(const QString& a, const QString& b) {
  std::vector<int> row(static_cast<std::size_t>(b.size()) + 1);
  for (std::size_t j = 0; j < row.size(); ++j)
    row[j] = static_cast<int>(j);
  for (qsizetype i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (qsizetype j = 1; j <= b.size(); ++j) {
      const int above = row[static_cast<std::size_t>(j)];
      row[static_cast<std::size_t>(j)] = std::min(
          {above + 1, row[static_cast<std::size_t>(j - 1)] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row.back();
}

#ifdef GC_PERTURB_HAVE_ENGINE
std::string scale_label(const std::string& model_scale) {
  if (model_scale == "log2p1") return "log2(1+x)";
  if (model_scale == "log2_ratio") return "log2 ratio";
  return "log1p";
}

#endif

std::string percent(double fraction) {
  const double p = fraction * 100.0;
  const double rounded = std::round(p * 10.0) / 10.0;
  QString text = QString::number(rounded, 'f', rounded == std::floor(rounded) ? 0 : 1);
  return text.toStdString() + " %";
}

std::string fold(double factor) { return QString::number(factor, 'g', 6).toStdString() + "×"; }

std::string describe(const gc::perturb::Intervention& iv) {
  std::string genes;
  for (const auto& g : iv.genes)
    genes += (genes.empty() ? "" : " + ") + g.gene;
  const auto& first = iv.genes.front();
  switch (first.mode) {
  case gc::perturb::Mode::knockdown: return genes + " knockdown by " + percent(first.factor);
  case gc::perturb::Mode::overexpression: return genes + " " + fold(first.factor) + " overexpression";
  case gc::perturb::Mode::knockout: break;
  }
  return genes + " knockout";
}

#ifdef GC_PERTURB_HAVE_ENGINE
// The hash of everything the perturbation model is made from: the GRN's cache name (itself a
// hash of the GRN's inputs), the screen file and the configuration.
QString perturbation_checkpoint(const QString& grn_checkpoint, const ModelSources& s,
                                const std::string& config) {
  QCryptographicHash hash(QCryptographicHash::Sha1);
  const QFileInfo info(s.screen->path);
  hash.addData((QFileInfo(grn_checkpoint).fileName() + "|" + s.screen->path + "|" +
                QString::number(info.size()) + "|" +
                QString::number(info.lastModified().toMSecsSinceEpoch()) + "\n")
                   .toUtf8());
  hash.addData(QByteArray::fromStdString(config));
  return QFileInfo(grn_checkpoint).path() + "/" + QString::fromLatin1(hash.result().toHex()) + ".gcpert";
}
#endif

void require_model(const WhatifModel& m) {
#ifdef GC_PERTURB_HAVE_ENGINE
  if (m.impl().engine) return;
#endif
  (void)m;
  throw gc::Error("this build has no perturbation model (LibTorch)");
}

struct Scenario {
  gc::perturb::Intervention intervention;
  std::string group;
};

Scenario scenario_of(const WhatifModel& m, const WhatifState& st) {
  if (st.genes.isEmpty()) throw InputError("no genes to perturb: type one or more gene names");
  QStringList problems;
  for (const auto& g : st.genes) {
    if (m.has_gene(g.toStdString())) continue;
    const auto close = m.suggest(g);
    problems << "'" + g + "' is not a gene of the model" +
                    (close.isEmpty() ? QString() : " (did you mean " + close.join(", ") + "?)");
  }
  if (!problems.isEmpty()) throw InputError(problems.join("; ").toStdString());
  if (!valid_factor(st.mode, st.factor)) {
    throw InputError(st.mode == gc::perturb::Mode::knockdown
                         ? "a knockdown removes a fraction between 0 and 1 of the expression"
                         : "an overexpression multiplies the expression by a fold above 1 (at most 1000)");
  }
  Scenario s;
  s.intervention = gc::perturb::make_intervention(st.genes.join(',').toStdString(), st.mode_text());
  const auto& groups = m.groups();
  s.group = st.group.isEmpty() ? groups.front() : st.group.toStdString();
  if (std::find(groups.begin(), groups.end(), s.group) == groups.end()) {
    std::string names;
    for (const auto& g : groups)
      names += (names.empty() ? "" : ", ") + g;
    throw InputError("no cell group '" + s.group + "' in the model (groups: " + names + ")");
  }
  return s;
}

int sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

// Reports through `outer` with each message prefixed ("GRN: epoch 3/40"), so that the two
// trainings of the model job can be told apart.
class PrefixListener final : public gc::ProgressListener {
public:
  PrefixListener(gc::Progress outer, std::string prefix)
      : m_outer(std::move(outer)), m_prefix(std::move(prefix)) {}
  void on_progress(double fraction, const std::string& message) override {
    m_outer.update(fraction, message.empty() ? message : m_prefix + message);
  }

private:
  gc::Progress m_outer;
  std::string m_prefix;
};

[[maybe_unused]] gc::Progress prefixed(const gc::Progress& outer, std::string prefix) {
  // The same token, so that a cancel is seen between reports too.
  return {std::make_shared<PrefixListener>(outer, std::move(prefix)),
          outer.token() ? *outer.token() : gc::CancelToken{}};
}

std::optional<TruthComparison> compare_with_truth(const TruthTable& truth, const Response& r) {
  const auto* expected = truth.find(r.label, r.group);
  if (!expected) return std::nullopt;
  TruthComparison c;
  c.label = r.label;
  c.group = r.group;
  for (const auto& row : r.rows) {
    if (row.perturbed) continue; // its change is the intervention itself
    const auto it = expected->find(row.gene);
    if (it == expected->end()) continue;
    c.genes.push_back(row.gene);
    c.predicted.push_back(row.log2fc);
    c.expected.push_back(it->second);
  }
  if (c.genes.empty()) return std::nullopt;
  c.pearson = gc::perturb::pearson(c.predicted, c.expected);
  c.top_de.assign(c.genes.size(), false);
  for (const auto i : gc::perturb::top_changed(c.expected, {}, truth_top_de)) {
    c.top_de[i] = true;
    ++c.direction_total;
    if (sign(c.predicted[i]) == sign(c.expected[i])) ++c.direction_agree;
  }
  return c;
}

} // namespace

bool have_perturbation_model() noexcept {
#ifdef GC_PERTURB_HAVE_ENGINE
  return true;
#else
  return false;
#endif
}

int default_perturbation_epochs() {
#ifdef GC_PERTURB_HAVE_ENGINE
  return gc::model::PerturbationConfig{}.epochs;
#else
  return 0;
#endif
}

bool is_screen(const Dataset& d) {
  if (!d.source || !d.source->expression) return false;
  const auto& obs = d.source->expression->obs;
  const auto& columns = gc::perturb::screen_target_columns();
  return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return obs.find(c); });
}

bool is_truth_table(const Dataset& d) {
  if (!d.source || d.source->kind != gc::data::Kind::table) return false;
  const auto* first = d.source->info.find("first_line");
  if (!first || !first->is_string()) return false;
  const auto header = split_header(first->as_string());
  return std::all_of(truth_columns.begin(), truth_columns.end(), [&](const char* c) {
    return std::find(header.begin(), header.end(), c) != header.end();
  });
}

TruthTable read_truth_table(const QString& path, const gc::Progress& progress) {
  return gc::perturb::read_truth_table(path.toStdString(), progress);
}

QString ModelSources::key() const {
  if (!ready()) return {};
  return grn.key() + "|screen|" + screen->path + "|" + QString::number(epochs) + "|" + QString::number(seed) +
         "|truth|" + (truth ? truth->path : QString());
}

bool ModelSources::ready() const noexcept { return screen && grn.network; }

QString ModelSources::missing() const {
  if (screen) return {};
  return "No perturbation screen is loaded. Open an .h5ad whose obs has a perturbation column (perturbation, "
         "gene, target_gene or guide_identity) with control cells — the demo world's screen.h5ad is one — "
         "and "
         "the perturbation model is trained on it, over the GRN of the expression data.";
}

ModelSources choose_model_sources(const std::vector<std::shared_ptr<const Dataset>>& datasets) {
  ModelSources s;
  std::shared_ptr<const Dataset> expression;
  for (const auto& d : datasets) {
    if (!d->source) continue;
    if (is_screen(*d)) {
      if (!s.screen) s.screen = d;
    } else if (d->source->expression && !expression) {
      expression = d;
    }
    if (is_truth_table(*d) && !s.truth) s.truth = d;
  }
  if (!expression) expression = s.screen;
  if (!expression) return s;
  // The graph view's GenoCircuit on that expression dataset, so both views share one model.
  graph::GraphState grn_state;
  grn_state.method = graph::genocircuit_method;
  grn_state.source = file_name(*expression);
  grn_state.reference = QString(); // the reference plays no part in the model
  s.grn = graph::choose_sources(datasets, grn_state);
  return s;
}

WhatifModel::WhatifModel(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

const std::vector<std::string>& WhatifModel::genes() const noexcept { return m_impl->genes; }
const std::vector<std::string>& WhatifModel::groups() const noexcept { return m_impl->groups; }
const std::string& WhatifModel::scale() const noexcept { return m_impl->scale; }
bool WhatifModel::has_gene(const std::string& gene) const { return m_impl->gene_set.contains(gene); }
const std::vector<std::string>& WhatifModel::regulators() const noexcept { return m_impl->regulators; }
const QStringList& WhatifModel::default_genes() const noexcept { return m_impl->default_genes; }
const std::vector<std::string>& WhatifModel::screened() const noexcept { return m_impl->screened; }
const TruthTable* WhatifModel::truth() const noexcept { return m_impl->truth.get(); }
const QString& WhatifModel::checkpoint() const noexcept { return m_impl->checkpoint; }
const QString& WhatifModel::grn_checkpoint() const noexcept { return m_impl->grn_checkpoint; }
bool WhatifModel::cached() const noexcept { return m_impl->cached; }
const QString& WhatifModel::screen_name() const noexcept { return m_impl->screen_name; }
const std::vector<std::string>& WhatifModel::notes() const noexcept { return m_impl->notes; }

QStringList WhatifModel::suggest(const QString& name, int limit) const {
  const QString key = lower(name.trimmed());
  std::vector<std::pair<int, QString>> scored;
  for (const auto& g : m_impl->genes) {
    const QString gene = QString::fromStdString(g);
    const QString l = lower(gene);
    // A prefix match ranks with one edit, so "TF0" suggests TF01, TF02, ...
    const int d = l.startsWith(key) && !key.isEmpty() ? 1 : edit_distance(key, l);
    if (d <= std::max<qsizetype>(2, key.size() / 3)) scored.emplace_back(d, gene);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  QStringList out;
  for (const auto& [d, gene] : scored) {
    if (out.size() >= limit) break;
    out << gene;
  }
  return out;
}

std::shared_ptr<const WhatifModel> run_model_job(const ModelSources& sources, const gc::Progress& progress) {
  if (!sources.ready()) throw gc::Error(sources.missing().toStdString());
#ifdef GC_PERTURB_HAVE_ENGINE
  auto impl = std::make_shared<WhatifModel::Impl>();
  impl->screen_name = file_name(*sources.screen);
  progress.update(0.0, "reading the screen " + impl->screen_name.toStdString());
  const auto data =
      gc::perturb::load_perturbation_data(sources.screen->path.toStdString(), {}, progress.sub(0.0, 0.05));
  gc::model::PerturbationConfig config;
  config.epochs = sources.epochs;
  config.seed = sources.seed;
  config.validate();
  impl->grn_checkpoint = graph::genocircuit_checkpoint(sources.grn);
  impl->checkpoint = perturbation_checkpoint(impl->grn_checkpoint, sources, config.to_json().dump());
  if (!sources.retrain && QFileInfo::exists(impl->checkpoint)) {
    try {
      progress.update(0.5, "reading the cached perturbation model");
      impl->model = std::make_unique<gc::model::PerturbationModel>(
          gc::model::PerturbationModel::load(impl->checkpoint.toStdString()));
      impl->cached = true;
      impl->notes.push_back("perturbation model from the cache: " + impl->checkpoint.toStdString());
    } catch (const gc::InputError& e) {
      impl->notes.push_back(std::string("the cached perturbation model could not be read (") + e.what() +
                            "): training again");
    }
  }
  if (!impl->model) {
    auto grn = graph::genocircuit_model(sources.grn, prefixed(progress.sub(0.05, 0.6), "GRN: "));
    impl->notes.push_back((grn.cached ? "GRN from the cache: " : "GRN trained and cached: ") +
                          grn.checkpoint.toStdString());
    for (auto& w : grn.warnings)
      impl->notes.push_back(std::move(w));
    std::size_t matched = 0;
    auto inputs = gc::perturb::perturbation_inputs(data, grn.model.inputs().genes, grn.model.edge_functions(),
                                                   {}, &matched);
    impl->notes.push_back(std::to_string(matched) + " of the GRN's " +
                          std::to_string(grn.model.inputs().genes.size()) + " genes are in " +
                          impl->screen_name.toStdString());
    auto model = std::make_unique<gc::model::PerturbationModel>(config, std::move(inputs));
    const int epochs = config.epochs;
    (void)model->train(prefixed(progress.sub(0.6, 0.97), "perturbation model: "));
    QDir().mkpath(QFileInfo(impl->checkpoint).path());
    model->save(impl->checkpoint.toStdString());
    impl->notes.push_back("perturbation model trained (" + std::to_string(epochs) +
                          " epochs) and cached in " + impl->checkpoint.toStdString());
    impl->model = std::move(model);
  }
  const auto& in = impl->model->inputs();
  impl->engine = std::make_unique<gc::perturb::KnockoutEngine>(*impl->model);
  impl->genes = in.genes;
  impl->gene_set = {in.genes.begin(), in.genes.end()};
  impl->groups = in.groups;
  impl->scale = scale_label(gc::model::scale_name(in.scale));
  std::set<std::int64_t> sources_of_edges(in.edge_src.begin(), in.edge_src.end());
  for (const auto g : sources_of_edges)
    impl->regulators.push_back(in.genes[static_cast<std::size_t>(g)]);
  // The scenario to open with: the knockout of a regulator the screen did NOT knock out (what
  // the model is for, and its comparison with a truth table is then out of sample), the one the
  // model predicts to move the rest most (one batched call); the screen's own single knockouts
  // of regulators when it knocked out every one.
  std::set<std::string> labels;
  std::vector<gc::perturb::Intervention> singles, unscreened;
  for (const auto& o : data.observations) {
    if (!labels.insert(o.intervention.label()).second) continue;
    impl->screened.push_back(o.intervention.label());
    if (o.intervention.size() == 1 && o.intervention.genes.front().mode == gc::perturb::Mode::knockout &&
        sources_of_edges.contains(impl->model->gene_index(o.intervention.genes.front().gene)))
      singles.push_back(o.intervention);
  }
  for (const auto& r : impl->regulators)
    if (!labels.contains(r)) unscreened.push_back(gc::perturb::make_intervention(r));
  if (!unscreened.empty()) singles = std::move(unscreened);
  progress.check();
  if (!singles.empty()) {
    const auto results = impl->engine->predict(singles, "");
    std::size_t best = 0;
    for (std::size_t i = 1; i < results.size(); ++i)
      if (results[i].impact > results[best].impact) best = i;
    impl->default_genes << QString::fromStdString(singles[best].genes.front().gene);
  }
  if (sources.truth) {
    try {
      impl->truth =
          std::make_shared<TruthTable>(read_truth_table(sources.truth->path, progress.sub(0.97, 1.0)));
    } catch (const gc::InputError& e) {
      impl->notes.push_back(std::string("the truth table was not read: ") + e.what());
    }
  }
  progress.update(1.0);
  return std::make_shared<const WhatifModel>(std::move(impl));
#else
  (void)progress;
  throw gc::Error("this build has no perturbation model (LibTorch)");
#endif
}

std::vector<GeneRow> Response::top(std::size_t n) const {
  return {rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(std::min(n, rows.size()))};
}

const GeneRow* Response::row(const std::string& gene) const {
  for (const auto& r : rows)
    if (r.gene == gene) return &r;
  return nullptr;
}

double log2_fold_change(const std::string& scale, double control, double predicted) {
  constexpr double pseudo = 0.01;
  if (scale == "log2 ratio") return predicted - control;
  const auto amount = [&scale](double x) {
    x = std::max(x, 0.0);
    return scale == "log2(1+x)" ? std::exp2(x) - 1.0 : std::expm1(x);
  };
  return std::log2((amount(predicted) + pseudo) / (amount(control) + pseudo));
}

Response predict_response(const WhatifModel& model, const WhatifState& state, const gc::Progress& progress) {
  require_model(model);
  const auto scenario = scenario_of(model, state);
  progress.check();
  Response out;
  out.label = scenario.intervention.label();
  out.description = describe(scenario.intervention);
  out.group = scenario.group;
  out.scale = model.scale();
#ifdef GC_PERTURB_HAVE_ENGINE
  const auto& impl = model.impl();
  gc::perturb::KnockoutResult result;
  {
    const std::lock_guard lock(impl.mutex);
    progress.check();
    result = impl.engine->predict({scenario.intervention}, scenario.group).front();
  }
  progress.check();
  const auto& in = impl.model->inputs();
  const auto gi = static_cast<std::size_t>(impl.model->group_index(scenario.group));
  const auto n = in.genes.size();
  out.impact = result.impact;
  out.changed = result.changed;
  for (const auto& r : result.ranked(n)) {
    GeneRow row;
    row.gene = r.gene;
    row.delta = r.delta;
    row.sd = r.sd;
    row.step = r.step;
    row.via = r.via;
    row.perturbed = r.step == 0;
    row.control = in.control_mean[gi * n + static_cast<std::size_t>(impl.model->gene_index(r.gene))];
    row.log2fc = log2_fold_change(out.scale, row.control, row.control + row.delta);
    if (!row.perturbed && out.most_changed.empty()) out.most_changed = row.gene;
    out.rows.push_back(std::move(row));
  }
#endif
  if (model.truth()) out.truth = compare_with_truth(*model.truth(), out);
  progress.update(1.0);
  return out;
}

graph::ResponseOverlay response_overlay(const Response& response) {
  graph::ResponseOverlay o;
  o.title = response.description + " in " + response.group;
  o.scale = response.scale;
  for (const auto& r : response.rows) {
    o.delta.emplace(r.gene, r.delta);
    if (r.perturbed) o.perturbed.insert(r.gene);
    if (r.step > 0 && !r.via.empty()) o.cascade.emplace(r.via, r.gene);
  }
  o.finish();
  return o;
}

std::string explanation_target(const WhatifState& state, const Response& response) {
  return state.target.isEmpty() ? response.most_changed : state.target.toStdString();
}

Explanation explain_response(const WhatifModel& model, const WhatifState& state, const std::string& target,
                             const gc::Progress& progress) {
  require_model(model);
  const auto scenario = scenario_of(model, state);
  if (target.empty()) throw InputError("no gene changes: nothing to explain");
  if (!model.has_gene(target)) {
    const auto close = model.suggest(QString::fromStdString(target));
    throw InputError(
        "explanation target '" + target + "' is not a gene of the model" +
        (close.isEmpty() ? std::string() : " (did you mean " + close.join(", ").toStdString() + "?)"));
  }
  Explanation out;
  out.target = target;
  out.label = scenario.intervention.label();
  out.group = scenario.group;
  out.players = state.players;
#ifdef GC_PERTURB_HAVE_ENGINE
  const auto& impl = model.impl();
  const auto players = state.players == Players::perturbed ? gc::perturb::Players::perturbed
                                                           : gc::perturb::Players::regulators;
  const std::lock_guard lock(impl.mutex);
  const auto n = impl.engine->player_count(scenario.intervention, target, players);
  gc::perturb::ShapleyOptions options;
  options.seed = 1;
  switch (state.method) {
  case Method::automatic:
    out.automatic = true;
    options.method = n <= gc::perturb::max_exact_players ? gc::perturb::ShapleyMethod::exact
                                                         : gc::perturb::ShapleyMethod::permutation;
    options.target_se = auto_target_se;
    break;
  case Method::exact:
    if (n > gc::perturb::max_exact_players) {
      throw InputError(target + "'s change has " + std::to_string(n) +
                       " players; exact enumeration handles at most " +
                       std::to_string(gc::perturb::max_exact_players) +
                       ": choose permutation or kernel sampling (or auto)");
    }
    options.method = gc::perturb::ShapleyMethod::exact;
    break;
  case Method::permutation:
    options.method = gc::perturb::ShapleyMethod::permutation;
    options.target_se = auto_target_se;
    break;
  case Method::kernel: options.method = gc::perturb::ShapleyMethod::kernel; break;
  }
  auto explained =
      impl.engine->explain(scenario.intervention, scenario.group, {target}, players, options, progress);
  out.shapley = std::move(explained.front().shapley);
#else
  (void)progress;
#endif
  return out;
}

} // namespace gc::ui::whatif
