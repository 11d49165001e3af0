#include "gc/hic/contact_map.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gc::hic {

std::string exact_name_resolver(const std::string& name, const std::vector<std::string>& known) {
  if (std::find(known.begin(), known.end(), name) != known.end()) return name;
  const std::string alt = name.rfind("chr", 0) == 0 ? name.substr(3) : "chr" + name;
  std::string message = "unknown chromosome '" + name + "'";
  if (std::find(known.begin(), known.end(), alt) != known.end()) {
    message += " (did you mean '" + alt + "'?)";
  } else {
    message += " (known:";
    const std::size_t shown = std::min<std::size_t>(known.size(), 10);
    for (std::size_t i = 0; i < shown; ++i)
      message += " " + known[i];
    if (shown < known.size()) message += " ...";
    message += ")";
  }
  throw InputError(message);
}

std::vector<std::string> BinTable::chrom_names() const {
  std::vector<std::string> names;
  names.reserve(chroms.size());
  for (const auto& c : chroms)
    names.push_back(c.name);
  return names;
}

int BinTable::chrom_index(const std::string& name) const noexcept {
  for (std::size_t i = 0; i < chroms.size(); ++i)
    if (chroms[i].name == name) return static_cast<int>(i);
  return -1;
}

BinTable BinTable::fixed(std::vector<Chrom> chroms, std::int64_t bin_size) {
  if (bin_size <= 0) throw InputError("bin size must be positive");
  BinTable t;
  t.chroms = std::move(chroms);
  t.bin_size = bin_size;
  for (std::size_t c = 0; c < t.chroms.size(); ++c) {
    if (t.chroms[c].length <= 0) throw InputError("chromosome '" + t.chroms[c].name + "' has no length");
    for (std::int64_t s = 0; s < t.chroms[c].length; s += bin_size) {
      t.chrom.push_back(static_cast<std::int32_t>(c));
      t.start.push_back(s);
      t.end.push_back(std::min(s + bin_size, t.chroms[c].length));
    }
  }
  t.index_chromosomes();
  return t;
}

void BinTable::index_chromosomes() {
  chrom_offset.assign(chroms.size() + 1, 0);
  std::int32_t previous = 0;
  for (std::size_t i = 0; i < chrom.size(); ++i) {
    const auto c = chrom[i];
    if (c < previous || c < 0 || static_cast<std::size_t>(c) >= chroms.size())
      throw InputError("bin table is not sorted by chromosome (bin " + std::to_string(i) + ")");
    previous = c;
  }
  std::size_t b = 0;
  for (std::size_t c = 0; c < chroms.size(); ++c) {
    chrom_offset[c] = static_cast<std::int64_t>(b);
    while (b < chrom.size() && chrom[b] == static_cast<std::int32_t>(c))
      ++b;
  }
  chrom_offset[chroms.size()] = static_cast<std::int64_t>(chrom.size());
}

BinRange resolve_region(const BinTable& bins, const genome::Region& region, const NameResolver& resolver) {
  const auto names = bins.chrom_names();
  const std::string name = (resolver ? resolver : NameResolver(builtin_alias_resolver))(region.chrom, names);
  const int c = bins.chrom_index(name);
  if (c < 0) throw InputError("unknown chromosome '" + region.chrom + "'");
  const auto length = bins.chroms[static_cast<std::size_t>(c)].length;
  const std::int64_t start = region.start;
  const std::int64_t end = region.end == genome::Region::to_end ? length : region.end;
  // Written as a 0-based half-open interval: the text may have been read either way.
  const auto interval = [&] {
    return "region " + name + ":[" + std::to_string(start) + ", " + std::to_string(end) + ")";
  };
  if (start < 0 || end > length || start >= end)
    throw InputError(interval() + " lies outside chromosome " + name + " (length " + std::to_string(length) +
                     ")");
  const auto first = bins.chrom_offset[static_cast<std::size_t>(c)];
  const auto last = bins.chrom_offset[static_cast<std::size_t>(c) + 1];
  // Bins of a chromosome are sorted and contiguous: binary search on ends and starts.
  const auto lo =
      std::upper_bound(bins.end.begin() + first, bins.end.begin() + last, start) - bins.end.begin();
  const auto hi =
      std::lower_bound(bins.start.begin() + first, bins.start.begin() + last, end) - bins.start.begin();
  if (lo >= hi) throw InputError(interval() + " covers no bins");
  return {c, lo, hi};
}

BinRange resolve_region(const BinTable& bins, const std::string& region, const NameResolver& resolver) {
  return resolve_region(bins, genome::parse_region(region), resolver);
}

double Weights::factor(std::int64_t bin) const noexcept {
  if (bin < 0 || static_cast<std::size_t>(bin) >= values.size())
    return std::numeric_limits<double>::quiet_NaN();
  const double v = values[static_cast<std::size_t>(bin)];
  if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
  if (divisive) return v == 0 ? std::numeric_limits<double>::quiet_NaN() : 1.0 / v;
  return v;
}

std::vector<double> Weights::factors() const {
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    out[i] = factor(static_cast<std::int64_t>(i));
  return out;
}

std::vector<Pixel> ContactMap::all_pixels() const {
  std::vector<Pixel> out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(nnz(), 0)));
  for_each_chunk([&](std::span<const Pixel> chunk) { out.insert(out.end(), chunk.begin(), chunk.end()); });
  return out;
}

} // namespace gc::hic
