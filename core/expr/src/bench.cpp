#include "gc/expr/bench.h"

#include "gc/expr/h5ad.h"
#include "gc/hdf5/hdf5.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/timing.h"

#include <algorithm>
#include <limits>

namespace gc::expr {
namespace {

ExpressionMatrix random_counts(const H5adBenchOptions& o) {
  Rng rng(o.seed);
  CsrMatrix m;
  m.rows = o.cells;
  m.cols = o.genes;
  const auto expected = static_cast<std::size_t>(static_cast<double>(o.cells * o.genes) * o.density * 1.05);
  m.indices.reserve(expected);
  m.data.reserve(expected);
  for (std::int64_t r = 0; r < o.cells; ++r) {
    for (std::int64_t c = 0; c < o.genes; ++c) {
      if (!rng.bernoulli(o.density)) continue;
      m.indices.push_back(static_cast<std::int32_t>(c));
      m.data.push_back(static_cast<float>(1 + rng.below(20)));
    }
    m.indptr.push_back(m.nnz());
  }
  ExpressionMatrix data;
  data.x = Matrix::sparse(std::move(m));
  for (std::int64_t r = 0; r < o.cells; ++r)
    data.obs.index.push_back("cell" + std::to_string(r));
  for (std::int64_t c = 0; c < o.genes; ++c)
    data.var.index.push_back("gene" + std::to_string(c));
  return data;
}

struct Timing {
  double seconds = std::numeric_limits<double>::infinity();
};

template <typename Fn>
void measure(Timing& t, Fn&& fn) {
  Stopwatch sw;
  fn();
  t.seconds = std::min(t.seconds, sw.seconds());
}

} // namespace

Json bench_h5ad_load(const H5adBenchOptions& options) {
  if (options.cells <= 0 || options.genes <= 0 || options.density <= 0 || options.density > 1 ||
      options.repeats < 1)
    throw InputError("h5ad benchmark: cells, genes and repeats must be positive and density in (0, 1]");
  const bool own_dir = options.work_dir.empty();
  const auto dir = own_dir
                       ? std::filesystem::temp_directory_path() /
                             ("gc_bench_h5ad_" + std::to_string(Rng(options.seed ^ 0x9e37U).below(1U << 30)))
                       : options.work_dir;
  std::filesystem::create_directories(dir);
  const auto path = dir / "bench.h5ad";
  struct Cleanup {
    std::filesystem::path p;
    bool dir;
    ~Cleanup() {
      std::error_code ec;
      if (dir)
        std::filesystem::remove_all(p, ec);
      else
        std::filesystem::remove(p / "bench.h5ad", ec);
    }
  } cleanup{dir, own_dir};

  std::int64_t nnz = 0;
  {
    const auto data = random_counts(options);
    nnz = data.x.nnz();
    write_h5ad(path, data);
  }
  const auto bytes = std::filesystem::file_size(path);

  Timing full, x_only, base;
  std::int64_t checksum_full = 0, checksum_x = 0, checksum_base = 0;
  auto run_base = [&] {
    measure(base, [&] {
      const auto file = hdf5::File::open(path);
      const auto x = file.group("X");
      const auto data = x.dataset("data").read<float>();
      const auto indices = x.dataset("indices").read<std::int32_t>();
      const auto indptr = x.dataset("indptr").read<std::int64_t>();
      checksum_base = static_cast<std::int64_t>(data.size() + indices.size()) + indptr.back();
    });
  };
  auto run_full = [&] {
    measure(full, [&] {
      const auto loaded = read_h5ad(path);
      checksum_full = loaded.x.nnz() * 2 + loaded.x.csr().indptr.back();
    });
  };
  auto run_x_only = [&] {
    measure(x_only, [&] {
      const auto x = read_h5ad_x(path);
      checksum_x = x.nnz() * 2 + x.csr().indptr.back();
    });
  };
  for (int rep = 0; rep < options.repeats; ++rep) {
    // Rotate the order so that no side always reads from a warmer cache.
    switch (rep % 3) {
    case 0: run_base(), run_full(), run_x_only(); break;
    case 1: run_full(), run_x_only(), run_base(); break;
    default: run_x_only(), run_base(), run_full(); break;
    }
  }
  if (checksum_full != checksum_base || checksum_x != checksum_base)
    throw Error("h5ad benchmark: loaded matrix differs from the raw arrays");

  Json params = Json::object();
  params["cells"] = options.cells;
  params["genes"] = options.genes;
  params["density"] = options.density;
  params["nnz"] = nnz;
  params["file_bytes"] = static_cast<std::uint64_t>(bytes);
  params["repeats"] = options.repeats;
  Json baseline = Json::object();
  baseline["name"] = "hdf5_raw_arrays";
  baseline["seconds"] = base.seconds;
  // Peak RSS within one process is not comparable between the sides (the allocator reuses the
  // pages freed by the previous repeat), so no memory figures are reported.
  baseline["peak_bytes"] = nullptr;
  auto result = [&](const char* name, const char* backend, double seconds, const char* what) {
    Json r = Json::object();
    r["name"] = name;
    r["backend"] = backend;
    r["device"] = "cpu";
    r["dtype"] = "f32";
    r["params"] = params;
    r["seconds"] = seconds;
    r["peak_bytes"] = nullptr;
    r["baseline"] = baseline;
    r["speedup"] = base.seconds / seconds;
    r["memory_ratio"] = nullptr;
    r["note"] =
        std::string("best of repeats; ") + what +
        "; baseline: H5Dread of data, indices and indptr only; target speedup >= 0.67 (load <= 1.5x the "
        "raw array read); no memory figures: RSS peaks are not comparable within one process";
    return r;
  };
  Json results = Json::array();
  const std::string names = "X validated plus obs/var names (" +
                            std::to_string(options.cells + options.genes) + " variable-length strings)";
  results.push_back(result("h5ad_csr_load", "gc::expr::read_h5ad", full.seconds, names.c_str()));
  results.push_back(
      result("h5ad_csr_load_x_only", "gc::expr::read_h5ad_x", x_only.seconds, "X validated, no obs/var"));
  return results;
}

} // namespace gc::expr
