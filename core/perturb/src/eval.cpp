#include "gc/perturb/eval.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace gc::perturb {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::size_t> candidates(std::size_t genes, const std::vector<std::size_t>& excluded) {
  std::vector<bool> out(genes, false);
  for (const auto g : excluded)
    if (g < genes) out[g] = true;
  std::vector<std::size_t> c;
  for (std::size_t g = 0; g < genes; ++g)
    if (!out[g]) c.push_back(g);
  return c;
}

// Membership of each candidate in the top m by |v|: 1 above the cut, a share of the places left
// for those tied at it, 0 below.
std::vector<double> top_membership(const std::vector<double>& v, const std::vector<std::size_t>& c,
                                   std::size_t m) {
  std::vector<double> a(c.size());
  for (std::size_t i = 0; i < c.size(); ++i)
    a[i] = std::fabs(v[c[i]]);
  std::vector<double> sorted = a;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(m - 1), sorted.end(),
                   std::greater<>());
  const double cut = sorted[m - 1];
  std::size_t above = 0, tied = 0;
  for (const double x : a) {
    above += x > cut ? 1 : 0;
    tied += x == cut ? 1 : 0;
  }
  const double share = static_cast<double>(m - above) / static_cast<double>(tied);
  std::vector<double> w(c.size());
  for (std::size_t i = 0; i < c.size(); ++i)
    w[i] = a[i] > cut ? 1.0 : a[i] == cut ? share : 0.0;
  return w;
}

int sign(double x) { return (x > 0) - (x < 0); }

double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  std::size_t n = 0;
  for (const double x : v)
    if (!std::isnan(x)) {
      s += x;
      ++n;
    }
  return n ? s / static_cast<double>(n) : nan;
}

double median_of(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return nan;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// JSON has no NaN: an undefined value is null.
Json value_or_null(double v) { return std::isnan(v) ? Json() : Json(v); }

Json values_or_null(const std::vector<double>& v) {
  Json a = Json::array();
  for (const double x : v)
    a.push_back(value_or_null(x));
  return a;
}

std::string format_value(double v, Metric m) {
  if (std::isnan(v)) return "n/a";
  char buf[32];
  if (m == Metric::mse_top20 || m == Metric::l2_top_expressed)
    std::snprintf(buf, sizeof buf, "%.4g", v);
  else
    std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// One seed's values of a kind ([predictor][metric] -> per-item values) into its summaries.
using SeedValues = std::vector<std::array<std::vector<double>, metric_count>>;
void add_seed(KindResult& kind, const SeedValues& values) {
  for (std::size_t pi = 0; pi < kind.predictors.size(); ++pi)
    for (std::size_t m = 0; m < metric_count; ++m) {
      auto& summary = kind.predictors[pi].metrics[m];
      const auto& v = values[pi][m];
      summary.seed_means.push_back(mean_of(v));
      summary.seed_medians.push_back(median_of(v));
      summary.items += static_cast<std::int64_t>(v.size());
      summary.values += std::count_if(v.begin(), v.end(), [](double x) { return !std::isnan(x); });
    }
}

} // namespace

std::string_view metric_name(Metric m) noexcept {
  switch (m) {
  case Metric::pearson_delta: return "pearson_delta";
  case Metric::pearson_delta_top20: return "pearson_delta_top20";
  case Metric::mse_top20: return "mse_top20";
  case Metric::direction_top20: return "direction_top20";
  case Metric::l2_top_expressed: return "l2_top_expressed";
  case Metric::top50_accuracy: return "top50_accuracy";
  }
  return "";
}

bool higher_is_better(Metric m) noexcept { return m != Metric::mse_top20 && m != Metric::l2_top_expressed; }

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw Error("pearson: vectors of different lengths");
  const auto n = a.size();
  if (n < 2) return nan;
  double ma = 0.0, mb = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double saa = 0.0, sbb = 0.0, sab = 0.0, qa = 0.0, qb = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = a[i] - ma, db = b[i] - mb;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
    qa += a[i] * a[i];
    qb += b[i] * b[i];
  }
  // Constant up to rounding (a mean that is not exactly representable leaves tiny deviations).
  if (saa <= 1e-24 * qa || sbb <= 1e-24 * qb || saa == 0.0 || sbb == 0.0) return nan;
  return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

std::vector<std::size_t> top_changed(const std::vector<double>& observed,
                                     const std::vector<std::size_t>& excluded, std::size_t n) {
  auto c = candidates(observed.size(), excluded);
  std::stable_sort(c.begin(), c.end(), [&](std::size_t x, std::size_t y) {
    return std::fabs(observed[x]) > std::fabs(observed[y]);
  });
  c.resize(std::min(n, c.size()));
  return c;
}

double top_k_accuracy(const std::vector<double>& predicted, const std::vector<double>& observed,
                      const std::vector<std::size_t>& excluded, std::size_t k) {
  if (predicted.size() != observed.size()) throw Error("top_k_accuracy: vectors of different lengths");
  const auto c = candidates(observed.size(), excluded);
  const auto m = std::min(k, c.size());
  if (m == 0) return nan;
  const auto wp = top_membership(predicted, c, m);
  const auto wo = top_membership(observed, c, m);
  double overlap = 0.0;
  for (std::size_t i = 0; i < c.size(); ++i)
    overlap += wp[i] * wo[i];
  return overlap / static_cast<double>(m);
}

std::vector<std::size_t> most_expressed(const std::vector<double>& level, std::size_t genes, std::size_t n) {
  std::vector<std::size_t> idx(genes);
  std::iota(idx.begin(), idx.end(), 0);
  if (level.empty()) return idx;
  if (level.size() != genes) throw Error("most_expressed: one level per gene expected");
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return level[x] > level[y]; });
  idx.resize(std::min(n, genes));
  std::sort(idx.begin(), idx.end());
  return idx;
}

MetricValues score_response(const std::vector<double>& predicted, const std::vector<double>& observed,
                            const std::vector<std::size_t>& perturbed,
                            const std::vector<std::size_t>& expressed, const MetricOptions& options) {
  if (predicted.size() != observed.size())
    throw Error("score_response: " + std::to_string(predicted.size()) + " predicted values for " +
                std::to_string(observed.size()) + " genes");
  MetricValues v;
  v.fill(nan);
  v[static_cast<std::size_t>(Metric::pearson_delta)] = pearson(predicted, observed);
  const auto de = top_changed(observed, perturbed, options.top_de);
  if (!de.empty()) {
    std::vector<double> p, o;
    double se = 0.0, right = 0.0;
    for (const auto g : de) {
      p.push_back(predicted[g]);
      o.push_back(observed[g]);
      se += (predicted[g] - observed[g]) * (predicted[g] - observed[g]);
      right += sign(predicted[g]) == sign(observed[g]) ? 1.0 : 0.0;
    }
    const auto n = static_cast<double>(de.size());
    v[static_cast<std::size_t>(Metric::pearson_delta_top20)] = pearson(p, o);
    v[static_cast<std::size_t>(Metric::mse_top20)] = se / n;
    v[static_cast<std::size_t>(Metric::direction_top20)] = right / n;
  }
  if (!expressed.empty()) {
    double ss = 0.0;
    for (const auto g : expressed)
      ss += (predicted.at(g) - observed.at(g)) * (predicted.at(g) - observed.at(g));
    v[static_cast<std::size_t>(Metric::l2_top_expressed)] = std::sqrt(ss);
  }
  v[static_cast<std::size_t>(Metric::top50_accuracy)] =
      top_k_accuracy(predicted, observed, perturbed, options.top_k);
  return v;
}

double MetricSummary::mean() const { return mean_of(seed_means); }

double MetricSummary::sd() const {
  const double m = mean();
  double ss = 0.0;
  std::size_t n = 0;
  for (const double x : seed_means)
    if (!std::isnan(x)) {
      ss += (x - m) * (x - m);
      ++n;
    }
  return n >= 2 ? std::sqrt(ss / static_cast<double>(n - 1)) : nan;
}

double MetricSummary::median() const { return mean_of(seed_medians); }

EvalReport evaluate(const PerturbationDataset& data, const std::vector<PredictorSpec>& predictors,
                    const EvalOptions& options, const Progress& progress) {
  data.check();
  if (options.seeds.empty()) throw InputError("perturbation evaluation needs at least one seed");
  EvalReport report;
  report.dataset = data.summary();
  report.seeds = options.seeds;
  for (const auto& p : predictors) {
    report.predictor_names.push_back(p.name);
    report.predictor_descriptions[p.name] = p.description;
  }
  const auto n = data.n_genes();
  const auto expressed = most_expressed(data.expression_level, n, options.metrics.top_expressed);
  report.notes["l2_genes"] = static_cast<std::int64_t>(expressed.size());
  if (data.expression_level.empty())
    report.notes["l2_genes_chosen_by"] = "all genes: the data has no absolute levels";

  const bool has_doubles =
      std::any_of(data.observations.begin(), data.observations.end(), [&](const Observation& o) {
        return o.intervention.size() == 2 && data.all_measured(o.intervention);
      });
  std::vector<std::string> kinds;
  if (options.singles) kinds.push_back("singles");
  if (options.doubles && has_doubles)
    for (const char* k : {"doubles", "doubles_seen0", "doubles_seen1", "doubles_seen2"})
      kinds.emplace_back(k);
  if (options.doubles && !has_doubles) report.notes["doubles"] = "no double interventions on measured genes";
  for (const auto& k : kinds) {
    KindResult r;
    r.kind = k;
    const bool singles = k == "singles";
    for (const auto& p : predictors)
      if (singles ? p.singles : p.doubles) r.predictors.push_back({p.name, {}});
    report.kinds.push_back(std::move(r));
  }
  auto kind_index = [&](const std::string& k) {
    for (std::size_t i = 0; i < report.kinds.size(); ++i)
      if (report.kinds[i].kind == k) return i;
    throw Error("evaluate: no kind " + k);
  };

  const auto runs = options.seeds.size() *
                    ((options.singles ? 1 : 0) + (has_doubles && options.doubles ? 1 : 0)) *
                    std::max<std::size_t>(1, predictors.size());
  std::size_t run = 0;
  for (const auto seed : options.seeds) {
    for (const bool singles : {true, false}) {
      if (singles ? !options.singles : !(options.doubles && has_doubles)) continue;
      const auto split =
          singles ? split_singles(data, seed, options.split) : split_doubles(data, seed, options.split);
      // values[kind][predictor][metric] for this seed.
      std::map<std::size_t, std::vector<std::array<std::vector<double>, metric_count>>> values;
      std::vector<std::string> item_kinds(split.test.size());
      for (std::size_t t = 0; t < split.test.size(); ++t)
        item_kinds[t] = singles ? "singles" : "doubles_seen" + std::to_string(split.seen[t]);
      std::vector<std::size_t> touched = {kind_index(singles ? "singles" : "doubles")};
      if (!singles)
        for (int s = 0; s <= 2; ++s)
          touched.push_back(kind_index("doubles_seen" + std::to_string(s)));
      for (const auto k : touched) {
        values[k].resize(report.kinds[k].predictors.size());
        std::int64_t items = 0;
        for (std::size_t t = 0; t < split.test.size(); ++t)
          items += (k == touched.front() || report.kinds[k].kind == item_kinds[t]) ? 1 : 0;
        report.kinds[k].test_items.push_back(items);
        report.kinds[k].train_items.push_back(static_cast<std::int64_t>(split.train.size()));
      }
      for (const auto& spec : predictors) {
        const double lo = static_cast<double>(run) / static_cast<double>(runs);
        const double hi = static_cast<double>(++run) / static_cast<double>(runs);
        progress.update(lo, spec.name + " (seed " + std::to_string(seed) + ")");
        if (singles ? !spec.singles : !spec.doubles) continue;
        auto predictor = spec.make(seed);
        predictor->fit(data, split.train, progress.sub(lo, hi));
        for (std::size_t t = 0; t < split.test.size(); ++t) {
          const auto& o = data.observations[split.test[t]];
          const auto predicted = predictor->predict(o.intervention, o.group);
          const auto scores = score_response(predicted, o.delta, data.measured_genes(o.intervention),
                                             expressed, options.metrics);
          for (const auto k : touched) {
            if (k != touched.front() && report.kinds[k].kind != item_kinds[t]) continue;
            auto& preds = report.kinds[k].predictors;
            const auto pi = static_cast<std::size_t>(
                std::find_if(preds.begin(), preds.end(), [&](const auto& p) { return p.name == spec.name; }) -
                preds.begin());
            for (std::size_t m = 0; m < metric_count; ++m)
              values[k][pi][m].push_back(scores[m]);
          }
        }
      }
      for (const auto k : touched)
        add_seed(report.kinds[k], values[k]);
    }
  }
  progress.update(1.0);
  return report;
}

namespace {

// An intervention of the truth to score: its genes measured, the expected log2 fold change of
// each gene the truth gives (indices into the data's genes).
struct TruthItem {
  Intervention intervention;
  std::size_t group = 0;
  std::string kind;
  std::vector<std::size_t> genes;
  std::vector<double> expected;
};

std::string truth_kind(const Intervention& iv) {
  const auto all = [&](Mode m) {
    return std::all_of(iv.genes.begin(), iv.genes.end(),
                       [m](const GeneIntervention& g) { return g.mode == m; });
  };
  if (iv.size() == 1 && all(Mode::knockout)) return "truth_knockouts";
  if (iv.size() == 2 && all(Mode::knockout)) return "truth_double_knockouts";
  if (iv.size() == 1 && all(Mode::knockdown)) return "truth_knockdowns";
  if (iv.size() == 1 && all(Mode::overexpression)) return "truth_overexpressions";
  return "truth_other";
}

bool double_kind(const std::string& kind) { return kind == "truth_double_knockouts"; }

} // namespace

EvalReport evaluate_truth(const PerturbationDataset& data, const TruthTable& truth,
                          const std::vector<PredictorSpec>& predictors, const EvalOptions& options,
                          const Progress& progress) {
  data.check();
  if (options.seeds.empty()) throw InputError("perturbation evaluation needs at least one seed");
  std::set<std::string> observed;
  for (const auto& o : data.observations)
    observed.insert(o.intervention.label());
  std::vector<TruthItem> items;
  std::size_t seen = 0, unmeasured = 0, other_group = 0;
  for (const auto& [key, response] : truth.responses) {
    const auto& [label, group_name] = key;
    if (observed.count(label)) {
      ++seen;
      continue;
    }
    const auto g = std::find(data.groups.begin(), data.groups.end(), group_name);
    if (g == data.groups.end()) {
      ++other_group;
      continue;
    }
    TruthItem item;
    item.intervention = parse_label(label);
    if (!data.all_measured(item.intervention)) {
      ++unmeasured;
      continue;
    }
    item.group = static_cast<std::size_t>(g - data.groups.begin());
    item.kind = truth_kind(item.intervention);
    for (std::size_t i = 0; i < data.n_genes(); ++i)
      if (const auto it = response.find(data.genes[i]); it != response.end()) {
        item.genes.push_back(i);
        item.expected.push_back(it->second);
      }
    if (!item.genes.empty()) items.push_back(std::move(item));
  }
  if (items.empty())
    throw InputError("no intervention of the truth table is left to score: " + std::to_string(seen) +
                     " (label, group) pairs were observed in the data, " + std::to_string(unmeasured) +
                     " perturb genes the data does not measure, " + std::to_string(other_group) +
                     " are for cell groups the data does not have")
        .file(truth.source);

  EvalReport report;
  report.dataset = data.summary();
  report.seeds = options.seeds;
  for (const auto& p : predictors) {
    report.predictor_names.push_back(p.name);
    report.predictor_descriptions[p.name] = p.description;
  }
  report.notes["truth"] = truth.source;
  report.notes["truth_scale"] = "log2 fold change against the group's control mean";
  report.notes["truth_pairs_observed"] = static_cast<std::int64_t>(seen);
  report.notes["truth_pairs_unmeasured"] = static_cast<std::int64_t>(unmeasured);
  report.notes["truth_pairs_other_group"] = static_cast<std::int64_t>(other_group);
  std::vector<std::string> kinds;
  for (const char* k : {"truth_knockouts", "truth_double_knockouts", "truth_knockdowns",
                        "truth_overexpressions", "truth_other"})
    if (std::any_of(items.begin(), items.end(), [&](const TruthItem& t) { return t.kind == k; }))
      kinds.emplace_back(k);
  for (const auto& k : kinds) {
    KindResult r;
    r.kind = k;
    for (const auto& p : predictors)
      if (double_kind(k) ? p.doubles : p.singles) r.predictors.push_back({p.name, {}});
    report.kinds.push_back(std::move(r));
  }

  // The most expressed genes of l2_top_expressed, as positions in each item's gene list.
  const auto expressed_all =
      most_expressed(data.expression_level, data.n_genes(), options.metrics.top_expressed);
  const std::set<std::size_t> expressed_set(expressed_all.begin(), expressed_all.end());
  std::size_t run = 0;
  const auto runs = options.seeds.size() * std::max<std::size_t>(1, predictors.size());
  std::vector<std::size_t> train(data.observations.size());
  std::iota(train.begin(), train.end(), std::size_t{0});
  for (const auto seed : options.seeds) {
    // values[kind][predictor][metric] for this seed.
    std::vector<std::vector<std::array<std::vector<double>, metric_count>>> values(report.kinds.size());
    for (std::size_t k = 0; k < report.kinds.size(); ++k) {
      values[k].resize(report.kinds[k].predictors.size());
      report.kinds[k].test_items.push_back(static_cast<std::int64_t>(std::count_if(
          items.begin(), items.end(), [&](const TruthItem& t) { return t.kind == report.kinds[k].kind; })));
      report.kinds[k].train_items.push_back(static_cast<std::int64_t>(train.size()));
    }
    for (const auto& spec : predictors) {
      const double lo = static_cast<double>(run) / static_cast<double>(runs);
      const double hi = static_cast<double>(++run) / static_cast<double>(runs);
      progress.update(lo, spec.name + " (seed " + std::to_string(seed) + ")");
      if (!spec.singles && !spec.doubles) continue;
      auto predictor = spec.make(seed);
      predictor->fit(data, train, progress.sub(lo, hi));
      for (const auto& item : items) {
        const auto k =
            static_cast<std::size_t>(std::find(kinds.begin(), kinds.end(), item.kind) - kinds.begin());
        auto& preds = report.kinds[k].predictors;
        const auto pi = static_cast<std::size_t>(
            std::find_if(preds.begin(), preds.end(), [&](const auto& p) { return p.name == spec.name; }) -
            preds.begin());
        if (pi == preds.size()) continue;
        const auto delta = predictor->predict(item.intervention, item.group);
        const auto& control = data.control[item.group];
        std::vector<double> predicted(item.genes.size());
        std::vector<std::size_t> perturbed, expressed;
        const auto measured = data.measured_genes(item.intervention);
        for (std::size_t j = 0; j < item.genes.size(); ++j) {
          const auto g = item.genes[j];
          predicted[j] = log2_fold_change(data.scale, control[g], control[g] + delta[g]);
          if (std::binary_search(measured.begin(), measured.end(), g)) perturbed.push_back(j);
          if (expressed_set.count(g)) expressed.push_back(j);
        }
        const auto scores = score_response(predicted, item.expected, perturbed, expressed, options.metrics);
        for (std::size_t m = 0; m < metric_count; ++m)
          values[k][pi][m].push_back(scores[m]);
      }
    }
    for (std::size_t k = 0; k < report.kinds.size(); ++k)
      add_seed(report.kinds[k], values[k]);
  }
  progress.update(1.0);
  return report;
}

Json EvalReport::to_json() const {
  Json j = Json::object();
  j["dataset"] = dataset;
  j["seeds"] = Json::array_of(seeds);
  Json metrics = Json::array();
  Json better = Json::object();
  for (std::size_t m = 0; m < metric_count; ++m) {
    const auto name = std::string(metric_name(static_cast<Metric>(m)));
    metrics.push_back(name);
    better[name] = higher_is_better(static_cast<Metric>(m)) ? "higher" : "lower";
  }
  j["metrics"] = metrics;
  j["better"] = better;
  j["predictors"] = predictor_descriptions;
  Json splits = Json::object();
  for (const auto& k : kinds) {
    Json kj = Json::object();
    kj["test_items"] = Json::array_of(k.test_items);
    kj["train_items"] = Json::array_of(k.train_items);
    Json results = Json::object();
    for (const auto& p : k.predictors) {
      Json pj = Json::object();
      for (std::size_t m = 0; m < metric_count; ++m) {
        const auto& s = p.metrics[m];
        Json mj = Json::object();
        mj["mean"] = value_or_null(s.mean());
        mj["sd"] = value_or_null(s.sd());
        mj["median"] = value_or_null(s.median());
        mj["seed_means"] = values_or_null(s.seed_means);
        mj["seed_medians"] = values_or_null(s.seed_medians);
        mj["values"] = s.values;
        mj["items"] = s.items;
        pj[std::string(metric_name(static_cast<Metric>(m)))] = mj;
      }
      results[p.name] = pj;
    }
    kj["results"] = results;
    splits[k.kind] = kj;
  }
  j["splits"] = splits;
  j["notes"] = notes;
  return j;
}

std::string EvalReport::table() const {
  std::ostringstream os;
  std::size_t name_width = 10;
  for (const auto& name : predictor_names)
    name_width = std::max(name_width, name.size());
  for (const auto& k : kinds) {
    os << k.kind << " (test items per seed:";
    for (const auto n : k.test_items)
      os << ' ' << n;
    os << ")\n";
    // cells[predictor][metric]: "mean ± sd"; "±" is two bytes but one column.
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> widths;
    for (std::size_t m = 0; m < metric_count; ++m)
      widths.push_back(metric_name(static_cast<Metric>(m)).size());
    auto columns = [](const std::string& s) { return s.size() - (s.find("±") != std::string::npos ? 1 : 0); };
    for (const auto& p : k.predictors) {
      cells.emplace_back();
      for (std::size_t m = 0; m < metric_count; ++m) {
        const auto metric = static_cast<Metric>(m);
        const auto& s = p.metrics[m];
        std::string cell = format_value(s.mean(), metric);
        if (!std::isnan(s.mean()) && !std::isnan(s.sd())) cell += " ± " + format_value(s.sd(), metric);
        widths[m] = std::max(widths[m], columns(cell));
        cells.back().push_back(std::move(cell));
      }
    }
    os << std::string(name_width, ' ');
    for (std::size_t m = 0; m < metric_count; ++m) {
      const auto name = metric_name(static_cast<Metric>(m));
      os << "  " << name << std::string(widths[m] - name.size(), ' ');
    }
    os << '\n';
    for (std::size_t pi = 0; pi < k.predictors.size(); ++pi) {
      const auto& name = k.predictors[pi].name;
      os << name << std::string(name_width - name.size(), ' ');
      for (std::size_t m = 0; m < metric_count; ++m)
        os << "  " << cells[pi][m] << std::string(widths[m] - columns(cells[pi][m]), ' ');
      os << '\n';
    }
    os << '\n';
  }
  return os.str();
}

} // namespace gc::perturb
