#pragma once
// Error types shared by every layer. An error carries a chain of context (file, record,
// operation) that callers add while it propagates, so the message a user finally sees
// names where the problem is, not only what it is.
#include <stdexcept>
#include <string>
#include <vector>

namespace gc {

class Error : public std::exception {
public:
  explicit Error(std::string message);

  // Context setters return *this so a throw site can read: throw InputError("...").file(p).record("line 3");
  Error& file(std::string path);
  Error& record(std::string record);
  // Adds an outer operation, e.g. "loading session"; the innermost is added first.
  Error& context(std::string operation);

  [[nodiscard]] const std::string& message() const noexcept { return m_message; }
  [[nodiscard]] const std::string& file_name() const noexcept { return m_file; }
  [[nodiscard]] const std::string& record_name() const noexcept { return m_record; }
  [[nodiscard]] const std::vector<std::string>& operations() const noexcept { return m_operations; }
  // "FILE: RECORD: MESSAGE (while OPERATION; while OUTER)"
  [[nodiscard]] const char* what() const noexcept override { return m_what.c_str(); }

private:
  void rebuild();
  std::string m_message;
  std::string m_file;
  std::string m_record;
  std::vector<std::string> m_operations;
  std::string m_what;
};

// Bad input from a user or a file: the CLI exits with code 2.
class InputError : public Error {
public:
  using Error::Error;
  InputError& file(std::string path) {
    Error::file(std::move(path));
    return *this;
  }
  InputError& record(std::string r) {
    Error::record(std::move(r));
    return *this;
  }
  InputError& context(std::string op) {
    Error::context(std::move(op));
    return *this;
  }
};

// The user cancelled a long operation; not a failure, nothing should be reported as an error.
class Cancelled : public Error {
public:
  Cancelled() : Error("cancelled") {}
};

// Throws InputError naming the file when `path` is missing, a directory, or unreadable.
void require_readable_file(const std::string& path);

} // namespace gc
