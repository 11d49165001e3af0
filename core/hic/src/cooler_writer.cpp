#include "gc/hic/balance.h"
#include "gc/hic/cooler.h"

#include "gc/hdf5/hdf5.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"

#include <algorithm>
#include <cmath>

namespace gc::hic {

namespace {

constexpr std::size_t k_chunk = 1 << 16;

hdf5::DatasetOptions column_options(std::size_t n, int compression) {
  hdf5::DatasetOptions opt;
  if (n == 0) return opt; // a fixed-size empty dataset cannot be chunked
  opt.chunk = std::min(n, k_chunk);
  opt.compression = compression;
  return opt;
}

// Sorts pixels by (bin1, bin2), mirrors lower-triangle pixels for symmetric storage and sums repeats.
void normalise_pixels(std::vector<Pixel>& pixels, bool symmetric, std::int64_t nbins) {
  for (auto& p : pixels) {
    if (p.bin1 < 0 || p.bin1 >= nbins || p.bin2 < 0 || p.bin2 >= nbins)
      throw InputError("pixel (" + std::to_string(p.bin1) + ", " + std::to_string(p.bin2) +
                       ") lies outside the " + std::to_string(nbins) + "-bin table");
    if (symmetric && p.bin1 > p.bin2) std::swap(p.bin1, p.bin2);
  }
  const auto less = [](const Pixel& a, const Pixel& b) {
    return a.bin1 != b.bin1 ? a.bin1 < b.bin1 : a.bin2 < b.bin2;
  };
  if (!std::is_sorted(pixels.begin(), pixels.end(), less)) std::sort(pixels.begin(), pixels.end(), less);
  std::size_t out = 0;
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    if (out > 0 && pixels[out - 1].bin1 == pixels[i].bin1 && pixels[out - 1].bin2 == pixels[i].bin2) {
      pixels[out - 1].count += pixels[i].count;
    } else {
      pixels[out++] = pixels[i];
    }
  }
  pixels.resize(out);
  std::erase_if(pixels, [](const Pixel& p) { return p.count == 0; });
}

// bins/chrom as cooler writes it: an HDF5 enum over int32 whose members are the chromosome names.
// With thousands of scaffolds the enum no longer fits an HDF5 object header; cooler then stores
// plain int32 ids with an "enum_path" attribute naming chroms/name, and so do we.
void write_chrom_enum(const hdf5::Group& bins, const BinTable& table, int compression) {
  const hdf5::Id enum_type(H5Tenum_create(H5T_STD_I32LE));
  for (std::size_t c = 0; c < table.chroms.size(); ++c) {
    const auto value = static_cast<std::int32_t>(c);
    if (H5Tenum_insert(enum_type.get(), table.chroms[c].name.c_str(), &value) < 0)
      throw Error("cannot build the chromosome enum (duplicate name '" + table.chroms[c].name + "'?)");
  }
  const hsize_t n = table.chrom.size();
  const hdf5::Id space(H5Screate_simple(1, &n, nullptr));
  const hdf5::Id dcpl(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_obj_track_times(dcpl.get(), 0);
  if (n > 0) {
    const hsize_t chunk = std::min<hsize_t>(n, k_chunk);
    H5Pset_chunk(dcpl.get(), 1, &chunk);
    H5Pset_shuffle(dcpl.get());
    H5Pset_deflate(dcpl.get(), static_cast<unsigned>(compression));
  }
  bool as_enum = true;
  hdf5::Id ds(
      H5Dcreate2(bins.id(), "chrom", enum_type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
  if (!ds.valid()) {
    as_enum = false;
    ds = hdf5::Id(
        H5Dcreate2(bins.id(), "chrom", H5T_STD_I32LE, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT));
  }
  if (!ds.valid()) throw Error("cannot create bins/chrom").file(bins.file_name());
  const hid_t memory_type = as_enum ? enum_type.get() : H5T_NATIVE_INT32;
  if (n > 0 && H5Dwrite(ds.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, table.chrom.data()) < 0)
    throw Error("cannot write bins/chrom").file(bins.file_name());
  if (!as_enum) bins.dataset("chrom").set_attribute("enum_path", "/chroms/name");
}

void set_numeric_attribute(const hdf5::Object& obj, const std::string& name, double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 9e15)
    obj.set_attribute(name, static_cast<std::int64_t>(value));
  else
    obj.set_attribute(name, value);
}

// Writes one cooler into `g` (the root of a .cool or /resolutions/N of an .mcool). Pixels are normalised.
void write_cooler_group(const hdf5::Group& g, const BinTable& bins, const std::vector<Pixel>& pixels,
                        const CoolerWriteOptions& opt) {
  const auto nbins = bins.size();
  const auto nchroms = bins.chroms.size();
  bool float_counts = false;
  if (opt.float_counts) {
    float_counts = *opt.float_counts;
  } else {
    for (const auto& p : pixels)
      if (p.count != std::floor(p.count) || std::abs(p.count) > 2147483647.0) {
        float_counts = true;
        break;
      }
  }

  g.set_attribute("format", "HDF5::Cooler");
  g.set_attribute("format-version", std::int64_t{3});
  g.set_attribute("format-url", "https://github.com/open2c/cooler");
  g.set_attribute("bin-type", bins.bin_size > 0 ? "fixed" : "variable");
  if (bins.bin_size > 0)
    g.set_attribute("bin-size", bins.bin_size);
  else
    g.set_attribute("bin-size", "null");
  g.set_attribute("storage-mode", opt.symmetric_upper ? "symmetric-upper" : "square");
  g.set_attribute("nbins", nbins);
  g.set_attribute("nchroms", static_cast<std::int64_t>(nchroms));
  g.set_attribute("nnz", static_cast<std::int64_t>(pixels.size()));
  g.set_attribute("generated-by", opt.generated_by);
  g.set_attribute("metadata", "{}");
  if (!opt.assembly.empty()) g.set_attribute("assembly", opt.assembly);

  const auto chroms = g.create_group("chroms");
  std::vector<std::string> names;
  std::vector<std::int32_t> lengths;
  std::size_t width = 1;
  for (const auto& c : bins.chroms) {
    names.push_back(c.name);
    lengths.push_back(static_cast<std::int32_t>(c.length));
    width = std::max(width, c.name.size());
  }
  chroms.write_fixed_strings("name", names, width);
  chroms.write_dataset("length", lengths);

  const auto bg = g.create_group("bins");
  write_chrom_enum(bg, bins, opt.compression);
  const auto bopt = column_options(static_cast<std::size_t>(nbins), opt.compression);
  bg.write_dataset("start", std::vector<std::int32_t>(bins.start.begin(), bins.start.end()), bopt);
  bg.write_dataset("end", std::vector<std::int32_t>(bins.end.begin(), bins.end.end()), bopt);
  for (const auto& [name, values] : opt.bin_columns) {
    if (static_cast<std::int64_t>(values.size()) != nbins)
      throw InputError("bin column '" + name + "' has " + std::to_string(values.size()) + " values for " +
                       std::to_string(nbins) + " bins");
    const auto ds = bg.write_dataset(name, values, bopt);
    if (const auto it = opt.bin_column_attributes.find(name); it != opt.bin_column_attributes.end())
      for (const auto& [attr, value] : it->second)
        set_numeric_attribute(ds, attr, value);
  }

  const auto n = pixels.size();
  const auto popt = column_options(n, opt.compression);
  const auto pg = g.create_group("pixels");
  std::vector<std::int64_t> column(n);
  for (std::size_t i = 0; i < n; ++i)
    column[i] = pixels[i].bin1;
  pg.write_dataset("bin1_id", column, popt);
  std::vector<std::int64_t> bin1_offset(static_cast<std::size_t>(nbins) + 1, 0);
  for (const auto b : column)
    ++bin1_offset[static_cast<std::size_t>(b) + 1];
  for (std::size_t i = 1; i < bin1_offset.size(); ++i)
    bin1_offset[i] += bin1_offset[i - 1];
  for (std::size_t i = 0; i < n; ++i)
    column[i] = pixels[i].bin2;
  pg.write_dataset("bin2_id", column, popt);
  column = {};
  if (float_counts) {
    std::vector<double> counts(n);
    for (std::size_t i = 0; i < n; ++i)
      counts[i] = pixels[i].count;
    pg.write_dataset("count", counts, popt);
  } else {
    std::vector<std::int32_t> counts(n);
    for (std::size_t i = 0; i < n; ++i)
      counts[i] = static_cast<std::int32_t>(pixels[i].count);
    pg.write_dataset("count", counts, popt);
  }

  const auto ig = g.create_group("indexes");
  ig.write_dataset("chrom_offset", bins.chrom_offset);
  ig.write_dataset("bin1_offset", bin1_offset, column_options(bin1_offset.size(), opt.compression));
}

} // namespace

void write_cooler(const std::filesystem::path& file, const BinTable& bins, std::vector<Pixel> pixels,
                  const CoolerWriteOptions& options) {
  if (bins.chrom_offset.size() != bins.chroms.size() + 1)
    throw InputError("bin table is not indexed by chromosome");
  normalise_pixels(pixels, options.symmetric_upper, bins.size());
  write_atomically(file, [&](const std::filesystem::path& temp) {
    const auto f = hdf5::File::open(temp, hdf5::File::Mode::create);
    write_cooler_group(f, bins, pixels, options);
    f.flush();
  });
}

void write_cooler(const std::filesystem::path& file, const std::vector<Chrom>& chroms, std::int64_t bin_size,
                  std::vector<Pixel> pixels, const CoolerWriteOptions& options) {
  write_cooler(file, BinTable::fixed(chroms, bin_size), std::move(pixels), options);
}

std::pair<BinTable, std::vector<Pixel>> coarsen(const BinTable& bins, const std::vector<Pixel>& pixels,
                                                std::int64_t factor) {
  if (factor < 1) throw InputError("coarsening factor must be >= 1");
  if (bins.bin_size <= 0) throw InputError("only fixed-size bins can be coarsened by a factor");
  auto coarse = BinTable::fixed(bins.chroms, bins.bin_size * factor);
  std::vector<std::int64_t> map(static_cast<std::size_t>(bins.size()));
  for (std::int64_t b = 0; b < bins.size(); ++b) {
    const auto c = static_cast<std::size_t>(bins.chrom[static_cast<std::size_t>(b)]);
    map[static_cast<std::size_t>(b)] = coarse.chrom_offset[c] + (b - bins.chrom_offset[c]) / factor;
  }
  std::vector<Pixel> out;
  out.reserve(pixels.size());
  for (const auto& p : pixels) {
    if (p.bin1 < 0 || p.bin1 >= bins.size() || p.bin2 < 0 || p.bin2 >= bins.size())
      throw InputError("pixel outside the bin table while coarsening");
    out.push_back({map[static_cast<std::size_t>(p.bin1)], map[static_cast<std::size_t>(p.bin2)], p.count});
  }
  // Monotone bin mapping keeps symmetric-upper pixels in the upper triangle; repeats are summed.
  const auto less = [](const Pixel& a, const Pixel& b) {
    return a.bin1 != b.bin1 ? a.bin1 < b.bin1 : a.bin2 < b.bin2;
  };
  std::sort(out.begin(), out.end(), less);
  std::size_t n = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (n > 0 && out[n - 1].bin1 == out[i].bin1 && out[n - 1].bin2 == out[i].bin2)
      out[n - 1].count += out[i].count;
    else
      out[n++] = out[i];
  }
  out.resize(n);
  return {std::move(coarse), std::move(out)};
}

void write_mcool(const std::filesystem::path& file, const BinTable& bins, const std::vector<Pixel>& pixels,
                 const std::vector<std::int64_t>& factors, const CoolerWriteOptions& options, bool balance) {
  if (bins.bin_size <= 0) throw InputError("a multi-resolution cooler needs fixed-size bins");
  std::vector<std::int64_t> sorted = factors;
  if (std::find(sorted.begin(), sorted.end(), 1) == sorted.end()) sorted.push_back(1);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<Pixel> base = pixels;
  normalise_pixels(base, options.symmetric_upper, bins.size());
  write_atomically(file, [&](const std::filesystem::path& temp) {
    const auto f = hdf5::File::open(temp, hdf5::File::Mode::create);
    f.set_attribute("format", "HDF5::MCOOL");
    f.set_attribute("format-version", std::int64_t{2});
    const auto res = f.create_group("resolutions");
    for (const auto factor : sorted) {
      auto [table, px] =
          factor == 1 ? std::pair<BinTable, std::vector<Pixel>>{bins, base} : coarsen(bins, base, factor);
      CoolerWriteOptions opt = options;
      if (balance) {
        const auto result = ice(table, px, IceOptions{}, options.symmetric_upper);
        opt.bin_columns["weight"] = result.weights;
        opt.bin_column_attributes["weight"] = result.attributes();
      }
      write_cooler_group(res.create_group(std::to_string(table.bin_size)), table, px, opt);
    }
    f.flush();
  });
}

void zoomify(const std::string& cool_uri, const std::filesystem::path& out_mcool,
             const std::vector<std::int64_t>& factors, bool balance) {
  const CoolerMap map(cool_uri);
  CoolerWriteOptions opt;
  opt.assembly = map.info().assembly;
  opt.symmetric_upper = map.symmetric();
  write_mcool(out_mcool, map.bins(), map.all_pixels(), factors, opt, balance);
}

void store_weights(const std::string& cool_uri, const std::string& name, const std::vector<double>& weights,
                   const std::map<std::string, double>& attributes) {
  const auto uri = parse_cooler_uri(cool_uri);
  std::int64_t nbins = 0;
  {
    const CoolerMap map(cool_uri); // validates the target before anything is copied
    nbins = map.bins().size();
  }
  if (static_cast<std::int64_t>(weights.size()) != nbins)
    throw InputError("weights have " + std::to_string(weights.size()) + " values for " +
                     std::to_string(nbins) + " bins");
  if (name.empty() || name == "chrom" || name == "start" || name == "end" ||
      name.find('/') != std::string::npos)
    throw InputError("invalid weight column name '" + name + "'");
  write_atomically(uri.file, [&](const std::filesystem::path& temp) {
    std::filesystem::copy_file(uri.file, temp, std::filesystem::copy_options::overwrite_existing);
    const auto f = hdf5::File::open(temp, hdf5::File::Mode::read_write);
    const auto group = f.group(uri.group);
    const auto bins = group.is_group("bins") ? group.group("bins") : f.group("bins");
    if (bins.exists(name) && H5Ldelete(bins.id(), name.c_str(), H5P_DEFAULT) < 0)
      throw Error("cannot replace bins/" + name).file(uri.file.string());
    const auto ds = bins.write_dataset(name, weights, column_options(weights.size(), 6));
    for (const auto& [attr, value] : attributes)
      set_numeric_attribute(ds, attr, value);
    f.flush();
  });
}

} // namespace gc::hic
