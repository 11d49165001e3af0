#pragma once
// What the Hi-C view shows per bin pair: a balancing method of the core (gc::hic::BalanceMethod)
// and, as a view option on top of it, observed / expected. Weights and expected are computed
// once per resolution on whichever worker asks first.
#include "gc/hic/balance.h"
#include "gc/hic/contact_map.h"
#include "gc/hic/query.h"

#include <QString>
#include <QStringList>

#include "gc/util/progress.h"
#include <compare>
#include <map>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace gc::ui::hic_view {

struct Normalisation {
  gc::hic::BalanceMethod balance = gc::hic::BalanceMethod::file;
  // Observed / expected of the balanced matrix. With `file` balancing and no stored weights it
  // is O/E of the raw counts, so "oe" works on any file.
  bool oe = false;
  friend auto operator<=>(const Normalisation&, const Normalisation&) = default;
};

// The names the view and sessions use: "none", "file", "ice", "kr", "vc", "vc_sqrt", "oe".
[[nodiscard]] QStringList normalisation_names();
// Also accepts "raw", "weight" and "o/e"; nullopt for anything else.
[[nodiscard]] std::optional<Normalisation> parse_normalisation(const QString& name);
[[nodiscard]] QString normalisation_name(const Normalisation& n);
// "raw", "file weights", "ICE", "KR", "VC", "VC_SQRT", "O/E".
[[nodiscard]] QString normalisation_label(const Normalisation& n);

// Weights (and the expected, for O/E) per resolution and normalisation; thread-safe.
class NormCache {
public:
  struct Data {
    gc::hic::Weights weights;
    std::unique_ptr<gc::hic::Expected> expected;
  };
  explicit NormCache(std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps);
  // Throws gc::Error (e.g. no stored weights, KR not converging) — every call for that key.
  // Balancing (ICE/KR) runs under `progress`: a cancelled asker throws gc::Cancelled and leaves
  // the entry for the next one to compute.
  [[nodiscard]] std::shared_ptr<const Data> get(std::size_t res, const Normalisation& norm,
                                                const gc::Progress& progress = {});

private:
  struct Entry {
    std::mutex mutex;
    bool done = false;
    std::shared_ptr<const Data> data;
    std::string error;
  };
  std::vector<std::shared_ptr<const gc::hic::ContactMap>> m_maps;
  std::mutex m_mutex;
  std::map<std::pair<std::size_t, Normalisation>, std::shared_ptr<Entry>> m_entries;
};

} // namespace gc::ui::hic_view
