#pragma once
// Expression matrices: cells × genes, dense (row-major) or sparse (CSR), with obs (cell) and
// var (gene) annotation tables, as read from .h5ad, 10x, MatrixMarket and CSV/TSV files.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gc::expr {

// Compressed sparse rows: row r holds indices/data[indptr[r], indptr[r+1]).
struct CsrMatrix {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<std::int64_t> indptr{0};
  std::vector<std::int32_t> indices;
  std::vector<float> data;

  [[nodiscard]] std::int64_t nnz() const noexcept { return static_cast<std::int64_t>(data.size()); }
  // Throws gc::InputError naming `file` and `object` when the arrays are inconsistent
  // (indptr length, monotonicity, final value, column indices out of range).
  void validate(const std::string& file, const std::string& object) const;
  // Columns become rows (used for CSC input and for genes × cells files).
  [[nodiscard]] CsrMatrix transposed() const;
  [[nodiscard]] static CsrMatrix from_dense(const std::vector<float>& values, std::int64_t rows,
                                            std::int64_t cols);
};

// Storage of X: one of dense row-major values or CSR.
class Matrix {
public:
  Matrix() = default;
  [[nodiscard]] static Matrix dense(std::int64_t rows, std::int64_t cols, std::vector<float> values);
  [[nodiscard]] static Matrix sparse(CsrMatrix csr);

  [[nodiscard]] bool is_sparse() const noexcept { return m_sparse; }
  [[nodiscard]] std::int64_t rows() const noexcept { return m_rows; }
  [[nodiscard]] std::int64_t cols() const noexcept { return m_cols; }
  // Stored entries: CSR nnz, or the count of non-zero values of a dense matrix.
  [[nodiscard]] std::int64_t nnz() const noexcept;
  // Throws std::logic_error when the storage is the other kind.
  [[nodiscard]] const std::vector<float>& dense_values() const;
  [[nodiscard]] const CsrMatrix& csr() const;

  [[nodiscard]] float at(std::int64_t row, std::int64_t col) const;
  [[nodiscard]] std::vector<float> row(std::int64_t row) const;
  [[nodiscard]] std::vector<float> column(std::int64_t col) const;
  [[nodiscard]] std::vector<float> to_dense() const;
  [[nodiscard]] Matrix to_sparse() const;
  // Sum of each row (library size when rows are cells and values are counts).
  [[nodiscard]] std::vector<double> row_sums() const;
  // Scales each row to `target_sum` (rows summing to 0 stay 0), then log1p; keeps the storage kind.
  [[nodiscard]] Matrix log1p_normalized(double target_sum = 1e4) const;

private:
  bool m_sparse = false;
  std::int64_t m_rows = 0;
  std::int64_t m_cols = 0;
  std::vector<float> m_dense;
  CsrMatrix m_csr;
};

// One annotation column of obs or var.
struct Column {
  enum class Kind { categorical, numeric, string };
  std::string name;
  Kind kind = Kind::numeric;
  std::vector<std::int32_t> codes; // categorical: index into categories, -1 = missing
  std::vector<std::string> categories;
  bool ordered = false;
  std::vector<double> numbers; // numeric (NaN = missing)
  std::vector<std::string> strings;

  [[nodiscard]] std::size_t size() const noexcept;
  // The value of row i as text ("" for missing categorical values).
  [[nodiscard]] std::string text(std::size_t i) const;
  [[nodiscard]] static Column categorical(std::string name, std::vector<std::string> categories,
                                          std::vector<std::int32_t> codes, bool ordered = false);
  [[nodiscard]] static Column numeric(std::string name, std::vector<double> values);
  [[nodiscard]] static Column text_column(std::string name, std::vector<std::string> values);
  // Categorical column from labels, categories in first-seen order.
  [[nodiscard]] static Column categorical_from(std::string name, const std::vector<std::string>& labels);
};

// A data frame over cells (obs) or genes (var): row names plus columns.
struct Frame {
  std::vector<std::string> index;
  std::vector<Column> columns;

  [[nodiscard]] const Column* find(const std::string& name) const noexcept;
  [[nodiscard]] std::vector<std::string> column_names() const;
};

// Unprocessed counts kept next to a processed X (AnnData `raw`); rows are the same cells.
struct RawLayer {
  Matrix x;
  Frame var;
};

struct ExpressionMatrix {
  Matrix x;  // cells × genes
  Frame obs; // cells
  Frame var; // genes
  std::optional<RawLayer> raw;
  // Free-form string arrays (AnnData `uns`), e.g. colours or provenance.
  std::map<std::string, std::vector<std::string>> uns;

  [[nodiscard]] std::int64_t n_cells() const noexcept { return x.rows(); }
  [[nodiscard]] std::int64_t n_genes() const noexcept { return x.cols(); }
  [[nodiscard]] std::optional<std::int64_t> gene_index(const std::string& name) const;
  [[nodiscard]] std::optional<std::int64_t> cell_index(const std::string& name) const;
  // Expression of one gene across cells; throws gc::InputError when the gene is unknown.
  [[nodiscard]] std::vector<float> gene_values(const std::string& gene) const;
  [[nodiscard]] std::vector<double> library_sizes() const { return x.row_sums(); }
  // Throws gc::InputError when names and matrix dimensions disagree.
  void check_consistent(const std::string& file) const;
};

} // namespace gc::expr
