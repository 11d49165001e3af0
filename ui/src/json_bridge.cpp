#include "gc/ui/json_bridge.h"

#include <QJsonDocument>

namespace gc::ui {

QJsonObject to_qjson(const gc::Json& object) {
  if (!object.is_object()) return {};
  return QJsonDocument::fromJson(QByteArray::fromStdString(object.dump())).object();
}

gc::Json from_qjson(const QJsonObject& object) {
  return gc::Json::parse(QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString());
}

} // namespace gc::ui
