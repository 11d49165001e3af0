#include "gc/expr/h5ad.h"

#include "gc/hdf5/hdf5.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include "h5_common.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <future>
#include <memory>
#include <set>

namespace gc::expr {
namespace {

using hdf5::Dataset;
using hdf5::Group;
using hdf5::TypeClass;

struct SparseLayout {
  bool csc = false;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::string encoding;
};

// anndata ≥ 0.7 marks sparse groups with encoding-type/shape; older files (h5sparse) with
// h5sparse_format ("csr"/"csc") and h5sparse_shape.
std::optional<SparseLayout> sparse_layout(const Group& g) {
  std::string enc = string_attribute_or(g, "encoding-type", "");
  std::string shape_attr = "shape";
  if (enc.empty() && g.has_attribute("h5sparse_format")) {
    enc = g.attribute_string("h5sparse_format") + "_matrix";
    shape_attr = "h5sparse_shape";
  }
  if (enc != "csr_matrix" && enc != "csc_matrix") return std::nullopt;
  if (!g.has_attribute(shape_attr))
    throw g.input_error("sparse matrix without a '" + shape_attr + "' attribute");
  const auto shape = g.attribute_ints(shape_attr);
  if (shape.size() != 2 || shape[0] < 0 || shape[1] < 0)
    throw g.input_error("attribute '" + shape_attr + "' is not a 2-element shape");
  return SparseLayout{enc == "csc_matrix", shape[0], shape[1], enc};
}

// X while it loads. The shape is known at once; a sparse X's two large arrays are read with
// pread and validated on a worker thread while the caller goes on reading obs/var through HDF5
// (HDF5 is not thread-safe here, so every HDF5 call stays on the calling thread).
struct MatrixLoad {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  // Bytes the worker has read so far of the `bytes` it reads outside HDF5 (0: nothing to wait on).
  std::shared_ptr<std::atomic<std::uint64_t>> read = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::uint64_t bytes = 0;
  std::future<Matrix> matrix; // from std::async: destroying it waits, so no worker outlives its load
};

// Below this many stored values the worker thread costs more than it saves.
constexpr std::uint64_t async_min_nnz = 1 << 16;

// `progress` is only checked (on the worker, between pieces of its reads), never reported to: the
// caller reports while it waits, so that the fractions it sends stay in order.
MatrixLoad read_matrix(const Group& parent, const std::string& name, const Progress& progress = {}) {
  if (parent.is_dataset(name)) {
    const Dataset ds = parent.dataset(name);
    const auto shape = ds.shape();
    if (shape.size() != 2) throw ds.input_error("a dense matrix must be 2-dimensional");
    const auto tc = ds.type_class();
    if (tc != TypeClass::integer && tc != TypeClass::floating)
      throw ds.input_error("matrix values are not numeric");
    const auto rows = static_cast<std::int64_t>(shape[0]);
    const auto cols = static_cast<std::int64_t>(shape[1]);
    std::promise<Matrix> done;
    done.set_value(Matrix::dense(rows, cols, ds.read<float>()));
    MatrixLoad out;
    out.rows = rows;
    out.cols = cols;
    out.matrix = done.get_future();
    return out;
  }
  if (!parent.is_group(name)) throw parent.input_error("missing matrix '" + name + "'");
  const Group g = parent.group(name);
  const auto layout = sparse_layout(g);
  if (!layout)
    throw g.input_error("unsupported matrix encoding '" + string_attribute_or(g, "encoding-type", "") +
                        "' (expected csr_matrix or csc_matrix)");
  CsrMatrix m;
  m.rows = layout->csc ? layout->cols : layout->rows;
  m.cols = layout->csc ? layout->rows : layout->cols;
  // Sizes are checked against each other before anything is allocated, so that a corrupt
  // dataspace claiming billions of elements is bad input rather than an allocation failure.
  const Dataset indptr = g.dataset("indptr");
  if (static_cast<std::int64_t>(indptr.size()) != m.rows + 1)
    throw g.input_error("indptr has " + std::to_string(indptr.size()) + " entries but the shape has " +
                        std::to_string(m.rows) + " rows (expected " + std::to_string(m.rows + 1) + ")");
  m.indptr = indptr.read<std::int64_t>();
  const Dataset indices = g.dataset("indices");
  const Dataset data = g.dataset("data");
  if (indices.size() != data.size())
    throw g.input_error("indices (" + std::to_string(indices.size()) + ") and data (" +
                        std::to_string(data.size()) + ") differ in length");
  if (m.indptr.back() != static_cast<std::int64_t>(data.size()))
    throw g.input_error("indptr ends at " + std::to_string(m.indptr.back()) + " but there are " +
                        std::to_string(data.size()) + " stored values");
  // Arrays stored exactly as they are held in memory are read by the worker straight into their
  // final buffers; any other storage (wider indices, compression, ...) goes through HDF5 here.
  if (indices.type_class() != TypeClass::integer) throw indices.input_error("indices are not integers");
  const auto indices_extent = raw_extent(indices, H5T_NATIVE_INT32);
  if (!indices_extent) m.indices = read_indices(indices, m.cols);
  const auto data_extent = raw_extent(data, H5T_NATIVE_FLOAT);
  if (!data_extent) m.data = data.read<float>();
  const auto policy = data.size() >= async_min_nnz ? std::launch::async : std::launch::deferred;
  MatrixLoad out;
  out.rows = layout->rows;
  out.cols = layout->cols;
  out.bytes = (indices_extent ? indices_extent->bytes : 0) + (data_extent ? data_extent->bytes : 0);
  auto load = [m = std::move(m), file = g.file_name(), group = g.path(), indices_path = indices.path(),
               data_path = data.path(), indices_extent, data_extent, csc = layout->csc, read = out.read,
               progress]() mutable {
    const auto on_chunk = [&](std::uint64_t bytes) {
      read->fetch_add(bytes, std::memory_order_relaxed);
      progress.check();
    };
    // Allocating here too moves the page faults of the buffers off the calling thread.
    if (indices_extent) {
      m.indices.resize(indices_extent->bytes / sizeof(std::int32_t));
      read_extent(file, indices_path, *indices_extent, m.indices.data(), on_chunk);
    }
    if (data_extent) {
      m.data.resize(data_extent->bytes / sizeof(float));
      read_extent(file, data_path, *data_extent, m.data.data(), on_chunk);
    }
    m.validate(file, group);
    return Matrix::sparse(csc ? m.transposed() : std::move(m));
  };
  out.matrix = std::async(policy, std::move(load));
  return out;
}

// The loaded matrix, reporting the share of the worker's bytes read while waiting for it. A
// cancellation seen here throws at once; the worker, which checks the same token, stops at its
// next piece, and the future's destructor waits for that.
Matrix finish(MatrixLoad& load, const Progress& progress, const std::string& message) {
  while (load.matrix.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout) {
    const double share =
        load.bytes == 0 ? 0.0 : static_cast<double>(load.read->load()) / static_cast<double>(load.bytes);
    progress.update(share, message);
  }
  Matrix m = load.matrix.get();
  progress.update(1.0, message);
  return m;
}

std::vector<std::string> index_candidates(const Group& g) {
  if (g.has_attribute("_index") && g.attribute_type("_index") == TypeClass::string)
    return {g.attribute_string("_index")};
  return {"_index", "index"};
}

std::string index_name(const Group& g) {
  for (const auto& name : index_candidates(g))
    if (g.is_dataset(name)) return name;
  return {};
}

// Column order as stored; anndata writes an empty float array when there are no columns.
std::vector<std::string> column_names(const Group& g, const std::string& index) {
  if (g.has_attribute("column-order") && g.attribute_type("column-order") == TypeClass::string)
    return g.attribute_strings("column-order");
  std::vector<std::string> names;
  for (auto& child : g.children())
    if (child != index && child != "__categories") names.push_back(child);
  return names;
}

// anndata < 0.7 stored obs and var as compound datasets (numpy record arrays): one record per
// row, the row names in the field "index", the columns in the other fields, categorical columns
// as integer codes whose labels are the dataset <column>_categories of uns (of raw.cat for
// raw.var). The categories datasets consumed are collected in `used`, so that they are not also
// reported as uns entries (anndata drops them too).
struct LegacyCategories {
  std::optional<Group> group;
  std::set<std::string> used;
};

bool is_legacy_frame(const Group& root, const std::string& name) {
  return root.is_dataset(name) && root.dataset(name).type_class() == TypeClass::compound;
}

constexpr const char* legacy_index_field = "index";

struct LegacyLayout {
  TypeClass index_type = TypeClass::string;
  std::vector<hdf5::CompoundField> columns; // in storage order
};

// InputError when the "index" field is missing.
LegacyLayout legacy_layout(const Dataset& ds) {
  LegacyLayout layout;
  layout.columns = ds.compound_fields();
  const auto index = std::find_if(layout.columns.begin(), layout.columns.end(),
                                  [](const auto& f) { return f.name == legacy_index_field; });
  if (index == layout.columns.end())
    throw ds.input_error("compound (anndata < 0.7) data frame without an 'index' field for the row names");
  layout.index_type = index->type;
  layout.columns.erase(index);
  return layout;
}

std::optional<Column> read_legacy_column(const Dataset& ds, const hdf5::CompoundField& field,
                                         LegacyCategories& legacy) {
  switch (field.type) {
  case TypeClass::string: return Column::text_column(field.name, ds.read_field_strings(field.name));
  case TypeClass::integer: {
    const std::string cats_name = field.name + "_categories";
    if (!legacy.group || !legacy.group->is_dataset(cats_name))
      return Column::numeric(field.name, ds.read_field_numbers(field.name));
    const Dataset cats_ds = legacy.group->dataset(cats_name);
    auto categories = read_labels(cats_ds);
    const auto codes = ds.read_field_integers(field.name);
    std::vector<std::int32_t> narrow(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) {
      // -1 is pandas' code for a missing value.
      if (codes[i] < -1 || codes[i] >= static_cast<std::int64_t>(categories.size()))
        throw ds.input_error("categorical column '" + field.name + "' has code " + std::to_string(codes[i]) +
                             " at row " + std::to_string(i) + " but " + cats_ds.path() + " has " +
                             std::to_string(categories.size()) + " categories");
      narrow[i] = static_cast<std::int32_t>(codes[i]);
    }
    legacy.used.insert(cats_name);
    return Column::categorical(field.name, std::move(categories), std::move(narrow));
  }
  case TypeClass::floating:
  case TypeClass::enumeration: return Column::numeric(field.name, ds.read_field_numbers(field.name));
  default:
    log::warning(ds.file_name(), ": ", ds.path(), ": skipping field '", field.name, "' of unsupported type");
    return std::nullopt;
  }
}

Frame read_legacy_frame(const Dataset& ds, std::int64_t rows, LegacyCategories& legacy) {
  if (ds.shape().size() != 1) throw ds.input_error("a compound data frame must be 1-dimensional");
  const auto layout = legacy_layout(ds);
  if (static_cast<std::int64_t>(ds.size()) != rows)
    throw ds.input_error("has " + std::to_string(ds.size()) + " records but the matrix has " +
                         std::to_string(rows) + " rows");
  Frame frame;
  if (layout.index_type == TypeClass::string) {
    frame.index = ds.read_field_strings(legacy_index_field);
  } else if (layout.index_type == TypeClass::integer) {
    for (const auto v : ds.read_field_integers(legacy_index_field))
      frame.index.push_back(std::to_string(v));
  } else {
    throw ds.input_error("the 'index' field holds neither strings nor integers");
  }
  for (const auto& field : layout.columns)
    if (auto column = read_legacy_column(ds, field, legacy)) frame.columns.push_back(std::move(*column));
  return frame;
}

std::optional<Column> read_group_column(const Group& g, const std::string& name) {
  const Group sub = g.group(name);
  const std::string enc = string_attribute_or(sub, "encoding-type", "");
  if (enc == "categorical") {
    auto codes = sub.dataset("codes").read<std::int32_t>();
    bool ordered = false;
    if (sub.has_attribute("ordered")) {
      try {
        ordered = sub.attribute_int("ordered") != 0;
      } catch (const Error&) {
        ordered = false; // h5py's boolean enum may not convert on every HDF5 build; order is cosmetic here
      }
    }
    return Column::categorical(name, read_labels(sub.dataset("categories")), std::move(codes), ordered);
  }
  if (enc == "nullable-integer" || enc == "nullable-boolean" || enc == "nullable-float") {
    auto values = read_numbers(sub.dataset("values"));
    const auto mask = read_numbers(sub.dataset("mask"));
    if (mask.size() != values.size()) throw sub.input_error("mask and values differ in length");
    for (std::size_t i = 0; i < values.size(); ++i)
      if (mask[i] != 0) values[i] = std::nan("");
    return Column::numeric(name, std::move(values));
  }
  log::warning(sub.file_name(), ": ", sub.path(), ": skipping column with unsupported encoding '", enc, "'");
  return std::nullopt;
}

std::optional<Column> read_column(const Group& g, const std::string& name,
                                  const std::optional<Group>& old_categories) {
  if (g.is_group(name)) return read_group_column(g, name);
  if (!g.is_dataset(name)) throw g.input_error("column '" + name + "' listed in column-order is missing");
  const Dataset ds = g.dataset(name);
  if (ds.shape().size() != 1) {
    log::warning(ds.file_name(), ": ", ds.path(), ": skipping a column that is not 1-dimensional");
    return std::nullopt;
  }
  const auto tc = ds.type_class();
  if (tc == TypeClass::string) return Column::text_column(name, ds.read_strings());
  if (tc != TypeClass::integer && tc != TypeClass::floating && tc != TypeClass::enumeration) {
    log::warning(ds.file_name(), ": ", ds.path(), ": skipping a column of unsupported type");
    return std::nullopt;
  }
  // Old layout (anndata < 0.8): the column holds codes, obs/__categories/<name> the categories.
  if (old_categories && old_categories->is_dataset(name))
    return Column::categorical(name, read_labels(old_categories->dataset(name)), ds.read<std::int32_t>());
  return Column::numeric(name, read_numbers(ds));
}

Frame read_frame(const Group& root, const std::string& name, std::int64_t rows, LegacyCategories& legacy) {
  if (is_legacy_frame(root, name)) return read_legacy_frame(root.dataset(name), rows, legacy);
  Frame frame;
  if (!root.is_group(name)) {
    // Files without obs/var are legal AnnData; names default to positions, as anndata does.
    for (std::int64_t i = 0; i < rows; ++i)
      frame.index.push_back(std::to_string(i));
    return frame;
  }
  const Group g = root.group(name);
  const std::string index = index_name(g);
  if (index.empty()) {
    for (std::int64_t i = 0; i < rows; ++i)
      frame.index.push_back(std::to_string(i));
  } else {
    frame.index = read_labels(g.dataset(index));
  }
  if (static_cast<std::int64_t>(frame.index.size()) != rows)
    throw g.input_error("has " + std::to_string(frame.index.size()) + " rows but the matrix has " +
                        std::to_string(rows));
  std::optional<Group> old_categories;
  if (g.is_group("__categories")) old_categories = g.group("__categories");
  for (const auto& col : column_names(g, index)) {
    auto column = read_column(g, col, old_categories);
    if (!column) continue;
    if (static_cast<std::int64_t>(column->size()) != rows)
      throw g.input_error("column '" + col + "' has " + std::to_string(column->size()) +
                          " values, expected " + std::to_string(rows));
    frame.columns.push_back(std::move(*column));
  }
  return frame;
}

// Dimensions of X without reading values.
std::pair<std::int64_t, std::int64_t> matrix_shape(const Group& parent, const std::string& name, bool& sparse,
                                                   std::string& encoding, std::int64_t& nnz) {
  if (parent.is_dataset(name)) {
    const auto shape = parent.dataset(name).shape();
    if (shape.size() != 2) throw parent.dataset(name).input_error("a dense matrix must be 2-dimensional");
    sparse = false;
    encoding = "array";
    return {static_cast<std::int64_t>(shape[0]), static_cast<std::int64_t>(shape[1])};
  }
  const Group g = parent.group(name);
  const auto layout = sparse_layout(g);
  if (!layout) throw g.input_error("unsupported matrix encoding");
  sparse = true;
  encoding = layout->encoding;
  nnz = static_cast<std::int64_t>(g.dataset("data").size());
  return {layout->rows, layout->cols};
}

hdf5::File open_anndata(const std::filesystem::path& path) {
  auto file = hdf5::File::open(path);
  if (!file.exists("X")) throw file.input_error("not an AnnData file: no X matrix");
  return file;
}

// ---- writer ----

void set_encoding(const hdf5::Object& o, const char* type, const char* version) {
  o.set_attribute("encoding-type", type);
  o.set_attribute("encoding-version", version);
}

hdf5::DatasetOptions array_options(std::size_t n, int compression) {
  hdf5::DatasetOptions o;
  if (compression > 0 && n > 0) {
    o.chunk = std::min<std::size_t>(n, 1 << 16);
    o.compression = compression;
  }
  return o;
}

void write_string_array(const Group& g, const std::string& name, const std::vector<std::string>& values) {
  const auto ds = g.write_strings(name, values);
  set_encoding(ds, "string-array", "0.2.0");
}

void write_empty_dict(const Group& g, const std::string& name) {
  set_encoding(g.create_group(name), "dict", "0.1.0");
}

void write_matrix(const Group& parent, const std::string& name, const Matrix& m,
                  const H5adWriteOptions& options) {
  if (!options.sparse_x && !m.is_sparse()) {
    const auto& values = m.dense_values();
    hdf5::DatasetOptions o;
    if (options.compression > 0 && m.rows() > 0) {
      o.chunk = static_cast<std::size_t>(
          std::clamp<std::int64_t>((1 << 16) / std::max<std::int64_t>(m.cols(), 1), 1, m.rows()));
      o.compression = options.compression;
    }
    const auto ds = parent.write_dataset_2d(name, values, static_cast<std::uint64_t>(m.rows()),
                                            static_cast<std::uint64_t>(m.cols()), o);
    set_encoding(ds, "array", "0.2.0");
    return;
  }
  const CsrMatrix converted =
      m.is_sparse() ? CsrMatrix{} : CsrMatrix::from_dense(m.dense_values(), m.rows(), m.cols());
  const CsrMatrix& csr = m.is_sparse() ? m.csr() : converted;
  const Group g = parent.create_group(name);
  set_encoding(g, "csr_matrix", "0.1.0");
  g.set_attribute("shape", std::vector<std::int64_t>{csr.rows, csr.cols});
  const auto opt = array_options(csr.data.size(), options.compression);
  g.write_dataset("data", csr.data, opt);
  g.write_dataset("indices", csr.indices, opt);
  g.write_dataset("indptr", csr.indptr, array_options(csr.indptr.size(), options.compression));
}

void write_codes(const Group& g, const Column& c) {
  // Smallest signed type that holds every code, as pandas does.
  const auto n = c.categories.size();
  hdf5::Dataset ds = [&] {
    if (n < 128) return g.write_dataset("codes", std::vector<std::int8_t>(c.codes.begin(), c.codes.end()));
    if (n < 32768) return g.write_dataset("codes", std::vector<std::int16_t>(c.codes.begin(), c.codes.end()));
    return g.write_dataset("codes", c.codes);
  }();
  set_encoding(ds, "array", "0.2.0");
}

void write_frame(const Group& parent, const std::string& name, const Frame& frame) {
  const Group g = parent.create_group(name);
  g.set_attribute("_index", "_index");
  g.set_attribute("column-order", frame.column_names());
  set_encoding(g, "dataframe", "0.2.0");
  write_string_array(g, "_index", frame.index);
  for (const auto& c : frame.columns) {
    switch (c.kind) {
    case Column::Kind::categorical: {
      const Group cg = g.create_group(c.name);
      set_encoding(cg, "categorical", "0.2.0");
      cg.set_attribute("ordered", static_cast<std::int64_t>(c.ordered ? 1 : 0));
      write_string_array(cg, "categories", c.categories);
      write_codes(cg, c);
      break;
    }
    case Column::Kind::numeric: set_encoding(g.write_dataset(c.name, c.numbers), "array", "0.2.0"); break;
    case Column::Kind::string: write_string_array(g, c.name, c.strings); break;
    }
  }
}

} // namespace

ExpressionMatrix read_h5ad(const std::filesystem::path& path, const H5adReadOptions& options,
                           const Progress& progress) {
  progress.update(0.0, "reading X");
  const auto file = open_anndata(path);
  ExpressionMatrix data;
  auto x = read_matrix(file, "X", progress);
  LegacyCategories uns_categories;
  if (file.is_group("uns")) uns_categories.group = file.group("uns");
  progress.update(0.05, "reading obs");
  data.obs = read_frame(file, "obs", x.rows, uns_categories);
  progress.update(0.1, "reading var");
  data.var = read_frame(file, "var", x.cols, uns_categories);
  progress.update(0.15, "reading raw");
  bool has_raw = false;
  if (options.read_raw) {
    // anndata ≥ 0.7 nests raw in a group; older versions wrote raw.X / raw.var at the root, with
    // raw.var's categories in raw.cat.
    auto read_raw = [&](const Group& holder, const std::string& x_name, const std::string& var_name,
                        LegacyCategories legacy) {
      auto raw_x = read_matrix(holder, x_name, progress);
      if (raw_x.rows != x.rows)
        throw holder.input_error("raw X has " + std::to_string(raw_x.rows) + " cells but X has " +
                                 std::to_string(x.rows));
      RawLayer raw;
      raw.var = read_frame(holder, var_name, raw_x.cols, legacy);
      raw.x = finish(raw_x, progress.sub(0.15, 0.5), "reading raw X");
      data.raw = std::move(raw);
      has_raw = true;
    };
    if (file.is_group("raw") && file.group("raw").exists("X")) {
      read_raw(file.group("raw"), "X", "var", {});
    } else if (file.exists("raw.X")) {
      LegacyCategories raw_categories;
      if (file.is_group("raw.cat")) raw_categories.group = file.group("raw.cat");
      read_raw(file, "raw.X", "raw.var", std::move(raw_categories));
    }
  }
  if (file.is_group("uns")) {
    const Group uns = file.group("uns");
    for (const auto& child : uns.children()) {
      if (!uns.is_dataset(child) || uns_categories.used.count(child) > 0) continue;
      const Dataset ds = uns.dataset(child);
      if (ds.type_class() == TypeClass::string && ds.shape().size() <= 1) data.uns[child] = ds.read_strings();
    }
  }
  data.x = finish(x, progress.sub(has_raw ? 0.5 : 0.15, 0.98), "reading X");
  data.check_consistent(path.string());
  progress.update(1.0, "read " + path.filename().string());
  return data;
}

Matrix read_h5ad_x(const std::filesystem::path& path) {
  return read_matrix(open_anndata(path), "X").matrix.get();
}

H5adSummary summarize_h5ad(const std::filesystem::path& path) {
  const auto file = open_anndata(path);
  H5adSummary s;
  std::tie(s.cells, s.genes) = matrix_shape(file, "X", s.sparse, s.encoding, s.nnz);
  for (const char* name : {"obs", "var"}) {
    auto& columns = std::string(name) == "obs" ? s.obs_columns : s.var_columns;
    if (is_legacy_frame(file, name)) {
      for (const auto& field : legacy_layout(file.dataset(name)).columns)
        columns.push_back(field.name);
      continue;
    }
    if (!file.is_group(name)) continue;
    const Group g = file.group(name);
    columns = column_names(g, index_name(g));
  }
  if (file.is_group("raw") && file.group("raw").exists("X")) {
    bool sparse = false;
    std::string encoding;
    std::int64_t nnz = -1;
    s.has_raw = true;
    s.raw_genes = matrix_shape(file.group("raw"), "X", sparse, encoding, nnz).second;
  }
  return s;
}

void write_h5ad(const std::filesystem::path& path, const ExpressionMatrix& data,
                const H5adWriteOptions& options) {
  data.check_consistent(path.string());
  write_atomically(path, [&](const std::filesystem::path& temp) {
    const auto file = hdf5::File::open(temp, hdf5::File::Mode::create);
    set_encoding(file, "anndata", "0.1.0");
    write_matrix(file, "X", data.x, options);
    write_frame(file, "obs", data.obs);
    write_frame(file, "var", data.var);
    for (const char* dict : {"layers", "obsm", "obsp", "varm", "varp"})
      write_empty_dict(file, dict);
    const Group uns = file.create_group("uns");
    set_encoding(uns, "dict", "0.1.0");
    for (const auto& [key, values] : data.uns)
      write_string_array(uns, key, values);
    if (data.raw) {
      const Group raw = file.create_group("raw");
      set_encoding(raw, "raw", "0.1.0");
      write_matrix(raw, "X", data.raw->x, options);
      write_frame(raw, "var", data.raw->var);
      write_empty_dict(raw, "varm");
    }
    file.flush();
  });
}

} // namespace gc::expr
