#pragma once
// Shared by the libFuzzer targets: readers that only take a path get the fuzz input through a
// private temporary file. Only gc::Error (bad input reported properly) is an expected outcome;
// anything else escaping a parser, or a sanitizer report, is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "gc/util/temp_dir.h"

namespace gc::fuzz {

// A per-process scratch folder; the file inside is rewritten for every input.
class TempInput {
public:
  explicit TempInput(const std::string& file_name) : m_dir("gc-fuzz"), m_path(m_dir.path() / file_name) {}

  // Replaces the folder's contents (including indexes a reader built) with one file.
  const std::filesystem::path& write(const std::uint8_t* data, std::size_t size) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir.path(), ec))
      std::filesystem::remove_all(entry.path(), ec);
    std::ofstream out(m_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return m_path;
  }

private:
  TempDir m_dir;
  std::filesystem::path m_path;
};

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

} // namespace gc::fuzz
