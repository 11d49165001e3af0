#include "gc/expr/edge_list.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include "text_fields.h"

#include <algorithm>
#include <iomanip>
#include <unordered_set>

namespace gc::expr {
namespace {

bool in(const std::string& s, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return s == n; });
}

bool parse_sign(std::string s, int& sign) {
  s = lower(std::move(s));
  if (in(s, {"+", "1", "+1", "activation", "activator", "activating", "positive", "act"}))
    sign = 1;
  else if (in(s, {"-", "-1", "repression", "repressor", "repressing", "inhibition", "negative", "rep"}))
    sign = -1;
  else if (in(s, {"", "0", "?", "unknown", "na", "."}))
    sign = 0;
  else
    return false;
  return true;
}

char detect_delimiter(const std::string& line) {
  if (line.find('\t') != std::string::npos) return '\t';
  if (line.find(',') != std::string::npos) return ',';
  return ' ';
}

} // namespace

std::size_t EdgeList::self_loops() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(edges.begin(), edges.end(), [](const Edge& e) { return e.source == e.target; }));
}

bool looks_like_edge_list_header(const std::string& first_line) {
  const auto f = split_fields(first_line, detect_delimiter(first_line));
  return f.size() >= 2 && lower(f[0]) == "gene1" && lower(f[1]) == "gene2";
}

EdgeList read_edge_list(const std::filesystem::path& path) {
  LineReader reader(path);
  std::string line;
  char delim = 0;
  int src = 0, dst = 1, sign_col = -1, weight_col = -1;
  bool header_done = false;
  bool third_is_sign = false, third_checked = false;
  EdgeList out;
  std::unordered_set<std::string> seen;
  auto add_node = [&](const std::string& n) {
    if (seen.insert(n).second) out.nodes.push_back(n);
  };
  std::size_t width = 0;
  std::vector<std::vector<std::string>> headerless;
  std::vector<std::size_t> headerless_lines;
  while (reader.next_line(line)) {
    if (line.empty() || line.front() == '#') continue;
    if (delim == 0) delim = detect_delimiter(line);
    const auto f = split_fields(line, delim);
    if (!header_done) {
      header_done = true;
      std::vector<std::string> names;
      for (const auto& x : f)
        names.push_back(lower(x));
      int found_src = -1, found_dst = -1;
      for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        const auto& n = names[static_cast<std::size_t>(i)];
        if (found_src < 0 && in(n, {"gene1", "source", "from", "regulator", "tf", "src"}))
          found_src = i;
        else if (found_dst < 0 && in(n, {"gene2", "target", "to", "dst", "gene"}))
          found_dst = i;
        else if (sign_col < 0 && in(n, {"type", "sign", "mode", "effect", "regulation"}))
          sign_col = i;
        else if (weight_col < 0 && in(n, {"edgeweight", "weight", "score", "importance", "confidence"}))
          weight_col = i;
      }
      if (found_src >= 0 && found_dst >= 0) {
        src = found_src;
        dst = found_dst;
        width = f.size();
        continue;
      }
      sign_col = weight_col = -1;
    }
    if (f.size() < 2)
      throw reader.error("expected at least 2 fields (source, target), found " + std::to_string(f.size()));
    if (width > 0 && f.size() < width)
      throw reader.error("expected " + std::to_string(width) + " fields, found " + std::to_string(f.size()));
    if (width == 0) {
      // Headerless: decide what the third column is once all rows are known.
      headerless.push_back(f);
      headerless_lines.push_back(reader.line_number());
      continue;
    }
    Edge e;
    e.source = f[static_cast<std::size_t>(src)];
    e.target = f[static_cast<std::size_t>(dst)];
    if (e.source.empty() || e.target.empty()) throw reader.error("empty gene name");
    if (sign_col >= 0 && !parse_sign(f[static_cast<std::size_t>(sign_col)], e.sign))
      throw reader.error("unrecognised sign '" + f[static_cast<std::size_t>(sign_col)] +
                         "' (expected + or -)");
    if (weight_col >= 0 && !parse_number(f[static_cast<std::size_t>(weight_col)], e.weight))
      throw reader.error("weight '" + f[static_cast<std::size_t>(weight_col)] + "' is not a number");
    add_node(e.source);
    add_node(e.target);
    out.edges.push_back(std::move(e));
  }
  if (!headerless.empty()) {
    third_is_sign = std::all_of(headerless.begin(), headerless.end(), [](const auto& f) {
      int s = 0;
      return f.size() >= 3 &&
             (f[2] == "+" || f[2] == "-" || (parse_sign(f[2], s) && f[2] != "0" && f[2] != "1"));
    });
    third_checked =
        std::all_of(headerless.begin(), headerless.end(), [](const auto& f) { return f.size() >= 3; });
    for (std::size_t i = 0; i < headerless.size(); ++i) {
      const auto& f = headerless[i];
      auto fail = [&](const std::string& m) {
        throw InputError(m).file(path.string()).record("line " + std::to_string(headerless_lines[i]));
      };
      Edge e;
      e.source = f[0];
      e.target = f[1];
      if (e.source.empty() || e.target.empty()) fail("empty gene name");
      if (third_checked && third_is_sign && !parse_sign(f[2], e.sign))
        fail("unrecognised sign '" + f[2] + "'");
      if (third_checked && !third_is_sign && !parse_number(f[2], e.weight))
        fail("third field '" + f[2] + "' is neither a sign nor a weight");
      add_node(e.source);
      add_node(e.target);
      out.edges.push_back(std::move(e));
    }
    sign_col = third_checked && third_is_sign ? 2 : -1;
    weight_col = third_checked && !third_is_sign ? 2 : -1;
  }
  out.has_signs = sign_col >= 0;
  out.has_weights = weight_col >= 0;
  if (out.edges.empty()) throw InputError("no edges").file(path.string());
  return out;
}

void write_ranked_edges(const std::filesystem::path& path, std::vector<Edge> edges) {
  std::stable_sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    const double wa = std::isnan(a.weight) ? -HUGE_VAL : a.weight;
    const double wb = std::isnan(b.weight) ? -HUGE_VAL : b.weight;
    if (wa != wb) return wa > wb;
    if (a.source != b.source) return a.source < b.source;
    return a.target < b.target;
  });
  AtomicFile out(path);
  auto& s = out.stream();
  s << "Gene1,Gene2,EdgeWeight\n" << std::setprecision(9);
  for (const auto& e : edges) {
    if (e.source.find_first_of(",\"\n") != std::string::npos ||
        e.target.find_first_of(",\"\n") != std::string::npos)
      throw InputError("gene name '" +
                       (e.source.find_first_of(",\"\n") != std::string::npos ? e.source : e.target) +
                       "' cannot be written to CSV (contains a comma, quote or newline)")
          .file(path.string());
    s << e.source << ',' << e.target << ',';
    if (std::isnan(e.weight))
      s << "NA";
    else
      s << e.weight;
    s << '\n';
  }
  out.commit();
}

} // namespace gc::expr
