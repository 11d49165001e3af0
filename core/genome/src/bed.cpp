#include "gc/genome/bed.h"

#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/step_progress.h"

#include <cctype>
#include <functional>
#include <utility>

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

// Columns 1-6, shared by BED and the peak formats.
template <typename Fail>
BedRecord parse_bed6(const std::vector<std::string_view>& cols, const Fail& fail) {
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
  return r;
}

template <typename Fail>
void parse_bed_extras(const std::vector<std::string_view>& cols, BedRecord& r, const Fail& fail) {
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
}

// signalValue, pValue, qValue (and peak for narrowPeak) in columns 7-10.
template <typename Fail>
void parse_peak_extras(const std::vector<std::string_view>& cols, BedRecord& r, const Fail& fail) {
  const bool narrow = r.format == BedFormat::narrow_peak;
  const std::size_t expected = narrow ? 10 : 9;
  if (cols.size() != expected)
    throw fail(std::string(to_string(r.format)) + " records have " + std::to_string(expected) +
               " columns, found " + std::to_string(cols.size()));
  const std::pair<double*, const char*> values[] = {
      {&r.signal_value, "signalValue"}, {&r.p_value, "pValue"}, {&r.q_value, "qValue"}};
  for (std::size_t i = 0; i < 3; ++i)
    if (!parse_double(cols[6 + i], *values[i].first))
      throw fail(std::string(values[i].second) + " '" + std::string(cols[6 + i]) + "' is not a number");
  if (!narrow) return;
  if (!parse_int(cols[9], r.peak) || r.peak < -1)
    throw fail("peak '" + std::string(cols[9]) + "' is not -1 or a non-negative integer");
  if (r.peak > r.end - r.start)
    throw fail("peak offset " + std::to_string(r.peak) + " lies past the end of its " +
               std::to_string(r.end - r.start) + " bp region");
}

// The layout of a record whose file does not say: narrowPeak and broadPeak by their column types.
BedFormat detect_format(const std::vector<std::string_view>& cols) {
  double v = 0;
  std::int64_t i = 0;
  const auto numbers = [&](std::size_t from, std::size_t to) {
    for (std::size_t c = from; c < to; ++c)
      if (!parse_double(cols[c], v)) return false;
    return true;
  };
  if (cols.size() == 10 && numbers(6, 9) && parse_int(cols[9], i)) return BedFormat::narrow_peak;
  // A BED9's thickStart/thickEnd are integers; broadPeak's signal and p-value seldom both are.
  if (cols.size() == 9 && numbers(6, 9) && !(parse_int(cols[6], i) && parse_int(cols[7], i)))
    return BedFormat::broad_peak;
  return BedFormat::bed;
}

// `format` is the file's layout: automatic until the first record fixes it.
BedRecord parse_line(std::string_view line, const std::string& origin, std::size_t line_no,
                     BedFormat& format) {
  auto fail = [&](const std::string& what) {
    return InputError(what).file(origin).record("line " + std::to_string(line_no));
  };
  auto cols = split_tabs(line);
  if (cols.size() < 3) cols = split_whitespace(line); // some tools write space-separated BED
  if (cols.size() < 3 || cols.size() > 12) {
    throw fail("expected 3 to 12 columns, found " + std::to_string(cols.size()));
  }
  if (format == BedFormat::automatic) format = detect_format(cols);
  BedRecord r = parse_bed6(cols, fail);
  r.format = format;
  if (format == BedFormat::bed)
    parse_bed_extras(cols, r, fail);
  else
    parse_peak_extras(cols, r, fail);
  return r;
}

bool skipped(std::string_view line) {
  return line.empty() || line[0] == '#' || line.starts_with("track") || line.starts_with("browser") ||
         line.find_first_not_of(" \t") == std::string_view::npos;
}

} // namespace

std::string_view to_string(BedFormat format) noexcept {
  switch (format) {
  case BedFormat::automatic: return "auto";
  case BedFormat::bed: return "bed";
  case BedFormat::narrow_peak: return "narrowPeak";
  case BedFormat::broad_peak: return "broadPeak";
  }
  return "bed";
}

BedFormat bed_format_from_name(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string_view suffix : {".gz", ".bgz"})
    if (name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  if (name.ends_with(".narrowpeak")) return BedFormat::narrow_peak;
  if (name.ends_with(".broadpeak")) return BedFormat::broad_peak;
  return BedFormat::automatic;
}

std::vector<BedRecord> read_bed(const std::filesystem::path& path, BedFormat format,
                                const Progress& progress) {
  if (format == BedFormat::automatic) format = bed_format_from_name(path);
  LineReader reader(path);
  const std::string what = path.filename().string();
  progress.update(0.0, "reading " + what);
  StepProgress steps(progress, "reading " + what);
  std::vector<BedRecord> out;
  std::string line;
  while (reader.next_line(line)) {
    steps.tick([&] { return reader.fraction(); });
    if (!skipped(line)) out.push_back(parse_line(line, path.string(), reader.line_number(), format));
  }
  progress.update(1.0, "read " + what);
  return out;
}

std::vector<BedRecord> read_bed(const std::filesystem::path& path, const Progress& progress) {
  return read_bed(path, BedFormat::automatic, progress);
}

std::vector<BedRecord> parse_bed(std::string_view text, const std::string& origin, BedFormat format) {
  std::vector<BedRecord> out;
  std::size_t line_no = 0;
  std::string_view line;
  while (next_line(text, line)) {
    ++line_no;
    if (!skipped(line)) out.push_back(parse_line(line, origin, line_no, format));
  }
  return out;
}

} // namespace gc::genome
