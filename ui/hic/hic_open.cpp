#include "gc/ui/hic/hic_open.h"

#include <QFileInfo>

namespace gc::ui {

TaskHandle open_hic_resolutions(TaskRunner& tasks, QObject* context, const QString& uri,
                                std::function<void(gc::hic::Resolutions)> on_opened,
                                std::function<void(const QString&)> on_error) {
  TaskRunner::Options options;
  options.context = context;
  // The views report their own errors (error_occurred), so the status bar does not repeat them.
  options.quiet = true;
  options.on_error = std::move(on_error);
  return tasks.run(
      "Opening " + QFileInfo(uri.section("::", 0, 0)).fileName(),
      [path = uri.toStdString()](const gc::Progress&) { return gc::hic::open_resolutions(path); },
      std::move(on_opened), std::move(options));
}

} // namespace gc::ui
