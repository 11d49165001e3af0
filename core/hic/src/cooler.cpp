#include "gc/hic/cooler.h"

#include "gc/hdf5/hdf5.h"
#include "gc/util/error.h"

#include <algorithm>
#include <sstream>

namespace gc::hic {

namespace {

constexpr std::int64_t k_chunk_pixels = 1 << 22;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string join_ints(const std::vector<std::int64_t>& items) {
  std::string out;
  for (const auto v : items)
    out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

std::string optional_string_attribute(const hdf5::Object& obj, const std::string& name) {
  if (!obj.has_attribute(name)) return {};
  try {
    if (obj.attribute_type(name) == hdf5::TypeClass::string) return obj.attribute_string(name);
  } catch (const InputError&) {}
  return {};
}

std::int64_t optional_int_attribute(const hdf5::Object& obj, const std::string& name, std::int64_t fallback) {
  if (!obj.has_attribute(name)) return fallback;
  const auto type = obj.attribute_type(name);
  if (type == hdf5::TypeClass::integer) return obj.attribute_int(name);
  if (type == hdf5::TypeClass::floating) return static_cast<std::int64_t>(obj.attribute_double(name));
  return fallback; // e.g. bin-size "null" for variable bins
}

std::string normalise_group(std::string group) {
  if (group.empty() || group.front() != '/') group.insert(group.begin(), '/');
  while (group.size() > 1 && group.back() == '/')
    group.pop_back();
  return group;
}

} // namespace

CoolerUri parse_cooler_uri(const std::string& uri) {
  const auto sep = uri.find("::");
  if (sep == std::string::npos) return {uri, "/"};
  return {uri.substr(0, sep), normalise_group(uri.substr(sep + 2))};
}

CoolerKind sniff_cooler(const std::filesystem::path& file) {
  if (!hdf5::File::is_hdf5(file)) return CoolerKind::not_cooler;
  const auto f = hdf5::File::open(file);
  const std::string format = optional_string_attribute(f, "format");
  if (format.find("MCOOL") != std::string::npos) return CoolerKind::multires;
  if (format.find("SCOOL") != std::string::npos) return CoolerKind::single_cell;
  if (format.find("Cooler") != std::string::npos) return CoolerKind::single;
  if (f.is_group("resolutions")) return CoolerKind::multires;
  if (f.is_group("cells") && f.is_group("bins")) return CoolerKind::single_cell;
  if (f.is_group("pixels") && f.is_group("bins") && f.is_group("chroms")) return CoolerKind::single;
  return CoolerKind::not_cooler;
}

std::vector<std::int64_t> list_resolutions(const std::filesystem::path& file) {
  const auto f = hdf5::File::open(file);
  if (!f.is_group("resolutions"))
    throw InputError("not a multi-resolution cooler (no /resolutions group)").file(file.string());
  std::vector<std::int64_t> out;
  for (const auto& name : f.group("resolutions").children()) {
    try {
      std::size_t used = 0;
      const auto v = std::stoll(name, &used);
      if (used == name.size()) out.push_back(v);
    } catch (const std::exception&) {}
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) throw InputError("multi-resolution cooler without resolutions").file(file.string());
  return out;
}

std::vector<std::string> list_cells(const std::filesystem::path& file) {
  const auto f = hdf5::File::open(file);
  if (!f.is_group("cells"))
    throw InputError("not a single-cell cooler (no /cells group)").file(file.string());
  return f.group("cells").children();
}

struct CoolerMap::Handles {
  hdf5::File file;
  hdf5::Group group;
  hdf5::Dataset bin1;
  hdf5::Dataset bin2;
  hdf5::Dataset count;
  hdf5::Group bins;
};

namespace {
hdf5::Group open_cooler_group(const hdf5::File& f, const CoolerUri& uri) {
  if (uri.group == "/") {
    const auto kind = sniff_cooler(uri.file);
    if (kind == CoolerKind::multires)
      throw InputError("multi-resolution cooler: choose a resolution with FILE::/resolutions/N (stored: " +
                       join_ints(list_resolutions(uri.file)) + ")")
          .file(uri.file.string());
    if (kind == CoolerKind::single_cell) {
      auto cells = list_cells(uri.file);
      if (cells.size() > 5) cells.resize(5), cells.push_back("...");
      throw InputError("single-cell cooler: choose a cell with FILE::/cells/NAME (cells: " + join(cells) +
                       ")")
          .file(uri.file.string());
    }
    if (kind == CoolerKind::not_cooler)
      throw InputError("HDF5 file is not a cooler (no format attribute and no pixels/bins/chroms groups)")
          .file(uri.file.string());
    return f.group("/");
  }
  if (!f.is_group(uri.group)) {
    std::string hint;
    if (f.is_group("resolutions"))
      hint = " (stored resolutions: " + join_ints(list_resolutions(uri.file)) + ")";
    throw InputError("no cooler at '" + uri.group + "'" + hint).file(uri.file.string());
  }
  return f.group(uri.group);
}
} // namespace

CoolerMap::CoolerMap(const std::string& uri_text) : m_uri(parse_cooler_uri(uri_text)) {
  require_readable_file(m_uri.file.string());
  if (!hdf5::File::is_hdf5(m_uri.file))
    throw InputError("not an HDF5 file, so not a cooler").file(m_uri.file.string());
  auto file = hdf5::File::open(m_uri.file);
  auto group = open_cooler_group(file, m_uri);
  for (const char* needed : {"pixels", "indexes"})
    if (!group.is_group(needed))
      throw InputError(std::string("not a cooler: missing group '") + needed + "' in " + m_uri.group)
          .file(m_uri.file.string());
  // Single-cell coolers share bins and chroms at the root.
  auto bins_group = group.is_group("bins") ? group.group("bins") : file.group("bins");
  auto chroms_group = group.is_group("chroms") ? group.group("chroms") : file.group("chroms");

  m_info.format_version = static_cast<int>(optional_int_attribute(group, "format-version", 0));
  if (m_info.format_version == 0)
    m_info.format_version = static_cast<int>(optional_int_attribute(file, "format-version", 2));
  if (m_info.format_version < 2 || m_info.format_version > 3)
    throw InputError("unsupported cooler format-version " + std::to_string(m_info.format_version) +
                     " (2 and 3 are read)")
        .file(m_uri.file.string());
  m_info.bin_type = optional_string_attribute(group, "bin-type");
  if (m_info.bin_type.empty()) m_info.bin_type = "fixed";
  m_info.bin_size = optional_int_attribute(group, "bin-size", 0);
  m_info.storage_mode = optional_string_attribute(group, "storage-mode");
  if (m_info.storage_mode.empty()) m_info.storage_mode = "symmetric-upper";
  m_symmetric = m_info.storage_mode == "symmetric-upper";
  m_info.assembly = optional_string_attribute(group, "genome-assembly");
  if (m_info.assembly.empty()) m_info.assembly = optional_string_attribute(group, "assembly");
  m_info.generated_by = optional_string_attribute(group, "generated-by");

  const auto names = chroms_group.dataset("name").read_strings();
  const auto lengths = chroms_group.dataset("length").read<std::int64_t>();
  if (names.size() != lengths.size())
    throw chroms_group.input_error("chroms/name and chroms/length differ in size");
  for (std::size_t i = 0; i < names.size(); ++i)
    m_bins.chroms.push_back({names[i], lengths[i]});

  const auto chrom_ds = bins_group.dataset("chrom");
  if (chrom_ds.type_class() == hdf5::TypeClass::enumeration) {
    const auto codes = chrom_ds.read_enum_values();
    m_bins.chrom.assign(codes.begin(), codes.end());
  } else {
    m_bins.chrom = chrom_ds.read<std::int32_t>();
  }
  m_bins.start = bins_group.dataset("start").read<std::int64_t>();
  m_bins.end = bins_group.dataset("end").read<std::int64_t>();
  if (m_bins.start.size() != m_bins.chrom.size() || m_bins.end.size() != m_bins.chrom.size())
    throw bins_group.input_error("bins/chrom, start and end differ in size");
  m_bins.bin_size = m_info.bin_type == "fixed" ? m_info.bin_size : 0;
  try {
    m_bins.index_chromosomes();
  } catch (InputError& e) {
    throw e.file(m_uri.file.string());
  }
  m_info.nbins = m_bins.size();
  m_info.nchroms = static_cast<std::int64_t>(m_bins.chroms.size());

  auto pixels = group.group("pixels");
  auto bin1 = pixels.dataset("bin1_id");
  auto bin2 = pixels.dataset("bin2_id");
  auto count = pixels.dataset("count");
  m_info.nnz = static_cast<std::int64_t>(bin1.size());
  if (bin2.size() != bin1.size() || count.size() != bin1.size())
    throw pixels.input_error("pixels/bin1_id, bin2_id and count differ in size");

  m_bin1_offset = group.group("indexes").dataset("bin1_offset").read<std::int64_t>();
  if (static_cast<std::int64_t>(m_bin1_offset.size()) != m_info.nbins + 1 || m_bin1_offset.front() != 0 ||
      m_bin1_offset.back() != m_info.nnz || !std::is_sorted(m_bin1_offset.begin(), m_bin1_offset.end()))
    throw InputError("indexes/bin1_offset is inconsistent with bins and pixels").file(m_uri.file.string());

  m_h = std::make_unique<Handles>(Handles{std::move(file), std::move(group), std::move(bin1), std::move(bin2),
                                          std::move(count), std::move(bins_group)});
}

CoolerMap::~CoolerMap() = default;

std::string CoolerMap::source() const {
  return m_uri.group == "/" ? m_uri.file.string() : m_uri.file.string() + "::" + m_uri.group;
}

std::vector<Pixel> CoolerMap::read_pixels(std::int64_t lo, std::int64_t hi) const {
  std::vector<Pixel> out;
  if (hi <= lo) return out;
  const auto n = static_cast<std::uint64_t>(hi - lo);
  const auto b1 = m_h->bin1.read_range<std::int64_t>(static_cast<std::uint64_t>(lo), n);
  const auto b2 = m_h->bin2.read_range<std::int64_t>(static_cast<std::uint64_t>(lo), n);
  const auto c = m_h->count.read_range<double>(static_cast<std::uint64_t>(lo), n);
  out.resize(n);
  const auto nbins = m_info.nbins;
  for (std::size_t i = 0; i < n; ++i) {
    if (b1[i] < 0 || b1[i] >= nbins || b2[i] < 0 || b2[i] >= nbins)
      throw InputError("pixel " + std::to_string(lo + static_cast<std::int64_t>(i)) +
                       " has a bin id outside the bin table")
          .file(m_uri.file.string());
    out[i] = {b1[i], b2[i], c[i]};
  }
  return out;
}

std::vector<Pixel> CoolerMap::fetch_stored(std::int64_t row_lo, std::int64_t row_hi, std::int64_t col_lo,
                                           std::int64_t col_hi) const {
  row_lo = std::clamp<std::int64_t>(row_lo, 0, m_info.nbins);
  row_hi = std::clamp<std::int64_t>(row_hi, row_lo, m_info.nbins);
  std::vector<Pixel> out;
  if (col_hi <= col_lo) return out;
  const auto lo = m_bin1_offset[static_cast<std::size_t>(row_lo)];
  const auto hi = m_bin1_offset[static_cast<std::size_t>(row_hi)];
  for (std::int64_t start = lo; start < hi; start += k_chunk_pixels) {
    const auto chunk = read_pixels(start, std::min(hi, start + k_chunk_pixels));
    for (const auto& p : chunk)
      if (p.bin2 >= col_lo && p.bin2 < col_hi) out.push_back(p);
  }
  return out;
}

void CoolerMap::for_each_chunk(const std::function<void(std::span<const Pixel>)>& sink) const {
  for (std::int64_t start = 0; start < m_info.nnz; start += k_chunk_pixels) {
    const auto chunk = read_pixels(start, std::min(m_info.nnz, start + k_chunk_pixels));
    sink(chunk);
  }
}

std::vector<std::string> CoolerMap::weight_names() const {
  std::vector<std::string> out;
  for (const auto& name : m_h->bins.children()) {
    if (name == "chrom" || name == "start" || name == "end" || !m_h->bins.is_dataset(name)) continue;
    if (m_h->bins.dataset(name).type_class() == hdf5::TypeClass::floating) out.push_back(name);
  }
  return out;
}

Weights CoolerMap::weights(const std::string& name) const {
  if (!m_h->bins.is_dataset(name)) {
    const auto names = weight_names();
    throw InputError(
        "no weight column '" + name + "' in bins/" +
        (names.empty() ? std::string(" (the file is not balanced)") : " (stored: " + join(names) + ")"))
        .file(m_uri.file.string());
  }
  const auto ds = m_h->bins.dataset(name);
  Weights w;
  w.values = ds.read<double>();
  if (static_cast<std::int64_t>(w.values.size()) != m_info.nbins)
    throw ds.input_error("weight column length differs from nbins");
  if (ds.has_attribute("divisive_weights")) {
    try {
      w.divisive = ds.attribute_int("divisive_weights") != 0;
    } catch (const InputError&) {
      w.divisive = false;
    }
  }
  return w;
}

std::map<std::string, std::string> CoolerMap::weight_attributes(const std::string& name) const {
  std::map<std::string, std::string> out;
  const auto ds = m_h->bins.dataset(name);
  for (const auto& attr : ds.attribute_names()) {
    try {
      const auto type = ds.attribute_type(attr);
      if (type == hdf5::TypeClass::string) {
        out[attr] = ds.attribute_string(attr);
      } else if (type == hdf5::TypeClass::floating) {
        std::ostringstream s;
        s.precision(17);
        s << ds.attribute_double(attr);
        out[attr] = s.str();
      } else {
        out[attr] = std::to_string(ds.attribute_int(attr));
      }
    } catch (const InputError&) {
      out[attr] = "?";
    }
  }
  return out;
}

} // namespace gc::hic
