#include "gc/simulate/world.h"
#include "gc/util/error.h"

namespace gc::simulate {

WorldSpec WorldSpec::preset_named(std::string_view name) {
  WorldSpec s;
  if (name == "demo") return s;
  if (name == "small") {
    s.preset = "small";
    s.chromosome_lengths = {200'000, 200'000, 200'000};
    s.genes = 40;
    s.tf_fraction = 0.15;
    s.decoy_sites_per_tf = 2;
    s.feed_forward_loops = 2;
    s.autoregulated = 1;
    s.cell_types = 3;
    s.cells = 300;
    s.sde_steps = 100;
    s.knockout_single = 3;
    s.knockout_double = 1;
    s.cells_per_perturbation = 60;
    s.control_cells = 60;
    s.truth_double = 5;
    s.truth_knockdown = 3;
    s.truth_overexpression = 3;
    s.truth_non_tf = 3;
    s.hic_bin_size = 2'000;
    s.hic_zoom_factors = {1, 2, 5};
    s.tad_mean_bins = 15;
    s.max_contact_distance_bins = 100;
    s.hic_contacts = 3e5;
    s.variant_samples = 20;
    s.ld_block_mean = 20'000;
    return s;
  }
  if (name == "large") {
    s.preset = "large";
    s.chromosome_lengths = {25'000'000, 22'000'000, 20'000'000, 18'000'000, 15'000'000};
    s.genes = 5000;
    s.feed_forward_loops = 20;
    s.cell_types = 6;
    s.cells = 10000;
    s.sde_steps = 100;
    s.knockout_single = 10;
    s.knockout_double = 5;
    s.cells_per_perturbation = 300;
    s.control_cells = 1000;
    // Every one of its ~500 TF knockouts x 7 cell-type rows x 5,000 genes would make a
    // half-gigabyte truth table; a sample keeps it near the size of the other files.
    s.truth_single = 100;
    s.truth_double = 40;
    s.truth_knockdown = 20;
    s.truth_overexpression = 20;
    s.truth_non_tf = 10;
    s.hic_zoom_factors = {1, 2, 5, 10, 50};
    s.tad_mean_bins = 40;
    s.max_contact_distance_bins = 300;
    s.hic_contacts = 5e7;
    s.variant_samples = 100;
    return s;
  }
  throw InputError("unknown preset '" + std::string(name) + "' (expected small, demo or large)");
}

Json WorldSpec::to_json() const {
  Json j = Json::object();
  j["preset"] = preset;
  j["seed"] = static_cast<unsigned long long>(seed);
  j["chromosome_lengths"] = Json::array_of(chromosome_lengths);
  j["genes"] = genes;
  j["tf_fraction"] = tf_fraction;
  j["gc_content"] = gc_content;
  j["decoy_sites_per_tf"] = decoy_sites_per_tf;
  j["activator_fraction"] = activator_fraction;
  j["feed_forward_loops"] = feed_forward_loops;
  j["autoregulated"] = autoregulated;
  j["cell_types"] = cell_types;
  j["cells"] = cells;
  j["sde_steps"] = sde_steps;
  j["sde_dt"] = sde_dt;
  j["noise"] = noise;
  j["counts_scale"] = counts_scale;
  j["nb_dispersion"] = nb_dispersion;
  j["dropout_midpoint"] = dropout_midpoint;
  j["dropout_slope"] = dropout_slope;
  j["knockout_single"] = knockout_single;
  j["knockout_double"] = knockout_double;
  j["cells_per_perturbation"] = cells_per_perturbation;
  j["control_cells"] = control_cells;
  j["truth_single"] = truth_single;
  j["truth_double"] = truth_double;
  j["truth_knockdown"] = truth_knockdown;
  j["truth_overexpression"] = truth_overexpression;
  j["truth_non_tf"] = truth_non_tf;
  j["knockdown_fraction"] = knockdown_fraction;
  j["overexpression_factor"] = overexpression_factor;
  j["hic_bin_size"] = hic_bin_size;
  j["hic_zoom_factors"] = Json::array_of(hic_zoom_factors);
  j["tad_mean_bins"] = tad_mean_bins;
  j["max_contact_distance_bins"] = max_contact_distance_bins;
  j["hic_contacts"] = hic_contacts;
  j["variant_samples"] = variant_samples;
  j["snv_per_kb"] = snv_per_kb;
  j["ld_block_mean"] = ld_block_mean;
  j["founders"] = founders;
  return j;
}

std::string_view to_string(SiteKind kind) noexcept {
  switch (kind) {
  case SiteKind::promoter: return "promoter";
  case SiteKind::enhancer: return "enhancer";
  case SiteKind::decoy: return "decoy";
  }
  return "decoy";
}

std::string_view to_string(PerturbationKind kind) noexcept {
  switch (kind) {
  case PerturbationKind::single: return "single";
  case PerturbationKind::double_knockout: return "double";
  case PerturbationKind::knockdown: return "knockdown";
  case PerturbationKind::overexpression: return "overexpression";
  case PerturbationKind::non_tf: return "non_tf";
  }
  return "single";
}

} // namespace gc::simulate
