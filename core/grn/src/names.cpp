#include "gc/grn/names.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace gc::grn {
namespace {

constexpr std::size_t max_examples = 5;

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string examples_of(const std::vector<std::string>& names) {
  std::vector<std::string> first(
      names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), max_examples)));
  return join(first);
}

// Lower case without surrounding whitespace: the key of a tolerant match.
std::string loose_key(const std::string& name) {
  const auto b = name.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = name.find_last_not_of(" \t\r\n");
  std::string key = name.substr(b, e - b + 1);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  return key;
}

// Maps given names to expression genes: exactly, else by loose key when that names exactly one
// expression gene.
class Matcher {
public:
  explicit Matcher(const std::vector<std::string>& genes) {
    for (std::size_t i = 0; i < genes.size(); ++i) {
      m_exact.emplace(genes[i], i);
      const auto [it, added] = m_loose.emplace(loose_key(genes[i]), i);
      if (!added) it->second = ambiguous;
    }
  }
  // Index of the expression gene, or npos.
  std::size_t find(const std::string& name, NameExamples& mismatches, const std::vector<std::string>& genes) {
    if (const auto it = m_exact.find(name); it != m_exact.end()) return it->second;
    const auto it = m_loose.find(loose_key(name));
    if (it == m_loose.end() || it->second == ambiguous) return npos;
    if (m_reported.insert(name).second) mismatches.add("'" + name + "' -> '" + genes[it->second] + "'");
    return it->second;
  }
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

private:
  static constexpr std::size_t ambiguous = npos - 1;
  std::unordered_map<std::string, std::size_t> m_exact;
  std::unordered_map<std::string, std::size_t> m_loose;
  std::unordered_set<std::string> m_reported;
};

} // namespace

void NameExamples::add(const std::string& name) {
  ++count;
  if (examples.size() < max_examples) examples.push_back(name);
}

Json NameExamples::to_json() const {
  Json j = Json::object();
  j["count"] = count;
  j["examples"] = Json::array_of(examples);
  return j;
}

Json NameReport::to_json() const {
  Json j = Json::object();
  j["expression_genes"] = expression_genes;
  j["truth_genes"] = truth_genes;
  j["shared_genes"] = shared_genes;
  j["tfs"] = tfs;
  j["tfs_in_expression"] = tfs_in_expression;
  j["truth_not_in_expression"] = truth_not_in_expression.to_json();
  j["tfs_not_in_expression"] = tfs_not_in_expression.to_json();
  j["truth_regulators_not_tfs"] = truth_regulators_not_tfs.to_json();
  j["case_mismatches"] = case_mismatches.to_json();
  return j;
}

Reconciled reconcile_names(const std::vector<std::string>& expression_genes,
                           const std::optional<NamePairs>& truth,
                           const std::optional<std::vector<std::string>>& tfs, const NameSources& sources) {
  Reconciled out;
  auto& report = out.report;
  report.expression_genes = static_cast<std::int64_t>(expression_genes.size());
  Matcher matcher(expression_genes);

  std::vector<bool> is_tf(expression_genes.size(), false);
  if (tfs) {
    out.tfs.emplace();
    std::unordered_set<std::string> seen;
    for (const auto& name : *tfs) {
      if (!seen.insert(name).second) continue;
      ++report.tfs;
      const auto i = matcher.find(name, report.case_mismatches, expression_genes);
      if (i == Matcher::npos) {
        report.tfs_not_in_expression.add(name);
        continue;
      }
      if (is_tf[i]) continue; // two spellings of one gene
      is_tf[i] = true;
      ++report.tfs_in_expression;
      out.tfs->push_back(expression_genes[i]);
    }
    if (report.tfs_in_expression == 0) {
      throw InputError("none of the " + std::to_string(report.tfs) + " TFs of " + sources.tfs + " (e.g. " +
                       join(report.tfs_not_in_expression.examples) + ") is among the " +
                       std::to_string(expression_genes.size()) + " genes of " + sources.expression +
                       " (e.g. " + examples_of(expression_genes) + ")")
          .file(sources.tfs);
    }
    if (report.tfs_not_in_expression.count > 0) {
      report.warnings.push_back(std::to_string(report.tfs_not_in_expression.count) + " of " +
                                std::to_string(report.tfs) + " TFs of " + sources.tfs + " are not genes of " +
                                sources.expression + " (e.g. " + join(report.tfs_not_in_expression.examples) +
                                ")");
    }
  }

  if (truth) {
    out.truth.emplace();
    out.truth->reserve(truth->size());
    std::vector<bool> in_truth(expression_genes.size(), false);
    std::unordered_set<std::string> named, missing_seen, not_tf_seen;
    std::vector<std::string> truth_names;
    auto resolve = [&](const std::string& name) -> std::string {
      if (named.insert(name).second) truth_names.push_back(name);
      const auto i = matcher.find(name, report.case_mismatches, expression_genes);
      if (i == Matcher::npos) {
        if (missing_seen.insert(name).second) report.truth_not_in_expression.add(name);
        return name;
      }
      in_truth[i] = true;
      return expression_genes[i];
    };
    for (const auto& [regulator, target] : *truth) {
      auto r = resolve(regulator);
      auto t = resolve(target);
      if (tfs) {
        const auto i = matcher.find(r, report.case_mismatches, expression_genes);
        if (i != Matcher::npos && !is_tf[i] && not_tf_seen.insert(r).second)
          report.truth_regulators_not_tfs.add(r);
      }
      out.truth->emplace_back(std::move(r), std::move(t));
    }
    for (std::size_t i = 0; i < expression_genes.size(); ++i)
      if (in_truth[i]) out.shared_genes.push_back(expression_genes[i]);
    // Distinct genes: two spellings of one expression gene count once.
    report.shared_genes = static_cast<std::int64_t>(out.shared_genes.size());
    report.truth_genes = report.shared_genes + report.truth_not_in_expression.count;
    if (report.shared_genes < 2) {
      throw InputError(std::string(report.shared_genes == 0 ? "none" : "only 1") + " of the " +
                       std::to_string(report.truth_genes) + " genes of " + sources.truth + " (e.g. " +
                       examples_of(truth_names) + ") is among the " +
                       std::to_string(expression_genes.size()) + " genes of " + sources.expression +
                       " (e.g. " + examples_of(expression_genes) + "): there is no pair of genes to score")
          .file(sources.truth);
    }
    if (report.truth_not_in_expression.count > 0) {
      report.warnings.push_back(
          std::to_string(report.truth_not_in_expression.count) + " of " + std::to_string(report.truth_genes) +
          " genes of " + sources.truth + " are not genes of " + sources.expression + " (e.g. " +
          join(report.truth_not_in_expression.examples) + "); their edges are not scored");
    }
    if (report.truth_regulators_not_tfs.count > 0) {
      report.warnings.push_back(std::to_string(report.truth_regulators_not_tfs.count) + " regulators of " +
                                sources.truth + " are not TFs of " + sources.tfs + " (e.g. " +
                                join(report.truth_regulators_not_tfs.examples) +
                                "); their edges are not candidates");
    }
  }
  if (report.case_mismatches.count > 0) {
    report.warnings.insert(report.warnings.begin(), std::to_string(report.case_mismatches.count) +
                                                        " names matched genes of " + sources.expression +
                                                        " only ignoring case or surrounding whitespace (" +
                                                        join(report.case_mismatches.examples) + ")");
  }
  return out;
}

ExpressionCheck check_expression(const expr::ExpressionMatrix& m, const std::string& source) {
  const auto samples = m.n_cells();
  const auto genes = m.n_genes();
  if (samples == 0 || genes == 0) {
    throw InputError("the expression matrix is empty (" + std::to_string(samples) + " samples × " +
                     std::to_string(genes) + " genes)")
        .file(source);
  }
  if (samples < 2 || genes < 2) {
    throw InputError("GRN inference needs at least 2 samples and 2 genes, the matrix has " +
                     std::to_string(samples) + " samples × " + std::to_string(genes) + " genes")
        .file(source);
  }
  m.check_consistent(source);
  {
    std::unordered_set<std::string> seen;
    for (const auto& g : m.var.index) {
      if (!seen.insert(g).second) {
        throw InputError("gene '" + g + "' is named twice: edges between genes need distinct names")
            .file(source);
      }
    }
  }
  auto sample_name = [&](std::int64_t r) {
    return m.obs.index.empty() ? "sample " + std::to_string(r + 1) : m.obs.index[static_cast<std::size_t>(r)];
  };
  auto not_finite = [&](std::int64_t r, std::int64_t c, float v) {
    return InputError(std::string("value ") + (std::isnan(v) ? "NaN" : "Inf") + " of gene '" +
                      m.var.index[static_cast<std::size_t>(c)] + "' in sample '" + sample_name(r) +
                      "': GRN inference needs finite values")
        .file(source);
  };
  // Per gene: the first value seen and whether any value differs from it. Sparse rows also have
  // implicit zeros, counted per gene.
  const auto n = static_cast<std::size_t>(genes);
  std::vector<float> first(n, 0.0f);
  std::vector<bool> seen(n, false), varies(n, false);
  std::vector<std::int64_t> stored(n, 0);
  auto visit = [&](std::int64_t r, std::int64_t c, float v) {
    if (!std::isfinite(v)) throw not_finite(r, c, v);
    const auto g = static_cast<std::size_t>(c);
    if (!seen[g]) {
      seen[g] = true;
      first[g] = v;
    } else if (v != first[g]) {
      varies[g] = true;
    }
  };
  if (m.x.is_sparse()) {
    const auto& csr = m.x.csr();
    for (std::int64_t r = 0; r < samples; ++r) {
      for (auto k = csr.indptr[static_cast<std::size_t>(r)]; k < csr.indptr[static_cast<std::size_t>(r) + 1];
           ++k) {
        const auto c = csr.indices[static_cast<std::size_t>(k)];
        ++stored[static_cast<std::size_t>(c)];
        visit(r, c, csr.data[static_cast<std::size_t>(k)]);
      }
    }
    for (std::size_t g = 0; g < n; ++g)
      if (stored[g] < samples && seen[g] && first[g] != 0.0f) varies[g] = true;
  } else {
    const auto& v = m.x.dense_values();
    for (std::int64_t r = 0; r < samples; ++r) {
      for (std::int64_t c = 0; c < genes; ++c)
        visit(r, c, v[static_cast<std::size_t>(r * genes + c)]);
    }
  }
  ExpressionCheck out;
  for (std::size_t g = 0; g < n; ++g)
    if (!varies[g]) out.constant_genes.add(m.var.index[g]);
  if (out.constant_genes.count == genes) {
    throw InputError("every one of the " + std::to_string(genes) + " genes has the same value in all " +
                     std::to_string(samples) + " samples: there is nothing to rank")
        .file(source);
  }
  if (out.constant_genes.count > 0) {
    out.warnings.push_back(std::to_string(out.constant_genes.count) + " of " + std::to_string(genes) +
                           " genes are constant across the samples of " + source + " (e.g. " +
                           join(out.constant_genes.examples) + "): their edges get weight 0");
  }
  return out;
}

} // namespace gc::grn
