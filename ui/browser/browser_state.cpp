#include "gc/ui/browser/browser_state.h"

#include "gc/util/error.h"

#include <QJsonArray>

namespace gc::ui::browser {

QJsonObject to_json(const BrowserState& state) {
  QJsonObject s;
  s["locus"] = QString::fromStdString(state.locus.to_string());
  s["track_order"] = QJsonArray::fromStringList(state.track_order);
  return s;
}

SavedBrowserState read_json(const QJsonObject& json) {
  SavedBrowserState s;
  s.locus = json.value("locus").toString();
  for (const auto& name : json.value("track_order").toArray())
    s.track_order << name.toString();
  return s;
}

genome::Region resolve_region(const QString& text, const std::vector<genome::ChromLength>& reference) {
  auto r = genome::parse_region(text.trimmed().toStdString());
  std::vector<std::string> known;
  for (const auto& c : reference)
    known.push_back(c.name);
  const auto name = genome::ChromAliases::builtin().find(r.chrom, known);
  if (!name) throw InputError("unknown chromosome '" + r.chrom + "' in locus '" + text.toStdString() + "'");
  r.chrom = *name;
  for (const auto& c : reference)
    if (c.name == *name && c.length > 0) return genome::clamp_to_chromosome(r, c.length);
  // Without a length (no genome, no Hi-C map) a whole chromosome shows 1 Mb, as in the GUI.
  if (r.end == genome::Region::to_end) r.end = r.start + 1'000'000;
  return r;
}

} // namespace gc::ui::browser
