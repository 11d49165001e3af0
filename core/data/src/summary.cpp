#include "gc/data/summary.h"

#include "gc/hic/cooler.h"
#include "gc/hic/juicer.h"

#include <cstdio>
#include <memory>

namespace gc::data {

std::string count_text(std::size_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string length_text(std::int64_t bp) {
  char buf[32];
  if (bp >= 1'000'000)
    std::snprintf(buf, sizeof buf, "%.2f Mb", static_cast<double>(bp) / 1e6);
  else if (bp >= 1'000)
    std::snprintf(buf, sizeof buf, "%.1f kb", static_cast<double>(bp) / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%lld bp", static_cast<long long>(bp));
  return buf;
}

namespace {

Json chroms_json(const hic::BinTable& bins) {
  Json a = Json::array();
  for (const auto& c : bins.chroms) {
    Json o = Json::object();
    o["name"] = c.name;
    o["length"] = c.length;
    a.push_back(std::move(o));
  }
  return a;
}

} // namespace

Json describe_contacts(const std::string& uri) {
  const std::string file = uri.substr(0, uri.find("::"));
  Json r = Json::object();
  if (hic::is_hic_file(file)) {
    const auto f = std::make_shared<const hic::HicFile>(file);
    r["format"] = "hic";
    r["version"] = f->header().version;
    r["genome"] = f->header().genome;
    r["resolutions"] = Json::array_of(
        std::vector<std::int64_t>(f->header().bp_resolutions.begin(), f->header().bp_resolutions.end()));
    const hic::HicMap map(f, 0);
    r["chromosomes"] = chroms_json(map.bins());
    r["bins"] = map.bins().size();
    r["normalizations"] = Json::array_of(map.weight_names());
    return r;
  }
  const auto kind = hic::sniff_cooler(file);
  const bool whole_file = uri.find("::") == std::string::npos;
  if (kind == hic::CoolerKind::multires && whole_file) {
    const auto res = hic::list_resolutions(file);
    const hic::CoolerMap map(file + "::/resolutions/" + std::to_string(res.front()));
    r["format"] = "mcool";
    r["resolutions"] = Json::array_of(res);
    r["chromosomes"] = chroms_json(map.bins());
    r["bins"] = map.bins().size();
    r["nnz"] = map.nnz();
    return r;
  }
  if (kind == hic::CoolerKind::single_cell && whole_file) {
    const auto cells = hic::list_cells(file);
    r["format"] = "scool";
    r["cells"] = static_cast<std::int64_t>(cells.size());
    if (!cells.empty()) {
      const hic::CoolerMap map(file + "::/cells/" + cells.front());
      r["resolutions"] = Json::array_of(std::vector<std::int64_t>{map.info().bin_size});
      r["chromosomes"] = chroms_json(map.bins());
      r["bins"] = map.bins().size();
    }
    return r;
  }
  const hic::CoolerMap map(uri);
  r["format"] = kind == hic::CoolerKind::multires      ? "mcool"
                : kind == hic::CoolerKind::single_cell ? "scool"
                                                       : "cool";
  r["resolutions"] = Json::array_of(std::vector<std::int64_t>{map.info().bin_size});
  r["chromosomes"] = chroms_json(map.bins());
  r["bins"] = map.bins().size();
  r["nnz"] = map.nnz();
  r["storage_mode"] = map.info().storage_mode;
  r["format_version"] = map.info().format_version;
  r["weights"] = Json::array_of(map.weight_names());
  return r;
}

Json describe_contacts(const hic::Resolutions& maps, const std::string& format) {
  Json r = Json::object();
  r["format"] = format;
  if (maps.maps.empty()) return r;
  Json sizes = Json::array();
  for (const auto& m : maps.maps)
    sizes.push_back(m->bins().bin_size);
  r["resolutions"] = std::move(sizes);
  const auto& finest = *maps.maps.front();
  r["chromosomes"] = chroms_json(finest.bins());
  r["bins"] = finest.bins().size();
  if (const auto nnz = finest.nnz(); nnz >= 0) r["nnz"] = nnz;
  r["normalizations"] = Json::array_of(finest.weight_names());
  return r;
}

} // namespace gc::data
