#include "gc/expr/matrix.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace gc::expr {

void CsrMatrix::validate(const std::string& file, const std::string& object) const {
  auto fail = [&](const std::string& message) { throw InputError(message).file(file).record(object); };
  if (rows < 0 || cols < 0) fail("negative matrix shape");
  if (cols > std::numeric_limits<std::int32_t>::max()) fail("more columns than 32-bit indices can address");
  if (static_cast<std::int64_t>(indptr.size()) != rows + 1)
    fail("indptr has " + std::to_string(indptr.size()) + " entries but the shape has " +
         std::to_string(rows) + " rows (expected " + std::to_string(rows + 1) + ")");
  if (indices.size() != data.size())
    fail("indices (" + std::to_string(indices.size()) + ") and data (" + std::to_string(data.size()) +
         ") differ in length");
  if (indptr.front() != 0) fail("indptr does not start at 0");
  for (std::size_t r = 1; r < indptr.size(); ++r)
    if (indptr[r] < indptr[r - 1]) fail("indptr decreases at row " + std::to_string(r - 1));
  if (indptr.back() != nnz())
    fail("indptr ends at " + std::to_string(indptr.back()) + " but there are " + std::to_string(nnz()) +
         " stored values");
  // Branch-free scan first, locating the offending entry only when there is one. An index is
  // valid iff neither i nor last - i has the sign bit set (unsigned arithmetic: no overflow);
  // OR-ing those bits vectorises with plain SSE2, and fixed-size blocks let -O2 do it (GCC's
  // cheap cost model skips loops that would need a scalar epilogue).
  constexpr std::size_t block = 64;
  const auto last = static_cast<std::uint32_t>(cols - 1);
  const std::int32_t* p = indices.data();
  const std::size_t n = indices.size();
  std::uint32_t acc = cols == 0 && n > 0 ? 0x80000000U : 0U;
  std::size_t k = 0;
  for (; k + block <= n; k += block)
    for (std::size_t j = 0; j < block; ++j) {
      const auto i = static_cast<std::uint32_t>(p[k + j]);
      acc |= i | (last - i);
    }
  for (; k < n; ++k) {
    const auto i = static_cast<std::uint32_t>(p[k]);
    acc |= i | (last - i);
  }
  const bool bad = (acc & 0x80000000U) != 0;
  if (!bad) return;
  for (std::size_t at = 0; at < n; ++at)
    if (indices[at] < 0 || indices[at] >= cols)
      fail("index " + std::to_string(indices[at]) + " at position " + std::to_string(at) +
           " is outside [0, " + std::to_string(cols) + ")");
}

CsrMatrix CsrMatrix::transposed() const {
  CsrMatrix t;
  t.rows = cols;
  t.cols = rows;
  t.indptr.assign(static_cast<std::size_t>(cols) + 1, 0);
  for (const auto c : indices)
    ++t.indptr[static_cast<std::size_t>(c) + 1];
  for (std::size_t i = 1; i < t.indptr.size(); ++i)
    t.indptr[i] += t.indptr[i - 1];
  t.indices.resize(indices.size());
  t.data.resize(data.size());
  std::vector<std::int64_t> next(t.indptr.begin(), t.indptr.end() - 1);
  // Rows are visited in order, so each transposed row comes out sorted by column.
  for (std::int64_t r = 0; r < rows; ++r) {
    for (auto k = indptr[static_cast<std::size_t>(r)]; k < indptr[static_cast<std::size_t>(r) + 1]; ++k) {
      const auto c = static_cast<std::size_t>(indices[static_cast<std::size_t>(k)]);
      const auto dst = static_cast<std::size_t>(next[c]++);
      t.indices[dst] = static_cast<std::int32_t>(r);
      t.data[dst] = data[static_cast<std::size_t>(k)];
    }
  }
  return t;
}

CsrMatrix CsrMatrix::from_dense(const std::vector<float>& values, std::int64_t rows, std::int64_t cols) {
  CsrMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.indptr.reserve(static_cast<std::size_t>(rows) + 1);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      const float v = values[static_cast<std::size_t>(r * cols + c)];
      if (v != 0.0F) {
        m.indices.push_back(static_cast<std::int32_t>(c));
        m.data.push_back(v);
      }
    }
    m.indptr.push_back(m.nnz());
  }
  return m;
}

Matrix Matrix::dense(std::int64_t rows, std::int64_t cols, std::vector<float> values) {
  if (static_cast<std::int64_t>(values.size()) != rows * cols)
    throw std::invalid_argument("dense matrix values do not match its shape");
  Matrix m;
  m.m_rows = rows;
  m.m_cols = cols;
  m.m_dense = std::move(values);
  return m;
}

Matrix Matrix::sparse(CsrMatrix csr) {
  Matrix m;
  m.m_sparse = true;
  m.m_rows = csr.rows;
  m.m_cols = csr.cols;
  m.m_csr = std::move(csr);
  return m;
}

std::int64_t Matrix::nnz() const noexcept {
  if (m_sparse) return m_csr.nnz();
  return static_cast<std::int64_t>(
      std::count_if(m_dense.begin(), m_dense.end(), [](float v) { return v != 0.0F; }));
}

const std::vector<float>& Matrix::dense_values() const {
  if (m_sparse) throw std::logic_error("matrix is sparse");
  return m_dense;
}

const CsrMatrix& Matrix::csr() const {
  if (!m_sparse) throw std::logic_error("matrix is dense");
  return m_csr;
}

float Matrix::at(std::int64_t row, std::int64_t col) const {
  if (row < 0 || row >= m_rows || col < 0 || col >= m_cols) throw std::out_of_range("matrix index");
  if (!m_sparse) return m_dense[static_cast<std::size_t>(row * m_cols + col)];
  const auto begin = m_csr.indices.begin() + m_csr.indptr[static_cast<std::size_t>(row)];
  const auto end = m_csr.indices.begin() + m_csr.indptr[static_cast<std::size_t>(row) + 1];
  // Rows are usually sorted, but files are not obliged to be: search linearly when they are not.
  const auto it = std::is_sorted(begin, end) ? std::lower_bound(begin, end, col) : std::find(begin, end, col);
  if (it == end || *it != col) return 0.0F;
  return m_csr.data[static_cast<std::size_t>(it - m_csr.indices.begin())];
}

std::vector<float> Matrix::row(std::int64_t r) const {
  if (r < 0 || r >= m_rows) throw std::out_of_range("matrix row");
  std::vector<float> out(static_cast<std::size_t>(m_cols), 0.0F);
  if (!m_sparse) {
    std::copy_n(m_dense.begin() + r * m_cols, m_cols, out.begin());
    return out;
  }
  for (auto k = m_csr.indptr[static_cast<std::size_t>(r)]; k < m_csr.indptr[static_cast<std::size_t>(r) + 1];
       ++k)
    out[static_cast<std::size_t>(m_csr.indices[static_cast<std::size_t>(k)])] +=
        m_csr.data[static_cast<std::size_t>(k)];
  return out;
}

std::vector<float> Matrix::column(std::int64_t c) const {
  if (c < 0 || c >= m_cols) throw std::out_of_range("matrix column");
  std::vector<float> out(static_cast<std::size_t>(m_rows), 0.0F);
  if (!m_sparse) {
    for (std::int64_t r = 0; r < m_rows; ++r)
      out[static_cast<std::size_t>(r)] = m_dense[static_cast<std::size_t>(r * m_cols + c)];
    return out;
  }
  for (std::int64_t r = 0; r < m_rows; ++r)
    for (auto k = m_csr.indptr[static_cast<std::size_t>(r)];
         k < m_csr.indptr[static_cast<std::size_t>(r) + 1]; ++k)
      if (m_csr.indices[static_cast<std::size_t>(k)] == c)
        out[static_cast<std::size_t>(r)] += m_csr.data[static_cast<std::size_t>(k)];
  return out;
}

std::vector<float> Matrix::to_dense() const {
  if (!m_sparse) return m_dense;
  std::vector<float> out(static_cast<std::size_t>(m_rows * m_cols), 0.0F);
  for (std::int64_t r = 0; r < m_rows; ++r)
    for (auto k = m_csr.indptr[static_cast<std::size_t>(r)];
         k < m_csr.indptr[static_cast<std::size_t>(r) + 1]; ++k)
      out[static_cast<std::size_t>(r * m_cols + m_csr.indices[static_cast<std::size_t>(k)])] +=
          m_csr.data[static_cast<std::size_t>(k)];
  return out;
}

Matrix Matrix::to_sparse() const {
  if (m_sparse) return *this;
  return sparse(CsrMatrix::from_dense(m_dense, m_rows, m_cols));
}

std::vector<double> Matrix::row_sums() const {
  std::vector<double> sums(static_cast<std::size_t>(m_rows), 0.0);
  for (std::int64_t r = 0; r < m_rows; ++r) {
    double s = 0;
    if (m_sparse) {
      for (auto k = m_csr.indptr[static_cast<std::size_t>(r)];
           k < m_csr.indptr[static_cast<std::size_t>(r) + 1]; ++k)
        s += m_csr.data[static_cast<std::size_t>(k)];
    } else {
      for (std::int64_t c = 0; c < m_cols; ++c)
        s += m_dense[static_cast<std::size_t>(r * m_cols + c)];
    }
    sums[static_cast<std::size_t>(r)] = s;
  }
  return sums;
}

Matrix Matrix::log1p_normalized(double target_sum) const {
  const auto sums = row_sums();
  Matrix out = *this;
  for (std::int64_t r = 0; r < m_rows; ++r) {
    const double s = sums[static_cast<std::size_t>(r)];
    const double scale = s > 0 ? target_sum / s : 0.0;
    auto apply = [scale](float& v) { v = static_cast<float>(std::log1p(static_cast<double>(v) * scale)); };
    if (m_sparse) {
      for (auto k = m_csr.indptr[static_cast<std::size_t>(r)];
           k < m_csr.indptr[static_cast<std::size_t>(r) + 1]; ++k)
        apply(out.m_csr.data[static_cast<std::size_t>(k)]);
    } else {
      for (std::int64_t c = 0; c < m_cols; ++c)
        apply(out.m_dense[static_cast<std::size_t>(r * m_cols + c)]);
    }
  }
  return out;
}

std::size_t Column::size() const noexcept {
  switch (kind) {
  case Kind::categorical: return codes.size();
  case Kind::numeric: return numbers.size();
  case Kind::string: return strings.size();
  }
  return 0;
}

std::string Column::text(std::size_t i) const {
  switch (kind) {
  case Kind::categorical: {
    const auto code = codes.at(i);
    return code < 0 ? std::string() : categories.at(static_cast<std::size_t>(code));
  }
  case Kind::numeric: {
    const double v = numbers.at(i);
    if (std::isnan(v)) return "NA";
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  case Kind::string: return strings.at(i);
  }
  return {};
}

Column Column::categorical(std::string name, std::vector<std::string> categories,
                           std::vector<std::int32_t> codes, bool ordered) {
  Column c;
  c.name = std::move(name);
  c.kind = Kind::categorical;
  c.categories = std::move(categories);
  c.codes = std::move(codes);
  c.ordered = ordered;
  return c;
}

Column Column::numeric(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.kind = Kind::numeric;
  c.numbers = std::move(values);
  return c;
}

Column Column::text_column(std::string name, std::vector<std::string> values) {
  Column c;
  c.name = std::move(name);
  c.kind = Kind::string;
  c.strings = std::move(values);
  return c;
}

Column Column::categorical_from(std::string name, const std::vector<std::string>& labels) {
  std::unordered_map<std::string, std::int32_t> seen;
  std::vector<std::string> categories;
  std::vector<std::int32_t> codes;
  codes.reserve(labels.size());
  for (const auto& label : labels) {
    auto [it, inserted] = seen.emplace(label, static_cast<std::int32_t>(categories.size()));
    if (inserted) categories.push_back(label);
    codes.push_back(it->second);
  }
  return categorical(std::move(name), std::move(categories), std::move(codes));
}

const Column* Frame::find(const std::string& name) const noexcept {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> Frame::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& c : columns)
    names.push_back(c.name);
  return names;
}

namespace {
std::optional<std::int64_t> position(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<std::int64_t>(it - names.begin());
}

void check_frame(const Frame& frame, std::int64_t n, const std::string& what, const std::string& file) {
  if (static_cast<std::int64_t>(frame.index.size()) != n)
    throw InputError(what + " has " + std::to_string(frame.index.size()) + " names but the matrix has " +
                     std::to_string(n))
        .file(file);
  for (const auto& c : frame.columns) {
    if (static_cast<std::int64_t>(c.size()) != n)
      throw InputError(what + " column '" + c.name + "' has " + std::to_string(c.size()) +
                       " values, expected " + std::to_string(n))
          .file(file);
    if (c.kind == Column::Kind::categorical)
      for (const auto code : c.codes)
        if (code < -1 || code >= static_cast<std::int32_t>(c.categories.size()))
          throw InputError(what + " column '" + c.name + "' has category code " + std::to_string(code) +
                           " but only " + std::to_string(c.categories.size()) + " categories")
              .file(file);
  }
}
} // namespace

std::optional<std::int64_t> ExpressionMatrix::gene_index(const std::string& name) const {
  return position(var.index, name);
}

std::optional<std::int64_t> ExpressionMatrix::cell_index(const std::string& name) const {
  return position(obs.index, name);
}

std::vector<float> ExpressionMatrix::gene_values(const std::string& gene) const {
  const auto g = gene_index(gene);
  if (!g) throw InputError("unknown gene '" + gene + "'");
  return x.column(*g);
}

void ExpressionMatrix::check_consistent(const std::string& file) const {
  check_frame(obs, x.rows(), "obs (cells)", file);
  check_frame(var, x.cols(), "var (genes)", file);
  if (raw) {
    if (raw->x.rows() != x.rows())
      throw InputError("raw has " + std::to_string(raw->x.rows()) + " cells but X has " +
                       std::to_string(x.rows()))
          .file(file);
    check_frame(raw->var, raw->x.cols(), "raw/var (genes)", file);
  }
}

} // namespace gc::expr
