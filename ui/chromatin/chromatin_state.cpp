#include "gc/ui/chromatin/chromatin_state.h"

namespace gc::ui::chromatin {

bool is_colouring(const QString& what) noexcept { return what == "position" || what == "track"; }

QJsonObject to_json(const ChromatinState& state) {
  QJsonObject o;
  o["uri"] = state.uri;
  o["chromosome"] = state.chromosome;
  o["colour_by"] = state.colour_by;
  if (state.highlight) o["highlight"] = QString::fromStdString(state.highlight->to_string());
  return o;
}

void read_json(const QJsonObject& o, ChromatinState& state) {
  std::optional<gc::genome::Region> highlight;
  if (o.contains("highlight")) highlight = gc::genome::parse_region(o["highlight"].toString().toStdString());
  state.highlight = highlight;
  state.colour_by = o["colour_by"].toString("position");
  state.chromosome = o["chromosome"].toString();
  state.uri = o["uri"].toString();
}

} // namespace gc::ui::chromatin
