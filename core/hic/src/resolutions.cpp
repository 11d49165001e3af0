#include "gc/hic/resolutions.h"

#include "gc/hic/cooler.h"
#include "gc/hic/juicer.h"
#include "gc/util/error.h"

#include <algorithm>
#include <filesystem>

namespace gc::hic {

Resolutions open_resolutions(const std::string& uri) {
  Resolutions out;
  out.uri = uri;
  if (uri.find("::") != std::string::npos) {
    out.maps.push_back(open_contact_map(uri));
  } else {
    const std::filesystem::path path(uri);
    require_readable_file(path);
    if (is_hic_file(path)) {
      // One shared reader: every resolution's map reads through the same header and index.
      auto file = std::make_shared<const HicFile>(path);
      for (const auto bin_size : file->header().bp_resolutions)
        out.maps.push_back(std::make_shared<HicMap>(file, bin_size));
    } else if (sniff_cooler(path) == CoolerKind::multires) {
      for (const auto bin_size : list_resolutions(path))
        out.maps.push_back(std::make_shared<CoolerMap>(uri + "::/resolutions/" + std::to_string(bin_size)));
    } else {
      out.maps.push_back(open_contact_map(uri));
    }
  }
  if (out.maps.empty()) throw InputError("no resolutions in the contact file").file(uri);
  sort_by_bin_size(out);
  probe_file_weights(out);
  return out;
}

Resolutions single_resolution(std::shared_ptr<const ContactMap> map) {
  Resolutions r;
  if (map) {
    r.uri = map->source();
    r.maps.push_back(std::move(map));
  }
  return r;
}

void probe_file_weights(Resolutions& resolutions) {
  if (resolutions.maps.empty()) {
    resolutions.has_file_weights = false;
    return;
  }
  const auto& finest =
      *std::min_element(resolutions.maps.begin(), resolutions.maps.end(),
                        [](const auto& a, const auto& b) { return a->bins().bin_size < b->bins().bin_size; });
  const auto names = finest->weight_names();
  resolutions.has_file_weights =
      std::find(names.begin(), names.end(), finest->default_weight_name()) != names.end();
}

void sort_by_bin_size(Resolutions& resolutions) {
  std::stable_sort(resolutions.maps.begin(), resolutions.maps.end(),
                   [](const auto& a, const auto& b) { return a->bins().bin_size < b->bins().bin_size; });
}

} // namespace gc::hic
