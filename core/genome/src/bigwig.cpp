#include "gc/genome/bigwig.h"

#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <bigWig.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <unordered_map>

namespace gc::genome {

namespace fs = std::filesystem;

namespace {

// libBigWig never swaps bytes, and neither do the header checks and summary patch below.
static_assert(std::endian::native == std::endian::little, "bigWig support assumes a little-endian host");

constexpr std::uint32_t bigwig_magic = 0x888FFC26;
constexpr std::uint32_t bigwig_magic_swapped = 0x26FC8F88;
constexpr std::uint32_t bigbed_magic = 0x8789F2EB;
constexpr std::uint32_t bigbed_magic_swapped = 0xEBF28987;
constexpr std::uint64_t header_bytes = 64;
constexpr std::uint64_t zoom_header_bytes = 24;
constexpr std::uint64_t summary_bytes = 40;
constexpr std::uint64_t index_header_bytes = 48;
constexpr std::uint64_t summary_offset_field = 0x2c;
constexpr std::int64_t max_coordinate = std::numeric_limits<std::uint32_t>::max();
constexpr int max_zoom_levels = 10;
// Intervals handed to libBigWig per call: bounds the temporary arrays, not the block layout.
constexpr std::size_t write_chunk = 1 << 15;

// bwInit sets up curl (Debian's libBigWig can read URLs) and must precede other calls. A function
// static runs it once even when readers open concurrently; bwCleanup at exit balances it, and curl
// counts initialisations, so htslib's own use of curl is unaffected.
struct LibraryInit {
  LibraryInit() {
    if (bwInit(1 << 17) != 0) throw Error("libBigWig could not initialise (bwInit failed)");
  }
  ~LibraryInit() { bwCleanup(); }
  LibraryInit(const LibraryInit&) = delete;
  LibraryInit& operator=(const LibraryInit&) = delete;
};

void ensure_library() { static const LibraryInit init; }

struct BwClose {
  void operator()(bigWigFile_t* p) const noexcept { bwClose(p); }
};
struct IntervalsFree {
  void operator()(bwOverlappingIntervals_t* p) const noexcept { bwDestroyOverlappingIntervals(p); }
};
struct MallocFree {
  void operator()(double* p) const noexcept { std::free(p); }
};
using BwPtr = std::unique_ptr<bigWigFile_t, BwClose>;
using IntervalsPtr = std::unique_ptr<bwOverlappingIntervals_t, IntervalsFree>;
using StatsPtr = std::unique_ptr<double, MallocFree>;

template <typename T>
T read_le(const unsigned char* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string span_text(const std::string& chrom, std::int64_t start, std::int64_t end) {
  return chrom + ":[" + std::to_string(start) + ", " + std::to_string(end) + ")";
}

// What libBigWig does not check before trusting the header: the signature, that every offset
// lies inside the file, and the end-of-file signature that UCSC's tools require (a file cut short
// loses it, whatever the cut leaves of the header).
void check_structure(const fs::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open the file").file(name);
  const std::uint64_t size = fs::file_size(path);
  std::array<unsigned char, header_bytes> h{};
  in.read(reinterpret_cast<char*>(h.data()), static_cast<std::streamsize>(h.size()));
  const auto got = static_cast<std::uint64_t>(in.gcount());
  const std::uint32_t magic = got >= 4 ? read_le<std::uint32_t>(h.data()) : 0;
  if (magic == bigbed_magic || magic == bigbed_magic_swapped)
    throw InputError("this is a bigBed file, not a bigWig").file(name);
  if (magic == bigwig_magic_swapped) {
    throw InputError("big-endian bigWig (byte-swapped signature): libBigWig reads only little-endian files; "
                     "convert it with bigWigToBedGraph and bedGraphToBigWig")
        .file(name);
  }
  if (magic != bigwig_magic)
    throw InputError("not a bigWig file (no 0x888FFC26 signature at the start)").file(name);
  if (got < header_bytes) {
    throw InputError("truncated: " + std::to_string(size) + " bytes, shorter than the 64-byte bigWig header")
        .file(name);
  }
  const auto check_offset = [&](std::uint64_t offset, std::uint64_t need, const std::string& what) {
    if (offset < header_bytes || offset > size || size - offset < need) {
      throw InputError("truncated or corrupt: the header places the " + what + " at byte " +
                       std::to_string(offset) + " but the file has " + std::to_string(size) + " bytes")
          .file(name);
    }
  };
  const auto levels = read_le<std::uint16_t>(h.data() + 6);
  const auto index_offset = read_le<std::uint64_t>(h.data() + 0x18);
  if (index_offset == 0) throw InputError("no data index (an empty or unfinished bigWig)").file(name);
  check_offset(read_le<std::uint64_t>(h.data() + 0x08), 32, "chromosome list");
  check_offset(read_le<std::uint64_t>(h.data() + 0x10), 4, "data section");
  check_offset(index_offset, index_header_bytes, "data index");
  const auto summary_offset = read_le<std::uint64_t>(h.data() + summary_offset_field);
  if (summary_offset != 0) check_offset(summary_offset, summary_bytes, "whole-file summary");
  if (size < header_bytes + levels * zoom_header_bytes) {
    throw InputError("truncated: the header announces " + std::to_string(levels) +
                     " zoom levels but the file has " + std::to_string(size) + " bytes")
        .file(name);
  }
  std::vector<unsigned char> zooms(levels * zoom_header_bytes);
  in.read(reinterpret_cast<char*>(zooms.data()), static_cast<std::streamsize>(zooms.size()));
  for (std::uint16_t i = 0; i < levels; ++i) {
    const unsigned char* z = zooms.data() + i * zoom_header_bytes;
    check_offset(read_le<std::uint64_t>(z + 8), 4, "data of zoom level " + std::to_string(i + 1));
    check_offset(read_le<std::uint64_t>(z + 16), index_header_bytes,
                 "index of zoom level " + std::to_string(i + 1));
  }
  std::array<unsigned char, 4> tail{};
  in.seekg(static_cast<std::streamoff>(size - tail.size()));
  in.read(reinterpret_cast<char*>(tail.data()), static_cast<std::streamsize>(tail.size()));
  if (!in || read_le<std::uint32_t>(tail.data()) != bigwig_magic) {
    throw InputError("truncated: no bigWig signature at the end of the file (" + std::to_string(size) +
                     " bytes); it was cut short or never finished")
        .file(name);
  }
}

// Bin edges start + ⌊i·L/n⌋ without overflow: L = q·n + r, so i·L/n = q·i + ⌊r·i/n⌋ with r·i < n².
std::vector<std::int64_t> bin_edges(std::int64_t start, std::int64_t end, int n_bins) {
  const auto length = static_cast<std::uint64_t>(end - start);
  const auto n = static_cast<std::uint64_t>(n_bins);
  const std::uint64_t q = length / n;
  const std::uint64_t r = length % n;
  std::vector<std::int64_t> edges(n + 1);
  for (std::uint64_t i = 0; i <= n; ++i)
    edges[i] = start + static_cast<std::int64_t>(q * i + r * i / n);
  return edges;
}

BigWigSummary summarize_intervals(const BigWigTrack& track) {
  BigWigSummary s;
  s.min = std::numeric_limits<double>::infinity();
  s.max = -std::numeric_limits<double>::infinity();
  for (const auto& [chrom, intervals] : track) {
    for (const auto& iv : intervals) {
      const auto bases = static_cast<double>(iv.end - iv.start);
      const auto v = static_cast<double>(iv.value);
      s.bases_covered += static_cast<std::uint64_t>(iv.end - iv.start);
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      s.sum += bases * v;
      s.sum_squares += bases * v * v;
    }
  }
  return s;
}

void validate_track(const std::string& out, const std::vector<ChromLength>& chromosomes,
                    const BigWigTrack& track, int zoom_levels) {
  if (zoom_levels < 0 || zoom_levels > max_zoom_levels) {
    throw InputError("zoom levels must be between 0 and " + std::to_string(max_zoom_levels) + ", not " +
                     std::to_string(zoom_levels))
        .file(out);
  }
  if (chromosomes.empty()) throw InputError("no chromosomes given for the bigWig").file(out);
  std::unordered_map<std::string, std::int64_t> lengths;
  for (const auto& c : chromosomes) {
    if (c.name.empty() || c.name.find('\0') != std::string::npos)
      throw InputError("chromosome names must be non-empty text").file(out);
    if (c.length < 1 || c.length > max_coordinate) {
      throw InputError("chromosome '" + c.name + "' has length " + std::to_string(c.length) +
                       "; bigWig lengths are 1 to 4294967295")
          .file(out);
    }
    if (!lengths.emplace(c.name, c.length).second)
      throw InputError("chromosome '" + c.name + "' is given twice").file(out);
  }
  std::size_t total = 0;
  for (const auto& [chrom, intervals] : track) {
    const auto known = lengths.find(chrom);
    if (known == lengths.end()) {
      throw InputError("intervals on unknown chromosome '" + chrom + "' (not among the " +
                       std::to_string(chromosomes.size()) + " chromosomes given)")
          .file(out);
    }
    for (std::size_t i = 0; i < intervals.size(); ++i) {
      const auto& iv = intervals[i];
      // Structured bindings are captured by name: clang before 16 cannot capture them implicitly.
      const auto bad = [&, &name = chrom](const std::string& why) {
        return InputError(why).file(out).record("interval " + std::to_string(i + 1) + " on " + name + " " +
                                                span_text(name, iv.start, iv.end));
      };
      if (iv.end <= iv.start) throw bad("empty interval (end <= start)");
      if (iv.start < 0 || iv.end > known->second)
        throw bad("outside the chromosome (" + std::to_string(known->second) + " bp)");
      if (i > 0 && iv.start < intervals[i - 1].start)
        throw bad("not sorted: it starts before the previous interval " +
                  span_text(chrom, intervals[i - 1].start, intervals[i - 1].end));
      if (i > 0 && iv.start < intervals[i - 1].end)
        throw bad("overlaps the previous interval " +
                  span_text(chrom, intervals[i - 1].start, intervals[i - 1].end));
      if (!std::isfinite(iv.value)) throw bad("the value is not a finite number");
    }
    total += intervals.size();
  }
  if (total == 0) throw InputError("nothing to write: no intervals (a bigWig needs at least one)").file(out);
}

void write_with_libbigwig(const fs::path& temp, const std::string& out,
                          const std::vector<const ChromLength*>& order, const BigWigTrack& track,
                          int zoom_levels) {
  ensure_library();
  BwPtr bw(bwOpen(temp.c_str(), nullptr, "w"));
  if (!bw) throw Error("cannot create the output file (is the folder writable?)").file(out);
  if (bwCreateHdr(bw.get(), zoom_levels) != 0) throw Error("libBigWig could not set up the header").file(out);
  std::vector<const char*> names;
  std::vector<std::uint32_t> lengths;
  for (const auto* c : order) {
    names.push_back(c->name.c_str());
    lengths.push_back(static_cast<std::uint32_t>(c->length));
  }
  bw->cl = bwCreateChromList(names.data(), lengths.data(), static_cast<std::int64_t>(names.size()));
  if (bw->cl == nullptr) throw Error("libBigWig could not build the chromosome list").file(out);
  if (bwWriteHdr(bw.get()) != 0) throw Error("writing the header failed (disk full?)").file(out);

  std::vector<std::uint32_t> starts;
  std::vector<std::uint32_t> ends;
  std::vector<float> values;
  std::vector<const char*> chrom_of;
  for (const auto* c : order) {
    const auto found = track.find(c->name);
    if (found == track.end()) continue;
    const auto& intervals = found->second;
    for (std::size_t offset = 0; offset < intervals.size(); offset += write_chunk) {
      const std::size_t n = std::min(write_chunk, intervals.size() - offset);
      starts.resize(n);
      ends.resize(n);
      values.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& iv = intervals[offset + i];
        starts[i] = static_cast<std::uint32_t>(iv.start);
        ends[i] = static_cast<std::uint32_t>(iv.end);
        values[i] = iv.value;
      }
      // The first call on a chromosome names it; appends continue the same block run.
      int rc = 0;
      if (offset == 0) {
        chrom_of.assign(n, c->name.c_str());
        rc = bwAddIntervals(bw.get(), chrom_of.data(), starts.data(), ends.data(), values.data(),
                            static_cast<std::uint32_t>(n));
      } else {
        rc = bwAppendIntervals(bw.get(), starts.data(), ends.data(), values.data(),
                               static_cast<std::uint32_t>(n));
      }
      if (rc != 0)
        throw Error("libBigWig failed to write the intervals of " + c->name + " (code " + std::to_string(rc) +
                    ")")
            .file(out);
    }
  }
  // bwClose writes the index, zoom levels and end signature; it only prints its failures, so the
  // caller re-reads the file.
  bwClose(bw.release());
}

// libBigWig 0.4.7 tracks min and max with `if (v < min) ... else if (v > max)` starting from
// max = DBL_MIN, so a value that lowers min never raises max (one interval of 5 is stored with max
// 2.2e-308; values 5, 1, 3 with max 3), and it sums span × value in float. The exact summary,
// computed in double before writing, replaces the one it stored.
void patch_summary(const fs::path& temp, const std::string& out, const BigWigSummary& s) {
  std::fstream f(temp, std::ios::in | std::ios::out | std::ios::binary);
  std::array<unsigned char, 8> field{};
  f.seekg(static_cast<std::streamoff>(summary_offset_field));
  f.read(reinterpret_cast<char*>(field.data()), static_cast<std::streamsize>(field.size()));
  const auto offset = read_le<std::uint64_t>(field.data());
  if (!f || offset == 0) throw Error("libBigWig wrote no whole-file summary").file(out);
  std::array<unsigned char, summary_bytes> block{};
  std::memcpy(block.data(), &s.bases_covered, 8);
  std::memcpy(block.data() + 8, &s.min, 8);
  std::memcpy(block.data() + 16, &s.max, 8);
  std::memcpy(block.data() + 24, &s.sum, 8);
  std::memcpy(block.data() + 32, &s.sum_squares, 8);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size()));
  f.flush();
  if (!f) throw Error("cannot write the whole-file summary (disk full?)").file(out);
}

} // namespace

double BigWigSummary::mean() const noexcept {
  return bases_covered == 0 ? std::numeric_limits<double>::quiet_NaN()
                            : sum / static_cast<double>(bases_covered);
}

struct BigWigReader::Impl {
  fs::path path;
  BwPtr bw;
  std::vector<ChromLength> chromosomes;
  std::vector<std::string> names;
  std::unordered_map<std::string, std::int64_t> lengths;
  BigWigSummary summary;
  std::vector<std::int64_t> zoom_levels;
  int version = 0;
  // libBigWig reads move the handle's file position and fill its index cache.
  std::mutex mutex;

  [[nodiscard]] InputError error(const std::string& message) const {
    InputError e(message);
    e.file(path.string());
    return e;
  }

  void check_span(const std::string& chrom, std::int64_t start, std::int64_t end) const {
    const std::int64_t len = lengths.at(chrom);
    if (start < 0 || end < start || end > len)
      throw error("interval " + span_text(chrom, start, end) + " lies outside " + chrom + " (" +
                  std::to_string(len) + " bp)");
  }

  // Caller holds `mutex`.
  [[nodiscard]] std::vector<BigWigInterval> fetch(const std::string& chrom, std::int64_t start,
                                                  std::int64_t end) const {
    if (start == end) return {};
    const IntervalsPtr got(bwGetOverlappingIntervals(
        bw.get(), chrom.c_str(), static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)));
    if (!got)
      throw error("cannot read the data of " + span_text(chrom, start, end) + " (corrupt data blocks)");
    std::vector<BigWigInterval> out;
    out.reserve(got->l);
    for (std::uint32_t i = 0; i < got->l; ++i)
      out.push_back({got->start[i], got->end[i], got->value[i]});
    return out;
  }

  // Caller holds `mutex`. errno is cleared first: bwStats reports zoom-level read errors through it.
  [[nodiscard]] std::vector<double> library_stats(const std::string& chrom, std::int64_t start,
                                                  std::int64_t end, int n_bins, bwStatsType type) const {
    errno = 0;
    const StatsPtr got(bwStats(bw.get(), chrom.c_str(), static_cast<std::uint32_t>(start),
                               static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(n_bins), type));
    if (!got) throw error("cannot read the zoom levels or data of " + span_text(chrom, start, end));
    return {got.get(), got.get() + n_bins};
  }
};

BigWigReader::BigWigReader(const fs::path& path) : m_impl(std::make_unique<Impl>()) {
  m_impl->path = path;
  const std::string name = path.string();
  require_readable_file(name);
  check_structure(path);
  ensure_library();
  m_impl->bw.reset(bwOpen(name.c_str(), nullptr, "r"));
  const bigWigFile_t* bw = m_impl->bw.get();
  if (bw == nullptr || bw->hdr == nullptr || bw->cl == nullptr)
    throw InputError("corrupt bigWig: libBigWig cannot read its header, chromosome list or index").file(name);
  for (std::int64_t i = 0; i < bw->cl->nKeys; ++i) {
    if (bw->cl->chrom[i] == nullptr) throw InputError("corrupt bigWig: a chromosome has no name").file(name);
    std::string chrom = bw->cl->chrom[i];
    const std::int64_t len = bw->cl->len[i];
    if (!m_impl->lengths.emplace(chrom, len).second)
      throw InputError("corrupt bigWig: chromosome '" + chrom + "' is listed twice").file(name);
    m_impl->names.push_back(chrom);
    m_impl->chromosomes.push_back({std::move(chrom), len});
  }
  const bigWigHdr_t& hdr = *bw->hdr;
  m_impl->version = hdr.version;
  m_impl->summary = {hdr.nBasesCovered, hdr.minVal, hdr.maxVal, hdr.sumData, hdr.sumSquared};
  if (hdr.zoomHdrs != nullptr) {
    for (std::uint16_t i = 0; i < hdr.nLevels; ++i)
      m_impl->zoom_levels.push_back(hdr.zoomHdrs->level[i]);
  }
}

BigWigReader::~BigWigReader() = default;
BigWigReader::BigWigReader(BigWigReader&&) noexcept = default;
BigWigReader& BigWigReader::operator=(BigWigReader&&) noexcept = default;

const fs::path& BigWigReader::path() const noexcept { return m_impl->path; }
const std::vector<ChromLength>& BigWigReader::chromosomes() const noexcept { return m_impl->chromosomes; }
std::vector<std::string> BigWigReader::names() const { return m_impl->names; }
const BigWigSummary& BigWigReader::summary() const noexcept { return m_impl->summary; }
std::vector<std::int64_t> BigWigReader::zoom_levels() const { return m_impl->zoom_levels; }
int BigWigReader::version() const noexcept { return m_impl->version; }

std::string BigWigReader::resolve_name(const std::string& chrom) const {
  if (m_impl->lengths.count(chrom) != 0) return chrom;
  try {
    return ChromAliases::builtin().resolve(chrom, m_impl->names);
  } catch (InputError& e) {
    e.file(m_impl->path.string());
    throw;
  }
}

std::int64_t BigWigReader::length(const std::string& chrom) const {
  return m_impl->lengths.at(resolve_name(chrom));
}

std::vector<BigWigInterval> BigWigReader::intervals(const std::string& chrom, std::int64_t start,
                                                    std::int64_t end) const {
  const std::string name = resolve_name(chrom);
  m_impl->check_span(name, start, end);
  const std::lock_guard lock(m_impl->mutex);
  return m_impl->fetch(name, start, end);
}

std::vector<BigWigInterval> BigWigReader::intervals(const Region& region) const {
  Region r = region;
  r.chrom = resolve_name(region.chrom);
  try {
    r = clamp_to_chromosome(r, m_impl->lengths.at(r.chrom));
  } catch (InputError& e) {
    e.file(m_impl->path.string());
    throw;
  }
  return intervals(r.chrom, r.start, r.end);
}

std::vector<double> BigWigReader::stats(const std::string& chrom, std::int64_t start, std::int64_t end,
                                        int n_bins, BigWigStat stat, BigWigStatsMode mode) const {
  const std::string name = resolve_name(chrom);
  m_impl->check_span(name, start, end);
  if (n_bins < 1 || n_bins > end - start) {
    throw m_impl->error("cannot split " + span_text(name, start, end) + " into " + std::to_string(n_bins) +
                        " bins (1 to one bin per base)");
  }
  const auto edges = bin_edges(start, end, n_bins);
  const auto n = static_cast<std::size_t>(n_bins);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> out(n, nan);

  if (mode == BigWigStatsMode::zoomed) {
    const std::lock_guard lock(m_impl->mutex);
    const auto no_data_is_zero = [](std::vector<double> v) {
      for (auto& x : v)
        if (std::isnan(x)) x = 0.0;
      return v;
    };
    switch (stat) {
    case BigWigStat::mean: return m_impl->library_stats(name, start, end, n_bins, bwStatsType::mean);
    case BigWigStat::max: return m_impl->library_stats(name, start, end, n_bins, bwStatsType::max);
    case BigWigStat::min: return m_impl->library_stats(name, start, end, n_bins, bwStatsType::min);
    case BigWigStat::coverage:
      return no_data_is_zero(m_impl->library_stats(name, start, end, n_bins, bwStatsType::coverage));
    case BigWigStat::sum: {
      // libBigWig 0.4.7's zoom-level sum is wrong (7.7 for a 1 Mb bin of the test track whose sum is
      // 2,103,700), so the sum is mean × covered bases, both of which it computes correctly.
      const auto mean = m_impl->library_stats(name, start, end, n_bins, bwStatsType::mean);
      const auto cover =
          no_data_is_zero(m_impl->library_stats(name, start, end, n_bins, bwStatsType::coverage));
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = cover[i] == 0.0 ? 0.0 : mean[i] * cover[i] * static_cast<double>(edges[i + 1] - edges[i]);
      }
      return out;
    }
    }
  }

  std::vector<BigWigInterval> data;
  {
    const std::lock_guard lock(m_impl->mutex);
    data = m_impl->fetch(name, start, end);
  }
  std::vector<std::int64_t> bases(n, 0);
  std::vector<double> sum(n, 0.0);
  std::vector<double> lo(n, std::numeric_limits<double>::infinity());
  std::vector<double> hi(n, -std::numeric_limits<double>::infinity());
  for (const auto& iv : data) {
    const std::int64_t s = std::max(iv.start, start);
    const std::int64_t e = std::min(iv.end, end);
    if (s >= e) continue;
    // The bin holding s, then every bin the interval reaches.
    auto k = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), s) - edges.begin() - 1);
    for (; k < n && edges[k] < e; ++k) {
      const std::int64_t overlap = std::min(e, edges[k + 1]) - std::max(s, edges[k]);
      if (overlap <= 0) continue;
      bases[k] += overlap;
      sum[k] += static_cast<double>(overlap) * static_cast<double>(iv.value);
      lo[k] = std::min(lo[k], static_cast<double>(iv.value));
      hi[k] = std::max(hi[k], static_cast<double>(iv.value));
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    const bool empty = bases[k] == 0;
    switch (stat) {
    case BigWigStat::mean: out[k] = empty ? nan : sum[k] / static_cast<double>(bases[k]); break;
    case BigWigStat::max: out[k] = empty ? nan : hi[k]; break;
    case BigWigStat::min: out[k] = empty ? nan : lo[k]; break;
    case BigWigStat::coverage:
      out[k] = static_cast<double>(bases[k]) / static_cast<double>(edges[k + 1] - edges[k]);
      break;
    case BigWigStat::sum: out[k] = sum[k]; break;
    }
  }
  return out;
}

void write_bigwig(const fs::path& path, const std::vector<ChromLength>& chromosomes,
                  const BigWigTrack& intervals, int zoom_levels) {
  const std::string out = path.string();
  validate_track(out, chromosomes, intervals, zoom_levels);
  std::vector<const ChromLength*> order;
  for (const auto& c : chromosomes)
    order.push_back(&c);
  std::sort(order.begin(), order.end(),
            [](const ChromLength* a, const ChromLength* b) { return a->name < b->name; });
  const BigWigSummary exact = summarize_intervals(intervals);
  write_atomically(path, [&](const fs::path& temp) {
    write_with_libbigwig(temp, out, order, intervals, zoom_levels);
    patch_summary(temp, out, exact);
    // Re-read: libBigWig does not report failures while finishing the file.
    try {
      const BigWigReader check(temp);
      if (check.chromosomes().size() != order.size() || check.summary().bases_covered != exact.bases_covered)
        throw Error("libBigWig wrote an inconsistent file").file(out);
    } catch (const InputError& e) {
      throw Error("libBigWig wrote an unreadable file (" + e.message() + ")").file(out);
    }
  });
}

bool looks_like_bigwig(const std::string& head) noexcept {
  if (head.size() < 4) return false;
  const auto magic = read_le<std::uint32_t>(reinterpret_cast<const unsigned char*>(head.data()));
  return magic == bigwig_magic || magic == bigwig_magic_swapped;
}

Json summarize_bigwig(const fs::path& path) { return summarize_bigwig(BigWigReader(path)); }

Json summarize_bigwig(const BigWigReader& reader) {
  const BigWigSummary& s = reader.summary();
  Json j = Json::object();
  j["format"] = "bigwig";
  j["version"] = reader.version();
  Json chroms = Json::array();
  for (const auto& c : reader.chromosomes()) {
    Json one = Json::object();
    one["name"] = c.name;
    one["length"] = c.length;
    chroms.push_back(std::move(one));
  }
  j["chromosomes"] = std::move(chroms);
  j["zoom_levels"] = Json::array_of(reader.zoom_levels());
  j["bases_covered"] = s.bases_covered;
  j["sum"] = s.sum;
  j["min"] = s.min;
  j["max"] = s.max;
  j["mean"] = s.bases_covered == 0 ? Json() : Json(s.mean());
  return j;
}

} // namespace gc::genome
