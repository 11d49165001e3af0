#include "gc/expr/formats.h"

#include "gc/expr/edge_list.h"
#include "gc/expr/h5ad.h"
#include "gc/expr/tenx.h"
#include "gc/hdf5/hdf5.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include "text_fields.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gc::expr {
namespace {

std::string extension_without_gz(const std::filesystem::path& path) {
  auto p = path;
  if (lower(p.extension().string()) == ".gz") p = p.stem();
  return lower(p.extension().string());
}

bool is_number_field(const std::string& s) {
  double v = 0;
  return parse_number(s, v);
}

// The first two non-comment lines look like a header and/or rows of numbers.
bool looks_like_numeric_table(const std::string& head) {
  std::istringstream in(head);
  std::string line;
  std::vector<std::vector<std::string>> rows;
  while (rows.size() < 3 && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const char delim = line.find('\t') != std::string::npos  ? '\t'
                       : line.find(',') != std::string::npos ? ','
                                                             : ' ';
    rows.push_back(split_fields(line, delim));
  }
  // The last collected line may be cut by the 4 KiB window: judge on complete lines.
  if (rows.size() < 2) return false;
  const auto& data = rows[1];
  if (data.size() < 2) return false;
  return std::all_of(data.begin() + 1, data.end(), is_number_field);
}

Json names_json(const std::vector<std::string>& names) {
  Json a = Json::array();
  for (const auto& n : names)
    a.push_back(n);
  return a;
}

} // namespace

std::string format_name(ExpressionFormat f) {
  switch (f) {
  case ExpressionFormat::h5ad: return "h5ad";
  case ExpressionFormat::tenx_h5: return "10x_h5";
  case ExpressionFormat::mtx: return "mtx";
  case ExpressionFormat::csv: return "csv";
  case ExpressionFormat::tsv: return "tsv";
  }
  return "unknown";
}

bool is_anndata(const std::filesystem::path& path) {
  if (!hdf5::File::is_hdf5(path)) return false;
  const auto file = hdf5::File::open(path);
  return file.exists("X") && (file.exists("obs") || file.exists("var"));
}

std::optional<ExpressionFormat> detect_expression_format(const std::filesystem::path& path,
                                                         const std::string& head) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (!find_mtx_matrix(path).empty()) return ExpressionFormat::mtx;
    return std::nullopt;
  }
  const auto name = path.filename().string();
  if (name == "matrix.mtx" || name == "matrix.mtx.gz") return ExpressionFormat::mtx;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  // An empty file is no format (the line reader would reject it as bad input).
  if (std::filesystem::file_size(path, ec) == 0 || ec) return std::nullopt;
  if (hdf5::File::is_hdf5(path)) {
    try {
      if (is_anndata(path)) return ExpressionFormat::h5ad;
      if (is_10x_h5(path)) return ExpressionFormat::tenx_h5;
    } catch (const InputError&) {
      return std::nullopt; // unreadable HDF5: leave it to other providers / the generic error
    }
    return std::nullopt;
  }
  const auto ext = extension_without_gz(path);
  if (ext != ".csv" && ext != ".tsv" && ext != ".txt" && ext != ".tab") return std::nullopt;
  if (lower(path.filename().string()).rfind("pseudotime.", 0) == 0) return std::nullopt;
  if (looks_like_edge_list_header(head.substr(0, head.find('\n')))) return std::nullopt;
  // Wide tables (BEELINE: 500+ cell ids) have a first line longer than the sniffed head:
  // judge on complete lines read from the file.
  std::string lines;
  {
    LineReader reader(path);
    std::string line;
    for (int n = 0; n < 4 && reader.next_line(line);)
      if (!line.empty() && line.front() != '#') {
        lines += line + "\n";
        ++n;
      }
  }
  if (!looks_like_numeric_table(lines)) return std::nullopt;
  const auto first_line = lines.substr(0, lines.find('\n'));
  if (ext == ".csv" || (ext != ".tsv" && ext != ".tab" && first_line.find(',') != std::string::npos &&
                        first_line.find('\t') == std::string::npos))
    return ExpressionFormat::csv;
  return ExpressionFormat::tsv;
}

std::optional<ExpressionFormat> detect_expression_format(const std::filesystem::path& path) {
  std::error_code ec;
  std::string head;
  if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) > 0 && !ec &&
      !hdf5::File::is_hdf5(path)) {
    LineReader reader(path);
    std::string line;
    while (head.size() < 4096 && reader.next_line(line))
      head += line + "\n";
  }
  return detect_expression_format(path, head);
}

ExpressionMatrix load_expression(const std::filesystem::path& path, const LoadOptions& options,
                                 const Progress& progress) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec) || path.filename() == "matrix.mtx" ||
      path.filename() == "matrix.mtx.gz")
    return read_10x_mtx(path, progress);
  if (hdf5::File::is_hdf5(path)) {
    if (is_anndata(path)) return read_h5ad(path, {}, progress);
    if (is_10x_h5(path)) return read_10x_h5(path, options.genome, progress);
    throw InputError("HDF5 file is neither AnnData (.h5ad: X + obs/var) nor a 10x CellRanger matrix")
        .file(path.string());
  }
  return read_text_matrix(path, options.text, nullptr, progress);
}

Json describe_expression(const std::filesystem::path& path, ExpressionFormat format) {
  Json j = Json::object();
  j["format"] = format_name(format);
  switch (format) {
  case ExpressionFormat::h5ad: {
    const auto s = summarize_h5ad(path);
    j["cells"] = s.cells;
    j["genes"] = s.genes;
    j["sparse"] = s.sparse;
    j["x_encoding"] = s.encoding;
    if (s.nnz >= 0) j["nnz"] = s.nnz;
    j["obs_columns"] = names_json(s.obs_columns);
    j["var_columns"] = names_json(s.var_columns);
    j["raw"] = s.has_raw;
    if (s.has_raw) j["raw_genes"] = s.raw_genes;
    return j;
  }
  case ExpressionFormat::tenx_h5: {
    const auto genomes = tenx_genomes(path);
    const auto data = read_10x_h5(path);
    j["cells"] = data.n_cells();
    j["genes"] = data.n_genes();
    j["sparse"] = true;
    j["nnz"] = data.x.nnz();
    j["version"] = genomes.empty() ? "v3" : "v2";
    if (!genomes.empty()) j["genomes"] = names_json(genomes);
    j["var_columns"] = names_json(data.var.column_names());
    return j;
  }
  case ExpressionFormat::mtx: {
    const auto data = read_10x_mtx(path);
    j["cells"] = data.n_cells();
    j["genes"] = data.n_genes();
    j["sparse"] = true;
    j["nnz"] = data.x.nnz();
    j["var_columns"] = names_json(data.var.column_names());
    return j;
  }
  case ExpressionFormat::csv:
  case ExpressionFormat::tsv: {
    TextMatrixLayout layout;
    const auto data = read_text_matrix(path, {}, &layout);
    j["cells"] = data.n_cells();
    j["genes"] = data.n_genes();
    j["sparse"] = false;
    j["nnz"] = data.x.nnz();
    j["delimiter"] = layout.delimiter == '\t' ? "tab" : layout.delimiter == ',' ? "comma" : "whitespace";
    j["orientation"] =
        layout.orientation == Orientation::genes_by_cells ? "genes_by_cells" : "cells_by_genes";
    j["orientation_reason"] = layout.reason;
    return j;
  }
  }
  return j;
}

Json describe_pseudotime(const std::filesystem::path& path) {
  const auto pt = read_pseudotime(path);
  Json j = Json::object();
  j["format"] = "pseudotime";
  j["cells"] = pt.cells.size();
  j["columns"] = names_json(pt.columns);
  Json missing = Json::array();
  for (const auto& col : pt.values)
    missing.push_back(static_cast<std::int64_t>(
        std::count_if(col.begin(), col.end(), [](double v) { return std::isnan(v); })));
  j["missing"] = missing;
  return j;
}

Json describe_edge_list(const std::filesystem::path& path) {
  const auto list = read_edge_list(path);
  Json j = Json::object();
  j["format"] = "edge_list";
  j["edges"] = list.edges.size();
  j["nodes"] = list.nodes.size();
  j["signed"] = list.has_signs;
  j["weighted"] = list.has_weights;
  j["self_loops"] = list.self_loops();
  if (list.has_signs) {
    j["activating"] = static_cast<std::int64_t>(
        std::count_if(list.edges.begin(), list.edges.end(), [](const Edge& e) { return e.sign > 0; }));
    j["repressing"] = static_cast<std::int64_t>(
        std::count_if(list.edges.begin(), list.edges.end(), [](const Edge& e) { return e.sign < 0; }));
  }
  return j;
}

} // namespace gc::expr
