#pragma once
// AnnData .h5ad: reader for the layouts written by anndata 0.6–0.10 (dense, CSR and CSC X,
// raw/X + raw/var, categorical columns in the old `__categories` and the new encoding-type
// layout) and a writer for the anndata ≥ 0.8 encoding.
//
// Files of anndata < 0.7 store obs and var (and raw.var) as compound datasets, one record per
// row: the row names in the field `index`, each column in a field; categorical columns as
// integer codes (-1 = missing) with their labels in uns/<column>_categories (raw.cat/ for
// raw.var), which are then not listed in `uns`; a sparse X marked h5sparse_format/h5sparse_shape.
#include "gc/expr/matrix.h"
#include "gc/util/progress.h"

#include <filesystem>

namespace gc::expr {

struct H5adReadOptions {
  bool read_raw = true;
};

// Throws gc::InputError naming the file and the HDF5 object for missing X, inconsistent
// sparse arrays, mismatched obs/var lengths, unsupported encodings, and compound obs/var
// without an `index` field or with category codes outside their categories.
// Reports to `progress` by stage and, while waiting for a sparse X read outside HDF5, by the
// share of its bytes read; throws gc::Cancelled between stages and between 32 MiB pieces of that
// read. A read through HDF5 (dense or compressed arrays) is one call, checked before and after.
[[nodiscard]] ExpressionMatrix read_h5ad(const std::filesystem::path& path,
                                         const H5adReadOptions& options = {}, const Progress& progress = {});

// X alone (no obs/var/raw/uns), validated as by read_h5ad.
[[nodiscard]] Matrix read_h5ad_x(const std::filesystem::path& path);

struct H5adWriteOptions {
  bool sparse_x = true; // write X as csr_matrix (a dense X is converted); false: dense array
  int compression = 0;  // gzip level for the large arrays (0 = none)
};

// Writes atomically; the same input gives byte-identical files.
void write_h5ad(const std::filesystem::path& path, const ExpressionMatrix& data,
                const H5adWriteOptions& options = {});

// Cheap metadata of an .h5ad (shapes and column names, no matrix values read).
struct H5adSummary {
  std::int64_t cells = 0;
  std::int64_t genes = 0;
  bool sparse = false;
  std::string encoding;  // "array", "csr_matrix", "csc_matrix"
  std::int64_t nnz = -1; // stored entries of a sparse X
  std::vector<std::string> obs_columns;
  std::vector<std::string> var_columns;
  bool has_raw = false;
  std::int64_t raw_genes = 0;
};
[[nodiscard]] H5adSummary summarize_h5ad(const std::filesystem::path& path);

} // namespace gc::expr
