#include "gc/util/temp_dir.h"

#include "gc/util/error.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace gc {

TempDir::TempDir(const std::string& prefix) {
  std::string templ = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr)
    throw Error(std::string("cannot create a temporary folder: ") + std::strerror(errno)).file(templ);
  m_path = templ;
}

TempDir::~TempDir() { remove(); }

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    m_path = std::move(other.m_path);
    other.m_path.clear();
  }
  return *this;
}

void TempDir::remove() noexcept {
  if (m_path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
  m_path.clear();
}

} // namespace gc
