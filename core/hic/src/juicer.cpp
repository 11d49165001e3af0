#include "gc/hic/juicer.h"

#include "gc/util/error.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

namespace gc::hic {

namespace {

static_assert(std::endian::native == std::endian::little,
              ".hic is little-endian; a big-endian host needs byte swaps");

// Thrown when a parse runs past the end of an in-memory buffer; callers either read more of the
// file and retry, or report the file as truncated.
struct BufferEnd {};

class Cursor {
public:
  explicit Cursor(const std::string& data) : m_data(data) {}
  template <typename T>
  T get() {
    T v;
    need(sizeof(T));
    std::memcpy(&v, m_data.data() + m_pos, sizeof(T));
    m_pos += sizeof(T);
    return v;
  }
  std::string string() {
    const auto end = m_data.find('\0', m_pos);
    if (end == std::string::npos) throw BufferEnd{};
    std::string s = m_data.substr(m_pos, end - m_pos);
    m_pos = end + 1;
    return s;
  }
  void skip(std::size_t n) {
    need(n);
    m_pos += n;
  }
  [[nodiscard]] std::size_t pos() const noexcept { return m_pos; }
  // A count read from the file: negative or impossibly large counts mean corruption.
  std::size_t count(std::int64_t n, std::size_t element_bytes) const {
    if (n < 0 ||
        static_cast<std::uint64_t>(n) > (m_data.size() - m_pos) / std::max<std::size_t>(element_bytes, 1) + 1)
      throw BufferEnd{};
    return static_cast<std::size_t>(n);
  }

private:
  void need(std::size_t n) const {
    if (m_pos + n > m_data.size()) throw BufferEnd{};
  }
  const std::string& m_data;
  std::size_t m_pos = 0;
};

// Owns a zlib inflate stream.
class Inflater {
public:
  Inflater() {
    if (inflateInit(&m_s) != Z_OK) throw Error("cannot initialise zlib");
  }
  ~Inflater() { inflateEnd(&m_s); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // Inflates a whole zlib stream into `out`; false when the stream is corrupt or incomplete.
  bool inflate_all(const std::string& in, std::string& out) {
    out.assign(std::max<std::size_t>(in.size() * 4, 1024), '\0');
    m_s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    m_s.avail_in = static_cast<uInt>(in.size());
    std::size_t produced = 0;
    for (;;) {
      if (produced == out.size()) {
        if (out.size() > (std::size_t{1} << 31)) return false;
        out.resize(out.size() * 2);
      }
      m_s.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      m_s.avail_out = static_cast<uInt>(out.size() - produced);
      const int rc = inflate(&m_s, Z_NO_FLUSH);
      produced = out.size() - m_s.avail_out;
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
      if (rc == Z_BUF_ERROR && m_s.avail_in == 0) return false; // input ended before the stream did
    }
    out.resize(produced);
    return true;
  }

private:
  z_stream m_s{};
};

struct BlockEntry {
  std::int64_t position = 0;
  std::int32_t size = 0;
};

struct ZoomIndex {
  std::int32_t bin_size = 0;
  std::int32_t block_bin_count = 0;
  std::int32_t block_column_count = 0;
  std::map<std::int32_t, BlockEntry> blocks;
};

struct NormEntry {
  std::string type;
  std::int32_t chrom = 0;
  std::string unit;
  std::int32_t bin_size = 0;
  std::int64_t position = 0;
  std::int64_t bytes = 0;
};

} // namespace

struct HicFile::Impl {
  std::filesystem::path path;
  mutable std::ifstream in;
  std::int64_t size = 0;
  mutable std::mutex mutex;
  std::map<std::string, BlockEntry> master;
  std::vector<NormEntry> norms;
  mutable std::map<std::string, std::vector<ZoomIndex>> matrices;

  [[nodiscard]] InputError truncated(const std::string& what) const {
    return std::move(InputError("truncated or corrupt .hic file: " + what).file(path.string()));
  }

  std::string read(std::int64_t offset, std::int64_t n) const {
    if (offset < 0 || n < 0 || offset > size || n > size - offset)
      throw truncated("needs bytes " + std::to_string(offset) + "+" + std::to_string(n) + " of a " +
                      std::to_string(size) + "-byte file");
    std::string buf(static_cast<std::size_t>(n), '\0');
    std::lock_guard lock(mutex);
    in.clear();
    in.seekg(offset);
    in.read(buf.data(), n);
    if (in.gcount() != n) throw truncated("short read at " + std::to_string(offset));
    return buf;
  }

  // Parses from `offset` with a buffer that grows until the parse fits (or the file ends).
  template <typename F>
  auto parse_at(std::int64_t offset, const std::string& what, F parse) const {
    if (offset < 0 || offset >= size)
      throw truncated(what + " position " + std::to_string(offset) + " is outside the file");
    std::int64_t n = std::min<std::int64_t>(size - offset, 1 << 20);
    for (;;) {
      const std::string buf = read(offset, n);
      Cursor c(buf);
      try {
        return parse(c);
      } catch (const BufferEnd&) {
        if (n == size - offset) throw truncated(what + " runs past the end of the file");
        n = std::min<std::int64_t>(size - offset, n * 4);
      }
    }
  }
};

HicFile::HicFile(const std::filesystem::path& path) : m_impl(std::make_unique<Impl>()), m_path(path) {
  require_readable_file(path.string());
  auto& im = *m_impl;
  im.path = path;
  im.in.open(path, std::ios::binary);
  if (!im.in) throw InputError("cannot open file").file(path.string());
  im.size = static_cast<std::int64_t>(std::filesystem::file_size(path));
  if (!is_hic_file(path)) throw InputError("not a Juicer .hic file (no HIC magic)").file(path.string());

  m_header = im.parse_at(0, "header", [&](Cursor& c) {
    HicHeader h;
    c.string();
    h.version = c.get<std::int32_t>();
    if (h.version < 8 || h.version > 9)
      throw InputError(".hic version " + std::to_string(h.version) + " is not supported (8 and 9 are read)")
          .file(path.string());
    h.footer_position = c.get<std::int64_t>();
    h.genome = c.string();
    if (h.version >= 9) {
      h.nvi_position = c.get<std::int64_t>();
      h.nvi_length = c.get<std::int64_t>();
    }
    const auto nattr = c.count(c.get<std::int32_t>(), 2);
    for (std::size_t i = 0; i < nattr; ++i) {
      auto key = c.string();
      h.attributes.emplace_back(std::move(key), c.string());
    }
    const auto nchroms = c.count(c.get<std::int32_t>(), 5);
    for (std::size_t i = 0; i < nchroms; ++i) {
      Chrom chrom;
      chrom.name = c.string();
      chrom.length = h.version >= 9 ? c.get<std::int64_t>() : c.get<std::int32_t>();
      h.chroms.push_back(std::move(chrom));
    }
    const auto nbp = c.count(c.get<std::int32_t>(), 4);
    for (std::size_t i = 0; i < nbp; ++i)
      h.bp_resolutions.push_back(c.get<std::int32_t>());
    const auto nfrag = c.count(c.get<std::int32_t>(), 4);
    for (std::size_t i = 0; i < nfrag; ++i)
      h.frag_resolutions.push_back(c.get<std::int32_t>());
    return h;
  });
  const int version = m_header.version;

  const auto read_expected = [&](Cursor& c, bool normalized) {
    const auto n = c.count(c.get<std::int32_t>(), 8);
    for (std::size_t k = 0; k < n; ++k) {
      HicExpected e;
      e.normalization = normalized ? c.string() : "NONE";
      e.unit = c.string();
      e.bin_size = c.get<std::int32_t>();
      const std::int64_t nvalues = version >= 9 ? c.get<std::int64_t>() : c.get<std::int32_t>();
      e.values.resize(c.count(nvalues, version >= 9 ? 4 : 8));
      for (auto& v : e.values)
        v = version >= 9 ? c.get<float>() : c.get<double>();
      const auto nscale = c.count(c.get<std::int32_t>(), 8);
      for (std::size_t s = 0; s < nscale; ++s) {
        const auto chrom = c.get<std::int32_t>();
        e.chrom_scale[chrom] = version >= 9 ? c.get<float>() : c.get<double>();
      }
      m_expected.push_back(std::move(e));
    }
  };
  const auto read_norm_index = [&](Cursor& c) {
    const auto n = c.count(c.get<std::int32_t>(), 20);
    for (std::size_t k = 0; k < n; ++k) {
      NormEntry e;
      e.type = c.string();
      e.chrom = c.get<std::int32_t>();
      e.unit = c.string();
      e.bin_size = c.get<std::int32_t>();
      e.position = c.get<std::int64_t>();
      e.bytes = version >= 9 ? c.get<std::int64_t>() : c.get<std::int32_t>();
      im.norms.push_back(std::move(e));
    }
  };

  // Footer: nBytesV5 (int64 in v9), master index, expected values of the raw matrix. Then, unless
  // the file was written without normalisations (it ends right there), the normalised expected
  // values and the normalisation vector index. In v9 the header's nviPosition points at that
  // index itself (not at the normalised expected values before it).
  const auto norm_part = im.parse_at(m_header.footer_position, "footer", [&](Cursor& c) {
    im.master.clear();
    m_expected.clear();
    if (version >= 9)
      c.get<std::int64_t>();
    else
      c.get<std::int32_t>();
    const auto nentries = c.count(c.get<std::int32_t>(), 14);
    for (std::size_t i = 0; i < nentries; ++i) {
      auto key = c.string();
      BlockEntry e;
      e.position = c.get<std::int64_t>();
      e.size = c.get<std::int32_t>();
      im.master[key] = e;
    }
    read_expected(c, false);
    return m_header.footer_position + static_cast<std::int64_t>(c.pos());
  });
  if (norm_part == im.size) return; // no normalisation section at all
  const auto expected_none = m_expected.size();
  const bool index_apart = version >= 9 && m_header.nvi_position > 0;
  im.parse_at(norm_part, "normalised expected values", [&](Cursor& c) {
    m_expected.resize(expected_none);
    im.norms.clear();
    read_expected(c, true);
    if (!index_apart) read_norm_index(c);
    return 0;
  });
  if (index_apart)
    im.parse_at(m_header.nvi_position, "normalisation vector index", [&](Cursor& c) {
      im.norms.clear();
      read_norm_index(c);
      return 0;
    });
}

HicFile::~HicFile() = default;

std::vector<std::string> HicFile::normalizations(std::int32_t bin_size) const {
  std::set<std::string> types;
  for (const auto& e : m_impl->norms)
    if (e.unit == "BP" && e.bin_size == bin_size) types.insert(e.type);
  return {types.begin(), types.end()};
}

bool HicFile::has_normalizations() const noexcept { return !m_impl->norms.empty(); }

std::vector<double> HicFile::norm_vector(const std::string& type, std::int32_t file_chrom,
                                         std::int32_t bin_size) const {
  const auto& im = *m_impl;
  for (const auto& e : im.norms) {
    if (e.type != type || e.chrom != file_chrom || e.unit != "BP" || e.bin_size != bin_size) continue;
    const auto buf = im.read(e.position, e.bytes);
    Cursor c(buf);
    try {
      const std::int64_t n = m_header.version >= 9 ? c.get<std::int64_t>() : c.get<std::int32_t>();
      std::vector<double> v(c.count(n, m_header.version >= 9 ? 4 : 8));
      for (auto& x : v)
        x = m_header.version >= 9 ? c.get<float>() : c.get<double>();
      return v;
    } catch (const BufferEnd&) {
      throw im.truncated("normalisation vector " + type + " for chromosome " + std::to_string(file_chrom));
    }
  }
  return {};
}

std::vector<Pixel> HicFile::read_matrix(std::int32_t chr1, std::int32_t chr2, std::int32_t bin_size,
                                        std::int64_t x_lo, std::int64_t x_hi, std::int64_t y_lo,
                                        std::int64_t y_hi) const {
  const auto& im = *m_impl;
  std::vector<Pixel> out;
  if (x_hi <= x_lo || y_hi <= y_lo) return out;
  const std::string key = std::to_string(chr1) + "_" + std::to_string(chr2);
  const auto entry = im.master.find(key);
  if (entry == im.master.end()) return out; // no contacts between these chromosomes
  const int version = m_header.version;

  const std::vector<ZoomIndex>* zooms = nullptr;
  {
    std::lock_guard lock(im.mutex);
    if (const auto it = im.matrices.find(key); it != im.matrices.end()) zooms = &it->second;
  }
  if (!zooms) {
    const auto buf = im.read(entry->second.position, entry->second.size);
    Cursor c(buf);
    std::vector<ZoomIndex> parsed;
    try {
      c.get<std::int32_t>();
      c.get<std::int32_t>();
      const auto nres = c.count(c.get<std::int32_t>(), 40);
      for (std::size_t r = 0; r < nres; ++r) {
        const auto unit = c.string();
        c.get<std::int32_t>(); // resolution index
        c.skip(16);            // sumCounts, occupiedCellCount, percent5, percent95
        ZoomIndex z;
        z.bin_size = c.get<std::int32_t>();
        z.block_bin_count = c.get<std::int32_t>();
        z.block_column_count = c.get<std::int32_t>();
        const auto nblocks = c.count(c.get<std::int32_t>(), 16);
        for (std::size_t b = 0; b < nblocks; ++b) {
          const auto number = c.get<std::int32_t>();
          BlockEntry e;
          e.position = c.get<std::int64_t>();
          e.size = c.get<std::int32_t>();
          z.blocks[number] = e;
        }
        if (unit == "BP") parsed.push_back(std::move(z));
      }
    } catch (const BufferEnd&) {
      throw im.truncated("matrix " + key + " metadata");
    }
    std::lock_guard lock(im.mutex);
    zooms = &(im.matrices[key] = std::move(parsed));
  }
  const ZoomIndex* zoom = nullptr;
  for (const auto& z : *zooms)
    if (z.bin_size == bin_size) zoom = &z;
  if (!zoom)
    throw InputError("resolution " + std::to_string(bin_size) + " is not stored for matrix " + key)
        .file(m_path.string());
  if (zoom->block_bin_count <= 0 || zoom->block_column_count <= 0)
    throw im.truncated("matrix " + key + " block grid");

  const bool intra = chr1 == chr2;
  std::set<std::int32_t> wanted;
  const std::int64_t bbc = zoom->block_bin_count;
  const std::int64_t bcc = zoom->block_column_count;
  const auto add_grid = [&](std::int64_t ax_lo, std::int64_t ax_hi, std::int64_t ay_lo, std::int64_t ay_hi) {
    if (version >= 9 && intra) {
      // v9 intra-chromosomal blocks: position along the diagonal x depth away from it.
      const std::int64_t x1 = ax_lo, x2 = ax_hi - 1, y1 = ay_lo, y2 = ay_hi - 1;
      const std::int64_t pad_min = (x1 + y1) / 2 / bbc;
      const std::int64_t pad_max = (x2 + y2) / 2 / bbc + 1;
      const auto depth = [&](std::int64_t d) {
        return static_cast<std::int64_t>(
            std::log2(1.0 + static_cast<double>(std::llabs(d)) / std::sqrt(2.0) / static_cast<double>(bbc)));
      };
      const std::int64_t a = depth(x1 - y2), b = depth(x2 - y1);
      std::int64_t anti_min = std::min(a, b);
      const std::int64_t anti_max = std::max(a, b) + 1;
      if ((x1 > y2 && x2 < y1) || (x2 > y1 && x1 < y2) || (x1 <= y2 && y1 <= x2)) anti_min = 0;
      for (std::int64_t p = pad_min; p <= pad_max; ++p)
        for (std::int64_t d = anti_min; d <= anti_max; ++d)
          wanted.insert(static_cast<std::int32_t>(d * bcc + p));
      return;
    }
    for (std::int64_t row = ay_lo / bbc; row <= (ay_hi - 1) / bbc; ++row)
      for (std::int64_t col = ax_lo / bbc; col <= (ax_hi - 1) / bbc; ++col)
        wanted.insert(static_cast<std::int32_t>(row * bcc + col));
  };
  add_grid(x_lo, x_hi, y_lo, y_hi);
  if (intra) add_grid(y_lo, y_hi, x_lo, x_hi);

  std::string block;
  const auto keep = [&](std::int64_t x, std::int64_t y, double v) {
    if (intra && x > y) std::swap(x, y);
    if (x >= x_lo && x < x_hi && y >= y_lo && y < y_hi) out.push_back({x, y, v});
  };
  for (const auto number : wanted) {
    const auto it = zoom->blocks.find(number);
    if (it == zoom->blocks.end()) continue;
    const auto compressed = im.read(it->second.position, it->second.size);
    Inflater fresh;
    if (!fresh.inflate_all(compressed, block))
      throw im.truncated("block " + std::to_string(number) + " of " + key + " does not inflate");
    Cursor c(block);
    try {
      c.get<std::int32_t>(); // nRecords: implied by the row lists / dense size
      const std::int64_t x_off = c.get<std::int32_t>();
      const std::int64_t y_off = c.get<std::int32_t>();
      const bool float_counts = c.get<std::int8_t>() != 0;
      bool int_x = false;
      bool int_y = false;
      if (version >= 9) {
        int_x = c.get<std::int8_t>() != 0;
        int_y = c.get<std::int8_t>() != 0;
      }
      const auto type = c.get<std::int8_t>();
      const auto value = [&]() -> double { return float_counts ? c.get<float>() : c.get<std::int16_t>(); };
      if (type == 1) {
        const std::int64_t rows = int_y ? c.get<std::int32_t>() : c.get<std::int16_t>();
        for (std::int64_t r = 0; r < rows; ++r) {
          const std::int64_t y = y_off + (int_y ? c.get<std::int32_t>() : c.get<std::int16_t>());
          const std::int64_t cols = int_x ? c.get<std::int32_t>() : c.get<std::int16_t>();
          if (cols < 0) throw BufferEnd{};
          for (std::int64_t k = 0; k < cols; ++k) {
            const std::int64_t x = x_off + (int_x ? c.get<std::int32_t>() : c.get<std::int16_t>());
            keep(x, y, value());
          }
        }
      } else if (type == 2) {
        const auto npts = c.get<std::int32_t>();
        const std::int64_t width = c.get<std::int16_t>();
        if (npts < 0 || width <= 0) throw BufferEnd{};
        for (std::int32_t i = 0; i < npts; ++i) {
          const std::int64_t row = i / width;
          const std::int64_t col = i - row * width;
          if (float_counts) {
            const float v = c.get<float>();
            if (!std::isnan(v)) keep(x_off + col, y_off + row, v);
          } else {
            const auto v = c.get<std::int16_t>();
            if (v != std::numeric_limits<std::int16_t>::min()) keep(x_off + col, y_off + row, v);
          }
        }
      } else {
        throw im.truncated("block " + std::to_string(number) + " of " + key + " has unknown type " +
                           std::to_string(type));
      }
    } catch (const BufferEnd&) {
      throw im.truncated("block " + std::to_string(number) + " of " + key + " is shorter than its records");
    }
  }
  std::sort(out.begin(), out.end(), [](const Pixel& a, const Pixel& b) {
    return a.bin1 != b.bin1 ? a.bin1 < b.bin1 : a.bin2 < b.bin2;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Pixel& a, const Pixel& b) { return a.bin1 == b.bin1 && a.bin2 == b.bin2; }),
            out.end());
  return out;
}

bool is_hic_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "HIC\0", 4) == 0;
}

HicMap::HicMap(std::shared_ptr<const HicFile> file, std::int32_t bin_size) : m_file(std::move(file)) {
  const auto& h = m_file->header();
  if (h.bp_resolutions.empty())
    throw InputError(".hic file stores no base-pair resolutions").file(m_file->path().string());
  if (bin_size == 0) bin_size = *std::min_element(h.bp_resolutions.begin(), h.bp_resolutions.end());
  if (std::find(h.bp_resolutions.begin(), h.bp_resolutions.end(), bin_size) == h.bp_resolutions.end()) {
    std::string stored;
    for (const auto r : h.bp_resolutions)
      stored += (stored.empty() ? "" : ", ") + std::to_string(r);
    throw InputError("resolution " + std::to_string(bin_size) + " is not stored (stored: " + stored + ")")
        .file(m_file->path().string());
  }
  m_bin_size = bin_size;
  std::vector<Chrom> chroms;
  for (std::size_t i = 0; i < h.chroms.size(); ++i) {
    std::string lower = h.chroms[i].name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    if (lower == "all") continue;
    chroms.push_back(h.chroms[i]);
    m_file_chrom.push_back(static_cast<std::int32_t>(i));
  }
  m_bins = BinTable::fixed(std::move(chroms), bin_size);
}

std::string HicMap::source() const { return m_file->path().string() + "::" + std::to_string(m_bin_size); }

std::vector<Pixel> HicMap::fetch_stored(std::int64_t row_lo, std::int64_t row_hi, std::int64_t col_lo,
                                        std::int64_t col_hi) const {
  std::vector<Pixel> out;
  const auto& off = m_bins.chrom_offset;
  const auto nchroms = m_bins.chroms.size();
  for (std::size_t a = 0; a < nchroms; ++a) {
    const auto r0 = std::max(row_lo, off[a]), r1 = std::min(row_hi, off[a + 1]);
    if (r0 >= r1) continue;
    for (std::size_t b = a; b < nchroms; ++b) {
      const auto c0 = std::max(col_lo, off[b]), c1 = std::min(col_hi, off[b + 1]);
      if (c0 >= c1) continue;
      const auto px = m_file->read_matrix(m_file_chrom[a], m_file_chrom[b], m_bin_size, r0 - off[a],
                                          r1 - off[a], c0 - off[b], c1 - off[b]);
      for (const auto& p : px)
        out.push_back({p.bin1 + off[a], p.bin2 + off[b], p.count});
    }
  }
  std::sort(out.begin(), out.end(), [](const Pixel& x, const Pixel& y) {
    return x.bin1 != y.bin1 ? x.bin1 < y.bin1 : x.bin2 < y.bin2;
  });
  return out;
}

void HicMap::for_each_chunk(const std::function<void(std::span<const Pixel>)>& sink) const {
  const auto& off = m_bins.chrom_offset;
  for (std::size_t a = 0; a < m_bins.chroms.size(); ++a) {
    const auto rows = fetch_stored(off[a], off[a + 1], off[a], m_bins.size());
    sink(rows);
  }
}

std::vector<std::string> HicMap::weight_names() const { return m_file->normalizations(m_bin_size); }

std::string HicMap::default_weight_name() const {
  const auto names = weight_names();
  for (const char* preferred : {"KR", "SCALE", "VC_SQRT", "VC"})
    if (std::find(names.begin(), names.end(), preferred) != names.end()) return preferred;
  return names.empty() ? "KR" : names.front();
}

Weights HicMap::weights(const std::string& name) const {
  const auto names = weight_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string stored;
    for (const auto& n : names)
      stored += (stored.empty() ? "" : ", ") + n;
    if (!stored.empty())
      throw InputError("no " + name + " normalisation at " + std::to_string(m_bin_size) +
                       " bp (stored: " + stored + ")")
          .file(m_file->path().string());
    throw InputError("no " + name + " normalisation at " + std::to_string(m_bin_size) + " bp: " +
                     (m_file->has_normalizations()
                          ? "this resolution has no normalisation vectors"
                          : "the file stores no normalisation vectors (raw counts only)"))
        .file(m_file->path().string());
  }
  Weights w;
  w.divisive = true;
  w.values.assign(static_cast<std::size_t>(m_bins.size()), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < m_bins.chroms.size(); ++c) {
    const auto v = m_file->norm_vector(name, m_file_chrom[c], m_bin_size);
    const auto lo = m_bins.chrom_offset[c];
    const auto n =
        std::min<std::int64_t>(static_cast<std::int64_t>(v.size()), m_bins.chrom_offset[c + 1] - lo);
    for (std::int64_t i = 0; i < n; ++i)
      w.values[static_cast<std::size_t>(lo + i)] = v[static_cast<std::size_t>(i)];
  }
  return w;
}

} // namespace gc::hic
