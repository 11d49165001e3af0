// `bench SUITE`: runs a benchmark suite registered by a module (kernels, io, hic, ...).
#include "cli.h"

#include "gc/util/error.h"
#include "gc/util/timing.h"

#ifdef GC_CLI_HAVE_TORCH
#include "gc/kernels/runtime.h"
#endif

#include <thread>

namespace gc::cli {

Json machine_description() {
  Json m = Json::object();
  m["cpu"] = cpu_model_name();
  m["threads"] = static_cast<int>(std::thread::hardware_concurrency());
  m["gpu"] = nullptr;
#ifdef GC_CLI_HAVE_TORCH
  const auto rt = kernels::runtime_info();
  if (!rt.gpu_name.empty()) m["gpu"] = rt.gpu_name;
  m["torch"] = rt.torch_version;
  m["torch_threads"] = rt.cpu_threads;
  m["cuda_compiled"] = rt.cuda_compiled;
#else
  m["torch"] = nullptr;
#endif
  return m;
}

namespace {

Json run_bench(Args& args) {
  const std::string name = args.positional("SUITE");
  for (const auto& suite : bench_suites()) {
    if (suite.name == name) return suite.run(args);
  }
  std::string known;
  for (const auto& suite : bench_suites())
    known += (known.empty() ? "" : ", ") + suite.name;
  throw InputError("unknown benchmark suite '" + name + "'" +
                   (known.empty() ? std::string(" (this build has none)") : " (available: " + known + ")"));
}

const Registration bench_command{{"bench", "bench SUITE [--json] [suite options]",
                                  "Run a benchmark suite and report times against a same-run baseline",
                                  run_bench}};

} // namespace
} // namespace gc::cli
