// Single-cell expression and the CRISPR screen: chemical Langevin simulation of the GRN's
// Hill kinetics per cell (started at the noiseless steady state of its cell type), then
// library-size variation, negative-binomial counts and mean-dependent dropout; and the true
// responses of every perturbation in the truth, of which the screen shows a part.
#include "internal.h"

#include "gc/simulate/world.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/thread_pool.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace gc::simulate {
namespace {

struct Input {
  std::size_t regulator;
  double strength;
  double k2;
  int sign;
};

struct CellPlan {
  std::size_t type = 0;
  std::size_t perturbation = 0; // 0 = control, else index + 1 into perturbations
};

struct SparseRow {
  std::vector<std::int32_t> genes;
  std::vector<float> counts;
};

class CellSimulator {
public:
  CellSimulator(const WorldSpec& spec, const Grn& grn)
      : m_spec(spec), m_grn(grn), m_inputs(grn.layer.size()) {
    for (const auto& e : grn.edges) {
      const double k = grn.half_response[e.regulator];
      m_inputs[e.target].push_back({e.regulator, e.strength, k * k, e.sign});
    }
  }

  // `level`: per-gene multiplier on production (0 for a knocked-out gene).
  SparseRow simulate(Rng rng, const std::vector<double>& start, const std::vector<double>& basal,
                     const std::vector<double>& level) const {
    const std::size_t n = start.size();
    std::vector<double> x = start;
    std::vector<double> p(n);
    const double dt = m_spec.sde_dt;
    const double sq = std::sqrt(dt);
    const double decay = m_grn.decay;
    for (int step = 0; step < m_spec.sde_steps; ++step) {
      for (std::size_t i = 0; i < n; ++i) {
        if (level[i] == 0.0) {
          p[i] = 0;
          continue;
        }
        double v = basal[i];
        for (const auto& in : m_inputs[i]) {
          const double r2 = x[in.regulator] * x[in.regulator];
          v += in.strength * (in.sign > 0 ? r2 / (in.k2 + r2) : in.k2 / (in.k2 + r2));
        }
        p[i] = level[i] * v;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const double d = decay * x[i];
        // Production and decay noise are independent Gaussians, so one draw with the summed
        // variance has the same distribution at half the cost.
        const double noise = m_spec.noise * std::sqrt(p[i] + d) * rng.normal();
        x[i] = std::max(0.0, x[i] + (p[i] - d) * dt + noise * sq);
      }
    }
    SparseRow row;
    const double library = std::exp(rng.normal(0.0, 0.35));
    const double theta = m_spec.nb_dispersion;
    const double log_mid = std::log(m_spec.dropout_midpoint);
    for (std::size_t i = 0; i < n; ++i) {
      const double mu = x[i] * m_spec.counts_scale * library;
      if (mu <= 0) continue;
      const auto count = rng.poisson(rng.gamma(theta, mu / theta));
      const double p_drop = 1.0 / (1.0 + std::exp(m_spec.dropout_slope * (std::log(mu) - log_mid)));
      if (rng.bernoulli(p_drop) || count == 0) continue;
      row.genes.push_back(static_cast<std::int32_t>(i));
      row.counts.push_back(static_cast<float>(count));
    }
    return row;
  }

private:
  const WorldSpec& m_spec;
  const Grn& m_grn;
  std::vector<std::vector<Input>> m_inputs;
};

expr::ExpressionMatrix assemble(const std::vector<SparseRow>& rows, const Genome& genome,
                                const std::string& prefix) {
  expr::CsrMatrix csr;
  csr.rows = static_cast<std::int64_t>(rows.size());
  csr.cols = static_cast<std::int64_t>(genome.genes.size());
  for (const auto& r : rows) {
    csr.indices.insert(csr.indices.end(), r.genes.begin(), r.genes.end());
    csr.data.insert(csr.data.end(), r.counts.begin(), r.counts.end());
    csr.indptr.push_back(static_cast<std::int64_t>(csr.data.size()));
  }
  expr::ExpressionMatrix m;
  m.x = expr::Matrix::sparse(std::move(csr));
  for (std::size_t c = 0; c < rows.size(); ++c)
    m.obs.index.push_back(detail::padded_name(prefix, c + 1, rows.size()));
  for (const auto& g : genome.genes)
    m.var.index.push_back(g.name);
  m.var.columns.push_back(expr::Column::categorical("is_tf", {"False", "True"}, [&] {
    std::vector<std::int32_t> codes;
    for (const auto& g : genome.genes)
      codes.push_back(g.is_tf ? 1 : 0);
    return codes;
  }()));
  m.var.columns.push_back(expr::Column::text_column("chrom", [&] {
    std::vector<std::string> v;
    for (const auto& g : genome.genes)
      v.push_back(genome.chrom_names[static_cast<std::size_t>(g.chrom)]);
    return v;
  }()));
  return m;
}

std::vector<SparseRow> run_cells(const WorldSpec& spec, const Grn& grn, const std::vector<CellPlan>& plan,
                                 const std::vector<std::vector<std::vector<double>>>& states,
                                 const std::vector<std::vector<double>>& levels, std::uint64_t stream,
                                 const Progress& progress) {
  const CellSimulator sim(spec, grn);
  const Rng root = Rng(spec.seed).fork(stream);
  std::vector<SparseRow> rows(plan.size());
  ProgressCounter counter(progress, plan.size(), "simulating cells");
  default_pool().parallel_for(0, plan.size(), 16, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t c = lo; c < hi; ++c) {
      const auto& p = plan[c];
      rows[c] = sim.simulate(root.fork(c), states[p.perturbation][p.type], grn.basal[p.type],
                             levels[p.perturbation]);
      counter.add();
    }
  });
  return rows;
}

// A perturbation of `genes`, each with `mode` and `factor`, genes in label order.
Perturbation make_perturbation(const Genome& genome, PerturbationKind kind, std::vector<std::size_t> genes,
                               perturb::Mode mode = perturb::Mode::knockout, double factor = 0.0) {
  std::sort(genes.begin(), genes.end(),
            [&](std::size_t a, std::size_t b) { return genome.genes[a].name < genome.genes[b].name; });
  Perturbation p;
  p.kind = kind;
  for (const auto g : genes)
    p.intervention.genes.push_back({genome.genes[g].name, mode, factor});
  p.genes = std::move(genes);
  p.name = p.intervention.label();
  return p;
}

// `count` elements of `pool` at random (all when count < 0), ascending.
std::vector<std::size_t> draw(Rng& rng, std::vector<std::size_t> pool, int count) {
  rng.shuffle(pool);
  if (count >= 0 && static_cast<std::size_t>(count) < pool.size())
    pool.resize(static_cast<std::size_t>(count));
  std::sort(pool.begin(), pool.end());
  return pool;
}

// The truth's perturbations (DESIGN §6), grouped by kind. The screened singles and doubles are
// drawn from `screen_rng` exactly as before the truth grew, so the screen and the cells keep
// their values; everything else comes from its own stream.
std::vector<Perturbation> plan_perturbations(const WorldSpec& spec, const Genome& genome, const Grn& grn,
                                             Rng& screen_rng) {
  if (!(spec.knockdown_fraction > 0.0 && spec.knockdown_fraction < 1.0))
    throw InputError("world spec: knockdown_fraction " + std::to_string(spec.knockdown_fraction) +
                     " must lie strictly between 0 and 1");
  if (!(spec.overexpression_factor > 1.0))
    throw InputError("world spec: overexpression_factor " + std::to_string(spec.overexpression_factor) +
                     " must be above 1");
  const std::size_t n = genome.genes.size();
  // TFs with at least one target other than themselves: knocking them out reaches other genes.
  std::vector<std::size_t> candidates;
  for (const auto tf : grn.tfs)
    if (std::any_of(grn.edges.begin(), grn.edges.end(),
                    [&](const Edge& e) { return e.regulator == tf && e.target != tf; }))
      candidates.push_back(tf);
  auto screened = candidates;
  screen_rng.shuffle(screened);
  screened.resize(std::min<std::size_t>(screened.size(), static_cast<std::size_t>(spec.knockout_single)));
  std::sort(screened.begin(), screened.end());
  std::vector<bool> in_screen(n, false);
  for (const auto g : screened)
    in_screen[g] = true;

  Rng rng = Rng(spec.seed).fork(detail::perturbation_stream);
  std::vector<std::size_t> singles = candidates;
  if (spec.truth_single >= 0) {
    std::vector<std::size_t> rest;
    for (const auto g : candidates)
      if (!in_screen[g]) rest.push_back(g);
    singles = draw(rng, std::move(rest), std::max(0, spec.truth_single - static_cast<int>(screened.size())));
    singles.insert(singles.end(), screened.begin(), screened.end());
    std::sort(singles.begin(), singles.end());
  }
  std::vector<Perturbation> out;
  for (const auto g : singles) {
    auto p = make_perturbation(genome, PerturbationKind::single, {g});
    p.screened = in_screen[g];
    out.push_back(std::move(p));
  }

  // Screened doubles pair up the screened singles in order.
  std::set<std::pair<std::size_t, std::size_t>> paired;
  int screened_doubles = 0;
  for (int d = 0; d < spec.knockout_double && screened.size() >= 2; ++d) {
    const auto a = screened[(2 * static_cast<std::size_t>(d)) % screened.size()];
    const auto b = screened[(2 * static_cast<std::size_t>(d) + 1) % screened.size()];
    if (a == b || !paired.insert(std::minmax(a, b)).second) continue;
    auto p = make_perturbation(genome, PerturbationKind::double_knockout, {a, b});
    p.screened = true;
    p.members_screened = 2;
    out.push_back(std::move(p));
    ++screened_doubles;
  }
  // Unscreened doubles for evaluation, taken in turn with 0, 1 and 2 members seen singly in the
  // screen (the three splits of double-knockout evaluation), while each kind lasts.
  std::array<std::vector<std::pair<std::size_t, std::size_t>>, 3> pools;
  for (std::size_t i = 0; i < singles.size(); ++i)
    for (std::size_t j = i + 1; j < singles.size(); ++j)
      if (!paired.count({singles[i], singles[j]}))
        pools[(in_screen[singles[i]] ? 1 : 0) + (in_screen[singles[j]] ? 1 : 0)].emplace_back(singles[i],
                                                                                              singles[j]);
  for (auto& pool : pools)
    rng.shuffle(pool);
  std::vector<std::pair<std::size_t, std::size_t>> extra;
  for (std::size_t round = 0,
                   want = static_cast<std::size_t>(std::max(0, spec.truth_double - screened_doubles));
       extra.size() < want; ++round) {
    const auto before = extra.size();
    for (const auto& pool : pools)
      if (round < pool.size() && extra.size() < want) extra.push_back(pool[round]);
    if (extra.size() == before) break;
  }
  std::sort(extra.begin(), extra.end());
  for (const auto& [a, b] : extra) {
    auto p = make_perturbation(genome, PerturbationKind::double_knockout, {a, b});
    p.members_screened = (in_screen[a] ? 1 : 0) + (in_screen[b] ? 1 : 0);
    out.push_back(std::move(p));
  }

  // Knockdowns and overexpressions of TFs whose knockout is in the truth, for comparison.
  for (const auto g : draw(rng, singles, std::max(0, spec.truth_knockdown)))
    out.push_back(make_perturbation(genome, PerturbationKind::knockdown, {g}, perturb::Mode::knockdown,
                                    spec.knockdown_fraction));
  for (const auto g : draw(rng, singles, std::max(0, spec.truth_overexpression)))
    out.push_back(make_perturbation(genome, PerturbationKind::overexpression, {g},
                                    perturb::Mode::overexpression, spec.overexpression_factor));
  std::vector<std::size_t> others;
  for (std::size_t g = 0; g < n; ++g)
    if (!genome.genes[g].is_tf) others.push_back(g);
  for (const auto g : draw(rng, std::move(others), std::max(0, spec.truth_non_tf)))
    out.push_back(make_perturbation(genome, PerturbationKind::non_tf, {g}));
  return out;
}

} // namespace

Expression simulate_expression(const WorldSpec& spec, const Genome& genome, const Grn& grn,
                               const Progress& progress) {
  Rng rng = Rng(spec.seed).fork(detail::expression_stream);
  Expression out;
  const std::size_t types = grn.basal.size();
  const std::size_t n = genome.genes.size();
  for (std::size_t c = 0; c < types; ++c) {
    out.cell_types.push_back("type" + std::string(1, static_cast<char>('A' + c % 26)) +
                             (c >= 26 ? std::to_string(c / 26) : ""));
    out.steady_state.push_back(steady_state(grn, c));
  }
  out.perturbations = plan_perturbations(spec, genome, grn, rng);

  // Noiseless steady states per perturbation and cell type; the truth is their log2 ratio to
  // the control's, within each cell type and for the cell-type mixture (cell types are drawn
  // uniformly). The screen's cells start from the states of their perturbation (index 0 =
  // control; unscreened perturbations keep none).
  constexpr double pseudo = 0.01;
  std::vector<std::vector<std::vector<double>>> states{out.steady_state};
  std::vector<std::vector<double>> levels{std::vector<double>(n, 1.0)};
  auto mixture = [&](const std::vector<std::vector<double>>& s) {
    std::vector<double> m(n, 0.0);
    for (const auto& t : s)
      for (std::size_t i = 0; i < n; ++i)
        m[i] += t[i] / static_cast<double>(types);
    return m;
  };
  auto log2fc = [&](const std::vector<double>& perturbed, const std::vector<double>& control) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
      v[i] = std::log2((perturbed[i] + pseudo) / (control[i] + pseudo));
    return v;
  };
  const auto control_mean = mixture(out.steady_state);
  for (auto& p : out.perturbations) {
    std::vector<double> level(n, 1.0);
    for (std::size_t k = 0; k < p.genes.size(); ++k)
      level[p.genes[k]] = p.intervention.genes[k].level();
    std::vector<std::vector<double>> s;
    for (std::size_t c = 0; c < types; ++c) {
      s.push_back(steady_state(grn, c, level));
      p.expected_log2fc_by_type.push_back(log2fc(s.back(), out.steady_state[c]));
    }
    p.expected_log2fc = log2fc(mixture(s), control_mean);
    states.push_back(p.screened ? std::move(s) : std::vector<std::vector<double>>{});
    levels.push_back(p.screened ? std::move(level) : std::vector<double>{});
  }

  std::vector<CellPlan> baseline(static_cast<std::size_t>(spec.cells));
  for (auto& c : baseline)
    c.type = rng.below(types);
  std::vector<CellPlan> screen;
  std::vector<std::string> pnames{"control"};
  std::vector<std::int32_t> category(out.perturbations.size() + 1, 0); // plan index -> obs category
  for (int k = 0; k < spec.control_cells; ++k)
    screen.push_back({rng.below(types), 0});
  for (std::size_t p = 0; p < out.perturbations.size(); ++p) {
    if (!out.perturbations[p].screened) continue;
    category[p + 1] = static_cast<std::int32_t>(pnames.size());
    pnames.push_back(out.perturbations[p].name);
    for (int k = 0; k < spec.cells_per_perturbation; ++k)
      screen.push_back({rng.below(types), p + 1});
  }

  const auto base_rows = run_cells(spec, grn, baseline, states, levels, 100, progress.sub(0.0, 0.5));
  const auto screen_rows = run_cells(spec, grn, screen, states, levels, 200, progress.sub(0.5, 1.0));

  out.cells = assemble(base_rows, genome, "cell");
  std::vector<std::int32_t> codes;
  for (const auto& c : baseline)
    codes.push_back(static_cast<std::int32_t>(c.type));
  out.cells.obs.columns.push_back(expr::Column::categorical("cell_type", out.cell_types, codes));
  const auto total = static_cast<double>(out.cells.n_cells()) * static_cast<double>(n);
  out.dropout_fraction = total > 0 ? 1.0 - static_cast<double>(out.cells.x.nnz()) / total : 0.0;

  out.screen = assemble(screen_rows, genome, "screen_cell");
  codes.clear();
  std::vector<std::int32_t> pcodes;
  for (const auto& c : screen) {
    codes.push_back(static_cast<std::int32_t>(c.type));
    pcodes.push_back(category[c.perturbation]);
  }
  out.screen.obs.columns.push_back(expr::Column::categorical("cell_type", out.cell_types, codes));
  out.screen.obs.columns.push_back(expr::Column::categorical("perturbation", pnames, pcodes));
  return out;
}

} // namespace gc::simulate
