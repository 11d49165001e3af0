#include "gc/ui/whatif/whatif_figure.h"

#include "gc/ui/whatif/whatif_charts.h"
#include "gc/ui/whatif/whatif_job.h"
#include "gc/ui/whatif/whatif_state.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"

#include <QApplication>
#include <QFileInfo>

#include <optional>

namespace gc::ui::whatif {

void render_whatif_figure(const QJsonObject& json,
                          const std::vector<std::shared_ptr<const Dataset>>& datasets,
                          const QString& out_path, const FigureOptions& options) {
  // Checked before minutes of training, not after.
  if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
    throw gc::Error("the what-if figure draws Qt Charts, which need a QApplication");
  auto state = read_json(json);
  const auto sources = choose_model_sources(datasets);
  if (!sources.ready()) throw InputError("what-if view: " + sources.missing().toStdString());
  const auto model = run_model_job(sources);
  if (state.genes.isEmpty()) state.genes = model->default_genes();
  const auto response = predict_response(*model, state);
  FigureContent c;
  c.response = &response;
  c.truth_name = sources.truth ? QFileInfo(sources.truth->path).fileName() : QString();
  c.target = explanation_target(state, response);
  c.scale = response.scale;
  c.top_n = state.top_n;
  c.title = figure_title(&response, model->screen_name());
  // The compared scenarios when the panel shows them, predicted as the view predicts them; one
  // the model cannot run is bad input naming it.
  c.panel = state.panel;
  std::vector<Response> compared;
  compared.reserve(state.scenarios.size());
  for (const auto& sc : state.scenarios) {
    if (!sc.compared || state.panel != Panel::scenarios) continue;
    try {
      compared.push_back(predict_response(*model, scenario_state(state, sc)));
    } catch (const InputError& e) {
      throw InputError("what-if view: scenario '" + sc.name.toStdString() + "': " + e.what());
    }
    c.compared.push_back({sc.name, &compared.back()});
  }
  if (state.panel == Panel::scenarios) {
    c.title = compare_figure_title(c.compared.size(), model->screen_name());
    if (c.compared.empty()) c.response_message = "No saved scenario is ticked: nothing to compare.";
  }
  std::optional<Explanation> explanation;
  if (state.panel == Panel::response) {
    try {
      explanation = explain_response(*model, state, c.target);
      c.explanation = &*explanation;
    } catch (const InputError& e) {
      // The prediction is still worth its figure; the panel says why nothing is explained.
      c.explanation_message = QString::fromStdString(e.what());
    }
  }
  export_painted_figure([&c](QPainter& p, const QRectF& target) { paint_whatif_figure(p, target, c); },
                        out_path, options);
}

} // namespace gc::ui::whatif
