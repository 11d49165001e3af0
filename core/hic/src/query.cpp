#include "gc/hic/query.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::hic {

namespace {
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

bool in(const BinRange& r, std::int64_t b) noexcept { return b >= r.lo && b < r.hi; }

std::vector<double> factors_or_ones(const Weights& w, std::int64_t nbins) {
  if (w.values.empty()) return std::vector<double>(static_cast<std::size_t>(nbins), 1.0);
  if (static_cast<std::int64_t>(w.values.size()) != nbins)
    throw InputError("weights do not match the number of bins");
  return w.factors();
}
} // namespace

BinRange chromosome_range(const BinTable& bins, int chrom) {
  if (chrom < 0 || static_cast<std::size_t>(chrom) >= bins.chroms.size())
    throw InputError("chromosome index out of range");
  return {chrom, bins.chrom_offset[static_cast<std::size_t>(chrom)],
          bins.chrom_offset[static_cast<std::size_t>(chrom) + 1]};
}

double Expected::value(const BinTable& bins, std::int64_t bin1, std::int64_t bin2) const noexcept {
  const auto a = bins.chrom[static_cast<std::size_t>(bin1)];
  const auto b = bins.chrom[static_cast<std::size_t>(bin2)];
  if (a == b) {
    const auto d = static_cast<std::size_t>(std::llabs(bin2 - bin1));
    const auto& diag = cis[static_cast<std::size_t>(a)];
    return d < diag.size() ? diag[d] : k_nan;
  }
  const auto it = trans.find({std::min(a, b), std::max(a, b)});
  return it == trans.end() ? k_nan : it->second;
}

Expected compute_expected(const ContactMap& map, const Weights& weights, int ignore_diags) {
  const auto& bins = map.bins();
  const auto f = factors_or_ones(weights, bins.size());
  const auto nchroms = bins.chroms.size();
  Expected e;
  e.ignore_diags = ignore_diags;
  e.cis.resize(nchroms);
  std::vector<std::vector<std::int64_t>> valid_pairs(nchroms);
  std::vector<double> valid_bins(nchroms, 0);
  for (std::size_t c = 0; c < nchroms; ++c) {
    const auto lo = bins.chrom_offset[c], hi = bins.chrom_offset[c + 1];
    const auto n = static_cast<std::size_t>(hi - lo);
    e.cis[c].assign(n, 0.0);
    valid_pairs[c].assign(n, 0);
    // Valid pairs on diagonal d = all pairs minus those touching a masked bin, counted from
    // the (usually few) masked bins: O(n log m + m^2) instead of O(n^2).
    std::vector<std::int64_t> masked;
    for (auto b = lo; b < hi; ++b)
      if (!std::isfinite(f[static_cast<std::size_t>(b)])) masked.push_back(b - lo);
    valid_bins[c] = static_cast<double>(n - masked.size());
    std::vector<std::int64_t> both(n, 0);
    for (std::size_t i = 0; i < masked.size(); ++i)
      for (std::size_t j = i; j < masked.size(); ++j)
        ++both[static_cast<std::size_t>(masked[j] - masked[i])];
    for (std::size_t d = 0; d < n; ++d) {
      const auto limit = static_cast<std::int64_t>(n - d);
      // masked i with i + d < n, and masked j with j - d >= 0
      const auto first = std::lower_bound(masked.begin(), masked.end(), limit) - masked.begin();
      const auto second =
          masked.end() - std::lower_bound(masked.begin(), masked.end(), static_cast<std::int64_t>(d));
      valid_pairs[c][d] = limit - (first + second - both[d]);
    }
  }
  std::map<std::pair<int, int>, double> trans_sum;
  map.for_each_chunk([&](std::span<const Pixel> chunk) {
    for (const auto& p : chunk) {
      if (map.symmetric() == false && p.bin1 > p.bin2) continue;
      const double v = p.count * f[static_cast<std::size_t>(p.bin1)] * f[static_cast<std::size_t>(p.bin2)];
      if (!std::isfinite(v)) continue;
      const auto a = bins.chrom[static_cast<std::size_t>(p.bin1)];
      const auto b = bins.chrom[static_cast<std::size_t>(p.bin2)];
      if (a == b)
        e.cis[static_cast<std::size_t>(a)][static_cast<std::size_t>(p.bin2 - p.bin1)] += v;
      else
        trans_sum[{std::min(a, b), std::max(a, b)}] += v;
    }
  });
  for (std::size_t c = 0; c < nchroms; ++c)
    for (std::size_t d = 0; d < e.cis[c].size(); ++d)
      e.cis[c][d] = (static_cast<int>(d) < ignore_diags || valid_pairs[c][d] == 0)
                        ? k_nan
                        : e.cis[c][d] / static_cast<double>(valid_pairs[c][d]);
  for (std::size_t a = 0; a < nchroms; ++a)
    for (std::size_t b = a + 1; b < nchroms; ++b) {
      const double pairs = valid_bins[a] * valid_bins[b];
      const auto it = trans_sum.find({static_cast<int>(a), static_cast<int>(b)});
      e.trans[{static_cast<int>(a), static_cast<int>(b)}] =
          pairs > 0 ? (it == trans_sum.end() ? 0.0 : it->second) / pairs : k_nan;
    }
  return e;
}

CooMatrix fetch_coo(const ContactMap& map, const BinRange& rows, const BinRange& cols,
                    const QueryOptions& opt) {
  const auto& bins = map.bins();
  CooMatrix out;
  out.rows = rows;
  out.cols = cols;
  const bool balanced = !opt.weights.values.empty();
  if (balanced && static_cast<std::int64_t>(opt.weights.values.size()) != bins.size())
    throw InputError("weights do not match the number of bins");
  const auto emit = [&](std::int64_t r, std::int64_t c, double v) {
    if (opt.upper_triangle && r > c) return;
    if (balanced) v *= opt.weights.factor(r) * opt.weights.factor(c);
    if (opt.expected) v /= opt.expected->value(bins, r, c);
    if (std::isnan(v)) return;
    out.bin1.push_back(r);
    out.bin2.push_back(c);
    out.value.push_back(v);
  };
  if (!map.symmetric()) {
    for (const auto& p : map.fetch_stored(rows.lo, rows.hi, cols.lo, cols.hi))
      emit(p.bin1, p.bin2, p.count);
  } else {
    // Stored (i <= j) gives M[i][j] and M[j][i]: take the rows x cols part directly and the
    // mirrored part from the stored rectangle cols x rows.
    const auto direct = map.fetch_stored(rows.lo, rows.hi, cols.lo, cols.hi);
    for (const auto& p : direct)
      emit(p.bin1, p.bin2, p.count);
    if (!opt.upper_triangle) {
      // With upper_triangle the mirrored entries (r > c) are not wanted. A square window on the
      // diagonal mirrors what was just read; other windows read the transposed rectangle.
      const bool same = rows.lo == cols.lo && rows.hi == cols.hi;
      const auto mirrored =
          same ? std::vector<Pixel>{} : map.fetch_stored(cols.lo, cols.hi, rows.lo, rows.hi);
      for (const auto& p : same ? direct : mirrored)
        if (p.bin1 != p.bin2 && in(rows, p.bin2) && in(cols, p.bin1)) emit(p.bin2, p.bin1, p.count);
    }
  }
  // Sort row-major for stable output.
  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return out.bin1[a] != out.bin1[b] ? out.bin1[a] < out.bin1[b] : out.bin2[a] < out.bin2[b];
  });
  CooMatrix sorted;
  sorted.rows = rows;
  sorted.cols = cols;
  for (const auto i : order) {
    sorted.bin1.push_back(out.bin1[i]);
    sorted.bin2.push_back(out.bin2[i]);
    sorted.value.push_back(out.value[i]);
  }
  return sorted;
}

Eigen::MatrixXd fetch_dense(const ContactMap& map, const BinRange& rows, const BinRange& cols,
                            const QueryOptions& opt) {
  const auto& bins = map.bins();
  const bool balanced = !opt.weights.values.empty();
  if (balanced && static_cast<std::int64_t>(opt.weights.values.size()) != bins.size())
    throw InputError("weights do not match the number of bins");
  // Filled straight from the stored pixels (no COO sort): this is the interactive query path.
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(rows.size(), cols.size());
  const auto direct = map.fetch_stored(rows.lo, rows.hi, cols.lo, cols.hi);
  for (const auto& p : direct)
    m(p.bin1 - rows.lo, p.bin2 - cols.lo) = p.count;
  if (map.symmetric()) {
    const bool same = rows.lo == cols.lo && rows.hi == cols.hi;
    const auto mirrored = same ? std::vector<Pixel>{} : map.fetch_stored(cols.lo, cols.hi, rows.lo, rows.hi);
    for (const auto& p : same ? direct : mirrored)
      if (p.bin1 != p.bin2 && in(rows, p.bin2) && in(cols, p.bin1))
        m(p.bin2 - rows.lo, p.bin1 - cols.lo) = p.count;
  }
  std::vector<double> row_factor, col_factor;
  if (balanced) {
    for (auto r = rows.lo; r < rows.hi; ++r)
      row_factor.push_back(opt.weights.factor(r));
    for (auto c = cols.lo; c < cols.hi; ++c)
      col_factor.push_back(opt.weights.factor(c));
  }
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const auto r = rows.lo + i, c = cols.lo + j;
      double v = m(i, j);
      if (balanced) v *= row_factor[static_cast<std::size_t>(i)] * col_factor[static_cast<std::size_t>(j)];
      if (opt.expected) v /= opt.expected->value(bins, r, c);
      if (opt.upper_triangle && r > c) v = 0;
      m(i, j) = v;
    }
  return m;
}

} // namespace gc::hic
