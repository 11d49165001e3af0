#include "gc/expr/text_matrix.h"

#include "gc/util/line_reader.h"
#include "gc/util/step_progress.h"

#include "text_fields.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace gc::expr {
namespace {

struct Table {
  std::vector<std::string> comments; // comment lines before the first data line, without '#'
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> line_numbers;
  char delimiter = ',';
};

std::string extension_without_gz(const std::filesystem::path& path) {
  auto p = path;
  if (lower(p.extension().string()) == ".gz") p = p.stem();
  return lower(p.extension().string());
}

Table read_table(const std::filesystem::path& path, char delimiter, const Progress& progress = {}) {
  Table t;
  const auto ext = extension_without_gz(path);
  if (delimiter == 0) {
    if (ext == ".csv")
      delimiter = ',';
    else if (ext == ".tsv" || ext == ".tab")
      delimiter = '\t';
  }
  LineReader reader(path);
  // Expression tables have few, wide lines (a row can hold thousands of values): check often.
  StepProgress steps(progress, "reading " + path.filename().string(), 16);
  std::string line;
  while (reader.next_line(line)) {
    steps.tick([&] { return reader.fraction(); });
    if (line.empty() || line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line.front() == '#') {
      if (t.rows.empty()) t.comments.push_back(line.substr(1));
      continue;
    }
    if (delimiter == 0)
      delimiter = line.find('\t') != std::string::npos  ? '\t'
                  : line.find(',') != std::string::npos ? ','
                                                        : ' ';
    t.rows.push_back(split_fields(line, delimiter));
    t.line_numbers.push_back(reader.line_number());
  }
  t.delimiter = delimiter == 0 ? ',' : delimiter;
  if (t.rows.empty()) throw InputError("no data lines").file(path.string());
  return t;
}

bool is_number(const std::string& s) {
  double v = 0;
  return !s.empty() && parse_number(s, v);
}

bool is_row_counter(const std::vector<std::vector<std::string>>& rows, std::size_t first) {
  if (first >= rows.size()) return false;
  double start = 0;
  double prev = 0;
  for (std::size_t i = first; i < rows.size(); ++i) {
    double v = 0;
    if (rows[i].empty() || !parse_number(rows[i][0], v) || std::isnan(v) || v != std::floor(v)) return false;
    if (i == first) {
      if (v != 0 && v != 1) return false;
      start = v;
    } else if (v != prev + 1 && v != start) {
      return false;
    }
    prev = v;
  }
  return true;
}

std::set<std::string> pseudotime_cells(const std::filesystem::path& matrix_path) {
  const auto sibling = matrix_path.parent_path() / "PseudoTime.csv";
  if (!std::filesystem::is_regular_file(sibling)) return {};
  const auto pt = read_pseudotime(sibling);
  return {pt.cells.begin(), pt.cells.end()};
}

std::size_t overlap(const std::vector<std::string>& names, const std::set<std::string>& ids) {
  return static_cast<std::size_t>(
      std::count_if(names.begin(), names.end(), [&](const auto& n) { return ids.count(n) > 0; }));
}

} // namespace

Orientation parse_orientation(const std::string& text) {
  const auto t = lower(text);
  if (t == "auto" || t.empty()) return Orientation::automatic;
  if (t == "cells-by-genes" || t == "cells_by_genes" || t == "cells" || t == "obs")
    return Orientation::cells_by_genes;
  if (t == "genes-by-cells" || t == "genes_by_cells" || t == "genes" || t == "var")
    return Orientation::genes_by_cells;
  throw InputError("unknown orientation '" + text + "' (use auto, cells-by-genes or genes-by-cells)");
}

ExpressionMatrix read_text_matrix(const std::filesystem::path& path, const TextMatrixOptions& options,
                                  TextMatrixLayout* layout_out, const Progress& progress) {
  progress.update(0.0, "reading " + path.filename().string());
  // Splitting the lines into fields is most of the work; parsing the numbers the rest.
  const Table t = read_table(path, options.delimiter, progress.sub(0.0, 0.7));
  TextMatrixLayout layout;
  layout.delimiter = t.delimiter;

  // Header: the first line unless it is all numbers (then possibly the last comment line).
  const auto& first = t.rows.front();
  const bool first_is_header =
      first.front().empty() ||
      std::any_of(first.begin() + 1, first.end(), [](const auto& f) { return !is_number(f); }) ||
      (first.size() == 1 && !is_number(first.front()));
  std::vector<std::string> header;
  std::size_t data_begin = 0;
  if (first_is_header) {
    header = first;
    data_begin = 1;
  } else if (!t.comments.empty()) {
    auto candidate = split_fields(t.comments.back(), ' ');
    if (candidate.size() == first.size() || candidate.size() + 1 == first.size()) {
      header = std::move(candidate);
      layout.header_from_comment = true;
    }
  }
  if (data_begin >= t.rows.size()) throw InputError("header but no data lines").file(path.string());
  const std::size_t width = t.rows[data_begin].size();

  bool names = false;
  if (options.first_column_names >= 0) {
    names = options.first_column_names == 1;
  } else {
    names = (!header.empty() && (header.front().empty() || header.size() + 1 == width)) ||
            std::any_of(t.rows.begin() + static_cast<std::ptrdiff_t>(data_begin), t.rows.end(),
                        [](const auto& r) { return !r.empty() && !is_number(r.front()); }) ||
            is_row_counter(t.rows, data_begin);
  }
  const std::size_t value_cols = names ? width - 1 : width;
  if (value_cols == 0) throw InputError("no value columns").file(path.string());

  std::vector<std::string> row_names;
  std::vector<float> values;
  const std::size_t n_rows = t.rows.size() - data_begin;
  values.reserve(n_rows * value_cols);
  StepProgress parsing(progress.sub(0.7, 0.95), "parsing " + path.filename().string(), 256);
  for (std::size_t i = data_begin; i < t.rows.size(); ++i) {
    parsing.tick([&] { return static_cast<double>(i - data_begin) / static_cast<double>(n_rows); });
    const auto& r = t.rows[i];
    const std::string where = "line " + std::to_string(t.line_numbers[i]);
    if (r.size() != width)
      throw InputError("expected " + std::to_string(width) + " fields, found " + std::to_string(r.size()))
          .file(path.string())
          .record(where);
    row_names.push_back(names ? r.front() : std::to_string(i - data_begin));
    for (std::size_t c = names ? 1 : 0; c < r.size(); ++c) {
      double v = 0;
      if (!parse_number(r[c], v))
        throw InputError("field " + std::to_string(c + 1) + " ('" + r[c] + "') is not a number")
            .file(path.string())
            .record(where);
      values.push_back(static_cast<float>(v));
    }
  }
  std::vector<std::string> col_names;
  if (header.size() == value_cols + 1 && (names || header.size() == width + 1))
    col_names.assign(header.begin() + 1, header.end());
  else if (header.size() == value_cols)
    col_names = header;
  else if (!header.empty())
    throw InputError("the header has " + std::to_string(header.size()) + " fields but rows have " +
                     std::to_string(width))
        .file(path.string())
        .record("header");
  else
    for (std::size_t c = 0; c < value_cols; ++c)
      col_names.push_back(std::to_string(c));

  Orientation o = options.orientation;
  if (o == Orientation::automatic) {
    const std::string first_field = header.empty() ? std::string() : lower(header.front());
    const auto pt = pseudotime_cells(path);
    if (path.filename() == "ExpressionData.csv") {
      o = Orientation::genes_by_cells;
      layout.reason = "BEELINE ExpressionData.csv (genes × cells)";
    } else if (!pt.empty() && overlap(col_names, pt) != overlap(row_names, pt)) {
      o = overlap(col_names, pt) > overlap(row_names, pt) ? Orientation::genes_by_cells
                                                          : Orientation::cells_by_genes;
      layout.reason = "cell ids of the neighbouring PseudoTime.csv";
    } else if (first_field == "gene" || first_field == "genes" || first_field == "gene_id" ||
               first_field == "symbol" || first_field == "feature" || first_field == "gene_name") {
      o = Orientation::genes_by_cells;
      layout.reason = "header names the rows '" + header.front() + "'";
    } else if (first_field == "cell" || first_field == "cells" || first_field == "barcode" ||
               first_field == "cell_id") {
      o = Orientation::cells_by_genes;
      layout.reason = "header names the rows '" + header.front() + "'";
    } else {
      o = Orientation::cells_by_genes;
      layout.reason = "default (rows are cells)";
    }
  } else {
    layout.reason = "given";
  }
  layout.orientation = o;

  ExpressionMatrix out;
  const auto rows = static_cast<std::int64_t>(n_rows);
  const auto cols = static_cast<std::int64_t>(value_cols);
  if (o == Orientation::cells_by_genes) {
    out.x = Matrix::dense(rows, cols, std::move(values));
    out.obs.index = std::move(row_names);
    out.var.index = std::move(col_names);
  } else {
    std::vector<float> transposed(values.size());
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t c = 0; c < cols; ++c)
        transposed[static_cast<std::size_t>(c * rows + r)] = values[static_cast<std::size_t>(r * cols + c)];
    out.x = Matrix::dense(cols, rows, std::move(transposed));
    out.obs.index = std::move(col_names);
    out.var.index = std::move(row_names);
  }
  if (layout_out) *layout_out = layout;
  progress.update(1.0, "read " + path.filename().string());
  return out;
}

std::vector<double> PseudoTime::combined() const {
  std::vector<double> out(cells.size(), std::nan(""));
  for (std::size_t i = 0; i < cells.size(); ++i)
    for (const auto& col : values)
      if (!std::isnan(col[i])) {
        out[i] = col[i];
        break;
      }
  return out;
}

PseudoTime read_pseudotime(const std::filesystem::path& path) {
  const Table t = read_table(path, 0);
  const auto& header = t.rows.front();
  // Two layouts: the header names the cell column too (",PseudoTime0,..." in BEELINE's Synthetic
  // folders), or it names only the value columns and the rows start with an unnamed row index
  // (pandas/R write.csv; "PseudoTime1,PseudoTime2" in the Simulated folders). The first data
  // row tells them apart: it has one field more than the header in the second layout.
  const bool unnamed_index = t.rows.size() > 1 && t.rows[1].size() == header.size() + 1;
  const std::size_t width = unnamed_index ? header.size() + 1 : header.size();
  if (width < 2)
    throw InputError("expected a header 'cell,PseudoTime...'").file(path.string()).record("line 1");
  PseudoTime pt;
  pt.columns.assign(header.begin() + (unnamed_index ? 0 : 1), header.end());
  pt.values.resize(pt.columns.size());
  for (std::size_t i = 1; i < t.rows.size(); ++i) {
    auto r = t.rows[i];
    const std::string where = "line " + std::to_string(t.line_numbers[i]);
    // A trailing empty field may be dropped by some writers; treat it as missing.
    if (r.size() + 1 == width) r.emplace_back();
    if (r.size() != width)
      throw InputError("expected " + std::to_string(width) + " fields, found " + std::to_string(r.size()))
          .file(path.string())
          .record(where);
    pt.cells.push_back(r.front());
    for (std::size_t c = 1; c < r.size(); ++c) {
      double v = 0;
      if (!parse_number(r[c], v))
        throw InputError("pseudotime '" + r[c] + "' is not a number").file(path.string()).record(where);
      pt.values[c - 1].push_back(v);
    }
  }
  return pt;
}

} // namespace gc::expr
