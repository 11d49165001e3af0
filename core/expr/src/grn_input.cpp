#include "gc/expr/grn_input.h"

#include "gc/expr/formats.h"
#include "gc/expr/text_matrix.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include "text_fields.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace gc::expr {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// BEELINE

void add_pseudotime(GrnExpression& out, const fs::path& pseudotime_path) {
  const auto pt = read_pseudotime(pseudotime_path);
  out.files.push_back(pseudotime_path);
  auto& m = out.matrix;
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < pt.cells.size(); ++i)
    row_of.emplace(pt.cells[i], i);
  const auto n = static_cast<std::size_t>(m.n_cells());
  std::vector<std::int64_t> source(n, -1);
  std::size_t matched = 0;
  std::vector<std::string> unmatched;
  for (std::size_t c = 0; c < n; ++c) {
    const auto it = row_of.find(m.obs.index[c]);
    if (it == row_of.end()) {
      if (unmatched.size() < 5) unmatched.push_back(m.obs.index[c]);
      continue;
    }
    source[c] = static_cast<std::int64_t>(it->second);
    ++matched;
  }
  const std::string expr_file = out.files.front().string();
  if (matched == 0) {
    throw InputError("none of its " + std::to_string(pt.cells.size()) + " cell ids (e.g. '" +
                     (pt.cells.empty() ? std::string() : pt.cells.front()) + "') is a cell of " + expr_file +
                     " (e.g. '" + (m.obs.index.empty() ? std::string() : m.obs.index.front()) + "')")
        .file(pseudotime_path.string());
  }
  if (matched < n) {
    std::string examples;
    for (const auto& u : unmatched)
      examples += (examples.empty() ? "" : ", ") + u;
    out.warnings.push_back(std::to_string(n - matched) + " of " + std::to_string(n) + " cells of " +
                           expr_file + " have no pseudotime in " + pseudotime_path.string() + " (e.g. " +
                           examples + "); their pseudotime is NaN");
  }
  if (pt.cells.size() > matched) {
    out.warnings.push_back(std::to_string(pt.cells.size() - matched) + " cell ids of " +
                           pseudotime_path.string() + " are not cells of " + expr_file + " and were ignored");
  }
  for (std::size_t k = 0; k < pt.columns.size(); ++k) {
    std::vector<double> values(n, std::nan(""));
    for (std::size_t c = 0; c < n; ++c)
      if (source[c] >= 0) values[c] = pt.values[k][static_cast<std::size_t>(source[c])];
    m.obs.columns.push_back(Column::numeric(pt.columns[k], std::move(values)));
  }
  // Which obs columns are trajectories (BEELINE's Synthetic sets call theirs "Time").
  m.uns[pseudotime_columns_key] = pt.columns;
}

GrnExpression read_beeline(const fs::path& expression_path, const Progress& progress) {
  GrnExpression out;
  out.layout = "beeline";
  out.files.push_back(expression_path);
  out.matrix = read_text_matrix(expression_path, {}, nullptr, progress);
  const auto pseudotime = expression_path.parent_path() / "PseudoTime.csv";
  if (fs::is_regular_file(pseudotime)) add_pseudotime(out, pseudotime);
  return out;
}

// ---------------------------------------------------------------------------------------------
// DREAM4

enum class Dream4Kind { wildtype, knockouts, knockdowns, timeseries, multifactorial };

struct Dream4Suffix {
  Dream4Kind kind;
  const char* suffix;
  const char* condition; // obs `condition`
};
constexpr std::array<Dream4Suffix, 5> dream4_suffixes{{
    {Dream4Kind::wildtype, "_wildtype.tsv", "wildtype"},
    {Dream4Kind::knockouts, "_knockouts.tsv", "knockout"},
    {Dream4Kind::knockdowns, "_knockdowns.tsv", "knockdown"},
    {Dream4Kind::timeseries, "_timeseries.tsv", "timeseries"},
    {Dream4Kind::multifactorial, "_multifactorial.tsv", "multifactorial"},
}};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Dream4Table {
  fs::path path;
  Dream4Kind kind = Dream4Kind::wildtype;
  std::string prefix; // file name without the suffix: the network
};

// A DREAM4 steady-state or time-series table by its name; the noise-free answers of the
// challenge (`*_nonoise_*`) are not tables of this kind.
std::optional<Dream4Table> dream4_table(const fs::path& path) {
  const auto name = lower(path.filename().string());
  if (name.find("_nonoise_") != std::string::npos) return std::nullopt;
  for (const auto& s : dream4_suffixes) {
    if (ends_with(name, s.suffix) && name.size() > std::char_traits<char>::length(s.suffix)) {
      return Dream4Table{
          path, s.kind,
          path.filename().string().substr(0, name.size() - std::char_traits<char>::length(s.suffix))};
    }
  }
  return std::nullopt;
}

struct ParsedTable {
  std::vector<std::string> genes;
  std::vector<std::vector<float>> rows; // values in the order of `genes`
  std::vector<double> times;            // time series only
  std::vector<int> series;              // time series only, 1-based
};

std::vector<std::string> split_line(const std::string& line) {
  return split_fields(line, line.find('\t') != std::string::npos ? '\t' : ' ');
}

ParsedTable parse_dream4(const Dream4Table& t) {
  LineReader reader(t.path);
  const bool timed = t.kind == Dream4Kind::timeseries;
  ParsedTable p;
  std::string line;
  bool have_header = false;
  bool gap = false; // a blank line since the last row
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) {
      gap = true;
      continue;
    }
    auto f = split_line(line);
    if (!have_header) {
      have_header = true;
      if (timed) {
        if (f.empty() || lower(f.front()) != "time") {
          throw reader.error("a DREAM4 time series starts with a header \"Time\", \"G1\", ...; found '" +
                             (f.empty() ? std::string() : f.front()) + "'");
        }
        f.erase(f.begin());
      }
      if (f.empty()) throw reader.error("the header names no genes");
      std::unordered_set<std::string> seen;
      for (const auto& g : f) {
        if (g.empty()) throw reader.error("empty gene name in the header");
        if (!seen.insert(g).second) throw reader.error("gene '" + g + "' is named twice in the header");
      }
      p.genes = std::move(f);
      continue;
    }
    const std::size_t expected = p.genes.size() + (timed ? 1 : 0);
    if (f.size() != expected) {
      throw reader.error("expected " + std::to_string(expected) + " fields as in the header, found " +
                         std::to_string(f.size()));
    }
    std::vector<float> row(p.genes.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
      double v = 0;
      const bool ok = parse_number(f[i], v);
      const std::string what = timed && i == 0 ? std::string("Time") : p.genes[i - (timed ? 1 : 0)];
      if (!ok) throw reader.error("value '" + f[i] + "' of " + what + " is not a number");
      if (!std::isfinite(v))
        throw reader.error("value of " + what + " is missing or not finite ('" + f[i] + "')");
      if (timed && i == 0) {
        const bool new_series = p.series.empty() || gap || v < p.times.back();
        p.series.push_back(p.series.empty() ? 1 : p.series.back() + (new_series ? 1 : 0));
        p.times.push_back(v);
      } else {
        row[i - (timed ? 1 : 0)] = static_cast<float>(v);
      }
    }
    gap = false;
    p.rows.push_back(std::move(row));
  }
  if (!have_header) throw InputError("no header line").file(t.path.string());
  if (p.rows.empty()) throw InputError("no data rows after the header").file(t.path.string());
  if ((t.kind == Dream4Kind::knockouts || t.kind == Dream4Kind::knockdowns) &&
      p.rows.size() != p.genes.size()) {
    throw InputError("row i of a DREAM4 " +
                     std::string(t.kind == Dream4Kind::knockouts ? "knockout" : "knockdown") +
                     " table perturbs gene i: expected one row per gene (" + std::to_string(p.genes.size()) +
                     "), found " + std::to_string(p.rows.size()))
        .file(t.path.string());
  }
  return p;
}

// `*_goldstandard_ref.tsv`: a header "New" "Old", then one line per gene, new name first.
std::unordered_map<std::string, std::string> read_rename_map(const fs::path& path) {
  LineReader reader(path);
  std::string line;
  std::unordered_map<std::string, std::string> map;
  std::unordered_set<std::string> old_names;
  bool header = true;
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const auto f = split_line(line);
    if (header) {
      header = false;
      if (f.size() == 2 && lower(f[0]) == "new" && lower(f[1]) == "old") continue;
    }
    if (f.size() != 2)
      throw reader.error("expected 2 fields (new name, old name), found " + std::to_string(f.size()));
    if (!map.emplace(f[0], f[1]).second) throw reader.error("gene '" + f[0] + "' is mapped twice");
    if (!old_names.insert(f[1]).second) throw reader.error("two genes are mapped to '" + f[1] + "'");
  }
  if (map.empty()) throw InputError("no gene mappings").file(path.string());
  return map;
}

std::optional<fs::path> find_rename_map(const fs::path& folder, std::vector<std::string>& warnings) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() &&
        ends_with(lower(entry.path().filename().string()), "_goldstandard_ref.tsv"))
      found.push_back(entry.path());
  }
  if (found.size() > 1) {
    std::sort(found.begin(), found.end());
    warnings.push_back("several *_goldstandard_ref.tsv files in " + folder.string() + " (" +
                       found[0].filename().string() + ", " + found[1].filename().string() +
                       "): cannot tell which maps the multifactorial gene names");
    return std::nullopt;
  }
  if (found.empty()) return std::nullopt;
  return found.front();
}

// Renames the multifactorial genes to the names of the other tables; false (with a warning)
// when no mapping is available.
bool map_multifactorial(ParsedTable& p, const Dream4Table& t, GrnExpression& out) {
  const auto ref =
      find_rename_map(t.path.parent_path().empty() ? fs::path(".") : t.path.parent_path(), out.warnings);
  if (!ref) {
    out.warnings.push_back("skipped " + t.path.string() +
                           ": DREAM4 multifactorial data name the genes differently from the other tables, "
                           "and no *_goldstandard_ref.tsv beside it maps the names back");
    return false;
  }
  const auto map = read_rename_map(*ref);
  for (auto& g : p.genes) {
    const auto it = map.find(g);
    if (it == map.end())
      throw InputError("gene '" + g + "' of " + t.path.string() + " is not mapped").file(ref->string());
    g = it->second;
  }
  out.files.push_back(*ref);
  return true;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

GrnExpression read_dream4(std::vector<Dream4Table> tables, const std::string& where,
                          const Progress& progress) {
  std::sort(tables.begin(), tables.end(), [](const Dream4Table& a, const Dream4Table& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.path < b.path;
  });
  for (const auto& t : tables) {
    if (t.prefix != tables.front().prefix) {
      throw InputError("holds tables of two DREAM4 networks ('" + tables.front().prefix + "' and '" +
                       t.prefix + "'): give one network's folder or one table")
          .file(where);
    }
  }
  GrnExpression out;
  out.layout = "dream4";
  std::vector<std::string> sample, condition_labels;
  std::vector<std::string> perturbation;
  std::vector<double> series, time;
  std::vector<float> values;
  std::vector<std::string> genes;
  std::unordered_map<std::string, std::size_t> column_of;
  fs::path genes_from;
  for (std::size_t k = 0; k < tables.size(); ++k) {
    const auto& t = tables[k];
    progress
        .sub(static_cast<double>(k) / static_cast<double>(tables.size()),
             static_cast<double>(k + 1) / static_cast<double>(tables.size()))
        .update(0.0, "reading " + t.path.filename().string());
    auto p = parse_dream4(t);
    if (t.kind == Dream4Kind::multifactorial && !map_multifactorial(p, t, out)) continue;
    if (genes.empty()) {
      genes = p.genes;
      genes_from = t.path;
      for (std::size_t i = 0; i < genes.size(); ++i)
        column_of.emplace(genes[i], i);
    }
    // Columns of this table in the order of the first one.
    std::vector<std::size_t> order(genes.size());
    if (p.genes.size() != genes.size()) {
      throw InputError("names " + std::to_string(p.genes.size()) + " genes, " + genes_from.string() +
                       " names " + std::to_string(genes.size()))
          .file(t.path.string());
    }
    for (std::size_t i = 0; i < p.genes.size(); ++i) {
      const auto it = column_of.find(p.genes[i]);
      if (it == column_of.end()) {
        throw InputError("gene '" + p.genes[i] + "' is not a gene of " + genes_from.string())
            .file(t.path.string());
      }
      order[it->second] = i;
    }
    const auto& suffix = dream4_suffixes[static_cast<std::size_t>(t.kind)];
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      for (std::size_t c = 0; c < genes.size(); ++c)
        values.push_back(p.rows[r][order[c]]);
      condition_labels.emplace_back(suffix.condition);
      const bool perturbed = t.kind == Dream4Kind::knockouts || t.kind == Dream4Kind::knockdowns;
      // Row r perturbs gene r of this table's own header.
      perturbation.push_back(perturbed ? p.genes[r] : std::string());
      const bool timed = t.kind == Dream4Kind::timeseries;
      series.push_back(timed ? p.series[r] : std::nan(""));
      time.push_back(timed ? p.times[r] : std::nan(""));
      std::string name = suffix.condition;
      if (perturbed) {
        name += "_" + p.genes[r];
      } else if (timed) {
        name += std::to_string(p.series[r]) + "_t" + number_text(p.times[r]);
      } else if (p.rows.size() > 1) {
        name += "_" + std::to_string(r + 1);
      }
      sample.push_back(std::move(name));
    }
    out.files.push_back(t.path);
  }
  if (genes.empty())
    throw InputError("no DREAM4 table could be used (" + out.warnings.back() + ")").file(where);
  auto& m = out.matrix;
  const auto rows = static_cast<std::int64_t>(sample.size());
  m.x = Matrix::dense(rows, static_cast<std::int64_t>(genes.size()), std::move(values));
  m.obs.index = std::move(sample);
  m.var.index = std::move(genes);
  m.obs.columns.push_back(Column::categorical_from("condition", condition_labels));
  std::vector<std::string> categories;
  std::vector<std::int32_t> codes;
  std::unordered_map<std::string, std::int32_t> code_of;
  for (const auto& g : perturbation) {
    if (g.empty()) {
      codes.push_back(-1);
      continue;
    }
    const auto [it, added] = code_of.emplace(g, static_cast<std::int32_t>(categories.size()));
    if (added) categories.push_back(g);
    codes.push_back(it->second);
  }
  m.obs.columns.push_back(Column::categorical("perturbation", std::move(categories), std::move(codes)));
  m.obs.columns.push_back(Column::numeric("series", std::move(series)));
  m.obs.columns.push_back(Column::numeric("time", std::move(time)));
  progress.update(1.0);
  return out;
}

std::vector<Dream4Table> dream4_tables_in(const fs::path& folder) {
  std::vector<Dream4Table> tables;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file())
      if (auto t = dream4_table(entry.path())) tables.push_back(std::move(*t));
  }
  return tables;
}

} // namespace

GrnExpression read_grn_expression(const std::filesystem::path& path, const Progress& progress) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError("no such file or directory").file(path.string());
  if (fs::is_directory(path, ec)) {
    if (fs::is_regular_file(path / "ExpressionData.csv"))
      return read_beeline(path / "ExpressionData.csv", progress);
    auto tables = dream4_tables_in(path);
    if (!tables.empty()) return read_dream4(std::move(tables), path.string(), progress);
    if (!detect_expression_format(path)) {
      throw InputError(
          "folder holds no expression data: expected a BEELINE ExpressionData.csv, DREAM4 tables "
          "(*_wildtype.tsv, *_knockouts.tsv, *_knockdowns.tsv, *_timeseries.tsv, "
          "*_multifactorial.tsv) or a 10x matrix.mtx")
          .file(path.string());
    }
  } else {
    if (path.filename() == "ExpressionData.csv") return read_beeline(path, progress);
    if (auto t = dream4_table(path)) return read_dream4({std::move(*t)}, path.string(), progress);
  }
  GrnExpression out;
  const auto format = detect_expression_format(path);
  out.layout = format ? format_name(*format) : "text";
  out.files.push_back(path);
  out.matrix = load_expression(path, {}, progress);
  return out;
}

} // namespace gc::expr
