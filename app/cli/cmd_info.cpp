// `info FILE`: summarises any file the data layer can read (gc::data chooses the importer by
// content first, extension second), and `plugins`: what the plugin host loaded.
#include "cli.h"

#include "gc/data/importer.h"
#include "gc/plugins/host.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

namespace gc::cli {
namespace {

Json run_info(Args& args) {
  const std::string file = args.positional("FILE");
  args.finish();
  // Plugins may add importers (the .pairs importer is one).
  plugins::Host::global().load_default();
  for (const auto& p : plugins::Host::global().problems())
    log::warning("plugin ", p.file.string(), ": ", p.message);
  return data::describe(file);
}

Json run_plugins(Args& args) {
  args.finish();
  auto& host = plugins::Host::global();
  host.load_default();
  return host.to_json();
}

const Registration info_command{
    {"info", "info FILE [--json]",
     "Summarise a genome, annotation, track, variant, expression, network or Hi-C file", run_info}};
const Registration plugins_command{{"plugins", "plugins [--json]",
                                    "List the plugins loaded from the install's and the user's plugin "
                                    "folders, what they add, and any refused",
                                    run_plugins}};

} // namespace
} // namespace gc::cli
