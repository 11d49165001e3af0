// GENIE3 random forests (definitions in genie3.h).
//
// Speed: every gene is sorted once, shared by all targets and trees. A node then gets its
// samples in a feature's order by one of two layouts (ForestLayout in genie3.h): presorted lists
// partitioned at every split, or, for many candidate regulators, a per-node sort of the members'
// ranks (big nodes filter the global order instead: cost n rather than m log m). Trees only feed
// importances, so nothing of a tree is kept beyond the node stack.
#include "gc/grn/genie3.h"

#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

namespace gc::grn {
namespace {

// sklearn's FEATURE_THRESHOLD: values closer than this are one value (no split between them).
constexpr double feature_threshold = 1e-7;
// sklearn's EPSILON: a node this pure is a leaf.
constexpr double epsilon = std::numeric_limits<double>::epsilon();

// One feature, sorted once: samples in increasing value order and each sample's place in it.
struct SortedColumn {
  const float* values = nullptr;    // by sample
  std::vector<std::uint32_t> order; // samples by increasing value
  std::vector<float> sorted;        // values[order[p]]
  std::vector<std::uint32_t> rank;  // rank[s] = p with order[p] == s

  SortedColumn(const float* v, std::int64_t n) : values(v) {
    const auto count = static_cast<std::size_t>(n);
    order.resize(count);
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(),
                     [v](std::uint32_t a, std::uint32_t b) { return v[a] < v[b]; });
    sorted.resize(count);
    rank.resize(count);
    for (std::size_t p = 0; p < count; ++p) {
      sorted[p] = v[order[p]];
      rank[order[p]] = static_cast<std::uint32_t>(p);
    }
  }
};

struct NodeStats {
  double w = 0.0; // sum of sample weights
  double s = 0.0; // sum of w·y
  double q = 0.0; // sum of w·y²
  [[nodiscard]] double impurity() const { return q / w - (s / w) * (s / w); }
};

struct Node {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  NodeStats stats;
  // Presorted layout: features known to be constant here (so in every descendant), never
  // partitioned again. sklearn tracks them for the same reason.
  std::vector<std::uint8_t> constant;
};

struct Split {
  double proxy = -std::numeric_limits<double>::infinity();
  int feature = -1;
  double threshold = 0.0;
};

using Layout = ForestLayout;

// Grows trees on one target; holds the buffers every tree of the forest reuses.
class ForestBuilder {
public:
  ForestBuilder(const std::vector<const SortedColumn*>& features, const float* target, std::int64_t samples,
                int max_features, Layout layout)
      : m_features(features), m_f(static_cast<std::uint32_t>(features.size())),
        m_n(static_cast<std::uint32_t>(samples)), m_max_features(max_features), m_layout(layout),
        m_y(target, target + samples), m_w(m_n), m_wy(m_n), m_feature_order(features.size()) {
    if (m_layout == Layout::presorted) {
      m_lists.resize(static_cast<std::size_t>(m_f) * m_n);
      m_left.resize(m_n);
      m_tmp.resize(m_n);
    } else {
      m_stamp.assign(m_n, 0);
      m_members.reserve(m_n);
      m_keys.resize(m_n);
    }
  }

  // Adds the tree's normalised importances to `sum`; false when the root was never split
  // (sklearn leaves such trees out of the forest mean).
  bool grow(Rng& rng, std::vector<double>& sum) {
    std::fill(m_w.begin(), m_w.end(), 0.0);
    for (std::uint32_t i = 0; i < m_n; ++i)
      m_w[rng.below(m_n)] += 1.0;
    NodeStats root;
    std::uint32_t distinct = 0;
    for (std::uint32_t i = 0; i < m_n; ++i) {
      if (m_w[i] == 0.0) continue;
      ++distinct;
      m_wy[i] = m_w[i] * static_cast<double>(m_y[i]);
      root.w += m_w[i];
      root.s += m_wy[i];
      root.q += m_wy[i] * static_cast<double>(m_y[i]);
    }
    if (m_layout == Layout::presorted) {
      for (std::uint32_t f = 0; f < m_f; ++f) {
        std::uint32_t* list = list_of(f);
        std::uint32_t k = 0;
        for (const auto s : m_features[f]->order) {
          list[k] = s;
          k += m_w[s] != 0.0 ? 1U : 0U;
        }
      }
    } else {
      m_members.clear();
      for (std::uint32_t i = 0; i < m_n; ++i)
        if (m_w[i] != 0.0) m_members.push_back(i);
    }

    m_importance.assign(m_f, 0.0);
    m_stack.clear();
    Node first{0, distinct, root, {}};
    if (m_layout == Layout::presorted) first.constant.assign(m_f, 0);
    m_stack.push_back(std::move(first));
    bool split_root = false;
    while (!m_stack.empty()) {
      Node node = std::move(m_stack.back());
      m_stack.pop_back();
      const double impurity = node.stats.impurity();
      if (node.end - node.begin < 2 || impurity <= epsilon) continue;
      const Split best = find_split(node, rng);
      if (best.feature < 0) continue;
      split_root = true;
      const auto cut =
          m_layout == Layout::presorted ? partition_lists(node, best) : partition_members(node, best);
      Node left{node.begin, cut, stats(best.feature, node.begin, cut), {}};
      Node right{cut, node.end, stats(best.feature, cut, node.end), {}};
      m_importance[static_cast<std::size_t>(best.feature)] += node.stats.w * impurity -
                                                              left.stats.w * left.stats.impurity() -
                                                              right.stats.w * right.stats.impurity();
      left.constant = node.constant;
      right.constant = std::move(node.constant);
      m_stack.push_back(std::move(right));
      m_stack.push_back(std::move(left));
    }
    if (!split_root) return false;
    const double total = std::accumulate(m_importance.begin(), m_importance.end(), 0.0);
    if (total > 0.0) {
      for (std::size_t f = 0; f < sum.size(); ++f)
        sum[f] += m_importance[f] / total;
    }
    return true;
  }

private:
  [[nodiscard]] std::uint32_t* list_of(std::uint32_t f) {
    return m_lists.data() + static_cast<std::size_t>(f) * m_n;
  }
  [[nodiscard]] const std::uint32_t* list_of(std::uint32_t f) const {
    return m_lists.data() + static_cast<std::size_t>(f) * m_n;
  }
  // The samples of [begin, end): in the presorted layout any feature's list holds them.
  [[nodiscard]] const std::uint32_t* samples_of(int feature) const {
    return m_layout == Layout::presorted ? list_of(static_cast<std::uint32_t>(feature)) : m_members.data();
  }

  [[nodiscard]] NodeStats stats(int feature, std::uint32_t begin, std::uint32_t end) const {
    const std::uint32_t* samples = samples_of(feature);
    NodeStats st;
    for (std::uint32_t i = begin; i < end; ++i) {
      const auto s = samples[i];
      st.w += m_w[s];
      st.s += m_wy[s];
      st.q += m_wy[s] * static_cast<double>(m_y[s]);
    }
    return st;
  }

  // Features in random order: max_features of them, constant ones included, and more only while
  // every one drawn so far was constant (sklearn BestSplitter's rule).
  Split find_split(Node& node, Rng& rng) {
    Split best;
    const auto m = node.end - node.begin;
    // Filtering all n presorted samples beats sorting the m members once m·log2(m) exceeds n.
    const bool scan = m_layout == Layout::per_node &&
                      static_cast<double>(m) * std::log2(static_cast<double>(m)) > static_cast<double>(m_n);
    if (scan) {
      ++m_current;
      for (std::uint32_t i = node.begin; i < node.end; ++i)
        m_stamp[m_members[i]] = m_current;
    }
    std::iota(m_feature_order.begin(), m_feature_order.end(), 0);
    const auto max_features = static_cast<std::size_t>(m_max_features);
    int tried = 0;
    for (std::size_t drawn = 0; drawn < m_feature_order.size() && (drawn < max_features || tried == 0);
         ++drawn) {
      const auto pick = drawn + static_cast<std::size_t>(rng.below(m_feature_order.size() - drawn));
      std::swap(m_feature_order[drawn], m_feature_order[pick]);
      const int f = m_feature_order[drawn];
      bool varies = false;
      if (m_layout == Layout::presorted) {
        auto& known = node.constant[static_cast<std::size_t>(f)];
        if (known == 0) varies = presorted_feature(node, f, best);
        if (!varies) known = 1;
      } else {
        varies = scan ? scan_feature(node, f, best) : sort_feature(node, f, best);
      }
      if (varies) ++tried;
    }
    return best;
  }

  // Evaluates the split points of feature f along the node's samples in increasing value;
  // `at(i)` yields the i-th (sample, value). Returns false when the feature is constant there.
  template <typename At>
  bool evaluate(const Node& node, int f, std::uint32_t count, const At& at, Split& best) const {
    const float lo = at(0).second;
    const float hi = at(count - 1).second;
    if (static_cast<double>(hi) <= static_cast<double>(lo) + feature_threshold) return false;
    double wl = 0.0;
    double sl = 0.0;
    const double wt = node.stats.w;
    const double st = node.stats.s;
    float prev = lo;
    for (std::uint32_t i = 0; i < count; ++i) {
      const auto [s, v] = at(i);
      if (static_cast<double>(v) > static_cast<double>(prev) + feature_threshold) {
        const double wr = wt - wl;
        const double sr = st - sl;
        // sklearn's proxy for the impurity decrease of the squared error.
        const double proxy = sl * sl / wl + sr * sr / wr;
        if (proxy > best.proxy) {
          best.proxy = proxy;
          best.feature = f;
          best.threshold = static_cast<double>(prev) / 2.0 + static_cast<double>(v) / 2.0;
          if (best.threshold == static_cast<double>(v)) best.threshold = static_cast<double>(prev);
        }
      }
      wl += m_w[s];
      sl += m_wy[s];
      prev = v;
    }
    return true;
  }

  bool presorted_feature(const Node& node, int f, Split& best) const {
    const std::uint32_t* list = list_of(static_cast<std::uint32_t>(f)) + node.begin;
    const float* x = m_features[static_cast<std::size_t>(f)]->values;
    return evaluate(
        node, f, node.end - node.begin,
        [&](std::uint32_t i) {
          return std::pair{list[i], x[list[i]]};
        },
        best);
  }

  bool scan_feature(const Node& node, int f, Split& best) {
    const auto& col = *m_features[static_cast<std::size_t>(f)];
    // Branch-free: the members are a random subset, a branch would mispredict often.
    std::uint32_t count = 0;
    for (std::uint32_t p = 0; p < m_n; ++p) {
      m_keys[count] = p;
      count += m_stamp[col.order[p]] == m_current ? 1U : 0U;
    }
    return evaluate(
        node, f, count,
        [&](std::uint32_t i) {
          return std::pair{col.order[m_keys[i]], col.sorted[m_keys[i]]};
        },
        best);
  }

  bool sort_feature(const Node& node, int f, Split& best) {
    const auto& col = *m_features[static_cast<std::size_t>(f)];
    const auto count = node.end - node.begin;
    for (std::uint32_t i = 0; i < count; ++i)
      m_keys[i] = col.rank[m_members[node.begin + i]];
    const auto keys = m_keys.begin();
    // A constant feature needs no sort: check its range first (deep nodes often have many).
    const auto [lo, hi] = std::minmax_element(keys, keys + count);
    if (static_cast<double>(col.sorted[*hi]) <= static_cast<double>(col.sorted[*lo]) + feature_threshold)
      return false;
    std::sort(keys, keys + count);
    return evaluate(
        node, f, count,
        [&](std::uint32_t i) {
          return std::pair{col.order[m_keys[i]], col.sorted[m_keys[i]]};
        },
        best);
  }

  // Both return the first index of the right child.
  std::uint32_t partition_members(const Node& node, const Split& split) {
    const float* x = m_features[static_cast<std::size_t>(split.feature)]->values;
    const auto first = m_members.begin() + node.begin;
    const auto mid = std::partition(first, m_members.begin() + node.end,
                                    [&](std::uint32_t s) { return x[s] <= split.threshold; });
    return static_cast<std::uint32_t>(mid - m_members.begin());
  }

  std::uint32_t partition_lists(const Node& node, const Split& split) {
    const auto f_split = static_cast<std::uint32_t>(split.feature);
    const float* x = m_features[f_split]->values;
    const std::uint32_t* own = list_of(f_split);
    std::uint32_t left_count = 0;
    for (std::uint32_t i = node.begin; i < node.end; ++i) {
      const auto s = own[i];
      const bool left = x[s] <= split.threshold;
      m_left[s] = left ? 1 : 0;
      left_count += left ? 1U : 0U;
    }
    const auto cut = node.begin + left_count;
    for (std::uint32_t f = 0; f < m_f; ++f) {
      // The split feature's list is already in order: its left part is the prefix.
      if (f == f_split || node.constant[f] != 0) continue;
      std::uint32_t* list = list_of(f);
      std::uint32_t l = node.begin;
      std::uint32_t r = 0;
      // Stable and branch-free: every sample is written to both sides, one cursor advances.
      for (std::uint32_t i = node.begin; i < node.end; ++i) {
        const auto s = list[i];
        const std::uint32_t go = m_left[s];
        list[l] = s;
        m_tmp[r] = s;
        l += go;
        r += 1U - go;
      }
      std::copy(m_tmp.begin(), m_tmp.begin() + r, list + cut);
    }
    return cut;
  }

  const std::vector<const SortedColumn*>& m_features;
  std::uint32_t m_f;
  std::uint32_t m_n;
  int m_max_features;
  Layout m_layout;
  std::vector<float> m_y;
  std::vector<double> m_w;
  std::vector<double> m_wy;
  std::vector<int> m_feature_order;
  std::vector<Node> m_stack;
  std::vector<double> m_importance;
  // presorted layout
  std::vector<std::uint32_t> m_lists; // feature-major, m_n per feature
  std::vector<std::uint8_t> m_left;
  std::vector<std::uint32_t> m_tmp;
  // per-node layout
  std::vector<std::uint32_t> m_members;
  std::vector<std::uint32_t> m_keys;
  std::vector<std::uint32_t> m_stamp;
  std::uint32_t m_current = 0;
};

// The presorted lists hold features × samples indices per worker thread: at most 64 MiB.
constexpr double max_presorted_entries = 16.0 * 1024 * 1024;

// The cheaper layout by the costs above (sorting counted as 2 per element and level).
Layout choose_layout(std::size_t features, int max_features, std::int64_t samples) {
  const auto n = static_cast<double>(std::max<std::int64_t>(samples, 2));
  const double sort_cost = 2.0 * max_features * std::log2(n);
  const auto f = static_cast<double>(features);
  return f <= sort_cost && f * n <= max_presorted_entries ? Layout::presorted : Layout::per_node;
}

std::vector<double> importances(const std::vector<const SortedColumn*>& features, const float* target,
                                std::int64_t samples, const ForestOptions& options, std::uint64_t seed,
                                const Progress& progress) {
  if (options.trees < 1) throw InputError("a random forest needs at least 1 tree");
  const auto n_features = static_cast<int>(features.size());
  std::vector<double> sum(features.size(), 0.0);
  if (n_features == 0 || samples < 2) return sum;
  int max_features = options.max_features;
  if (max_features <= 0)
    max_features = std::max(1, static_cast<int>(std::sqrt(static_cast<double>(n_features))));
  max_features = std::min(max_features, n_features);

  ForestBuilder builder(features, target, samples, max_features,
                        options.layout == Layout::automatic
                            ? choose_layout(features.size(), max_features, samples)
                            : options.layout);
  const Rng base(seed);
  int grown = 0;
  for (int t = 0; t < options.trees; ++t) {
    progress.check();
    Rng rng = base.fork(static_cast<std::uint64_t>(t));
    if (builder.grow(rng, sum)) ++grown;
  }
  if (grown == 0) return sum;
  const double total = std::accumulate(sum.begin(), sum.end(), 0.0);
  if (total > 0.0) {
    for (auto& v : sum)
      v /= total; // the mean over the grown trees, normalised: the division by `grown` cancels
  }
  return sum;
}

} // namespace

std::vector<double> forest_importances(const std::vector<const float*>& features, const float* target,
                                       std::int64_t samples, const ForestOptions& options, std::uint64_t seed,
                                       const Progress& progress) {
  std::vector<std::unique_ptr<SortedColumn>> sorted;
  std::vector<const SortedColumn*> view;
  for (const float* f : features) {
    sorted.push_back(std::make_unique<SortedColumn>(f, samples));
    view.push_back(sorted.back().get());
  }
  return importances(view, target, samples, options, seed, progress);
}

std::vector<ScoredEdge> genie3(const GeneColumns& data, const Genie3Options& options,
                               const Progress& progress) {
  const auto genes = data.n_genes();
  if (data.samples > std::numeric_limits<std::uint32_t>::max() / 2)
    throw InputError("GENIE3: too many samples (" + std::to_string(data.samples) + ")");
  std::vector<std::unique_ptr<SortedColumn>> sorted(static_cast<std::size_t>(genes));
  for (const auto r : data.regulators)
    sorted[static_cast<std::size_t>(r)] = std::make_unique<SortedColumn>(data.column(r), data.samples);
  progress.check();

  std::vector<std::vector<ScoredEdge>> per_target(static_cast<std::size_t>(genes));
  ProgressCounter counter(progress, static_cast<std::uint64_t>(genes), "GENIE3 forests");
  const Rng streams(options.seed);
  auto run = [&](std::size_t begin, std::size_t end) {
    for (std::size_t t = begin; t < end; ++t) {
      std::vector<const SortedColumn*> features;
      std::vector<std::int32_t> regulators;
      for (const auto r : data.regulators) {
        if (static_cast<std::size_t>(r) == t) continue;
        features.push_back(sorted[static_cast<std::size_t>(r)].get());
        regulators.push_back(r);
      }
      const auto imp = importances(features, data.column(static_cast<std::int64_t>(t)), data.samples,
                                   options.forest, streams.fork(t).next_u64(), progress);
      auto& out = per_target[t];
      for (std::size_t i = 0; i < imp.size(); ++i) {
        if (imp[i] > 0.0)
          out.push_back({data.genes[static_cast<std::size_t>(regulators[i])], data.genes[t], imp[i]});
      }
      counter.add();
    }
  };
  const auto n = static_cast<std::size_t>(genes);
  if (options.threads == 1) {
    run(0, n);
  } else if (options.threads <= 0) {
    default_pool().parallel_for(0, n, 1, run);
  } else {
    ThreadPool pool(static_cast<std::size_t>(options.threads - 1));
    pool.parallel_for(0, n, 1, run);
  }

  std::vector<ScoredEdge> edges;
  for (auto& v : per_target)
    edges.insert(edges.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  sort_edges(edges);
  return edges;
}

} // namespace gc::grn
