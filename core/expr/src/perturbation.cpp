#include "gc/expr/perturbation.h"

#include "gc/util/error.h"

#include "text_fields.h"

#include <algorithm>
#include <map>

namespace gc::expr {
namespace {

bool is_control(const std::string& token, const std::vector<std::string>& controls) {
  const auto t = lower(token);
  for (const auto& c : controls) {
    const auto lc = lower(c);
    if (t == lc) return true;
    // "NT_3", "non-targeting-2", "ctrl1": a control label followed by a guide number.
    if (t.size() > lc.size() && t.compare(0, lc.size(), lc) == 0) {
      auto rest = t.substr(lc.size());
      if (rest.front() == '_' || rest.front() == '-' || rest.front() == '.') rest.erase(0, 1);
      if (!rest.empty() &&
          std::all_of(rest.begin(), rest.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return true;
    }
  }
  return false;
}

} // namespace

const std::vector<std::string>& default_perturbation_columns() {
  static const std::vector<std::string> columns{"perturbation", "guide",       "guide_identity", "target",
                                                "target_gene",  "gene_target", "guide_ids",      "condition"};
  return columns;
}

std::vector<std::int64_t> PerturbationLabels::cells_targeting(const std::string& gene) const {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (std::find(targets[i].begin(), targets[i].end(), gene) != targets[i].end())
      out.push_back(static_cast<std::int64_t>(i));
  return out;
}

PerturbationLabels parse_perturbations(const std::vector<std::string>& labels,
                                       const PerturbationOptions& options) {
  PerturbationLabels out;
  out.column = options.column;
  std::map<std::string, PerturbationGroup> groups;
  for (const auto& label : labels) {
    std::vector<std::string> targets;
    // Split the whole label first: a whole-label control such as "non-targeting" contains a separator.
    if (!is_control(label, options.control_labels)) {
      std::string token;
      auto flush = [&] {
        if (!token.empty() && !is_control(token, options.control_labels)) targets.push_back(token);
        token.clear();
      };
      for (const char ch : label) {
        if (options.separators.find(ch) != std::string::npos)
          flush();
        else if (ch != ' ')
          token.push_back(ch);
      }
      flush();
    }
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    const bool control = targets.empty();
    std::string key = "control";
    if (!control) {
      key.clear();
      for (const auto& t : targets)
        key += (key.empty() ? "" : "+") + t;
    }
    auto& g = groups[key];
    g.key = key;
    g.targets = targets;
    ++g.cells;
    if (control)
      ++out.control_cells;
    else if (targets.size() == 1)
      ++out.single_cells;
    else
      ++out.multiple_cells;
    out.control.push_back(control);
    out.targets.push_back(std::move(targets));
  }
  for (auto& [key, g] : groups)
    out.groups.push_back(std::move(g));
  std::stable_sort(out.groups.begin(), out.groups.end(),
                   [](const auto& a, const auto& b) { return a.cells > b.cells; });
  return out;
}

PerturbationLabels perturbations_from_obs(const ExpressionMatrix& data, const PerturbationOptions& options) {
  std::string column = options.column;
  if (column.empty()) {
    for (const auto& candidate : default_perturbation_columns())
      if (data.obs.find(candidate)) {
        column = candidate;
        break;
      }
  }
  const Column* c = column.empty() ? nullptr : data.obs.find(column);
  if (!c) {
    std::string present;
    for (const auto& name : data.obs.column_names())
      present += (present.empty() ? "" : ", ") + name;
    throw InputError(
        (column.empty() ? std::string("no perturbation column") : "no obs column '" + column + "'") +
        " (obs columns: " + (present.empty() ? std::string("none") : present) + ")");
  }
  std::vector<std::string> labels;
  labels.reserve(c->size());
  for (std::size_t i = 0; i < c->size(); ++i)
    labels.push_back(c->text(i));
  auto opts = options;
  opts.column = column;
  return parse_perturbations(labels, opts);
}

} // namespace gc::expr
