#include "gc/hic/dump.h"

#include "gc/hic/query.h"
#include "gc/util/error.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace gc::hic {

DumpFormat parse_dump_format(const std::string& name) {
  if (name == "bg2") return DumpFormat::bg2;
  if (name == "coo") return DumpFormat::coo;
  throw InputError("unknown dump format '" + name + "' (bg2, coo)");
}

namespace {
void write_value(std::ostream& out, double v) {
  char buf[64];
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    out.write(buf, r.ptr - buf);
    return;
  }
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.write(buf, r.ptr - buf);
}
} // namespace

std::int64_t dump(std::ostream& out, const ContactMap& map, const DumpOptions& opt) {
  const auto& bins = map.bins();
  const bool balanced = !opt.weights.values.empty();
  std::int64_t lines = 0;
  if (balanced && (opt.balanced_digits < 1 || opt.balanced_digits > 17))
    throw InputError("the balanced column needs 1 to 17 significant digits");
  const auto line = [&](std::int64_t a, std::int64_t b, double v) {
    if (opt.format == DumpFormat::coo) {
      out << a << '\t' << b << '\t';
    } else {
      const auto ia = static_cast<std::size_t>(a), ib = static_cast<std::size_t>(b);
      out << bins.chroms[static_cast<std::size_t>(bins.chrom[ia])].name << '\t' << bins.start[ia] << '\t'
          << bins.end[ia] << '\t' << bins.chroms[static_cast<std::size_t>(bins.chrom[ib])].name << '\t'
          << bins.start[ib] << '\t' << bins.end[ib] << '\t';
    }
    write_value(out, v);
    if (balanced) {
      out << '\t';
      const double x = v * opt.weights.factor(a) * opt.weights.factor(b);
      if (!std::isnan(x)) {
        char buf[64];
        const int len = std::snprintf(buf, sizeof buf, "%.*g", opt.balanced_digits, x);
        out.write(buf, len);
      }
    }
    out << '\n';
    ++lines;
  };
  if (!opt.region) {
    if (opt.region2) throw InputError("--region2 needs --region");
    map.for_each_chunk([&](std::span<const Pixel> chunk) {
      for (const auto& p : chunk)
        line(p.bin1, p.bin2, p.count);
    });
  } else {
    const auto rows = resolve_region(bins, *opt.region, opt.resolver);
    const auto cols = opt.region2 ? resolve_region(bins, *opt.region2, opt.resolver) : rows;
    QueryOptions q; // raw counts: the balanced column is computed per line
    q.upper_triangle = map.symmetric() && !opt.region2;
    const auto coo = fetch_coo(map, rows, cols, q);
    for (std::size_t k = 0; k < coo.size(); ++k)
      line(coo.bin1[k], coo.bin2[k], coo.value[k]);
  }
  if (!out) throw Error("write error while dumping");
  return lines;
}

} // namespace gc::hic
