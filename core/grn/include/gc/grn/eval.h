#pragma once
// Scoring of ranked regulatory edge lists against a ground-truth network, with the definitions
// of BEELINE's evaluation (BLEval computeAUC.py and computeEarlyPrec.py, Pratapa et al. 2020):
//
// - Candidate edges: every ordered pair (regulator, target) of distinct genes of the universe
//   (`genes`; BEELINE uses the genes named by the ground truth, which is what an empty `genes`
//   means here). With a TF list only pairs whose regulator is a TF are candidates. Undirected
//   mode uses unordered pairs instead (one candidate per pair; with TFs, one endpoint a TF).
// - Truth: ground-truth pairs that are candidates, deduplicated; self loops never count when
//   exclude_self is set (BEELINE's default selfEdges=False). Pairs outside the candidate set
//   are counted in Metrics::truth_outside and otherwise ignored.
// - Prediction weights: |weight|, as BEELINE takes np.abs. A candidate missing from the ranked
//   list gets weight 0 (tied with every other unscored candidate). A pair listed twice keeps
//   its first weight in directed mode (BEELINE reads values[0]) and the larger |weight| of the
//   two directions in undirected mode (BEELINE takes the max). Edges outside the candidates are
//   ignored.
// - AUROC / AUPRC: sklearn roc_curve / precision_recall_curve followed by auc (trapezoids), see
//   roc_curve() and pr_curve(). The PR area is NOT average precision: sklearn's curve starts at
//   (recall 0, precision 1) and joins its points with straight lines.
// - Early precision: precision of the predicted edges whose |weight| (rounded to 6 decimals, as
//   BEELINE rounds) is at least that of the k-th ranked edge, k = number of true edges (fewer
//   when fewer edges are predicted): every edge tied with the k-th is included. Zero weights
//   never count as predictions (BEELINE raises the cut to the smallest non-zero weight).
//   EPR = early precision / density and AUPRC ratio = AUPRC / density, where density =
//   true edges / candidate edges is the precision of a random predictor.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gc::grn {

struct ScoredEdge {
  std::string regulator;
  std::string target;
  double weight = 0.0;
  int sign = 0; // +1 activation, -1 repression, 0 unknown (methods that cannot tell)
};

struct EvalOptions {
  bool directed = true;
  bool exclude_self = true;
  // Extra cut-offs for Metrics::precision_at_k (ties at the k-th weight included, as for EP).
  std::vector<int> k{10, 100};
  // Restricts candidate regulators (BEELINE's TFEdges); names outside the universe are ignored.
  std::optional<std::vector<std::string>> tfs;
  // Decimals |weight| is rounded to before the early-precision cut; negative = no rounding.
  int early_precision_decimals = 6;
};

struct Metrics {
  double auroc = 0.0; // NaN when the truth has no positive or no negative candidate
  double auprc = 0.0; // NaN without positives
  double auprc_ratio = 0.0;
  double early_precision = 0.0;
  double epr = 0.0;
  double density = 0.0; // true_edges / candidate_edges
  std::map<int, double> precision_at_k;
  std::int64_t true_edges = 0;
  std::int64_t candidate_edges = 0;
  std::int64_t predicted_edges = 0; // distinct candidates present in the ranked list
  std::int64_t truth_outside = 0;   // distinct truth pairs that are not candidates
};

[[nodiscard]] Metrics evaluate(const std::vector<ScoredEdge>& ranked,
                               const std::vector<std::pair<std::string, std::string>>& truth,
                               const std::vector<std::string>& genes, const EvalOptions& options = {});

// Every candidate edge with its label and score, in the order of the universe (regulator-major
// in directed mode; for pair i<j in undirected mode). What evaluate() scores, materialised:
// memory grows with genes², so evaluate() itself does not build it.
struct LabelledCandidates {
  std::vector<std::pair<std::string, std::string>> edges;
  std::vector<double> scores;
  std::vector<std::uint8_t> labels; // 1 = true edge
};
[[nodiscard]] LabelledCandidates
label_candidates(const std::vector<ScoredEdge>& ranked,
                 const std::vector<std::pair<std::string, std::string>>& truth,
                 const std::vector<std::string>& genes, const EvalOptions& options = {});

// Points of a curve, in the order sklearn's auc integrates them.
struct CurvePoint {
  double x = 0.0;
  double y = 0.0;
};

// sklearn roc_curve: one point per distinct score (descending), after all candidates tied at
// that score, preceded by (0, 0): (FP/N, TP/P). Collinear points are kept (sklearn drops them
// by default; the area is the same). Empty when there is no positive or no negative.
[[nodiscard]] std::vector<CurvePoint> roc_curve(const std::vector<double>& scores,
                                                const std::vector<std::uint8_t>& labels);
// sklearn precision_recall_curve: one point per distinct score, (recall TP/P, precision
// TP/(TP+FP)), ordered by increasing recall and preceded by (0, 1). Empty without positives.
// Older sklearn versions dropped the points after recall first reaches 1; they only add a
// zero-width vertical segment at recall 1, so the area is the same either way.
[[nodiscard]] std::vector<CurvePoint> pr_curve(const std::vector<double>& scores,
                                               const std::vector<std::uint8_t>& labels);
// Trapezoid area of a curve whose x never decreases (sklearn auc); NaN for fewer than 2 points.
[[nodiscard]] double trapezoid_area(const std::vector<CurvePoint>& curve);

[[nodiscard]] double auroc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels);
[[nodiscard]] double auprc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels);
// AUROC as the Mann–Whitney U statistic: the share of (positive, negative) pairs in which the
// positive scores higher, ties counting 1/2, from mid-ranks. Equals auroc() exactly in theory;
// computed independently to check it.
[[nodiscard]] double auroc_mann_whitney(const std::vector<double>& scores,
                                        const std::vector<std::uint8_t>& labels);

} // namespace gc::grn
