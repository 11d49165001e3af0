#pragma once
// Region x region queries (cis and trans) as sparse COO or dense matrices, raw, balanced or
// observed/expected. Only the rows a query needs are read (cooler bin1_offset, .hic block index).
#include "gc/hic/contact_map.h"

#include <Eigen/Core>

#include <map>
#include <utility>
#include <vector>

namespace gc::hic {

// Expected contact frequency: by diagonal for each chromosome (like cooltools expected_cis: the
// sum over a diagonal divided by the number of valid bin pairs on it, masked bins excluded,
// the first ignore_diags diagonals NaN) and one mean per chromosome pair for trans.
struct Expected {
  std::vector<std::vector<double>> cis;        // [chrom][diagonal]
  std::map<std::pair<int, int>, double> trans; // (chrom a < chrom b) -> mean over valid pairs
  int ignore_diags = 2;
  [[nodiscard]] double value(const BinTable& bins, std::int64_t bin1, std::int64_t bin2) const noexcept;
};
// `weights` empty = raw counts, every bin valid.
[[nodiscard]] Expected compute_expected(const ContactMap& map, const Weights& weights, int ignore_diags = 2);

struct QueryOptions {
  Weights weights;                    // empty = raw counts
  const Expected* expected = nullptr; // set = observed / expected
  // Only entries with row bin <= column bin (what `cooler dump` prints for symmetric files).
  bool upper_triangle = false;
};

struct CooMatrix {
  BinRange rows;
  BinRange cols;
  std::vector<std::int64_t> bin1; // global bin ids
  std::vector<std::int64_t> bin2;
  std::vector<double> value;
  [[nodiscard]] std::size_t size() const noexcept { return value.size(); }
};

// Nonzero entries of the full matrix restricted to rows x cols (masked bins left out when balanced).
[[nodiscard]] CooMatrix fetch_coo(const ContactMap& map, const BinRange& rows, const BinRange& cols,
                                  const QueryOptions& options = {});
// Dense rows.size() x cols.size(); zeros where nothing is stored, NaN on rows/columns of masked
// bins when balanced, NaN where the expected is undefined for O/E.
[[nodiscard]] Eigen::MatrixXd fetch_dense(const ContactMap& map, const BinRange& rows, const BinRange& cols,
                                          const QueryOptions& options = {});

// Whole chromosome as a range.
[[nodiscard]] BinRange chromosome_range(const BinTable& bins, int chrom);

} // namespace gc::hic
