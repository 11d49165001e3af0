#pragma once
// Loads plugins from the install's plugin folder and the user's plugin folder only — never the
// current directory or the library search path — checks their ABI version, and adds what they
// provide to the core's registries. A bad plugin (not a library, missing entry points, another
// ABI, a throwing constructor) is reported and skipped; the application goes on without it.
#include "gc/plugins/plugin.h"
#include "gc/util/json.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gc::plugins {

struct LoadedPlugin {
  std::filesystem::path file;
  std::string folder_kind; // "install" or "user"
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> importers; // importer ids
  std::vector<std::string> grn_methods;
  std::vector<std::string> exporters;
};

struct PluginProblem {
  std::filesystem::path file;
  std::string message;
};

struct PluginFolder {
  std::filesystem::path path; // absolute
  std::string kind;           // "install" or "user"
};

class Host {
public:
  // <executable>/../lib/genocircuit/plugins (the build tree mirrors the install layout) and
  // $XDG_DATA_HOME/genocircuit/plugins (default ~/.local/share/genocircuit/plugins).
  [[nodiscard]] static std::vector<PluginFolder> default_folders();
  // The process-wide host. Plugins stay loaded for the life of the process: the importers they
  // added to gc::data's registry run their code.
  [[nodiscard]] static Host& global();

  // Loads every *.so directly in each folder (in name order); folders that do not exist are
  // skipped, relative folders refused. Each file is loaded at most once per process.
  void load(const std::vector<PluginFolder>& folders);
  // load(default_folders()) once; later calls do nothing.
  void load_default();

  [[nodiscard]] const std::vector<LoadedPlugin>& plugins() const noexcept { return m_plugins; }
  [[nodiscard]] const std::vector<PluginProblem>& problems() const noexcept { return m_problems; }
  [[nodiscard]] std::vector<std::shared_ptr<const GrnMethod>> grn_methods() const;
  [[nodiscard]] std::vector<std::shared_ptr<const Exporter>> exporters() const;
  // {"folders": [...], "plugins": [...], "problems": [...], "importers": [every registered importer]}
  [[nodiscard]] Json to_json() const;

  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

private:
  Host() = default;
  void load_file(const std::filesystem::path& file, const std::string& kind);
  std::vector<std::filesystem::path> m_seen; // canonical paths already tried
  std::vector<std::unique_ptr<Plugin>> m_instances;
  std::vector<PluginFolder> m_folders;
  std::vector<LoadedPlugin> m_plugins;
  std::vector<PluginProblem> m_problems;
  std::vector<std::shared_ptr<const GrnMethod>> m_grn_methods;
  std::vector<std::shared_ptr<const Exporter>> m_exporters;
  bool m_default_loaded = false;
};

} // namespace gc::plugins
