#include "gc/ui/whatif/whatif_state.h"

#include "gc/util/error.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gc::ui::whatif {
namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// The shortest text that reads back as the same number ("0.5", "3", "0.25").
std::string number_text(double v) {
  std::ostringstream out;
  out.precision(12);
  out << v;
  return out.str();
}

} // namespace

std::string_view to_string(Method method) noexcept {
  switch (method) {
  case Method::automatic: return "auto";
  case Method::exact: return "exact";
  case Method::permutation: return "permutation";
  case Method::kernel: return "kernel";
  }
  return "auto";
}

std::optional<Method> parse_method(std::string_view text) noexcept {
  for (const auto m : {Method::automatic, Method::exact, Method::permutation, Method::kernel})
    if (text == to_string(m)) return m;
  return std::nullopt;
}

std::string_view to_string(Players players) noexcept {
  return players == Players::perturbed ? "perturbed" : "regulators";
}

std::optional<Players> parse_players(std::string_view text) noexcept {
  for (const auto p : {Players::regulators, Players::perturbed})
    if (text == to_string(p)) return p;
  return std::nullopt;
}

std::string_view to_string(Panel panel) noexcept {
  return panel == Panel::scenarios ? "scenarios" : "response";
}

std::optional<Panel> parse_panel(std::string_view text) noexcept {
  for (const auto p : {Panel::response, Panel::scenarios})
    if (text == to_string(p)) return p;
  return std::nullopt;
}

double default_factor(gc::perturb::Mode mode) noexcept {
  switch (mode) {
  case gc::perturb::Mode::knockdown: return default_knockdown;
  case gc::perturb::Mode::overexpression: return default_overexpression;
  case gc::perturb::Mode::knockout: break;
  }
  return 0.0;
}

bool valid_factor(gc::perturb::Mode mode, double factor) noexcept {
  switch (mode) {
  case gc::perturb::Mode::knockdown: return factor > 0.0 && factor < 1.0;
  case gc::perturb::Mode::overexpression: return factor > 1.0 && factor <= max_overexpression;
  case gc::perturb::Mode::knockout: break;
  }
  return true;
}

std::string WhatifState::mode_text() const {
  switch (mode) {
  case gc::perturb::Mode::knockdown: return "kd:" + number_text(factor);
  case gc::perturb::Mode::overexpression: return "oe:" + number_text(factor);
  case gc::perturb::Mode::knockout: break;
  }
  return "ko";
}

SliderRange strength_slider_range(gc::perturb::Mode mode) noexcept {
  switch (mode) {
  case gc::perturb::Mode::knockdown: return {1, 99};
  case gc::perturb::Mode::overexpression: return {0, overexpression_slider_steps};
  case gc::perturb::Mode::knockout: break;
  }
  return {0, 0};
}

namespace {

// The overexpression slider's log scale: position / steps of the way from the lowest fold to
// the highest, in log(fold).
double fold_span() { return std::log(max_overexpression / min_overexpression); }

} // namespace

int strength_to_slider(gc::perturb::Mode mode, double factor) noexcept {
  const auto range = strength_slider_range(mode);
  double position = 0.0;
  switch (mode) {
  case gc::perturb::Mode::knockdown: position = factor * 100.0; break;
  case gc::perturb::Mode::overexpression:
    position =
        factor > 0 ? std::log(factor / min_overexpression) / fold_span() * overexpression_slider_steps : 0.0;
    break;
  case gc::perturb::Mode::knockout: break;
  }
  if (!std::isfinite(position)) position = range.lo;
  return std::clamp(static_cast<int>(std::lround(position)), range.lo, range.hi);
}

double slider_to_strength(gc::perturb::Mode mode, int position) noexcept {
  const auto range = strength_slider_range(mode);
  position = std::clamp(position, range.lo, range.hi);
  switch (mode) {
  case gc::perturb::Mode::knockdown: return position / 100.0;
  case gc::perturb::Mode::overexpression: {
    const double fold = min_overexpression * std::exp(fold_span() * position / overexpression_slider_steps);
    // The factor box's two decimals, so that the box, the state and the label agree.
    return std::clamp(std::round(fold * 100.0) / 100.0, min_overexpression, max_overexpression);
  }
  case gc::perturb::Mode::knockout: break;
  }
  return 0.0;
}

const Scenario* WhatifState::scenario(const QString& name) const {
  for (const auto& s : scenarios)
    if (s.name == name) return &s;
  return nullptr;
}

Scenario current_scenario(const WhatifState& state, const QString& name) {
  Scenario s;
  s.name = name;
  s.genes = state.genes;
  s.mode = state.mode;
  s.factor = state.mode == gc::perturb::Mode::knockout ? 0.0 : state.factor;
  s.group = state.group;
  return s;
}

WhatifState scenario_state(const WhatifState& state, const Scenario& scenario) {
  WhatifState s = state;
  s.genes = scenario.genes;
  s.mode = scenario.mode;
  s.factor = scenario.mode == gc::perturb::Mode::knockout ? 0.0 : scenario.factor;
  s.group = scenario.group;
  return s;
}

QString intervention_label(const WhatifState& state) {
  QStringList genes = state.genes;
  std::sort(genes.begin(), genes.end(),
            [](const QString& a, const QString& b) { return a.toStdString() < b.toStdString(); });
  const std::string mode = state.mode == gc::perturb::Mode::knockdown ? ":kd" + number_text(state.factor)
                           : state.mode == gc::perturb::Mode::overexpression
                               ? ":oe" + number_text(state.factor)
                               : std::string();
  QStringList parts;
  for (const auto& g : genes)
    parts << g + qs(mode);
  return parts.join('+');
}

QString default_scenario_name(const QString& label, const QString& group) {
  return label + (group.isEmpty() ? QString() : " in " + group);
}

namespace {

const char* mode_key(gc::perturb::Mode mode) {
  return mode == gc::perturb::Mode::knockout ? "ko" : mode == gc::perturb::Mode::knockdown ? "kd" : "oe";
}

// An intervention's keys (genes, mode, factor) into `o`.
void write_intervention(QJsonObject& o, const QStringList& genes, gc::perturb::Mode mode, double factor) {
  o["genes"] = QJsonArray::fromStringList(genes);
  o["mode"] = mode_key(mode);
  if (mode != gc::perturb::Mode::knockout) o["factor"] = factor;
}

// An intervention's keys of `o`; `where` ("what-if view" or "what-if view: \"scenarios\"[2]")
// starts every message.
void read_intervention(const QJsonObject& o, const std::string& where, QStringList& genes,
                       gc::perturb::Mode& mode, double& factor) {
  if (o.contains("genes")) {
    const auto v = o.value("genes");
    if (!v.isArray()) throw InputError(where + ": \"genes\" must be an array of gene names");
    for (const auto& g : v.toArray()) {
      const QString name = g.toString().trimmed();
      // ',' and '+' join genes in interventions: a name holding one would be two genes.
      if (!g.isString() || name.isEmpty() || name.contains(',') || name.contains('+'))
        throw InputError(where + ": \"genes\" must be an array of gene names");
      if (!genes.contains(name)) genes << name;
    }
  }
  if (o.contains("mode")) {
    const auto m = o.value("mode").toString().toStdString();
    if (m == "ko")
      mode = gc::perturb::Mode::knockout;
    else if (m == "kd")
      mode = gc::perturb::Mode::knockdown;
    else if (m == "oe")
      mode = gc::perturb::Mode::overexpression;
    else
      throw InputError(where + ": unknown \"mode\" '" + m + "' (use ko, kd or oe)");
  }
  factor = default_factor(mode);
  if (mode != gc::perturb::Mode::knockout && o.contains("factor")) {
    const auto v = o.value("factor");
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || !valid_factor(mode, v.toDouble())) {
      throw InputError(where + (mode == gc::perturb::Mode::knockdown
                                    ? ": a knockdown's \"factor\" is the fraction removed, between 0 and 1"
                                    : ": an overexpression's \"factor\" is a fold above 1, at most 1000"));
    }
    factor = v.toDouble();
  }
}

std::vector<Scenario> read_scenarios(const QJsonValue& value) {
  constexpr const char* where = "what-if view: \"scenarios\"";
  if (!value.isArray()) throw InputError(std::string(where) + " must be an array of scenarios");
  std::vector<Scenario> out;
  const auto array = value.toArray();
  for (qsizetype i = 0; i < array.size(); ++i) {
    const std::string at = std::string(where) + "[" + std::to_string(i) + "]";
    if (!array[i].isObject()) throw InputError(at + " must be an object");
    const auto o = array[i].toObject();
    Scenario s;
    const auto name = o.value("name");
    s.name = name.toString().trimmed();
    if (!name.isString() || s.name.isEmpty()) throw InputError(at + ": \"name\" must be a non-empty text");
    for (const auto& other : out)
      if (other.name == s.name)
        throw InputError(at + ": \"name\" '" + s.name.toStdString() + "' is used twice");
    read_intervention(o, at, s.genes, s.mode, s.factor);
    if (s.genes.isEmpty()) throw InputError(at + ": \"genes\" must name at least one gene");
    if (o.contains("group")) {
      if (!o.value("group").isString()) throw InputError(at + ": \"group\" must be a text");
      s.group = o.value("group").toString();
    }
    if (o.contains("compared")) {
      if (!o.value("compared").isBool()) throw InputError(at + ": \"compared\" must be true or false");
      s.compared = o.value("compared").toBool();
    }
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace

QJsonObject to_json(const WhatifState& s) {
  QJsonObject o;
  write_intervention(o, s.genes, s.mode, s.factor);
  if (!s.group.isEmpty()) o["group"] = s.group;
  if (!s.target.isEmpty()) o["target"] = s.target;
  o["method"] = qs(to_string(s.method));
  o["players"] = qs(to_string(s.players));
  o["top_n"] = s.top_n;
  if (!s.scenarios.empty()) {
    QJsonArray scenarios;
    for (const auto& sc : s.scenarios) {
      QJsonObject so;
      so["name"] = sc.name;
      write_intervention(so, sc.genes, sc.mode, sc.factor);
      if (!sc.group.isEmpty()) so["group"] = sc.group;
      so["compared"] = sc.compared;
      scenarios.append(so);
    }
    o["scenarios"] = scenarios;
  }
  o["panel"] = qs(to_string(s.panel));
  return o;
}

WhatifState read_json(const QJsonObject& o) {
  WhatifState s;
  const auto text = [&](const char* key) { return o.value(key).toString().toStdString(); };
  read_intervention(o, "what-if view", s.genes, s.mode, s.factor);
  s.group = o.value("group").toString();
  s.target = o.value("target").toString().trimmed();
  if (o.contains("method")) {
    const auto m = parse_method(text("method"));
    if (!m) {
      throw InputError("what-if view: unknown \"method\" '" + text("method") +
                       "' (use auto, exact, permutation or kernel)");
    }
    s.method = *m;
  }
  if (o.contains("players")) {
    const auto p = parse_players(text("players"));
    if (!p)
      throw InputError("what-if view: unknown \"players\" '" + text("players") +
                       "' (use regulators or perturbed)");
    s.players = *p;
  }
  if (o.contains("top_n")) {
    const double n = o.value("top_n").toDouble(-1);
    if (!(n >= 1 && n <= max_top_n && n == std::floor(n)))
      throw InputError("what-if view: \"top_n\" must be an integer from 1 to " + std::to_string(max_top_n));
    s.top_n = static_cast<int>(n);
  }
  if (o.contains("scenarios")) s.scenarios = read_scenarios(o.value("scenarios"));
  if (o.contains("panel")) {
    const auto p = parse_panel(text("panel"));
    if (!p)
      throw InputError("what-if view: unknown \"panel\" '" + text("panel") + "' (use response or scenarios)");
    s.panel = *p;
  }
  return s;
}

} // namespace gc::ui::whatif
