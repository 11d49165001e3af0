// PIDC network inference (definitions in pidc.h).
#include "gc/grn/pidc.h"

#include "gc/util/error.h"
#include "gc/util/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace gc::grn {
namespace {

void run_parallel(int threads, std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn) {
  if (threads == 1) {
    fn(0, n);
  } else if (threads <= 0) {
    default_pool().parallel_for(0, n, 1, fn);
  } else {
    ThreadPool pool(static_cast<std::size_t>(threads - 1));
    pool.parallel_for(0, n, 1, fn);
  }
}

double digamma(double x) {
  double r = 0.0;
  for (; x < 6.0; x += 1.0)
    r -= 1.0 / x;
  const double f = 1.0 / (x * x);
  return r + std::log(x) - 0.5 / x -
         f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

double trigamma(double x) {
  double r = 0.0;
  for (; x < 6.0; x += 1.0)
    r += 1.0 / (x * x);
  const double f = 1.0 / (x * x);
  return r + 1.0 / x + f / 2.0 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
}

// Regularised lower incomplete gamma P(a, x): its power series below a + 1, else one minus the
// continued fraction of Q (modified Lentz), the usual split for fast convergence.
double gamma_p(double a, double x) {
  if (!(x > 0.0)) return 0.0;
  const double log_prefix = -x + a * std::log(x) - std::lgamma(a);
  constexpr double eps = 1e-15;
  if (x < a + 1.0) {
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n < 10000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::abs(term) < std::abs(sum) * eps) break;
    }
    return std::min(1.0, sum * std::exp(log_prefix));
  }
  constexpr double tiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / tiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < eps) break;
  }
  return std::max(0.0, 1.0 - std::exp(log_prefix) * h);
}

// Maximum-likelihood Gamma fit (Minka's Newton iteration on the shape); false when the scores
// admit none: fewer than 2, any <= 0, or all equal (the package's fit then throws too).
struct GammaFit {
  double shape = 0.0;
  double scale = 0.0;
};
bool fit_gamma(const std::vector<double>& x, GammaFit& out) {
  if (x.size() < 2) return false;
  double sum = 0.0;
  double sum_log = 0.0;
  for (const double v : x) {
    if (!(v > 0.0) || !std::isfinite(v)) return false;
    sum += v;
    sum_log += std::log(v);
  }
  const double mean = sum / static_cast<double>(x.size());
  const double log_mean = std::log(mean);
  const double mean_log = sum_log / static_cast<double>(x.size());
  const double gap = log_mean - mean_log; // >= 0 by Jensen, 0 when all equal
  if (!(gap > 1e-14)) return false;
  double a = 0.5 / gap;
  for (int it = 0; it < 1000; ++it) {
    const double previous = a;
    const double ia = 1.0 / a;
    a = 1.0 / (ia + (mean_log - log_mean + std::log(a) - digamma(a)) / (a * a * (ia - trigamma(a))));
    if (!std::isfinite(a) || a <= 0.0) return false;
    if (std::abs(a - previous) <= 1e-12 * a) break;
  }
  out.shape = a;
  out.scale = mean / a;
  return true;
}

// Mutual information and both specific informations of one pair of discretised genes.
struct PairInfo {
  double mi = 0.0;
  std::vector<double> si_about_b; // I(B=b; A) per bin of b
  std::vector<double> si_about_a; // I(A=a; B) per bin of a
};

PairInfo pair_info(const Discretised& a, const Discretised& b, std::vector<double>& joint) {
  const auto na = static_cast<std::size_t>(a.count);
  const auto nb = static_cast<std::size_t>(b.count);
  joint.assign(na * nb, 0.0);
  const std::size_t n = a.bins.size();
  for (std::size_t s = 0; s < n; ++s)
    joint[static_cast<std::size_t>(a.bins[s]) * nb + static_cast<std::size_t>(b.bins[s])] += 1.0;
  std::vector<double> pa(na, 0.0);
  std::vector<double> pb(nb, 0.0);
  const double inv = 1.0 / static_cast<double>(n);
  for (std::size_t i = 0; i < na; ++i) {
    for (std::size_t j = 0; j < nb; ++j) {
      auto& p = joint[i * nb + j];
      p *= inv;
      pa[i] += p;
      pb[j] += p;
    }
  }
  PairInfo out;
  out.si_about_a.assign(na, 0.0);
  out.si_about_b.assign(nb, 0.0);
  for (std::size_t i = 0; i < na; ++i) {
    for (std::size_t j = 0; j < nb; ++j) {
      const double p = joint[i * nb + j];
      if (p <= 0.0) continue;
      const double l = std::log2(p / (pa[i] * pb[j]));
      out.mi += p * l;
      out.si_about_b[j] += p / pb[j] * l; // p(a|b) log p(b|a)/p(b)
      out.si_about_a[i] += p / pa[i] * l;
    }
  }
  return out;
}

} // namespace

Discretised bayesian_blocks(const float* values, std::int64_t n) {
  Discretised out;
  out.bins.assign(static_cast<std::size_t>(n), 0);
  std::vector<double> sorted(values, values + n);
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> unique;
  std::vector<double> counts;
  for (const double v : sorted) {
    if (unique.empty() || v != unique.back()) {
      unique.push_back(v);
      counts.push_back(0.0);
    }
    counts.back() += 1.0;
  }
  const std::size_t u = unique.size();
  if (u < 2) return out;

  std::vector<double> edges(u + 1);
  edges[0] = unique[0];
  for (std::size_t i = 1; i < u; ++i)
    edges[i] = 0.5 * (unique[i - 1] + unique[i]);
  edges[u] = unique[u - 1];

  // Optimal partition of the first K distinct values: best[K-1] its fitness, last[K-1] where
  // its last block starts.
  std::vector<double> best(u);
  std::vector<std::size_t> last(u);
  std::vector<double> block_count(u, 0.0);
  for (std::size_t k = 1; k <= u; ++k) {
    const double prior = 4.0 - std::log(73.53 * 0.05 * std::pow(static_cast<double>(k), -0.478));
    double top = -std::numeric_limits<double>::infinity();
    std::size_t arg = 0;
    for (std::size_t i = 0; i < k; ++i) {
      block_count[i] += counts[k - 1];
      const double width = edges[k] - edges[i];
      double fit = block_count[i] * std::log(block_count[i] / width) - prior;
      if (i > 0) fit += best[i - 1];
      if (fit > top) {
        top = fit;
        arg = i;
      }
    }
    best[k - 1] = top;
    last[k - 1] = arg;
  }
  std::vector<std::size_t> starts; // first distinct value of each block, from the right
  for (std::size_t end = u; end > 0;) {
    end = last[end - 1];
    starts.push_back(end);
  }
  std::reverse(starts.begin(), starts.end());
  out.count = static_cast<std::int32_t>(starts.size());

  std::vector<std::int32_t> block_of(u);
  for (std::size_t b = 0; b < starts.size(); ++b) {
    const std::size_t end = b + 1 < starts.size() ? starts[b + 1] : u;
    for (std::size_t i = starts[b]; i < end; ++i)
      block_of[i] = static_cast<std::int32_t>(b);
  }
  for (std::int64_t s = 0; s < n; ++s) {
    const auto it = std::lower_bound(unique.begin(), unique.end(), static_cast<double>(values[s]));
    out.bins[static_cast<std::size_t>(s)] = block_of[static_cast<std::size_t>(it - unique.begin())];
  }
  return out;
}

std::vector<double> puc_scores(const std::vector<Discretised>& genes, int threads, const Progress& progress) {
  const std::size_t n = genes.size();
  // mi[x*n+z] and si[x*n+z] = I(Z=z; X) over the bins of z (source x, target z).
  std::vector<double> mi(n * n, 0.0);
  std::vector<std::vector<double>> si(n * n);
  run_parallel(threads, n, [&](std::size_t begin, std::size_t end) {
    std::vector<double> joint;
    for (std::size_t a = begin; a < end; ++a) {
      progress.check();
      for (std::size_t b = a + 1; b < n; ++b) {
        auto info = pair_info(genes[a], genes[b], joint);
        mi[a * n + b] = mi[b * n + a] = info.mi;
        si[a * n + b] = std::move(info.si_about_b);
        si[b * n + a] = std::move(info.si_about_a);
      }
    }
  });
  std::vector<std::vector<double>> p_bins(n);
  for (std::size_t g = 0; g < n; ++g) {
    p_bins[g].assign(static_cast<std::size_t>(genes[g].count), 0.0);
    for (const auto b : genes[g].bins)
      p_bins[g][static_cast<std::size_t>(b)] += 1.0 / static_cast<double>(genes[g].bins.size());
  }

  // directed[x*n+z] = Σ_y U_X(Z | Y) / I(X;Z); each target writes only its own column.
  std::vector<double> directed(n * n, 0.0);
  ProgressCounter counter(progress, n, "PIDC triplets");
  run_parallel(threads, n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t z = begin; z < end; ++z) {
      const auto& pz = p_bins[z];
      for (std::size_t x = 0; x < n; ++x) {
        if (x == z) continue;
        const auto& sx = si[x * n + z];
        const double mx = mi[x * n + z];
        for (std::size_t y = x + 1; y < n; ++y) {
          if (y == z) continue;
          const auto& sy = si[y * n + z];
          double redundancy = 0.0;
          for (std::size_t t = 0; t < pz.size(); ++t)
            redundancy += pz[t] * std::min(sx[t], sy[t]);
          const double my = mi[y * n + z];
          const double ux = (mx - redundancy) / mx;
          const double uy = (my - redundancy) / my;
          directed[x * n + z] += std::isfinite(ux) ? ux : 0.0;
          directed[y * n + z] += std::isfinite(uy) ? uy : 0.0;
        }
      }
      counter.add();
    }
  });
  std::vector<double> puc(n * n, 0.0);
  for (std::size_t x = 0; x < n; ++x) {
    for (std::size_t z = 0; z < n; ++z)
      if (x != z) puc[x * n + z] = directed[x * n + z] + directed[z * n + x];
  }
  return puc;
}

std::vector<ScoredEdge> pidc(const GeneColumns& data, const PidcOptions& options, const Progress& progress) {
  const auto n_genes = data.n_genes();
  if (n_genes > max_pidc_genes) {
    throw InputError("PIDC scores every triplet of genes (cost grows with genes³); " +
                     std::to_string(n_genes) + " genes is more than the " + std::to_string(max_pidc_genes) +
                     " it accepts: restrict the matrix to fewer genes");
  }
  const auto n = static_cast<std::size_t>(n_genes);
  std::vector<Discretised> genes(n);
  run_parallel(options.threads, n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t g = begin; g < end; ++g) {
      progress.check();
      genes[g] = bayesian_blocks(data.column(static_cast<std::int64_t>(g)), data.samples);
    }
  });
  const auto puc = puc_scores(genes, options.threads, progress.sub(0.0, 0.95));

  // The context of each gene: its PUC scores with every other gene.
  std::vector<std::vector<double>> context(n);
  std::vector<GammaFit> fits(n);
  std::vector<bool> fitted(n);
  std::vector<double> mean(n);
  std::vector<double> var(n);
  for (std::size_t g = 0; g < n; ++g) {
    for (std::size_t o = 0; o < n; ++o)
      if (o != g) context[g].push_back(puc[o * n + g]);
    fitted[g] = fit_gamma(context[g], fits[g]);
    const auto m = static_cast<double>(context[g].size());
    mean[g] = std::accumulate(context[g].begin(), context[g].end(), 0.0) / m;
    double ss = 0.0;
    for (const double v : context[g])
      ss += (v - mean[g]) * (v - mean[g]);
    var[g] = m > 1 ? ss / (m - 1) : 0.0;
  }
  const auto clr_term = [&](std::size_t g, double score) {
    const double d = score - mean[g];
    return var[g] > 0.0 && d > 0.0 ? d * d / var[g] : 0.0;
  };

  std::vector<bool> regulator(n, false);
  for (const auto r : data.regulators)
    regulator[static_cast<std::size_t>(r)] = true;
  std::vector<ScoredEdge> edges;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double score = puc[i * n + j];
      const double w = fitted[i] && fitted[j] ? gamma_p(fits[i].shape, score / fits[i].scale) +
                                                    gamma_p(fits[j].shape, score / fits[j].scale)
                                              : std::sqrt(clr_term(i, score) + clr_term(j, score));
      if (regulator[i]) edges.push_back({data.genes[i], data.genes[j], w});
      if (regulator[j]) edges.push_back({data.genes[j], data.genes[i], w});
    }
  }
  sort_edges(edges);
  progress.update(1.0);
  return edges;
}

} // namespace gc::grn
