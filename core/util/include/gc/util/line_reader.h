#pragma once
// The one line reader of the text parsers (BED, GTF/GFF3, FASTA, alias tables, CSV/TSV
// matrices, MatrixMarket, edge lists): plain or gzip/bgzip text (zlib reads both), with the gzip
// integrity checks that a bare gzgets loop would skip, so a truncated or corrupt stream is an
// InputError naming the file and the last line read. Plus the field helpers those parsers share.
#include "gc/util/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// zlib's handle type, declared here so that users of the reader need not see zlib.h.
struct gzFile_s;

namespace gc {

class LineReader {
public:
  // Throws InputError for a missing, unreadable or empty file, or a directory.
  explicit LineReader(const std::filesystem::path& path);
  // Next line without its terminator ('\r' stripped too); false at the end of the file.
  // Throws InputError on corrupt or truncated compressed data.
  bool next_line(std::string& line);
  // The same without a copy: `line` points into the reader's buffer until the next call.
  bool next_line(std::string_view& line);
  // 1-based number of the line last returned (0 before the first).
  [[nodiscard]] std::size_t line_number() const noexcept { return m_line; }
  [[nodiscard]] const std::string& path() const noexcept { return m_path; }
  // Share of the file (compressed bytes for gzip) consumed so far, for progress reports.
  [[nodiscard]] double fraction() const noexcept;
  // An InputError naming the file and the line last returned.
  [[nodiscard]] InputError error(const std::string& message) const;

private:
  bool fill();
  struct GzClose {
    void operator()(gzFile_s* f) const noexcept;
  };
  std::string m_path;
  std::unique_ptr<gzFile_s, GzClose> m_file;
  std::vector<char> m_buffer;
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  bool m_eof = false;
  std::size_t m_line = 0;
  std::uintmax_t m_size = 0;
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
// Strict decimal integer (optional sign); false when `text` is not entirely an integer.
[[nodiscard]] bool parse_int(std::string_view text, std::int64_t& out) noexcept;
// Strict floating-point number; false when `text` is not entirely a number.
[[nodiscard]] bool parse_double(std::string_view text, double& out) noexcept;

} // namespace gc
