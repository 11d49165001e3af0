#include "gc/util/atomic_file.h"

#include "gc/util/error.h"

#include <atomic>
#include <cstdio>
#include <sstream>
#include <unistd.h>

namespace gc {

std::filesystem::path temporary_sibling(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  auto name = "." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter.fetch_add(1));
  return target.parent_path() / name;
}

AtomicFile::AtomicFile(std::filesystem::path target, bool binary)
    : m_target(std::move(target)), m_temp(temporary_sibling(m_target)) {
  m_out.open(m_temp, binary ? std::ios::binary | std::ios::out : std::ios::out);
  if (!m_out) throw Error("cannot create output file (is the folder writable?)").file(m_target.string());
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    m_out.close();
    std::error_code ec;
    std::filesystem::remove(m_temp, ec);
  }
}

void AtomicFile::commit() {
  m_out.flush();
  const bool ok = static_cast<bool>(m_out);
  m_out.close();
  if (!ok) throw Error("write failed (disk full?)").file(m_target.string());
  std::error_code ec;
  std::filesystem::rename(m_temp, m_target, ec);
  if (ec) throw Error("cannot move the finished file into place: " + ec.message()).file(m_target.string());
  m_committed = true;
}

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temp)>& write) {
  const auto temp = temporary_sibling(target);
  try {
    write(temp);
    std::error_code ec;
    std::filesystem::rename(temp, target, ec);
    if (ec) throw Error("cannot move the finished file into place: " + ec.message()).file(target.string());
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    throw;
  }
}

std::string read_text_file(const std::filesystem::path& path) {
  require_readable_file(path.string());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError("read error").file(path.string());
  return ss.str();
}

} // namespace gc
