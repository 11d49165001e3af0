#include "gc/expr/tenx.h"

#include "gc/hdf5/hdf5.h"
#include "gc/util/line_reader.h"
#include "gc/util/log.h"
#include "gc/util/step_progress.h"

#include "h5_common.h"
#include "text_fields.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gc::expr {
namespace {

using hdf5::Group;

bool is_v2_genome_group(const Group& g) {
  for (const char* name : {"barcodes", "data", "indices", "indptr", "shape", "genes"})
    if (!g.is_dataset(name)) return false;
  return true;
}

bool is_v3_group(const Group& root) {
  if (!root.is_group("matrix")) return false;
  const Group m = root.group("matrix");
  for (const char* name : {"barcodes", "data", "indices", "indptr", "shape"})
    if (!m.is_dataset(name)) return false;
  return m.is_group("features") && m.is_dataset("features/name");
}

std::vector<std::string> genome_groups(const Group& root) {
  std::vector<std::string> out;
  for (const auto& child : root.children())
    if (root.is_group(child) && is_v2_genome_group(root.group(child))) out.push_back(child);
  return out;
}

// Each array is one HDF5 read (CellRanger compresses them): progress by array, weighted by size.
ExpressionMatrix read_group(const Group& g, bool v3, const Progress& progress) {
  const auto shape = g.dataset("shape").read<std::int64_t>();
  if (shape.size() != 2) throw g.dataset("shape").input_error("shape must have 2 entries (genes, cells)");
  // Stored as CSC genes × cells: column pointers run over cells, which is CSR cells × genes.
  CsrMatrix m;
  m.rows = shape[1];
  m.cols = shape[0];
  progress.update(0.0, "reading indptr");
  m.indptr = g.dataset("indptr").read<std::int64_t>();
  progress.update(0.05, "reading indices");
  m.indices = read_indices(g.dataset("indices"), m.cols);
  progress.update(0.45, "reading data");
  m.data = g.dataset("data").read<float>();
  progress.update(0.85, "checking the matrix");
  m.validate(g.file_name(), g.path());
  ExpressionMatrix out;
  out.x = Matrix::sparse(std::move(m));
  progress.update(0.9, "reading barcodes and features");
  out.obs.index = read_labels(g.dataset("barcodes"));
  if (v3) {
    const Group f = g.group("features");
    out.var.index = read_labels(f.dataset("name"));
    if (f.is_dataset("id"))
      out.var.columns.push_back(Column::text_column("gene_ids", read_labels(f.dataset("id"))));
    if (f.is_dataset("feature_type"))
      out.var.columns.push_back(
          Column::categorical_from("feature_types", read_labels(f.dataset("feature_type"))));
    if (f.is_dataset("genome"))
      out.var.columns.push_back(Column::categorical_from("genome", read_labels(f.dataset("genome"))));
  } else {
    const auto ids = read_labels(g.dataset("genes"));
    out.var.index = g.is_dataset("gene_names") ? read_labels(g.dataset("gene_names")) : ids;
    out.var.columns.push_back(Column::text_column("gene_ids", ids));
  }
  out.check_consistent(g.file_name());
  progress.update(1.0, "read " + std::filesystem::path(g.file_name()).filename().string());
  return out;
}

std::filesystem::path first_existing(const std::filesystem::path& folder,
                                     std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (std::filesystem::is_regular_file(folder / n)) return folder / n;
  return {};
}

std::vector<std::vector<std::string>> read_tsv(const std::filesystem::path& path, const Progress& progress) {
  LineReader reader(path);
  StepProgress steps(progress, "reading " + path.filename().string());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (reader.next_line(line)) {
    steps.tick([&] { return reader.fraction(); });
    if (line.empty()) continue;
    rows.push_back(split_fields(line, '\t'));
  }
  return rows;
}

} // namespace

bool is_10x_h5(const std::filesystem::path& path) {
  if (!hdf5::File::is_hdf5(path)) return false;
  const auto file = hdf5::File::open(path);
  return is_v3_group(file) || !genome_groups(file).empty();
}

std::vector<std::string> tenx_genomes(const std::filesystem::path& path) {
  const auto file = hdf5::File::open(path);
  return genome_groups(file);
}

ExpressionMatrix read_10x_h5(const std::filesystem::path& path, const std::string& genome,
                             const Progress& progress) {
  const auto file = hdf5::File::open(path);
  if (is_v3_group(file)) return read_group(file.group("matrix"), true, progress);
  const auto genomes = genome_groups(file);
  if (genomes.empty())
    throw file.input_error("not a 10x CellRanger matrix (no matrix/ group and no genome group with "
                           "barcodes/data/indices/indptr/shape/genes)");
  if (!genome.empty()) {
    if (std::find(genomes.begin(), genomes.end(), genome) == genomes.end())
      throw file.input_error("no genome '" + genome + "' in the file");
    return read_group(file.group(genome), false, progress);
  }
  if (genomes.size() > 1)
    log::warning(path.string(), ": ", genomes.size(), " genomes; reading '", genomes.front(),
                 "' (choose another with the genome option)");
  return read_group(file.group(genomes.front()), false, progress);
}

MatrixMarketHeader read_matrix_market_header(const std::filesystem::path& path) {
  LineReader reader(path);
  std::string line;
  if (!reader.next_line(line)) throw reader.error("empty MatrixMarket file");
  const auto banner = split_fields(lower(line), ' ');
  if (banner.size() < 5 || banner[0] != "%%matrixmarket" || banner[1] != "matrix")
    throw reader.error("missing '%%MatrixMarket matrix ...' banner");
  if (banner[2] != "coordinate") throw reader.error("only coordinate MatrixMarket files are supported");
  MatrixMarketHeader h;
  h.field = banner[3];
  if (h.field != "integer" && h.field != "real" && h.field != "pattern")
    throw reader.error("unsupported MatrixMarket field '" + banner[3] + "'");
  if (banner[4] != "general") throw reader.error("only 'general' MatrixMarket symmetry is supported");
  while (reader.next_line(line)) {
    if (line.empty() || line.front() == '%') continue;
    const auto f = split_fields(line, ' ');
    double r = 0, c = 0, n = 0;
    if (f.size() != 3 || !parse_number(f[0], r) || !parse_number(f[1], c) || !parse_number(f[2], n) ||
        std::isnan(r) || std::isnan(c) || std::isnan(n) || r < 0 || c < 0 || n < 0)
      throw reader.error("expected the size line 'ROWS COLS ENTRIES'");
    h.rows = static_cast<std::int64_t>(r);
    h.cols = static_cast<std::int64_t>(c);
    h.nnz = static_cast<std::int64_t>(n);
    return h;
  }
  throw reader.error("missing the size line");
}

CsrMatrix read_matrix_market(const std::filesystem::path& path, bool transpose, const Progress& progress) {
  progress.update(0.0, "reading " + path.filename().string());
  const auto header = read_matrix_market_header(path);
  LineReader reader(path);
  // Reading the lines is most of the work; sorting them into rows the rest.
  StepProgress steps(progress.sub(0.0, 0.85), "reading " + path.filename().string());
  std::string line;
  bool size_seen = false;
  std::vector<std::int64_t> out_rows;
  std::vector<std::int32_t> out_cols;
  std::vector<float> values;
  out_rows.reserve(static_cast<std::size_t>(header.nnz));
  out_cols.reserve(static_cast<std::size_t>(header.nnz));
  values.reserve(static_cast<std::size_t>(header.nnz));
  const std::int64_t n_rows = transpose ? header.cols : header.rows;
  const std::int64_t n_cols = transpose ? header.rows : header.cols;
  const bool pattern = header.field == "pattern";
  while (reader.next_line(line)) {
    steps.tick([&] { return reader.fraction(); });
    if (line.empty() || line.front() == '%') continue;
    if (!size_seen) {
      size_seen = true;
      continue;
    }
    const auto f = split_fields(line, ' ');
    if (f.size() != (pattern ? 2U : 3U))
      throw reader.error("expected " + std::string(pattern ? "ROW COL" : "ROW COL VALUE") + ", got " +
                         std::to_string(f.size()) + " fields");
    double r = 0, c = 0, v = 1;
    if (!parse_number(f[0], r) || !parse_number(f[1], c) || (!pattern && !parse_number(f[2], v)) ||
        std::isnan(r) || std::isnan(c) || r != std::floor(r) || c != std::floor(c))
      throw reader.error("malformed entry '" + line + "'");
    if (r < 1 || r > static_cast<double>(header.rows) || c < 1 || c > static_cast<double>(header.cols))
      throw reader.error("entry (" + f[0] + ", " + f[1] + ") outside the declared " +
                         std::to_string(header.rows) + " × " + std::to_string(header.cols) + " matrix");
    if (static_cast<std::int64_t>(values.size()) == header.nnz)
      throw reader.error("more entries than the " + std::to_string(header.nnz) + " declared");
    const auto row = static_cast<std::int64_t>(transpose ? c : r) - 1;
    const auto col = static_cast<std::int64_t>(transpose ? r : c) - 1;
    out_rows.push_back(row);
    out_cols.push_back(static_cast<std::int32_t>(col));
    values.push_back(static_cast<float>(v));
  }
  if (static_cast<std::int64_t>(values.size()) != header.nnz)
    throw InputError("the header declares " + std::to_string(header.nnz) + " entries but the file has " +
                     std::to_string(values.size()) + " (truncated?)")
        .file(path.string());
  progress.update(0.85, "sorting " + path.filename().string());
  // Counting sort by row, then sort each row by column (files need not be ordered).
  CsrMatrix m;
  m.rows = n_rows;
  m.cols = n_cols;
  m.indptr.assign(static_cast<std::size_t>(n_rows) + 1, 0);
  for (const auto r : out_rows)
    ++m.indptr[static_cast<std::size_t>(r) + 1];
  std::partial_sum(m.indptr.begin(), m.indptr.end(), m.indptr.begin());
  m.indices.resize(values.size());
  m.data.resize(values.size());
  std::vector<std::int64_t> next(m.indptr.begin(), m.indptr.end() - 1);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto dst = static_cast<std::size_t>(next[static_cast<std::size_t>(out_rows[k])]++);
    m.indices[dst] = out_cols[k];
    m.data[dst] = values[k];
  }
  std::vector<std::pair<std::int32_t, float>> tmp;
  StepProgress sorting(progress.sub(0.85, 1.0), "sorting " + path.filename().string());
  for (std::int64_t r = 0; r < n_rows; ++r) {
    sorting.tick([&] { return static_cast<double>(r) / static_cast<double>(n_rows); });
    const auto b = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r)]);
    const auto e = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r) + 1]);
    if (std::is_sorted(m.indices.begin() + static_cast<std::ptrdiff_t>(b),
                       m.indices.begin() + static_cast<std::ptrdiff_t>(e)))
      continue;
    tmp.clear();
    for (auto k = b; k < e; ++k)
      tmp.emplace_back(m.indices[k], m.data[k]);
    std::sort(tmp.begin(), tmp.end(), [](const auto& a, const auto& b2) { return a.first < b2.first; });
    for (auto k = b; k < e; ++k) {
      m.indices[k] = tmp[k - b].first;
      m.data[k] = tmp[k - b].second;
    }
  }
  progress.update(1.0, "read " + path.filename().string());
  return m;
}

std::filesystem::path find_mtx_matrix(const std::filesystem::path& folder) {
  if (!std::filesystem::is_directory(folder)) return {};
  return first_existing(folder, {"matrix.mtx", "matrix.mtx.gz"});
}

ExpressionMatrix read_10x_mtx(const std::filesystem::path& path, const Progress& progress) {
  const bool is_dir = std::filesystem::is_directory(path);
  const auto folder = is_dir ? path : path.parent_path();
  const auto matrix = is_dir ? find_mtx_matrix(folder) : path;
  if (matrix.empty()) throw InputError("no matrix.mtx or matrix.mtx.gz in the folder").file(folder.string());
  const auto genes = first_existing(folder, {"features.tsv.gz", "features.tsv", "genes.tsv", "genes.tsv.gz"});
  const auto barcodes = first_existing(folder, {"barcodes.tsv.gz", "barcodes.tsv"});
  if (genes.empty())
    throw InputError("no features.tsv(.gz) or genes.tsv next to the matrix").file(folder.string());
  if (barcodes.empty()) throw InputError("no barcodes.tsv(.gz) next to the matrix").file(folder.string());

  ExpressionMatrix out;
  out.x = Matrix::sparse(read_matrix_market(matrix, true, progress.sub(0.0, 0.9)));
  const auto gene_rows = read_tsv(genes, progress.sub(0.9, 0.95));
  std::vector<std::string> ids, types;
  for (const auto& f : gene_rows) {
    ids.push_back(f[0]);
    out.var.index.push_back(f.size() >= 2 ? f[1] : f[0]);
    if (f.size() >= 3) types.push_back(f[2]);
  }
  out.var.columns.push_back(Column::text_column("gene_ids", std::move(ids)));
  if (!types.empty()) {
    if (types.size() != gene_rows.size())
      throw InputError("some feature rows lack the feature-type column").file(genes.string());
    out.var.columns.push_back(Column::categorical_from("feature_types", types));
  }
  for (const auto& f : read_tsv(barcodes, progress.sub(0.95, 1.0)))
    out.obs.index.push_back(f[0]);
  if (static_cast<std::int64_t>(out.var.index.size()) != out.x.cols())
    throw InputError(std::to_string(out.var.index.size()) + " features but the matrix has " +
                     std::to_string(out.x.cols()) + " rows")
        .file(genes.string());
  if (static_cast<std::int64_t>(out.obs.index.size()) != out.x.rows())
    throw InputError(std::to_string(out.obs.index.size()) + " barcodes but the matrix has " +
                     std::to_string(out.x.rows()) + " columns")
        .file(barcodes.string());
  progress.update(1.0, "read the 10x matrix");
  return out;
}

} // namespace gc::expr
