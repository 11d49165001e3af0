#pragma once
// 10x Genomics CellRanger outputs: the HDF5 matrix (v2: one group per genome; v3: `matrix/`
// with `features/`) and MatrixMarket folders (v2: matrix.mtx + genes.tsv + barcodes.tsv;
// v3: gzip-compressed with features.tsv.gz). Files are genes × cells; results are cells × genes,
// with var names = gene symbols and var columns `gene_ids` (and `feature_types`, `genome`).
#include "gc/expr/matrix.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gc::expr {

// True when the HDF5 file has the CellRanger v2 or v3 layout.
[[nodiscard]] bool is_10x_h5(const std::filesystem::path& path);
// Genome groups of a v2 file ({} for v3).
[[nodiscard]] std::vector<std::string> tenx_genomes(const std::filesystem::path& path);
// `genome` selects the group of a v2 file with several genomes (default: the first by name).
// Reports to `progress` per array; each array is one HDF5 read, with cancellation checked
// between them.
[[nodiscard]] ExpressionMatrix read_10x_h5(const std::filesystem::path& path, const std::string& genome = "",
                                           const Progress& progress = {});

// The matrix file of a 10x folder (matrix.mtx or matrix.mtx.gz), or empty when there is none.
[[nodiscard]] std::filesystem::path find_mtx_matrix(const std::filesystem::path& folder);
// `path` is the folder or its matrix.mtx(.gz). Reports and checks cancellation as
// read_matrix_market does.
[[nodiscard]] ExpressionMatrix read_10x_mtx(const std::filesystem::path& path, const Progress& progress = {});

// A MatrixMarket coordinate file (integer, real or pattern; general), returned transposed when
// `transpose` is set (10x stores genes × cells). Throws gc::InputError naming file and line.
// Reports the share of the file read to `progress` and throws gc::Cancelled within a few
// thousand lines of a cancel.
[[nodiscard]] CsrMatrix read_matrix_market(const std::filesystem::path& path, bool transpose,
                                           const Progress& progress = {});

struct MatrixMarketHeader {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t nnz = 0;
  std::string field; // integer, real, pattern
};
[[nodiscard]] MatrixMarketHeader read_matrix_market_header(const std::filesystem::path& path);

} // namespace gc::expr
