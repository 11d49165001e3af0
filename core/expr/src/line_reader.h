#pragma once
// Line-by-line reading of plain or gzip-compressed text (zlib reads both transparently).
#include "gc/util/error.h"

#include <zlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gc::expr {

class LineReader {
public:
  explicit LineReader(const std::filesystem::path& path);
  // Next line without its end-of-line characters; false at the end. Throws on corrupt gzip.
  bool next(std::string& line);
  [[nodiscard]] std::size_t line_number() const noexcept { return m_line; }
  [[nodiscard]] const std::string& file() const noexcept { return m_file; }
  // An InputError naming the file and the current line.
  [[nodiscard]] InputError error(const std::string& message) const;

private:
  struct GzClose {
    void operator()(gzFile f) const noexcept { gzclose(f); }
  };
  std::unique_ptr<gzFile_s, GzClose> m_gz;
  std::string m_file;
  std::size_t m_line = 0;
  std::vector<char> m_buf;
};

// Splits on `delim`, or on runs of spaces/tabs when delim is ' '. Fields keep no surrounding
// quotes ("a" → a).
[[nodiscard]] std::vector<std::string> split_fields(std::string_view line, char delim);
// Parses a number; "NA", "NaN", "nan" and "" give NaN. False when the text is not a number.
[[nodiscard]] bool parse_number(std::string_view text, double& out) noexcept;
[[nodiscard]] std::string lower(std::string s);

} // namespace gc::expr
