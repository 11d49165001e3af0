#pragma once
// Regulatory edge lists: BEELINE refNetwork.csv (Gene1,Gene2,Type with +/-), ranked edges
// (Gene1,Gene2,EdgeWeight) and TSV/CSV with optional weight and sign columns.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace gc::expr {

struct Edge {
  std::string source;
  std::string target;
  int sign = 0;                 // +1 activation, -1 repression, 0 unknown
  double weight = std::nan(""); // NaN when the file has no weight
};

struct EdgeList {
  std::vector<Edge> edges;
  std::vector<std::string> nodes; // in first-seen order
  bool has_signs = false;
  bool has_weights = false;

  [[nodiscard]] std::size_t self_loops() const noexcept;
};

// Columns are found by header name (Gene1/source/from/regulator/TF, Gene2/target/to,
// Type/sign/mode/effect, EdgeWeight/weight/score/importance); a file without a header uses
// source, target and an optional third column (sign when it holds +/-, else weight).
// Throws gc::InputError naming the file and line for malformed rows.
[[nodiscard]] EdgeList read_edge_list(const std::filesystem::path& path);

// True when the first line is an edge-list header (Gene1, Gene2 first).
[[nodiscard]] bool looks_like_edge_list_header(const std::string& first_line);

// Writes `Gene1,Gene2,EdgeWeight` sorted by decreasing weight (ties by names), atomically.
void write_ranked_edges(const std::filesystem::path& path, std::vector<Edge> edges);

} // namespace gc::expr
