#pragma once
// Line reader over plain or gzip/bgzip text (zlib reads both), with the gzip integrity checks
// that a bare gzgets loop would skip: a truncated or corrupt stream is an InputError.
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gc::genome {

class TextReader {
public:
  // Throws gc::InputError for a missing, unreadable or empty file, or a directory.
  explicit TextReader(const std::filesystem::path& path);
  // Next line without its terminator ('\r' stripped too); false at the end of the file.
  bool next_line(std::string& line);
  [[nodiscard]] std::size_t line_number() const noexcept { return m_line; }
  [[nodiscard]] const std::string& path() const noexcept { return m_path; }

private:
  bool fill();
  struct GzClose {
    void operator()(gzFile f) const noexcept { gzclose(f); }
  };
  std::string m_path;
  std::unique_ptr<gzFile_s, GzClose> m_file;
  std::vector<char> m_buffer;
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  bool m_eof = false;
  std::size_t m_line = 0;
};

// Takes the next line off the front of in-memory `text` (terminator and a trailing '\r'
// removed); false once `text` is exhausted.
inline bool next_line(std::string_view& text, std::string_view& line) {
  if (text.empty()) return false;
  const auto nl = text.find('\n');
  line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

// Splits on tabs (empty fields kept).
[[nodiscard]] std::vector<std::string_view> split_tabs(std::string_view line);
// Splits on runs of whitespace.
[[nodiscard]] std::vector<std::string_view> split_whitespace(std::string_view line);
// Strict non-negative/negative decimal integer; false when `text` is not entirely an integer.
[[nodiscard]] bool parse_int(std::string_view text, std::int64_t& out) noexcept;
[[nodiscard]] bool parse_double(std::string_view text, double& out) noexcept;
// True when the file starts with the gzip magic bytes.
[[nodiscard]] bool is_gzip_file(const std::filesystem::path& path);

} // namespace gc::genome
