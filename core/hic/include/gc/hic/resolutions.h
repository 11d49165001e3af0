#pragma once
// Every stored resolution of one contact file, for views that pick a resolution per zoom level:
// all /resolutions/N of an .mcool, all bp resolutions of a .hic, or the one map a URI names.
#include "gc/hic/contact_map.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gc::hic {

struct Resolutions {
  std::vector<std::shared_ptr<const ContactMap>> maps; // ascending bin size (finest first)
  std::string uri;                                     // as opened
  // Whether the finest map stores its default normalisation ("weight", "KR", ...). Listing the
  // names reads the file, so it stays unset until probe_file_weights runs (open_resolutions does).
  std::optional<bool> has_file_weights;
  [[nodiscard]] bool empty() const noexcept { return maps.empty(); }
};

// Opens a .cool, .mcool (every /resolutions/N, or only the one named in the URI) or .hic (every
// bp resolution, or only "file.hic::N"), and probes the file weights. Reads the file; throws
// gc::Error (InputError naming the file when it holds no resolution).
[[nodiscard]] Resolutions open_resolutions(const std::string& uri);
// One already-open map (its URI from the map's source); has_file_weights left unset.
[[nodiscard]] Resolutions single_resolution(std::shared_ptr<const ContactMap> map);
// Fills has_file_weights from the finest map (reads file metadata).
void probe_file_weights(Resolutions& resolutions);
// Orders the maps finest first.
void sort_by_bin_size(Resolutions& resolutions);

} // namespace gc::hic
