// The 4DN .pairs importer, shipped as a plugin through the public plugin interface: it bins the
// pairs into a cooler exactly as `cooler cload pairs` does (gc::hic::bin_pairs), coarsens it
// like `cooler zoomify`, and opens the result as a multi-resolution contact map. The binned
// file is cached per pairs file (path, size, modification time, binning), so opening it again
// is instant; the cache lives in $XDG_CACHE_HOME/genocircuit/pairs.
#include "gc/data/summary.h"
#include "gc/hic/cooler.h"
#include "gc/hic/pairs.h"
#include "gc/hic/resolutions.h"
#include "gc/plugins/plugin.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/line_reader.h"
#include "gc/util/log.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace gc::plugins::pairs {
namespace fs = std::filesystem;

namespace {

// Targets for the finest resolution and the coarsest zoom level of a map built from pairs.
constexpr std::int64_t max_finest_bins = 2'000'000;
constexpr std::int64_t min_coarsest_bins = 16;
constexpr std::size_t max_zoom_levels = 14;

bool is_integer(std::string_view s) {
  std::int64_t v = 0;
  return parse_int(s, v);
}

// Files without a "#columns:" line: readID chrom1 pos1 chrom2 pos2 (the 4DN default) when the
// first line fits it, else the first two (name, integer) field pairs (e.g. chrom pos strand
// chrom pos strand, as older tools wrote).
std::optional<hic::PairsColumns> infer_columns(std::string_view line) {
  const auto f = split_tabs(line);
  const auto pair_at = [&](std::size_t i) {
    return i + 1 < f.size() && !is_integer(f[i]) && is_integer(f[i + 1]);
  };
  if (f.size() >= 5 && pair_at(1) && pair_at(3)) return hic::PairsColumns{};
  std::vector<int> starts;
  for (std::size_t i = 0; i + 1 < f.size() && starts.size() < 2; ++i)
    if (pair_at(i)) {
      starts.push_back(static_cast<int>(i));
      ++i;
    }
  if (starts.size() < 2) return std::nullopt;
  return hic::PairsColumns{starts[0], starts[0] + 1, starts[1], starts[1] + 1};
}

// Chromosome sizes for binning: the header's #chromsize lines, else a sizes file beside the pairs
// (<stem>.chrom.sizes, or the folder's only *.chrom.sizes), else none (the caller scans pairs).
struct Sizes {
  std::vector<hic::Chrom> chroms;
  std::string source;
};

Sizes find_sizes(const fs::path& pairs, const hic::PairsHeader& header) {
  if (!header.chromsizes.empty()) return {header.chromsizes, "the file's #chromsize lines"};
  std::string stem = pairs.filename().string();
  for (const char* ext : {".gz", ".pairs", ".pairsam"})
    if (stem.size() > std::strlen(ext) && stem.ends_with(ext)) stem.resize(stem.size() - std::strlen(ext));
  const fs::path folder = pairs.parent_path();
  std::vector<fs::path> candidates;
  for (std::string s = stem;; s = s.substr(0, s.rfind('.'))) {
    candidates.push_back(folder / (s + ".chrom.sizes"));
    if (s.find('.') == std::string::npos) break;
  }
  std::error_code ec;
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return {hic::read_chrom_sizes(c), c.filename().string()};
  std::vector<fs::path> any;
  for (const auto& e : fs::directory_iterator(folder, ec))
    if (e.path().filename().string().ends_with(".chrom.sizes")) any.push_back(e.path());
  if (any.size() == 1) return {hic::read_chrom_sizes(any.front()), any.front().filename().string()};
  return {};
}

// Largest position seen per chromosome, in order of first appearance: sizes when nothing else
// gives them (a warning says so, since bins then end at the last contact).
Sizes scan_sizes(const fs::path& pairs, const hic::PairsColumns& c, const Progress& progress) {
  hic::PairsOptions options;
  options.columns = c;
  // Binning into one bin per chromosome of "infinite" length would need the names first: read
  // the file once for names and extents.
  std::vector<hic::Chrom> chroms;
  std::map<std::string, std::size_t> index;
  const auto see = [&](std::string_view name, std::int64_t pos) {
    auto [it, inserted] = index.try_emplace(std::string(name), chroms.size());
    if (inserted) chroms.push_back({std::string(name), 0});
    chroms[it->second].length = std::max(chroms[it->second].length, pos);
  };
  hic::for_each_pair(
      pairs, c,
      [&](std::string_view c1, std::int64_t p1, std::string_view c2, std::int64_t p2) {
        see(c1, p1);
        see(c2, p2);
      },
      progress);
  return {chroms, "the largest positions in the pairs (no chromosome sizes found)"};
}

// The smallest 1-2-5 step giving at most max_finest_bins bins over the genome.
std::int64_t choose_bin_size(const std::vector<hic::Chrom>& chroms) {
  std::int64_t genome = 0;
  for (const auto& c : chroms)
    genome += c.length;
  for (std::int64_t decade = 1;; decade *= 10)
    for (const std::int64_t step : {1, 2, 5})
      if (genome / (step * decade) + static_cast<std::int64_t>(chroms.size()) <= max_finest_bins)
        return step * decade;
}

fs::path cache_folder() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
    return fs::path(xdg) / "genocircuit" / "pairs";
  if (const char* home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".cache" / "genocircuit" / "pairs";
  return fs::temp_directory_path() / "genocircuit-pairs";
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

class PairsImporter final : public data::Importer {
public:
  std::string id() const override { return "pairs"; }
  std::string description() const override {
    return "4DN .pairs contacts, binned like `cooler cload pairs` and zoomified (plugin)";
  }
  data::Kind kind() const override { return data::Kind::hic; }

  data::Match recognise(const data::Probe& p) const override {
    if (p.directory) return data::Match::none;
    if (p.starts_with("## pairs format")) return data::Match::content;
    const bool named = p.extension == "pairs" || p.extension == "pairsam";
    if (named && infer_columns(p.first_data_line())) return data::Match::content;
    return named ? data::Match::extension : data::Match::none;
  }

  data::Dataset open(const data::Probe& p, const Progress& progress) const override {
    const auto header = hic::read_pairs_header(p.file);
    const auto columns = columns_for(p, header);
    Sizes sizes = find_sizes(p.file, header);
    std::vector<std::string> warnings;
    if (sizes.chroms.empty()) {
      sizes = scan_sizes(p.file, columns, progress.sub(0.0, 0.3));
      warnings.push_back("no chromosome sizes: bins end at the largest position of each chromosome");
    }
    const std::int64_t bin_size = choose_bin_size(sizes.chroms);
    const fs::path mcool = cached_mcool(p.file, columns, sizes, bin_size);
    hic::PairsSummary summary;
    std::error_code ec;
    if (!fs::exists(mcool, ec)) {
      fs::create_directories(mcool.parent_path());
      const fs::path cool = temporary_sibling(mcool).replace_extension(".cool");
      struct Remove {
        fs::path path;
        ~Remove() {
          std::error_code e;
          fs::remove(path, e);
        }
      } remove_cool{cool};
      hic::PairsOptions options;
      options.columns = columns;
      summary = hic::bin_pairs(p.file, hic::Binning::fixed(sizes.chroms, bin_size, sizes.source), cool,
                               progress.sub(0.3, 0.85), options);
      progress.check();
      std::vector<std::int64_t> factors{1};
      std::int64_t total_bins = summary.bins;
      while (total_bins / (factors.back() * 2) >= min_coarsest_bins && factors.size() < max_zoom_levels)
        factors.push_back(factors.back() * 2);
      write_atomically(mcool, [&](const fs::path& temp) { hic::zoomify(cool.string(), temp, factors); });
      log::info("binned ", p.file.string(), " into ", mcool.string());
    }
    progress.update(0.9, "opening the binned contacts");
    data::Dataset d;
    d.path = fs::absolute(p.file).lexically_normal();
    d.uri = p.uri;
    d.format = "pairs";
    d.hic = std::make_shared<const hic::Resolutions>(hic::open_resolutions(mcool.string()));
    for (const auto& c : d.hic->maps.front()->bins().chroms)
      d.chroms.push_back(genome::ChromLength{c.name, c.length});
    d.info = describe_header(p, header, columns);
    d.info["binned_cooler"] = mcool.string();
    d.info["chrom_sizes_from"] = sizes.source;
    Json resolutions = Json::array();
    for (const auto& m : d.hic->maps)
      resolutions.push_back(m->bins().bin_size);
    d.info["resolutions"] = std::move(resolutions);
    if (summary.pairs_read > 0) {
      d.info["pairs_read"] = summary.pairs_read;
      d.info["pairs_dropped"] = summary.pairs_dropped;
    }
    d.info["warnings"] = Json::array_of(warnings);
    d.summary = std::to_string(d.chroms.size()) + " chromosomes; binned at " + data::length_text(bin_size) +
                " (" + std::to_string(d.hic->maps.size()) + " resolutions)";
    return d;
  }

  Json describe(const data::Probe& p, const Progress& progress) const override {
    const auto header = hic::read_pairs_header(p.file);
    const auto columns = columns_for(p, header);
    Json j = describe_header(p, header, columns);
    std::int64_t pairs = 0;
    std::map<std::string, std::int64_t> per_chrom;
    hic::for_each_pair(
        p.file, columns,
        [&](std::string_view c1, std::int64_t, std::string_view c2, std::int64_t) {
          ++pairs;
          ++per_chrom[std::string(c1)];
          if (c2 != c1) ++per_chrom[std::string(c2)];
        },
        progress);
    j["pairs"] = pairs;
    j["chromosomes_seen"] = static_cast<std::int64_t>(per_chrom.size());
    return j;
  }

private:
  static hic::PairsColumns columns_for(const data::Probe& p, const hic::PairsHeader& header) {
    if (!header.columns.empty()) return hic::columns_from_header(header, p.file);
    if (auto c = infer_columns(p.first_data_line())) return *c;
    throw InputError("cannot tell the pair columns: no #columns: line and the first data line has no two "
                     "(chromosome, position) fields")
        .file(p.file.string());
  }

  static Json describe_header(const data::Probe& p, const hic::PairsHeader& header,
                              const hic::PairsColumns& c) {
    Json j = Json::object();
    j["format"] = "pairs";
    j["version"] = header.format;
    j["compressed"] = p.compressed;
    j["genome_assembly"] = header.genome_assembly;
    j["sorted"] = header.sorted;
    j["shape"] = header.shape;
    Json sizes = Json::array();
    for (const auto& chrom : header.chromsizes) {
      Json o = Json::object();
      o["name"] = chrom.name;
      o["length"] = chrom.length;
      sizes.push_back(std::move(o));
    }
    j["chromsizes"] = std::move(sizes);
    j["columns"] = Json::array_of(std::vector<std::int64_t>{c.chrom1, c.pos1, c.chrom2, c.pos2});
    return j;
  }

  static fs::path cached_mcool(const fs::path& pairs, const hic::PairsColumns& c, const Sizes& sizes,
                               std::int64_t bin_size) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(pairs, ec);
    std::ostringstream key;
    // Bump when the binning or zoom levels change, so older cached files are not reused.
    key << "layout 2|" << (ec ? pairs.string() : canonical.string()) << '|' << fs::file_size(pairs, ec) << '|'
        << fs::last_write_time(pairs, ec).time_since_epoch().count() << '|' << bin_size << '|' << c.chrom1
        << ',' << c.pos1 << ',' << c.chrom2 << ',' << c.pos2;
    for (const auto& chrom : sizes.chroms)
      key << '|' << chrom.name << ':' << chrom.length;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(key.str())));
    return cache_folder() / (pairs.filename().string() + "." + hex + ".mcool");
  }
};

class PairsPlugin final : public Plugin {
public:
  std::string name() const override { return "pairs-importer"; }
  std::string version() const override { return "1.0"; }
  std::string description() const override {
    return "Opens 4DN .pairs files as contact maps (binned like cooler cload pairs, then zoomified)";
  }
  std::vector<std::shared_ptr<const data::Importer>> importers() const override {
    return {std::make_shared<PairsImporter>()};
  }
};

} // namespace
} // namespace gc::plugins::pairs

GC_DECLARE_PLUGIN(gc::plugins::pairs::PairsPlugin)
