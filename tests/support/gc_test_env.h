#pragma once
// What every test executable shares, Qt or not: the exit code that tells CTest "skipped", and
// where the shared test data lives.
#include <cstdlib>
#include <string>

namespace gc::test {

// Exit code of an executable whose every test case was skipped (no CUDA device, no shared
// data). gc_add_test (cmake/GcTargets.cmake) sets it as the test's SKIP_RETURN_CODE, so CTest
// shows "***Skipped" instead of "Passed". 77 is the Automake convention for a skipped test.
inline constexpr int skip_exit_code = 77;

// The shared test data folder: GC_SHARED_DATA_DIR (../shared/data, fixed at configure time),
// unless the environment variable GC_SHARED_DATA names another one. CI points it at a missing
// folder to check that the data tests then skip visibly.
inline const std::string& shared_data_dir() {
  static const std::string dir = [] {
    const char* env = std::getenv("GC_SHARED_DATA");
    return std::string(env != nullptr && *env != '\0' ? env : GC_SHARED_DATA_DIR);
  }();
  return dir;
}

} // namespace gc::test
