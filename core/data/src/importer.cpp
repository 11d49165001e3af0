// The Importer interface's out-of-line parts, in a file of their own so that a plugin linking
// them does not pull in the registry and every built-in reader.
#include "gc/data/importer.h"

namespace gc::data {

bool Probe::starts_with(std::string_view magic) const noexcept {
  return head.size() >= magic.size() && std::string_view(head).substr(0, magic.size()) == magic;
}

std::string_view Probe::first_data_line() const noexcept {
  std::string_view rest(head);
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') return line;
  }
  return {};
}

Json Importer::describe(const Probe& probe, const Progress& progress) const {
  return open(probe, progress).info;
}

} // namespace gc::data
