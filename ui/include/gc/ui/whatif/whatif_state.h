#pragma once
// The what-if view's state model: the scenario (genes, mode and strength, cell group), what is
// explained (the target, the Shapley method and who the players are), how many responding
// genes are drawn and the named scenarios saved for comparison — with its session JSON, shared
// by the widget and the headless figure.
#include "gc/perturb/intervention.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gc::ui::whatif {

// auto: exact enumeration up to gc::perturb::max_exact_players players, else antithetic
// permutation sampling stopped at a standard error of auto_target_se (as the CLI's --shapley auto).
enum class Method { automatic, exact, permutation, kernel };
[[nodiscard]] std::string_view to_string(Method method) noexcept; // "auto", "exact", ...
[[nodiscard]] std::optional<Method> parse_method(std::string_view text) noexcept;
inline constexpr double auto_target_se = 0.01;

// Who explains the target's change: its regulators in the model's graph (their edges into it
// removed when absent) or the perturbed genes (left unperturbed when absent).
enum class Players { regulators, perturbed };
[[nodiscard]] std::string_view to_string(Players players) noexcept; // "regulators", "perturbed"
[[nodiscard]] std::optional<Players> parse_players(std::string_view text) noexcept;

// What the view's main panel (and so its figure) shows: the response bars, or the saved
// scenarios compared.
enum class Panel { response, scenarios };
[[nodiscard]] std::string_view to_string(Panel panel) noexcept; // "response", "scenarios"
[[nodiscard]] std::optional<Panel> parse_panel(std::string_view text) noexcept;

inline constexpr int default_top_n = 20;
inline constexpr int max_top_n = 200;
inline constexpr double default_knockdown = 0.5;      // fraction removed
inline constexpr double default_overexpression = 3.0; // fold
inline constexpr double max_overexpression = 1000.0;

// The factor a mode starts with (0 for a knockout, which has none).
[[nodiscard]] double default_factor(gc::perturb::Mode mode) noexcept;
// Whether `factor` is one `mode` accepts: knockdown 0 < F < 1, overexpression 1 < F <= 1000.
[[nodiscard]] bool valid_factor(gc::perturb::Mode mode, double factor) noexcept;

// The strength slider beside the factor box. A knockdown's positions are the fraction removed in
// percent (1..99); an overexpression's are a log scale of the fold from min_overexpression (0)
// to max_overexpression (overexpression_slider_steps), folds rounded to the box's two decimals.
// A knockout has no strength (an empty range at 0).
inline constexpr double min_overexpression = 1.05; // the factor box's lowest fold
inline constexpr int overexpression_slider_steps = 1000;
struct SliderRange {
  int lo = 0, hi = 0;
};
[[nodiscard]] SliderRange strength_slider_range(gc::perturb::Mode mode) noexcept;
// The nearest position of `factor` (clamped to the range).
[[nodiscard]] int strength_to_slider(gc::perturb::Mode mode, double factor) noexcept;
// The factor at `position` (clamped to the range); 0 for a knockout.
[[nodiscard]] double slider_to_strength(gc::perturb::Mode mode, int position) noexcept;

// A named scenario saved for comparison: an intervention in a cell group (empty: the model's
// first), shown in the comparison chart while `compared`.
struct Scenario {
  QString name;
  QStringList genes;
  gc::perturb::Mode mode = gc::perturb::Mode::knockout;
  double factor = 0.0;
  QString group;
  bool compared = true;

  friend bool operator==(const Scenario&, const Scenario&) = default;
};

struct WhatifState {
  // The perturbed genes; empty: the scenario the model job proposes (a screened TF with high
  // impact).
  QStringList genes;
  gc::perturb::Mode mode = gc::perturb::Mode::knockout;
  // Knockdown: the fraction removed; overexpression: the fold; unused for a knockout.
  double factor = 0.0;
  QString group;  // cell group; empty: the model's first
  QString target; // gene whose change is explained; empty: the most changed gene
  Method method = Method::automatic;
  Players players = Players::regulators;
  int top_n = default_top_n; // responding genes drawn as bars
  // Saved scenarios, in the order they were saved; names are unique.
  std::vector<Scenario> scenarios;
  Panel panel = Panel::response;

  // The CLI's --mode text: "ko", "kd:0.5", "oe:3".
  [[nodiscard]] std::string mode_text() const;
  // The saved scenario called `name`, or null.
  [[nodiscard]] const Scenario* scenario(const QString& name) const;

  friend bool operator==(const WhatifState&, const WhatifState&) = default;
};

// The scenario of the state's intervention called `name`.
[[nodiscard]] Scenario current_scenario(const WhatifState& state, const QString& name);
// The state that predicts `scenario`: `state` with the scenario's intervention and group.
[[nodiscard]] WhatifState scenario_state(const WhatifState& state, const Scenario& scenario);
// The state's intervention label as gc::perturb writes it (genes sorted, joined by '+', each
// with ":kdF" or ":oeF" unless knocked out) with the factor written plainly ("TF05:oe30", where
// the canonical label has "oe3e+01").
[[nodiscard]] QString intervention_label(const WhatifState& state);
// The name a scenario is saved under unless the user gives one: "TF03:kd0.5 in typeA".
[[nodiscard]] QString default_scenario_name(const QString& label, const QString& group);

// Keys: genes (array of names), mode ("ko", "kd", "oe"), factor, group, target, method,
// players, top_n, scenarios (array of {name, genes, mode, factor, group, compared}), panel
// ("response", "scenarios"). Absent keys (older sessions) take the defaults above; unknown keys
// are ignored.
[[nodiscard]] QJsonObject to_json(const WhatifState& state);
// Parsed completely before anything is returned, so a bad state changes nothing; throws
// gc::InputError naming the key for a gene list that is not an array of names, an unknown mode,
// method, players or panel, a factor its mode does not accept, top_n outside 1..max_top_n, or
// scenarios that are not an array of objects each with a unique non-empty name, at least one
// gene, a valid mode and factor, a text group and a true/false compared ("scenarios"[i] and the
// key are named).
[[nodiscard]] WhatifState read_json(const QJsonObject& json);

} // namespace gc::ui::whatif
