#include "gc/hic/balance.h"

#include "gc/util/error.h"
#include "gc/util/log.h"
#include "gc/util/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace gc::hic {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// Filtered pixels in compact form for the iterations.
struct Compact {
  std::vector<std::int32_t> i;
  std::vector<std::int32_t> j;
  std::vector<double> v;
  [[nodiscard]] std::size_t size() const noexcept { return v.size(); }
};

// "3.2e-05": residuals and variances in progress messages.
std::string short_number(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", x);
  return text;
}

// Share done of an iteration that stops when `value` falls below `target`, from how far it has
// fallen (log scale) since `first`; `floor` is the least share to show (the iteration count).
// Callers keep the largest share shown, so reports never go back.
double convergence_share(double first, double value, double target, double floor) {
  double share = floor;
  if (first > target && value > 0 && target > 0)
    share = std::max(share, std::log(first / value) / std::log(first / target));
  return std::clamp(share, 0.0, 1.0);
}

double median(std::vector<double> x) {
  if (x.empty()) return k_nan;
  const auto mid = x.size() / 2;
  std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(mid), x.end());
  const double hi = x[mid];
  if (x.size() % 2 == 1) return hi;
  const double lo = *std::max_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lo + hi) / 2;
}

// Marginal sums of the symmetric matrix given by its upper triangle (diagonal counted once) over
// [first, last) of the compact pixels, in parallel; with `binarize`, nonzeros per bin instead.
std::vector<double> marginals(const Compact& px, std::size_t first, std::size_t last, std::size_t nbins,
                              bool binarize = false) {
  auto& pool = default_pool();
  const std::size_t parts =
      std::min<std::size_t>(pool.size() + 1, std::max<std::size_t>(1, (last - first) / 200000));
  std::vector<std::vector<double>> partial(parts, std::vector<double>(nbins, 0.0));
  pool.parallel_for(0, parts, 1, [&](std::size_t a, std::size_t b) {
    for (std::size_t part = a; part < b; ++part) {
      const std::size_t lo = first + (last - first) * part / parts;
      const std::size_t hi = first + (last - first) * (part + 1) / parts;
      double* marg = partial[part].data();
      const std::int32_t* pi = px.i.data();
      const std::int32_t* pj = px.j.data();
      const double* pv = px.v.data();
      for (std::size_t k = lo; k < hi; ++k) {
        const auto i = pi[k];
        const auto j = pj[k];
        const double v = binarize ? 1.0 : pv[k];
        marg[j] += v;
        if (i != j) marg[i] += v;
      }
    }
  });
  for (std::size_t p = 1; p < parts; ++p)
    for (std::size_t k = 0; k < nbins; ++k)
      partial[0][k] += partial[p][k];
  return std::move(partial[0]);
}

Compact compact_pixels(const BinTable& bins, const std::vector<Pixel>& pixels, int ignore_diags,
                       bool cis_only) {
  Compact out;
  out.i.reserve(pixels.size());
  out.j.reserve(pixels.size());
  out.v.reserve(pixels.size());
  for (const auto& p : pixels) {
    if (p.bin1 > p.bin2 || p.count == 0 || !std::isfinite(p.count)) continue;
    if (p.bin2 - p.bin1 < ignore_diags) continue;
    if (cis_only &&
        bins.chrom[static_cast<std::size_t>(p.bin1)] != bins.chrom[static_cast<std::size_t>(p.bin2)])
      continue;
    out.i.push_back(static_cast<std::int32_t>(p.bin1));
    out.j.push_back(static_cast<std::int32_t>(p.bin2));
    out.v.push_back(p.count);
  }
  return out;
}

void check_pixels(const BinTable& bins, const std::vector<Pixel>& pixels) {
  if (bins.size() >= std::numeric_limits<std::int32_t>::max()) throw InputError("too many bins to balance");
  for (const auto& p : pixels)
    if (p.bin1 < 0 || p.bin2 < 0 || p.bin1 >= bins.size() || p.bin2 >= bins.size())
      throw InputError("pixel outside the bin table");
}

struct IterationOutcome {
  double scale = k_nan;
  double variance = 0;
  int iterations = 0;
  bool converged = false;
};

// Runs of consecutive compact pixels sharing bin1 (the rows, for sorted input): the iteration
// then streams only bin2 and the count per pixel and scales each row once.
struct Runs {
  std::vector<std::size_t> start; // runs + 1 entries
  std::vector<std::int32_t> row;
};

Runs find_runs(const Compact& px, std::size_t first, std::size_t last) {
  Runs r;
  for (std::size_t k = first; k < last; ++k)
    if (k == first || px.i[k] != px.i[k - 1]) {
      r.start.push_back(k);
      r.row.push_back(px.i[k]);
    }
  r.start.push_back(last);
  return r;
}

// Marginals of the matrix scaled by bias_i * bias_j (diagonal counted once), over runs, in parallel.
std::vector<double> scaled_marginals(const Compact& px, const Runs& runs, std::size_t nbins,
                                     const double* bias) {
  auto& pool = default_pool();
  const std::size_t nruns = runs.row.size();
  const std::size_t pixels = runs.start.back() - runs.start.front();
  const std::size_t parts = std::min<std::size_t>(
      {pool.size() + 1, std::max<std::size_t>(1, pixels / 200000), std::max<std::size_t>(1, nruns)});
  std::vector<std::vector<double>> partial(parts, std::vector<double>(nbins, 0.0));
  pool.parallel_for(0, parts, 1, [&](std::size_t a, std::size_t b) {
    for (std::size_t part = a; part < b; ++part) {
      // Parts split the pixels evenly, at run boundaries.
      const std::size_t target_lo = runs.start.front() + pixels * part / parts;
      const std::size_t target_hi = runs.start.front() + pixels * (part + 1) / parts;
      const auto first_run = static_cast<std::size_t>(
          std::lower_bound(runs.start.begin(), runs.start.end() - 1, target_lo) - runs.start.begin());
      const auto last_run = part + 1 == parts
                                ? nruns
                                : static_cast<std::size_t>(
                                      std::lower_bound(runs.start.begin(), runs.start.end() - 1, target_hi) -
                                      runs.start.begin());
      double* marg = partial[part].data();
      const std::int32_t* pj = px.j.data();
      const double* pv = px.v.data();
      for (std::size_t r = first_run; r < last_run; ++r) {
        const auto i = runs.row[r];
        const double bi = bias[i];
        double row_sum = 0;
        for (std::size_t k = runs.start[r]; k < runs.start[r + 1]; ++k) {
          const auto j = pj[k];
          const double x = pv[k] * bias[j];
          row_sum += x;
          if (j != i) marg[j] += x * bi;
        }
        marg[i] += row_sum * bi;
      }
    }
  });
  for (std::size_t p = 1; p < parts; ++p)
    for (std::size_t k = 0; k < nbins; ++k)
      partial[0][k] += partial[p][k];
  return std::move(partial[0]);
}

// cooler's iteration over the bins [lo, hi) using the compact pixels [first, last). Reports every
// iteration (`label` names the chromosome when cis-only) and so checks cancellation.
IterationOutcome iterate(const Compact& px, std::size_t first, std::size_t last, std::vector<double>& bias,
                         std::size_t lo, std::size_t hi, const IceOptions& opt, const Progress& progress,
                         const std::string& label) {
  IterationOutcome out;
  std::vector<double> nz;
  const auto runs = find_runs(px, first, last);
  double first_variance = 0;
  double shown = 0;
  for (int it = 0; it < opt.max_iters; ++it) {
    const auto marg = scaled_marginals(px, runs, bias.size(), bias.data());
    nz.clear();
    for (std::size_t k = lo; k < hi; ++k)
      if (marg[k] != 0) nz.push_back(marg[k]);
    out.iterations = it + 1;
    if (nz.empty()) {
      std::fill(bias.begin() + static_cast<std::ptrdiff_t>(lo),
                bias.begin() + static_cast<std::ptrdiff_t>(hi), k_nan);
      out.variance = 0;
      out.scale = k_nan;
      out.converged = true;
      return out;
    }
    const double mean = std::accumulate(nz.begin(), nz.end(), 0.0) / static_cast<double>(nz.size());
    double var = 0;
    for (const double x : nz)
      var += (x - mean) * (x - mean);
    var /= static_cast<double>(nz.size());
    for (std::size_t k = lo; k < hi; ++k) {
      const double m = marg[k] / mean;
      bias[k] /= m == 0 ? 1.0 : m;
    }
    out.variance = var;
    out.scale = mean;
    if (it == 0) first_variance = var;
    shown =
        std::max(shown, convergence_share(first_variance, var, opt.tol,
                                          static_cast<double>(it + 1) / static_cast<double>(opt.max_iters)));
    progress.update(shown, label + "ICE iteration " + std::to_string(it + 1) + " of at most " +
                               std::to_string(opt.max_iters) + ", variance " + short_number(var));
    if (var < opt.tol) {
      out.converged = true;
      break;
    }
  }
  for (std::size_t k = lo; k < hi; ++k) {
    if (bias[k] == 0) bias[k] = k_nan;
    if (opt.rescale_marginals) bias[k] /= std::sqrt(out.scale);
  }
  return out;
}

} // namespace

IceOptions cooler_ice_py_options() {
  IceOptions o;
  o.ignore_diags = 2;
  o.min_nnz = 10;
  o.mad_max = 5;
  o.mad_as_sigma = true;
  return o;
}

std::map<std::string, double> IceResult::attributes() const {
  std::map<std::string, double> a;
  a["tol"] = options.tol;
  a["min_nnz"] = options.min_nnz;
  a["min_count"] = options.min_count;
  a["mad_max"] = options.mad_max;
  a["cis_only"] = options.cis_only ? 1 : 0;
  a["ignore_diags"] = options.ignore_diags;
  if (scale.size() == 1) a["scale"] = scale.front();
  if (variance.size() == 1) a["var"] = variance.front();
  a["converged"] = converged ? 1 : 0;
  a["divisive_weights"] = 0;
  return a;
}

IceResult ice(const BinTable& bins, const std::vector<Pixel>& pixels, const IceOptions& opt,
              bool /*symmetric*/, const Progress& progress) {
  progress.update(0.0, "ICE: filtering bins");
  check_pixels(bins, pixels);
  const auto n = static_cast<std::size_t>(bins.size());
  IceResult result;
  result.options = opt;
  std::vector<double> bias(n, 1.0);

  // Compact pixels hold nonzero counts only, so counting them gives the nonzeros per bin.
  Compact px = compact_pixels(bins, pixels, opt.ignore_diags, opt.cis_only);
  if (opt.min_nnz > 0) {
    const auto marg_nnz = marginals(px, 0, px.size(), n, true);
    for (std::size_t k = 0; k < n; ++k)
      if (marg_nnz[k] < opt.min_nnz) bias[k] = 0;
  }
  auto marg = marginals(px, 0, px.size(), n);
  if (opt.min_count > 0)
    for (std::size_t k = 0; k < n; ++k)
      if (marg[k] < opt.min_count) bias[k] = 0;
  if (opt.mad_max > 0) {
    for (std::size_t c = 0; c + 1 < bins.chrom_offset.size(); ++c) {
      const auto lo = static_cast<std::size_t>(bins.chrom_offset[c]);
      const auto hi = static_cast<std::size_t>(bins.chrom_offset[c + 1]);
      std::vector<double> positive;
      for (std::size_t k = lo; k < hi; ++k)
        if (marg[k] > 0) positive.push_back(marg[k]);
      const double med = median(std::move(positive));
      for (std::size_t k = lo; k < hi; ++k)
        marg[k] /= med;
    }
    std::vector<double> log_marg;
    for (const double m : marg)
      if (m > 0) log_marg.push_back(std::log(m));
    const double med = median(log_marg);
    std::vector<double> dev(log_marg.size());
    for (std::size_t k = 0; k < log_marg.size(); ++k)
      dev[k] = std::abs(log_marg[k] - med);
    double deviation = median(std::move(dev));
    if (opt.mad_as_sigma) deviation /= 0.6745;
    const double cutoff = std::exp(med - opt.mad_max * deviation);
    for (std::size_t k = 0; k < n; ++k)
      if (marg[k] < cutoff) bias[k] = 0;
  }
  for (const auto b : opt.blacklist)
    if (b >= 0 && static_cast<std::size_t>(b) < n) bias[static_cast<std::size_t>(b)] = 0;

  // Pixels touching a dropped bin contribute exactly zero to every marginal: leave them out.
  {
    std::size_t w = 0;
    for (std::size_t k = 0; k < px.size(); ++k) {
      if (bias[static_cast<std::size_t>(px.i[k])] == 0 || bias[static_cast<std::size_t>(px.j[k])] == 0)
        continue;
      px.i[w] = px.i[k];
      px.j[w] = px.j[k];
      px.v[w] = px.v[k];
      ++w;
    }
    px.i.resize(w);
    px.j.resize(w);
    px.v.resize(w);
  }
  progress.update(0.05, "ICE: iterating");
  const Progress iterations = progress.sub(0.05, 1.0);

  if (opt.cis_only) {
    result.converged = true;
    // Compact pixels are in (bin1, bin2) order and cis-only, so each chromosome is one span.
    std::size_t first = 0;
    for (std::size_t c = 0; c + 1 < bins.chrom_offset.size(); ++c) {
      const auto lo = static_cast<std::size_t>(bins.chrom_offset[c]);
      const auto hi = static_cast<std::size_t>(bins.chrom_offset[c + 1]);
      std::size_t last = first;
      while (last < px.size() && static_cast<std::size_t>(px.i[last]) < hi)
        ++last;
      // Each chromosome's share of the iterations is its share of the pixels.
      const auto total = static_cast<double>(std::max<std::size_t>(px.size(), 1));
      const auto o =
          iterate(px, first, last, bias, lo, hi, opt,
                  iterations.sub(static_cast<double>(first) / total, static_cast<double>(last) / total),
                  bins.chroms[c].name + ": ");
      result.scale.push_back(o.scale);
      result.variance.push_back(o.variance);
      result.iterations = std::max(result.iterations, o.iterations);
      result.converged = result.converged && o.converged;
      first = last;
    }
  } else {
    const auto o = iterate(px, 0, px.size(), bias, 0, n, opt, iterations, "");
    result.scale = {o.scale};
    result.variance = {o.variance};
    result.iterations = o.iterations;
    result.converged = o.converged;
  }
  if (!result.converged) log::warning("ICE: iteration limit reached without convergence");
  result.weights = std::move(bias);
  progress.update(1.0, result.converged
                           ? "ICE converged after " + std::to_string(result.iterations) + " iterations"
                           : "ICE stopped at the iteration limit");
  return result;
}

IceResult ice(const ContactMap& map, const IceOptions& options, const Progress& progress) {
  progress.update(0.0, "reading pixels");
  auto pixels = map.all_pixels();
  progress.update(0.25, "sorting pixels");
  if (!map.symmetric()) std::erase_if(pixels, [](const Pixel& p) { return p.bin1 > p.bin2; });
  std::sort(pixels.begin(), pixels.end(), [](const Pixel& a, const Pixel& b) {
    return a.bin1 != b.bin1 ? a.bin1 < b.bin1 : a.bin2 < b.bin2;
  });
  return ice(map.bins(), pixels, options, map.symmetric(), progress.sub(0.3, 1.0));
}

std::vector<double> kr(const BinTable& bins, const std::vector<Pixel>& pixels, const KrOptions& opt,
                       const Progress& progress) {
  progress.update(0.0, "KR: masking sparse bins");
  check_pixels(bins, pixels);
  const auto n_all = static_cast<std::size_t>(bins.size());
  auto px = compact_pixels(bins, pixels, opt.ignore_diags, false);
  // Mask sparse bins, then index the kept ones densely.
  const auto nnz = marginals(px, 0, px.size(), n_all, true);
  std::vector<std::int32_t> index(n_all, -1);
  std::vector<std::size_t> kept;
  for (std::size_t k = 0; k < n_all; ++k)
    if (nnz[k] >= std::max(1, opt.min_nnz)) {
      index[k] = static_cast<std::int32_t>(kept.size());
      kept.push_back(k);
    }
  Compact a;
  for (std::size_t k = 0; k < px.size(); ++k) {
    const auto i = index[static_cast<std::size_t>(px.i[k])];
    const auto j = index[static_cast<std::size_t>(px.j[k])];
    if (i < 0 || j < 0) continue;
    a.i.push_back(i);
    a.j.push_back(j);
    a.v.push_back(px.v[k]);
  }
  const std::size_t n = kept.size();
  std::vector<double> weights(n_all, k_nan);
  if (n == 0) {
    progress.update(1.0, "KR: no bins to balance");
    return weights;
  }
  const auto matvec = [&](const std::vector<double>& x) { // y = A x for symmetric A
    std::vector<double> y(n, 0.0);
    for (std::size_t k = 0; k < a.size(); ++k) {
      const auto i = static_cast<std::size_t>(a.i[k]);
      const auto j = static_cast<std::size_t>(a.j[k]);
      y[i] += a.v[k] * x[j];
      if (i != j) y[j] += a.v[k] * x[i];
    }
    return y;
  };
  const auto dot = [](const std::vector<double>& p, const std::vector<double>& q) {
    return std::inner_product(p.begin(), p.end(), q.begin(), 0.0);
  };
  // Knight & Ruiz, "A fast algorithm for matrix balancing" (IMA J. Numer. Anal. 2013), Alg. "bnewt".
  const double delta = 0.1;
  const double upper = 3.0;
  const double g = 0.9;
  const double eta_max = 0.1;
  double eta = eta_max;
  const double stop_tol = opt.tol * 0.5;
  const double rt = opt.tol * opt.tol;
  std::vector<double> x(n, 1.0);
  auto ax = matvec(x);
  std::vector<double> v(n), rk(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = x[i] * ax[i];
    rk[i] = 1 - v[i];
  }
  double rho_km1 = dot(rk, rk);
  double rout = rho_km1;
  double rold = rout;
  const double first_residual = rout;
  double shown = 0;
  const Progress steps = progress.sub(0.05, 1.0);
  steps.update(0.0, "KR: Newton steps");
  int outer = 0;
  std::vector<double> y(n), z(n), p(n), w(n), xp(n);
  while (rout > rt) {
    if (++outer > opt.max_iters)
      throw InputError("KR balancing did not converge in " + std::to_string(opt.max_iters) + " steps");
    std::fill(y.begin(), y.end(), 1.0);
    const double inner_tol = std::max(eta * eta * rout, rt);
    double rho_km2 = 0;
    int k = 0;
    while (rho_km1 > inner_tol) {
      progress.check(); // each conjugate-gradient step is a pass over the pixels
      ++k;
      if (k == 1) {
        for (std::size_t i = 0; i < n; ++i)
          z[i] = rk[i] / v[i];
        p = z;
        rho_km1 = dot(rk, z);
      } else {
        const double beta = rho_km1 / rho_km2;
        for (std::size_t i = 0; i < n; ++i)
          p[i] = z[i] + beta * p[i];
      }
      for (std::size_t i = 0; i < n; ++i)
        xp[i] = x[i] * p[i];
      const auto axp = matvec(xp);
      for (std::size_t i = 0; i < n; ++i)
        w[i] = x[i] * axp[i] + v[i] * p[i];
      const double alpha = rho_km1 / dot(p, w);
      bool stop = false;
      double ymin = std::numeric_limits<double>::infinity();
      double ymax = -ymin;
      for (std::size_t i = 0; i < n; ++i) {
        const double yn = y[i] + alpha * p[i];
        ymin = std::min(ymin, yn);
        ymax = std::max(ymax, yn);
      }
      if (ymin <= delta) {
        double gamma = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < n; ++i)
          if (alpha * p[i] < 0) gamma = std::min(gamma, (delta - y[i]) / (alpha * p[i]));
        for (std::size_t i = 0; i < n; ++i)
          y[i] += gamma * alpha * p[i];
        stop = true;
      } else if (ymax >= upper) {
        double gamma = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < n; ++i)
          if (y[i] + alpha * p[i] > upper) gamma = std::min(gamma, (upper - y[i]) / (alpha * p[i]));
        for (std::size_t i = 0; i < n; ++i)
          y[i] += gamma * alpha * p[i];
        stop = true;
      }
      if (stop) break;
      for (std::size_t i = 0; i < n; ++i) {
        y[i] += alpha * p[i];
        rk[i] -= alpha * w[i];
      }
      rho_km2 = rho_km1;
      for (std::size_t i = 0; i < n; ++i)
        z[i] = rk[i] / v[i];
      rho_km1 = dot(rk, z);
    }
    for (std::size_t i = 0; i < n; ++i)
      x[i] *= y[i];
    ax = matvec(x);
    for (std::size_t i = 0; i < n; ++i) {
      v[i] = x[i] * ax[i];
      rk[i] = 1 - v[i];
    }
    rho_km1 = dot(rk, rk);
    rout = rho_km1;
    const double rat = rout / rold;
    rold = rout;
    const double res_norm = std::sqrt(rout);
    const double eta_o = eta;
    eta = g * rat;
    if (g * eta_o * eta_o > 0.1) eta = std::max(eta, g * eta_o * eta_o);
    eta = std::max(std::min(eta, eta_max), stop_tol / res_norm);
    shown =
        std::max(shown, convergence_share(first_residual, rout, rt,
                                          static_cast<double>(outer) / static_cast<double>(opt.max_iters)));
    steps.update(shown, "KR Newton step " + std::to_string(outer) + " of at most " +
                            std::to_string(opt.max_iters) + ", residual " + short_number(std::sqrt(rout)));
  }
  for (std::size_t i = 0; i < n; ++i)
    weights[kept[i]] = x[i];
  progress.update(1.0, "KR converged after " + std::to_string(outer) + " Newton steps");
  return weights;
}

std::vector<double> vc(const BinTable& bins, const std::vector<Pixel>& pixels, bool square_root,
                       const Progress& progress) {
  progress.update(0.0, "coverage: row sums");
  check_pixels(bins, pixels);
  const auto n = static_cast<std::size_t>(bins.size());
  const auto px = compact_pixels(bins, pixels, 0, false);
  const auto rows = marginals(px, 0, px.size(), n);
  progress.update(0.6, "coverage: scaling");
  std::vector<double> w(n, k_nan);
  for (std::size_t k = 0; k < n; ++k)
    if (rows[k] > 0) w[k] = square_root ? 1.0 / std::sqrt(rows[k]) : 1.0 / rows[k];
  double raw = 0;
  double balanced = 0;
  for (std::size_t k = 0; k < px.size(); ++k) {
    const auto i = static_cast<std::size_t>(px.i[k]);
    const auto j = static_cast<std::size_t>(px.j[k]);
    const double mult = i == j ? 1.0 : 2.0;
    raw += mult * px.v[k];
    balanced += mult * px.v[k] * w[i] * w[j];
  }
  if (balanced > 0) {
    const double s = std::sqrt(raw / balanced);
    for (auto& x : w)
      x *= s;
  }
  progress.update(1.0, "coverage done");
  return w;
}

BalanceMethod parse_balance_method(const std::string& name) {
  if (name == "none" || name == "raw") return BalanceMethod::none;
  if (name == "file" || name == "stored") return BalanceMethod::file;
  if (name == "ice") return BalanceMethod::ice;
  if (name == "kr") return BalanceMethod::kr;
  if (name == "vc") return BalanceMethod::vc;
  if (name == "vc_sqrt") return BalanceMethod::vc_sqrt;
  throw InputError("unknown balancing method '" + name + "' (none, file, ice, kr, vc, vc_sqrt)");
}

std::string to_string(BalanceMethod method) {
  switch (method) {
  case BalanceMethod::none: return "none";
  case BalanceMethod::file: return "file";
  case BalanceMethod::ice: return "ice";
  case BalanceMethod::kr: return "kr";
  case BalanceMethod::vc: return "vc";
  case BalanceMethod::vc_sqrt: return "vc_sqrt";
  }
  return "none";
}

Weights compute_weights(const ContactMap& map, BalanceMethod method, const Progress& progress) {
  switch (method) {
  case BalanceMethod::none: return {};
  case BalanceMethod::file: {
    progress.update(0.0, "reading weights");
    Weights w = map.weights(map.default_weight_name());
    progress.update(1.0, "read weights");
    return w;
  }
  case BalanceMethod::ice: return Weights::multiplicative(ice(map, {}, progress).weights);
  default: break;
  }
  progress.update(0.0, "reading pixels");
  auto pixels = map.all_pixels();
  if (!map.symmetric()) std::erase_if(pixels, [](const Pixel& p) { return p.bin1 > p.bin2; });
  const Progress rest = progress.sub(0.3, 1.0);
  if (method == BalanceMethod::kr) return Weights::multiplicative(kr(map.bins(), pixels, {}, rest));
  return Weights::multiplicative(vc(map.bins(), pixels, method == BalanceMethod::vc_sqrt, rest));
}

} // namespace gc::hic
