#include "gc/genome/bedgraph.h"

#include "gc/util/error.h"

#include <charconv>
#include <cmath>
#include <string>

namespace gc::genome {
namespace {

bool parse_double(std::string_view s, double& out) noexcept {
  if (s.empty()) return false;
  // from_chars rejects a leading '+', which some writers emit.
  if (s.front() == '+') s.remove_prefix(1);
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

std::vector<BedRecord> read_bedgraph(const std::filesystem::path& path, const Progress& progress) {
  // The BED reader validates coordinates and keeps the fourth column as the name.
  auto records = read_bed(path, progress);
  for (auto& r : records) {
    if (r.columns != 4)
      throw InputError("expected 4 bedGraph columns (chrom, start, end, value), found " +
                       std::to_string(r.columns))
          .file(path.string())
          .record(r.chrom + ":" + std::to_string(r.start + 1));
    double v = 0.0;
    if (!parse_double(r.name, v) || !std::isfinite(v))
      throw InputError("bedGraph value '" + r.name + "' is not a number")
          .file(path.string())
          .record(r.chrom + ":" + std::to_string(r.start + 1));
    r.score = v;
    r.name.clear();
  }
  return records;
}

bool declares_bedgraph(std::string_view head) noexcept {
  int data_lines = 0;
  while (!head.empty() && data_lines < 8) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#' || line.starts_with("browser")) continue;
    if (line.starts_with("track")) {
      if (line.find("type=bedGraph") != std::string_view::npos) return true;
      continue;
    }
    // A partial last line of the head says nothing.
    if (nl == std::string_view::npos) break;
    std::string_view fields[5];
    int n = 0;
    for (std::size_t pos = 0; n < 5;) {
      const auto tab = line.find_first_of("\t ", pos);
      fields[n++] = line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
      if (tab == std::string_view::npos) break;
      pos = line.find_first_not_of("\t ", tab);
      if (pos == std::string_view::npos) break;
    }
    double v = 0.0;
    if (n != 4 || !parse_double(fields[3], v)) return false;
    ++data_lines;
  }
  return data_lines > 0;
}

} // namespace gc::genome
