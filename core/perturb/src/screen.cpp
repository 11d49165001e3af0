#include "gc/perturb/screen.h"

#include "gc/expr/formats.h"
#include "gc/expr/perturbation.h"
#include "gc/util/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace gc::perturb {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_counts(const expr::Matrix& x) {
  auto integral = [](float v) { return v >= 0.0F && v == std::floor(v); };
  if (x.is_sparse()) return std::all_of(x.csr().data.begin(), x.csr().data.end(), integral);
  return std::all_of(x.dense_values().begin(), x.dense_values().end(), integral);
}

// Calls fn(cell, gene, value) for every stored value of `x` (zeros of sparse rows skipped).
template <typename Fn>
void for_row(const expr::Matrix& x, std::int64_t r, Fn&& fn) {
  if (x.is_sparse()) {
    const auto& m = x.csr();
    for (auto k = m.indptr[static_cast<std::size_t>(r)]; k < m.indptr[static_cast<std::size_t>(r) + 1]; ++k)
      fn(static_cast<std::size_t>(m.indices[static_cast<std::size_t>(k)]),
         m.data[static_cast<std::size_t>(k)]);
  } else {
    const auto cols = static_cast<std::size_t>(x.cols());
    const auto* row = x.dense_values().data() + static_cast<std::size_t>(r) * cols;
    for (std::size_t g = 0; g < cols; ++g)
      fn(g, row[g]);
  }
}

struct Accumulator {
  std::vector<double> sum;
  std::int64_t cells = 0;
};

} // namespace

const std::vector<std::string>& screen_target_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c{"perturbation", "gene", "target_gene", "guide_identity"};
    for (const auto& extra : expr::default_perturbation_columns())
      if (std::find(c.begin(), c.end(), extra) == c.end()) c.push_back(extra);
    return c;
  }();
  return columns;
}

PerturbationDataset read_screen(const fs::path& path, const ScreenOptions& options,
                                const Progress& progress) {
  progress.update(0.0, "reading the screen");
  auto data = expr::load_expression(path, {}, progress.sub(0.0, 0.6));
  data.check_consistent(path.string());
  const auto where = path.string();

  // Targets: one parse per distinct label, not per cell.
  std::string column = options.column;
  if (column.empty())
    for (const auto& c : screen_target_columns())
      if (data.obs.find(c)) {
        column = c;
        break;
      }
  const auto* targets = column.empty() ? nullptr : data.obs.find(column);
  if (!targets) {
    std::string present;
    for (const auto& name : data.obs.column_names())
      present += (present.empty() ? "" : ", ") + name;
    throw InputError((column.empty() ? std::string("no perturbation column (looked for perturbation, gene, "
                                                   "target_gene, guide_identity, ...)")
                                     : "no obs column '" + column + "'") +
                     "; obs columns: " + (present.empty() ? std::string("none") : present) +
                     " (name the column with --column)")
        .file(where);
  }
  expr::PerturbationOptions popts;
  popts.separators = "+";
  for (const auto& extra : options.control_labels)
    popts.control_labels.push_back(extra);
  const auto cells = static_cast<std::size_t>(data.n_cells());
  // Distinct label -> index into `interventions`, or a control / a cell without a label.
  constexpr int control_cell = -1, unlabelled = -2;
  std::map<std::string, int> label_code;
  std::map<std::string, int> intervention_code; // canonical label -> index into `interventions`
  std::vector<Intervention> interventions;
  std::vector<int> cell_code(cells);
  std::int64_t without_label = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    const auto label = targets->text(c);
    auto [it, fresh] = label_code.emplace(label, control_cell);
    if (fresh &&
        (label.find_first_not_of(" \t") == std::string::npos || lower(label) == "nan" || label == "NA")) {
      it->second = unlabelled;
    } else if (fresh) {
      const auto parsed = expr::parse_perturbations({label}, popts);
      if (!parsed.control.front()) {
        std::string joined;
        for (const auto& t : parsed.targets.front())
          joined += (joined.empty() ? "" : "+") + t;
        Intervention iv;
        try {
          iv = parse_label(joined);
        } catch (InputError& e) {
          throw e.file(where).record("obs '" + column + "', cell " + data.obs.index.at(c));
        }
        // "A+ctrl" and "A" are the same intervention.
        const auto [known, added] =
            intervention_code.emplace(iv.label(), static_cast<int>(interventions.size()));
        if (added) interventions.push_back(std::move(iv));
        it->second = known->second;
      }
    }
    cell_code[c] = it->second;
    without_label += it->second == unlabelled ? 1 : 0;
  }

  // Cell groups.
  std::string group_column = options.group_column;
  if (group_column.empty() && data.obs.find("cell_type")) group_column = "cell_type";
  if (lower(group_column) == "none") group_column.clear();
  std::vector<std::string> groups{"all"};
  std::vector<std::size_t> cell_group(cells, 0);
  if (!group_column.empty()) {
    const auto* g = data.obs.find(group_column);
    if (!g) throw InputError("no obs column '" + group_column + "' for the cell groups").file(where);
    std::map<std::string, std::size_t> index;
    groups.clear();
    // A categorical column's own order (present categories only), else first appearance.
    if (g->kind == expr::Column::Kind::categorical) {
      std::vector<bool> present(g->categories.size(), false);
      for (const auto code : g->codes)
        if (code >= 0) present[static_cast<std::size_t>(code)] = true;
      for (std::size_t i = 0; i < g->categories.size(); ++i)
        if (present[i]) {
          index.emplace(g->categories[i], groups.size());
          groups.push_back(g->categories[i]);
        }
    }
    for (std::size_t c = 0; c < cells; ++c) {
      const auto name = g->text(c);
      const auto [it, fresh] = index.emplace(name, groups.size());
      if (fresh) groups.push_back(name);
      cell_group[c] = it->second;
    }
  }

  PerturbationDataset d;
  d.source = where;
  d.layout = "screen";
  d.scale = Scale::log1p_normalised;
  d.genes = data.var.index;
  d.index_genes();
  d.groups = groups;
  const auto n = d.genes.size();
  const bool counts = is_counts(data.x);
  const auto x = counts ? data.x.log1p_normalized(1e4) : data.x;
  progress.update(0.7, "means per intervention and group");

  const auto n_groups = groups.size();
  std::vector<std::int64_t> controls_in(n_groups, 0);
  for (std::size_t c = 0; c < cells; ++c)
    if (cell_code[c] == control_cell) ++controls_in[cell_group[c]];
  std::int64_t total_controls = 0;
  for (const auto k : controls_in)
    total_controls += k;
  if (total_controls == 0)
    throw InputError("no control cells: no label of obs '" + column +
                     "' is a control label (control, non-targeting, ctrl, ...); name it with --control")
        .file(where);

  std::vector<Accumulator> control(n_groups, {std::vector<double>(n, 0.0), 0});
  std::map<std::pair<int, std::size_t>, Accumulator> perturbed;
  d.control_cells.assign(n_groups, {});
  std::vector<std::int64_t> stride(n_groups), seen(n_groups, 0);
  for (std::size_t k = 0; k < n_groups; ++k)
    stride[k] = std::max<std::int64_t>(1, (controls_in[k] + options.max_control_cells - 1) /
                                              std::max<std::int64_t>(1, options.max_control_cells));
  for (std::size_t c = 0; c < cells; ++c) {
    const auto k = cell_group[c];
    if (cell_code[c] == unlabelled) continue;
    Accumulator* acc = nullptr;
    if (cell_code[c] == control_cell) {
      acc = &control[k];
      if (seen[k]++ % stride[k] == 0) {
        auto& rows = d.control_cells[k];
        rows.resize(rows.size() + n, 0.0F);
        float* row = rows.data() + rows.size() - n;
        for_row(x, static_cast<std::int64_t>(c), [&](std::size_t g, float v) { row[g] = v; });
      }
    } else {
      auto& a = perturbed[{cell_code[c], k}];
      if (a.sum.empty()) a.sum.assign(n, 0.0);
      acc = &a;
    }
    ++acc->cells;
    for_row(x, static_cast<std::int64_t>(c), [&](std::size_t g, float v) { acc->sum[g] += v; });
    if (c % 4096 == 0) progress.update(0.7 + 0.3 * static_cast<double>(c) / static_cast<double>(cells));
  }

  d.expression_level.assign(n, 0.0);
  for (std::size_t k = 0; k < n_groups; ++k) {
    for (std::size_t g = 0; g < n; ++g)
      d.expression_level[g] += control[k].sum[g] / static_cast<double>(total_controls);
    auto mean = control[k].sum;
    for (auto& v : mean)
      v = control[k].cells ? v / static_cast<double>(control[k].cells) : 0.0;
    d.control.push_back(std::move(mean));
    d.control_samples.push_back(control[k].cells);
  }

  std::int64_t too_few = 0, no_control = 0;
  for (auto& [key, acc] : perturbed) {
    const auto k = key.second;
    if (control[k].cells == 0) {
      ++no_control;
      continue;
    }
    if (acc.cells < options.min_cells) {
      ++too_few;
      continue;
    }
    Observation o;
    o.intervention = interventions[static_cast<std::size_t>(key.first)];
    o.group = k;
    o.samples = acc.cells;
    o.mean.resize(n);
    o.delta.resize(n);
    for (std::size_t g = 0; g < n; ++g) {
      o.mean[g] = acc.sum[g] / static_cast<double>(acc.cells);
      o.delta[g] = o.mean[g] - d.control[k][g];
    }
    d.observations.push_back(std::move(o));
  }

  std::vector<std::string> unmatched;
  for (const auto& iv : interventions)
    for (const auto& g : iv.genes)
      if (!d.gene_index(g.gene) && std::find(unmatched.begin(), unmatched.end(), g.gene) == unmatched.end())
        unmatched.push_back(g.gene);
  const bool any_measured = std::any_of(d.observations.begin(), d.observations.end(),
                                        [&](const Observation& o) { return d.all_measured(o.intervention); });
  if (!any_measured) {
    std::string ex;
    for (std::size_t i = 0; i < unmatched.size() && i < 5; ++i)
      ex += (i ? ", " : "") + unmatched[i];
    throw InputError(d.observations.empty()
                         ? "no intervention has " + std::to_string(options.min_cells) +
                               " cells in a group with control cells"
                         : "none of the perturbed genes is a gene of the matrix (e.g. " + ex + ")")
        .file(where);
  }
  d.notes["target_column"] = column;
  d.notes["group_column"] = group_column.empty() ? Json() : Json(group_column);
  d.notes["values"] = counts ? "counts scaled to 10^4 per cell, log1p"
                             : "X used as given (not counts: taken as log-normalised)";
  if (!unmatched.empty()) {
    d.notes["perturbed_genes_not_measured"] = static_cast<std::int64_t>(unmatched.size());
    d.notes["perturbed_genes_not_measured_examples"] = Json::array_of(std::vector<std::string>(
        unmatched.begin(), unmatched.begin() + std::min<std::size_t>(unmatched.size(), 5)));
  }
  if (too_few) d.notes["observations_below_min_cells"] = too_few;
  if (without_label) d.notes["cells_without_a_label"] = without_label;
  if (no_control) d.notes["observations_in_groups_without_controls"] = no_control;
  d.check();
  progress.update(1.0);
  return d;
}

PerturbationDataset load_perturbation_data(const fs::path& path, const ScreenOptions& options,
                                           const Progress& progress) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError("no such file or folder").file(path.string());
  if (fs::is_directory(path, ec)) {
    if (is_dream4_folder(path)) return read_dream4(path);
    if (expr::detect_expression_format(path)) return read_screen(path, options, progress);
    throw InputError("a folder that is neither DREAM4 (*_wildtype.tsv, *_knockouts.tsv, *_knockdowns.tsv) "
                     "nor a 10x matrix")
        .file(path.string());
  }
  const auto name = lower(path.filename().string());
  for (const char* suffix : {"_knockouts.tsv", "_knockdowns.tsv", "_wildtype.tsv"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return read_dream4(path.parent_path().empty() ? fs::path(".") : path.parent_path());
  }
  const auto format = expr::detect_expression_format(path);
  if (format == expr::ExpressionFormat::h5ad || format == expr::ExpressionFormat::tenx_h5 ||
      format == expr::ExpressionFormat::mtx)
    return read_screen(path, options, progress);
  return read_profile_table(path);
}

} // namespace gc::perturb
