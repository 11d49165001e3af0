#include "gc/genome/motifs.h"

#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

namespace gc::genome {

int base_index(char c) noexcept {
  switch (c) {
  case 'A':
  case 'a': return 0;
  case 'C':
  case 'c': return 1;
  case 'G':
  case 'g': return 2;
  case 'T':
  case 't': return 3;
  default: return -1;
  }
}

namespace {

// Bytes of a file the format sniffer sees, as `info` gives its providers.
constexpr std::size_t head_bytes = 4096;

// The same bytes as split_whitespace's std::isspace: a line that trims to non-empty then always
// has a first token (a lone \v or \f line once left an empty token list to index).
std::string_view trim(std::string_view s) noexcept {
  constexpr std::string_view space = " \t\r\n\v\f";
  const auto b = s.find_first_not_of(space);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(space);
  return s.substr(b, e - b + 1);
}

constexpr std::array<char, 4> base_letters{'A', 'C', 'G', 'T'};

bool parse_count(std::string_view token, double& out) noexcept {
  return parse_double(token, out) && std::isfinite(out) && out >= 0.0;
}

bool is_number(std::string_view token) noexcept {
  double v = 0.0;
  return parse_double(token, v);
}

double largest_column_sum(const std::vector<BaseValues>& counts) {
  double best = 0.0;
  for (const auto& c : counts)
    best = std::max(best, c[0] + c[1] + c[2] + c[3]);
  return best;
}

// A validated copy of `bg`, rescaled to sum to exactly 1 (files print rounded frequencies).
BaseValues checked_background(const BaseValues& bg) {
  double sum = 0.0;
  for (const double v : bg) {
    if (!std::isfinite(v) || v <= 0.0)
      throw InputError("background frequencies must all be positive (A, C, G, T)");
    sum += v;
  }
  if (std::abs(sum - 1.0) > 1e-3)
    throw InputError("background frequencies sum to " + std::to_string(sum) + ", not 1");
  BaseValues out = bg;
  for (auto& v : out)
    v /= sum;
  return out;
}

// Splits `head` into its non-blank lines, trimmed.
std::vector<std::string_view> content_lines(std::string_view head, std::size_t limit) {
  std::vector<std::string_view> out;
  std::string_view line;
  while (out.size() < limit && next_line(head, line)) {
    const auto t = trim(line);
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

// The numbers of a JASPAR matrix row: bare ("4 19 0") or labelled ("A [ 4 19 0 ]", "A 4 19 0").
// `label` is the base index of a labelled row, -1 for a bare one. False when the text is not
// shaped like a row at all; the values themselves are checked by the caller.
bool split_jaspar_row(std::string_view row, int& label, std::vector<std::string_view>& values) {
  label = -1;
  if (std::isalpha(static_cast<unsigned char>(row[0])) != 0) {
    if (row.size() > 1 && row[1] != '[' && std::isspace(static_cast<unsigned char>(row[1])) == 0)
      return false;
    label = base_index(row[0]);
    if (label < 0) return false;
    row = trim(row.substr(1));
    if (row.starts_with('[')) {
      if (!row.ends_with(']')) return false;
      row = trim(row.substr(1, row.size() - 2));
    }
  }
  values = split_whitespace(row);
  return true;
}

bool looks_like_jaspar_row(std::string_view row) {
  int label = -1;
  std::vector<std::string_view> values;
  if (!split_jaspar_row(row, label, values) || values.empty()) return false;
  return std::all_of(values.begin(), values.end(), [](std::string_view v) { return is_number(v); });
}

// Column order of a TRANSFAC `P0 A C G T` header (any order of the four bases), or nullopt.
std::optional<std::array<int, 4>> transfac_columns(const std::vector<std::string_view>& tokens) {
  if (tokens.size() != 5 || (tokens[0] != "P0" && tokens[0] != "PO")) return std::nullopt;
  std::array<int, 4> base_of_column{};
  std::array<bool, 4> seen{};
  for (std::size_t i = 0; i < 4; ++i) {
    const int b = tokens[i + 1].size() == 1 ? base_index(tokens[i + 1][0]) : -1;
    if (b < 0 || seen[static_cast<std::size_t>(b)]) return std::nullopt;
    seen[static_cast<std::size_t>(b)] = true;
    base_of_column[i] = b;
  }
  return base_of_column;
}

// Streaming parser of one format; lines arrive with their 1-based numbers.
class FormatParser {
public:
  explicit FormatParser(std::string origin) : m_origin(std::move(origin)) {}
  FormatParser(const FormatParser&) = delete;
  FormatParser& operator=(const FormatParser&) = delete;
  virtual ~FormatParser() = default;
  virtual void line(std::string_view text, std::size_t line_no) = 0;
  // End of input; `last_line` is the number of the last line read.
  virtual void finish(std::size_t last_line) = 0;
  [[nodiscard]] std::vector<Motif> take() { return std::move(m_motifs); }

protected:
  [[nodiscard]] InputError fail(std::size_t line_no, const std::string& motif,
                                const std::string& message) const {
    return InputError(motif.empty() ? message : "motif '" + motif + "': " + message)
        .file(m_origin)
        .record("line " + std::to_string(line_no));
  }
  void add(Motif m) {
    if (m.sites == 0.0) m.sites = largest_column_sum(m.counts);
    m_motifs.push_back(std::move(m));
  }
  std::vector<Motif> m_motifs;

private:
  std::string m_origin;
};

// JASPAR: `>ID NAME`, then four rows A, C, G, T with one value per position.
class JasparParser final : public FormatParser {
public:
  using FormatParser::FormatParser;

  void line(std::string_view text, std::size_t line_no) override {
    const auto t = trim(text);
    if (t.empty()) return;
    if (t[0] == '>') {
      close();
      open(trim(t.substr(1)), line_no);
      return;
    }
    if (!m_open) throw fail(line_no, "", "matrix row before any '>' header");
    add_row(t, line_no);
  }

  void finish(std::size_t) override { close(); }

private:
  void open(std::string_view header, std::size_t line_no) {
    const auto tokens = split_whitespace(header);
    if (tokens.empty()) throw fail(line_no, "", "'>' header without a motif id");
    m_motif = Motif{};
    m_motif.id = std::string(tokens[0]);
    m_motif.name = std::string(trim(header.substr(tokens[0].size())));
    m_header_line = line_no;
    m_rows = {};
    m_seen = {};
    m_row_count = 0;
    m_labelled = false;
    m_open = true;
  }

  void add_row(std::string_view t, std::size_t line_no) {
    const std::string& id = m_motif.id;
    if (m_row_count == 4) throw fail(line_no, id, "more than 4 matrix rows (expected A, C, G, T)");
    int label = -1;
    std::vector<std::string_view> tokens;
    if (!split_jaspar_row(t, label, tokens))
      throw fail(line_no, id, "'" + std::string(t) + "' is not a matrix row (A [ ... ] or numbers)");
    const bool labelled = label >= 0;
    if (m_row_count > 0 && labelled != m_labelled)
      throw fail(line_no, id, "rows mix the labelled (A [ ... ]) and bare forms");
    m_labelled = labelled;
    const int slot = labelled ? label : m_row_count;
    const auto s = static_cast<std::size_t>(slot);
    if (m_seen[s]) throw fail(line_no, id, std::string("row ") + base_letters[s] + " appears twice");
    std::vector<double> values;
    values.reserve(tokens.size());
    for (const auto tok : tokens) {
      double v = 0.0;
      if (!parse_count(tok, v))
        throw fail(line_no, id, "count '" + std::string(tok) + "' is not a non-negative number");
      values.push_back(v);
    }
    if (m_row_count > 0 && values.size() != m_length) {
      throw fail(line_no, id,
                 std::string("row ") + base_letters[s] + " has " + std::to_string(values.size()) +
                     " values but row " + base_letters[m_first_slot] + " has " + std::to_string(m_length) +
                     " (rows must have equal length)");
    }
    if (m_row_count == 0) {
      m_length = values.size();
      m_first_slot = s;
    }
    m_rows[s] = std::move(values);
    m_seen[s] = true;
    ++m_row_count;
  }

  void close() {
    if (!m_open) return;
    m_open = false;
    if (m_row_count != 4) {
      throw fail(m_header_line, m_motif.id,
                 "has " + std::to_string(m_row_count) + " matrix rows, expected 4 (A, C, G, T)");
    }
    if (m_length == 0) throw fail(m_header_line, m_motif.id, "motif has length 0");
    m_motif.counts.resize(m_length);
    for (std::size_t i = 0; i < m_length; ++i)
      m_motif.counts[i] = {m_rows[0][i], m_rows[1][i], m_rows[2][i], m_rows[3][i]};
    add(std::move(m_motif));
  }

  bool m_open = false;
  Motif m_motif;
  std::size_t m_header_line = 0;
  std::array<std::vector<double>, 4> m_rows;
  std::array<bool, 4> m_seen{};
  int m_row_count = 0;
  bool m_labelled = false;
  std::size_t m_length = 0;
  std::size_t m_first_slot = 0;
};

// TRANSFAC: two-letter line codes; AC/ID/NA name the matrix, `P0 A C G T` opens numbered rows,
// `//` ends the record. Rows may carry a trailing consensus letter.
class TransfacParser final : public FormatParser {
public:
  using FormatParser::FormatParser;

  void line(std::string_view text, std::size_t line_no) override {
    const auto t = trim(text);
    if (t.empty()) return;
    const auto tokens = split_whitespace(t);
    const auto code = tokens[0];
    std::int64_t position = 0;
    const bool numbered = parse_int(code, position);
    if (m_in_matrix) {
      if (numbered) {
        add_row(tokens, line_no);
        return;
      }
      m_in_matrix = false;
    }
    if (code == "//") {
      end_record(line_no);
      return;
    }
    if (numbered) throw fail(line_no, motif_id(), "numbered matrix row outside a P0 block");
    const auto rest = std::string(trim(t.substr(code.size())));
    if (code == "AC") {
      if (!m_ac.empty() || m_has_matrix) throw missing_end(line_no);
      if (rest.empty()) throw fail(line_no, "", "AC line without an accession");
      m_ac = rest;
    } else if (code == "ID") {
      if (!m_id.empty() || m_has_matrix) throw missing_end(line_no);
      if (rest.empty()) throw fail(line_no, motif_id(), "ID line without an identifier");
      m_id = rest;
    } else if (code == "NA") {
      if (m_na.empty()) m_na = rest;
    } else if (code == "P0" || code == "PO") {
      if (m_has_matrix) throw missing_end(line_no);
      const auto columns = transfac_columns(tokens);
      if (!columns)
        throw fail(line_no, motif_id(), "matrix header '" + std::string(t) + "' is not P0 A C G T");
      m_base_of_column = *columns;
      m_has_matrix = true;
      m_in_matrix = true;
      m_matrix_line = line_no;
    }
    // Every other code (XX, DE, BF, BA, CC, RN, VV, ...) is annotation a scanner does not need.
  }

  void finish(std::size_t last_line) override {
    if (!m_ac.empty() || !m_id.empty() || m_has_matrix)
      throw fail(last_line, motif_id(), "missing '//' at the end of the file");
  }

private:
  [[nodiscard]] std::string motif_id() const { return m_ac.empty() ? m_id : m_ac; }

  [[nodiscard]] InputError missing_end(std::size_t line_no) const {
    return fail(line_no, motif_id(), "missing '//' before this line (a new record starts)");
  }

  void add_row(const std::vector<std::string_view>& tokens, std::size_t line_no) {
    std::size_t n = tokens.size() - 1;
    if (n == 5 && !is_number(tokens[5])) n = 4; // trailing consensus letter
    if (n != 4) {
      throw fail(line_no, motif_id(),
                 "matrix row has " + std::to_string(n) + " values, expected 4 (A C G T)");
    }
    BaseValues row{};
    for (std::size_t i = 0; i < 4; ++i) {
      double v = 0.0;
      if (!parse_count(tokens[i + 1], v)) {
        throw fail(line_no, motif_id(),
                   "count '" + std::string(tokens[i + 1]) + "' is not a non-negative number");
      }
      row[static_cast<std::size_t>(m_base_of_column[i])] = v;
    }
    m_counts.push_back(row);
  }

  void end_record(std::size_t line_no) {
    if (m_has_matrix) {
      if (m_counts.empty()) throw fail(m_matrix_line, motif_id(), "motif has length 0 (no rows after P0)");
      Motif m;
      m.id = motif_id();
      m.name = !m_na.empty() ? m_na : (m_ac.empty() ? std::string() : m_id);
      m.counts = std::move(m_counts);
      add(std::move(m));
    } else if (!m_ac.empty() || !m_id.empty()) {
      throw fail(line_no, motif_id(), "record has no P0 matrix");
    }
    m_ac.clear();
    m_id.clear();
    m_na.clear();
    m_counts.clear();
    m_has_matrix = false;
    m_in_matrix = false;
  }

  std::string m_ac;
  std::string m_id;
  std::string m_na;
  std::vector<BaseValues> m_counts;
  std::array<int, 4> m_base_of_column{0, 1, 2, 3};
  bool m_has_matrix = false;
  bool m_in_matrix = false;
  std::size_t m_matrix_line = 0;
};

// MEME motif format (minimal, and the text output of MEME itself): `MEME version`, ALPHABET,
// background frequencies, then per motif a `MOTIF id [name]` line and a letter-probability
// matrix. Other sections (log-odds matrices, site lists) are skipped.
class MemeParser final : public FormatParser {
public:
  using FormatParser::FormatParser;

  void line(std::string_view text, std::size_t line_no) override {
    const auto t = trim(text);
    if (m_in_matrix) {
      if (!t.empty() && is_number(split_whitespace(t)[0])) {
        add_row(t, line_no);
        if (m_width && m_rows.size() == *m_width) close_matrix(line_no);
        return;
      }
      close_matrix(line_no);
    }
    if (t.empty()) return;
    if (m_in_background) {
      add_background(t, line_no);
      return;
    }
    if (m_in_alphabet) {
      alphabet_line(t, line_no);
      return;
    }
    if (t.starts_with("MEME version")) {
      m_version = true;
    } else if (t.starts_with("ALPHABET")) {
      const auto rest = trim(t.substr(8));
      m_alphabet_line = line_no;
      if (rest.starts_with('=')) {
        check_alphabet(std::string(trim(rest.substr(1))));
      } else {
        m_in_alphabet = true;
        m_core.clear();
      }
    } else if (t.starts_with("Background letter frequencies")) {
      m_in_background = true;
      m_background_line = line_no;
      m_background_seen = {};
    } else if (t.starts_with("MOTIF") &&
               (t.size() == 5 || std::isspace(static_cast<unsigned char>(t[5])) != 0)) {
      close_motif();
      const auto tokens = split_whitespace(t);
      if (tokens.size() < 2) throw fail(line_no, "", "MOTIF line without a motif id");
      if (!m_version) throw fail(line_no, std::string(tokens[1]), "MOTIF before the 'MEME version' line");
      m_motif = Motif{};
      m_motif.id = std::string(tokens[1]);
      if (tokens.size() > 2) m_motif.name = std::string(tokens[2]);
      m_motif_line = line_no;
      m_motif_open = true;
      m_motif_has_matrix = false;
    } else if (t.starts_with("letter-probability matrix")) {
      open_matrix(t, line_no);
    }
  }

  void finish(std::size_t last_line) override {
    if (m_in_matrix) close_matrix(last_line);
    if (m_in_background) throw fail(m_background_line, "", "background letter frequencies are incomplete");
    if (m_in_alphabet) throw fail(m_alphabet_line, "", "ALPHABET block without 'END ALPHABET'");
    close_motif();
    if (!m_version) throw fail(last_line, "", "no 'MEME version' line: not a MEME motif file");
    if (m_background) {
      for (auto& m : m_motifs)
        m.background = m_background;
    }
  }

private:
  void check_alphabet(const std::string& letters) const {
    std::string sorted = letters;
    for (auto& c : sorted)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::sort(sorted.begin(), sorted.end());
    if (sorted != "ACGT")
      throw fail(m_alphabet_line, "", "alphabet '" + letters + "' is not ACGT (only DNA motifs are read)");
  }

  // Inside an `ALPHABET "name" ...` block: core symbols are the first symbol of a line and the
  // one after '~' (its complement); lines with '=' define ambiguous codes and aliases.
  void alphabet_line(std::string_view t, std::size_t) {
    if (t.starts_with("END ALPHABET")) {
      m_in_alphabet = false;
      check_alphabet(m_core);
      return;
    }
    std::string bare;
    bool quoted = false;
    for (const char c : t.substr(0, t.find('#'))) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        bare += c;
      }
    }
    if (bare.find('=') != std::string::npos) return;
    const auto tokens = split_whitespace(bare);
    if (tokens.empty()) return;
    m_core += tokens[0];
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (tokens[i] == "~") m_core += tokens[i + 1];
    }
  }

  void add_background(std::string_view t, std::size_t line_no) {
    const auto tokens = split_whitespace(t);
    if (tokens.size() % 2 != 0)
      throw fail(line_no, "", "background frequencies must be pairs of a letter and a frequency");
    for (std::size_t i = 0; i < tokens.size(); i += 2) {
      const int b = tokens[i].size() == 1 ? base_index(tokens[i][0]) : -1;
      double f = 0.0;
      if (b < 0)
        throw fail(line_no, "", "background letter '" + std::string(tokens[i]) + "' is not A, C, G or T");
      if (!parse_count(tokens[i + 1], f))
        throw fail(line_no, "", "background frequency '" + std::string(tokens[i + 1]) + "' is not a number");
      m_background_values[static_cast<std::size_t>(b)] = f;
      m_background_seen[static_cast<std::size_t>(b)] = true;
    }
    if (std::all_of(m_background_seen.begin(), m_background_seen.end(), [](bool s) { return s; })) {
      m_in_background = false;
      try {
        m_background = checked_background(m_background_values);
      } catch (const InputError& e) {
        throw fail(m_background_line, "", e.message());
      }
    }
  }

  void open_matrix(std::string_view t, std::size_t line_no) {
    if (!m_motif_open) throw fail(line_no, "", "letter-probability matrix before any MOTIF line");
    const std::string& id = m_motif.id;
    if (m_motif_has_matrix) throw fail(line_no, id, "a second letter-probability matrix");
    const auto colon = t.find(':');
    const auto tokens =
        split_whitespace(colon == std::string_view::npos ? std::string_view{} : t.substr(colon + 1));
    m_width.reset();
    m_nsites.reset();
    // "key= value" pairs; MEME writes a space after '=', hand-made files often do not.
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const auto eq = tokens[i].find('=');
      if (eq == std::string_view::npos) continue;
      const auto key = tokens[i].substr(0, eq);
      std::string_view value = tokens[i].substr(eq + 1);
      if (value.empty() && i + 1 < tokens.size()) value = tokens[++i];
      std::int64_t n = 0;
      double d = 0.0;
      if (key == "alength") {
        if (!parse_int(value, n))
          throw fail(line_no, id, "alength '" + std::string(value) + "' is not an integer");
        if (n != 4)
          throw fail(line_no, id, "alength= " + std::to_string(n) + ": only 4-letter (ACGT) motifs are read");
      } else if (key == "w") {
        if (!parse_int(value, n) || n < 0)
          throw fail(line_no, id, "w '" + std::string(value) + "' is not a non-negative integer");
        if (n == 0) throw fail(line_no, id, "motif has length 0 (w= 0)");
        m_width = static_cast<std::size_t>(n);
      } else if (key == "nsites") {
        if (!parse_count(value, d) || d == 0.0)
          throw fail(line_no, id, "nsites '" + std::string(value) + "' is not a positive number");
        m_nsites = d;
      }
    }
    m_in_matrix = true;
    m_matrix_line = line_no;
    m_rows.clear();
  }

  void add_row(std::string_view t, std::size_t line_no) {
    const auto tokens = split_whitespace(t);
    if (tokens.size() != 4) {
      throw fail(line_no, m_motif.id,
                 "matrix row has " + std::to_string(tokens.size()) + " values, expected 4 (A C G T)");
    }
    BaseValues row{};
    for (std::size_t i = 0; i < 4; ++i) {
      if (!parse_count(tokens[i], row[i])) {
        throw fail(line_no, m_motif.id,
                   "probability '" + std::string(tokens[i]) + "' is not a non-negative number");
      }
    }
    m_rows.push_back(row);
  }

  void close_matrix(std::size_t line_no) {
    m_in_matrix = false;
    if (m_rows.empty()) throw fail(m_matrix_line, m_motif.id, "motif has length 0 (no matrix rows)");
    if (m_width && m_rows.size() != *m_width) {
      throw fail(line_no, m_motif.id,
                 "letter-probability matrix has " + std::to_string(m_rows.size()) +
                     " rows but w= " + std::to_string(*m_width));
    }
    m_motif.counts = std::move(m_rows);
    m_rows.clear();
    if (m_nsites) {
      for (auto& row : m_motif.counts) {
        for (auto& v : row)
          v *= *m_nsites;
      }
      m_motif.sites = *m_nsites;
    }
    m_motif_has_matrix = true;
  }

  void close_motif() {
    if (!m_motif_open) return;
    m_motif_open = false;
    if (!m_motif_has_matrix) throw fail(m_motif_line, m_motif.id, "MOTIF has no letter-probability matrix");
    add(std::move(m_motif));
  }

  bool m_version = false;
  bool m_in_alphabet = false;
  std::string m_core;
  std::size_t m_alphabet_line = 0;
  bool m_in_background = false;
  std::size_t m_background_line = 0;
  BaseValues m_background_values{};
  std::array<bool, 4> m_background_seen{};
  std::optional<BaseValues> m_background;
  Motif m_motif;
  bool m_motif_open = false;
  bool m_motif_has_matrix = false;
  std::size_t m_motif_line = 0;
  bool m_in_matrix = false;
  std::size_t m_matrix_line = 0;
  std::optional<std::size_t> m_width;
  std::optional<double> m_nsites;
  std::vector<BaseValues> m_rows;
};

std::unique_ptr<FormatParser> make_parser(MotifFormat format, const std::string& origin) {
  switch (format) {
  case MotifFormat::jaspar: return std::make_unique<JasparParser>(origin);
  case MotifFormat::transfac: return std::make_unique<TransfacParser>(origin);
  case MotifFormat::meme: return std::make_unique<MemeParser>(origin);
  }
  throw InputError("unknown motif format");
}

std::vector<Motif> finished(FormatParser& parser, std::size_t last_line, const std::string& origin) {
  parser.finish(last_line);
  auto motifs = parser.take();
  if (motifs.empty()) throw InputError("no motifs found").file(origin);
  return motifs;
}

// Reads the file's first lines (about head_bytes) so the format can be detected, then streams
// them and the rest through one parser: the file is opened once and never held whole.
std::vector<Motif> read_file(const std::filesystem::path& path, std::optional<MotifFormat> format,
                             MotifFormat* detected) {
  LineReader reader(path);
  std::vector<std::string> buffered;
  std::string head;
  std::string line;
  while (head.size() < head_bytes && reader.next_line(line)) {
    head += line;
    head += '\n';
    buffered.push_back(line);
  }
  if (!format) {
    format = detect_motif_format(head);
    if (!format) throw InputError("not a motif file (JASPAR, TRANSFAC or MEME)").file(path.string());
  }
  if (detected != nullptr) *detected = *format;
  const auto parser = make_parser(*format, path.string());
  for (std::size_t i = 0; i < buffered.size(); ++i)
    parser->line(buffered[i], i + 1);
  while (reader.next_line(line))
    parser->line(line, reader.line_number());
  return finished(*parser, reader.line_number(), path.string());
}

} // namespace

const char* motif_format_name(MotifFormat format) noexcept {
  switch (format) {
  case MotifFormat::jaspar: return "jaspar";
  case MotifFormat::transfac: return "transfac";
  case MotifFormat::meme: return "meme";
  }
  return "unknown";
}

double Pwm::max_score() const noexcept {
  double s = 0.0;
  for (const auto& row : scores)
    s += *std::max_element(row.begin(), row.end());
  return s;
}

double Pwm::min_score() const noexcept {
  double s = 0.0;
  for (const auto& row : scores)
    s += *std::min_element(row.begin(), row.end());
  return s;
}

std::optional<double> Pwm::score(std::string_view window) const {
  if (window.size() != scores.size()) {
    throw InputError("window of " + std::to_string(window.size()) + " bases for a motif of length " +
                     std::to_string(scores.size()));
  }
  double s = 0.0;
  for (std::size_t i = 0; i < window.size(); ++i) {
    const int b = base_index(window[i]);
    if (b < 0) return std::nullopt;
    s += scores[i][static_cast<std::size_t>(b)];
  }
  return s;
}

std::vector<BaseValues> Motif::probabilities(double pseudocount, const BaseValues& background) const {
  if (!std::isfinite(pseudocount) || pseudocount < 0.0)
    throw InputError("pseudocount " + std::to_string(pseudocount) + " is negative");
  const BaseValues bg = checked_background(background);
  std::vector<BaseValues> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto& c = counts[i];
    const double total = c[0] + c[1] + c[2] + c[3] + 4.0 * pseudocount;
    for (std::size_t b = 0; b < 4; ++b)
      out[i][b] = total > 0.0 ? (c[b] + 4.0 * pseudocount * bg[b]) / total : bg[b];
  }
  return out;
}

Pwm Motif::log_odds(const BaseValues& background, double pseudocount) const {
  const BaseValues bg = checked_background(background);
  Pwm pwm;
  pwm.scores = probabilities(pseudocount, bg);
  for (auto& row : pwm.scores) {
    for (std::size_t b = 0; b < 4; ++b)
      row[b] = row[b] > 0.0 ? std::log2(row[b] / bg[b]) : -std::numeric_limits<double>::infinity();
  }
  return pwm;
}

Motif Motif::reverse_complement() const {
  Motif out = *this;
  std::reverse(out.counts.begin(), out.counts.end());
  for (auto& row : out.counts)
    std::reverse(row.begin(), row.end()); // A C G T -> T G C A: the complement in index order
  if (out.background) std::reverse(out.background->begin(), out.background->end());
  return out;
}

std::string Motif::consensus() const {
  // IUPAC code of a set of bases, indexed by the bit mask A=1, C=2, G=4, T=8.
  static constexpr std::string_view iupac = "-ACMGRSVTWYHKDBN";
  std::string out;
  out.reserve(counts.size());
  for (const auto& c : counts) {
    const double total = c[0] + c[1] + c[2] + c[3];
    if (total <= 0.0) {
      out += 'N';
      continue;
    }
    std::array<int, 4> order{0, 1, 2, 3};
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return c[static_cast<std::size_t>(a)] > c[static_cast<std::size_t>(b)];
    });
    const auto f = [&](int rank) {
      return c[static_cast<std::size_t>(order[static_cast<std::size_t>(rank)])] / total;
    };
    const auto bit = [&](int rank) { return 1 << order[static_cast<std::size_t>(rank)]; };
    if (f(0) > 0.5 && f(0) > 2.0 * f(1)) {
      out += iupac[static_cast<std::size_t>(bit(0))];
    } else if (f(0) + f(1) > 0.75) {
      out += iupac[static_cast<std::size_t>(bit(0) | bit(1))];
    } else if (f(3) == 0.0) {
      out += iupac[static_cast<std::size_t>(bit(0) | bit(1) | bit(2))];
    } else {
      out += 'N';
    }
  }
  return out;
}

std::optional<MotifFormat> detect_motif_format(std::string_view head) {
  const auto lines = content_lines(head, 64);
  if (lines.empty()) return std::nullopt;
  // MEME's own text output opens with a banner before its version line.
  for (std::size_t i = 0; i < std::min<std::size_t>(lines.size(), 20); ++i) {
    if (lines[i].starts_with("MEME version")) return MotifFormat::meme;
  }
  if (lines[0][0] == '>') {
    // Four rows of numbers under the header; fewer only when the head ends first (long rows).
    std::size_t rows = 0;
    for (std::size_t i = 1; i < lines.size() && rows < 4; ++i, ++rows) {
      if (!looks_like_jaspar_row(lines[i])) return std::nullopt;
    }
    return rows == 4 || (rows >= 1 && rows + 1 == lines.size()) ? std::optional(MotifFormat::jaspar)
                                                                : std::nullopt;
  }
  const auto first = lines[0];
  const bool code = first.size() >= 2 && (first.size() == 2 || first[2] == ' ' || first[2] == '\t') &&
                    std::all_of(first.begin(), first.begin() + 2, [](char c) {
                      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/';
                    });
  if (!code) return std::nullopt;
  for (const auto l : lines) {
    if (transfac_columns(split_whitespace(l))) return MotifFormat::transfac;
  }
  return std::nullopt;
}

std::vector<Motif> read_motifs(const std::filesystem::path& path) {
  return read_file(path, std::nullopt, nullptr);
}

std::vector<Motif> read_motifs(const std::filesystem::path& path, MotifFormat format) {
  return read_file(path, format, nullptr);
}

std::vector<Motif> parse_motifs(std::string_view text, MotifFormat format, const std::string& origin) {
  const auto parser = make_parser(format, origin);
  std::size_t line_no = 0;
  std::string_view line;
  while (next_line(text, line))
    parser->line(line, ++line_no);
  return finished(*parser, line_no, origin);
}

Json summarize_motifs(const std::filesystem::path& path) {
  MotifFormat format = MotifFormat::jaspar;
  const auto motifs = read_file(path, std::nullopt, &format);
  return summarize_motifs(motifs, format);
}

Json summarize_motifs(const std::vector<Motif>& motifs, MotifFormat format) {
  std::size_t shortest = std::numeric_limits<std::size_t>::max();
  std::size_t longest = 0;
  std::vector<std::string> ids;
  std::vector<std::string> names;
  for (const auto& m : motifs) {
    shortest = std::min(shortest, m.length());
    longest = std::max(longest, m.length());
    if (ids.size() < 10) {
      ids.push_back(m.id);
      names.push_back(m.name);
    }
  }
  Json j = Json::object();
  j["format"] = "motifs";
  j["motif_format"] = motif_format_name(format);
  j["motifs"] = motifs.size();
  j["min_length"] = shortest;
  j["max_length"] = longest;
  j["ids"] = Json::array_of(ids);
  j["names"] = Json::array_of(names);
  return j;
}

} // namespace gc::genome
