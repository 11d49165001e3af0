#pragma once
// Writing outputs so that a failure or cancellation never leaves a half-written file: write to
// a temporary name in the same folder, then rename over the target (atomic on POSIX).
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace gc {

// Text or binary output through a stream. Destroying it without commit() removes the temporary.
class AtomicFile {
public:
  explicit AtomicFile(std::filesystem::path target, bool binary = false);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  [[nodiscard]] std::ofstream& stream() { return m_out; }
  [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return m_temp; }
  // Flushes, checks for write errors and renames into place; throws gc::Error on failure.
  void commit();

private:
  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  std::ofstream m_out;
  bool m_committed = false;
};

// For writers that need a path (HDF5, htslib): `write` fills the temporary path given to it;
// on success it is renamed to `target`, on any exception it is removed and the error rethrown.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temp)>& write);

// A unique temporary name next to `target` (same filesystem, so rename is atomic).
[[nodiscard]] std::filesystem::path temporary_sibling(const std::filesystem::path& target);

// Reads a whole file; throws gc::InputError naming the file when it cannot.
[[nodiscard]] std::string read_text_file(const std::filesystem::path& path);

} // namespace gc
