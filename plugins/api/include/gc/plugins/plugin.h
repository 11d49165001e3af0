#pragma once
// The public plugin interfaces (DESIGN §2): a plugin is a shared library that sees only these
// interfaces and the core. It can add dataset importers (new file formats, through gc::data's
// registry), GRN inference methods and exporters. The host checks the ABI version before it
// creates anything; a plugin declares itself with GC_DECLARE_PLUGIN(ClassName).
#include "gc/data/importer.h"
#include "gc/expr/matrix.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gc::plugins {

// Bumped whenever these interfaces or the core types they pass change layout.
inline constexpr int abi_version = 1;

// One regulator -> target edge with a score (higher = more confident).
struct RankedEdge {
  std::string regulator;
  std::string target;
  double weight = 0.0;
};

class GrnMethod {
public:
  virtual ~GrnMethod() = default;
  [[nodiscard]] virtual std::string id() const = 0; // `grn --method ID`
  [[nodiscard]] virtual std::string description() const = 0;
  // Edges ranked by weight (descending); `regulators` empty = every gene may regulate.
  [[nodiscard]] virtual std::vector<RankedEdge> infer(const expr::ExpressionMatrix& expression,
                                                      const std::vector<std::string>& regulators,
                                                      const Progress& progress) const = 0;
};

class Exporter {
public:
  virtual ~Exporter() = default;
  [[nodiscard]] virtual std::string id() const = 0;
  [[nodiscard]] virtual std::string description() const = 0;
  // File extensions it writes, without the dot ("bb", "gexf").
  [[nodiscard]] virtual std::vector<std::string> extensions() const = 0;
  [[nodiscard]] virtual bool accepts(const data::Dataset& dataset) const = 0;
  // Must write atomically (temporary name, then rename), as every output of the application.
  virtual void write(const data::Dataset& dataset, const std::filesystem::path& out,
                     const Progress& progress) const = 0;
};

class Plugin {
public:
  virtual ~Plugin() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual std::string version() const = 0;
  [[nodiscard]] virtual std::string description() const = 0;
  [[nodiscard]] virtual std::vector<std::shared_ptr<const data::Importer>> importers() const { return {}; }
  [[nodiscard]] virtual std::vector<std::shared_ptr<const GrnMethod>> grn_methods() const { return {}; }
  [[nodiscard]] virtual std::vector<std::shared_ptr<const Exporter>> exporters() const { return {}; }
};

// The C entry points every plugin exports (GC_DECLARE_PLUGIN writes them).
extern "C" {
using AbiVersionFn = int (*)();
using CompilerAbiFn = int (*)();
using CreateFn = Plugin* (*)();
}
inline constexpr const char* abi_version_symbol = "gc_plugin_abi_version";
inline constexpr const char* compiler_abi_symbol = "gc_plugin_compiler_abi";
inline constexpr const char* create_symbol = "gc_plugin_create";

} // namespace gc::plugins

// The C++ ABI of the compiler matters as much as ours: std::string and std::shared_ptr cross
// the boundary.
#define GC_DECLARE_PLUGIN(PluginClass)                                                                       \
  extern "C" __attribute__((visibility("default"))) int gc_plugin_abi_version() {                            \
    return ::gc::plugins::abi_version;                                                                       \
  }                                                                                                          \
  extern "C" __attribute__((visibility("default"))) int gc_plugin_compiler_abi() {                           \
    return __GXX_ABI_VERSION;                                                                                \
  }                                                                                                          \
  extern "C" __attribute__((visibility("default"))) ::gc::plugins::Plugin* gc_plugin_create() {              \
    return new PluginClass();                                                                                \
  }
