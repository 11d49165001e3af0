// Plugins the host must refuse, one per compile definition.
#include "gc/plugins/plugin.h"
#include "gc/util/error.h"

#include <stdexcept>

namespace {
class Dummy final : public gc::plugins::Plugin {
public:
  Dummy() {
#if defined(GC_BAD_PLUGIN_THROWS)
    throw std::runtime_error("the plugin's constructor failed on purpose");
#elif defined(GC_BAD_PLUGIN_THROWS_GC)
    throw gc::InputError("the plugin's own gc::InputError, on purpose").file("its-config.json");
#endif
  }
  std::string name() const override { return "dummy"; }
  std::string version() const override { return "0"; }
  std::string description() const override { return "a plugin the host must refuse"; }
};
} // namespace

#if defined(GC_BAD_PLUGIN_WRONG_ABI)
extern "C" __attribute__((visibility("default"))) int gc_plugin_abi_version() {
  return gc::plugins::abi_version + 41;
}
extern "C" __attribute__((visibility("default"))) int gc_plugin_compiler_abi() { return __GXX_ABI_VERSION; }
extern "C" __attribute__((visibility("default"))) gc::plugins::Plugin* gc_plugin_create() {
  return new Dummy();
}
#elif defined(GC_BAD_PLUGIN_THROWS) || defined(GC_BAD_PLUGIN_THROWS_GC)
GC_DECLARE_PLUGIN(Dummy)
#else
// No entry points: an ordinary shared library that happens to sit in the plugin folder.
extern "C" __attribute__((visibility("default"))) int some_library_function() { return 42; }
#endif
