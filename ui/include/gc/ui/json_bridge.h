#pragma once
// Between the core's gc::Json (sessions, CLI output) and Qt's QJson (what views' save_state and
// restore_state speak). Conversion goes through the JSON text, so every value keeps its meaning.
#include "gc/util/json.h"

#include <QJsonObject>

namespace gc::ui {

[[nodiscard]] QJsonObject to_qjson(const gc::Json& object);
[[nodiscard]] gc::Json from_qjson(const QJsonObject& object);

} // namespace gc::ui
