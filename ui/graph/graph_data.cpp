#include "gc/ui/graph/graph_data.h"

#include "gc/grn/infer.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace gc::ui::graph {

const std::vector<Provenance>& all_provenances() {
  static const std::vector<Provenance> all{Provenance::expression, Provenance::hic, Provenance::motif,
                                           Provenance::learned};
  return all;
}

std::string_view to_string(Provenance p) noexcept {
  switch (p) {
  case Provenance::expression: return "expression";
  case Provenance::hic: return "Hi-C";
  case Provenance::motif: return "motif";
  case Provenance::learned: return "learned";
  }
  return "";
}

std::string to_string(ProvenanceSet s) {
  std::string out;
  for (const auto p : all_provenances()) {
    if (s.has(p)) {
      if (!out.empty()) out += '+';
      out += to_string(p);
    }
  }
  return out;
}

std::string_view sign_text(int sign) noexcept { return sign > 0 ? "+" : sign < 0 ? "\u2212" : "?"; }

std::optional<int> GraphData::gene_index(std::string_view name) const {
  const auto it = m_index.find(std::string(name));
  if (it == m_index.end()) return std::nullopt;
  return it->second;
}

void GraphData::index_genes() {
  m_index.clear();
  for (std::size_t i = 0; i < genes.size(); ++i)
    m_index.emplace(genes[i], static_cast<int>(i));
  is_tf.resize(genes.size(), 0);
}

int GraphData::intern(const std::string& name) {
  const auto [it, added] = m_index.emplace(name, static_cast<int>(genes.size()));
  if (added) {
    genes.push_back(name);
    is_tf.push_back(0);
  }
  return it->second;
}

void add_ranked_edges(GraphData& data, std::vector<gc::grn::ScoredEdge> edges, ProvenanceSet provenance) {
  gc::grn::sort_edges(edges);
  data.edges.reserve(data.edges.size() + edges.size());
  for (const auto& e : edges) {
    GraphEdge g;
    g.regulator = data.intern(e.regulator);
    g.target = data.intern(e.target);
    g.score = e.weight;
    g.sign = e.sign;
    g.rank = static_cast<int>(data.edges.size()) + 1;
    g.provenance = provenance;
    data.edges.push_back(g);
  }
}

void set_reference(GraphData& data, std::string name, const std::vector<ReferenceEdge>& edges) {
  data.reference = std::move(name);
  data.reference_edges = edges;
  std::set<std::pair<int, int>> truth;
  for (const auto& r : edges)
    truth.emplace(r.regulator, r.target);
  for (auto& e : data.edges)
    e.in_reference = truth.contains({e.regulator, e.target});
}

std::string_view to_string(Focus f) noexcept {
  switch (f) {
  case Focus::all: return "all";
  case Focus::in: return "in";
  case Focus::out: return "out";
  case Focus::both: return "both";
  }
  return "all";
}

std::optional<Focus> parse_focus(std::string_view text) noexcept {
  for (const auto f : {Focus::all, Focus::in, Focus::out, Focus::both})
    if (text == to_string(f)) return f;
  return std::nullopt;
}

int ShownNetwork::node_position(int g) const {
  const auto it = std::lower_bound(nodes.begin(), nodes.end(), g);
  return it != nodes.end() && *it == g ? static_cast<int>(it - nodes.begin()) : -1;
}

ShownNetwork filter_network(const GraphData& data, const NetworkFilter& filter) {
  ShownNetwork shown;
  const bool focused = filter.focus != Focus::all && filter.focus_gene >= 0;
  const auto in_focus = [&](int regulator, int target) {
    if (!focused) return true;
    const bool in = target == filter.focus_gene, out = regulator == filter.focus_gene;
    switch (filter.focus) {
    case Focus::in: return in;
    case Focus::out: return out;
    case Focus::both: return in || out;
    case Focus::all: return true;
    }
    return true;
  };
  std::vector<std::uint8_t> on(data.genes.size(), 0);
  for (std::size_t i = 0; i < data.edges.size(); ++i) {
    if (filter.top_k > 0 && static_cast<int>(shown.edges.size()) >= filter.top_k) break;
    const auto& e = data.edges[i];
    // Edges are in rank order, so the first one under the threshold ends the list.
    if (!(e.score >= filter.threshold)) break;
    if (!in_focus(e.regulator, e.target)) continue;
    shown.edges.push_back(i);
    shown.true_positives += e.in_reference ? 1 : 0;
    on[static_cast<std::size_t>(e.regulator)] = on[static_cast<std::size_t>(e.target)] = 1;
  }
  // A focused gene stays in the picture even when nothing around it passes the filter.
  if (focused && static_cast<std::size_t>(filter.focus_gene) < on.size())
    on[static_cast<std::size_t>(filter.focus_gene)] = 1;
  for (std::size_t g = 0; g < on.size(); ++g)
    if (on[g]) shown.nodes.push_back(static_cast<int>(g));
  std::set<std::pair<int, int>> drawn;
  for (const auto i : shown.edges)
    drawn.emplace(data.edges[i].regulator, data.edges[i].target);
  for (std::size_t i = 0; i < data.reference_edges.size(); ++i) {
    const auto& r = data.reference_edges[i];
    if (!on[static_cast<std::size_t>(r.regulator)] || !on[static_cast<std::size_t>(r.target)]) continue;
    if (!drawn.emplace(r.regulator, r.target).second) continue; // shown, or listed twice
    // In focus mode only the missed edges of the focus gene belong to the picture.
    if (!in_focus(r.regulator, r.target)) continue;
    shown.missed.push_back(i);
  }
  return shown;
}

EdgeClass classify(const GraphData& data, const GraphEdge& edge) noexcept {
  if (!data.has_reference()) return EdgeClass::no_reference;
  return edge.in_reference ? EdgeClass::true_positive : EdgeClass::false_positive;
}

std::vector<int> find_genes(const GraphData& data, std::string_view prefix, std::size_t limit) {
  const auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
  };
  const std::string p = lower(prefix);
  std::vector<int> exact, starts;
  if (p.empty()) return exact;
  for (std::size_t g = 0; g < data.genes.size(); ++g) {
    const std::string name = lower(data.genes[g]);
    if (name == p) {
      exact.push_back(static_cast<int>(g));
    } else if (name.starts_with(p)) {
      starts.push_back(static_cast<int>(g));
    }
  }
  std::sort(starts.begin(), starts.end(), [&](int a, int b) {
    return data.genes[static_cast<std::size_t>(a)] < data.genes[static_cast<std::size_t>(b)];
  });
  exact.insert(exact.end(), starts.begin(), starts.end());
  if (exact.size() > limit) exact.resize(limit);
  return exact;
}

} // namespace gc::ui::graph
