#pragma once
// The demo world (DESIGN §6): a synthetic genome, gene regulatory network, single-cell
// expression, CRISPR screen, Hi-C and variants generated from one seed, with the ground truth
// that produced them. Every random draw comes from gc::Rng streams forked per component, so a
// spec and seed always give the same world, and changing one component leaves the others alone.
#include "gc/expr/matrix.h"
#include "gc/genome/vcf.h"
#include "gc/hic/contact_map.h"
#include "gc/perturb/intervention.h"
#include "gc/util/json.h"
#include "gc/util/progress.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gc::simulate {

struct WorldSpec {
  std::string preset = "demo";
  std::uint64_t seed = 1;
  // Genome
  std::vector<std::int64_t> chromosome_lengths{1'200'000, 1'000'000, 900'000, 700'000};
  int genes = 300;
  double tf_fraction = 0.1;
  double gc_content = 0.41;
  int decoy_sites_per_tf = 3;
  // GRN
  double activator_fraction = 0.7;
  int feed_forward_loops = 4;
  int autoregulated = 2;
  // Expression
  int cell_types = 4;
  int cells = 3000;
  int sde_steps = 100; // started at the noiseless steady state, so 5 decay times suffice
  double sde_dt = 0.05;
  double noise = 0.3;            // chemical Langevin noise scale
  double counts_scale = 3.0;     // mean counts per unit of steady-state expression
  double nb_dispersion = 5.0;    // gamma-Poisson shape
  double dropout_midpoint = 1.5; // mean count at which half the values drop out
  double dropout_slope = 1.5;
  // CRISPR screen
  int knockout_single = 6;
  int knockout_double = 3;
  int cells_per_perturbation = 200;
  int control_cells = 400;
  // Ground truth beyond the screen (DESIGN §6), for evaluating predicted responses on
  // perturbations the screen does not show. Screened perturbations are always in the truth.
  int truth_single = -1;    // TF knockouts: -1 every TF with a target besides itself, else at most this many
  int truth_double = 20;    // double knockouts, with 2, 1 and 0 members screened singly
  int truth_knockdown = 10; // TFs knocked down by knockdown_fraction
  int truth_overexpression = 10; // TFs overexpressed overexpression_factor-fold
  int truth_non_tf = 5; // knockouts of non-TF genes: a negative control, only the gene itself responds
  double knockdown_fraction = 0.5;    // kd:F, production x (1 - F)
  double overexpression_factor = 3.0; // oe:F, production x F
  // Hi-C
  std::int64_t hic_bin_size = 10'000;
  std::vector<std::int64_t> hic_zoom_factors{1, 2, 5, 10};
  int tad_mean_bins = 30;
  int max_contact_distance_bins = 400;
  double hic_contacts = 4e6;
  // Variants
  int variant_samples = 40;
  double snv_per_kb = 0.5;
  std::int64_t ld_block_mean = 40'000;
  int founders = 4;

  // "small", "demo" or "large"; InputError for anything else.
  [[nodiscard]] static WorldSpec preset_named(std::string_view name);
  [[nodiscard]] Json to_json() const;
};

enum class SiteKind { promoter, enhancer, decoy };
[[nodiscard]] std::string_view to_string(SiteKind kind) noexcept;

struct GeneModel {
  std::string name;
  int chrom = 0;
  std::int64_t start = 0; // 0-based half-open, whole gene
  std::int64_t end = 0;
  char strand = '+';
  std::vector<std::pair<std::int64_t, std::int64_t>> exons; // ascending coordinates
  bool is_tf = false;
  std::int64_t promoter_start = 0; // promoter upstream of the TSS
  std::int64_t promoter_end = 0;
  [[nodiscard]] std::int64_t tss() const noexcept { return strand == '+' ? start : end - 1; }
};

struct Enhancer {
  int chrom = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::size_t gene = 0; // the gene it regulates
};

struct Motif {
  std::size_t tf = 0; // gene index
  std::string consensus;
  std::vector<std::array<double, 4>> pwm; // rows: positions, columns: A C G T probabilities
};

struct MotifSite {
  std::size_t motif = 0; // index into Genome::motifs
  int chrom = 0;
  std::int64_t start = 0;
  char strand = '+';
  std::string sequence; // as planted on the + strand
  SiteKind kind = SiteKind::promoter;
  std::ptrdiff_t target = -1; // regulated gene, -1 for decoys
};

struct Genome {
  std::vector<std::string> chrom_names;
  std::vector<std::string> sequences;
  std::vector<GeneModel> genes;
  std::vector<Enhancer> enhancers;
  std::vector<Motif> motifs;
  std::vector<MotifSite> sites;
};

struct Edge {
  std::size_t regulator = 0;
  std::size_t target = 0;
  int sign = 1;          // +1 activation, -1 repression
  double strength = 0.0; // maximal production contributed (K_ij)
};

struct Grn {
  std::vector<std::size_t> tfs; // gene indices
  std::vector<int> layer;       // per gene
  std::vector<Edge> edges;
  std::vector<std::array<std::size_t, 3>> feed_forward_loops; // (A, B, C): A->B, B->C, A->C
  std::vector<std::size_t> autoregulated;
  std::vector<double> half_response;      // per gene, as a regulator
  std::vector<std::vector<double>> basal; // [cell type][gene]
  double decay = 1.0;
  std::vector<std::size_t> order; // topological order ignoring self-loops
};

// How the truth's perturbations are grouped for evaluation splits.
enum class PerturbationKind {
  single,          // knockout of one TF
  double_knockout, // knockout of two TFs
  knockdown,       // one TF, kd:knockdown_fraction
  overexpression,  // one TF, oe:overexpression_factor
  non_tf,          // knockout of one gene that regulates nothing
};
// "single", "double", "knockdown", "overexpression", "non_tf" (the manifest's `kind`).
[[nodiscard]] std::string_view to_string(PerturbationKind kind) noexcept;

// A perturbation's true response: every gene's production is multiplied by its level
// (perturb::GeneIntervention::level(): 0 knockout, 1 - F knockdown, F overexpression).
struct Perturbation {
  perturb::Intervention intervention;
  std::string name; // intervention.label(): "TF03", "TF03+TF07", "TF03:kd0.5", "TF05:oe3"
  PerturbationKind kind = PerturbationKind::single;
  std::vector<std::size_t> genes; // gene indices, in the order of intervention.genes
  bool screened = false;          // observed in the CRISPR screen
  int members_screened = 0;       // doubles: how many of the two genes the screen knocks out singly
  // log2 ratio of noiseless steady states, perturbed vs control, pseudocount 0.01: of the
  // cell-type mixture (cell types are drawn uniformly) and [cell type][gene] within each type.
  std::vector<double> expected_log2fc;
  std::vector<std::vector<double>> expected_log2fc_by_type;
};

struct Expression {
  std::vector<std::string> cell_types;
  std::vector<std::vector<double>> steady_state; // [cell type][gene], noiseless
  expr::ExpressionMatrix cells;                  // obs: cell_type; var: is_tf
  expr::ExpressionMatrix screen;                 // obs: cell_type, perturbation; var: is_tf
  // The truth, grouped by kind (singles, doubles, knockdowns, overexpressions, non-TF genes);
  // the screen's perturbation categories are "control" and the screened ones in this order.
  std::vector<Perturbation> perturbations;
  double dropout_fraction = 0.0; // zeros in `cells`
};

struct TadBoundary {
  int chrom = 0;
  std::int64_t position = 0; // bin start
};

struct Loop {
  int chrom = 0;
  std::int64_t bin1 = 0; // global bin ids, bin1 < bin2
  std::int64_t bin2 = 0;
  std::size_t enhancer = 0;
  std::size_t gene = 0;
};

struct HiC {
  hic::BinTable bins;
  std::vector<hic::Pixel> pixels; // upper triangle, sorted; cis signal plus a uniform trans background
  std::vector<int> compartment;   // +1 A, -1 B per bin
  std::vector<TadBoundary> tad_boundaries;
  std::vector<Loop> loops;
  std::vector<double> expected; // noiseless count by diagonal offset (no loops), mean over chromosomes
};

struct LdBlock {
  int chrom = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::size_t first_site = 0;
  std::size_t site_count = 0;
};

struct Variants {
  genome::VariantTable table;
  std::vector<LdBlock> blocks;
};

struct World {
  WorldSpec spec;
  Genome genome;
  Grn grn;
  Expression expression;
  HiC hic;
  Variants variants;
};

// Deterministic in spec (seed included). Throws gc::Cancelled when cancelled.
[[nodiscard]] World generate(const WorldSpec& spec, const Progress& progress = {});

// manifest.json's manifest_version. 2: perturbation_truth.tsv holds every perturbation of the
// truth with a cell_type column, and ground_truth lists screened and evaluation perturbations.
inline constexpr int manifest_version = 2;

// Writes every file of the world into `dir` (created when missing), each atomically, then
// manifest.json; returns the manifest. A non-empty `dir` without a manifest.json written by
// this generator is an InputError, so a wrong path never overwrites someone's data.
Json write_world(const World& world, const std::filesystem::path& dir, const Progress& progress = {});

// Parts, exposed for tests and for tools that need only one of them.
[[nodiscard]] Genome simulate_genome(const WorldSpec& spec);
[[nodiscard]] Grn simulate_grn(const WorldSpec& spec, Genome& genome); // plants motifs of true edges
// Noiseless steady state for one cell type, each gene's production multiplied by `level`
// (per gene; empty: 1 for every gene; 0 knocks the gene out).
[[nodiscard]] std::vector<double> steady_state(const Grn& grn, std::size_t cell_type,
                                               const std::vector<double>& level = {});
[[nodiscard]] Expression simulate_expression(const WorldSpec& spec, const Genome& genome, const Grn& grn,
                                             const Progress& progress = {});
[[nodiscard]] HiC simulate_hic(const WorldSpec& spec, const Genome& genome);
[[nodiscard]] Variants simulate_variants(const WorldSpec& spec, const Genome& genome);

} // namespace gc::simulate
