#include "gc/ui/browser/interval_index.h"

#include <algorithm>
#include <numeric>

namespace gc::ui::browser {

IntervalIndex::IntervalIndex(std::size_t count, const std::function<IntervalRef(std::size_t)>& at)
    : m_size(count) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto r = at(i);
    auto it = m_chroms.find(r.chrom);
    if (it == m_chroms.end()) it = m_chroms.emplace(std::string(r.chrom), Chrom{}).first;
    it->second.ids.push_back(i);
    it->second.start.push_back(r.start);
    it->second.end.push_back(r.end);
  }
  for (auto& [name, c] : m_chroms) {
    std::vector<std::size_t> order(c.ids.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return c.start[a] < c.start[b]; });
    Chrom sorted;
    sorted.ids.reserve(order.size());
    for (const auto k : order) {
      sorted.ids.push_back(c.ids[k]);
      sorted.start.push_back(c.start[k]);
      sorted.end.push_back(c.end[k]);
      sorted.max_end.push_back(sorted.max_end.empty() ? c.end[k] : std::max(sorted.max_end.back(), c.end[k]));
    }
    c = std::move(sorted);
  }
}

std::vector<std::size_t> IntervalIndex::query(std::string_view chrom, std::int64_t start,
                                              std::int64_t end) const {
  std::vector<std::size_t> out;
  const auto it = m_chroms.find(chrom);
  if (it == m_chroms.end()) return out;
  const auto& c = it->second;
  // Everything before `lo` ends at or before the window (the running maximum says so), and
  // everything from `hi` on starts at or after its end.
  const auto lo =
      std::partition_point(c.max_end.begin(), c.max_end.end(), [&](std::int64_t e) { return e <= start; }) -
      c.max_end.begin();
  const auto hi = std::lower_bound(c.start.begin(), c.start.end(), end) - c.start.begin();
  for (auto k = lo; k < hi; ++k)
    if (c.end[static_cast<std::size_t>(k)] > start) out.push_back(c.ids[static_cast<std::size_t>(k)]);
  return out;
}

std::span<const std::size_t> IntervalIndex::on(std::string_view chrom) const {
  const auto it = m_chroms.find(chrom);
  return it == m_chroms.end() ? std::span<const std::size_t>() : std::span<const std::size_t>(it->second.ids);
}

} // namespace gc::ui::browser
