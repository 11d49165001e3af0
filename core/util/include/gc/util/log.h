#pragma once
// Logging to stderr and to any number of extra sinks (the GUI's log dock registers one).
// Sinks may be called from any thread.
#include <functional>
#include <sstream>
#include <string>
#include <string_view>

namespace gc::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3, off = 4 };

using Sink = std::function<void(Level, const std::string&)>;

// Messages below the threshold are dropped; GENOCIRCUIT_LOG_LEVEL (debug|info|warning|error|off)
// sets the initial value.
void set_level(Level level) noexcept;
[[nodiscard]] Level level() noexcept;
// stderr output can be turned off (e.g. `--json` runs that want a quiet stderr); sinks still get messages.
void set_stderr_enabled(bool enabled) noexcept;
// Returns an id for remove_sink.
int add_sink(Sink sink);
void remove_sink(int id);
void write(Level level, const std::string& message);
[[nodiscard]] std::string_view level_name(Level level) noexcept;
bool parse_level(std::string_view text, Level& out) noexcept; // false: unknown name, `out` unchanged

template <typename... Args>
std::string concat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

template <typename... Args>
void debug(const Args&... args) {
  if (level() <= Level::debug) write(Level::debug, concat(args...));
}
template <typename... Args>
void info(const Args&... args) {
  if (level() <= Level::info) write(Level::info, concat(args...));
}
template <typename... Args>
void warning(const Args&... args) {
  if (level() <= Level::warning) write(Level::warning, concat(args...));
}
template <typename... Args>
void error(const Args&... args) {
  if (level() <= Level::error) write(Level::error, concat(args...));
}

} // namespace gc::log
