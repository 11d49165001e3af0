#include "gc/plugins/host.h"

#include "gc/util/error.h"
#include "gc/util/log.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <system_error>

namespace gc::plugins {
namespace fs = std::filesystem;

namespace {

// A dlopen handle closed on scope exit unless released (a plugin that was accepted stays
// loaded: its code backs importers held by the core's registries).
class Library {
public:
  explicit Library(const fs::path& file) : m_handle(dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (!m_handle) {
      const char* why = dlerror();
      throw InputError(std::string("cannot load the plugin: ") + (why ? why : "unknown dlopen error"))
          .file(file.string());
    }
  }
  ~Library() {
    if (m_handle) dlclose(m_handle);
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  template <typename Fn>
  [[nodiscard]] Fn symbol(const char* name) const {
    dlerror();
    void* p = dlsym(m_handle, name);
    return dlerror() == nullptr ? reinterpret_cast<Fn>(p) : nullptr;
  }
  void release() noexcept { m_handle = nullptr; }

private:
  void* m_handle;
};

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

} // namespace

std::vector<PluginFolder> Host::default_folders() {
  std::vector<PluginFolder> out;
  if (const fs::path dir = executable_dir(); !dir.empty())
    out.push_back({(dir / ".." / "lib" / "genocircuit" / "plugins").lexically_normal(), "install"});
  fs::path data_home;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
    data_home = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home && fs::path(home).is_absolute())
    data_home = fs::path(home) / ".local" / "share";
  if (!data_home.empty()) out.push_back({data_home / "genocircuit" / "plugins", "user"});
  return out;
}

Host& Host::global() {
  static Host host;
  return host;
}

void Host::load_default() {
  if (m_default_loaded) return;
  m_default_loaded = true;
  load(default_folders());
}

void Host::load(const std::vector<PluginFolder>& folders) {
  for (const auto& folder : folders) {
    if (!folder.path.is_absolute()) {
      m_problems.push_back({folder.path, "plugin folders must be absolute paths; not searched"});
      continue;
    }
    m_folders.push_back(folder);
    std::error_code ec;
    if (!fs::is_directory(folder.path, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(folder.path, ec))
      if (e.path().extension() == ".so" && e.is_regular_file(ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      load_file(f, folder.kind);
  }
}

void Host::load_file(const fs::path& file, const std::string& kind) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(file, ec);
  if (ec) {
    m_problems.push_back({file, "cannot resolve the plugin's path: " + ec.message()});
    return;
  }
  if (std::find(m_seen.begin(), m_seen.end(), canonical) != m_seen.end()) return;
  m_seen.push_back(canonical);
  // Outside the try: an exception thrown by the plugin's own code (its copy of gc::Error, say)
  // must be handled and destroyed while the library is still loaded.
  std::optional<Library> loaded;
  try {
    // An absolute path: dlopen never searches the current directory or LD_LIBRARY_PATH for it.
    Library& library = loaded.emplace(canonical);
    const auto abi = library.symbol<AbiVersionFn>(abi_version_symbol);
    const auto compiler = library.symbol<CompilerAbiFn>(compiler_abi_symbol);
    const auto create = library.symbol<CreateFn>(create_symbol);
    if (!abi || !compiler || !create)
      throw InputError("not a GenoCircuit plugin (missing the entry points that GC_DECLARE_PLUGIN writes)");
    if (abi() != abi_version)
      throw InputError("built for plugin ABI " + std::to_string(abi()) + "; this GenoCircuit needs ABI " +
                       std::to_string(abi_version) + " (rebuild the plugin)");
    if (compiler() != __GXX_ABI_VERSION)
      throw InputError("built with C++ ABI " + std::to_string(compiler()) + ", this GenoCircuit with " +
                       std::to_string(__GXX_ABI_VERSION) + " (rebuild the plugin with the same compiler)");
    std::unique_ptr<Plugin> plugin(create());
    if (!plugin) throw InputError("the plugin's create function returned nothing");
    LoadedPlugin info{canonical, kind, plugin->name(), plugin->version(), plugin->description(), {}, {}, {}};
    const auto importers = plugin->importers();
    const auto grn = plugin->grn_methods();
    const auto exporters = plugin->exporters();
    for (const auto& i : importers) {
      if (!i) throw InputError("the plugin lists a null importer");
      info.importers.push_back(i->id());
    }
    for (const auto& g : grn) {
      if (!g) throw InputError("the plugin lists a null GRN method");
      info.grn_methods.push_back(g->id());
    }
    for (const auto& x : exporters) {
      if (!x) throw InputError("the plugin lists a null exporter");
      info.exporters.push_back(x->id());
    }
    // Everything checked: from here the plugin's code is in use and stays loaded.
    for (const auto& i : importers)
      data::Registry::global().add(i, canonical.string());
    m_grn_methods.insert(m_grn_methods.end(), grn.begin(), grn.end());
    m_exporters.insert(m_exporters.end(), exporters.begin(), exporters.end());
    m_instances.push_back(std::move(plugin));
    m_plugins.push_back(std::move(info));
    library.release();
    log::debug("plugin loaded: ", m_plugins.back().name, " (", canonical.string(), ")");
  } catch (const Error& e) {
    // The file is recorded beside the message; the message says only what is wrong.
    m_problems.push_back({canonical, e.message()});
    log::warning("plugin skipped: ", e.what());
  } catch (const std::exception& e) {
    m_problems.push_back({canonical, e.what()});
    log::warning("plugin skipped: ", canonical.string(), ": ", e.what());
  }
}

std::vector<std::shared_ptr<const GrnMethod>> Host::grn_methods() const { return m_grn_methods; }
std::vector<std::shared_ptr<const Exporter>> Host::exporters() const { return m_exporters; }

Json Host::to_json() const {
  Json out = Json::object();
  Json folders = Json::array();
  for (const auto& f : m_folders) {
    Json o = Json::object();
    o["path"] = f.path.string();
    o["kind"] = f.kind;
    std::error_code ec;
    o["exists"] = fs::is_directory(f.path, ec);
    folders.push_back(std::move(o));
  }
  out["abi_version"] = abi_version;
  out["folders"] = std::move(folders);
  Json plugins = Json::array();
  for (const auto& p : m_plugins) {
    Json o = Json::object();
    o["name"] = p.name;
    o["version"] = p.version;
    o["description"] = p.description;
    o["file"] = p.file.string();
    o["folder"] = p.folder_kind;
    o["importers"] = Json::array_of(p.importers);
    o["grn_methods"] = Json::array_of(p.grn_methods);
    o["exporters"] = Json::array_of(p.exporters);
    plugins.push_back(std::move(o));
  }
  out["plugins"] = std::move(plugins);
  Json problems = Json::array();
  for (const auto& p : m_problems) {
    Json o = Json::object();
    o["file"] = p.file.string();
    o["message"] = p.message;
    problems.push_back(std::move(o));
  }
  out["problems"] = std::move(problems);
  Json importers = Json::array();
  for (const auto& r : data::Registry::global().importers()) {
    Json o = Json::object();
    o["id"] = r.importer->id();
    o["kind"] = std::string(data::to_string(r.importer->kind()));
    o["description"] = r.importer->description();
    o["origin"] = r.origin;
    importers.push_back(std::move(o));
  }
  out["importers"] = std::move(importers);
  return out;
}

} // namespace gc::plugins
