#include "gc/util/line_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace gc {

void LineReader::GzClose::operator()(gzFile_s* f) const noexcept { gzclose(f); }

LineReader::LineReader(const std::filesystem::path& path) : m_path(path.string()), m_buffer(1 << 20) {
  require_readable_file(m_path);
  m_size = std::filesystem::file_size(path);
  if (m_size == 0) throw InputError("file is empty").file(m_path);
  m_file.reset(gzopen(m_path.c_str(), "rb"));
  if (!m_file) throw InputError("cannot open file").file(m_path);
  gzbuffer(m_file.get(), 1 << 17);
}

bool LineReader::fill() {
  if (m_eof) return false;
  if (m_pos > 0) {
    std::memmove(m_buffer.data(), m_buffer.data() + m_pos, m_end - m_pos);
    m_end -= m_pos;
    m_pos = 0;
  }
  if (m_end == m_buffer.size()) m_buffer.resize(m_buffer.size() * 2);
  const int n = gzread(m_file.get(), m_buffer.data() + m_end, static_cast<unsigned>(m_buffer.size() - m_end));
  // gzread reports a stream cut short or a bad checksum only through gzerror.
  int err = Z_OK;
  const char* msg = gzerror(m_file.get(), &err);
  if (n < 0 || (err != Z_OK && err != Z_STREAM_END)) {
    throw InputError(std::string("corrupt or truncated compressed data (") + (msg ? msg : "zlib error") + ")")
        .file(m_path)
        .record("after line " + std::to_string(m_line));
  }
  if (n == 0) {
    m_eof = true;
    return false;
  }
  m_end += static_cast<std::size_t>(n);
  return true;
}

bool LineReader::next_line(std::string_view& line) {
  for (;;) {
    const char* begin = m_buffer.data() + m_pos;
    const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', m_end - m_pos));
    if (nl != nullptr) {
      line = std::string_view(begin, static_cast<std::size_t>(nl - begin));
      m_pos = static_cast<std::size_t>(nl - m_buffer.data()) + 1;
      break;
    }
    // fill() moves the unread tail to the front of the buffer, so `begin` is re-read above.
    if (!fill()) {
      if (m_pos == m_end) return false;
      line = std::string_view(m_buffer.data() + m_pos, m_end - m_pos);
      m_pos = m_end;
      break;
    }
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++m_line;
  return true;
}

bool LineReader::next_line(std::string& line) {
  std::string_view view;
  if (!next_line(view)) return false;
  line.assign(view);
  return true;
}

double LineReader::fraction() const noexcept {
  const auto offset = gzoffset(m_file.get());
  if (offset < 0) return 0.0;
  return std::min(1.0, static_cast<double>(offset) / static_cast<double>(m_size));
}

InputError LineReader::error(const std::string& message) const {
  InputError e(message);
  e.file(m_path);
  e.record("line " + std::to_string(m_line));
  return e;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

std::vector<std::string_view> split_whitespace(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool parse_int(std::string_view text, std::int64_t& out) noexcept {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_double(std::string_view text, double& out) noexcept {
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

} // namespace gc
