#pragma once
// The what-if view's state model: the scenario (genes, mode and strength, cell group), what is
// explained (the target, the Shapley method and who the players are) and how many responding
// genes are drawn — with its session JSON, shared by the widget and the headless figure.
#include "gc/perturb/intervention.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <string_view>

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

inline constexpr int default_top_n = 20;
inline constexpr int max_top_n = 200;
inline constexpr double default_knockdown = 0.5;      // fraction removed
inline constexpr double default_overexpression = 3.0; // fold
inline constexpr double max_overexpression = 1000.0;

// The factor a mode starts with (0 for a knockout, which has none).
[[nodiscard]] double default_factor(gc::perturb::Mode mode) noexcept;
// Whether `factor` is one `mode` accepts: knockdown 0 < F < 1, overexpression 1 < F <= 1000.
[[nodiscard]] bool valid_factor(gc::perturb::Mode mode, double factor) noexcept;

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

  // The CLI's --mode text: "ko", "kd:0.5", "oe:3".
  [[nodiscard]] std::string mode_text() const;

  friend bool operator==(const WhatifState&, const WhatifState&) = default;
};

// Keys: genes (array of names), mode ("ko", "kd", "oe"), factor, group, target, method,
// players, top_n. Absent keys (older sessions) take the defaults above; unknown keys are ignored.
[[nodiscard]] QJsonObject to_json(const WhatifState& state);
// Parsed completely before anything is returned, so a bad state changes nothing; throws
// gc::InputError naming the key for a gene list that is not an array of names, an unknown mode,
// method or players, a factor its mode does not accept, or top_n outside 1..max_top_n.
[[nodiscard]] WhatifState read_json(const QJsonObject& json);

} // namespace gc::ui::whatif
