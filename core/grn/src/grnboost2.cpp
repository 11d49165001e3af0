// GRNBoost2 on XGBoost's C API (definitions in grnboost2.h). Every handle is owned by a RAII
// wrapper and every call's return code is checked, XGBoost's own message going into the error.
#include "gc/grn/grnboost2.h"

#include "gc/util/error.h"

#if GC_HAVE_XGBOOST
#include "gc/util/rng.h"
#include "gc/util/thread_pool.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#endif

namespace gc::grn {

#if GC_HAVE_XGBOOST
namespace {

void check(int rc, const char* what) {
  if (rc != 0)
    throw Error(std::string("XGBoost ") + what + " failed: " + XGBGetLastError()).context("GRNBoost2");
}

struct DMatrixFree {
  void operator()(void* h) const noexcept { XGDMatrixFree(h); }
};
struct BoosterFree {
  void operator()(void* h) const noexcept { XGBoosterFree(h); }
};
using DMatrix = std::unique_ptr<void, DMatrixFree>;
using Booster = std::unique_ptr<void, BoosterFree>;

// Rows `rows` of the target's design matrix (samples × regulators, row-major) with their labels.
DMatrix make_matrix(const GeneColumns& data, const std::vector<std::int32_t>& regulators,
                    const std::vector<std::uint32_t>& rows, const float* target) {
  const std::size_t cols = regulators.size();
  std::vector<float> values(rows.size() * cols);
  std::vector<float> labels(rows.size());
  for (std::size_t c = 0; c < cols; ++c) {
    const float* x = data.column(regulators[c]);
    for (std::size_t r = 0; r < rows.size(); ++r)
      values[r * cols + c] = x[rows[r]];
  }
  for (std::size_t r = 0; r < rows.size(); ++r)
    labels[r] = target[rows[r]];
  DMatrixHandle handle = nullptr;
  // No value is missing (the matrix is checked finite): NaN marks missing.
  check(XGDMatrixCreateFromMat(values.data(), rows.size(), cols, std::numeric_limits<float>::quiet_NaN(),
                               &handle),
        "XGDMatrixCreateFromMat");
  DMatrix m(handle);
  check(XGDMatrixSetFloatInfo(m.get(), "label", labels.data(), labels.size()), "XGDMatrixSetFloatInfo");
  return m;
}

void set(void* booster, const char* name, const std::string& value) {
  check(XGBoosterSetParam(booster, name, value.c_str()), "XGBoosterSetParam");
}

// "[12]\tvalid-rmse:0.4321" -> 0.4321
double parse_metric(const char* text) {
  const std::string s(text);
  const auto colon = s.rfind(':');
  if (colon == std::string::npos)
    throw Error("unexpected XGBoost evaluation output '" + s + "'").context("GRNBoost2");
  return std::strtod(s.c_str() + colon + 1, nullptr);
}

// Total gain of each regulator (by its column) in the boosted model of one target.
std::vector<double> target_importances(const GeneColumns& data, std::int64_t target,
                                       const std::vector<std::int32_t>& regulators, const Grnboost2Options& o,
                                       Rng rng, const Progress& progress) {
  const auto n = static_cast<std::uint32_t>(data.samples);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  rng.shuffle(order);
  auto held = static_cast<std::uint32_t>(std::floor(o.validation_fraction * n));
  held = std::clamp<std::uint32_t>(held, 1U, n - 1);
  const std::vector<std::uint32_t> valid_rows(order.begin(), order.begin() + held);
  const std::vector<std::uint32_t> train_rows(order.begin() + held, order.end());
  const float* y = data.column(target);
  const auto train = make_matrix(data, regulators, train_rows, y);
  const auto valid = make_matrix(data, regulators, valid_rows, y);

  double mean = 0.0;
  for (const auto r : train_rows)
    mean += static_cast<double>(y[r]);
  mean /= static_cast<double>(train_rows.size());

  DMatrixHandle cache[2] = {train.get(), valid.get()};
  BoosterHandle handle = nullptr;
  check(XGBoosterCreate(cache, 2, &handle), "XGBoosterCreate");
  const Booster booster(handle);
  set(booster.get(), "objective", "reg:squarederror");
  set(booster.get(), "eval_metric", "rmse");
  set(booster.get(), "tree_method", "hist");
  set(booster.get(), "eta", std::to_string(o.learning_rate));
  set(booster.get(), "max_depth", std::to_string(o.max_depth));
  set(booster.get(), "subsample", std::to_string(o.subsample));
  set(booster.get(), "colsample_bynode", std::to_string(o.colsample_bynode));
  set(booster.get(), "base_score", std::to_string(mean));
  set(booster.get(), "nthread", "1");
  set(booster.get(), "verbosity", "0");
  set(booster.get(), "seed", std::to_string(rng.below(std::numeric_limits<std::int32_t>::max())));

  DMatrixHandle evals[1] = {valid.get()};
  const char* names[1] = {"valid"};
  double best = std::numeric_limits<double>::infinity();
  int best_round = 0;
  for (int round = 0; round < o.max_rounds; ++round) {
    if (round % 64 == 0) progress.check();
    check(XGBoosterUpdateOneIter(booster.get(), round, train.get()), "XGBoosterUpdateOneIter");
    const char* result = nullptr;
    check(XGBoosterEvalOneIter(booster.get(), round, evals, names, 1, &result), "XGBoosterEvalOneIter");
    const double rmse = parse_metric(result);
    if (rmse < best) {
      best = rmse;
      best_round = round;
    } else if (round - best_round >= o.early_stop_window) {
      break;
    }
  }

  BoosterHandle cut_handle = nullptr;
  check(XGBoosterSlice(booster.get(), 0, best_round + 1, 1, &cut_handle), "XGBoosterSlice");
  const Booster cut(cut_handle);
  bst_ulong n_features = 0;
  const char** features = nullptr;
  bst_ulong dim = 0;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(cut.get(), R"({"importance_type": "total_gain"})", &n_features, &features, &dim,
                              &shape, &scores),
        "XGBoosterFeatureScore");
  std::vector<double> out(regulators.size(), 0.0);
  for (bst_ulong i = 0; i < n_features; ++i) {
    // Without feature names XGBoost calls column c "f<c>".
    const std::string name(features[i]);
    const auto c =
        name.size() > 1 && name[0] == 'f' ? std::strtoul(name.c_str() + 1, nullptr, 10) : regulators.size();
    if (c >= regulators.size())
      throw Error("unexpected XGBoost feature name '" + name + "'").context("GRNBoost2");
    out[c] = static_cast<double>(scores[i]);
  }
  return out;
}

} // namespace

bool grnboost2_available() noexcept { return true; }

std::vector<ScoredEdge> grnboost2(const GeneColumns& data, const Grnboost2Options& options,
                                  const Progress& progress) {
  if (options.max_rounds < 1) throw InputError("GRNBoost2 needs at least 1 boosting round");
  if (!(options.validation_fraction > 0.0 && options.validation_fraction < 1.0))
    throw InputError("GRNBoost2 validation fraction must lie in (0, 1)");
  const auto genes = static_cast<std::size_t>(data.n_genes());
  std::vector<std::vector<ScoredEdge>> per_target(genes);
  ProgressCounter counter(progress, genes, "GRNBoost2 boosting");
  const Rng streams(options.seed);
  auto run = [&](std::size_t begin, std::size_t end) {
    for (std::size_t t = begin; t < end; ++t) {
      std::vector<std::int32_t> regulators;
      for (const auto r : data.regulators)
        if (static_cast<std::size_t>(r) != t) regulators.push_back(r);
      if (!regulators.empty()) {
        const auto imp = target_importances(data, static_cast<std::int64_t>(t), regulators, options,
                                            streams.fork(t), progress);
        for (std::size_t i = 0; i < imp.size(); ++i) {
          if (imp[i] <= 0.0) continue;
          per_target[t].push_back(
              {data.genes[static_cast<std::size_t>(regulators[i])], data.genes[t], imp[i]});
        }
      }
      counter.add();
    }
  };
  if (options.threads == 1) {
    run(0, genes);
  } else if (options.threads <= 0) {
    default_pool().parallel_for(0, genes, 1, run);
  } else {
    ThreadPool pool(static_cast<std::size_t>(options.threads - 1));
    pool.parallel_for(0, genes, 1, run);
  }
  std::vector<ScoredEdge> edges;
  for (auto& v : per_target)
    edges.insert(edges.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  sort_edges(edges);
  return edges;
}

#else

bool grnboost2_available() noexcept { return false; }

std::vector<ScoredEdge> grnboost2(const GeneColumns&, const Grnboost2Options&, const Progress&) {
  throw Error("GRNBoost2 is not available: GenoCircuit was built without XGBoost (install libxgboost-dev and "
              "reconfigure)");
}

#endif

} // namespace gc::grn
