#pragma once
// The 3D view's state model: file, chromosome, colouring, highlighted locus and the track it
// may colour by, with the session JSON (keys uri, chromosome, colour_by, highlight).
#include "gc/genome/region.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace gc::ui::chromatin {

struct ChromatinState {
  QString uri;
  QString chromosome;
  QString colour_by = "position"; // or "track"
  std::optional<gc::genome::Region> highlight;
  std::vector<double> track; // values to colour by (not saved: they come from another view)
  QString track_name;

  [[nodiscard]] bool by_track() const noexcept { return colour_by == "track" && !track.empty(); }
};

[[nodiscard]] bool is_colouring(const QString& what) noexcept; // "position" or "track"
[[nodiscard]] QJsonObject to_json(const ChromatinState& state);
// Reads uri, chromosome, colour_by and highlight into `state`; throws gc::InputError for an
// unreadable highlight, leaving the state as it was.
void read_json(const QJsonObject& json, ChromatinState& state);

} // namespace gc::ui::chromatin
