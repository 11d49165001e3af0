#pragma once
// A small JSON value for the CLI's --json output, benchmark reports, manifests and sessions.
// Objects keep insertion order so output is stable and diff-friendly.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gc {

class Json {
public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() = default; // null
  Json(std::nullptr_t) {}
  Json(bool b) : m_v(b) {}
  Json(int i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(long i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(long long i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(unsigned i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(unsigned long i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(unsigned long long i) : m_v(static_cast<std::int64_t>(i)) {}
  Json(double d) : m_v(d) {}
  Json(float d) : m_v(static_cast<double>(d)) {}
  Json(const char* s) : m_v(std::string(s)) {}
  Json(std::string s) : m_v(std::move(s)) {}
  Json(std::string_view s) : m_v(std::string(s)) {}
  Json(Array a) : m_v(std::move(a)) {}
  Json(Object o) : m_v(std::move(o)) {}

  static Json array() { return Json(Array{}); }
  static Json object() { return Json(Object{}); }
  template <typename T>
  static Json array_of(const std::vector<T>& values) {
    Array a;
    a.reserve(values.size());
    for (const auto& v : values)
      a.emplace_back(v);
    return Json(std::move(a));
  }

  [[nodiscard]] bool is_null() const noexcept { return m_v.index() == 0; }
  [[nodiscard]] bool is_bool() const noexcept { return m_v.index() == 1; }
  [[nodiscard]] bool is_int() const noexcept { return m_v.index() == 2; }
  [[nodiscard]] bool is_number() const noexcept { return m_v.index() == 2 || m_v.index() == 3; }
  [[nodiscard]] bool is_string() const noexcept { return m_v.index() == 4; }
  [[nodiscard]] bool is_array() const noexcept { return m_v.index() == 5; }
  [[nodiscard]] bool is_object() const noexcept { return m_v.index() == 6; }

  // Accessors throw gc::InputError on a type mismatch (JSON usually comes from a file).
  [[nodiscard]] bool as_bool() const;
  [[nodiscard]] std::int64_t as_int() const;
  [[nodiscard]] double as_double() const;
  [[nodiscard]] const std::string& as_string() const;
  [[nodiscard]] const Array& as_array() const;
  [[nodiscard]] Array& as_array();
  [[nodiscard]] const Object& as_object() const;
  [[nodiscard]] Object& as_object();

  // Object access: operator[] inserts (turning null into an object); at() throws when missing.
  Json& operator[](std::string_view key);
  [[nodiscard]] const Json& at(std::string_view key) const;
  [[nodiscard]] const Json* find(std::string_view key) const;
  [[nodiscard]] bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Array access.
  [[nodiscard]] const Json& at(std::size_t i) const;
  void push_back(Json v);
  [[nodiscard]] std::size_t size() const;

  // Typed lookups with defaults, for optional settings.
  [[nodiscard]] double value(std::string_view key, double fallback) const;
  [[nodiscard]] std::string value(std::string_view key, const std::string& fallback) const;

  // indent < 0: compact, one line.
  [[nodiscard]] std::string dump(int indent = -1) const;
  // Throws gc::InputError with line and column on malformed text.
  [[nodiscard]] static Json parse(std::string_view text);

  friend bool operator==(const Json& a, const Json& b) { return a.m_v == b.m_v; }

private:
  void dump_to(std::string& out, int indent, int depth) const;
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> m_v;
};

// JSON string escaping (quotes included).
[[nodiscard]] std::string json_quote(std::string_view s);

} // namespace gc
