#include "gc/hic/contact_map.h"
#include "gc/hic/cooler.h"
#include "gc/hic/juicer.h"

#include "gc/util/error.h"

namespace gc::hic {

std::unique_ptr<ContactMap> open_contact_map(const std::string& uri) {
  const auto sep = uri.find("::");
  const std::string file = uri.substr(0, sep);
  require_readable_file(file);
  if (is_hic_file(file)) {
    std::int32_t bin_size = 0;
    if (sep != std::string::npos) {
      std::string res = uri.substr(sep + 2);
      if (res.rfind("/resolutions/", 0) == 0) res = res.substr(13);
      try {
        std::size_t used = 0;
        bin_size = static_cast<std::int32_t>(std::stol(res, &used));
        if (used != res.size() || bin_size <= 0) throw InputError("");
      } catch (const std::exception&) {
        throw InputError("bad .hic resolution '" + uri.substr(sep + 2) + "' (use FILE.hic::BIN_SIZE)")
            .file(file);
      }
    }
    return std::make_unique<HicMap>(std::make_shared<const HicFile>(file), bin_size);
  }
  return std::make_unique<CoolerMap>(uri);
}

} // namespace gc::hic
