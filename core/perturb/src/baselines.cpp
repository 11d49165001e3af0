#include "gc/perturb/baselines.h"

#include "linalg.h"

#include "gc/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace gc::perturb {

using detail::Mat;

namespace {

// Training observation indices per group.
std::vector<std::vector<std::size_t>> by_group(const PerturbationDataset& data,
                                               const std::vector<std::size_t>& train) {
  std::vector<std::vector<std::size_t>> out(data.groups.size());
  for (const auto i : train)
    out.at(data.observations.at(i).group).push_back(i);
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void check_group(const PerturbationDataset* data, std::size_t group) {
  if (!data) throw Error("predictor used before fit()");
  if (group >= data->groups.size())
    throw InputError("cell group " + std::to_string(group) + " does not exist");
}

} // namespace

// --------------------------------------------------------------------------------------------

void NoChange::fit(const PerturbationDataset& data, const std::vector<std::size_t>&, const Progress&) {
  m_genes = data.n_genes();
}

std::vector<double> NoChange::predict(const Intervention&, std::size_t) const {
  return std::vector<double>(m_genes, 0.0);
}

// --------------------------------------------------------------------------------------------

void TrainingMean::fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
                       const Progress&) {
  const auto n = data.n_genes();
  const auto groups = by_group(data, train);
  std::vector<double> pooled(n, 0.0);
  for (const auto i : train)
    for (std::size_t g = 0; g < n; ++g)
      pooled[g] += data.observations[i].delta[g] / static_cast<double>(train.size());
  m_mean.assign(groups.size(), pooled);
  for (std::size_t k = 0; k < groups.size(); ++k) {
    if (groups[k].empty()) continue;
    auto& m = m_mean[k];
    std::fill(m.begin(), m.end(), 0.0);
    for (const auto i : groups[k])
      for (std::size_t g = 0; g < n; ++g)
        m[g] += data.observations[i].delta[g] / static_cast<double>(groups[k].size());
  }
}

std::vector<double> TrainingMean::predict(const Intervention&, std::size_t group) const {
  return m_mean.at(group);
}

// --------------------------------------------------------------------------------------------

void Additive::fit(const PerturbationDataset& data, const std::vector<std::size_t>& train, const Progress&) {
  m_data = &data;
  m_single.clear();
  for (const auto i : train) {
    const auto& o = data.observations[i];
    if (o.intervention.size() == 1) m_single.emplace(std::make_pair(o.intervention.label(), o.group), i);
  }
}

std::vector<double> Additive::predict(const Intervention& intervention, std::size_t group) const {
  check_group(m_data, group);
  std::vector<double> out(m_data->n_genes(), 0.0);
  for (const auto& g : intervention.genes) {
    const auto it = m_single.find({Intervention{{g}}.label(), group});
    if (it == m_single.end()) continue;
    const auto& delta = m_data->observations[it->second].delta;
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] += delta[i];
  }
  return out;
}

// --------------------------------------------------------------------------------------------

void LinearModel::fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
                      const Progress& progress) {
  m_data = &data;
  const auto n = data.n_genes();
  const auto groups = by_group(data, train);
  m_fits.assign(groups.size(), {});
  m_k = 0;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    progress.update(static_cast<double>(k) / static_cast<double>(groups.size()), "linear model");
    const auto& obs = groups[k];
    // X: genes × (control, training conditions) of observed means.
    Mat x(n, obs.size() + 1);
    for (std::size_t g = 0; g < n; ++g) {
      x(g, 0) = data.control[k][g];
      for (std::size_t j = 0; j < obs.size(); ++j)
        x(g, j + 1) = data.observations[obs[j]].mean[g];
    }
    const Mat gmat = detail::pca_scores(x, m_options.components);
    const auto kk = gmat.cols;
    m_k = std::max(m_k, kk);
    auto& fit = m_fits[k];
    fit.g = gmat.v;

    auto embed = [&](const Intervention& iv, std::vector<double>& p) {
      p.assign(kk, 0.0);
      bool any = false;
      for (const auto& gi : iv.genes) {
        const auto row = data.gene_index(gi.gene);
        if (!row) continue;
        any = true;
        const double dose = 1.0 - gi.level();
        for (std::size_t c = 0; c < kk; ++c)
          p[c] += dose * gmat(*row, c);
      }
      return any;
    };
    // The conditions with an embedding: the control (p = 0, Δ = 0) and the training
    // interventions on measured genes.
    std::vector<std::vector<double>> ps{std::vector<double>(kk, 0.0)};
    std::vector<const std::vector<double>*> ys{nullptr};
    for (const auto i : obs) {
      std::vector<double> p;
      if (!embed(data.observations[i].intervention, p)) continue;
      ps.push_back(std::move(p));
      ys.push_back(&data.observations[i].delta);
    }
    const auto conditions = ps.size();
    fit.b.assign(n, 0.0);
    for (std::size_t c = 1; c < conditions; ++c)
      for (std::size_t g = 0; g < n; ++g)
        fit.b[g] += (*ys[c])[g] / static_cast<double>(conditions);
    Mat yc(n, conditions);
    for (std::size_t g = 0; g < n; ++g)
      for (std::size_t c = 0; c < conditions; ++c)
        yc(g, c) = (c == 0 ? 0.0 : (*ys[c])[g]) - fit.b[g];
    Mat pt(conditions, kk); // Pᵀ
    for (std::size_t c = 0; c < conditions; ++c)
      for (std::size_t d = 0; d < kk; ++d)
        pt(c, d) = ps[c][d];
    // W = (GᵀG + λI)⁻¹ Gᵀ Yc Pᵀ (PPᵀ + λI)⁻¹; both inverses are of symmetric K × K systems.
    Mat gtg = detail::multiply_transposed(gmat, gmat);
    Mat ppt = detail::multiply_transposed(pt, pt);
    for (std::size_t d = 0; d < kk; ++d) {
      gtg(d, d) += m_options.ridge;
      ppt(d, d) += m_options.ridge;
    }
    const Mat middle = detail::multiply(detail::multiply_transposed(gmat, yc), pt); // Gᵀ Yc Pᵀ
    const Mat left = detail::solve_spd(gtg, middle); // (GᵀG + λI)⁻¹ Gᵀ Yc Pᵀ
    // left (PPᵀ + λI)⁻¹ = ((PPᵀ + λI)⁻¹ leftᵀ)ᵀ, the system being symmetric.
    fit.w = detail::transpose(detail::solve_spd(ppt, detail::transpose(left))).v;
  }
  progress.update(1.0);
}

std::vector<double> LinearModel::predict(const Intervention& intervention, std::size_t group) const {
  check_group(m_data, group);
  const auto& fit = m_fits.at(group);
  const auto n = m_data->n_genes();
  const auto kk = fit.g.size() / std::max<std::size_t>(n, 1);
  std::vector<double> p(kk, 0.0);
  for (const auto& gi : intervention.genes)
    if (const auto row = m_data->gene_index(gi.gene))
      for (std::size_t c = 0; c < kk; ++c)
        p[c] += (1.0 - gi.level()) * fit.g[*row * kk + c];
  std::vector<double> wp(kk, 0.0); // W p
  for (std::size_t r = 0; r < kk; ++r)
    for (std::size_t c = 0; c < kk; ++c)
      wp[r] += fit.w[r * kk + c] * p[c];
  std::vector<double> out = fit.b;
  for (std::size_t g = 0; g < n; ++g)
    for (std::size_t c = 0; c < kk; ++c)
      out[g] += fit.g[g * kk + c] * wp[c];
  return out;
}

// --------------------------------------------------------------------------------------------

void Propagation::fit(const PerturbationDataset& data, const std::vector<std::size_t>& train,
                      const Progress& progress) {
  m_data = &data;
  const auto n = data.n_genes();
  const auto groups = by_group(data, train);
  m_networks.assign(groups.size(), {});
  m_fitted_on.assign(groups.size(), "");

  std::vector<bool> candidate(n, false);
  if (m_options.regulators)
    for (const auto& tf : *m_options.regulators)
      if (const auto i = data.gene_index(tf)) candidate[*i] = true;
  if (std::none_of(candidate.begin(), candidate.end(), [](bool b) { return b; })) candidate.assign(n, true);

  for (std::size_t k = 0; k < groups.size(); ++k) {
    progress.update(static_cast<double>(k) / static_cast<double>(groups.size()), "regulatory network");
    // Samples × genes: the group's control cells, or its bulk profiles.
    Mat s;
    const bool cells =
        k < data.control_cells.size() &&
        data.control_cells[k].size() / std::max<std::size_t>(n, 1) >= m_options.min_control_cells;
    if (cells) {
      const auto& c = data.control_cells[k];
      s = Mat(c.size() / n, n);
      std::copy(c.begin(), c.end(), s.v.begin());
      m_fitted_on[k] = "control cells";
    } else {
      s = Mat(groups[k].size() + 1, n);
      for (std::size_t g = 0; g < n; ++g) {
        s(0, g) = data.control[k][g];
        for (std::size_t j = 0; j < groups[k].size(); ++j)
          s(j + 1, g) = data.observations[groups[k][j]].mean[g];
      }
      m_fitted_on[k] = "profiles";
    }
    const auto samples = s.rows;
    // Centre, and keep each gene's norm for correlations.
    std::vector<double> norm(n, 0.0);
    for (std::size_t g = 0; g < n; ++g) {
      double mean = 0.0;
      for (std::size_t r = 0; r < samples; ++r)
        mean += s(r, g);
      mean /= static_cast<double>(std::max<std::size_t>(samples, 1));
      for (std::size_t r = 0; r < samples; ++r) {
        s(r, g) -= mean;
        norm[g] += s(r, g) * s(r, g);
      }
      norm[g] = std::sqrt(norm[g]);
    }
    const Mat st = detail::transpose(s); // genes × samples, rows contiguous
    auto column = [&](std::size_t g) { return st.v.data() + g * samples; };
    auto& net = m_networks[k];
    net.assign(n, {});
    for (std::size_t t = 0; t < n; ++t) {
      if (norm[t] <= 0.0 || samples < 3) continue;
      std::vector<std::pair<double, std::size_t>> corr;
      for (std::size_t r = 0; r < n; ++r) {
        if (r == t || !candidate[r] || norm[r] <= 0.0) continue;
        const double* a = column(r);
        const double* b = column(t);
        double dot = 0.0;
        for (std::size_t i = 0; i < samples; ++i)
          dot += a[i] * b[i];
        corr.emplace_back(std::fabs(dot / (norm[r] * norm[t])), r);
      }
      const auto keep = std::min(m_options.regulators_per_target, corr.size());
      if (keep == 0) continue;
      std::partial_sort(corr.begin(), corr.begin() + static_cast<std::ptrdiff_t>(keep), corr.end(),
                        [](const auto& x, const auto& y) {
                          return x.first > y.first || (x.first == y.first && x.second < y.second);
                        });
      // Ridge with intercept on the centred values: w = (AᵀA + αI)⁻¹ Aᵀ y.
      Mat ata(keep, keep), aty(keep, 1);
      for (std::size_t i = 0; i < keep; ++i) {
        const double* ai = column(corr[i].second);
        for (std::size_t j = 0; j <= i; ++j) {
          const double* aj = column(corr[j].second);
          double dot = 0.0;
          for (std::size_t r = 0; r < samples; ++r)
            dot += ai[r] * aj[r];
          ata(i, j) = ata(j, i) = dot;
        }
        double dot = 0.0;
        for (std::size_t r = 0; r < samples; ++r)
          dot += ai[r] * column(t)[r];
        aty(i, 0) = dot;
        ata(i, i) += m_options.ridge;
      }
      const Mat w = detail::solve_spd(ata, aty);
      for (std::size_t i = 0; i < keep; ++i)
        net[t].emplace_back(corr[i].second, w(i, 0));
    }
  }

  // Log ratios: a knockout's own change is what the training knockouts measured.
  m_have_floor = false;
  if (data.scale == Scale::log2_ratio) {
    std::vector<double> own;
    for (const auto i : train) {
      const auto& o = data.observations[i];
      if (o.intervention.size() != 1 || o.intervention.genes[0].mode != Mode::knockout) continue;
      if (const auto g = data.gene_index(o.intervention.genes[0].gene)) own.push_back(o.delta[*g]);
    }
    if (!own.empty()) {
      std::sort(own.begin(), own.end());
      const auto m = own.size();
      m_knockout_floor = m % 2 ? own[m / 2] : 0.5 * (own[m / 2 - 1] + own[m / 2]);
      m_have_floor = true;
    }
  }
  progress.update(1.0);
}

std::vector<double> Propagation::predict(const Intervention& intervention, std::size_t group) const {
  check_group(m_data, group);
  const auto n = m_data->n_genes();
  const auto& xbar = m_data->control[group];
  const bool absolute = m_data->scale != Scale::log2_ratio;
  std::vector<std::pair<std::size_t, double>> input;
  for (const auto& gi : intervention.genes) {
    const auto g = m_data->gene_index(gi.gene);
    if (!g) continue;
    double d = 0.0;
    if (absolute) {
      d = (gi.level() - 1.0) * xbar[*g];
    } else if (gi.mode == Mode::knockout) {
      if (!m_have_floor)
        throw InputError("propagation on log ratios: no training knockout measures its own gene, so the "
                         "change a knockout makes to " +
                         gi.gene + " is unknown");
      d = m_knockout_floor;
    } else {
      d = std::log2(gi.level());
    }
    input.emplace_back(*g, d);
  }
  const auto& net = m_networks.at(group);
  std::vector<double> delta(n, 0.0), next(n);
  for (const auto& [g, d] : input)
    delta[g] = d;
  for (int step = 0; step < m_options.steps; ++step) {
    for (std::size_t t = 0; t < n; ++t) {
      double v = 0.0;
      for (const auto& [r, w] : net[t])
        v += delta[r] * w;
      next[t] = v;
    }
    for (const auto& [g, d] : input)
      next[g] = d;
    if (absolute)
      for (std::size_t t = 0; t < n; ++t)
        next[t] = std::max(next[t], -xbar[t]);
    delta.swap(next);
  }
  return delta;
}

// --------------------------------------------------------------------------------------------

std::vector<PredictorSpec> baseline_predictors(const BaselineOptions& options) {
  std::vector<PredictorSpec> out;
  out.push_back({"no_change", "Δ = 0: the control mean", true, true,
                 [](std::uint64_t) { return std::make_unique<NoChange>(); }});
  out.push_back({"training_mean", "mean Δ of the training interventions (per cell group)", true, true,
                 [](std::uint64_t) { return std::make_unique<TrainingMean>(); }});
  out.push_back({"additive", "sum of the members' observed single-gene Δ (0 for an unseen member)", false,
                 true, [](std::uint64_t) { return std::make_unique<Additive>(); }});
  const auto linear = options.linear;
  out.push_back({"linear",
                 "Ahlmann-Eltze et al. 2025: PCA (K = " + std::to_string(linear.components) +
                     ") gene embedding G, perturbation embedding from G's rows, Y ≈ G W P + b, ridge " +
                     number(linear.ridge),
                 true, true, [linear](std::uint64_t) { return std::make_unique<LinearModel>(linear); }});
  const auto propagation = options.propagation;
  out.push_back(
      {"propagation",
       "CellOracle-style: ridge GRN per target (top " + std::to_string(propagation.regulators_per_target) +
           " correlated " + (propagation.regulators ? "TFs" : "genes") + "), Δ propagated " +
           std::to_string(propagation.steps) + " steps",
       true, true, [propagation](std::uint64_t) { return std::make_unique<Propagation>(propagation); }});
  return out;
}

} // namespace gc::perturb
