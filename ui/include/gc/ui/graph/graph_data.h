#pragma once
// The graph view's data: a ranked regulatory network over named genes (what a GRN job made, see
// grn_job.h), each edge with its score, rank, sign and provenance, the reference network it is
// compared with, its PR/ROC evaluation and, for a learned network, how its model was trained
// (loss per epoch, or the cached checkpoint's log); and what the view shows of it (filter_network:
// focus, score threshold, top K, and the reference's missed edges among the shown genes).
// Qt-free, so the layouts, the table and the headless figure share it and tests build it by hand.
#include "gc/grn/eval.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gc::ui::graph {

// What supports an edge: which data or model level put it there. Baselines infer from
// expression alone; the GenoCircuit model adds Hi-C contacts, motif priors and its learned graph.
enum class Provenance : std::uint8_t { expression = 1, hic = 2, motif = 4, learned = 8 };

// A set of Provenance flags.
class ProvenanceSet {
public:
  constexpr ProvenanceSet() = default;
  constexpr ProvenanceSet(Provenance p) : m_bits(static_cast<std::uint8_t>(p)) {}
  [[nodiscard]] static constexpr ProvenanceSet from_bits(std::uint8_t bits) {
    ProvenanceSet s;
    s.m_bits = bits & 0x0f;
    return s;
  }
  [[nodiscard]] constexpr bool has(Provenance p) const noexcept {
    return (m_bits & static_cast<std::uint8_t>(p)) != 0;
  }
  constexpr ProvenanceSet& add(Provenance p) noexcept {
    m_bits |= static_cast<std::uint8_t>(p);
    return *this;
  }
  [[nodiscard]] constexpr bool empty() const noexcept { return m_bits == 0; }
  [[nodiscard]] constexpr std::uint8_t bits() const noexcept { return m_bits; }
  friend constexpr bool operator==(ProvenanceSet, ProvenanceSet) = default;

private:
  std::uint8_t m_bits = 0;
};

[[nodiscard]] const std::vector<Provenance>& all_provenances();
[[nodiscard]] std::string_view to_string(Provenance p) noexcept; // "expression", "Hi-C", "motif", "learned"
// "expression+Hi-C"; "" for the empty set (an imported edge list says nothing about support).
[[nodiscard]] std::string to_string(ProvenanceSet s);

// +1 activation, -1 repression, 0 unknown.
[[nodiscard]] std::string_view sign_text(int sign) noexcept; // "+", "−", "?"

struct GraphEdge {
  int regulator = 0; // gene indices
  int target = 0;
  double score = 0.0;
  int rank = 0; // 1 = the best; edges are stored in rank order
  int sign = 0;
  ProvenanceSet provenance;
  bool in_reference = false;
};

struct ReferenceEdge {
  int regulator = 0;
  int target = 0;
  int sign = 0;
};

// PR and ROC of the whole ranked network against the reference (BEELINE's candidates, see
// gc/grn/eval.h), curves thinned for drawing; the areas come from the full curves.
struct Evaluation {
  gc::grn::Metrics metrics;
  std::vector<gc::grn::CurvePoint> pr;  // (recall, precision)
  std::vector<gc::grn::CurvePoint> roc; // (FPR, TPR)
  // Why there are no curves though there are metrics (too many candidates to list), or empty.
  std::string curves_note;
};

// One epoch of GenoCircuit training: the epoch's mean losses (gc::model::EpochLog, without the
// model's types), for the graph view's loss curve.
struct TrainEpoch {
  int epoch = 0;     // 1-based
  int epochs = 0;    // of the run
  double loss = 0.0; // the total that was minimised
  double imputation = 0.0;
  double velocity = 0.0;   // 0 without pseudotime
  double supervised = 0.0; // 0 without reference edges
  double prior = 0.0;      // pull towards the static prior, 0 without priors
  double penalty = 0.0;    // sparsity and weight decay
  double seconds = 0.0;    // this epoch's time
  friend bool operator==(const TrainEpoch&, const TrainEpoch&) = default;
};

// How the model behind a GenoCircuit network came to be.
struct Training {
  // Trained by the job: its epochs; scored from the cache: the log the checkpoint was saved with.
  std::vector<TrainEpoch> epochs;
  bool cached = false;    // the cached checkpoint was scored, nothing was trained
  std::string checkpoint; // the cached checkpoint's path
  std::string trained_at; // when the checkpoint was written, local time "yyyy-MM-dd HH:mm"
  double seconds = 0.0;   // the training's time
};

struct GraphData {
  std::string title;     // "GENIE3 on expression.h5ad", "grn.csv"
  std::string method;    // "genie3", "pearson", ... or "edge list"
  std::string source;    // file name the network was made from
  std::string reference; // file name of the reference, empty without one
  std::vector<std::string> genes;
  std::vector<std::uint8_t> is_tf; // per gene: 1 when the data marks it a regulator (TF)
  std::vector<GraphEdge> edges;    // rank order: decreasing score
  std::vector<ReferenceEdge> reference_edges;
  std::optional<Evaluation> evaluation;
  std::vector<std::string> notes;   // for the log: TF list used, preprocessing, ...
  std::optional<Training> training; // the GenoCircuit method's model only

  [[nodiscard]] std::optional<int> gene_index(std::string_view name) const;
  [[nodiscard]] bool has_reference() const noexcept { return !reference.empty(); }
  // Builds the name index; call after filling `genes` directly.
  void index_genes();
  // The index of `name`, added to `genes` (not a TF) when it is new.
  int intern(const std::string& name);

private:
  std::unordered_map<std::string, int> m_index;
};

// Ranked edges (any order) as GraphData edges: sorted as gc::grn::sort_edges sorts, ranked,
// genes added to `data` as they are first seen, each edge with its sign and `provenance`.
void add_ranked_edges(GraphData& data, std::vector<gc::grn::ScoredEdge> edges, ProvenanceSet provenance);
// Sets the reference network and marks in_reference on every edge.
void set_reference(GraphData& data, std::string name, const std::vector<ReferenceEdge>& edges);

// Which edges around the focus gene the view shows.
enum class Focus { all, in, out, both };
[[nodiscard]] std::string_view to_string(Focus f) noexcept; // "all", "in", "out", "both"
[[nodiscard]] std::optional<Focus> parse_focus(std::string_view text) noexcept;

struct NetworkFilter {
  double threshold = 0.0; // edges with score >= threshold
  int top_k = 200;        // at most this many (by rank); <= 0: no limit
  Focus focus = Focus::all;
  int focus_gene = -1; // with focus != all: only edges into / out of this gene
};

struct ShownNetwork {
  std::vector<int> nodes;          // gene indices, ascending
  std::vector<std::size_t> edges;  // indices into GraphData::edges, rank order
  std::vector<std::size_t> missed; // FN: indices into reference_edges between shown nodes
  int true_positives = 0;          // shown edges in the reference
  [[nodiscard]] int false_positives() const noexcept {
    return static_cast<int>(edges.size()) - true_positives;
  }
  // Position of gene `g` in `nodes`, or -1.
  [[nodiscard]] int node_position(int g) const;
};

// The focus first (edges into / out of the focus gene, when set), then the threshold, then the
// top K of what is left. `missed` lists the reference edges whose both genes are shown but that
// are not shown themselves (the false negatives the picture can draw).
[[nodiscard]] ShownNetwork filter_network(const GraphData& data, const NetworkFilter& filter);

// Edge classification against the reference.
enum class EdgeClass { true_positive, false_positive, false_negative, no_reference };
[[nodiscard]] EdgeClass classify(const GraphData& data, const GraphEdge& edge) noexcept;

// Genes of `data` whose name starts with `prefix` (case-insensitive), exact matches first, at
// most `limit`.
[[nodiscard]] std::vector<int> find_genes(const GraphData& data, std::string_view prefix,
                                          std::size_t limit = 20);

} // namespace gc::ui::graph
