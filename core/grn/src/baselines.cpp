// Correlation baselines: dense per-gene columns, centred and normalised once, then one dot
// product per unordered pair (the coefficient is symmetric).
#include "gc/grn/baselines.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gc::grn {
namespace {

// Mid-ranks (1-based, ties share the mean of their ranks), Spearman's treatment of ties.
std::vector<double> mid_ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (std::size_t lo = 0; lo < order.size();) {
    std::size_t hi = lo;
    while (hi < order.size() && v[order[hi]] == v[order[lo]])
      ++hi;
    const double mid = (static_cast<double>(lo + 1) + static_cast<double>(hi)) / 2.0;
    for (std::size_t i = lo; i < hi; ++i)
      ranks[order[i]] = mid;
    lo = hi;
  }
  return ranks;
}

// Centres `v` and scales it to unit norm; false (and all zeros) when it is constant.
bool standardise(std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double norm2 = 0.0;
  for (auto& x : v) {
    x -= mean;
    norm2 += x * x;
  }
  if (!(norm2 > 0.0)) {
    std::fill(v.begin(), v.end(), 0.0);
    return false;
  }
  const double inv = 1.0 / std::sqrt(norm2);
  for (auto& x : v)
    x *= inv;
  return true;
}

} // namespace

std::vector<ScoredEdge> correlation_edges(const expr::ExpressionMatrix& m, Correlation method,
                                          bool absolute) {
  const auto cells = m.n_cells();
  const auto genes = m.n_genes();
  if (static_cast<std::int64_t>(m.var.index.size()) != genes)
    throw InputError("gene names (" + std::to_string(m.var.index.size()) +
                     ") do not match the matrix columns (" + std::to_string(genes) + ")")
        .context("correlation baseline");
  if (cells < 2) throw InputError("correlation needs at least 2 cells").context("correlation baseline");

  const auto dense = m.x.to_dense(); // cells × genes, row-major
  std::vector<std::vector<double>> columns(static_cast<std::size_t>(genes));
  std::vector<bool> varies(static_cast<std::size_t>(genes));
  for (std::int64_t g = 0; g < genes; ++g) {
    auto& col = columns[static_cast<std::size_t>(g)];
    col.resize(static_cast<std::size_t>(cells));
    for (std::int64_t c = 0; c < cells; ++c)
      col[static_cast<std::size_t>(c)] = dense[static_cast<std::size_t>(c * genes + g)];
    if (method == Correlation::spearman) col = mid_ranks(col);
    varies[static_cast<std::size_t>(g)] = standardise(col);
  }

  std::vector<ScoredEdge> edges;
  edges.reserve(static_cast<std::size_t>(genes * (genes - 1)));
  for (std::int64_t a = 0; a < genes; ++a)
    for (std::int64_t b = a + 1; b < genes; ++b) {
      const auto& x = columns[static_cast<std::size_t>(a)];
      const auto& y = columns[static_cast<std::size_t>(b)];
      double r = 0.0;
      if (varies[static_cast<std::size_t>(a)] && varies[static_cast<std::size_t>(b)]) {
        r = std::inner_product(x.begin(), x.end(), y.begin(), 0.0);
        r = std::clamp(r, -1.0, 1.0); // rounding can step just outside
      }
      const double w = absolute ? std::abs(r) : r;
      const auto& na = m.var.index[static_cast<std::size_t>(a)];
      const auto& nb = m.var.index[static_cast<std::size_t>(b)];
      edges.push_back({na, nb, w});
      edges.push_back({nb, na, w});
    }
  std::sort(edges.begin(), edges.end(), [](const ScoredEdge& p, const ScoredEdge& q) {
    if (p.weight != q.weight) return p.weight > q.weight;
    if (p.regulator != q.regulator) return p.regulator < q.regulator;
    return p.target < q.target;
  });
  return edges;
}

} // namespace gc::grn
