// GRN inference front-end: validates the matrix once, lays it out per gene, and dispatches to
// the method; the per-method algorithms live in their own files.
#include "gc/grn/infer.h"

#include "gc/grn/baselines.h"
#include "gc/grn/genie3.h"
#include "gc/grn/grnboost2.h"
#include "gc/grn/pidc.h"
#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace gc::grn {

std::string method_name(Method method) {
  switch (method) {
  case Method::pearson: return "pearson";
  case Method::spearman: return "spearman";
  case Method::genie3: return "genie3";
  case Method::grnboost2: return "grnboost2";
  case Method::pidc: return "pidc";
  }
  return "unknown";
}

const std::vector<Method>& all_methods() {
  static const std::vector<Method> methods{Method::pearson, Method::spearman, Method::genie3,
                                           Method::grnboost2, Method::pidc};
  return methods;
}

Method parse_method(std::string_view name) {
  std::string valid;
  for (const auto m : all_methods()) {
    const auto n = method_name(m);
    if (n == name) return m;
    valid += (valid.empty() ? "" : ", ") + n;
  }
  throw InputError("unknown GRN inference method '" + std::string(name) + "' (valid: " + valid + ")");
}

GeneColumns gene_columns(const expr::ExpressionMatrix& matrix,
                         const std::optional<std::vector<std::string>>& regulators) {
  const auto cells = matrix.n_cells();
  const auto genes = matrix.n_genes();
  if (static_cast<std::int64_t>(matrix.var.index.size()) != genes) {
    throw InputError("gene names (" + std::to_string(matrix.var.index.size()) +
                     ") do not match the matrix columns (" + std::to_string(genes) + ")")
        .context("GRN inference");
  }
  if (cells < 2)
    throw InputError("GRN inference needs at least 2 samples, the matrix has " + std::to_string(cells));
  if (genes < 2)
    throw InputError("GRN inference needs at least 2 genes, the matrix has " + std::to_string(genes));

  GeneColumns out;
  out.genes = matrix.var.index;
  out.samples = cells;
  out.values.resize(static_cast<std::size_t>(cells * genes));
  const auto dense = matrix.x.to_dense(); // cells × genes, row-major
  for (std::int64_t c = 0; c < cells; ++c) {
    for (std::int64_t g = 0; g < genes; ++g) {
      const float v = dense[static_cast<std::size_t>(c * genes + g)];
      if (!std::isfinite(v)) {
        const auto sample = static_cast<std::size_t>(c) < matrix.obs.index.size()
                                ? "sample '" + matrix.obs.index[static_cast<std::size_t>(c)] + "'"
                                : "sample " + std::to_string(c + 1);
        throw InputError("expression value " + std::string(std::isnan(v) ? "NaN" : "infinite") +
                         " of gene '" + matrix.var.index[static_cast<std::size_t>(g)] + "' in " + sample)
            .context("GRN inference");
      }
      out.values[static_cast<std::size_t>(g * cells + c)] = v;
    }
  }

  if (regulators) {
    std::unordered_map<std::string, std::int32_t> index;
    for (std::int64_t g = 0; g < genes; ++g)
      index.emplace(out.genes[static_cast<std::size_t>(g)], static_cast<std::int32_t>(g));
    std::unordered_set<std::int32_t> chosen;
    for (const auto& name : *regulators)
      if (const auto it = index.find(name); it != index.end()) chosen.insert(it->second);
    if (chosen.empty()) {
      throw InputError("none of the " + std::to_string(regulators->size()) +
                       " candidate regulators is a gene of the expression matrix")
          .context("GRN inference");
    }
    out.regulators.assign(chosen.begin(), chosen.end());
    std::sort(out.regulators.begin(), out.regulators.end());
  } else {
    out.regulators.resize(static_cast<std::size_t>(genes));
    for (std::int64_t g = 0; g < genes; ++g)
      out.regulators[static_cast<std::size_t>(g)] = static_cast<std::int32_t>(g);
  }
  return out;
}

void sort_edges(std::vector<ScoredEdge>& edges) {
  std::sort(edges.begin(), edges.end(), [](const ScoredEdge& p, const ScoredEdge& q) {
    if (p.weight != q.weight) return p.weight > q.weight;
    if (p.regulator != q.regulator) return p.regulator < q.regulator;
    return p.target < q.target;
  });
}

std::vector<ScoredEdge> infer(const expr::ExpressionMatrix& matrix, const InferOptions& options,
                              const Progress& progress) {
  const auto columns = gene_columns(matrix, options.regulators);
  progress.check();
  std::vector<ScoredEdge> edges;
  switch (options.method) {
  case Method::pearson:
  case Method::spearman: {
    edges = correlation_edges(matrix, options.method == Method::pearson ? Correlation::pearson
                                                                        : Correlation::spearman);
    if (options.regulators) {
      std::unordered_set<std::string> allowed;
      for (const auto r : columns.regulators)
        allowed.insert(columns.genes[static_cast<std::size_t>(r)]);
      std::erase_if(edges, [&](const ScoredEdge& e) { return !allowed.contains(e.regulator); });
    }
    break;
  }
  case Method::genie3: {
    Genie3Options o;
    o.forest.trees = options.trees;
    o.seed = options.seed;
    o.threads = options.threads;
    edges = genie3(columns, o, progress);
    break;
  }
  case Method::grnboost2: {
    Grnboost2Options o;
    o.seed = options.seed;
    o.threads = options.threads;
    edges = grnboost2(columns, o, progress);
    break;
  }
  case Method::pidc: {
    PidcOptions o;
    o.threads = options.threads;
    edges = pidc(columns, o, progress);
    break;
  }
  }
  std::erase_if(edges, [](const ScoredEdge& e) { return e.regulator == e.target; });
  sort_edges(edges);
  progress.update(1.0);
  return edges;
}

} // namespace gc::grn
