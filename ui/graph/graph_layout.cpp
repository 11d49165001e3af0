#include "gc/ui/graph/graph_layout.h"

#include "gc/util/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace gc::ui::graph {
namespace {

constexpr double pi = 3.14159265358979323846;

// Scales `p` into [0, 1]², the same factor on both axes, centred.
void normalise(std::vector<LayoutPoint>& p) {
  if (p.empty()) return;
  double x0 = p[0].x, x1 = p[0].x, y0 = p[0].y, y1 = p[0].y;
  for (const auto& q : p) {
    x0 = std::min(x0, q.x);
    x1 = std::max(x1, q.x);
    y0 = std::min(y0, q.y);
    y1 = std::max(y1, q.y);
  }
  const double extent = std::max(x1 - x0, y1 - y0);
  const double scale = extent > 1e-12 ? 1.0 / extent : 0.0;
  for (auto& q : p)
    q = {0.5 + (q.x - 0.5 * (x0 + x1)) * scale, 0.5 + (q.y - 0.5 * (y0 + y1)) * scale};
}

std::vector<int> out_degrees(const LayoutGraph& g) {
  std::vector<int> d(static_cast<std::size_t>(g.nodes), 0);
  for (const auto& e : g.edges)
    if (e.from != e.to) ++d[static_cast<std::size_t>(e.from)];
  return d;
}

std::vector<std::uint8_t> regulators(const LayoutGraph& g) {
  const auto out = out_degrees(g);
  std::vector<std::uint8_t> r(static_cast<std::size_t>(g.nodes), 0);
  for (std::size_t i = 0; i < r.size(); ++i)
    r[i] = out[i] > 0 || (i < g.regulator.size() && g.regulator[i]);
  return r;
}

// ---- force ----

// Fruchterman–Reingold on one connected graph, in its natural units (ideal edge length 1, in a
// square of side sqrt(n)), not normalised.
std::vector<LayoutPoint> fruchterman_reingold(const LayoutGraph& g, std::uint64_t seed, int iterations_wanted,
                                              const gc::Progress& progress) {
  const auto n = static_cast<std::size_t>(g.nodes);
  std::vector<LayoutPoint> p(n, {0.0, 0.0});
  if (n < 2) return p;
  const double side = std::sqrt(static_cast<double>(n));
  const double k = 1.0, k2 = k * k;
  gc::Rng rng(seed);
  for (auto& q : p)
    q = {rng.uniform(0.0, side), rng.uniform(0.0, side)};
  double wmax = 0.0;
  for (const auto& e : g.edges)
    wmax = std::max(wmax, e.weight);
  std::vector<double> wrel(g.edges.size(), 1.0);
  for (std::size_t i = 0; i < g.edges.size(); ++i)
    if (wmax > 0) wrel[i] = 0.25 + 0.75 * std::max(0.0, g.edges[i].weight) / wmax;
  const int iterations = iterations_wanted > 0
                             ? iterations_wanted
                             : std::clamp(static_cast<int>(4e7 / static_cast<double>(n * n)), 120, 500);
  // Exact repulsion up to this size; a grid with the paper's 2k cut-off beyond.
  const bool use_grid = n > 1200;
  const double cell = 2.0 * k;
  std::vector<double> dx(n), dy(n);
  const double t0 = side / 8.0 + 0.5;
  const auto repel = [&](std::size_t i, std::size_t j) {
    double ddx = p[i].x - p[j].x, ddy = p[i].y - p[j].y;
    double d2 = ddx * ddx + ddy * ddy;
    if (d2 < 1e-12) {
      // Coincident points: push apart along a direction fixed by the indices.
      const double a = static_cast<double>((i * 7919 + j * 104729) % 360) * pi / 180.0;
      ddx = 1e-3 * std::cos(a);
      ddy = 1e-3 * std::sin(a);
      d2 = 1e-6;
    }
    if (use_grid && d2 > cell * cell) return;
    const double f = k2 / d2; // (k²/d) along the unit vector (ddx, ddy)/d
    dx[i] += ddx * f;
    dy[i] += ddy * f;
    dx[j] -= ddx * f;
    dy[j] -= ddy * f;
  };
  std::unordered_map<std::int64_t, std::vector<std::size_t>> grid;
  for (int it = 0; it < iterations; ++it) {
    if (it % 8 == 0) progress.update(static_cast<double>(it) / iterations, "force-directed layout");
    std::fill(dx.begin(), dx.end(), 0.0);
    std::fill(dy.begin(), dy.end(), 0.0);
    if (!use_grid) {
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j)
          repel(i, j);
      }
    } else {
      grid.clear();
      const auto key = [](std::int64_t cx, std::int64_t cy) { return cx * 1'000'003 + cy; };
      for (std::size_t i = 0; i < n; ++i) {
        grid[key(static_cast<std::int64_t>(std::floor(p[i].x / cell)),
                 static_cast<std::int64_t>(std::floor(p[i].y / cell)))]
            .push_back(i);
      }
      for (std::size_t i = 0; i < n; ++i) {
        const auto cx = static_cast<std::int64_t>(std::floor(p[i].x / cell));
        const auto cy = static_cast<std::int64_t>(std::floor(p[i].y / cell));
        for (std::int64_t ax = cx - 1; ax <= cx + 1; ++ax) {
          for (std::int64_t ay = cy - 1; ay <= cy + 1; ++ay) {
            const auto found = grid.find(key(ax, ay));
            if (found == grid.end()) continue;
            for (const auto j : found->second)
              if (j > i) repel(i, j);
          }
        }
      }
    }
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      const auto u = static_cast<std::size_t>(g.edges[e].from), v = static_cast<std::size_t>(g.edges[e].to);
      if (u == v) continue;
      const double ddx = p[u].x - p[v].x, ddy = p[u].y - p[v].y;
      const double d = std::sqrt(ddx * ddx + ddy * ddy);
      const double f = wrel[e] * d / k; // (w d²/k) along the unit vector
      dx[u] -= ddx * f;
      dy[u] -= ddy * f;
      dx[v] += ddx * f;
      dy[v] += ddy * f;
    }
    const double t = t0 * (1.0 - static_cast<double>(it) / iterations) + 1e-3;
    for (std::size_t i = 0; i < n; ++i) {
      const double len = std::sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
      if (len < 1e-12) continue;
      const double step = std::min(len, t) / len;
      p[i].x += dx[i] * step;
      p[i].y += dy[i] * step;
    }
  }
  // Hubs that share many targets pull them into one spot; a few rounds of pushing apart pairs
  // closer than half the ideal distance keep nodes (and their labels) from covering each other.
  const double min_d = 0.5 * k;
  for (int round = 0; round < 20 && !use_grid; ++round) {
    bool moved = false;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const double ddx = p[j].x - p[i].x, ddy = p[j].y - p[i].y;
        const double d = std::sqrt(ddx * ddx + ddy * ddy);
        if (d >= min_d) continue;
        const double a = static_cast<double>((i * 7919 + j * 104729) % 360) * pi / 180.0;
        const double ux = d > 1e-9 ? ddx / d : std::cos(a), uy = d > 1e-9 ? ddy / d : std::sin(a);
        const double push = (min_d - d) / 2;
        p[i].x -= ux * push;
        p[i].y -= uy * push;
        p[j].x += ux * push;
        p[j].y += uy * push;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return p;
}

// Connected components (edges undirected), each a list of nodes ascending, largest first (ties
// by smallest node).
std::vector<std::vector<int>> components(const LayoutGraph& g) {
  std::vector<int> parent(static_cast<std::size_t>(g.nodes));
  std::iota(parent.begin(), parent.end(), 0);
  const auto find = [&](int x) {
    while (parent[static_cast<std::size_t>(x)] != x) {
      x = parent[static_cast<std::size_t>(x)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
    }
    return x;
  };
  for (const auto& e : g.edges) {
    const int a = find(e.from), b = find(e.to);
    if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
  }
  std::unordered_map<int, std::size_t> slot;
  std::vector<std::vector<int>> out;
  for (int v = 0; v < g.nodes; ++v) {
    const int r = find(v);
    const auto [it, added] = slot.emplace(r, out.size());
    if (added) out.emplace_back();
    out[it->second].push_back(v);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

// Each component laid out on its own, then packed in rows (largest first) into a roughly
// square picture, so that unconnected parts neither fly apart nor overlap.
Layout force_layout(const LayoutGraph& g, const LayoutOptions& o, const gc::Progress& progress) {
  const auto n = static_cast<std::size_t>(g.nodes);
  Layout out;
  out.kind = LayoutKind::force;
  out.max_stretch = 1.35;
  out.positions.assign(n, {0.5, 0.5});
  if (n < 2) return out;
  const auto parts = components(g);
  std::vector<int> local(n, 0), part_of(n, 0);
  for (std::size_t c = 0; c < parts.size(); ++c) {
    for (std::size_t i = 0; i < parts[c].size(); ++i) {
      local[static_cast<std::size_t>(parts[c][i])] = static_cast<int>(i);
      part_of[static_cast<std::size_t>(parts[c][i])] = static_cast<int>(c);
    }
  }
  std::vector<LayoutGraph> sub(parts.size());
  for (std::size_t c = 0; c < parts.size(); ++c)
    sub[c].nodes = static_cast<int>(parts[c].size());
  for (const auto& e : g.edges) {
    sub[static_cast<std::size_t>(part_of[static_cast<std::size_t>(e.from)])].edges.push_back(
        {local[static_cast<std::size_t>(e.from)], local[static_cast<std::size_t>(e.to)], e.weight});
  }
  // Boxes of the laid-out components, padded by one ideal edge length.
  struct Box {
    std::vector<LayoutPoint> p;
    double w = 0, h = 0;
  };
  std::vector<Box> boxes(parts.size());
  double area = 0;
  std::size_t done = 0;
  for (std::size_t c = 0; c < parts.size(); ++c) {
    const double lo = static_cast<double>(done) / static_cast<double>(n);
    done += parts[c].size();
    auto p = fruchterman_reingold(sub[c], o.seed + 7919 * c, o.iterations,
                                  progress.sub(lo, static_cast<double>(done) / static_cast<double>(n)));
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const auto& q : p) {
      x0 = std::min(x0, q.x);
      y0 = std::min(y0, q.y);
      x1 = std::max(x1, q.x);
      y1 = std::max(y1, q.y);
    }
    for (auto& q : p)
      q = {q.x - x0 + 0.6, q.y - y0 + 0.6};
    boxes[c] = {std::move(p), x1 - x0 + 1.2, y1 - y0 + 1.2};
    area += boxes[c].w * boxes[c].h;
  }
  // Shelf packing: rows as wide as the square of the total area (at least the widest box).
  double row_w = std::sqrt(area) * 1.1;
  for (const auto& b : boxes)
    row_w = std::max(row_w, b.w);
  double x = 0, y = 0, shelf = 0;
  for (std::size_t c = 0; c < parts.size(); ++c) {
    const auto& b = boxes[c];
    if (x > 0 && x + b.w > row_w) {
      x = 0;
      y += shelf;
      shelf = 0;
    }
    for (std::size_t i = 0; i < parts[c].size(); ++i)
      out.positions[static_cast<std::size_t>(parts[c][i])] = {x + b.p[i].x, y + b.p[i].y};
    x += b.w;
    shelf = std::max(shelf, b.h);
  }
  progress.update(1.0, "force-directed layout");
  normalise(out.positions);
  return out;
}

// ---- hierarchical ----

// Fenwick tree counting inversions (crossings between two adjacent layers).
std::int64_t inversions(std::vector<std::pair<int, int>> pairs, int max_second) {
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::int64_t> tree(static_cast<std::size_t>(max_second) + 2, 0);
  std::int64_t count = 0, seen = 0;
  for (const auto& [a, b] : pairs) {
    (void)a;
    // Earlier pairs (smaller first) with a larger second cross this one.
    std::int64_t le = 0;
    for (int i = b + 1; i > 0; i -= i & -i)
      le += tree[static_cast<std::size_t>(i)];
    count += seen - le;
    for (int i = b + 1; i < static_cast<int>(tree.size()); i += i & -i)
      ++tree[static_cast<std::size_t>(i)];
    ++seen;
  }
  return count;
}

struct Layers {
  std::vector<int> layer;               // per node
  std::vector<std::vector<int>> orders; // per layer: nodes in order
};

Layers assign_layers(const LayoutGraph& g) {
  const auto n = static_cast<std::size_t>(g.nodes);
  const auto reg = regulators(g);
  // Adjacency of the regulator subgraph, in edge order (deterministic).
  std::vector<std::vector<int>> succ(n);
  std::vector<int> indeg(n, 0);
  for (const auto& e : g.edges) {
    if (e.from == e.to) continue;
    const auto u = static_cast<std::size_t>(e.from), v = static_cast<std::size_t>(e.to);
    if (reg[u] && reg[v]) {
      succ[u].push_back(e.to);
      ++indeg[v];
    }
  }
  // Drop DFS back edges, starting from the nodes with the fewest regulators (sources first).
  std::vector<int> starts;
  for (std::size_t i = 0; i < n; ++i)
    if (reg[i]) starts.push_back(static_cast<int>(i));
  std::stable_sort(starts.begin(), starts.end(), [&](int a, int b) {
    return indeg[static_cast<std::size_t>(a)] < indeg[static_cast<std::size_t>(b)];
  });
  std::vector<std::uint8_t> state(n, 0); // 0 new, 1 on the stack, 2 done
  std::vector<std::vector<int>> dag(n);
  for (const int s : starts) {
    if (state[static_cast<std::size_t>(s)] != 0) continue;
    std::vector<std::pair<int, std::size_t>> stack{{s, 0}};
    state[static_cast<std::size_t>(s)] = 1;
    while (!stack.empty()) {
      auto& [u, next] = stack.back();
      const auto& out = succ[static_cast<std::size_t>(u)];
      if (next == out.size()) {
        state[static_cast<std::size_t>(u)] = 2;
        stack.pop_back();
        continue;
      }
      const int v = out[next++];
      if (state[static_cast<std::size_t>(v)] == 1) continue; // back edge: breaks a cycle
      dag[static_cast<std::size_t>(u)].push_back(v);
      if (state[static_cast<std::size_t>(v)] == 0) {
        state[static_cast<std::size_t>(v)] = 1;
        stack.emplace_back(v, 0);
      }
    }
  }
  // Longest path from the sources (Kahn's order, smallest index first).
  std::vector<int> in(n, 0);
  for (std::size_t u = 0; u < n; ++u) {
    for (const int v : dag[u])
      ++in[static_cast<std::size_t>(v)];
  }
  Layers out;
  out.layer.assign(n, 0);
  std::vector<int> queue;
  for (std::size_t i = 0; i < n; ++i)
    if (reg[i] && in[i] == 0) queue.push_back(static_cast<int>(i));
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const int u = queue[q];
    for (const int v : dag[static_cast<std::size_t>(u)]) {
      auto& lv = out.layer[static_cast<std::size_t>(v)];
      lv = std::max(lv, out.layer[static_cast<std::size_t>(u)] + 1);
      if (--in[static_cast<std::size_t>(v)] == 0) queue.push_back(v);
    }
  }
  // Every other gene one layer below its deepest regulator.
  std::vector<int> deepest(n, -1);
  for (const auto& e : g.edges) {
    const auto u = static_cast<std::size_t>(e.from), v = static_cast<std::size_t>(e.to);
    if (e.from != e.to && reg[u] && !reg[v]) deepest[v] = std::max(deepest[v], out.layer[u]);
  }
  for (std::size_t v = 0; v < n; ++v)
    if (!reg[v]) out.layer[v] = deepest[v] + 1;
  // Layers without nodes are dropped.
  std::vector<int> used(n + 1, 0);
  for (const int l : out.layer)
    used[static_cast<std::size_t>(l)] = 1;
  std::vector<int> renumber(n + 1, 0);
  int next = 0;
  for (std::size_t l = 0; l <= n; ++l)
    if (used[l]) renumber[l] = next++;
  for (auto& l : out.layer)
    l = renumber[static_cast<std::size_t>(l)];
  out.orders.assign(static_cast<std::size_t>(next), {});
  for (std::size_t v = 0; v < n; ++v)
    out.orders[static_cast<std::size_t>(out.layer[v])].push_back(static_cast<int>(v));
  return out;
}

// Crossings between adjacent layers for the current orders.
std::int64_t layer_crossings(const LayoutGraph& g, const Layers& layers, const std::vector<int>& pos) {
  std::vector<std::vector<std::pair<int, int>>> between(layers.orders.size());
  int widest = 0;
  for (const auto& o : layers.orders)
    widest = std::max(widest, static_cast<int>(o.size()));
  for (const auto& e : g.edges) {
    int a = e.from, b = e.to;
    int la = layers.layer[static_cast<std::size_t>(a)], lb = layers.layer[static_cast<std::size_t>(b)];
    if (la > lb) {
      std::swap(a, b);
      std::swap(la, lb);
    }
    if (lb != la + 1) continue;
    between[static_cast<std::size_t>(la)].emplace_back(pos[static_cast<std::size_t>(a)],
                                                       pos[static_cast<std::size_t>(b)]);
  }
  std::int64_t total = 0;
  for (auto& pairs : between)
    total += inversions(std::move(pairs), widest);
  return total;
}

void order_layers(const LayoutGraph& g, Layers& layers, const gc::Progress& progress) {
  const auto n = static_cast<std::size_t>(g.nodes);
  std::vector<std::vector<int>> nbr(n);
  for (const auto& e : g.edges) {
    if (e.from != e.to) {
      nbr[static_cast<std::size_t>(e.from)].push_back(e.to);
      nbr[static_cast<std::size_t>(e.to)].push_back(e.from);
    }
  }
  // pos: index within the layer; rel: the same as a fraction of the layer, so layers of
  // different widths compare.
  std::vector<int> pos(n, 0);
  std::vector<double> rel(n, 0.0);
  const auto refresh = [&](std::size_t l) {
    const auto& o = layers.orders[l];
    for (std::size_t i = 0; i < o.size(); ++i) {
      pos[static_cast<std::size_t>(o[i])] = static_cast<int>(i);
      rel[static_cast<std::size_t>(o[i])] = (static_cast<double>(i) + 0.5) / static_cast<double>(o.size());
    }
  };
  for (std::size_t l = 0; l < layers.orders.size(); ++l)
    refresh(l);
  const auto sweep_layer = [&](std::size_t l, bool from_above) {
    auto& o = layers.orders[l];
    std::vector<std::pair<double, int>> keyed;
    keyed.reserve(o.size());
    for (const int v : o) {
      double sum = 0;
      int count = 0;
      for (const int u : nbr[static_cast<std::size_t>(v)]) {
        const int lu = layers.layer[static_cast<std::size_t>(u)];
        if (from_above ? lu < static_cast<int>(l) : lu > static_cast<int>(l)) {
          sum += rel[static_cast<std::size_t>(u)];
          ++count;
        }
      }
      keyed.emplace_back(count > 0 ? sum / count : rel[static_cast<std::size_t>(v)], v);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < o.size(); ++i)
      o[i] = keyed[i].second;
    refresh(l);
  };
  auto best = layers.orders;
  std::int64_t best_crossings = layer_crossings(g, layers, pos);
  constexpr int rounds = 12;
  for (int r = 0; r < rounds && best_crossings > 0; ++r) {
    progress.update(static_cast<double>(r) / rounds, "hierarchical layout");
    for (std::size_t l = 1; l < layers.orders.size(); ++l)
      sweep_layer(l, true);
    for (std::size_t l = layers.orders.size(); l-- > 1;)
      sweep_layer(l - 1, false);
    const auto c = layer_crossings(g, layers, pos);
    if (c < best_crossings) {
      best_crossings = c;
      best = layers.orders;
    }
  }
  layers.orders = std::move(best);
}

Layout hierarchical_layout(const LayoutGraph& g, const LayoutOptions& o, const gc::Progress& progress) {
  Layout out;
  out.kind = LayoutKind::hierarchical;
  out.max_stretch = 0.0;
  const auto n = static_cast<std::size_t>(g.nodes);
  out.positions.assign(n, {0.5, 0.5});
  out.layer.assign(n, 0);
  out.row.assign(n, 0);
  if (n == 0) return out;
  auto layers = assign_layers(g);
  progress.check();
  order_layers(g, layers, progress);
  const int per_row = std::max(1, o.max_per_row);
  int rows_total = 0;
  std::vector<int> first_row(layers.orders.size(), 0), rows_of(layers.orders.size(), 1);
  for (std::size_t l = 0; l < layers.orders.size(); ++l) {
    const int m = static_cast<int>(layers.orders[l].size());
    rows_of[l] = (m + per_row - 1) / per_row;
    first_row[l] = rows_total;
    rows_total += rows_of[l];
  }
  for (std::size_t l = 0; l < layers.orders.size(); ++l) {
    const auto& ord = layers.orders[l];
    const auto m = static_cast<double>(ord.size());
    for (std::size_t i = 0; i < ord.size(); ++i) {
      const auto v = static_cast<std::size_t>(ord[i]);
      // Consecutive nodes alternate between the layer's rows: the order along x is kept and
      // neighbouring labels sit on different rows.
      const int row = first_row[l] + static_cast<int>(i % static_cast<std::size_t>(rows_of[l]));
      out.layer[v] = layers.layer[v];
      out.row[v] = row;
      out.positions[v] = {(static_cast<double>(i) + 0.5) / m,
                          rows_total > 1 ? static_cast<double>(row) / (rows_total - 1) : 0.5};
    }
  }
  progress.update(1.0, "hierarchical layout");
  return out;
}

// ---- circle ----

Layout circle_layout(const LayoutGraph& g) {
  Layout out;
  out.kind = LayoutKind::circle;
  out.max_stretch = 1.0;
  const auto n = static_cast<std::size_t>(g.nodes);
  out.positions.assign(n, {0.5, 0.5});
  if (n < 2) return out;
  const auto out_deg = out_degrees(g);
  const auto reg = regulators(g);
  std::vector<std::vector<std::pair<double, int>>> targets(n);
  for (const auto& e : g.edges)
    if (e.from != e.to) targets[static_cast<std::size_t>(e.from)].emplace_back(e.weight, e.to);
  std::vector<int> regs;
  for (std::size_t i = 0; i < n; ++i)
    if (reg[i]) regs.push_back(static_cast<int>(i));
  std::stable_sort(regs.begin(), regs.end(), [&](int a, int b) {
    return out_deg[static_cast<std::size_t>(a)] > out_deg[static_cast<std::size_t>(b)];
  });
  std::vector<int> order;
  std::vector<std::uint8_t> placed(n, 0);
  for (const int r : regs) {
    if (!placed[static_cast<std::size_t>(r)]) {
      placed[static_cast<std::size_t>(r)] = 1;
      order.push_back(r);
    }
    auto ts = targets[static_cast<std::size_t>(r)];
    std::stable_sort(ts.begin(), ts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [w, t] : ts) {
      (void)w;
      if (!reg[static_cast<std::size_t>(t)] && !placed[static_cast<std::size_t>(t)]) {
        placed[static_cast<std::size_t>(t)] = 1;
        order.push_back(t);
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!placed[i]) order.push_back(static_cast<int>(i));
  for (std::size_t i = 0; i < n; ++i) {
    const double a = -pi / 2 + 2 * pi * static_cast<double>(i) / static_cast<double>(n);
    out.positions[static_cast<std::size_t>(order[i])] = {0.5 + 0.5 * std::cos(a), 0.5 + 0.5 * std::sin(a)};
  }
  return out;
}

} // namespace

std::string_view to_string(LayoutKind kind) noexcept {
  switch (kind) {
  case LayoutKind::force: return "force";
  case LayoutKind::hierarchical: return "hierarchical";
  case LayoutKind::circle: return "circle";
  }
  return "force";
}

std::optional<LayoutKind> parse_layout(std::string_view text) noexcept {
  for (const auto k : {LayoutKind::force, LayoutKind::hierarchical, LayoutKind::circle})
    if (text == to_string(k)) return k;
  return std::nullopt;
}

Layout compute_layout(const LayoutGraph& graph, LayoutKind kind, const LayoutOptions& options,
                      const gc::Progress& progress) {
  progress.check();
  switch (kind) {
  case LayoutKind::force: return force_layout(graph, options, progress);
  case LayoutKind::hierarchical: return hierarchical_layout(graph, options, progress);
  case LayoutKind::circle: return circle_layout(graph);
  }
  return force_layout(graph, options, progress);
}

std::int64_t count_crossings(const LayoutGraph& graph, const Layout& layout) {
  if (layout.row.size() != static_cast<std::size_t>(graph.nodes)) return 0;
  std::int64_t total = 0;
  const auto& r = layout.row;
  const auto& p = layout.positions;
  for (std::size_t a = 0; a < graph.edges.size(); ++a) {
    const auto& e = graph.edges[a];
    const auto eu = static_cast<std::size_t>(e.from), ev = static_cast<std::size_t>(e.to);
    if (std::abs(r[eu] - r[ev]) != 1) continue;
    for (std::size_t b = a + 1; b < graph.edges.size(); ++b) {
      const auto& f = graph.edges[b];
      const auto fu = static_cast<std::size_t>(f.from), fv = static_cast<std::size_t>(f.to);
      if (std::min(r[fu], r[fv]) != std::min(r[eu], r[ev]) || std::abs(r[fu] - r[fv]) != 1) continue;
      // Both between the same two rows: compare upper and lower ends.
      const auto upper = [&](std::size_t x, std::size_t y) { return r[x] < r[y] ? x : y; };
      const auto lower = [&](std::size_t x, std::size_t y) { return r[x] < r[y] ? y : x; };
      const double du = p[upper(eu, ev)].x - p[upper(fu, fv)].x;
      const double dl = p[lower(eu, ev)].x - p[lower(fu, fv)].x;
      if (du * dl < 0) ++total;
    }
  }
  return total;
}

} // namespace gc::ui::graph
