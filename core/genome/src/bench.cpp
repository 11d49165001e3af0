#include "gc/genome/bench.h"

#include "gc/genome/fasta.h"
#include "gc/genome/writers.h"
#include "hts_handles.h"

#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/timing.h"

#include <atomic>
#include <thread>

namespace gc::genome {

namespace fs = std::filesystem;

namespace {

struct Fetch {
  std::size_t chrom;
  std::int64_t start;
};

// Runs fn(begin, end) over [0, n) split across `threads` threads and returns the wall time.
template <typename F>
double timed_parallel(std::size_t n, int threads, F&& fn) {
  const Stopwatch clock;
  std::vector<std::thread> pool;
  const std::size_t per = (n + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  for (int t = 0; t < threads; ++t) {
    const std::size_t b = std::min(n, per * static_cast<std::size_t>(t));
    const std::size_t e = std::min(n, b + per);
    pool.emplace_back([&fn, b, e] { fn(b, e); });
  }
  for (auto& th : pool)
    th.join();
  return clock.seconds();
}

} // namespace

Json bench_fasta_fetch(const fs::path& work_dir, const FastaBenchOptions& options) {
  detail::quiet_htslib();
  if (options.threads < 1 || options.fetches < 1 || options.region_length < 1) {
    throw InputError("FASTA benchmark: threads, fetches and region length must be positive");
  }
  // Synthetic genome: 4 chromosomes of random bases.
  Rng rng(options.seed);
  std::vector<FastaSequence> sequences;
  constexpr char bases[4] = {'A', 'C', 'G', 'T'};
  const std::int64_t per_chrom = std::max<std::int64_t>(options.genome_bases / 4, options.region_length);
  for (int c = 0; c < 4; ++c) {
    FastaSequence s{"chr" + std::to_string(c + 1), std::string(static_cast<std::size_t>(per_chrom), 'A')};
    for (auto& b : s.sequence)
      b = bases[rng.below(4)];
    sequences.push_back(std::move(s));
  }
  fs::create_directories(work_dir);
  const fs::path fasta = work_dir / "bench_genome.fa.gz";
  write_fasta_bgzip(fasta, sequences);

  const auto total = static_cast<std::size_t>(options.fetches);
  std::vector<Fetch> plan(total);
  for (auto& f : plan) {
    f.chrom = static_cast<std::size_t>(rng.below(sequences.size()));
    f.start = static_cast<std::int64_t>(
        rng.below(static_cast<std::uint64_t>(per_chrom - options.region_length + 1)));
  }

  // Ours: one reader, pooled handles with their block caches, warmed by one pass.
  reset_peak_rss();
  const FastaReader reader(fasta);
  std::atomic<std::size_t> mismatches{0};
  const double warmup_seconds = timed_parallel(
      std::min<std::size_t>(total, 20'000), options.threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          const auto& f = plan[i];
          const std::string s =
              reader.fetch(sequences[f.chrom].name, f.start, f.start + options.region_length);
          if (s.compare(0, s.size(), sequences[f.chrom].sequence, static_cast<std::size_t>(f.start),
                        s.size()) != 0) {
            ++mismatches;
          }
        }
      });
  const double ours = timed_parallel(total, options.threads, [&](std::size_t b, std::size_t e) {
    std::size_t checksum = 0;
    for (std::size_t i = b; i < e; ++i) {
      const auto& f = plan[i];
      checksum += reader.fetch(sequences[f.chrom].name, f.start, f.start + options.region_length).size();
    }
    if (checksum != (e - b) * static_cast<std::size_t>(options.region_length)) ++mismatches;
  });
  const std::uint64_t ours_peak = peak_rss_bytes();
  if (mismatches.load() != 0) throw Error("FASTA benchmark: fetched bases differ from the written sequence");

  // Baseline: what naive code does, opening the indexed file for every fetch.
  const auto n_base = static_cast<std::size_t>(std::min(options.baseline_fetches, options.fetches));
  const std::string gzi = fasta.string() + ".gzi";
  const std::string fai = fasta.string() + ".fai";
  reset_peak_rss();
  const double base = timed_parallel(n_base, options.threads, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const auto& f = plan[i];
      detail::FaiPtr h(fai_load3(fasta.c_str(), fai.c_str(), gzi.c_str(), 0));
      hts_pos_t len = 0;
      detail::MallocPtr<char> s(h ? faidx_fetch_seq64(h.get(), sequences[f.chrom].name.c_str(), f.start,
                                                      f.start + options.region_length - 1, &len)
                                  : nullptr);
      if (!s || len != options.region_length) ++mismatches;
    }
  });
  const std::uint64_t base_peak = peak_rss_bytes();
  if (mismatches.load() != 0) throw Error("FASTA benchmark: the baseline fetch failed");
  const double base_scaled = base * static_cast<double>(total) / static_cast<double>(n_base);

  Json params = Json::object();
  params["genome_bases"] = per_chrom * 4;
  params["chromosomes"] = 4;
  params["fetches"] = options.fetches;
  params["region_length"] = options.region_length;
  params["threads"] = options.threads;
  params["compressed_bytes"] = static_cast<std::int64_t>(fs::file_size(fasta));
  Json baseline = Json::object();
  baseline["name"] = "faidx_open_per_fetch";
  baseline["seconds"] = base_scaled;
  baseline["peak_bytes"] = base_peak;
  baseline["measured_fetches"] = static_cast<std::int64_t>(n_base);
  baseline["fetches_per_second"] = static_cast<double>(n_base) / base;
  Json r = Json::object();
  r["name"] = "fasta_random_fetch_1kb";
  r["backend"] = "htslib_faidx_pooled_handles";
  r["device"] = "cpu";
  r["dtype"] = "bytes";
  r["params"] = std::move(params);
  r["seconds"] = ours;
  r["peak_bytes"] = ours_peak;
  r["fetches_per_second"] = static_cast<double>(total) / ours;
  r["warmup_seconds"] = warmup_seconds;
  r["baseline"] = std::move(baseline);
  r["speedup"] = base_scaled / ours;
  r["memory_ratio"] = base_peak > 0 ? static_cast<double>(ours_peak) / static_cast<double>(base_peak) : 0.0;
  r["note"] =
      "warm random fetches from a bgzip FASTA written by write_fasta_bgzip; baseline opens the "
      "faidx index for every fetch, timed on measured_fetches and scaled to the same count; peak_bytes "
      "is process peak RSS during each phase";
  Json results = Json::array();
  results.push_back(std::move(r));
  return results;
}

} // namespace gc::genome
