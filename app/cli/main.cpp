// genocircuit-cli: dispatches to the commands registered by the cmd_*.cpp files.
#include "cli.h"

#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/version.h"

#ifdef GC_CLI_HAVE_TORCH
#include "gc/kernels/runtime.h"
#endif

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

void print_help() {
  std::cout << "genocircuit-cli " << gc::version_string
            << " — GenoCircuit Studio on the command line\n\n"
               "Usage: genocircuit-cli COMMAND [ARGS...] [--json]\n\nCommands:\n";
  auto list = gc::cli::commands();
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& c : list) {
    std::string usage = c.usage;
    if (usage.size() < 44) usage.resize(44, ' ');
    std::cout << "  " << usage << " " << c.summary << '\n';
  }
  std::cout << "\nOptions for every command:\n"
               "  --json        print one JSON object on stdout (logs go to stderr)\n"
               "  --quiet       only warnings and errors on stderr\n\n"
               "Exit codes: 0 success, 2 bad input (the message names the file, record and "
               "problem), 1 internal error.\n";
}

int fail(bool json, int code, const std::string& kind, const std::string& message) {
  if (json) {
    gc::Json err = gc::Json::object();
    err["error"] = message;
    err["kind"] = kind;
    err["exit_code"] = code;
    std::cout << err.dump() << '\n';
  }
  std::cerr << "genocircuit-cli: " << (kind == "input" ? "" : "internal error: ") << message << '\n';
  return code;
}

} // namespace

int main(int argc, char** argv) {
#ifdef GC_CLI_HAVE_TORCH
  // Debian's LibTorch starts with one intra-op thread; use the machine.
  gc::kernels::configure_threads();
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    if (json) {
      gc::Json v = gc::Json::object();
      v["name"] = "genocircuit-cli";
      v["version"] = gc::version_string;
      v["revision"] = gc::git_revision;
      std::cout << v.dump() << '\n';
    } else {
      std::cout << "genocircuit-cli " << gc::version_string << " (" << gc::git_revision << ")\n";
    }
    return 0;
  }
  const auto& list = gc::cli::commands();
  const auto it = std::find_if(list.begin(), list.end(), [&](const auto& c) { return c.name == args[0]; });
  if (it == list.end()) {
    return fail(json, 2, "input", "unknown command '" + args[0] + "' (see genocircuit-cli --help)");
  }
  gc::cli::Args cmd_args(std::vector<std::string>(args.begin() + 1, args.end()));
  try {
    const gc::cli::Output out{cmd_args.flag("--json")};
    if (cmd_args.flag("--quiet")) gc::log::set_level(gc::log::Level::warning);
    if (cmd_args.flag("--help")) {
      std::cout << "Usage: genocircuit-cli " << it->usage << "\n" << it->summary << '\n';
      return 0;
    }
    const gc::Json result = it->run(cmd_args);
    out.emit(result);
    return 0;
  } catch (const gc::InputError& e) {
    return fail(json, 2, "input", e.what());
  } catch (const gc::Cancelled&) {
    return fail(json, 1, "cancelled", "cancelled");
  } catch (const std::exception& e) {
    return fail(json, 1, "internal", e.what());
  }
}
