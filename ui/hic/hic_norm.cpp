#include "gc/ui/hic/hic_norm.h"

#include "gc/util/error.h"

#include <algorithm>

namespace gc::ui::hic_view {

using gc::hic::BalanceMethod;

QStringList normalisation_names() { return {"none", "file", "ice", "kr", "vc", "vc_sqrt", "oe"}; }

std::optional<Normalisation> parse_normalisation(const QString& name) {
  const auto n = name.trimmed().toLower();
  if (n == "oe" || n == "o/e") return Normalisation{BalanceMethod::file, true};
  if (n == "weight") return Normalisation{BalanceMethod::file, false};
  try {
    return Normalisation{gc::hic::parse_balance_method(n.toStdString()), false};
  } catch (const gc::InputError&) {
    return std::nullopt;
  }
}

QString normalisation_name(const Normalisation& n) {
  return n.oe ? QString("oe") : QString::fromStdString(gc::hic::to_string(n.balance));
}

QString normalisation_label(const Normalisation& n) {
  if (n.oe) return "O/E";
  switch (n.balance) {
  case BalanceMethod::none: return "raw";
  case BalanceMethod::file: return "file weights";
  case BalanceMethod::ice: return "ICE";
  case BalanceMethod::kr: return "KR";
  case BalanceMethod::vc: return "VC";
  case BalanceMethod::vc_sqrt: return "VC_SQRT";
  }
  return "raw";
}

NormCache::NormCache(std::vector<std::shared_ptr<const gc::hic::ContactMap>> maps)
    : m_maps(std::move(maps)) {}

namespace {

bool has_weight(const gc::hic::ContactMap& map, const std::string& name) {
  const auto names = map.weight_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

gc::hic::Weights weights_for(const gc::hic::ContactMap& map, const Normalisation& norm,
                             const gc::Progress& progress) {
  switch (norm.balance) {
  case BalanceMethod::none: return {};
  case BalanceMethod::file:
    // O/E of raw counts when the file is not balanced.
    if (norm.oe && !has_weight(map, map.default_weight_name())) return {};
    return map.weights(map.default_weight_name());
  case BalanceMethod::kr:
  case BalanceMethod::vc:
  case BalanceMethod::vc_sqrt: {
    // A .hic usually stores these vectors: use them rather than recomputing.
    const std::string stored = norm.balance == BalanceMethod::kr   ? "KR"
                               : norm.balance == BalanceMethod::vc ? "VC"
                                                                   : "VC_SQRT";
    if (has_weight(map, stored)) return map.weights(stored);
    break;
  }
  case BalanceMethod::ice: break;
  }
  return gc::hic::compute_weights(map, norm.balance, progress);
}

} // namespace

std::shared_ptr<const NormCache::Data> NormCache::get(std::size_t res, const Normalisation& norm,
                                                      const gc::Progress& progress) {
  if (res >= m_maps.size()) throw Error("resolution index out of range");
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(m_mutex);
    auto& slot = m_entries[{res, norm}];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  // Other workers asking for the same key wait here instead of computing it again.
  std::lock_guard lock(entry->mutex);
  if (!entry->done) {
    try {
      auto data = std::make_shared<Data>();
      data->weights = weights_for(*m_maps[res], norm, progress);
      if (norm.oe)
        data->expected =
            std::make_unique<gc::hic::Expected>(gc::hic::compute_expected(*m_maps[res], data->weights));
      entry->data = std::move(data);
    } catch (const gc::Cancelled&) {
      // The tile that asked moved out of view: not an answer to keep; the next asker computes.
      throw;
    } catch (const std::exception& e) {
      entry->error = e.what();
    }
    entry->done = true;
  }
  if (!entry->data) throw Error(normalisation_label(norm).toStdString() + ": " + entry->error);
  return entry->data;
}

} // namespace gc::ui::hic_view
