#include "gc/perturb/dataset.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace gc::perturb {

std::string scale_name(Scale s) {
  switch (s) {
  case Scale::log1p_normalised: return "log1p of counts per 10^4";
  case Scale::log2_pseudocount: return "log2(x + 1)";
  case Scale::log2_ratio: return "log2 ratio vs wild type";
  }
  return "";
}

const std::unordered_map<std::string, double>* TruthTable::find(const std::string& label,
                                                                const std::string& group) const {
  const auto it = responses.find({label, group});
  return it == responses.end() ? nullptr : &it->second;
}

double log2_fold_change(Scale scale, double control, double value) {
  const auto amount = [scale](double x) {
    switch (scale) {
    case Scale::log1p_normalised: return std::expm1(std::max(x, 0.0));
    case Scale::log2_pseudocount: return std::exp2(std::max(x, 0.0)) - 1.0;
    case Scale::log2_ratio: break;
    }
    return x;
  };
  if (scale == Scale::log2_ratio) return value - control;
  return std::log2((amount(value) + fold_change_pseudo) / (amount(control) + fold_change_pseudo));
}

std::optional<std::size_t> PerturbationDataset::gene_index(const std::string& name) const {
  const auto it = m_index.find(name);
  if (it == m_index.end()) return std::nullopt;
  return it->second;
}

std::vector<std::size_t> PerturbationDataset::measured_genes(const Intervention& intervention) const {
  std::vector<std::size_t> out;
  for (const auto& g : intervention.genes)
    if (const auto i = gene_index(g.gene)) out.push_back(*i);
  std::sort(out.begin(), out.end());
  return out;
}

bool PerturbationDataset::all_measured(const Intervention& intervention) const {
  return std::all_of(intervention.genes.begin(), intervention.genes.end(),
                     [&](const GeneIntervention& g) { return gene_index(g.gene).has_value(); });
}

void PerturbationDataset::index_genes() {
  m_index.clear();
  for (std::size_t i = 0; i < genes.size(); ++i)
    if (!m_index.emplace(genes[i], i).second)
      throw InputError("gene '" + genes[i] + "' is named twice").file(source);
}

void PerturbationDataset::check() const {
  const auto n = genes.size();
  if (m_index.size() != n) throw Error("perturbation dataset: gene index not built");
  if (groups.empty() || control.size() != groups.size() || control_samples.size() != groups.size())
    throw Error("perturbation dataset: one control per group expected");
  for (const auto& c : control)
    if (c.size() != n) throw Error("perturbation dataset: control size differs from the genes");
  if (!expression_level.empty() && expression_level.size() != n)
    throw Error("perturbation dataset: expression levels differ from the genes");
  if (!control_cells.empty() && control_cells.size() != groups.size())
    throw Error("perturbation dataset: control cells must be given per group");
  for (const auto& o : observations)
    if (o.group >= groups.size() || o.mean.size() != n || o.delta.size() != n || o.intervention.empty())
      throw Error("perturbation dataset: malformed observation " + o.intervention.label());
}

Json PerturbationDataset::summary() const {
  Json j = Json::object();
  j["source"] = source;
  j["layout"] = layout;
  j["scale"] = scale_name(scale);
  j["genes"] = static_cast<std::int64_t>(genes.size());
  j["groups"] = Json::array_of(groups);
  std::int64_t singles = 0, doubles = 0, higher = 0, measured = 0;
  std::map<std::string, bool> interventions;
  for (const auto& o : observations) {
    if (!interventions.emplace(o.intervention.label(), true).second) continue;
    (o.intervention.size() == 1 ? singles : o.intervention.size() == 2 ? doubles : higher) += 1;
    measured += all_measured(o.intervention) ? 1 : 0;
  }
  j["observations"] = static_cast<std::int64_t>(observations.size());
  j["interventions"] = static_cast<std::int64_t>(interventions.size());
  j["singles"] = singles;
  j["doubles"] = doubles;
  if (higher) j["higher_order"] = higher;
  j["interventions_on_measured_genes"] = measured;
  j["control_samples"] = Json::array_of(control_samples);
  j["notes"] = notes;
  return j;
}

} // namespace gc::perturb
