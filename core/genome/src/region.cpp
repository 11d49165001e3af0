#include "gc/genome/region.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace gc::genome {
namespace {

// A position such as "10,000", "10000", "10kb", "1.5Mb" (1-based in text).
std::int64_t parse_position(std::string_view text, std::string_view whole) {
  std::string s;
  for (const char c : text) {
    if (c != ',') s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  auto bad = [&] {
    return InputError("invalid position '" + std::string(text) + "' in region '" + std::string(whole) + "'");
  };
  if (s.size() > 1 && s.back() == 'b' && !std::isdigit(static_cast<unsigned char>(s[s.size() - 2])))
    s.pop_back();
  double scale = 1.0;
  if (!s.empty()) {
    switch (s.back()) {
    case 'k': scale = 1e3; break;
    case 'm': scale = 1e6; break;
    case 'g': scale = 1e9; break;
    default: break;
    }
    if (scale > 1.0) s.pop_back();
  }
  const auto dots = std::count(s.begin(), s.end(), '.');
  if (s.empty() || s == "." || dots > (scale > 1.0 ? 1 : 0)) throw bad();
  if (!std::all_of(s.begin(), s.end(),
                   [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); })) {
    throw bad();
  }
  const double value = std::stod(s) * scale;
  const double rounded = std::round(value);
  // "1.2345k" is not a whole base.
  if (value > 9.0e18 || std::abs(value - rounded) > 1e-6) throw bad();
  return static_cast<std::int64_t>(rounded);
}

} // namespace

std::string Region::to_string(RegionText reading) const {
  if (whole_chromosome()) return chrom;
  const std::int64_t first = reading == RegionText::ucsc ? start + 1 : start;
  if (end == to_end) return chrom + ":" + std::to_string(first) + "-";
  return chrom + ":" + std::to_string(first) + "-" + std::to_string(end);
}

Region parse_region(std::string_view text, RegionText reading) {
  std::string_view t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())))
    t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back())))
    t.remove_suffix(1);
  if (t.empty()) throw InputError("empty region");
  Region r;
  const auto colon = t.rfind(':');
  if (colon == std::string_view::npos) {
    r.chrom = std::string(t);
    return r;
  }
  r.chrom = std::string(t.substr(0, colon));
  if (r.chrom.empty()) throw InputError("region '" + std::string(text) + "' has no chromosome name");
  const std::string_view range = t.substr(colon + 1);
  const bool ucsc = reading == RegionText::ucsc;
  const auto dash = range.find('-');
  if (dash == std::string_view::npos) {
    if (!ucsc)
      throw InputError("region '" + std::string(text) +
                       "': expected CHROM:START-END (0-based start, cooler style)");
    const std::int64_t pos = parse_position(range, text);
    if (pos < 1) throw InputError("region '" + std::string(text) + "': positions start at 1");
    r.start = pos - 1;
    r.end = pos;
    return r;
  }
  const std::int64_t first = parse_position(range.substr(0, dash), text);
  if (ucsc && first < 1) throw InputError("region '" + std::string(text) + "': positions start at 1");
  r.start = ucsc ? first - 1 : first;
  const std::string_view last_text = range.substr(dash + 1);
  if (last_text.empty()) {
    r.end = Region::to_end;
    return r;
  }
  const std::int64_t last = parse_position(last_text, text);
  if (last < first) {
    throw InputError("region '" + std::string(text) + "': end " + std::to_string(last) + " is before start " +
                     std::to_string(first));
  }
  // "chr1:100-100" is one base in UCSC text but nothing in cooler's half-open reading.
  if (!ucsc && last == first)
    throw InputError("region '" + std::string(text) + "' is empty (END equals START)");
  r.end = last;
  return r;
}

Region clamp_to_chromosome(const Region& region, std::int64_t chrom_length) {
  Region r = region;
  if (r.end == Region::to_end) r.end = chrom_length;
  if (r.start >= chrom_length && !(r.start == 0 && chrom_length == 0)) {
    throw InputError("region " + region.to_string() + " starts after the end of " + region.chrom + " (" +
                     std::to_string(chrom_length) + " bp)");
  }
  if (r.end > chrom_length) {
    throw InputError("region " + region.to_string() + " ends after the end of " + region.chrom + " (" +
                     std::to_string(chrom_length) + " bp)");
  }
  return r;
}

} // namespace gc::genome
