#pragma once
// Perturbation screens (.h5ad, 10x) as PerturbationDatasets, and the one call that opens any
// perturbation data (screen, DREAM4 folder, profile table). Compiled only in builds with
// gc::expr (not in GENOCIRCUIT_MINIMAL).
#include "gc/perturb/dataset.h"
#include "gc/perturb/tables.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gc::perturb {

struct ScreenOptions {
  // obs column of the targets; empty: the first of screen_target_columns() present.
  std::string column;
  // Control labels besides those always recognised ("control", "non-targeting", "ctrl" and
  // gc::expr's list; case-insensitive, a trailing guide number allowed: "NT_3").
  std::vector<std::string> control_labels;
  // obs column of cell groups; empty: "cell_type" when present; "none": all cells together.
  std::string group_column;
  // An (intervention, group) with fewer cells is left out (noted).
  std::int64_t min_cells = 5;
  // Control cells kept per group for baseline fitting (evenly spaced through the file).
  std::int64_t max_control_cells = 1000;
};

// perturbation, gene, target_gene, guide_identity, then gc::expr's other target columns.
[[nodiscard]] const std::vector<std::string>& screen_target_columns();

// Cells labelled "G1+G2" (genes joined by '+'; "G+ctrl" is the single G; a gene may carry a
// mode as in intervention labels, "G:kd0.5"). Counts (non-negative integers) are scaled to 10^4
// per cell and log1p-transformed; other values are taken as already log-normalised. Mean
// expression per intervention and group; Δ against the group's control cells. InputError for
// no control cells, no targets among the genes, a missing column.
[[nodiscard]] PerturbationDataset read_screen(const std::filesystem::path& path,
                                              const ScreenOptions& options = {},
                                              const Progress& progress = {});

// A DREAM4 folder (or one of its tables), a screen (.h5ad, 10x .h5 or folder), or else a
// table of bulk profiles (read_profile_table).
[[nodiscard]] PerturbationDataset load_perturbation_data(const std::filesystem::path& path,
                                                         const ScreenOptions& options = {},
                                                         const Progress& progress = {});

} // namespace gc::perturb
