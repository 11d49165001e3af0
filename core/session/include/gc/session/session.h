#pragma once
// The session document (DESIGN §2, §5): everything needed to bring a piece of work back — the
// datasets (stored relative to the session's folder, so a moved folder still works), the loci
// and per-view state, colour maps, and the results a user keeps: GRN runs, knockout scenarios,
// attention queries and figure specs. Qt-free, so the GUI and genocircuit-cli read and write
// the same document. Versioned JSON; version 1 and 2 sessions (written by the GUI before this
// layer existed) are still read.
#include "gc/util/json.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gc::session {

inline constexpr int current_version = 3;
inline constexpr std::string_view format_name = "genocircuit-session";

// A figure a user asked for, re-made from the command line by `export-figure`.
struct FigureSpec {
  std::string view; // "browser", "hic", "3d", ...
  std::string out;  // as given (relative paths are relative to the session folder)
  int dpi = 300;
  double width_mm = 0.0; // 0: the exporter's default
  double height_mm = 0.0;
  friend bool operator==(const FigureSpec&, const FigureSpec&) = default;
};

// One saved result: its kind names which layer reads it back ("grn_run", "knockout_scenario",
// "attention_query"); `data` is that layer's own JSON, kept verbatim by the session.
struct Result {
  std::string kind;
  std::string name;
  Json data = Json::object();
  friend bool operator==(const Result&, const Result&) = default;
};

struct Session {
  // Absolute paths in memory; written relative to the session's folder.
  std::vector<std::filesystem::path> files;
  std::string current_view;
  // Per view: its settings as the view writes them (locus, normalisation, colour map, ...).
  Json views = Json::object();
  // Named colour maps a user defined or chose, by name -> spec.
  Json colormaps = Json::object();
  std::vector<Result> results;
  std::vector<FigureSpec> figures;
  // Opaque GUI layout (dock positions); ignored outside the GUI.
  std::string window_state;

  // The state of `view`, or nullptr when the session has none.
  [[nodiscard]] const Json* view_state(std::string_view view) const { return views.find(view); }
  // The locus the session shows in `view`, if its state names one.
  [[nodiscard]] std::optional<std::string> locus(std::string_view view) const;

  friend bool operator==(const Session&, const Session&) = default;
};

// A session as read from disk, with what could not be restored.
struct Loaded {
  Session session;
  std::filesystem::path path;                 // absolute
  int version = current_version;              // as written in the file
  std::vector<std::filesystem::path> missing; // listed files that no longer exist (kept out of session.files)
};

// Parses a session document; relative file paths are resolved against `base_dir`. Throws
// gc::InputError naming the problem (not JSON, not a session, unsupported version, wrong types).
[[nodiscard]] Loaded parse(std::string_view text, const std::filesystem::path& base_dir);
// Reads `path`; errors name the file. A missing file is an InputError ("no such session file").
[[nodiscard]] Loaded read(const std::filesystem::path& path);

// The document as JSON, file paths relative to `base_dir` where they lie below or beside it.
[[nodiscard]] Json to_json(const Session& session, const std::filesystem::path& base_dir);
// Writes `session` to `path` atomically (temporary name, then rename).
void write(const Session& session, const std::filesystem::path& path);

} // namespace gc::session
