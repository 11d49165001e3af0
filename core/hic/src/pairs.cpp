#include "gc/hic/pairs.h"

#include "gc/hic/cooler.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace gc::hic {

namespace fs = std::filesystem;

namespace {

// Splits on single tabs, keeping empty fields (the .pairs separator), into a reused vector: the
// hot loop runs once per pair.
void split_tabs_into(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  for (;;) {
    const auto tab = line.find('\t');
    out.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return;
    line.remove_prefix(tab + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Value after "#key:" when `line` is that header line.
bool header_value(std::string_view line, std::string_view key, std::string_view& value) {
  if (line.size() < key.size() + 2 || line[0] != '#' || line.compare(1, key.size(), key) != 0 ||
      line[key.size() + 1] != ':')
    return false;
  value = trim(line.substr(key.size() + 2));
  return true;
}

void parse_header_line(std::string_view line, PairsHeader& header, const LineReader& src,
                       std::unordered_set<std::string>& seen) {
  header.lines.emplace_back(line);
  std::string_view value;
  if (line.starts_with("##")) {
    const auto text = trim(line.substr(2));
    if (text.starts_with("pairs format")) header.format = std::string(text);
  } else if (header_value(line, "chromsize", value)) {
    const auto f = split_whitespace(value);
    std::int64_t length = 0;
    if (f.size() != 2 || !parse_int(f[1], length) || length <= 0)
      throw src.error("expected '#chromsize: NAME LENGTH' with a positive length");
    if (!seen.emplace(f[0]).second) throw src.error("chromosome '" + std::string(f[0]) + "' is listed twice");
    header.chromsizes.push_back({std::string(f[0]), length});
  } else if (header_value(line, "columns", value)) {
    const auto f = split_whitespace(value);
    header.columns.assign(f.begin(), f.end());
  } else if (header_value(line, "genome_assembly", value)) {
    header.genome_assembly = std::string(value);
  } else if (header_value(line, "sorted", value)) {
    header.sorted = std::string(value);
  } else if (header_value(line, "shape", value)) {
    header.shape = std::string(value);
  }
}

// Reads the leading '#' lines; leaves `first` holding the first data line (has_data false at EOF).
PairsHeader read_header(LineReader& src, std::string_view& first, bool& has_data) {
  PairsHeader header;
  std::unordered_set<std::string> seen;
  has_data = false;
  while (src.next_line(first)) {
    if (first.empty() || first.front() != '#') {
      has_data = true;
      break;
    }
    parse_header_line(first, header, src, seen);
  }
  return header;
}

// Chromosome name -> bin-table index (-1: not in the bins), cached so a name is resolved once.
class ChromLookup {
public:
  ChromLookup(const BinTable& bins, bool aliases)
      : m_bins(bins), m_names(bins.chrom_names()), m_aliases(aliases) {}

  int find(std::string_view name) {
    if (m_last_valid && name == m_last_name) return m_last_index;
    const auto it = m_cache.find(name);
    const int index = it != m_cache.end() ? it->second : resolve(name);
    m_last_name.assign(name);
    m_last_index = index;
    m_last_valid = true;
    return index;
  }

private:
  int resolve(std::string_view name) {
    std::string key(name);
    int index = m_bins.chrom_index(key);
    if (index < 0 && m_aliases) {
      try {
        index = m_bins.chrom_index(builtin_alias_resolver(key, m_names));
      } catch (const InputError&) {
        index = -1; // unknown under every alias: dropped like an exact miss
      }
    }
    m_cache.emplace(std::move(key), index);
    return index;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  const BinTable& m_bins;
  std::vector<std::string> m_names;
  bool m_aliases;
  std::unordered_map<std::string, int, Hash, std::equal_to<>> m_cache;
  std::string m_last_name;
  int m_last_index = -1;
  bool m_last_valid = false;
};

// Sorts by (bin1, bin2) and sums repeats in place.
void compact(std::vector<Pixel>& pixels) {
  std::sort(pixels.begin(), pixels.end(), [](const Pixel& a, const Pixel& b) {
    return a.bin1 != b.bin1 ? a.bin1 < b.bin1 : a.bin2 < b.bin2;
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    if (out > 0 && pixels[out - 1].bin1 == pixels[i].bin1 && pixels[out - 1].bin2 == pixels[i].bin2)
      pixels[out - 1].count += pixels[i].count;
    else
      pixels[out++] = pixels[i];
  }
  pixels.resize(out);
}

std::string describe_column(int index, const char* name) {
  return std::string(name) + " (column " + std::to_string(index + 1) + ")";
}

// The pair lines after the header (`first` is the first of them): checks that every line has the
// first line's field count and enough fields for `max_column`, parses both positions as written,
// reports progress and checks cancellation about every million lines, and calls
// on_pair(fields, pos1, pos2). Returns the field count (0 when there was no pair line).
template <typename OnPair>
std::size_t scan_pair_lines(LineReader& src, std::string_view line, const PairsColumns& cols, int max_column,
                            const Progress& progress, OnPair&& on_pair) {
  if (std::min({cols.chrom1, cols.pos1, cols.chrom2, cols.pos2, max_column}) < 0)
    throw InputError("column numbers start at 1");
  max_column = std::max({cols.chrom1, cols.pos1, cols.chrom2, cols.pos2, max_column});
  std::size_t expected = 0; // set by the first pair line, as cooler (pandas) does
  std::vector<std::string_view> f;
  const auto position = [&](int column, const char* name) {
    const auto text = f[static_cast<std::size_t>(column)];
    std::int64_t pos = 0;
    if (!parse_int(text, pos))
      throw src.error(describe_column(column, name) + " '" + std::string(text) + "' is not an integer");
    return pos;
  };
  do {
    if ((src.line_number() & 0xFFFFF) == 0) progress.update(src.fraction(), "reading pairs");
    if (line.empty() || line.front() == '#') continue; // blank lines and later comments carry no pair
    split_tabs_into(line, f);
    if (expected == 0) {
      expected = f.size();
      if (static_cast<std::size_t>(max_column) >= expected)
        throw src.error("column " + std::to_string(max_column + 1) + " is needed but the line has " +
                        std::to_string(f.size()) + " tab-separated fields");
    }
    if (f.size() != expected)
      throw src.error("expected " + std::to_string(expected) +
                      " tab-separated fields (as on the first pair line), found " + std::to_string(f.size()));
    on_pair(f, position(cols.pos1, "pos1"), position(cols.pos2, "pos2"));
  } while (src.next_line(line));
  return expected;
}

} // namespace

PairsColumns columns_from_header(const PairsHeader& header, const fs::path& file) {
  PairsColumns c;
  if (header.columns.empty()) return c;
  const auto find = [&](const char* name) {
    const auto it = std::find(header.columns.begin(), header.columns.end(), name);
    if (it == header.columns.end())
      throw InputError(std::string("the #columns: header has no '") + name + "' column").file(file.string());
    return static_cast<int>(it - header.columns.begin());
  };
  c.chrom1 = find("chrom1");
  c.pos1 = find("pos1");
  c.chrom2 = find("chrom2");
  c.pos2 = find("pos2");
  return c;
}

PairsHeader read_pairs_header(const fs::path& pairs) {
  LineReader src(pairs);
  std::string_view first;
  bool has_data = false;
  return read_header(src, first, has_data);
}

std::vector<Chrom> read_chrom_sizes(const fs::path& file) {
  LineReader src(file);
  std::vector<Chrom> chroms;
  std::unordered_set<std::string> seen;
  std::string_view line;
  while (src.next_line(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    const auto f = split_whitespace(line);
    std::int64_t length = 0;
    if (f.size() < 2) throw src.error("expected NAME and LENGTH");
    if (!parse_int(f[1], length) || length <= 0)
      throw src.error("length '" + std::string(f[1]) + "' is not a positive integer");
    if (!seen.emplace(f[0]).second) throw src.error("chromosome '" + std::string(f[0]) + "' is listed twice");
    chroms.push_back({std::string(f[0]), length});
  }
  if (chroms.empty()) throw InputError("no chromosome sizes in the file").file(src.path());
  return chroms;
}

Binning Binning::fixed(std::vector<Chrom> chroms, std::int64_t bin_size, std::string source) {
  if (bin_size <= 0) throw InputError("bin size must be a positive number of base pairs");
  if (chroms.empty()) throw InputError("no chromosomes to bin");
  return {BinTable::fixed(std::move(chroms), bin_size), std::move(source)};
}

Binning Binning::from_chrom_sizes(const fs::path& sizes, std::int64_t bin_size) {
  try {
    return fixed(read_chrom_sizes(sizes), bin_size, sizes.string() + ":" + std::to_string(bin_size));
  } catch (InputError& e) {
    if (e.file_name().empty()) e.file(sizes.string());
    throw;
  }
}

Binning Binning::from_spec(const std::string& spec) {
  const auto colon = spec.rfind(':');
  std::int64_t bin_size = 0;
  if (colon == std::string::npos || colon == 0 ||
      !parse_int(std::string_view(spec).substr(colon + 1), bin_size))
    throw InputError("expected SIZES:BINSIZE (a chrom sizes file and a bin size in bp), got '" + spec + "'");
  return from_chrom_sizes(spec.substr(0, colon), bin_size);
}

Binning Binning::from_bed(const fs::path& bed) {
  LineReader src(bed);
  BinTable t;
  std::unordered_set<std::string> done;
  std::string_view line;
  while (src.next_line(line)) {
    if (trim(line).empty() || line.front() == '#' || line.starts_with("track") || line.starts_with("browser"))
      continue;
    const auto f = split_whitespace(line);
    std::int64_t start = 0;
    std::int64_t end = 0;
    if (f.size() < 3) throw src.error("expected chrom, start and end");
    if (!parse_int(f[1], start) || !parse_int(f[2], end) || start < 0 || end <= start)
      throw src.error("bad bin '" + std::string(line) + "' (need integers 0 <= start < end)");
    const bool same = !t.chroms.empty() && t.chroms.back().name == f[0];
    if (!same) {
      if (!done.emplace(f[0]).second)
        throw src.error("bins of '" + std::string(f[0]) + "' are not on consecutive lines");
      if (start != 0)
        throw src.error("the first bin of '" + std::string(f[0]) + "' starts at " + std::to_string(start) +
                        ", not 0");
      t.chroms.push_back({std::string(f[0]), 0});
    } else if (start != t.chroms.back().length) {
      throw src.error("bin starts at " + std::to_string(start) + " but the previous bin of '" +
                      std::string(f[0]) + "' ends at " + std::to_string(t.chroms.back().length) +
                      " (bins must tile the chromosome)");
    }
    t.chroms.back().length = end;
    t.chrom.push_back(static_cast<std::int32_t>(t.chroms.size() - 1));
    t.start.push_back(start);
    t.end.push_back(end);
  }
  if (t.start.empty()) throw InputError("no bins in the file").file(src.path());
  t.index_chromosomes();
  // Uniform bins (each chromosome's last one may be shorter) are fixed-size, as cooler infers.
  std::int64_t size = 0;
  bool uniform = true;
  for (std::size_t c = 0; c < t.chroms.size() && uniform; ++c)
    for (auto b = t.chrom_offset[c]; b + 1 < t.chrom_offset[c + 1]; ++b) {
      const auto width = t.end[static_cast<std::size_t>(b)] - t.start[static_cast<std::size_t>(b)];
      if (size == 0) size = width;
      if (width != size) {
        uniform = false;
        break;
      }
    }
  if (uniform && size > 0) {
    for (std::size_t c = 0; c < t.chroms.size(); ++c) {
      const auto last = static_cast<std::size_t>(t.chrom_offset[c + 1] - 1);
      if (t.end[last] - t.start[last] > size) uniform = false;
    }
  }
  t.bin_size = uniform ? size : 0;
  return {std::move(t), bed.string()};
}

void for_each_pair(const fs::path& pairs, const PairsColumns& columns, const PairVisitor& visit,
                   const Progress& progress) {
  progress.update(0.0, "reading pairs");
  LineReader src(pairs);
  std::string_view line;
  bool has_data = false;
  (void)read_header(src, line, has_data);
  if (!has_data) throw InputError("the file holds no pairs, only header lines").file(src.path());
  scan_pair_lines(src, line, columns, 0, progress,
                  [&](const std::vector<std::string_view>& f, std::int64_t pos1, std::int64_t pos2) {
                    visit(f[static_cast<std::size_t>(columns.chrom1)], pos1,
                          f[static_cast<std::size_t>(columns.chrom2)], pos2);
                  });
  progress.update(1.0, "pairs read");
}

BinnedPairs aggregate_pairs(const fs::path& pairs, const Binning& binning, const Progress& progress,
                            const PairsOptions& options) {
  progress.update(0.0, "reading pairs");
  const BinTable& bins = binning.bins;
  if (bins.chrom_offset.size() != bins.chroms.size() + 1 || bins.size() == 0)
    throw InputError("the bin table is empty or not indexed by chromosome");
  LineReader src(pairs);
  std::string_view line;
  bool has_data = false;
  const PairsHeader header = read_header(src, line, has_data);

  BinnedPairs result;
  PairsSummary& s = result.summary;
  s.header_lines = static_cast<std::int64_t>(src.line_number()) - (has_data ? 1 : 0);
  s.bins = bins.size();
  if (!has_data) throw InputError("the file holds no pairs, only header lines").file(src.path());

  const PairsColumns cols = options.columns ? *options.columns : columns_from_header(header, pairs);
  s.columns = cols;
  for (const auto& c : header.chromsizes) {
    const int i = bins.chrom_index(c.name);
    if (i >= 0 && bins.chroms[static_cast<std::size_t>(i)].length != c.length)
      s.warnings.push_back(src.path() + ": #chromsize " + c.name + " is " + std::to_string(c.length) +
                           " bp but " + binning.source + " says " +
                           std::to_string(bins.chroms[static_cast<std::size_t>(i)].length) + " bp");
  }

  ChromLookup lookup(bins, options.chrom_aliases);
  const std::int64_t shift = options.zero_based ? 0 : 1;
  const bool fixed = bins.bin_size > 0;
  std::size_t flush_at = std::max<std::size_t>(options.buffer_pairs, 1024);
  std::vector<Pixel>& pixels = result.pixels;
  pixels.reserve(std::min<std::size_t>(flush_at, std::size_t{1} << 20));

  const auto bin_of = [&](int c, std::int64_t pos) -> std::int64_t {
    const auto lo = bins.chrom_offset[static_cast<std::size_t>(c)];
    if (fixed) return lo + pos / bins.bin_size;
    const auto first = bins.start.begin() + lo;
    const auto last = bins.start.begin() + bins.chrom_offset[static_cast<std::size_t>(c) + 1];
    return (std::upper_bound(first, last, pos) - bins.start.begin()) - 1;
  };
  const auto check_bounds = [&](std::int64_t anchor, int c, int column, const char* name) {
    const auto& chrom = bins.chroms[static_cast<std::size_t>(c)];
    if (anchor < 0)
      throw src.error(describe_column(column, name) + " " + std::to_string(anchor + shift) + " is below " +
                      std::to_string(shift) +
                      (shift == 1 ? " (positions are 1-based; use zero-based for 0-based files)" : ""));
    if (anchor >= chrom.length)
      throw src.error(describe_column(column, name) + " " + std::to_string(anchor + shift) +
                      " lies beyond the end of " + chrom.name + " (" + std::to_string(chrom.length) + " bp)");
  };

  const auto on_pair = [&](const std::vector<std::string_view>& f, std::int64_t pos1, std::int64_t pos2) {
    ++s.pairs_read;
    double value = 1.0;
    if (options.count_column) {
      const auto text = f[static_cast<std::size_t>(*options.count_column)];
      if (!parse_double(text, value) || !std::isfinite(value))
        throw src.error(describe_column(*options.count_column, "count") + " '" + std::string(text) +
                        "' is not a finite number");
    }
    const auto name1 = f[static_cast<std::size_t>(cols.chrom1)];
    const auto name2 = f[static_cast<std::size_t>(cols.chrom2)];
    auto c1 = lookup.find(name1);
    auto c2 = lookup.find(name2);
    if (c1 < 0 || c2 < 0) {
      ++s.dropped_unknown_chrom;
      ++s.unknown_chroms[std::string(c1 < 0 ? name1 : name2)];
      return;
    }
    auto a1 = pos1 - shift;
    auto a2 = pos2 - shift;
    check_bounds(a1, c1, cols.pos1, "pos1");
    check_bounds(a2, c2, cols.pos2, "pos2");
    if (options.symmetric_upper && (c1 > c2 || (c1 == c2 && a1 > a2))) {
      if (options.lower_triangle == LowerTriangle::drop) {
        ++s.dropped_lower_triangle;
        return;
      }
      std::swap(c1, c2);
      std::swap(a1, a2);
      ++s.reflected;
    }
    pixels.push_back({bin_of(c1, a1), bin_of(c2, a2), value});
    ++s.pairs_binned;
    if (pixels.size() >= flush_at) {
      compact(pixels);
      // Mostly distinct pixels: sorting again soon would gain little, so let the buffer grow.
      if (pixels.size() > flush_at / 2) flush_at *= 2;
    }
  };
  const auto fields = scan_pair_lines(src, line, cols, options.count_column.value_or(0), progress, on_pair);
  s.lines = static_cast<std::int64_t>(src.line_number());
  if (s.pairs_read == 0) throw InputError("the file holds no pairs").file(src.path());
  // pairtools writes sam1/sam2 in #columns: without the fields themselves; positions still hold.
  if (!header.columns.empty() && header.columns.size() != fields)
    s.warnings.push_back(src.path() + ": #columns: names " + std::to_string(header.columns.size()) +
                         " columns but the pair lines have " + std::to_string(fields) + " fields");

  compact(pixels);
  std::erase_if(pixels, [](const Pixel& p) { return p.count == 0; });
  s.pairs_dropped = s.pairs_read - s.pairs_binned;
  s.pixels = static_cast<std::int64_t>(pixels.size());
  for (const auto& p : pixels)
    s.total_count += p.count;
  progress.update(1.0, "pairs read");
  return result;
}

PairsSummary bin_pairs(const fs::path& pairs, const Binning& binning, const fs::path& out_cool,
                       const Progress& progress, const PairsOptions& options) {
  auto binned = aggregate_pairs(pairs, binning, progress.sub(0.0, 0.9), options);
  progress.update(0.9, "writing cooler");
  CoolerWriteOptions w;
  w.symmetric_upper = options.symmetric_upper;
  w.assembly = options.assembly;
  write_cooler(out_cool, binning.bins, std::move(binned.pixels), w);
  progress.update(1.0, "done");
  return binned.summary;
}

} // namespace gc::hic
