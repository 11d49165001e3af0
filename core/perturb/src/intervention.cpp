#include "gc/perturb/intervention.h"

#include "gc/util/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gc::perturb {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

double parse_factor(std::string_view text, std::string_view whole) {
  double v = 0.0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v))
    throw InputError("intervention '" + std::string(whole) + "': '" + std::string(text) +
                     "' is not a number");
  return v;
}

// The shortest decimal that reads back as `v` (labels must round-trip exactly).
// The shortest text that reads back as `v`: plain decimals ("30", "0.25") for the factors people
// type, exponent form only for values far outside them.
std::string number(double v) {
  char buf[64];
  const double a = std::abs(v);
  if (a >= 1e-6 && a < 1e15)
    for (int decimals = 0; decimals <= 17; ++decimals) {
      std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
      if (std::strtod(buf, nullptr) == v) return buf;
    }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

Intervention finish(std::vector<GeneIntervention> genes, std::string_view whole) {
  if (genes.empty()) throw InputError("intervention '" + std::string(whole) + "' names no gene");
  std::sort(genes.begin(), genes.end(), [](const auto& a, const auto& b) { return a.gene < b.gene; });
  for (std::size_t i = 1; i < genes.size(); ++i)
    if (genes[i].gene == genes[i - 1].gene)
      throw InputError("intervention '" + std::string(whole) + "' names gene '" + genes[i].gene + "' twice");
  return Intervention{std::move(genes)};
}

std::vector<std::string_view> split(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || separators.find(s[i]) != std::string_view::npos) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

} // namespace

double GeneIntervention::level() const noexcept {
  switch (mode) {
  case Mode::knockout: return 0.0;
  case Mode::knockdown: return 1.0 - factor;
  case Mode::overexpression: return factor;
  }
  return 1.0;
}

GeneIntervention parse_mode(std::string_view text) {
  const auto t = trim(text);
  GeneIntervention g;
  if (t == "ko") return g;
  const auto colon = t.find(':');
  const auto kind = t.substr(0, colon);
  if (colon == std::string::npos || (kind != "kd" && kind != "oe"))
    throw InputError("intervention mode '" + t +
                     "': expected ko, kd:F (knock down by the fraction F) or oe:F "
                     "(overexpress F-fold)");
  g.factor = parse_factor(std::string_view(t).substr(colon + 1), t);
  if (kind == "kd") {
    g.mode = Mode::knockdown;
    if (!(g.factor > 0.0 && g.factor < 1.0))
      throw InputError("intervention mode '" + t +
                       "': a knockdown fraction must lie strictly between 0 and 1");
  } else {
    g.mode = Mode::overexpression;
    if (!(g.factor > 1.0))
      throw InputError("intervention mode '" + t + "': an overexpression factor must be above 1");
  }
  return g;
}

std::string mode_text(const GeneIntervention& g) {
  switch (g.mode) {
  case Mode::knockout: return "ko";
  case Mode::knockdown: return "kd:" + number(g.factor);
  case Mode::overexpression: return "oe:" + number(g.factor);
  }
  return "ko";
}

Intervention make_intervention(std::string_view genes, std::string_view mode) {
  const auto m = parse_mode(mode);
  std::vector<GeneIntervention> out;
  for (auto part : split(genes, ",+")) {
    auto name = trim(part);
    if (name.empty()) throw InputError("intervention genes '" + std::string(genes) + "': an empty gene name");
    auto g = m;
    g.gene = std::move(name);
    out.push_back(std::move(g));
  }
  return finish(std::move(out), genes);
}

Intervention parse_label(std::string_view label) {
  std::vector<GeneIntervention> out;
  for (auto part : split(label, "+")) {
    const auto p = trim(part);
    const auto colon = p.find(':');
    auto name = trim(std::string_view(p).substr(0, colon));
    if (name.empty()) throw InputError("intervention '" + std::string(label) + "': an empty gene name");
    GeneIntervention g;
    if (colon != std::string::npos) {
      // "G:kd0.5" (label form) or "G:kd:0.5" (CLI form) or "G:ko".
      auto m = p.substr(colon + 1);
      if (m.size() > 2 && m[2] != ':' && (m.rfind("kd", 0) == 0 || m.rfind("oe", 0) == 0))
        m = m.substr(0, 2) + ":" + m.substr(2);
      g = parse_mode(m);
    }
    g.gene = std::move(name);
    out.push_back(std::move(g));
  }
  return finish(std::move(out), label);
}

std::string Intervention::label() const {
  std::string out;
  for (const auto& g : genes) {
    if (!out.empty()) out += '+';
    out += g.gene;
    if (g.mode != Mode::knockout) {
      auto m = mode_text(g);
      m.erase(m.find(':'), 1); // "kd:0.5" -> "kd0.5" inside a label
      out += ':' + m;
    }
  }
  return out;
}

} // namespace gc::perturb
