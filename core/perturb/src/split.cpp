#include "gc/perturb/split.h"

#include "gc/util/error.h"
#include "gc/util/rng.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace gc::perturb {

namespace {

// The genes of an intervention, whatever their modes: "G1+G2".
std::string gene_key(const Intervention& iv) {
  std::string key;
  for (const auto& g : iv.genes)
    key += (key.empty() ? "" : "+") + g.gene;
  return key;
}

double check_fraction(double fraction) {
  if (!(fraction > 0.0 && fraction < 1.0))
    throw InputError("a split fraction must lie strictly between 0 and 1");
  return fraction;
}

} // namespace

Split split_singles(const PerturbationDataset& data, std::uint64_t seed, const SplitOptions& options) {
  // Gene sets in order of first appearance, so a seed means the same split on the same data.
  std::vector<std::string> keys;
  std::map<std::string, bool> eligible; // key -> can be a test item
  for (const auto& o : data.observations) {
    if (o.intervention.size() != 1) continue;
    const auto key = gene_key(o.intervention);
    if (eligible.emplace(key, data.all_measured(o.intervention)).second) keys.push_back(key);
  }
  std::vector<std::string> candidates;
  for (const auto& k : keys)
    if (eligible[k]) candidates.push_back(k);
  Rng rng(seed);
  rng.shuffle(candidates);
  std::size_t take = 0;
  if (!candidates.empty()) {
    take = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::llround(check_fraction(options.single_test_fraction) *
                                              static_cast<double>(candidates.size()))),
        1, candidates.size());
    if (take == keys.size()) --take; // training keeps one single
  }
  const std::set<std::string> test(candidates.begin(),
                                   candidates.begin() + static_cast<std::ptrdiff_t>(take));
  Split s;
  for (std::size_t i = 0; i < data.observations.size(); ++i) {
    const auto& iv = data.observations[i].intervention;
    if (iv.size() != 1) continue;
    (test.count(gene_key(iv)) ? s.test : s.train).push_back(i);
  }
  return s;
}

Split split_doubles(const PerturbationDataset& data, std::uint64_t seed, const SplitOptions& options) {
  std::vector<std::string> genes; // singly perturbed, in order of first appearance
  std::set<std::string> known;
  for (const auto& o : data.observations)
    if (o.intervention.size() == 1 && known.insert(o.intervention.genes[0].gene).second)
      genes.push_back(o.intervention.genes[0].gene);
  Rng rng(seed ^ 0xd0b1e5ULL);
  rng.shuffle(genes);
  // Round, keeping a gene on each side when there are two.
  auto withheld_count = static_cast<std::size_t>(
      std::llround(check_fraction(options.double_unseen_fraction) * static_cast<double>(genes.size())));
  if (genes.size() >= 2) withheld_count = std::clamp<std::size_t>(withheld_count, 1, genes.size() - 1);
  const std::set<std::string> withheld(genes.begin(),
                                       genes.begin() + static_cast<std::ptrdiff_t>(withheld_count));
  Split s;
  std::set<std::string> trained;
  for (std::size_t i = 0; i < data.observations.size(); ++i) {
    const auto& iv = data.observations[i].intervention;
    if (iv.size() == 1 && !withheld.count(iv.genes[0].gene)) {
      s.train.push_back(i);
      trained.insert(iv.genes[0].gene);
    }
  }
  for (std::size_t i = 0; i < data.observations.size(); ++i) {
    const auto& iv = data.observations[i].intervention;
    if (iv.size() != 2 || !data.all_measured(iv)) continue;
    s.test.push_back(i);
    s.seen.push_back(static_cast<int>(trained.count(iv.genes[0].gene) + trained.count(iv.genes[1].gene)));
  }
  return s;
}

} // namespace gc::perturb
