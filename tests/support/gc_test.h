#pragma once
// A minimal test harness for the Qt-free modules (util, kernels, model) that must also build
// in GENOCIRCUIT_MINIMAL mode, where Qt Test is not available. Each executable prints one line
// per test case and closes with "N passed, N failed, N skipped". When every case that ran was
// skipped (GC_SKIP: no CUDA device, no shared data) it exits with skip_exit_code, which CTest
// reports as "Skipped" (SKIP_RETURN_CODE, set by gc_add_test).
//
//   GC_TEST(name) { GC_CHECK(x == 1); GC_CHECK_NEAR(a, b, 1e-6); }
//   GC_TEST_MAIN()
#include "gc_test_env.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace gc::test {

struct Case {
  const char* name;
  std::function<void()> fn;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

struct Registrar {
  Registrar(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};

struct Skip {
  std::string reason;
};

struct Failure {
  std::string message;
};

inline int& check_failures() {
  static int n = 0;
  return n;
}

inline void report(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "    FAIL %s:%d: %s\n", file, line, what.c_str());
  ++check_failures();
}

template <typename A, typename B>
std::string describe(const A& a, const B& b) {
  std::ostringstream os;
  os << a << " vs " << b;
  return os.str();
}

// Runs the cases whose name contains argv[1] (all without an argument).
inline int run_all(int argc, char** argv) {
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& c : registry()) {
    if (argc > 1 && std::strstr(c.name, argv[1]) == nullptr) continue;
    const int before = check_failures();
    std::string error;
    bool skip = false;
    try {
      c.fn();
    } catch (const Skip& s) {
      skip = true;
      error = s.reason;
    } catch (const Failure& f) {
      error = f.message;
    } catch (const std::exception& e) {
      error = std::string("unexpected exception: ") + e.what();
    } catch (...) {
      error = "unexpected non-standard exception";
    }
    if (skip) {
      ++skipped;
      std::printf("SKIP   %s: %s\n", c.name, error.c_str());
    } else if (!error.empty() || check_failures() != before) {
      ++failed;
      std::printf("FAIL!  %s %s\n", c.name, error.c_str());
    } else {
      ++passed;
      std::printf("PASS   %s\n", c.name);
    }
    std::fflush(stdout);
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  if (failed != 0) return 1;
  if (skipped > 0 && passed == 0) {
    std::printf("All tests skipped: exit code %d (CTest reports the test as skipped)\n", skip_exit_code);
    return skip_exit_code;
  }
  return 0;
}

} // namespace gc::test

#define GC_TEST_CAT2(a, b) a##b
#define GC_TEST_CAT(a, b) GC_TEST_CAT2(a, b)
#define GC_TEST(name)                                                                                        \
  static void name();                                                                                        \
  static const ::gc::test::Registrar GC_TEST_CAT(gc_test_reg_, name)(#name, &name);                          \
  static void name()

#define GC_CHECK(cond)                                                                                       \
  do {                                                                                                       \
    if (!(cond)) ::gc::test::report(__FILE__, __LINE__, "GC_CHECK(" #cond ")");                              \
  } while (0)

// Stops the test case on failure (for preconditions of later checks).
#define GC_REQUIRE(cond)                                                                                     \
  do {                                                                                                       \
    if (!(cond)) {                                                                                           \
      ::gc::test::report(__FILE__, __LINE__, "GC_REQUIRE(" #cond ")");                                       \
      throw ::gc::test::Failure{"requirement failed"};                                                       \
    }                                                                                                        \
  } while (0)

#define GC_CHECK_EQ(a, b)                                                                                    \
  do {                                                                                                       \
    const auto& gc_a_ = (a);                                                                                 \
    const auto& gc_b_ = (b);                                                                                 \
    if (!(gc_a_ == gc_b_))                                                                                   \
      ::gc::test::report(__FILE__, __LINE__,                                                                 \
                         "GC_CHECK_EQ(" #a ", " #b "): " + ::gc::test::describe(gc_a_, gc_b_));              \
  } while (0)

#define GC_CHECK_NEAR(a, b, tol)                                                                             \
  do {                                                                                                       \
    const double gc_a_ = static_cast<double>(a);                                                             \
    const double gc_b_ = static_cast<double>(b);                                                             \
    if (!(std::fabs(gc_a_ - gc_b_) <= (tol)))                                                                \
      ::gc::test::report(__FILE__, __LINE__,                                                                 \
                         "GC_CHECK_NEAR(" #a ", " #b "): " + ::gc::test::describe(gc_a_, gc_b_));            \
  } while (0)

#define GC_CHECK_THROWS(expr, Type)                                                                          \
  do {                                                                                                       \
    bool gc_thrown_ = false;                                                                                 \
    try {                                                                                                    \
      (void)(expr);                                                                                          \
    } catch (const Type&) {                                                                                  \
      gc_thrown_ = true;                                                                                     \
    } catch (...) {}                                                                                         \
    if (!gc_thrown_) ::gc::test::report(__FILE__, __LINE__, "expected " #Type " from " #expr);               \
  } while (0)

#define GC_SKIP(reason)                                                                                      \
  throw ::gc::test::Skip { reason }

#define GC_TEST_MAIN()                                                                                       \
  int main(int argc, char** argv) { return ::gc::test::run_all(argc, argv); }
