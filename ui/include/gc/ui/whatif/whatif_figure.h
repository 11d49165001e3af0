#pragma once
// The what-if view's figure from a saved state with no widget, for `genocircuit-cli
// export-figure --view whatif`: the model job (the cached models when they fit, else trained
// here), the prediction and the explanation (or, when the state's panel is the scenarios, the
// ticked saved scenarios' predictions) run synchronously on the session's datasets, and the
// figure is drawn by paint_whatif_figure as the view draws it. Its charts are Qt Charts, so
// this needs a QApplication (the offscreen platform will do).
#include "gc/ui/common/figure_export.h"

#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

namespace gc::ui {
struct Dataset;
}

namespace gc::ui::whatif {

// Throws gc::InputError for a bad state, no screen among `datasets` or genes the model lacks (a
// scenario's named);
// gc::Error without a QApplication or a model in this build.
void render_whatif_figure(const QJsonObject& state,
                          const std::vector<std::shared_ptr<const Dataset>>& datasets,
                          const QString& out_path, const FigureOptions& options = {});

} // namespace gc::ui::whatif
