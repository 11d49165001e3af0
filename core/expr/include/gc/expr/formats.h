#pragma once
// Format detection and one-call loading/summaries of expression files, for `info` and for
// callers that accept "any expression file".
#include "gc/expr/matrix.h"
#include "gc/expr/text_matrix.h"
#include "gc/util/json.h"

#include <filesystem>
#include <optional>
#include <string>

namespace gc::expr {

enum class ExpressionFormat { h5ad, tenx_h5, mtx, csv, tsv };

[[nodiscard]] std::string format_name(ExpressionFormat f); // "h5ad", "10x_h5", "mtx", "csv", "tsv"

// Looks at the content: HDF5 files only when they have the AnnData (X + obs/var) or 10x layout
// (a cooler file is HDF5 too and is not claimed); folders or files named matrix.mtx(.gz);
// .csv/.tsv/.txt/.tab (optionally .gz) whose first rows look like a numeric table. `head` is
// the start of the (decompressed) file, or empty for folders.
[[nodiscard]] std::optional<ExpressionFormat> detect_expression_format(const std::filesystem::path& path,
                                                                       const std::string& head);
// Same, reading the head itself (gzip-transparent).
[[nodiscard]] std::optional<ExpressionFormat> detect_expression_format(const std::filesystem::path& path);
[[nodiscard]] bool is_anndata(const std::filesystem::path& path);

struct LoadOptions {
  TextMatrixOptions text;
  std::string genome; // 10x v2 files with several genomes
};
// Reports to `progress` and throws gc::Cancelled as the reader of the format does.
[[nodiscard]] ExpressionMatrix load_expression(const std::filesystem::path& path,
                                               const LoadOptions& options = {},
                                               const Progress& progress = {});

// {"format", "cells", "genes", "sparse", "nnz", "obs_columns", ...} without reading the values
// of HDF5 matrices.
[[nodiscard]] Json describe_expression(const std::filesystem::path& path, ExpressionFormat format);
// BEELINE PseudoTime.csv: {"format": "pseudotime", "cells", "columns", "missing"}.
[[nodiscard]] Json describe_pseudotime(const std::filesystem::path& path);
[[nodiscard]] Json describe_edge_list(const std::filesystem::path& path);

} // namespace gc::expr
