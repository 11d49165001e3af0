#include "gc/util/json.h"

#include "gc/util/error.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace gc {
namespace {

const char* type_name(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_bool()) return "boolean";
  if (j.is_number()) return "number";
  if (j.is_string()) return "string";
  if (j.is_array()) return "array";
  return "object";
}

[[noreturn]] void type_error(const Json& j, const char* wanted) {
  throw InputError(std::string("JSON value is a ") + type_name(j) + ", expected " + wanted);
}

class Parser {
public:
  explicit Parser(std::string_view text) : m_text(text) {}

  Json parse_document() {
    skip_ws();
    Json v = parse_value(0);
    skip_ws();
    if (m_pos != m_text.size()) fail("unexpected text after the JSON value");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string& what) const {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
      if (m_text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw InputError("invalid JSON: " + what)
        .record("line " + std::to_string(line) + ", column " + std::to_string(col));
  }

  void skip_ws() {
    while (m_pos < m_text.size() &&
           (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
      ++m_pos;
  }

  bool consume(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) == word) {
      m_pos += word.size();
      return true;
    }
    return false;
  }

  Json parse_value(int depth) {
    if (depth > 512) fail("nesting too deep");
    if (m_pos >= m_text.size()) fail("unexpected end of input");
    const char c = m_text[m_pos];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') return Json(parse_string());
    if (consume("true")) return Json(true);
    if (consume("false")) return Json(false);
    if (consume("null")) return Json();
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    fail(std::string("unexpected character '") + c + "'");
  }

  Json parse_object(int depth) {
    ++m_pos;
    Json::Object obj;
    skip_ws();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
      ++m_pos;
      return Json(std::move(obj));
    }
    for (;;) {
      skip_ws();
      if (m_pos >= m_text.size() || m_text[m_pos] != '"') fail("expected a string key");
      std::string key = parse_string();
      skip_ws();
      if (m_pos >= m_text.size() || m_text[m_pos] != ':') fail("expected ':'");
      ++m_pos;
      skip_ws();
      obj.emplace_back(std::move(key), parse_value(depth + 1));
      skip_ws();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        return Json(std::move(obj));
      }
      fail("expected ',' or '}'");
    }
  }

  Json parse_array(int depth) {
    ++m_pos;
    Json::Array arr;
    skip_ws();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
      ++m_pos;
      return Json(std::move(arr));
    }
    for (;;) {
      skip_ws();
      arr.push_back(parse_value(depth + 1));
      skip_ws();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == ']') {
        ++m_pos;
        return Json(std::move(arr));
      }
      fail("expected ',' or ']'");
    }
  }

  unsigned parse_hex4() {
    if (m_pos + 4 > m_text.size()) fail("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = m_text[m_pos++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= static_cast<unsigned>(h - 'A' + 10);
      else
        fail("bad hex digit in \\u escape");
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
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

  std::string parse_string() {
    ++m_pos; // opening quote
    std::string out;
    for (;;) {
      if (m_pos >= m_text.size()) fail("unterminated string");
      const char c = m_text[m_pos++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_pos >= m_text.size()) fail("unterminated escape");
      const char e = m_text[m_pos++];
      switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = parse_hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (!consume("\\u")) fail("unpaired surrogate");
          const unsigned lo = parse_hex4();
          if (lo < 0xDC00 || lo > 0xDFFF) fail("bad low surrogate");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        append_utf8(out, cp);
        break;
      }
      default: fail(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  Json parse_number() {
    const std::size_t start = m_pos;
    bool integral = true;
    if (m_text[m_pos] == '-') ++m_pos;
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c >= '0' && c <= '9') {
        ++m_pos;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        ++m_pos;
      } else {
        break;
      }
    }
    const std::string token(m_text.substr(start, m_pos - start));
    char* end = nullptr;
    if (integral) {
      errno = 0;
      const long long v = std::strtoll(token.c_str(), &end, 10);
      if (end == token.c_str() + token.size() && errno == 0) return Json(v);
    }
    const double d = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size()) fail("malformed number '" + token + "'");
    return Json(d);
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

void append_number(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null"; // JSON has no NaN/Inf
    return;
  }
  char buf[32];
  // Whole numbers below 2^53 print as integers (4337100, not 4.3371e+06): exact and readable.
  if (d == std::floor(d) && std::abs(d) < 9007199254740992.0) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
    out += buf;
    return;
  }
  std::snprintf(buf, sizeof buf, "%.17g", d);
  // Prefer the shortest representation that round-trips.
  for (int prec = 6; prec < 17; ++prec) {
    char trial[32];
    std::snprintf(trial, sizeof trial, "%.*g", prec, d);
    if (std::strtod(trial, nullptr) == d) {
      out += trial;
      return;
    }
  }
  out += buf;
}

void newline(std::string& out, int indent, int depth) {
  if (indent < 0) return;
  out += '\n';
  out.append(static_cast<std::size_t>(indent * depth), ' ');
}

} // namespace

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  out += '"';
  return out;
}

bool Json::as_bool() const {
  if (!is_bool()) type_error(*this, "boolean");
  return std::get<bool>(m_v);
}

std::int64_t Json::as_int() const {
  if (is_int()) return std::get<std::int64_t>(m_v);
  if (m_v.index() == 3) {
    const double d = std::get<double>(m_v);
    // A whole number outside int64's range (1e300) is not an integer: the cast would be undefined.
    if (std::floor(d) == d && d >= -0x1p63 && d < 0x1p63) return static_cast<std::int64_t>(d);
  }
  type_error(*this, "integer");
}

double Json::as_double() const {
  if (is_int()) return static_cast<double>(std::get<std::int64_t>(m_v));
  if (m_v.index() == 3) return std::get<double>(m_v);
  type_error(*this, "number");
}

const std::string& Json::as_string() const {
  if (!is_string()) type_error(*this, "string");
  return std::get<std::string>(m_v);
}

const Json::Array& Json::as_array() const {
  if (!is_array()) type_error(*this, "array");
  return std::get<Array>(m_v);
}

Json::Array& Json::as_array() {
  if (!is_array()) type_error(*this, "array");
  return std::get<Array>(m_v);
}

const Json::Object& Json::as_object() const {
  if (!is_object()) type_error(*this, "object");
  return std::get<Object>(m_v);
}

Json::Object& Json::as_object() {
  if (!is_object()) type_error(*this, "object");
  return std::get<Object>(m_v);
}

Json& Json::operator[](std::string_view key) {
  if (is_null()) m_v = Object{};
  auto& obj = as_object();
  for (auto& [k, v] : obj)
    if (k == key) return v;
  obj.emplace_back(std::string(key), Json());
  return obj.back().second;
}

const Json* Json::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : std::get<Object>(m_v))
    if (k == key) return &v;
  return nullptr;
}

const Json& Json::at(std::string_view key) const {
  if (const Json* v = find(key)) return *v;
  throw InputError("missing JSON key '" + std::string(key) + "'");
}

const Json& Json::at(std::size_t i) const {
  const auto& a = as_array();
  if (i >= a.size()) throw InputError("JSON array index " + std::to_string(i) + " out of range");
  return a[i];
}

void Json::push_back(Json v) {
  if (is_null()) m_v = Array{};
  as_array().push_back(std::move(v));
}

std::size_t Json::size() const {
  if (is_array()) return std::get<Array>(m_v).size();
  if (is_object()) return std::get<Object>(m_v).size();
  return 0;
}

double Json::value(std::string_view key, double fallback) const {
  const Json* v = find(key);
  return v && v->is_number() ? v->as_double() : fallback;
}

std::string Json::value(std::string_view key, const std::string& fallback) const {
  const Json* v = find(key);
  return v && v->is_string() ? v->as_string() : fallback;
}

std::string Json::dump(int indent) const {
  std::string out;
  dump_to(out, indent, 0);
  return out;
}

void Json::dump_to(std::string& out, int indent, int depth) const {
  switch (m_v.index()) {
  case 0: out += "null"; break;
  case 1: out += std::get<bool>(m_v) ? "true" : "false"; break;
  case 2: out += std::to_string(std::get<std::int64_t>(m_v)); break;
  case 3: append_number(out, std::get<double>(m_v)); break;
  case 4: out += json_quote(std::get<std::string>(m_v)); break;
  case 5: {
    const auto& a = std::get<Array>(m_v);
    out += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i) out += ',';
      newline(out, indent, depth + 1);
      a[i].dump_to(out, indent, depth + 1);
    }
    if (!a.empty()) newline(out, indent, depth);
    out += ']';
    break;
  }
  case 6: {
    const auto& o = std::get<Object>(m_v);
    out += '{';
    for (std::size_t i = 0; i < o.size(); ++i) {
      if (i) out += ',';
      newline(out, indent, depth + 1);
      out += json_quote(o[i].first);
      out += indent < 0 ? ":" : ": ";
      o[i].second.dump_to(out, indent, depth + 1);
    }
    if (!o.empty()) newline(out, indent, depth);
    out += '}';
    break;
  }
  }
}

Json Json::parse(std::string_view text) { return Parser(text).parse_document(); }

} // namespace gc
