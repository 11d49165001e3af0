#include "gc/hic/bench.h"

#include "gc/hic/balance.h"
#include "gc/hic/cooler.h"
#include "gc/hic/query.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/thread_pool.h"
#include "gc/util/timing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

namespace gc::hic {

namespace fs = std::filesystem;

namespace {

double median_of(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const auto n = x.size();
  return n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

// Distance-decay band with per-bin coverage biases (so that balancing has work to do), plus
// sparse long-range cis and trans contacts. Sorted by (bin1, bin2), repeats summed.
std::vector<Pixel> synthetic_pixels(const BinTable& bins, const HicBenchOptions& o) {
  Rng rng(o.seed);
  const auto n = bins.size();
  std::vector<double> coverage(static_cast<std::size_t>(n));
  for (auto& c : coverage)
    c = rng.uniform(0.4, 1.6);
  std::vector<Pixel> px;
  px.reserve(static_cast<std::size_t>(n) * static_cast<std::size_t>(o.band + o.long_range + o.trans));
  for (std::int64_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(bins.chrom[static_cast<std::size_t>(i)]);
    const auto lo = bins.chrom_offset[c];
    const auto hi = bins.chrom_offset[c + 1];
    for (std::int64_t d = 0; d < o.band && i + d < hi; ++d) {
      const double mean = 200.0 * coverage[static_cast<std::size_t>(i)] *
                          coverage[static_cast<std::size_t>(i + d)] / (1.0 + static_cast<double>(d));
      const auto v = rng.poisson(mean);
      if (v > 0) px.push_back({i, i + d, static_cast<double>(v)});
    }
    if (hi - lo > o.band)
      for (int k = 0; k < o.long_range; ++k) {
        const auto j = lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo)));
        if (std::abs(j - i) >= o.band) px.push_back({std::min(i, j), std::max(i, j), 1.0 + rng.poisson(1.0)});
      }
    if (hi - lo < n)
      for (int k = 0; k < o.trans; ++k) {
        const auto j = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(n)));
        if (j < lo || j >= hi) px.push_back({std::min(i, j), std::max(i, j), 1.0});
      }
  }
  std::sort(px.begin(), px.end(), [](const Pixel& a, const Pixel& b) {
    return a.bin1 != b.bin1 ? a.bin1 < b.bin1 : a.bin2 < b.bin2;
  });
  std::size_t w = 0;
  for (std::size_t k = 0; k < px.size(); ++k) {
    if (w > 0 && px[w - 1].bin1 == px[k].bin1 && px[w - 1].bin2 == px[k].bin2) {
      px[w - 1].count += px[k].count;
      continue;
    }
    px[w++] = px[k];
  }
  px.resize(w);
  return px;
}

// The textbook ICE iteration, single-threaded over the Pixel array: what a straightforward
// implementation without compaction or threads does.
void plain_ice_iterations(std::size_t nbins, const std::vector<Pixel>& px, int iterations) {
  std::vector<double> bias(nbins, 1.0);
  std::vector<double> marg(nbins);
  for (int it = 0; it < iterations; ++it) {
    std::fill(marg.begin(), marg.end(), 0.0);
    for (const auto& p : px) {
      if (p.bin2 - p.bin1 < 2) continue;
      const auto i = static_cast<std::size_t>(p.bin1);
      const auto j = static_cast<std::size_t>(p.bin2);
      const double v = p.count * bias[i] * bias[j];
      marg[i] += v;
      marg[j] += v;
    }
    double sum = 0;
    std::size_t nz = 0;
    for (const double m : marg)
      if (m != 0) {
        sum += m;
        ++nz;
      }
    const double mean = sum / static_cast<double>(std::max<std::size_t>(nz, 1));
    for (std::size_t k = 0; k < nbins; ++k)
      if (marg[k] != 0) bias[k] /= marg[k] / mean;
  }
  if (!std::isfinite(std::accumulate(bias.begin(), bias.end(), 0.0)))
    throw Error("hic benchmark: the baseline ICE produced non-finite weights");
}

Json result(const std::string& name, const std::string& backend, Json params, double seconds,
            std::uint64_t peak, Json baseline, double base_seconds, std::uint64_t base_peak) {
  Json r = Json::object();
  r["name"] = name;
  r["backend"] = backend;
  r["device"] = "cpu";
  r["dtype"] = "f64";
  r["params"] = std::move(params);
  r["seconds"] = seconds;
  r["peak_bytes"] = peak;
  r["baseline"] = std::move(baseline);
  r["speedup"] = base_seconds / seconds;
  r["memory_ratio"] = base_peak > 0 ? static_cast<double>(peak) / static_cast<double>(base_peak) : 0.0;
  return r;
}

} // namespace

Json bench_hic(const fs::path& work_dir, const HicBenchOptions& o) {
  if (o.bins < 2 * o.chromosomes || o.chromosomes < 1 || o.window < 1 || o.query_repeats < 1 ||
      o.baseline_repeats < 1 || o.baseline_iterations < 1)
    throw InputError("hic benchmark: invalid sizes");
  fs::create_directories(work_dir);
  const std::int64_t per_chrom = o.bins / o.chromosomes;
  if (o.window > per_chrom) throw InputError("hic benchmark: --window is larger than a chromosome");
  std::vector<Chrom> chroms;
  for (int c = 0; c < o.chromosomes; ++c)
    chroms.push_back({"chr" + std::to_string(c + 1), per_chrom * o.bin_size});
  const auto bins = BinTable::fixed(chroms, o.bin_size);

  Stopwatch clock;
  auto pixels = synthetic_pixels(bins, o);
  const double generate_seconds = clock.seconds();
  const auto nnz = static_cast<std::int64_t>(pixels.size());

  // ---- ICE throughput ----
  const std::uint64_t rss_before_ice = current_rss_bytes();
  reset_peak_rss();
  clock.reset();
  IceOptions ice_opt; // cooler's current defaults
  const auto balanced = ice(bins, pixels, ice_opt);
  const double ice_seconds = clock.seconds();
  const std::uint64_t ice_peak = peak_rss_bytes();
  const double ice_rate = static_cast<double>(nnz) * balanced.iterations / ice_seconds;

  reset_peak_rss();
  clock.reset();
  plain_ice_iterations(static_cast<std::size_t>(bins.size()), pixels, o.baseline_iterations);
  const double base_ice_seconds = clock.seconds();
  const std::uint64_t base_ice_peak = peak_rss_bytes();
  const double base_rate = static_cast<double>(nnz) * o.baseline_iterations / base_ice_seconds;

  // ---- write the cooler with the weights ----
  const auto file = work_dir / "bench.cool";
  CoolerWriteOptions wopt;
  wopt.bin_columns["weight"] = balanced.weights;
  clock.reset();
  write_cooler(file, bins, pixels, wopt);
  const double write_seconds = clock.seconds();
  const auto file_bytes = static_cast<std::int64_t>(fs::file_size(file));
  pixels.clear();
  pixels.shrink_to_fit();

  Json ice_params = Json::object();
  ice_params["bins"] = bins.size();
  ice_params["chromosomes"] = o.chromosomes;
  ice_params["nnz"] = nnz;
  ice_params["iterations"] = balanced.iterations;
  ice_params["converged"] = balanced.converged;
  ice_params["final_variance"] = balanced.variance.front();
  ice_params["final_mean_marginal"] = balanced.scale.front();
  ice_params["pool_threads"] = static_cast<std::int64_t>(default_pool().size()); // plus the caller
  ice_params["hardware_threads"] = static_cast<std::int64_t>(std::thread::hardware_concurrency());
  ice_params["ignore_diags"] = ice_opt.ignore_diags;
  ice_params["min_nnz"] = ice_opt.min_nnz;
  ice_params["mad_max"] = ice_opt.mad_max;
  ice_params["tol"] = ice_opt.tol;
  Json ice_base = Json::object();
  ice_base["name"] = "plain_single_thread_coo_ice";
  ice_base["seconds"] = base_ice_seconds / o.baseline_iterations * balanced.iterations;
  ice_base["measured_iterations"] = o.baseline_iterations;
  ice_base["peak_bytes"] = base_ice_peak;
  ice_base["nnz_iterations_per_second"] = base_rate;
  Json results = Json::array();
  auto r_ice = result("ice_throughput", "gc::hic::ice", std::move(ice_params), ice_seconds, ice_peak,
                      std::move(ice_base), base_ice_seconds / o.baseline_iterations * balanced.iterations,
                      base_ice_peak);
  r_ice["nnz_iterations_per_second"] = ice_rate;
  r_ice["peak_bytes_above_start"] = ice_peak > rss_before_ice ? ice_peak - rss_before_ice : 0;
  r_ice["note"] = "whole ice() call (filters, compaction, iterations to convergence) against the plain loop "
                  "timed on measured_iterations and scaled to the same iteration count; peak_bytes is "
                  "process peak RSS during each phase, with the pixel array already resident";
  results.push_back(std::move(r_ice));

  // ---- balanced region query ----
  const CoolerMap map(file.string());
  QueryOptions q;
  q.weights = map.weights("weight");
  const int chrom = o.chromosomes / 2;
  const auto whole = chromosome_range(map.bins(), chrom);
  const BinRange window{chrom, whole.lo + (whole.size() - o.window) / 2,
                        whole.lo + (whole.size() - o.window) / 2 + o.window};
  reset_peak_rss();
  Eigen::MatrixXd ours = fetch_dense(map, window, window, q); // warm-up
  std::vector<double> times;
  for (int k = 0; k < o.query_repeats; ++k) {
    clock.reset();
    ours = fetch_dense(map, window, window, q);
    times.push_back(clock.seconds());
  }
  const double query_seconds = median_of(times);
  const std::uint64_t query_peak = peak_rss_bytes();

  // Baseline: no row index use beyond the chromosome; read every pixel of the chromosome and cut
  // the window out of it.
  Eigen::MatrixXd base;
  std::int64_t chrom_pixels = 0;
  const auto scan = [&] {
    base = Eigen::MatrixXd::Zero(window.size(), window.size());
    const auto all = map.fetch_stored(whole.lo, whole.hi, whole.lo, whole.hi);
    chrom_pixels = static_cast<std::int64_t>(all.size());
    for (const auto& p : all) {
      if (p.bin1 < window.lo || p.bin1 >= window.hi || p.bin2 < window.lo || p.bin2 >= window.hi) continue;
      const double v = p.count * q.weights.factor(p.bin1) * q.weights.factor(p.bin2);
      base(p.bin1 - window.lo, p.bin2 - window.lo) = v;
      base(p.bin2 - window.lo, p.bin1 - window.lo) = v;
    }
    for (std::int64_t k = window.lo; k < window.hi; ++k)
      if (std::isnan(q.weights.factor(k))) {
        base.row(k - window.lo).setConstant(std::numeric_limits<double>::quiet_NaN());
        base.col(k - window.lo).setConstant(std::numeric_limits<double>::quiet_NaN());
      }
  };
  reset_peak_rss();
  scan(); // warm-up
  times.clear();
  for (int k = 0; k < o.baseline_repeats; ++k) {
    clock.reset();
    scan();
    times.push_back(clock.seconds());
  }
  const double scan_seconds = median_of(times);
  const std::uint64_t scan_peak = peak_rss_bytes();
  std::int64_t differing = 0;
  for (Eigen::Index i = 0; i < ours.rows(); ++i)
    for (Eigen::Index j = 0; j < ours.cols(); ++j) {
      const double a = ours(i, j), b = base(i, j);
      if (std::isnan(a) != std::isnan(b) || (!std::isnan(a) && std::abs(a - b) > 1e-12 * std::abs(b)))
        ++differing;
    }
  if (differing > 0)
    throw Error("hic benchmark: the region query and the chromosome scan disagree on " +
                std::to_string(differing) + " entries");

  Json q_params = Json::object();
  q_params["bins"] = bins.size();
  q_params["nnz"] = nnz;
  q_params["bin_size"] = o.bin_size;
  q_params["window_bins"] = o.window;
  q_params["region"] = bins.chroms[static_cast<std::size_t>(chrom)].name + ":" +
                       std::to_string(bins.start[static_cast<std::size_t>(window.lo)] + 1) + "-" +
                       std::to_string(bins.end[static_cast<std::size_t>(window.hi - 1)]);
  q_params["repeats"] = o.query_repeats;
  q_params["density"] = "every cis pixel within " + std::to_string(o.band) +
                        " diagonals (Poisson, mean 200 x "
                        "coverage_i x coverage_j / (1 + d)), plus " +
                        std::to_string(o.long_range) + " random long-range cis and " +
                        std::to_string(o.trans) + " random trans pixels per row";
  q_params["file_bytes"] = file_bytes;
  q_params["generate_seconds"] = generate_seconds;
  q_params["write_seconds"] = write_seconds;
  Json q_base = Json::object();
  q_base["name"] = "read_whole_chromosome_then_cut";
  q_base["seconds"] = scan_seconds;
  q_base["peak_bytes"] = scan_peak;
  q_base["pixels_read"] = chrom_pixels;
  q_base["repeats"] = o.baseline_repeats;
  auto r_q = result("balanced_region_query", "gc::hic::fetch_dense on CoolerMap", std::move(q_params),
                    query_seconds, query_peak, std::move(q_base), scan_seconds, scan_peak);
  r_q["note"] = "warm median; window on the diagonal in the middle of a chromosome; the baseline result is "
                "checked equal to ours";
  results.push_back(std::move(r_q));
  return results;
}

} // namespace gc::hic
