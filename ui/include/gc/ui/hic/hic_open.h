#pragma once
// Opening a contact file for the Hi-C and 3D views: gc::hic::open_resolutions in a quiet
// TaskRunner task, the result (or the error) delivered on the GUI thread.
#include "gc/hic/resolutions.h"
#include "gc/ui/task_runner.h"

#include <QObject>
#include <QString>

#include <functional>

namespace gc::ui {

// Opens `uri` on a worker; then `on_opened(maps)` or `on_error(message)` runs on the GUI thread,
// neither once `context` is destroyed or the handle cancelled.
TaskHandle open_hic_resolutions(TaskRunner& tasks, QObject* context, const QString& uri,
                                std::function<void(gc::hic::Resolutions)> on_opened,
                                std::function<void(const QString&)> on_error);

} // namespace gc::ui
