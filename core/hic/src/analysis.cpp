#include "gc/hic/analysis.h"

#include "gc/util/error.h"
#include "gc/util/step_progress.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace gc::hic {

namespace {
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> insulation_score(const Eigen::MatrixXd& m, int window) {
  if (window < 1) throw InputError("insulation window must be at least one bin");
  const auto n = static_cast<std::int64_t>(m.rows());
  std::vector<double> score(static_cast<std::size_t>(n), k_nan);
  for (std::int64_t i = window - 1; i + window < n; ++i) {
    double sum = 0;
    int count = 0;
    for (std::int64_t r = i - window + 1; r <= i; ++r)
      for (std::int64_t c = i + 1; c <= i + window; ++c) {
        const double v = m(r, c);
        if (std::isfinite(v)) {
          sum += v;
          ++count;
        }
      }
    // Half the diamond missing (masked bins) makes the score unreliable, as in cooltools.
    if (count * 2 >= window * window) score[static_cast<std::size_t>(i)] = sum / count;
  }
  double total = 0;
  int finite = 0;
  for (const double s : score)
    if (std::isfinite(s)) total += s, ++finite;
  const double mean = finite > 0 ? total / finite : k_nan;
  for (auto& s : score)
    s = (std::isfinite(s) && s > 0 && mean > 0) ? std::log2(s / mean) : k_nan;
  return score;
}

std::vector<Boundary> find_boundaries(const std::vector<double>& score, double min_prominence) {
  std::vector<Boundary> out;
  const auto n = static_cast<std::int64_t>(score.size());
  const auto at = [&](std::int64_t i) { return score[static_cast<std::size_t>(i)]; };
  for (std::int64_t i = 1; i + 1 < n; ++i) {
    const double v = at(i);
    if (!std::isfinite(v) || !std::isfinite(at(i - 1)) || !std::isfinite(at(i + 1))) continue;
    if (!(v < at(i - 1) && v <= at(i + 1))) continue;
    // Prominence of a minimum: walk each way until a lower value (or the end); the highest point
    // on each side bounds the dip; the lower of the two sides is the reference.
    const auto side_max = [&](std::int64_t step) {
      double highest = v;
      for (std::int64_t j = i + step; j >= 0 && j < n && std::isfinite(at(j)); j += step) {
        if (at(j) < v) break;
        highest = std::max(highest, at(j));
      }
      return highest;
    };
    const double prominence = std::min(side_max(-1), side_max(+1)) - v;
    if (prominence >= min_prominence) out.push_back({i, v, prominence});
  }
  return out;
}

ContactGraph build_contact_graph(const ContactMap& map, const Weights& weights, double top_percent,
                                 std::int64_t local_window_bp, const Progress& progress) {
  if (top_percent < 0 || top_percent > 100) throw InputError("top percent must lie in [0, 100]");
  if (local_window_bp < 0) throw InputError("local window must not be negative");
  const auto& bins = map.bins();
  progress.update(0.0, "expected contacts");
  const auto expected = compute_expected(map, weights, 1);
  struct Edge {
    std::int64_t a, b;
    double value, oe;
  };
  std::vector<Edge> edges;
  for (std::size_t c = 0; c < bins.chroms.size(); ++c) {
    progress.update(0.1 + 0.85 * static_cast<double>(c) / static_cast<double>(bins.chroms.size()),
                    "contact graph: " + bins.chroms[c].name);
    const auto range = chromosome_range(bins, static_cast<int>(c));
    QueryOptions opt;
    opt.weights = weights;
    opt.upper_triangle = true;
    const auto coo = fetch_coo(map, range, range, opt);
    std::vector<Edge> cand;
    for (std::size_t k = 0; k < coo.size(); ++k) {
      if (coo.bin1[k] == coo.bin2[k] || !(coo.value[k] > 0)) continue;
      cand.push_back({coo.bin1[k], coo.bin2[k], coo.value[k],
                      coo.value[k] / expected.value(bins, coo.bin1[k], coo.bin2[k])});
    }
    std::vector<std::size_t> order(cand.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      const double ox = std::isfinite(cand[x].oe) ? cand[x].oe : -1,
                   oy = std::isfinite(cand[y].oe) ? cand[y].oe : -1;
      return ox != oy ? ox > oy : x < y;
    });
    const auto top =
        static_cast<std::size_t>(std::ceil(static_cast<double>(cand.size()) * top_percent / 100.0));
    std::vector<bool> keep(cand.size(), false);
    for (std::size_t k = 0; k < top && k < order.size(); ++k)
      keep[order[k]] = true;
    for (std::size_t k = 0; k < cand.size(); ++k) {
      const auto dist = std::llabs(bins.start[static_cast<std::size_t>(cand[k].b)] -
                                   bins.start[static_cast<std::size_t>(cand[k].a)]);
      if (keep[k] || dist <= local_window_bp) edges.push_back(cand[k]);
    }
  }
  progress.update(0.95, "contact graph: sorting edges");
  ContactGraph g;
  g.nodes = bins.size();
  g.row_ptr.assign(static_cast<std::size_t>(g.nodes) + 1, 0);
  for (const auto& e : edges) {
    ++g.row_ptr[static_cast<std::size_t>(e.a) + 1];
    ++g.row_ptr[static_cast<std::size_t>(e.b) + 1];
  }
  for (std::size_t i = 1; i < g.row_ptr.size(); ++i)
    g.row_ptr[i] += g.row_ptr[i - 1];
  const auto m = static_cast<std::size_t>(g.row_ptr.back());
  g.col.resize(m);
  g.log_contact.resize(m);
  g.log_distance.resize(m);
  g.oe.resize(m);
  std::vector<std::int64_t> fill(g.row_ptr.begin(), g.row_ptr.end() - 1);
  const auto width = std::max<std::int64_t>(bins.bin_size, 1);
  for (const auto& e : edges) {
    const double dist = static_cast<double>(
        std::llabs(bins.start[static_cast<std::size_t>(e.b)] - bins.start[static_cast<std::size_t>(e.a)]));
    for (const auto& [from, to] : {std::pair{e.a, e.b}, std::pair{e.b, e.a}}) {
      const auto k = static_cast<std::size_t>(fill[static_cast<std::size_t>(from)]++);
      g.col[k] = to;
      g.log_contact[k] = std::log(e.value);
      g.log_distance[k] = std::log(dist + static_cast<double>(width));
      g.oe[k] = e.oe;
    }
  }
  // Sort each row's columns for a canonical CSR.
  for (std::int64_t r = 0; r < g.nodes; ++r) {
    const auto lo = static_cast<std::size_t>(g.row_ptr[static_cast<std::size_t>(r)]);
    const auto hi = static_cast<std::size_t>(g.row_ptr[static_cast<std::size_t>(r) + 1]);
    std::vector<std::size_t> idx(hi - lo);
    for (std::size_t k = 0; k < idx.size(); ++k)
      idx[k] = lo + k;
    std::sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return g.col[x] < g.col[y]; });
    std::vector<std::int64_t> col;
    std::vector<double> lc, ld, oe;
    for (const auto k : idx) {
      col.push_back(g.col[k]);
      lc.push_back(g.log_contact[k]);
      ld.push_back(g.log_distance[k]);
      oe.push_back(g.oe[k]);
    }
    std::copy(col.begin(), col.end(), g.col.begin() + static_cast<std::ptrdiff_t>(lo));
    std::copy(lc.begin(), lc.end(), g.log_contact.begin() + static_cast<std::ptrdiff_t>(lo));
    std::copy(ld.begin(), ld.end(), g.log_distance.begin() + static_cast<std::ptrdiff_t>(lo));
    std::copy(oe.begin(), oe.end(), g.oe.begin() + static_cast<std::ptrdiff_t>(lo));
  }
  progress.update(1.0, "contact graph built");
  return g;
}

namespace {

// Symmetric sparse distance graph (CSR) over the valid bins.
struct DistanceGraph {
  std::vector<std::int64_t> row_ptr;
  std::vector<std::int32_t> col;
  std::vector<double> length;
};

// Single-source shortest paths (Dijkstra, binary heap) into `dist` (infinity = unreachable).
void dijkstra(const DistanceGraph& g, std::int32_t source, std::vector<double>& dist) {
  const double inf = std::numeric_limits<double>::infinity();
  std::fill(dist.begin(), dist.end(), inf);
  using Item = std::pair<double, std::int32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  dist[static_cast<std::size_t>(source)] = 0;
  heap.push({0.0, source});
  while (!heap.empty()) {
    const auto [du, u] = heap.top();
    heap.pop();
    if (du > dist[static_cast<std::size_t>(u)]) continue;
    for (auto e = g.row_ptr[static_cast<std::size_t>(u)]; e < g.row_ptr[static_cast<std::size_t>(u) + 1];
         ++e) {
      const auto v = static_cast<std::size_t>(g.col[static_cast<std::size_t>(e)]);
      const double nd = du + g.length[static_cast<std::size_t>(e)];
      if (nd < dist[v]) {
        dist[v] = nd;
        heap.push({nd, static_cast<std::int32_t>(v)});
      }
    }
  }
}

} // namespace

Eigen::MatrixX3d structure_3d(const Eigen::MatrixXd& contacts, double alpha, int landmarks,
                              const Progress& progress) {
  if (contacts.rows() != contacts.cols()) throw InputError("3D structure needs a square contact matrix");
  if (alpha <= 0) throw InputError("alpha must be positive");
  if (landmarks < 4) throw InputError("3D structure needs at least 4 landmarks");
  const auto n = contacts.rows();
  // Stages, with rough shares of the time: distance graph (a pass over the dense matrix), shortest
  // paths from every landmark (most of it), MDS and placement.
  progress.update(0.0, "3D structure: distance graph");
  StepProgress graph_rows(progress.sub(0.0, 0.1), "3D structure: distance graph", 64);
  std::vector<Eigen::Index> valid;
  for (Eigen::Index i = 0; i < n; ++i) {
    graph_rows.tick([&] { return 0.5 * static_cast<double>(i) / static_cast<double>(n); });
    bool any = false;
    for (Eigen::Index j = 0; j < n && !any; ++j)
      any = j != i && std::isfinite(contacts(i, j)) && contacts(i, j) > 0;
    if (any) valid.push_back(i);
  }
  Eigen::MatrixX3d out = Eigen::MatrixX3d::Constant(n, 3, k_nan);
  const auto m = static_cast<Eigen::Index>(valid.size());
  if (m < 4) {
    progress.update(1.0, "3D structure: fewer than 4 bins with contacts");
    return out;
  }
  if (m >= std::numeric_limits<std::int32_t>::max())
    throw InputError("contact matrix too large for 3D structure");

  DistanceGraph g;
  g.row_ptr.assign(static_cast<std::size_t>(m) + 1, 0);
  for (Eigen::Index a = 0; a < m; ++a) {
    graph_rows.tick([&] { return 0.5 + 0.5 * static_cast<double>(a) / static_cast<double>(m); });
    for (Eigen::Index b = 0; b < m; ++b) {
      if (a == b) continue;
      const double x = contacts(valid[a], valid[b]);
      const double y = contacts(valid[b], valid[a]);
      const double c = 0.5 * ((std::isfinite(x) ? x : 0) + (std::isfinite(y) ? y : 0));
      if (c <= 0) continue;
      g.col.push_back(static_cast<std::int32_t>(b));
      g.length.push_back(std::pow(c, -alpha));
    }
    g.row_ptr[static_cast<std::size_t>(a) + 1] = static_cast<std::int64_t>(g.col.size());
  }

  // Landmarks by farthest-point sampling from bin 0, so that they span the structure; with
  // m <= landmarks every bin is one and this is classical MDS of all shortest-path distances.
  const auto l = static_cast<Eigen::Index>(std::min<Eigen::Index>(m, landmarks));
  const double inf = std::numeric_limits<double>::infinity();
  Eigen::MatrixXd to_landmark(l, m); // shortest-path distance from landmark k to bin a
  std::vector<std::int32_t> chosen;
  {
    std::vector<double> nearest(static_cast<std::size_t>(m), inf);
    std::vector<double> dist(static_cast<std::size_t>(m));
    std::vector<char> is_chosen(static_cast<std::size_t>(m), 0);
    std::int32_t next = 0;
    const Progress paths = progress.sub(0.1, 0.85);
    for (Eigen::Index k = 0; k < l; ++k) {
      paths.update(static_cast<double>(k) / static_cast<double>(l),
                   "3D structure: shortest paths from landmark " + std::to_string(k + 1) + " of " +
                       std::to_string(l));
      chosen.push_back(next);
      is_chosen[static_cast<std::size_t>(next)] = 1;
      dijkstra(g, next, dist);
      for (Eigen::Index a = 0; a < m; ++a)
        to_landmark(k, a) = dist[static_cast<std::size_t>(a)];
      if (k + 1 == l) break;
      // Unreached bins first (another connected piece), then the farthest reached one.
      double best = -1;
      for (Eigen::Index a = 0; a < m; ++a) {
        auto& near = nearest[static_cast<std::size_t>(a)];
        near = std::min(near, dist[static_cast<std::size_t>(a)]);
        const double score = near == inf ? std::numeric_limits<double>::max() : near;
        if (score > best && !is_chosen[static_cast<std::size_t>(a)]) {
          best = score;
          next = static_cast<std::int32_t>(a);
        }
      }
    }
  }
  double largest = 0;
  for (Eigen::Index k = 0; k < l; ++k)
    for (Eigen::Index a = 0; a < m; ++a)
      if (to_landmark(k, a) < inf) largest = std::max(largest, to_landmark(k, a));
  for (Eigen::Index k = 0; k < l; ++k) // disconnected pieces: place them beyond the farthest pair
    for (Eigen::Index a = 0; a < m; ++a)
      if (to_landmark(k, a) == inf) to_landmark(k, a) = 2 * largest;

  // Classical MDS of the landmarks: B = -1/2 J D^2 J, coordinates from the three largest
  // eigenpairs; then every bin by distance-based triangulation (de Silva & Tenenbaum 2004):
  // x_a = -1/2 pinv(L) (d_a^2 - mean landmark column of D^2).
  progress.update(0.85, "3D structure: MDS");
  const Eigen::MatrixXd sq = to_landmark.array().square().matrix(); // l x m
  Eigen::MatrixXd d2(l, l);
  for (Eigen::Index k = 0; k < l; ++k)
    d2.col(k) = sq.col(chosen[static_cast<std::size_t>(k)]);
  d2 = (0.5 * (d2 + d2.transpose())).eval();
  const Eigen::VectorXd row_mean = d2.rowwise().mean();
  const double all_mean = d2.mean();
  Eigen::MatrixXd b(l, l);
  for (Eigen::Index i = 0; i < l; ++i)
    for (Eigen::Index j = 0; j < l; ++j)
      b(i, j) = -0.5 * (d2(i, j) - row_mean(i) - row_mean(j) + all_mean);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(b);
  if (eig.info() != Eigen::Success) throw Error("eigen-decomposition failed in 3D structure");
  progress.update(0.95, "3D structure: placing bins");
  for (int k = 0; k < 3; ++k) {
    const auto idx = l - 1 - k; // eigenvalues ascending
    const double lambda = eig.eigenvalues()(idx);
    if (lambda <= 1e-12 * std::max(1.0, eig.eigenvalues()(l - 1))) {
      for (Eigen::Index a = 0; a < m; ++a)
        out(valid[a], k) = 0;
      continue;
    }
    const Eigen::VectorXd v = eig.eigenvectors().col(idx) / std::sqrt(lambda);
    for (Eigen::Index a = 0; a < m; ++a)
      out(valid[a], k) = -0.5 * v.dot(sq.col(a) - row_mean);
  }
  progress.update(1.0, "3D structure done");
  return out;
}

} // namespace gc::hic
