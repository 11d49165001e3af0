#pragma once
// Seeded train/test splits of a PerturbationDataset's observations, by intervention gene set:
// every observation on the same genes (all cell groups, all modes: the knockout and the
// knockdown of G) lies on the same side, so a test intervention's genes were never perturbed
// that way in training.
//
// - Unseen singles (GEARS' "unseen single" setting, Ahlmann-Eltze et al. 2025 Fig. 2): a seeded
//   fraction of the single-gene interventions is held out; training is the other singles.
// - Doubles with 0, 1 or 2 members seen (GEARS' combo_seen0/1/2; Ahlmann-Eltze et al. Fig. 1):
//   a seeded fraction of the singly perturbed genes is withheld, training is the singles of
//   the others, and every double is a test item, labelled by how many of its two genes have a
//   single intervention in training.
// Interventions on three or more genes are in neither split. Only interventions whose genes
// are all genes of the data are test items (a response cannot be scored against a gene that
// was not measured); any may be training data.
#include "gc/perturb/dataset.h"

#include <cstdint>
#include <vector>

namespace gc::perturb {

struct SplitOptions {
  double single_test_fraction = 0.25;  // singles held out in the singles split
  double double_unseen_fraction = 0.5; // singly perturbed genes withheld in the doubles split
};

struct Split {
  std::vector<std::size_t> train; // observation indices
  std::vector<std::size_t> test;  // observation indices
  std::vector<int> seen;          // doubles split: per test item, members seen as singles (0, 1, 2)
};

// Same seed, same split; at least one test and one training gene set when there are two.
[[nodiscard]] Split split_singles(const PerturbationDataset& data, std::uint64_t seed,
                                  const SplitOptions& options = {});
[[nodiscard]] Split split_doubles(const PerturbationDataset& data, std::uint64_t seed,
                                  const SplitOptions& options = {});

} // namespace gc::perturb
