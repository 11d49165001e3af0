#pragma once
// Per-chromosome index of intervals (BED records, VCF sites) built once when a dataset arrives:
// each chromosome's intervals sorted by start with the running maximum of their ends, so the
// intervals overlapping a window are found by two binary searches instead of a scan.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gc::ui::browser {

struct IntervalRef {
  std::string_view chrom;
  std::int64_t start = 0; // 0-based, half-open
  std::int64_t end = 0;
};

class IntervalIndex {
public:
  IntervalIndex() = default;
  // Indexes intervals 0..count-1 as given by `at`.
  IntervalIndex(std::size_t count, const std::function<IntervalRef(std::size_t)>& at);

  // Indices of the intervals on `chrom` with start < end and end > start (overlapping the
  // window), by start (ties in index order).
  [[nodiscard]] std::vector<std::size_t> query(std::string_view chrom, std::int64_t start,
                                               std::int64_t end) const;
  // Every interval on `chrom`, by start.
  [[nodiscard]] std::span<const std::size_t> on(std::string_view chrom) const;
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }

private:
  struct Chrom {
    std::vector<std::size_t> ids;      // sorted by start
    std::vector<std::int64_t> start;   // per sorted position
    std::vector<std::int64_t> end;     // per sorted position
    std::vector<std::int64_t> max_end; // running maximum of end
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Chrom, Hash, std::equal_to<>> m_chroms;
  std::size_t m_size = 0;
};

} // namespace gc::ui::browser
