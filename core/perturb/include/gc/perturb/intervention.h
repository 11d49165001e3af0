#pragma once
// An intervention on one or several genes, as the knockout engine, the perturbation model, the
// demo world's ground truth and the CLI all name it.
//
//   mode        text      effect on the gene's expression (its transcription rate)
//   knockout    ko        x 0
//   knockdown   kd:F      x (1 - F): knocked down BY the fraction F, 0 < F < 1 (kd:0.7 leaves 30 %)
//   overexpr.   oe:F      x F, F > 1
//
// Labels (the `perturbation` column of truth tables, sessions, JSON) join the genes with '+',
// each with its mode unless it is a knockout: "TF03", "TF03+TF07", "TF03:kd0.5", "TF05:oe3",
// "TF01+TF02:kd0.5". The genes of a label are kept in sorted order, so equal interventions
// have equal labels.
#include <string>
#include <string_view>
#include <vector>

namespace gc::perturb {

enum class Mode { knockout, knockdown, overexpression };

struct GeneIntervention {
  std::string gene;
  Mode mode = Mode::knockout;
  double factor = 0.0; // knockdown: the fraction removed; overexpression: the multiplier

  // The multiplier on the gene's expression: 0, 1 - factor or factor.
  [[nodiscard]] double level() const noexcept;
  friend bool operator==(const GeneIntervention&, const GeneIntervention&) = default;
};

struct Intervention {
  std::vector<GeneIntervention> genes; // sorted by gene name, no gene twice

  [[nodiscard]] std::string label() const;
  [[nodiscard]] bool empty() const noexcept { return genes.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return genes.size(); }
  friend bool operator==(const Intervention&, const Intervention&) = default;
};

// "ko", "kd:F", "oe:F" -> mode and factor; gc::InputError naming the text otherwise.
[[nodiscard]] GeneIntervention parse_mode(std::string_view text);
// The CLI's form: genes "G1,G2" (or "G1+G2") all with the mode `mode` ("ko" by default).
[[nodiscard]] Intervention make_intervention(std::string_view genes, std::string_view mode = "ko");
// A label as written by Intervention::label() (any gene order; "ko" may be written out).
[[nodiscard]] Intervention parse_label(std::string_view label);
// Mode text as in labels and the CLI: "ko", "kd:0.5", "oe:3".
[[nodiscard]] std::string mode_text(const GeneIntervention& g);

} // namespace gc::perturb
