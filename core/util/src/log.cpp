#include "gc/util/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace gc::log {
namespace {

Level initial_level() {
  Level l = Level::info;
  if (const char* env = std::getenv("GENOCIRCUIT_LOG_LEVEL")) parse_level(env, l);
  return l;
}

struct State {
  std::atomic<Level> level{initial_level()};
  std::atomic<bool> to_stderr{true};
  std::mutex mutex;
  std::map<int, Sink> sinks;
  int next_id = 1;
};

State& state() {
  static State s;
  return s;
}

} // namespace

void set_level(Level l) noexcept { state().level.store(l); }
Level level() noexcept { return state().level.load(); }
void set_stderr_enabled(bool enabled) noexcept { state().to_stderr.store(enabled); }

int add_sink(Sink sink) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  const int id = s.next_id++;
  s.sinks.emplace(id, std::move(sink));
  return id;
}

void remove_sink(int id) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.sinks.erase(id);
}

void write(Level l, const std::string& message) {
  auto& s = state();
  if (l < s.level.load()) return;
  std::lock_guard lock(s.mutex);
  if (s.to_stderr.load()) {
    std::fprintf(stderr, "[%s] %s\n", std::string(level_name(l)).c_str(), message.c_str());
  }
  for (auto& [id, sink] : s.sinks)
    sink(l, message);
}

std::string_view level_name(Level l) noexcept {
  switch (l) {
  case Level::debug: return "debug";
  case Level::info: return "info";
  case Level::warning: return "warning";
  case Level::error: return "error";
  case Level::off: return "off";
  }
  return "?";
}

bool parse_level(std::string_view text, Level& out) noexcept {
  for (Level l : {Level::debug, Level::info, Level::warning, Level::error, Level::off}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

} // namespace gc::log
