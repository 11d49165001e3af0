#pragma once
// Analyses for the model and the views: insulation score and TAD boundaries, a sparse contact
// graph over bins, and a 3D structure per chromosome from contact frequencies.
#include "gc/hic/contact_map.h"
#include "gc/hic/query.h"
#include "gc/util/progress.h"

#include <Eigen/Core>

#include <vector>

namespace gc::hic {

// Diamond insulation (Crane et al. 2015, as in cooltools): for bin i, the mean of the
// window x window square m[i-w+1..i][i+1..i+w] of a (balanced) cis matrix, NaN entries skipped;
// reported as log2(score / mean score). NaN near the ends and where the window is empty.
[[nodiscard]] std::vector<double> insulation_score(const Eigen::MatrixXd& matrix, int window);

struct Boundary {
  std::int64_t bin = 0; // index into the score vector
  double score = 0;
  double prominence = 0;
};
// Local minima of `score` whose topographic prominence is at least `min_prominence`.
[[nodiscard]] std::vector<Boundary> find_boundaries(const std::vector<double>& score, double min_prominence);

// Graph over all bins. Edges (cis only): per chromosome the top `top_percent` % of pixels by
// O/E, united with every pixel within `local_window_bp`. Both directions are stored (CSR).
// Reports and checks cancellation per chromosome.
struct ContactGraph {
  std::int64_t nodes = 0;
  std::vector<std::int64_t> row_ptr; // nodes + 1
  std::vector<std::int64_t> col;
  // Per edge: log(balanced contact), log(distance in bp + bin size), observed/expected.
  std::vector<double> log_contact;
  std::vector<double> log_distance;
  std::vector<double> oe;
  [[nodiscard]] std::size_t edges() const noexcept { return col.size(); }
};
[[nodiscard]] ContactGraph build_contact_graph(const ContactMap& map, const Weights& weights,
                                               double top_percent, std::int64_t local_window_bp,
                                               const Progress& progress = {});

// Distances d_ij = c_ij^-alpha (c balanced, symmetric) on the sparse contact graph, missing ones
// completed by shortest paths (Dijkstra), embedded by landmark MDS (de Silva & Tenenbaum 2004):
// classical MDS of `landmarks` bins chosen by farthest-point sampling, the others placed by
// triangulation. With at most `landmarks` valid bins this is classical MDS of all pairwise
// shortest-path distances. Cost O(landmarks x edges x log n), so chromosomes of thousands of
// bins work. Rows of masked bins (all-NaN or empty) are NaN. Returns N x 3 coordinates.
// Reports the stages (distance graph, shortest paths per landmark, MDS, placement) to `progress`
// and checks cancellation every few rows, at every landmark and around the eigen-decomposition
// (one Eigen call).
[[nodiscard]] Eigen::MatrixX3d structure_3d(const Eigen::MatrixXd& contacts, double alpha = 0.25,
                                            int landmarks = 200, const Progress& progress = {});

} // namespace gc::hic
