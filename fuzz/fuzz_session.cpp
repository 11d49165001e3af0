// Session documents through gc::session::parse. Whatever parses must write back (to_json) into a
// document that parses again: a session the app saved must always reopen.
#include "fuzz_input.h"

#include "gc/session/session.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Relative paths resolve here; the folder is empty, so every listed file is "missing".
  static const gc::TempDir base("gc-fuzz-session");
  gc::session::Loaded loaded;
  try {
    loaded = gc::session::parse(gc::fuzz::as_text(data, size), base.path());
  } catch (const gc::Error&) {
    return 0;
  }
  try {
    (void)gc::session::parse(gc::session::to_json(loaded.session, base.path()).dump(), base.path());
  } catch (const gc::Error&) {
    std::abort();
  }
  return 0;
}
