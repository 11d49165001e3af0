#pragma once
// Perturbation labels of CRISPR screens: which gene(s) each cell's guide targets, read from an
// obs column such as `guide`, `perturbation` or `target` (values "GATA1", "GATA1+SPI1",
// "GATA1_SPI1", "CEBPE_ctrl"), with control cells recognised by label.
#include "gc/expr/matrix.h"

#include <string>
#include <vector>

namespace gc::expr {

struct PerturbationOptions {
  std::string column;               // empty: the first of default_columns present
  std::string separators = "+_,;|"; // any of these characters splits targets
  std::vector<std::string> control_labels{"control",        "ctrl",       "non-targeting", "nontargeting",
                                          "non_targeting",  "nt",         "ntc",           "negative",
                                          "safe-targeting", "unperturbed"};
  // Matched case-insensitively; a value such as "NT_3" or "non-targeting_2" (control label
  // plus a guide number) is also a control.
};

[[nodiscard]] const std::vector<std::string>& default_perturbation_columns();

struct PerturbationGroup {
  std::string key;                  // targets joined with '+' ("control" for controls)
  std::vector<std::string> targets; // sorted
  std::int64_t cells = 0;
};

struct PerturbationLabels {
  std::string column;
  std::vector<std::vector<std::string>> targets; // per cell, sorted, empty for controls
  std::vector<bool> control;                     // per cell
  std::vector<PerturbationGroup> groups;         // by descending cell count, then key
  std::int64_t control_cells = 0;
  std::int64_t single_cells = 0;   // one target
  std::int64_t multiple_cells = 0; // two or more targets

  // Cells whose targets include `gene`.
  [[nodiscard]] std::vector<std::int64_t> cells_targeting(const std::string& gene) const;
};

[[nodiscard]] PerturbationLabels parse_perturbations(const std::vector<std::string>& labels,
                                                     const PerturbationOptions& options = {});
// Throws gc::InputError when the column is missing (listing the obs columns present).
[[nodiscard]] PerturbationLabels perturbations_from_obs(const ExpressionMatrix& data,
                                                        const PerturbationOptions& options = {});

} // namespace gc::expr
