#pragma once
// The genome browser's state model: the window shown (reference names) and the track order
// (the TrackListModel holds the tracks themselves), with the session JSON (keys "locus" and
// "track_order", as in every session version).
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/region.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace gc::ui::browser {

struct BrowserState {
  genome::Region locus; // empty chromosome: nothing shown yet
  QStringList track_order;
};

[[nodiscard]] QJsonObject to_json(const BrowserState& state);
// What a session holds: the locus as text (resolved against the reference later, when the data
// naming its chromosome has loaded) and the track order.
struct SavedBrowserState {
  QString locus;
  QStringList track_order;
};
[[nodiscard]] SavedBrowserState read_json(const QJsonObject& json);
// A saved region ("chrI:20001-30000", or another naming of the chromosome) on the reference,
// clamped to the chromosome; throws gc::InputError for unknown chromosomes or bad text.
[[nodiscard]] genome::Region resolve_region(const QString& text,
                                            const std::vector<genome::ChromLength>& reference);

} // namespace gc::ui::browser
