#pragma once
// What the graph view draws over its network from a predicted perturbation response: each
// gene's predicted Δ (nodes coloured on a diverging scale, decrease blue – white – increase
// vermillion, as the what-if charts colour them), the perturbed genes (ringed) and the cascade
// (the edges via → gene through which each gene first moves). A plain value, so the graph view
// needs nothing of the view that predicted it; the main window hands it over.
#include <QColor>

#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace gc::ui::graph {

struct ResponseOverlay {
  std::string title; // "TF03 knockout in typeA"
  std::string scale; // the expression scale of Δ, for the legend ("log1p")
  std::unordered_map<std::string, double> delta;
  std::unordered_set<std::string> perturbed;
  // (via, gene): `gene` first moves through its regulator `via`, one step after it.
  std::set<std::pair<std::string, std::string>> cascade;

  // The colour scale's end: the largest |Δ| of a gene not perturbed (a perturbed gene's own
  // change would wash out every other colour), 0 when none moves. Set by finish().
  double scale_max = 0.0;

  // Call once delta and perturbed are filled.
  void finish();
  [[nodiscard]] bool in_cascade(const std::string& via, const std::string& gene) const {
    return cascade.contains({via, gene});
  }
};

// The diverging scale: white at 0, decrease_end at −max, increase_end at +max (and beyond),
// linear in RGB between; white for max <= 0.
[[nodiscard]] QColor delta_colour(double delta, double max);
[[nodiscard]] QColor delta_increase_colour();    // Okabe–Ito vermillion #D55E00
[[nodiscard]] QColor delta_decrease_colour();    // Okabe–Ito blue #0072B2
[[nodiscard]] QColor overlay_perturbed_colour(); // reddish purple #CC79A7, the ring
[[nodiscard]] QColor cascade_colour();

} // namespace gc::ui::graph
