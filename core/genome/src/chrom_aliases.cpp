#include "gc/genome/chrom_aliases.h"

#include "chrom_aliases_builtin.h"

#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/log.h"
#include "gc/util/names.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace gc::genome {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_chr_prefix(std::string_view s) { return s.size() > 3 && lower(s.substr(0, 3)) == "chr"; }

std::string without_chr(std::string_view s) { return std::string(has_chr_prefix(s) ? s.substr(3) : s); }

} // namespace

const ChromAliases& ChromAliases::builtin() {
  static const ChromAliases table = [] {
    ChromAliases t;
    t.load_text(detail::builtin_chrom_aliases, "resources/chrom_aliases.tsv (built in)");
    return t;
  }();
  return table;
}

void ChromAliases::load_tsv(const std::filesystem::path& path) {
  LineReader reader(path);
  std::string line;
  std::string text;
  while (reader.next_line(line)) {
    text += line;
    text += '\n';
  }
  load_text(text, path.string());
}

void ChromAliases::load_text(std::string_view text, const std::string& origin) {
  std::size_t line_no = 0;
  std::string_view line;
  while (next_line(text, line)) {
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> names;
    for (const auto& field : split_tabs(line)) {
      if (!field.empty()) names.emplace_back(field);
    }
    if (names.size() < 2) {
      throw InputError("an alias line needs at least two tab-separated names")
          .file(origin)
          .record("line " + std::to_string(line_no));
    }
    add_group(names);
  }
}

void ChromAliases::add_group(const std::vector<std::string>& names) {
  std::vector<std::string> merged;
  std::vector<std::vector<std::string>> kept;
  for (auto& group : m_groups) {
    const bool shares = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return std::find(group.begin(), group.end(), n) != group.end();
    });
    if (shares) {
      merged.insert(merged.end(), group.begin(), group.end());
    } else {
      kept.push_back(std::move(group));
    }
  }
  for (const auto& n : names) {
    if (std::find(merged.begin(), merged.end(), n) == merged.end()) merged.push_back(n);
  }
  kept.push_back(std::move(merged));
  m_groups = std::move(kept);
}

std::vector<std::string> ChromAliases::equivalents(std::string_view name) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  auto add_with_chr = [&](const std::string& n) {
    add(n);
    add(has_chr_prefix(n) ? without_chr(n) : "chr" + n);
  };
  add_with_chr(std::string(name));
  const std::string bare = without_chr(name);
  for (const auto& group : m_groups) {
    const bool member = std::any_of(group.begin(), group.end(), [&](const std::string& g) {
      return g == name || g == bare || lower(g) == lower(bare);
    });
    if (!member) continue;
    for (const auto& g : group)
      add_with_chr(g);
  }
  return out;
}

std::optional<std::string> ChromAliases::find(std::string_view name,
                                              const std::vector<std::string>& known_names) const {
  const auto candidates = equivalents(name);
  for (const auto& c : candidates) {
    if (std::find(known_names.begin(), known_names.end(), c) != known_names.end()) return c;
  }
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    for (const auto& k : known_names) {
      if (lower(k) == lc) return k;
    }
  }
  return std::nullopt;
}

std::string ChromAliases::resolve(std::string_view name, const std::vector<std::string>& known_names,
                                  const std::string& source) const {
  if (auto found = find(name, known_names)) return *found;
  std::vector<std::pair<std::size_t, std::string>> ranked;
  const std::string target = lower(without_chr(name));
  for (const auto& k : known_names)
    ranked.emplace_back(edit_distance(target, lower(without_chr(k))), k);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string closest;
  for (std::size_t i = 0; i < ranked.size() && i < 3; ++i) {
    closest += (i ? ", '" : "'") + ranked[i].second + "'";
  }
  std::string message = "unknown chromosome '" + std::string(name) + "'";
  if (!source.empty()) message += " in " + source;
  if (!closest.empty()) {
    message += "; closest names there: " + closest +
               " (if one is meant, add a tab-separated alias line to a TSV and load it as extra aliases)";
  } else {
    message += "; the source names no chromosomes";
  }
  throw InputError(message);
}

ChromComparison ChromAliases::compare(const std::string& source_a, const std::vector<ChromLength>& a,
                                      const std::string& source_b, const std::vector<ChromLength>& b) const {
  ChromComparison out;
  std::vector<std::string> names_b;
  names_b.reserve(b.size());
  for (const auto& c : b)
    names_b.push_back(c.name);
  std::vector<bool> used_b(b.size(), false);
  for (const auto& ca : a) {
    const auto match = find(ca.name, names_b);
    if (!match) {
      out.only_in_a.push_back(ca.name);
      continue;
    }
    const auto j =
        static_cast<std::size_t>(std::find(names_b.begin(), names_b.end(), *match) - names_b.begin());
    used_b[j] = true;
    out.matched.emplace_back(ca.name, b[j].name);
    if (ca.length != b[j].length) {
      out.length_mismatches.push_back({ca.name, b[j].name, ca.length, b[j].length});
      log::warning("chromosome length mismatch: ", ca.name, " is ", ca.length, " bp in ", source_a, " but ",
                   b[j].name, " is ", b[j].length, " bp in ", source_b);
    }
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (!used_b[j]) out.only_in_b.push_back(b[j].name);
  }
  return out;
}

} // namespace gc::genome
