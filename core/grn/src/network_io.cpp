#include "gc/grn/network_io.h"

#include "gc/expr/edge_list.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/version.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace gc::grn {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Shortest text that reads back as the same double.
std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

const char* interaction_of(int sign) { return sign > 0 ? "activates" : sign < 0 ? "represses" : "regulates"; }

int sign_of_interaction(const std::string& text) {
  const auto s = lower(text);
  for (const char* p :
       {"activates", "activation", "activator", "activates_expression", "+", "positive", "up"})
    if (s == p) return 1;
  for (const char* n :
       {"represses", "repression", "repressor", "inhibits", "inhibition", "-", "negative", "down"})
    if (s == n) return -1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Writing

void check_name(const std::string& name, NetworkFormat format, const fs::path& path) {
  if (name.empty()) throw InputError("an edge has an empty gene name").file(path.string());
  auto refuse = [&](const std::string& why) {
    throw InputError("gene name '" + name + "' cannot be written to " + network_format_name(format) + " (" +
                     why + ")")
        .file(path.string());
  };
  if (format == NetworkFormat::graphml) {
    if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20; }))
      refuse("XML 1.0 has no control characters");
    return;
  }
  const char* forbidden = format == NetworkFormat::csv ? ",\"\n\r" : "\t\n\r";
  if (name.find_first_of(forbidden) != std::string::npos) {
    refuse(format == NetworkFormat::csv ? "it holds a comma, quote or line break; write .tsv or .graphml"
                                        : "it holds a tab or line break; write .graphml");
  }
  if (name.front() == ' ' || name.back() == ' ') refuse("surrounding spaces are not kept when read back");
}

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: out += c;
    }
  }
  return out;
}

// XML NMTOKEN, for the ASCII range; bytes of UTF-8 sequences are name characters for XML too
// (letters of most scripts), which is what gene names use.
bool is_nmtoken(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c >= 0x80;
  });
}

bool has_signs(const Network& net) {
  return std::any_of(net.edges.begin(), net.edges.end(), [](const ScoredEdge& e) { return e.sign != 0; });
}

void write_graphml(std::ostream& o, const Network& net, const std::vector<std::string>& nodes) {
  const bool signed_edges = has_signs(net);
  std::unordered_set<std::string> tf_set;
  if (net.tfs) tf_set.insert(net.tfs->begin(), net.tfs->end());
  const bool names_as_ids = std::all_of(nodes.begin(), nodes.end(), is_nmtoken);
  std::unordered_map<std::string, std::string> id_of;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    id_of.emplace(nodes[i], names_as_ids ? nodes[i] : "n" + std::to_string(i));

  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
       "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
       "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
       "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
       "  <key id=\"method\" for=\"graph\" attr.name=\"method\" attr.type=\"string\"/>\n"
       "  <key id=\"source\" for=\"graph\" attr.name=\"source\" attr.type=\"string\"/>\n"
       "  <key id=\"generator\" for=\"graph\" attr.name=\"generator\" attr.type=\"string\"/>\n"
       "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n";
  if (net.tfs) o << "  <key id=\"is_tf\" for=\"node\" attr.name=\"is_tf\" attr.type=\"boolean\"/>\n";
  o << "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
       "  <key id=\"rank\" for=\"edge\" attr.name=\"rank\" attr.type=\"int\"/>\n"
       "  <key id=\"interaction\" for=\"edge\" attr.name=\"interaction\" attr.type=\"string\"/>\n";
  if (signed_edges) o << "  <key id=\"sign\" for=\"edge\" attr.name=\"sign\" attr.type=\"int\"/>\n";
  o << "  <graph id=\"grn\" edgedefault=\"directed\">\n"
    << "    <data key=\"method\">" << xml_escape(net.method) << "</data>\n"
    << "    <data key=\"source\">" << xml_escape(net.source) << "</data>\n"
    << "    <data key=\"generator\">GenoCircuit Studio " << version_string << "</data>\n";
  for (const auto& n : nodes) {
    o << "    <node id=\"" << xml_escape(id_of.at(n)) << "\"><data key=\"name\">" << xml_escape(n)
      << "</data>";
    if (net.tfs) o << "<data key=\"is_tf\">" << (tf_set.count(n) != 0 ? "true" : "false") << "</data>";
    o << "</node>\n";
  }
  for (std::size_t i = 0; i < net.edges.size(); ++i) {
    const auto& e = net.edges[i];
    const int sign = e.sign;
    o << "    <edge source=\"" << xml_escape(id_of.at(e.regulator)) << "\" target=\""
      << xml_escape(id_of.at(e.target)) << "\"><data key=\"weight\">" << number_text(e.weight)
      << "</data><data key=\"rank\">" << i + 1 << "</data><data key=\"interaction\">" << interaction_of(sign)
      << "</data>";
    if (signed_edges) o << "<data key=\"sign\">" << sign << "</data>";
    o << "</edge>\n";
  }
  o << "  </graph>\n</graphml>\n";
}

// ---------------------------------------------------------------------------------------------
// Reading GraphML: a small pull parser for the XML that GraphML uses (elements, attributes,
// text, CDATA, comments, processing instructions, a DOCTYPE without internal entities).

class XmlReader {
public:
  enum class Token { start, end, text, eof };

  XmlReader(std::string text, std::string file) : m_text(std::move(text)), m_file(std::move(file)) {}

  Token next() {
    if (m_pending_end) {
      m_pending_end = false;
      m_stack.pop_back();
      return Token::end;
    }
    while (true) {
      if (m_pos >= m_text.size()) {
        if (!m_stack.empty()) throw error("the file ends inside <" + m_stack.back() + ">");
        if (!m_seen_root) throw error("no XML element");
        return Token::eof;
      }
      if (m_text[m_pos] != '<') {
        const auto end = std::min(m_text.find('<', m_pos), m_text.size());
        m_value = decode(std::string_view(m_text).substr(m_pos, end - m_pos));
        advance_to(end);
        if (m_stack.empty()) {
          if (m_value.find_first_not_of(" \t\r\n") != std::string::npos)
            throw error("text outside the root element");
          continue;
        }
        return Token::text;
      }
      if (starts("<?")) {
        skip_past("?>");
        continue;
      }
      if (starts("<!--")) {
        skip_past("-->");
        continue;
      }
      if (starts("<![CDATA[")) {
        if (m_stack.empty()) throw error("CDATA outside the root element");
        const auto end = m_text.find("]]>", m_pos);
        if (end == std::string::npos) throw error("unterminated CDATA section");
        m_value = m_text.substr(m_pos + 9, end - m_pos - 9);
        advance_to(end + 3);
        return Token::text;
      }
      if (starts("<!")) {
        if (m_text.find("<!ENTITY", m_pos) < m_text.find('>', m_pos))
          throw error("DOCTYPE entity declarations are not supported");
        skip_past(m_text.find('[', m_pos) < m_text.find('>', m_pos) ? "]>" : ">");
        continue;
      }
      if (starts("</")) {
        advance_to(m_pos + 2);
        const auto name = read_name();
        skip_space();
        expect('>');
        if (m_stack.empty() || m_stack.back() != name) {
          throw error("</" + name + "> does not close " +
                      (m_stack.empty() ? "any element" : "<" + m_stack.back() + ">"));
        }
        m_name = name;
        m_stack.pop_back();
        return Token::end;
      }
      return read_start_tag();
    }
  }

  [[nodiscard]] const std::string& name() const noexcept { return m_name; }
  [[nodiscard]] const std::string& value() const noexcept { return m_value; }
  [[nodiscard]] const std::string* attribute(const std::string& key) const {
    const auto it = m_attributes.find(key);
    return it == m_attributes.end() ? nullptr : &it->second;
  }
  [[nodiscard]] std::size_t line() const noexcept { return m_line; }
  [[nodiscard]] InputError error(const std::string& message) const {
    return InputError(message).file(m_file).record("line " + std::to_string(m_line));
  }

private:
  Token read_start_tag() {
    advance_to(m_pos + 1);
    if (m_stack.empty() && m_seen_root) throw error("a second root element");
    m_name = read_name();
    m_attributes.clear();
    while (true) {
      skip_space();
      if (m_pos >= m_text.size()) throw error("the file ends inside the tag <" + m_name + ">");
      if (starts("/>")) {
        advance_to(m_pos + 2);
        m_pending_end = true;
        break;
      }
      if (m_text[m_pos] == '>') {
        advance_to(m_pos + 1);
        break;
      }
      const auto key = read_name();
      skip_space();
      expect('=');
      skip_space();
      if (m_pos >= m_text.size() || (m_text[m_pos] != '"' && m_text[m_pos] != '\''))
        throw error("attribute " + key + " of <" + m_name + "> needs a quoted value");
      const char quote = m_text[m_pos];
      const auto end = m_text.find(quote, m_pos + 1);
      if (end == std::string::npos) throw error("unterminated value of attribute " + key);
      const auto raw = std::string_view(m_text).substr(m_pos + 1, end - m_pos - 1);
      if (raw.find('<') != std::string_view::npos) throw error("'<' in the value of attribute " + key);
      if (!m_attributes.emplace(key, decode(raw)).second) throw error("attribute " + key + " given twice");
      advance_to(end + 1);
    }
    m_seen_root = true;
    m_stack.push_back(m_name);
    return Token::start;
  }

  std::string read_name() {
    const auto start = m_pos;
    while (m_pos < m_text.size()) {
      const unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
      if (!(std::isalnum(c) || c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80)) break;
      ++m_pos;
    }
    if (m_pos == start) throw error("expected an XML name");
    return m_text.substr(start, m_pos - start);
  }

  std::string decode(std::string_view raw) const {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const auto semi = raw.find(';', i);
      if (semi == std::string_view::npos) throw error("'&' that starts no entity");
      const auto entity = raw.substr(i + 1, semi - i - 1);
      if (entity == "lt") {
        out += '<';
      } else if (entity == "gt") {
        out += '>';
      } else if (entity == "amp") {
        out += '&';
      } else if (entity == "quot") {
        out += '"';
      } else if (entity == "apos") {
        out += '\'';
      } else if (entity.size() > 1 && entity[0] == '#') {
        append_code_point(out, entity);
      } else {
        throw error("unknown entity &" + std::string(entity) + ";");
      }
      i = semi;
    }
    return out;
  }

  void append_code_point(std::string& out, std::string_view entity) const {
    const bool hex = entity[1] == 'x';
    const auto digits = entity.substr(hex ? 2 : 1);
    std::uint32_t cp = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF)
      throw error("bad character reference &" + std::string(entity) + ";");
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  [[nodiscard]] bool starts(std::string_view s) const {
    return std::string_view(m_text).substr(m_pos, s.size()) == s;
  }
  void skip_past(std::string_view terminator) {
    const auto end = m_text.find(terminator, m_pos);
    if (end == std::string::npos) throw error("missing '" + std::string(terminator) + "'");
    advance_to(end + terminator.size());
  }
  void skip_space() {
    auto p = m_pos;
    while (p < m_text.size() &&
           (m_text[p] == ' ' || m_text[p] == '\t' || m_text[p] == '\n' || m_text[p] == '\r'))
      ++p;
    advance_to(p);
  }
  void expect(char c) {
    if (m_pos >= m_text.size() || m_text[m_pos] != c) throw error(std::string("expected '") + c + "'");
    advance_to(m_pos + 1);
  }
  // Moves forward, counting lines so that errors name where they are.
  void advance_to(std::size_t pos) {
    m_line += static_cast<std::size_t>(std::count(m_text.begin() + static_cast<std::ptrdiff_t>(m_pos),
                                                  m_text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    m_pos = pos;
  }

  std::string m_text;
  std::string m_file;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::vector<std::string> m_stack;
  bool m_pending_end = false;
  bool m_seen_root = false;
  std::string m_name;
  std::string m_value;
  std::map<std::string, std::string> m_attributes;
};

struct GraphmlEdge {
  std::string source, target; // node ids
  double weight = std::nan("");
  int sign = 0;
  bool has_sign = false;
  std::size_t line = 0;
};

struct Graphml {
  std::vector<GraphmlEdge> edges;
  std::unordered_map<std::string, std::string> name_of; // node id -> name
  std::vector<std::string> tfs;
  bool has_is_tf = false;
  bool has_weight_key = false;
  std::string method, source;
};

// XML Schema's number and boolean types allow surrounding whitespace (pretty-printed files).
std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool parse_bool(const std::string& s) {
  const auto v = lower(trimmed(s));
  return v == "true" || v == "1" || v == "yes";
}

Graphml parse_graphml(const fs::path& path) {
  XmlReader xml(read_text_file(path), path.string());
  struct Key {
    std::string domain; // graph, node, edge, all
    std::string name;   // attr.name, lower case
  };
  std::unordered_map<std::string, Key> keys;
  Graphml g;
  std::vector<std::string> node_order;
  std::unordered_map<std::string, bool> node_is_tf;
  int graph_depth = 0;
  bool root_checked = false;
  std::string current_node;
  GraphmlEdge* current_edge = nullptr;
  const Key* data_key = nullptr;
  std::string data_text;
  int data_depth = 0; // > 0 inside <data>
  auto need = [&](const char* attr) -> const std::string& {
    const auto* v = xml.attribute(attr);
    if (v == nullptr) throw xml.error("<" + xml.name() + "> without its " + attr + " attribute");
    return *v;
  };
  while (true) {
    const auto token = xml.next();
    if (token == XmlReader::Token::eof) break;
    if (token == XmlReader::Token::text) {
      if (data_depth > 0) data_text += xml.value();
      continue;
    }
    const std::string& el = xml.name();
    if (token == XmlReader::Token::start) {
      if (!root_checked) {
        root_checked = true;
        if (el != "graphml") throw xml.error("the root element is <" + el + ">, not <graphml>");
      }
      if (data_depth > 0) {
        ++data_depth;
        continue;
      }
      if (el == "key") {
        const auto* name = xml.attribute("attr.name");
        const auto* domain = xml.attribute("for");
        keys[need("id")] = {domain ? *domain : "all", name ? lower(*name) : std::string()};
      } else if (el == "graph") {
        if (++graph_depth > 1) throw xml.error("nested graphs are not supported");
      } else if (el == "node") {
        current_node = need("id");
        if (node_is_tf.count(current_node) != 0)
          throw xml.error("node '" + current_node + "' is declared twice");
        node_order.push_back(current_node);
        node_is_tf[current_node] = false;
      } else if (el == "edge") {
        g.edges.push_back({need("source"), need("target"), std::nan(""), 0, false, xml.line()});
        current_edge = &g.edges.back();
      } else if (el == "hyperedge") {
        throw xml.error("hyperedges are not supported");
      } else if (el == "data") {
        const auto& id = need("key");
        const auto it = keys.find(id);
        if (it == keys.end()) throw xml.error("<data> refers to the undeclared key '" + id + "'");
        data_key = &it->second;
        data_text.clear();
        data_depth = 1;
      }
      continue;
    }
    // End of an element.
    if (data_depth > 0 && --data_depth > 0) continue;
    if (el == "data" && data_key != nullptr) {
      const auto& k = data_key->name;
      if (current_edge != nullptr) {
        if (k == "weight" || k == "edgeweight" || k == "score" || k == "importance") {
          if (!parse_double(trimmed(data_text), current_edge->weight))
            throw xml.error("edge weight '" + data_text + "' is not a number");
        } else if (k == "sign") {
          std::int64_t s = 0;
          if (!parse_int(trimmed(data_text), s) || s < -1 || s > 1)
            throw xml.error("edge sign '" + data_text + "' is not -1, 0 or 1");
          current_edge->sign = static_cast<int>(s);
          current_edge->has_sign = true;
        } else if (k == "interaction" && !current_edge->has_sign) {
          current_edge->sign = sign_of_interaction(data_text);
          current_edge->has_sign = current_edge->sign != 0;
        }
      } else if (!current_node.empty()) {
        if (k == "name") g.name_of[current_node] = data_text;
        if (k == "is_tf") {
          g.has_is_tf = true;
          node_is_tf[current_node] = parse_bool(data_text);
        }
      } else if (graph_depth > 0) {
        if (k == "method") g.method = data_text;
        if (k == "source") g.source = data_text;
      }
      data_key = nullptr;
    } else if (el == "node") {
      current_node.clear();
    } else if (el == "edge") {
      current_edge = nullptr;
    } else if (el == "graph") {
      --graph_depth;
    }
  }
  for (const auto& [id, key] : keys) {
    if ((key.domain == "edge" || key.domain == "all") &&
        (key.name == "weight" || key.name == "edgeweight" || key.name == "score" || key.name == "importance"))
      g.has_weight_key = true;
  }
  for (auto& e : g.edges) {
    for (auto* end : {&e.source, &e.target}) {
      if (node_is_tf.count(*end) == 0) {
        throw InputError("an edge refers to the undeclared node '" + *end + "'")
            .file(path.string())
            .record("line " + std::to_string(e.line));
      }
    }
  }
  for (const auto& id : node_order) {
    auto& name = g.name_of[id];
    if (name.empty()) name = id;
    if (node_is_tf[id]) g.tfs.push_back(name);
  }
  if (g.edges.empty()) throw InputError("the GraphML file has no edges").file(path.string());
  return g;
}

// Cytoscape SIF: `source interaction target [target ...]`, tab-separated when the line has a
// tab, else separated by spaces; a line with a single name is a node without edges.
TruthNetwork read_sif(const fs::path& path) {
  LineReader reader(path);
  std::string line;
  TruthNetwork t;
  t.layout = "sif";
  bool any_sign = false;
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos || line.front() == '#') continue;
    std::vector<std::string> f;
    for (const auto v : line.find('\t') != std::string::npos ? split_tabs(line) : split_whitespace(line))
      if (!v.empty()) f.emplace_back(v);
    if (f.size() == 1) continue;
    if (f.size() == 2) throw reader.error("expected 'source interaction target', found 2 fields");
    const int sign = sign_of_interaction(f[1]);
    any_sign = any_sign || sign != 0;
    for (std::size_t i = 2; i < f.size(); ++i) {
      t.edges.emplace_back(f[0], f[i]);
      t.signs.push_back(sign);
    }
  }
  if (!any_sign) t.signs.clear();
  return t;
}

std::string extension_of(const fs::path& path) { return lower(path.extension().string()); }

} // namespace

std::string network_format_name(NetworkFormat format) {
  switch (format) {
  case NetworkFormat::csv: return "csv";
  case NetworkFormat::tsv: return "tsv";
  case NetworkFormat::graphml: return "graphml";
  case NetworkFormat::sif: return "sif";
  }
  return "unknown";
}

NetworkFormat network_format_of(const std::filesystem::path& path) {
  const auto ext = extension_of(path);
  if (ext == ".csv") return NetworkFormat::csv;
  if (ext == ".tsv") return NetworkFormat::tsv;
  if (ext == ".graphml") return NetworkFormat::graphml;
  if (ext == ".sif") return NetworkFormat::sif;
  throw InputError("unknown network format '" + (ext.empty() ? std::string("(no extension)") : ext) +
                   "' (valid: .csv, .tsv, .graphml, .sif)")
      .file(path.string());
}

void write_network(const std::filesystem::path& path, const Network& network) {
  const auto format = network_format_of(path);
  std::vector<std::string> nodes;
  std::unordered_set<std::string> seen;
  for (const auto& e : network.edges) {
    for (const auto* n : {&e.regulator, &e.target}) {
      check_name(*n, format, path);
      if (seen.insert(*n).second) nodes.push_back(*n);
    }
    if (!std::isfinite(e.weight)) {
      throw InputError("edge " + e.regulator + " -> " + e.target + " has no finite weight")
          .file(path.string());
    }
  }
  AtomicFile out(path);
  auto& o = out.stream();
  const bool signed_edges = has_signs(network);
  switch (format) {
  case NetworkFormat::csv:
    o << "Gene1,Gene2,EdgeWeight\n";
    for (const auto& e : network.edges)
      o << e.regulator << ',' << e.target << ',' << number_text(e.weight) << '\n';
    break;
  case NetworkFormat::tsv:
    o << "Gene1\tGene2\tEdgeWeight" << (signed_edges ? "\tSign" : "") << '\n';
    for (const auto& e : network.edges) {
      o << e.regulator << '\t' << e.target << '\t' << number_text(e.weight);
      if (signed_edges) o << '\t' << (e.sign > 0 ? "+" : e.sign < 0 ? "-" : ".");
      o << '\n';
    }
    break;
  case NetworkFormat::graphml: write_graphml(o, network, nodes); break;
  case NetworkFormat::sif:
    for (const auto& e : network.edges)
      o << e.regulator << '\t' << interaction_of(e.sign) << '\t' << e.target << '\n';
    break;
  }
  out.commit();
}

Network read_network(const std::filesystem::path& path) {
  require_readable_file(path.string());
  Network net;
  const auto ext = extension_of(path);
  if (ext == ".sif") {
    throw InputError("SIF holds no edge weights, so it cannot be read as a ranked list (use .csv, .tsv or "
                     ".graphml)")
        .file(path.string());
  }
  if (ext == ".graphml") {
    const auto g = parse_graphml(path);
    if (!g.has_weight_key) {
      throw InputError("no edge key named weight, EdgeWeight, score or importance: not a ranked list")
          .file(path.string());
    }
    for (const auto& e : g.edges) {
      if (std::isnan(e.weight)) {
        throw InputError("edge without a weight")
            .file(path.string())
            .record("line " + std::to_string(e.line));
      }
      net.edges.push_back({g.name_of.at(e.source), g.name_of.at(e.target), e.weight, e.sign});
    }
    if (g.has_is_tf) net.tfs = g.tfs;
    net.method = g.method;
    net.source = g.source;
    return net;
  }
  const auto list = expr::read_edge_list(path);
  if (!list.has_weights) {
    throw InputError("no weight column (EdgeWeight, weight, score, importance): not a ranked list")
        .file(path.string());
  }
  for (const auto& e : list.edges) {
    if (!std::isfinite(e.weight))
      throw InputError("edge " + e.source + " -> " + e.target + " has no finite weight").file(path.string());
    net.edges.push_back({e.source, e.target, e.weight, e.sign});
  }
  return net;
}

TruthNetwork read_truth(const std::filesystem::path& path) {
  require_readable_file(path.string());
  TruthNetwork t;
  const auto ext = extension_of(path);
  if (ext == ".graphml") {
    const auto g = parse_graphml(path);
    t.layout = "graphml";
    const bool any_sign =
        std::any_of(g.edges.begin(), g.edges.end(), [](const auto& e) { return e.has_sign; });
    for (const auto& e : g.edges) {
      t.edges.emplace_back(g.name_of.at(e.source), g.name_of.at(e.target));
      if (any_sign) t.signs.push_back(e.sign);
    }
  } else if (ext == ".sif") {
    t = read_sif(path);
  } else {
    const auto list = expr::read_edge_list(path);
    const bool labelled =
        list.has_weights && std::all_of(list.edges.begin(), list.edges.end(),
                                        [](const auto& e) { return e.weight == 0.0 || e.weight == 1.0; });
    t.layout = labelled ? "labelled" : "edge-list";
    for (const auto& e : list.edges) {
      if (labelled && e.weight == 0.0) {
        ++t.negatives;
        continue;
      }
      t.edges.emplace_back(e.source, e.target);
      if (list.has_signs) t.signs.push_back(e.sign);
    }
  }
  if (t.edges.empty()) {
    throw InputError(t.negatives > 0 ? "every line is labelled 0 (not an edge): no true edges" : "no edges")
        .file(path.string());
  }
  return t;
}

std::vector<std::string> read_tf_list(const std::filesystem::path& path) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string> tfs;
  std::unordered_set<std::string> seen;
  bool first = true;
  while (reader.next_line(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos || line.front() == '#') continue;
    const auto cut = line.find_first_of(line.find('\t') != std::string::npos ? "\t" : ", ");
    std::string name = line.substr(0, cut);
    const auto b = name.find_first_not_of(' ');
    name = b == std::string::npos ? std::string() : name.substr(b, name.find_last_not_of(' ') - b + 1);
    if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') && name.back() == name.front())
      name = name.substr(1, name.size() - 2);
    if (name.empty()) throw reader.error("empty TF name");
    if (first) {
      first = false;
      const auto title = lower(name);
      if (title == "tf" || title == "tfs" || title == "gene" || title == "genes" || title == "name" ||
          title == "symbol" || title == "regulator" || title == "regulators" || title == "id")
        continue;
    }
    if (seen.insert(name).second) tfs.push_back(std::move(name));
  }
  if (tfs.empty()) throw InputError("no TF names").file(path.string());
  return tfs;
}

} // namespace gc::grn
