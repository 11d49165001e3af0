#include "gc/util/names.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace gc {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& known,
                                       std::size_t limit) {
  const auto key = lower(name);
  if (key.empty()) return {};
  const auto reach = std::max<std::size_t>(2, key.size() / 3);
  std::vector<std::pair<std::size_t, std::size_t>> scored; // (distance, index into known)
  for (std::size_t i = 0; i < known.size(); ++i) {
    const auto k = lower(known[i]);
    const auto d = k.rfind(key, 0) == 0 ? std::size_t{1} : edit_distance(key, k);
    if (d <= reach) scored.emplace_back(d, i);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& [d, i] : scored) {
    if (out.size() >= limit) break;
    out.push_back(known[i]);
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& suggestions) {
  if (suggestions.empty()) return "";
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < suggestions.size(); ++i)
    out += (i ? ", '" : "'") + suggestions[i] + "'";
  return out + "?)";
}

} // namespace gc
