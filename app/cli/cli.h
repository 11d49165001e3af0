#pragma once
// Command registry and argument handling for genocircuit-cli. Each cmd_*.cpp registers its
// commands with a static Registration; main() only dispatches. Contract (DESIGN §7): with
// --json one JSON object on stdout, logs on stderr; exit 2 for bad input, 1 for internal errors.
#include "gc/util/json.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gc::cli {

// Arguments after the command name. Options are consumed as they are read; finish() rejects
// anything left over, so a typo is an error instead of being ignored.
class Args {
public:
  explicit Args(std::vector<std::string> args);
  [[nodiscard]] bool flag(const std::string& name);
  [[nodiscard]] std::optional<std::string> option(const std::string& name);
  [[nodiscard]] std::string option_or(const std::string& name, const std::string& fallback);
  [[nodiscard]] std::vector<std::string> options(const std::string& name);
  [[nodiscard]] long long int_option_or(const std::string& name, long long fallback);
  [[nodiscard]] double double_option_or(const std::string& name, double fallback);
  // Next positional argument; throws InputError naming `what` when missing.
  [[nodiscard]] std::string positional(const std::string& what);
  [[nodiscard]] std::optional<std::string> next_positional();
  // Whether `name` was given, even if already consumed (main() consumes --json before run()).
  [[nodiscard]] bool given(const std::string& name) const;
  void finish() const;

private:
  std::vector<std::string> m_args;
  std::vector<bool> m_used;
};

struct Output {
  bool json = false;
  // Human-readable output: each top-level key printed as "key: value".
  void emit(const Json& result) const;
};

struct Command {
  std::string name;
  std::string usage; // e.g. "info FILE"
  std::string summary;
  std::function<Json(Args&)> run;
};

void register_command(Command command);
[[nodiscard]] const std::vector<Command>& commands();

struct Registration {
  explicit Registration(Command command) { register_command(std::move(command)); }
};

// `bench SUITE` dispatches to a registered suite; each returns the DESIGN §8 JSON object.
struct BenchSuite {
  std::string name;
  std::string summary;
  std::function<Json(Args&)> run;
};
void register_bench_suite(BenchSuite suite);
[[nodiscard]] const std::vector<BenchSuite>& bench_suites();

struct BenchRegistration {
  explicit BenchRegistration(BenchSuite suite) { register_bench_suite(std::move(suite)); }
};

// The "machine" object of benchmark reports.
[[nodiscard]] Json machine_description();

} // namespace gc::cli
