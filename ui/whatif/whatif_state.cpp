#include "gc/ui/whatif/whatif_state.h"

#include "gc/util/error.h"

#include <QJsonArray>

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

QJsonObject to_json(const WhatifState& s) {
  QJsonObject o;
  o["genes"] = QJsonArray::fromStringList(s.genes);
  o["mode"] = s.mode == gc::perturb::Mode::knockout    ? "ko"
              : s.mode == gc::perturb::Mode::knockdown ? "kd"
                                                       : "oe";
  if (s.mode != gc::perturb::Mode::knockout) o["factor"] = s.factor;
  if (!s.group.isEmpty()) o["group"] = s.group;
  if (!s.target.isEmpty()) o["target"] = s.target;
  o["method"] = qs(to_string(s.method));
  o["players"] = qs(to_string(s.players));
  o["top_n"] = s.top_n;
  return o;
}

WhatifState read_json(const QJsonObject& o) {
  WhatifState s;
  const auto text = [&](const char* key) { return o.value(key).toString().toStdString(); };
  if (o.contains("genes")) {
    const auto v = o.value("genes");
    if (!v.isArray()) throw InputError("what-if view: \"genes\" must be an array of gene names");
    for (const auto& g : v.toArray()) {
      const QString name = g.toString().trimmed();
      // ',' and '+' join genes in interventions: a name holding one would be two genes.
      if (!g.isString() || name.isEmpty() || name.contains(',') || name.contains('+'))
        throw InputError("what-if view: \"genes\" must be an array of gene names");
      if (!s.genes.contains(name)) s.genes << name;
    }
  }
  if (o.contains("mode")) {
    const auto m = text("mode");
    if (m == "ko")
      s.mode = gc::perturb::Mode::knockout;
    else if (m == "kd")
      s.mode = gc::perturb::Mode::knockdown;
    else if (m == "oe")
      s.mode = gc::perturb::Mode::overexpression;
    else
      throw InputError("what-if view: unknown \"mode\" '" + m + "' (use ko, kd or oe)");
  }
  s.factor = default_factor(s.mode);
  if (s.mode != gc::perturb::Mode::knockout && o.contains("factor")) {
    const auto v = o.value("factor");
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || !valid_factor(s.mode, v.toDouble())) {
      throw InputError(s.mode == gc::perturb::Mode::knockdown
                           ? "what-if view: a knockdown's \"factor\" is the fraction removed, between 0 and 1"
                           : "what-if view: an overexpression's \"factor\" is a fold above 1, at most 1000");
    }
    s.factor = v.toDouble();
  }
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
  return s;
}

} // namespace gc::ui::whatif
