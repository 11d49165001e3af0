#include "gc/genome/bed.h"

#include "text_reader.h"

#include "gc/util/error.h"

#include <functional>

namespace gc::genome {
namespace {

std::vector<std::int64_t> parse_list(std::string_view text,
                                     const std::function<InputError(std::string)>& fail, const char* what) {
  std::vector<std::int64_t> out;
  std::size_t s = 0;
  while (s < text.size()) {
    auto comma = text.find(',', s);
    if (comma == std::string_view::npos) comma = text.size();
    std::int64_t v = 0;
    if (!parse_int(text.substr(s, comma - s), v) || v < 0) {
      throw fail(std::string(what) + " '" + std::string(text) +
                 "' is not a comma-separated list of integers");
    }
    out.push_back(v);
    s = comma + 1;
  }
  return out;
}

BedRecord parse_line(std::string_view line, const std::string& origin, std::size_t line_no) {
  auto fail = [&](const std::string& what) {
    return InputError(what).file(origin).record("line " + std::to_string(line_no));
  };
  auto cols = split_tabs(line);
  if (cols.size() < 3) cols = split_whitespace(line); // some tools write space-separated BED
  if (cols.size() < 3 || cols.size() > 12) {
    throw fail("expected 3 to 12 columns, found " + std::to_string(cols.size()));
  }
  BedRecord r;
  r.columns = static_cast<int>(cols.size());
  r.chrom = std::string(cols[0]);
  if (!parse_int(cols[1], r.start) || r.start < 0)
    throw fail("start '" + std::string(cols[1]) + "' is not a non-negative integer");
  if (!parse_int(cols[2], r.end) || r.end < 0)
    throw fail("end '" + std::string(cols[2]) + "' is not a non-negative integer");
  if (r.start > r.end)
    throw fail("start " + std::to_string(r.start) + " is after end " + std::to_string(r.end));
  if (cols.size() > 3) r.name = std::string(cols[3]);
  if (cols.size() > 4 && cols[4] != ".") {
    if (!parse_double(cols[4], r.score)) throw fail("score '" + std::string(cols[4]) + "' is not a number");
  }
  if (cols.size() > 5) {
    if (cols[5] == "+") {
      r.strand = Strand::plus;
    } else if (cols[5] == "-") {
      r.strand = Strand::minus;
    } else if (cols[5] == ".") {
      r.strand = Strand::unknown;
    } else {
      throw fail("strand '" + std::string(cols[5]) + "' is not +, - or .");
    }
  }
  r.thick_start = r.start;
  r.thick_end = r.end;
  if (cols.size() > 6 && !parse_int(cols[6], r.thick_start)) throw fail("thickStart is not an integer");
  if (cols.size() > 7 && !parse_int(cols[7], r.thick_end)) throw fail("thickEnd is not an integer");
  if (cols.size() > 8) r.item_rgb = std::string(cols[8]);
  if (cols.size() > 9) {
    if (cols.size() != 12)
      throw fail("block columns need all of blockCount, blockSizes, blockStarts (12 columns)");
    std::int64_t count = 0;
    if (!parse_int(cols[9], count) || count < 0) throw fail("blockCount is not a non-negative integer");
    r.block_sizes = parse_list(cols[10], fail, "blockSizes");
    r.block_starts = parse_list(cols[11], fail, "blockStarts");
    if (r.block_sizes.size() != static_cast<std::size_t>(count) ||
        r.block_starts.size() != static_cast<std::size_t>(count)) {
      throw fail("blockCount " + std::to_string(count) + " does not match the block lists");
    }
    for (std::size_t i = 0; i < r.block_sizes.size(); ++i) {
      if (r.start + r.block_starts[i] + r.block_sizes[i] > r.end) throw fail("a block extends past chromEnd");
    }
  }
  return r;
}

bool skipped(std::string_view line) {
  return line.empty() || line[0] == '#' || line.starts_with("track") || line.starts_with("browser") ||
         line.find_first_not_of(" \t") == std::string_view::npos;
}

} // namespace

std::vector<BedRecord> read_bed(const std::filesystem::path& path) {
  TextReader reader(path);
  std::vector<BedRecord> out;
  std::string line;
  while (reader.next_line(line)) {
    if (!skipped(line)) out.push_back(parse_line(line, path.string(), reader.line_number()));
  }
  return out;
}

std::vector<BedRecord> parse_bed(std::string_view text, const std::string& origin) {
  std::vector<BedRecord> out;
  std::size_t line_no = 0;
  std::string_view line;
  while (next_line(text, line)) {
    ++line_no;
    if (!skipped(line)) out.push_back(parse_line(line, origin, line_no));
  }
  return out;
}

} // namespace gc::genome
