#pragma once
// A private temporary folder (mode 0700, unique name) removed with everything in it when the
// owner goes away: benchmark inputs, indexes of read-only inputs, fuzzing scratch files.
#include <filesystem>
#include <string>

namespace gc {

class TempDir {
public:
  // Creates `<system temp>/<prefix>-XXXXXX`; throws gc::Error when it cannot.
  explicit TempDir(const std::string& prefix = "gc");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
  void remove() noexcept;
  std::filesystem::path m_path;
};

} // namespace gc
