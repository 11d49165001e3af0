#include "text_fields.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace gc::expr {

namespace {
std::string unquote(std::string_view f) {
  while (!f.empty() && (f.front() == ' ' || f.front() == '\t'))
    f.remove_prefix(1);
  while (!f.empty() && (f.back() == ' ' || f.back() == '\t'))
    f.remove_suffix(1);
  if (f.size() >= 2 && ((f.front() == '"' && f.back() == '"') || (f.front() == '\'' && f.back() == '\'')))
    f = f.substr(1, f.size() - 2);
  return std::string(f);
}
} // namespace

std::vector<std::string> split_fields(std::string_view line, char delim) {
  std::vector<std::string> out;
  if (delim == ' ') {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
      if (i >= line.size()) break;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t')
        ++i;
      out.push_back(unquote(line.substr(start, i - start)));
    }
    return out;
  }
  std::size_t start = 0;
  while (true) {
    const auto pos = line.find(delim, start);
    out.push_back(
        unquote(line.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool parse_number(std::string_view text, double& out) noexcept {
  if (text.empty() || text == "NA" || text == "NaN" || text == "nan" || text == "NAN") {
    out = std::nan("");
    return true;
  }
  if (text.front() == '+') text.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc::result_out_of_range) return ptr == text.data() + text.size();
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

} // namespace gc::expr
