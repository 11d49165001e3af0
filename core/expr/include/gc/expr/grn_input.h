#pragma once
// Expression input of GRN inference (`genocircuit-cli grn --expr`): one samples × genes matrix
// from a BEELINE folder, a DREAM4 folder or table, or any expression file load_expression()
// reads, with obs columns that say what each sample is.
//
// - BEELINE folder (or a bare ExpressionData.csv): ExpressionData.csv is genes × cells; a
//   PseudoTime.csv beside it adds one numeric obs column per trajectory, named as in its header
//   (PseudoTime1, ..., or Time), NaN for cells not on that trajectory.
// - DREAM4 folder (or one of its tables): `*_wildtype.tsv`, `*_knockouts.tsv` (row i = gene i
//   deleted), `*_knockdowns.tsv` (row i = gene i lowered), `*_timeseries.tsv` (a Time column;
//   series separated by blank lines; a time that goes back also starts a new series) and
//   `*_multifactorial.tsv`, stacked in that order. obs: `condition` (wildtype, knockout,
//   knockdown, timeseries, multifactorial), `perturbation` (the knocked-out/-down gene, else
//   empty), `series` (1-based time course, NaN outside time series), `time` (NaN outside).
//   The multifactorial table names the genes differently (DREAM4 renamed them at random): it is
//   used only when a `*_goldstandard_ref.tsv` ("New" "Old") in the same folder maps its names
//   back, and skipped with a warning otherwise. The dual-knockout files are the challenge's
//   held-out answers, never input.
// - Anything else: gc::expr::load_expression (h5ad, 10x .h5 or folder, CSV/TSV, MatrixMarket).
#include "gc/expr/matrix.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gc::expr {

// The uns entry listing the obs columns that came from PseudoTime.csv.
inline constexpr const char* pseudotime_columns_key = "pseudotime_columns";

struct GrnExpression {
  ExpressionMatrix matrix;                  // samples × genes
  std::string layout;                       // "beeline", "dream4", or load_expression's format name
  std::vector<std::filesystem::path> files; // what was read, in stacking order
  std::vector<std::string> warnings;        // skipped tables, PseudoTime ids that do not match, ...
};

// Throws gc::InputError naming the file and line for malformed tables, tables of one DREAM4
// folder whose genes differ, a folder holding several DREAM4 networks, and folders that are
// none of the layouts above.
[[nodiscard]] GrnExpression read_grn_expression(const std::filesystem::path& path,
                                                const Progress& progress = {});

} // namespace gc::expr
