#include "grn_data.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <algorithm>
#include <cctype>
#include <cmath>

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
