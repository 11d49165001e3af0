// BEELINE-style scoring of ranked edge lists; the definitions are documented in eval.h.
#include "gc/grn/eval.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace gc::grn {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The candidate edges: genes, which of them may regulate, and a key for each candidate pair.
class Universe {
public:
  Universe(const std::vector<std::string>& genes,
           const std::vector<std::pair<std::string, std::string>>& truth, const EvalOptions& options)
      : m_directed(options.directed), m_exclude_self(options.exclude_self) {
    if (genes.empty()) {
      // BEELINE's universe: the genes the ground truth names (np.unique sorts them).
      std::set<std::string> named;
      for (const auto& [a, b] : truth) {
        named.insert(a);
        named.insert(b);
      }
      for (const auto& g : named)
        add(g);
    } else {
      for (const auto& g : genes)
        add(g);
    }
    m_regulator.assign(m_genes.size(), !options.tfs.has_value());
    if (options.tfs)
      for (const auto& tf : *options.tfs)
        if (const auto it = m_index.find(tf); it != m_index.end())
          m_regulator[static_cast<std::size_t>(it->second)] = true;
    m_regulators = std::count(m_regulator.begin(), m_regulator.end(), true);
  }

  // The key of candidate (a, b), or -1 when the pair is not a candidate.
  [[nodiscard]] std::int64_t key(const std::string& a, const std::string& b) const {
    const auto ia = m_index.find(a);
    const auto ib = m_index.find(b);
    if (ia == m_index.end() || ib == m_index.end()) return -1;
    return key(ia->second, ib->second);
  }
  [[nodiscard]] std::int64_t key(std::int64_t a, std::int64_t b) const {
    if (m_exclude_self && a == b) return -1;
    if (!m_directed && a > b) std::swap(a, b);
    const bool allowed = m_directed ? is_regulator(a) : is_regulator(a) || is_regulator(b);
    return allowed ? a * size() + b : -1;
  }

  [[nodiscard]] std::int64_t candidate_count() const {
    const std::int64_t g = size();
    const std::int64_t r = m_regulators;
    if (m_directed) return r * g - (m_exclude_self ? r : 0);
    // Unordered pairs of distinct genes with at least one regulator, plus regulator self pairs.
    const auto pairs = [](std::int64_t n) { return n * (n - 1) / 2; };
    return pairs(g) - pairs(g - r) + (m_exclude_self ? 0 : r);
  }

  [[nodiscard]] std::int64_t size() const { return static_cast<std::int64_t>(m_genes.size()); }
  [[nodiscard]] const std::string& gene(std::int64_t i) const { return m_genes[static_cast<std::size_t>(i)]; }
  [[nodiscard]] bool is_regulator(std::int64_t i) const { return m_regulator[static_cast<std::size_t>(i)]; }
  [[nodiscard]] bool directed() const { return m_directed; }
  [[nodiscard]] bool exclude_self() const { return m_exclude_self; }

private:
  void add(const std::string& g) {
    if (m_index.emplace(g, size()).second) m_genes.push_back(g);
  }
  bool m_directed;
  bool m_exclude_self;
  std::vector<std::string> m_genes;
  std::unordered_map<std::string, std::int64_t> m_index;
  std::vector<bool> m_regulator;
  std::int64_t m_regulators = 0;
};

struct Scored {
  std::unordered_set<std::int64_t> truth;
  std::unordered_map<std::int64_t, double> weight; // candidates present in the ranked list
  std::int64_t truth_outside = 0;
};

Scored score(const Universe& u, const std::vector<ScoredEdge>& ranked,
             const std::vector<std::pair<std::string, std::string>>& truth) {
  Scored s;
  std::set<std::pair<std::string, std::string>> outside;
  for (const auto& [a, b] : truth) {
    const auto k = u.key(a, b);
    if (k >= 0) {
      s.truth.insert(k);
    } else {
      // Undirected mode treats (a, b) and (b, a) as one pair.
      outside.insert(u.directed() || a <= b ? std::pair{a, b} : std::pair{b, a});
    }
  }
  s.truth_outside = static_cast<std::int64_t>(outside.size());
  for (const auto& e : ranked) {
    if (!std::isfinite(e.weight))
      throw InputError("edge weight is not a finite number").record(e.regulator + " -> " + e.target);
    const auto k = u.key(e.regulator, e.target);
    if (k < 0) continue;
    const double w = std::abs(e.weight);
    const auto [it, added] = s.weight.emplace(k, w);
    if (!added && !u.directed()) it->second = std::max(it->second, w);
  }
  return s;
}

// Cumulative (TP, FP) after each distinct score, highest score first, ties taken together.
// `zero_pos`/`zero_neg` are extra candidates of score 0 not listed in `items` (the unscored
// candidates); items' scores must then be >= 0 so that the zeros are the lowest group.
struct Tally {
  std::int64_t tp = 0;
  std::int64_t fp = 0;
};
std::vector<Tally> cumulative(std::vector<std::pair<double, std::uint8_t>> items, std::int64_t zero_pos = 0,
                              std::int64_t zero_neg = 0) {
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Tally> out;
  Tally t;
  for (std::size_t i = 0; i < items.size(); ++i) {
    (items[i].second != 0 ? t.tp : t.fp) += 1;
    if (i + 1 == items.size() || items[i + 1].first != items[i].first) out.push_back(t);
  }
  if (zero_pos + zero_neg > 0) {
    t.tp += zero_pos;
    t.fp += zero_neg;
    if (!out.empty() && items.back().first == 0.0)
      out.back() = t;
    else
      out.push_back(t);
  }
  return out;
}

std::vector<CurvePoint> roc_from(const std::vector<Tally>& c) {
  if (c.empty() || c.back().tp == 0 || c.back().fp == 0) return {};
  const auto p = static_cast<double>(c.back().tp);
  const auto n = static_cast<double>(c.back().fp);
  std::vector<CurvePoint> out{{0.0, 0.0}};
  for (const auto& t : c)
    out.push_back({static_cast<double>(t.fp) / n, static_cast<double>(t.tp) / p});
  return out;
}

// sklearn appends (recall 0, precision 1) after reversing its arrays, so once put in increasing
// recall the curve starts there; its first segment is the straight line to the first threshold.
std::vector<CurvePoint> pr_from(const std::vector<Tally>& c) {
  if (c.empty() || c.back().tp == 0) return {};
  const auto p = static_cast<double>(c.back().tp);
  std::vector<CurvePoint> out{{0.0, 1.0}};
  for (const auto& t : c)
    out.push_back(
        {static_cast<double>(t.tp) / p, static_cast<double>(t.tp) / static_cast<double>(t.tp + t.fp)});
  return out;
}

std::vector<std::pair<double, std::uint8_t>> zip(const std::vector<double>& scores,
                                                 const std::vector<std::uint8_t>& labels) {
  if (scores.size() != labels.size()) throw InputError("scores and labels differ in length");
  std::vector<std::pair<double, std::uint8_t>> items;
  items.reserve(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) throw InputError("score is NaN").record("candidate " + std::to_string(i));
    items.emplace_back(scores[i], labels[i]);
  }
  return items;
}

// BEELINE's early-precision cut applied to the predicted candidates (score, label): precision
// of those at or above max(k-th weight, smallest non-zero weight). 0 when nothing is selected.
double precision_at(std::vector<std::pair<double, std::uint8_t>> predicted, int k) {
  if (k <= 0) throw InputError("precision at k needs k > 0").record("k = " + std::to_string(k));
  double nonzero_min = std::numeric_limits<double>::infinity();
  for (const auto& [w, label] : predicted)
    if (w > 0.0) nonzero_min = std::min(nonzero_min, w);
  if (predicted.empty() || std::isinf(nonzero_min)) return 0.0;
  std::sort(predicted.begin(), predicted.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  const auto kk = std::min(static_cast<std::size_t>(k), predicted.size());
  const double cut = std::max(predicted[kk - 1].first, nonzero_min);
  std::int64_t selected = 0, hits = 0;
  for (const auto& [w, label] : predicted) {
    if (w < cut) break;
    ++selected;
    hits += label != 0 ? 1 : 0;
  }
  return static_cast<double>(hits) / static_cast<double>(selected);
}

} // namespace

std::vector<CurvePoint> roc_curve(const std::vector<double>& scores,
                                  const std::vector<std::uint8_t>& labels) {
  return roc_from(cumulative(zip(scores, labels)));
}

std::vector<CurvePoint> pr_curve(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
  return pr_from(cumulative(zip(scores, labels)));
}

double trapezoid_area(const std::vector<CurvePoint>& curve) {
  if (curve.size() < 2) return nan;
  double area = 0.0;
  for (std::size_t i = 1; i < curve.size(); ++i)
    area += (curve[i].x - curve[i - 1].x) * (curve[i].y + curve[i - 1].y) / 2.0;
  return area;
}

double auroc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
  return trapezoid_area(roc_curve(scores, labels));
}

double auprc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
  return trapezoid_area(pr_curve(scores, labels));
}

double auroc_mann_whitney(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
  const auto items = zip(scores, labels);
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return items[a].first < items[b].first; });
  // Sum of the 1-based mid-ranks of the positives; a tie group of ranks lo+1..hi shares their mean.
  double positive_ranks = 0.0;
  std::int64_t pos = 0;
  for (std::size_t lo = 0; lo < order.size();) {
    std::size_t hi = lo;
    while (hi < order.size() && items[order[hi]].first == items[order[lo]].first)
      ++hi;
    const double mid = (static_cast<double>(lo + 1) + static_cast<double>(hi)) / 2.0;
    for (std::size_t i = lo; i < hi; ++i)
      if (items[order[i]].second != 0) {
        positive_ranks += mid;
        ++pos;
      }
    lo = hi;
  }
  const auto neg = static_cast<std::int64_t>(items.size()) - pos;
  if (pos == 0 || neg == 0) return nan;
  const double p = static_cast<double>(pos);
  const double u = positive_ranks - p * (p + 1.0) / 2.0;
  return u / (p * static_cast<double>(neg));
}

Metrics evaluate(const std::vector<ScoredEdge>& ranked,
                 const std::vector<std::pair<std::string, std::string>>& truth,
                 const std::vector<std::string>& genes, const EvalOptions& options) {
  const Universe u(genes, truth, options);
  const Scored s = score(u, ranked, truth);
  Metrics m;
  m.candidate_edges = u.candidate_count();
  m.true_edges = static_cast<std::int64_t>(s.truth.size());
  m.predicted_edges = static_cast<std::int64_t>(s.weight.size());
  m.truth_outside = s.truth_outside;

  std::vector<std::pair<double, std::uint8_t>> predicted;
  predicted.reserve(s.weight.size());
  std::int64_t predicted_true = 0;
  for (const auto& [key, w] : s.weight) {
    const bool is_true = s.truth.count(key) != 0;
    predicted_true += is_true ? 1 : 0;
    predicted.emplace_back(w, static_cast<std::uint8_t>(is_true));
  }
  const std::int64_t zero_pos = m.true_edges - predicted_true;
  const std::int64_t zero_neg = m.candidate_edges - m.predicted_edges - zero_pos;
  const auto tally = cumulative(predicted, zero_pos, zero_neg);
  m.auroc = trapezoid_area(roc_from(tally));
  m.auprc = trapezoid_area(pr_from(tally));
  m.density = m.candidate_edges > 0
                  ? static_cast<double>(m.true_edges) / static_cast<double>(m.candidate_edges)
                  : nan;
  m.auprc_ratio = m.true_edges > 0 ? m.auprc / m.density : nan;

  if (options.early_precision_decimals >= 0) {
    const double scale = std::pow(10.0, options.early_precision_decimals);
    // numpy's around: scale, round half to even (rint), unscale.
    for (auto& item : predicted)
      item.first = std::nearbyint(item.first * scale) / scale;
  }
  if (m.true_edges > 0) {
    m.early_precision = precision_at(predicted, static_cast<int>(m.true_edges));
    m.epr = m.early_precision / m.density;
  } else {
    m.early_precision = m.epr = nan;
  }
  for (const int k : options.k)
    m.precision_at_k[k] = precision_at(predicted, k);
  return m;
}

LabelledCandidates label_candidates(const std::vector<ScoredEdge>& ranked,
                                    const std::vector<std::pair<std::string, std::string>>& truth,
                                    const std::vector<std::string>& genes, const EvalOptions& options) {
  const Universe u(genes, truth, options);
  const Scored s = score(u, ranked, truth);
  LabelledCandidates out;
  for (std::int64_t a = 0; a < u.size(); ++a)
    for (std::int64_t b = u.directed() ? 0 : a; b < u.size(); ++b) {
      const auto k = u.key(a, b);
      if (k < 0) continue;
      out.edges.emplace_back(u.gene(a), u.gene(b));
      const auto it = s.weight.find(k);
      out.scores.push_back(it == s.weight.end() ? 0.0 : it->second);
      out.labels.push_back(static_cast<std::uint8_t>(s.truth.count(k) != 0));
    }
  return out;
}

} // namespace gc::grn
