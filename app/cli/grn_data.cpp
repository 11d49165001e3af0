#include "grn_data.h"

#include "gc/expr/edge_list.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>

namespace gc::cli {
namespace {

bool truthy(const std::string& s) {
  std::string v = s;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "true" || v == "1" || v == "yes" || v == "t";
}

// `--tfs var:COLUMN`: the genes whose var column is true (the demo world's `is_tf`).
std::vector<std::string> tfs_from_var(const expr::ExpressionMatrix& m, const std::string& column,
                                      const std::string& source) {
  const auto* c = m.var.find(column);
  if (c == nullptr) {
    std::string names;
    for (const auto& n : m.var.column_names())
      names += (names.empty() ? "" : ", ") + n;
    throw InputError("--tfs var:" + column + ": no var column '" + column +
                     "' (var columns: " + (names.empty() ? std::string("none") : names) + ")")
        .file(source);
  }
  std::vector<std::string> tfs;
  for (std::size_t g = 0; g < m.var.index.size(); ++g)
    if (truthy(c->text(g))) tfs.push_back(m.var.index[g]);
  if (tfs.empty())
    throw InputError("--tfs var:" + column + ": no gene has a true value (True, 1, yes) in that column")
        .file(source);
  return tfs;
}

bool is_counts(const expr::Matrix& x) {
  const auto integral = [](const std::vector<float>& v) {
    return std::all_of(v.begin(), v.end(), [](float f) { return f >= 0.0F && f == std::floor(f); });
  };
  return x.is_sparse() ? integral(x.csr().data) : integral(x.dense_values());
}

std::string pair_key(const std::string& a, const std::string& b) { return a + '\t' + b; }

// The DREAM candidate set the input defines (see DreamCandidates), or none.
std::optional<DreamCandidates> dream_candidates(const GrnData& d, const std::string& expr_path,
                                                const std::string& truth_path) {
  const auto& genes = d.data.matrix.var.index;
  if (d.truth->layout == "labelled" && d.truth->negatives > 0) {
    // read_truth kept only the 1s; the 0s are candidates too. Same reader, so the same lines.
    const auto list = expr::read_edge_list(truth_path);
    grn::NamePairs pairs;
    pairs.reserve(list.edges.size());
    for (const auto& e : list.edges)
      pairs.emplace_back(e.source, e.target);
    // Reconciled like the truth's edges, so that ranked edges (expression spelling) match.
    const auto spelled = grn::reconcile_names(genes, pairs, std::nullopt, {expr_path, truth_path, ""}).truth;
    const std::unordered_set<std::string> in_expression(genes.begin(), genes.end());
    std::unordered_set<std::string> seen, missing;
    DreamCandidates c;
    c.kind = "gold-standard";
    for (std::size_t i = 0; i < spelled->size(); ++i) {
      const auto& [a, b] = (*spelled)[i];
      if (a == b) {
        ++c.self_pairs;
        continue;
      }
      if (!seen.insert(pair_key(a, b)).second) {
        ++c.repeated;
        continue;
      }
      for (const auto* g : {&a, &b})
        if (!in_expression.contains(*g)) missing.insert(*g);
      c.gold.edges.emplace_back(a, b);
      c.gold.labels.push_back(list.edges[i].weight == 1.0 ? 1 : 0);
    }
    c.genes_outside = static_cast<std::int64_t>(missing.size());
    return c;
  }
  if (d.data.layout == "dream4") {
    DreamCandidates c;
    c.kind = "all-pairs";
    c.gold = grn::dream_gold_standard(*d.names.truth, genes);
    return c;
  }
  return std::nullopt;
}

} // namespace

void LogProgress::on_progress(double fraction, const std::string& message) {
  const int tenth = static_cast<int>(fraction * 10.0);
  const std::lock_guard lock(m_mutex);
  if (message != m_message) {
    m_message = message;
    m_tenth = -1;
  }
  if (tenth <= m_tenth) return;
  m_tenth = tenth;
  log::info(m_command, ": ", message.empty() ? std::string("working") : message, " ", tenth * 10, "%");
}

GrnData load_grn_data(const std::string& expr_path, const std::optional<std::string>& truth_path,
                      const std::optional<std::string>& tfs_arg, const Progress& progress) {
  GrnData d;
  const auto warn = [&](const std::vector<std::string>& list) {
    for (const auto& w : list) {
      log::warning(w);
      d.warnings.push_back(w);
    }
  };
  d.data = expr::read_grn_expression(expr_path, progress);
  warn(d.data.warnings);
  d.check = grn::check_expression(d.data.matrix, expr_path);
  warn(d.check.warnings);
  // Counts (every value a non-negative integer, as in .h5ad/10x files of raw UMIs) are
  // library-size normalised and log1p-transformed, so that every method sees the same values.
  d.counts_normalised = is_counts(d.data.matrix.x);
  if (d.counts_normalised) d.data.matrix.x = d.data.matrix.x.log1p_normalized();
  std::optional<grn::NamePairs> truth_pairs;
  if (truth_path) {
    d.truth = grn::read_truth(*truth_path);
    truth_pairs = d.truth->edges;
  }
  if (tfs_arg) {
    if (tfs_arg->rfind("var:", 0) == 0)
      d.tfs = tfs_from_var(d.data.matrix, tfs_arg->substr(4), expr_path);
    else
      d.tfs = grn::read_tf_list(*tfs_arg);
  }
  d.names = grn::reconcile_names(d.data.matrix.var.index, truth_pairs, d.tfs,
                                 {expr_path, truth_path.value_or(""), tfs_arg.value_or("")});
  warn(d.names.report.warnings);
  if (truth_path) {
    d.dream = dream_candidates(d, expr_path, *truth_path);
    if (d.dream && d.dream->repeated > 0) {
      warn({*truth_path + ": " + std::to_string(d.dream->repeated) +
            " pairs of the gold standard are listed more than once; DREAM scoring keeps the first listing"});
    }
    if (d.dream && d.dream->self_pairs > 0) {
      warn({*truth_path + ": " + std::to_string(d.dream->self_pairs) +
            " self pairs (a gene to itself) of the gold standard are not DREAM candidates"});
    }
  }
  return d;
}

Json metrics_json(const grn::Metrics& m) {
  Json j = Json::object();
  j["auroc"] = m.auroc;
  j["auprc"] = m.auprc;
  j["auprc_ratio"] = m.auprc_ratio;
  j["early_precision"] = m.early_precision;
  j["epr"] = m.epr;
  Json at_k = Json::object();
  for (const auto& [k, p] : m.precision_at_k)
    at_k[std::to_string(k)] = p;
  j["precision_at_k"] = std::move(at_k);
  j["density"] = m.density;
  j["true_edges"] = m.true_edges;
  j["candidate_edges"] = m.candidate_edges;
  j["predicted_edges"] = m.predicted_edges;
  j["truth_outside"] = m.truth_outside;
  return j;
}

Json dream_json(const std::vector<grn::ScoredEdge>& ranked, const DreamCandidates& candidates) {
  std::unordered_set<std::string> candidate;
  candidate.reserve(candidates.gold.edges.size());
  for (const auto& [a, b] : candidates.gold.edges)
    candidate.insert(pair_key(a, b));
  std::vector<grn::ScoredEdge> listed;
  listed.reserve(ranked.size());
  std::int64_t outside = 0;
  for (const auto& e : ranked) {
    if (candidate.contains(pair_key(e.regulator, e.target)))
      listed.push_back(e);
    else
      ++outside;
  }
  const auto s = grn::dream_score(listed, candidates.gold);
  Json j = Json::object();
  j["aupr"] = s.aupr;
  j["auroc"] = s.auroc;
  j["candidates"] = s.candidates;
  j["positives"] = s.positives;
  j["predictions"] = s.predictions;
  j["true_positives"] = s.true_positives;
  j["candidate_set"] = candidates.kind;
  j["ranked_outside"] = outside;
  j["genes_outside"] = candidates.genes_outside;
  j["repeated_pairs"] = candidates.repeated;
  j["self_pairs"] = candidates.self_pairs;
  return j;
}

#ifdef GC_GRN_HAVE_GENOCIRCUIT
GenoCircuitArgs read_genocircuit_args(Args& args) {
  GenoCircuitArgs g;
  const auto path = [&](const char* name, std::filesystem::path& out) {
    if (const auto v = args.option(name)) {
      require_readable_file(*v);
      out = *v;
    }
  };
  path("--genome", g.sources.genome);
  path("--gtf", g.sources.annotation);
  path("--peaks", g.sources.elements);
  if (const auto v = args.option("--hic")) g.sources.hic = *v; // may carry ::/resolutions/N
  path("--motifs", g.sources.motifs);
  if (const auto config = args.option("--config"))
    g.options.config = model::GenoCircuitConfig::from_json(Json::parse(read_text_file(*config)));
  if (args.given("--epochs")) {
    const auto epochs = args.int_option_or("--epochs", 0);
    if (epochs < 1 || epochs > 100000) throw InputError("--epochs must be between 1 and 100000");
    g.options.config.epochs = static_cast<int>(epochs);
  }
  if (const auto device = args.option("--device")) g.options.config.device = *device;
  g.options.config.validate();
  return g;
}

Json genocircuit_sources_json(const grn::GenoCircuitSources& s) {
  Json j = Json::object();
  const auto put = [&](const char* key, const std::filesystem::path& p) {
    j[key] = p.empty() ? Json() : Json(p.string());
  };
  put("genome", s.genome);
  put("gtf", s.annotation);
  put("peaks", s.elements);
  put("hic", s.hic);
  put("motifs", s.motifs);
  return j;
}
#endif

} // namespace gc::cli
