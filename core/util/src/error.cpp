#include "gc/util/error.h"

#include <filesystem>
#include <fstream>

namespace gc {

Error::Error(std::string message) : m_message(std::move(message)) { rebuild(); }

Error& Error::file(std::string path) {
  m_file = std::move(path);
  rebuild();
  return *this;
}

Error& Error::record(std::string record) {
  m_record = std::move(record);
  rebuild();
  return *this;
}

Error& Error::context(std::string operation) {
  m_operations.push_back(std::move(operation));
  rebuild();
  return *this;
}

void Error::rebuild() {
  m_what.clear();
  if (!m_file.empty()) m_what += m_file + ": ";
  if (!m_record.empty()) m_what += m_record + ": ";
  m_what += m_message;
  for (std::size_t i = 0; i < m_operations.size(); ++i) {
    m_what += i == 0 ? " (while " : "; while ";
    m_what += m_operations[i];
  }
  if (!m_operations.empty()) m_what += ")";
}

void require_readable_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw InputError("no such file").file(path);
  if (fs::is_directory(st)) throw InputError("is a directory, expected a file").file(path);
  std::ifstream probe(path, std::ios::binary);
  if (!probe) throw InputError("cannot be opened for reading (permissions?)").file(path);
}

} // namespace gc
