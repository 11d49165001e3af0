#pragma once
// Scoring of a ranked edge list the way the DREAM3/DREAM4 in-silico network challenges scored
// submissions (Stolovitzky, Prill et al.; the organisers' DREAM4_Challenge2_Evaluation.m):
//
// - The gold standard lists every candidate edge with label 1 or 0 (DREAM4 files hold all
//   n(n-1) ordered pairs of distinct genes): T candidates, P positives, N = T - P negatives.
// - The submission is an ordered list of L distinct candidates; the order is the ranking
//   (weights only ever sort it). Candidates left out are assumed to follow in random order.
// - AUPR. Along the list, each true positive at rank k adds the area under precision while its
//   recall step of 1/P is crossed with precision interpolated continuously,
//   (TP + x) / (k - 1 + x) for x in [0, 1]: (1 - FP_{k-1}·ln(k / (k - 1))) / P, or 1/P at k = 1.
//   The random tail holds the remaining P - TP_L positives at rate rho = (P - TP_L) / (T - L);
//   its expected precision after j more edges is (TP_L + rho·j) / (L + j), whose area over the
//   recall it adds is rho/P·((P - TP_L) + (TP_L - rho·L)·ln(T / L)). With L = 0 the AUPR is P/T
//   (the random predictor); with nothing left to find (rho = 0), the list's area alone.
// - AUROC. The ROC points of the list (FP_k/N, TP_k/P), then the tail's expected points, which
//   lie on the straight line to (1, 1); trapezoids from (0, 0). With a complete list this is
//   exactly the Mann–Whitney AUROC of the ranking (eval.h's auroc() on scores without ties).
#include "gc/grn/eval.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gc::grn {

struct DreamGoldStandard {
  std::vector<std::pair<std::string, std::string>> edges; // every candidate
  std::vector<std::uint8_t> labels;                       // 1 = true edge
};

// DREAM gold-standard TSV: `regulator<TAB>target<TAB>1|0` per line (whitespace separated also
// read). Throws gc::InputError naming the file and line for a malformed line, a label other than
// 0/1 or a pair listed twice.
[[nodiscard]] DreamGoldStandard read_dream_gold_standard(const std::filesystem::path& path);

// Every ordered pair of distinct `genes` as a candidate, labelled by `truth` (self loops and
// pairs outside the genes ignored): the gold standard DREAM4 would write for that network.
[[nodiscard]] DreamGoldStandard
dream_gold_standard(const std::vector<std::pair<std::string, std::string>>& truth,
                    const std::vector<std::string>& genes);

struct DreamScore {
  double aupr = 0.0;
  double auroc = 0.0;
  std::int64_t candidates = 0;     // T
  std::int64_t positives = 0;      // P
  std::int64_t predictions = 0;    // L, distinct candidates in the list
  std::int64_t true_positives = 0; // TP_L
  // Filled with `curves`: per rank k = 1..L, then per remaining positive of the random tail
  // (expected values), as the organisers' script returns them.
  std::vector<double> precision;
  std::vector<double> recall;
  std::vector<double> fpr;
};

// `ranked` in rank order. An edge of the list that is not a candidate is an InputError (the
// organisers' script stops there too); a pair listed again keeps its first rank. Throws
// gc::InputError when the gold standard has no positive or no negative.
[[nodiscard]] DreamScore dream_score(const std::vector<ScoredEdge>& ranked, const DreamGoldStandard& gold,
                                     bool curves = false);

} // namespace gc::grn
