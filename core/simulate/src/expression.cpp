// Single-cell expression and the CRISPR screen: chemical Langevin simulation of the GRN's
// Hill kinetics per cell (started at the noiseless steady state of its cell type), then
// library-size variation, negative-binomial counts and mean-dependent dropout.
#include "internal.h"

#include "gc/simulate/world.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/thread_pool.h"

#include <algorithm>
#include <cmath>

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

  SparseRow simulate(Rng rng, const std::vector<double>& start, const std::vector<double>& basal,
                     const std::vector<bool>& off) const {
    const std::size_t n = start.size();
    std::vector<double> x = start;
    std::vector<double> p(n);
    const double dt = m_spec.sde_dt;
    const double sq = std::sqrt(dt);
    const double decay = m_grn.decay;
    for (int step = 0; step < m_spec.sde_steps; ++step) {
      for (std::size_t i = 0; i < n; ++i) {
        if (off[i]) {
          p[i] = 0;
          continue;
        }
        double v = basal[i];
        for (const auto& in : m_inputs[i]) {
          const double r2 = x[in.regulator] * x[in.regulator];
          v += in.strength * (in.sign > 0 ? r2 / (in.k2 + r2) : in.k2 / (in.k2 + r2));
        }
        p[i] = v;
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
                                 const std::vector<std::vector<bool>>& off, std::uint64_t stream,
                                 const Progress& progress) {
  const CellSimulator sim(spec, grn);
  const Rng root = Rng(spec.seed).fork(stream);
  std::vector<SparseRow> rows(plan.size());
  ProgressCounter counter(progress, plan.size(), "simulating cells");
  default_pool().parallel_for(0, plan.size(), 16, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t c = lo; c < hi; ++c) {
      const auto& p = plan[c];
      rows[c] =
          sim.simulate(root.fork(c), states[p.perturbation][p.type], grn.basal[p.type], off[p.perturbation]);
      counter.add();
    }
  });
  return rows;
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

  // Knockouts: TFs with at least one target other than themselves.
  std::vector<std::size_t> candidates;
  for (const auto tf : grn.tfs)
    if (std::any_of(grn.edges.begin(), grn.edges.end(),
                    [&](const Edge& e) { return e.regulator == tf && e.target != tf; }))
      candidates.push_back(tf);
  rng.shuffle(candidates);
  candidates.resize(std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(spec.knockout_single)));
  std::sort(candidates.begin(), candidates.end());
  for (const auto g : candidates)
    out.perturbations.push_back({genome.genes[g].name, {g}, {}});
  for (int d = 0; d < spec.knockout_double && candidates.size() >= 2; ++d) {
    const auto a = candidates[(2 * static_cast<std::size_t>(d)) % candidates.size()];
    const auto b = candidates[(2 * static_cast<std::size_t>(d) + 1) % candidates.size()];
    if (a == b) continue;
    out.perturbations.push_back({genome.genes[a].name + "+" + genome.genes[b].name, {a, b}, {}});
  }

  // Noiseless steady states per perturbation (index 0 = control) and cell type; the truth is
  // the log2 ratio of the cell-type mixture means (cell types are drawn uniformly).
  constexpr double pseudo = 0.01;
  std::vector<std::vector<std::vector<double>>> states{out.steady_state};
  std::vector<std::vector<bool>> off{std::vector<bool>(n, false)};
  auto mixture = [&](const std::vector<std::vector<double>>& s) {
    std::vector<double> m(n, 0.0);
    for (const auto& t : s)
      for (std::size_t i = 0; i < n; ++i)
        m[i] += t[i] / static_cast<double>(types);
    return m;
  };
  const auto control_mean = mixture(out.steady_state);
  for (auto& p : out.perturbations) {
    std::vector<std::vector<double>> s;
    for (std::size_t c = 0; c < types; ++c)
      s.push_back(steady_state(grn, c, p.genes));
    const auto m = mixture(s);
    for (std::size_t i = 0; i < n; ++i)
      p.expected_log2fc.push_back(std::log2((m[i] + pseudo) / (control_mean[i] + pseudo)));
    states.push_back(std::move(s));
    std::vector<bool> o(n, false);
    for (const auto g : p.genes)
      o[g] = true;
    off.push_back(std::move(o));
  }

  std::vector<CellPlan> baseline(static_cast<std::size_t>(spec.cells));
  for (auto& c : baseline)
    c.type = rng.below(types);
  std::vector<CellPlan> screen;
  for (std::size_t p = 0; p <= out.perturbations.size(); ++p) {
    const int count = p == 0 ? spec.control_cells : spec.cells_per_perturbation;
    for (int k = 0; k < count; ++k)
      screen.push_back({rng.below(types), p});
  }

  const auto base_rows = run_cells(spec, grn, baseline, states, off, 100, progress.sub(0.0, 0.5));
  const auto screen_rows = run_cells(spec, grn, screen, states, off, 200, progress.sub(0.5, 1.0));

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
  std::vector<std::string> pnames{"control"};
  for (const auto& p : out.perturbations)
    pnames.push_back(p.name);
  for (const auto& c : screen) {
    codes.push_back(static_cast<std::int32_t>(c.type));
    pcodes.push_back(static_cast<std::int32_t>(c.perturbation));
  }
  out.screen.obs.columns.push_back(expr::Column::categorical("cell_type", out.cell_types, codes));
  out.screen.obs.columns.push_back(expr::Column::categorical("perturbation", pnames, pcodes));
  return out;
}

} // namespace gc::simulate
