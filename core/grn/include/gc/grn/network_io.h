#pragma once
// Regulatory networks on disk: ranked edge lists written for other tools and read back (the GUI,
// --truth), ground-truth networks in the layouts benchmarks ship them in, and TF lists.
//
// Ranked-list formats, chosen by the output's extension:
// - .csv      BEELINE's `Gene1,Gene2,EdgeWeight`, nothing else (what BEELINE's evaluation reads).
// - .tsv      `Gene1 Gene2 EdgeWeight`, plus `Sign` (+, - or .) when signs are known.
// Signs are ScoredEdge::sign; they count as known when any edge has a non-zero sign.
// - .graphml  GraphML 1.0 (directed): graph data `method`, `source`, `generator`; node data
//             `name` and, when a TF list is known, `is_tf`; edge data `weight`, `rank` (1 = best),
//             `interaction` and, when known, `sign` (+1/-1/0). Node ids are the gene names when
//             every name is an XML NMTOKEN, else n0, n1, ... (the name is always in `name`).
// - .sif      Cytoscape SIF, tab-separated: `regulator <interaction> target`, interaction
//             `activates`/`represses` when the sign is known, else `regulates`, one edge a line
//             in rank order. SIF has no weights; for weights in Cytoscape write .graphml (which
//             Cytoscape imports with every attribute) rather than a side file.
// Every writer goes through gc::AtomicFile: a failure leaves no partial file.
#include "gc/grn/eval.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gc::grn {

enum class NetworkFormat { csv, tsv, graphml, sif };

[[nodiscard]] std::string network_format_name(NetworkFormat format); // "csv", "tsv", "graphml", "sif"
// By the extension (case-insensitive); throws gc::InputError listing the valid ones.
[[nodiscard]] NetworkFormat network_format_of(const std::filesystem::path& path);

struct Network {
  std::vector<ScoredEdge> edges;               // in rank order, rank 1 first
  std::optional<std::vector<std::string>> tfs; // written as node attribute is_tf when set
  std::string method;                          // provenance
  std::string source;                          // provenance: the input the edges come from
};

// Throws gc::InputError when a gene name cannot be written in the format (a CSV name with a
// comma or quote, a tab or line break in TSV/SIF, a control character in GraphML) or a weight
// is not finite.
void write_network(const std::filesystem::path& path, const Network& network);

// Reads a ranked list written by write_network, another tool's `Gene1,Gene2,EdgeWeight` CSV/TSV,
// or GraphML whose edges have a weight key (attr.name weight, EdgeWeight, score or importance).
// Edges stay in file order. SIF holds no weights and is refused. Throws gc::InputError naming the
// file and line.
[[nodiscard]] Network read_network(const std::filesystem::path& path);

struct TruthNetwork {
  std::vector<std::pair<std::string, std::string>> edges; // regulator -> target, file order
  std::vector<int> signs;                                 // per edge when the file has signs, else empty
  std::string layout;         // "edge-list", "labelled" (a 0/1 column), "graphml" or "sif"
  std::int64_t negatives = 0; // `a b 0` lines of a labelled list: listed non-edges, dropped
};

// A ground truth: BEELINE refNetwork.csv (Gene1,Gene2,Type), any edge list gc::expr::read_edge_list
// reads, DREAM gold standards (`Gi Gj 1` edges then `Gi Gj 0` non-edges: a third column of only
// 0 and 1 is a label, and only the 1s are edges), DREAM5 `TF target 1` lists, GraphML (every edge)
// and SIF. Throws gc::InputError naming the file, and when no edge is left.
[[nodiscard]] TruthNetwork read_truth(const std::filesystem::path& path);

// A TF list: one name a line, or the first column of a table (tab, comma or whitespace
// separated); '#' comments, blank lines and a first line that is a column title (TF, gene, name,
// symbol, regulator, id) are skipped; names are kept once, in file order.
[[nodiscard]] std::vector<std::string> read_tf_list(const std::filesystem::path& path);

} // namespace gc::grn
