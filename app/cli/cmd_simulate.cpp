// `simulate --out DIR`: generates the demo world (DESIGN §6) and writes it with its manifest.
#include "cli.h"

#include "gc/simulate/world.h"
#include "gc/util/error.h"

namespace gc::cli {
namespace {

Json run_simulate(Args& args) {
  const auto out = args.option("--out");
  const std::string preset = args.option_or("--preset", "demo");
  const auto seed = args.int_option_or("--seed", 1);
  args.finish();
  if (!out || out->empty()) throw InputError("simulate needs --out DIR");
  if (seed < 0) throw InputError("--seed must be a non-negative integer");
  auto spec = simulate::WorldSpec::preset_named(preset);
  spec.seed = static_cast<std::uint64_t>(seed);
  const auto world = simulate::generate(spec);
  return simulate::write_world(world, *out);
}

const Registration simulate_command{
    {"simulate", "simulate --out DIR [--preset small|demo|large] [--seed N] [--json]",
     "Generate the synthetic demo world (genome, GRN, single-cell and CRISPR-screen expression, "
     "Hi-C, variants) with its ground truth into DIR and print its manifest",
     run_simulate}};

} // namespace
} // namespace gc::cli
