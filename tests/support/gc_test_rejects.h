#pragma once
// Bad-input checks of the Qt-free tests: whether `fn` throws gc::InputError with `needle` in its
// message (printing the message when it does not match, so a failure says what was thrown).
#include "gc/util/error.h"

#include <cstdio>
#include <functional>
#include <string>

namespace gc::test {

inline bool rejects(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
  } catch (const gc::InputError& e) {
    if (std::string(e.what()).find(needle) != std::string::npos) return true;
    std::fprintf(stderr, "    message: %s\n", e.what());
  }
  return false;
}

} // namespace gc::test
