#include "gc/ui/hic/hic_open.h"

#include "gc/data/importer.h"
#include "gc/util/error.h"

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
      // Through the one opening layer, so every contact format opens here too (.pairs by plugin).
      [path = uri.toStdString()](const gc::Progress& progress) {
        const auto dataset = gc::data::open(path, progress);
        if (!dataset->hic)
          throw gc::InputError("not a contact map (" + dataset->format + ")").file(dataset->path.string());
        return *dataset->hic;
      },
      std::move(on_opened), std::move(options));
}

} // namespace gc::ui
