#pragma once
// Text-table perturbation data: DREAM4 steady-state folders and tables of bulk profiles (genes ×
// profiles, log2 vs wild type, like the Kemmeren deletion profiles). Built with gc::util's line
// reader, i.e. wherever zlib is (every full build; GC_PERTURB_HAVE_TABLES is then defined).
#include "gc/perturb/dataset.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gc::perturb {

// DREAM4 folder (insilico_size100_N): `*_wildtype.tsv` is the control; row i of
// `*_knockouts.tsv` knocks out gene i, row i of `*_knockdowns.tsv` knocks it down by half; with
// `*_dualknockouts_indexes.tsv` and `*_nonoise_dualknockouts.tsv`, the noise-free double
// knockouts. Values are steady-state levels, not logs: they are read as log2(x + 1), which
// keeps 0 (a deleted gene) at 0.
[[nodiscard]] PerturbationDataset read_dream4(const std::filesystem::path& folder);
[[nodiscard]] bool is_dream4_folder(const std::filesystem::path& folder);

// A table of bulk profiles: a header (row-name header, then one name per profile), then one
// row per gene: its name and a log2 ratio against the wild type per profile. Each profile is
// named by its intervention (parse_label: "YAL001C", "G1+G2", "G1:kd0.5"); profiles named as
// controls (`WT`, `control`, `wildtype`, ...) are not interventions; profiles with the same name
// are averaged. Δ is the value as given, the control 0. Names of perturbed genes that are not
// genes of the table are counted in `notes`; InputError when no perturbed gene is measured.
[[nodiscard]] PerturbationDataset read_profile_table(const std::filesystem::path& path);

// A TruthTable (gc/perturb/dataset.h) from a file: tab-separated with a header naming the columns
// perturbation, cell_type, gene and expected_log2fc (in any order, others ignored). gc::InputError naming the
// file and line for a missing column, a short row, an unreadable label or a value that is not a finite
// number.
[[nodiscard]] TruthTable read_truth_table(const std::filesystem::path& path, const Progress& progress = {});

// One gene name per line (first field; blank lines and '#' comments skipped), e.g. a TF list.
[[nodiscard]] std::vector<std::string> read_gene_list(const std::filesystem::path& path);

} // namespace gc::perturb
