#include "gc/session/session.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <system_error>

namespace gc::session {
namespace fs = std::filesystem;

namespace {

const Json& require(const Json& object, std::string_view key, bool (Json::*is)() const noexcept,
                    std::string_view type) {
  const Json* v = object.find(key);
  if (!v || !(v->*is)()) throw InputError("\"" + std::string(key) + "\" must be " + std::string(type));
  return *v;
}

// An optional member of a given type; nullptr when absent or null, an error when of another type.
const Json* optional(const Json& object, std::string_view key, bool (Json::*is)() const noexcept,
                     std::string_view type) {
  const Json* v = object.find(key);
  if (!v || v->is_null()) return nullptr;
  if (!(v->*is)()) throw InputError("\"" + std::string(key) + "\" must be " + std::string(type));
  return v;
}

fs::path resolve(const fs::path& base_dir, const std::string& stored) {
  const fs::path p(stored);
  return (p.is_absolute() ? p : base_dir / p).lexically_normal();
}

std::string relative_to(const fs::path& base_dir, const fs::path& file) {
  std::error_code ec;
  const fs::path rel = fs::relative(file, base_dir, ec);
  return ec || rel.empty() ? file.string() : rel.generic_string();
}

FigureSpec parse_figure(const Json& f) {
  if (!f.is_object()) throw InputError("every entry of \"figures\" must be an object");
  FigureSpec spec;
  spec.view = require(f, "view", &Json::is_string, "a string").as_string();
  if (const auto* out = optional(f, "out", &Json::is_string, "a string")) spec.out = out->as_string();
  if (const auto* dpi = optional(f, "dpi", &Json::is_number, "a number")) {
    // Range-checked before narrowing, so that 2^32 + 300 is not read as 300.
    const std::int64_t value = dpi->as_int();
    if (value <= 0 || value > 10000) throw InputError("figure \"dpi\" must be between 1 and 10000");
    spec.dpi = static_cast<int>(value);
  }
  if (spec.dpi <= 0 || spec.dpi > 10000) throw InputError("figure \"dpi\" must be between 1 and 10000");
  spec.width_mm = f.value("width_mm", 0.0);
  spec.height_mm = f.value("height_mm", 0.0);
  if (spec.width_mm < 0 || spec.height_mm < 0) throw InputError("figure sizes must not be negative");
  return spec;
}

} // namespace

std::optional<std::string> Session::locus(std::string_view view) const {
  const Json* state = view_state(view);
  if (!state || !state->is_object()) return std::nullopt;
  const Json* l = state->find("locus");
  if (!l || !l->is_string() || l->as_string().empty()) return std::nullopt;
  return l->as_string();
}

Loaded parse(std::string_view text, const fs::path& base_dir) {
  const Json doc = Json::parse(text);
  if (!doc.is_object() || doc.value("format", std::string()) != format_name)
    throw InputError("not a GenoCircuit session (missing \"format\": \"genocircuit-session\")");
  const Json& version = require(doc, "version", &Json::is_int, "an integer");
  Loaded loaded;
  // Checked as int64 before narrowing: 2^32 + 1 must not pass as version 1.
  if (version.as_int() < 1 || version.as_int() > current_version)
    throw InputError("session version " + std::to_string(version.as_int()) + " is not supported (1 to " +
                     std::to_string(current_version) + ")");
  loaded.version = static_cast<int>(version.as_int());
  Session& s = loaded.session;
  if (const auto* files = optional(doc, "files", &Json::is_array, "an array of paths")) {
    for (const auto& f : files->as_array()) {
      if (!f.is_string()) throw InputError("\"files\" must be an array of paths");
      const fs::path p = resolve(base_dir, f.as_string());
      std::error_code ec;
      (fs::exists(p, ec) ? s.files : loaded.missing).push_back(p);
    }
  }
  if (const auto* v = optional(doc, "current_view", &Json::is_string, "a string"))
    s.current_view = v->as_string();
  if (const auto* views = optional(doc, "views", &Json::is_object, "an object")) s.views = *views;
  if (const auto* maps = optional(doc, "colormaps", &Json::is_object, "an object")) s.colormaps = *maps;
  if (const auto* results = optional(doc, "results", &Json::is_array, "an array")) {
    for (const auto& r : results->as_array()) {
      if (!r.is_object()) throw InputError("every entry of \"results\" must be an object");
      Result result;
      result.kind = require(r, "kind", &Json::is_string, "a string").as_string();
      result.name = r.value("name", std::string());
      if (const auto* data = r.find("data")) result.data = *data;
      s.results.push_back(std::move(result));
    }
  }
  if (const auto* figures = optional(doc, "figures", &Json::is_array, "an array"))
    for (const auto& f : figures->as_array())
      s.figures.push_back(parse_figure(f));
  if (const auto* w = optional(doc, "window_state", &Json::is_string, "a string"))
    s.window_state = w->as_string();
  return loaded;
}

Loaded read(const fs::path& path) {
  const fs::path abs = fs::absolute(path).lexically_normal();
  std::error_code ec;
  if (!fs::exists(abs, ec)) throw InputError("no such session file").file(path.string());
  try {
    Loaded loaded = parse(read_text_file(abs), abs.parent_path());
    loaded.path = abs;
    return loaded;
  } catch (Error& e) {
    if (e.file_name().empty()) e.file(path.string());
    throw;
  }
}

Json to_json(const Session& s, const fs::path& base_dir) {
  Json doc = Json::object();
  doc["format"] = std::string(format_name);
  doc["version"] = current_version;
  Json files = Json::array();
  for (const auto& f : s.files)
    files.push_back(relative_to(base_dir, f));
  doc["files"] = std::move(files);
  doc["current_view"] = s.current_view;
  doc["views"] = s.views.is_object() ? s.views : Json::object();
  doc["colormaps"] = s.colormaps.is_object() ? s.colormaps : Json::object();
  Json results = Json::array();
  for (const auto& r : s.results) {
    Json o = Json::object();
    o["kind"] = r.kind;
    o["name"] = r.name;
    o["data"] = r.data;
    results.push_back(std::move(o));
  }
  doc["results"] = std::move(results);
  Json figures = Json::array();
  for (const auto& f : s.figures) {
    Json o = Json::object();
    o["view"] = f.view;
    o["out"] = f.out;
    o["dpi"] = f.dpi;
    o["width_mm"] = f.width_mm;
    o["height_mm"] = f.height_mm;
    figures.push_back(std::move(o));
  }
  doc["figures"] = std::move(figures);
  if (!s.window_state.empty()) doc["window_state"] = s.window_state;
  return doc;
}

void write(const Session& session, const fs::path& path) {
  const fs::path abs = fs::absolute(path).lexically_normal();
  const std::string text = to_json(session, abs.parent_path()).dump(2) + "\n";
  AtomicFile out(abs);
  out.stream() << text;
  out.commit();
}

} // namespace gc::session
