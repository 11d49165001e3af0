#include "cli.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

namespace gc::cli {

Args::Args(std::vector<std::string> args) : m_args(std::move(args)), m_used(m_args.size(), false) {}

bool Args::flag(const std::string& name) {
  bool found = false;
  for (std::size_t i = 0; i < m_args.size(); ++i) {
    if (!m_used[i] && m_args[i] == name) {
      m_used[i] = true;
      found = true;
    }
  }
  return found;
}

std::optional<std::string> Args::option(const std::string& name) {
  auto all = options(name);
  if (all.empty()) return std::nullopt;
  if (all.size() > 1) throw InputError("option " + name + " given more than once");
  return all.front();
}

std::vector<std::string> Args::options(const std::string& name) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < m_args.size(); ++i) {
    if (m_used[i]) continue;
    if (m_args[i] == name) {
      if (i + 1 >= m_args.size()) throw InputError("option " + name + " needs a value");
      m_used[i] = m_used[i + 1] = true;
      values.push_back(m_args[i + 1]);
      ++i;
    } else if (m_args[i].rfind(name + "=", 0) == 0) {
      m_used[i] = true;
      values.push_back(m_args[i].substr(name.size() + 1));
    }
  }
  return values;
}

std::string Args::option_or(const std::string& name, const std::string& fallback) {
  return option(name).value_or(fallback);
}

long long Args::int_option_or(const std::string& name, long long fallback) {
  const auto v = option(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const long long x = std::stoll(*v, &used);
    if (used != v->size()) throw std::invalid_argument("trailing text");
    return x;
  } catch (const std::exception&) {
    throw InputError("option " + name + " expects an integer, got '" + *v + "'");
  }
}

double Args::double_option_or(const std::string& name, double fallback) {
  const auto v = option(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const double x = std::stod(*v, &used);
    if (used != v->size()) throw std::invalid_argument("trailing text");
    return x;
  } catch (const std::exception&) {
    throw InputError("option " + name + " expects a number, got '" + *v + "'");
  }
}

std::optional<std::string> Args::next_positional() {
  for (std::size_t i = 0; i < m_args.size(); ++i) {
    if (!m_used[i] && (m_args[i].empty() || m_args[i][0] != '-' || m_args[i] == "-")) {
      m_used[i] = true;
      return m_args[i];
    }
  }
  return std::nullopt;
}

std::string Args::positional(const std::string& what) {
  auto v = next_positional();
  if (!v) throw InputError("missing argument " + what);
  return *v;
}

bool Args::given(const std::string& name) const {
  return std::find(m_args.begin(), m_args.end(), name) != m_args.end();
}

void Args::finish() const {
  for (std::size_t i = 0; i < m_args.size(); ++i) {
    if (!m_used[i]) {
      throw InputError(m_args[i][0] == '-' ? "unknown option " + m_args[i]
                                           : "unexpected argument '" + m_args[i] + "'");
    }
  }
}

void Output::emit(const Json& result) const {
  if (json) {
    std::cout << result.dump() << '\n';
    return;
  }
  if (!result.is_object()) {
    std::cout << (result.is_string() ? result.as_string() : result.dump(2)) << '\n';
    return;
  }
  for (const auto& [key, value] : result.as_object()) {
    std::cout << key << ": " << (value.is_string() ? value.as_string() : value.dump()) << '\n';
  }
}

namespace {
std::vector<Command>& command_list() {
  static std::vector<Command> list;
  return list;
}
std::vector<BenchSuite>& suite_list() {
  static std::vector<BenchSuite> list;
  return list;
}
} // namespace

void register_command(Command command) { command_list().push_back(std::move(command)); }
const std::vector<Command>& commands() { return command_list(); }
void register_bench_suite(BenchSuite suite) { suite_list().push_back(std::move(suite)); }
const std::vector<BenchSuite>& bench_suites() { return suite_list(); }

} // namespace gc::cli
