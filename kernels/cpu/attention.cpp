// CPU attention engine: patterns, the naive reference and the tiled online-softmax path.
// The tiled path runs one task per (batch*head, query tile) in parallel; each task multiplies
// [Tq x D] by [D x Tk] key tiles with BLAS and folds them into running max / sum / output
// rows (online softmax), so memory is O(threads * Tq * Tk) instead of O(n^2).
#include "attention_engine.h"

#include "gc/kernels/dropout.h"
#include "gc/util/error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace gc::kernels::detail {
namespace {

// Tile sizes: large enough for BLAS to run near peak, small enough to stay in L2.
constexpr std::int64_t kQueryTile = 128;
constexpr std::int64_t kKeyTile = 512;

void add_split_range(std::vector<KeySegment>& out, std::int64_t begin, std::int64_t end, Band band) {
  for (std::int64_t s = begin; s < end; s += kKeyTile) {
    KeySegment seg;
    seg.begin = s;
    seg.end = std::min(end, s + kKeyTile);
    seg.band = band;
    out.push_back(std::move(seg));
  }
}

std::vector<std::int64_t> iota_rows(std::int64_t begin, std::int64_t end) {
  std::vector<std::int64_t> rows(static_cast<std::size_t>(end - begin));
  for (std::int64_t i = begin; i < end; ++i)
    rows[static_cast<std::size_t>(i - begin)] = i;
  return rows;
}

bool consecutive(const std::vector<std::int64_t>& idx) {
  return !idx.empty() && idx.back() - idx.front() + 1 == static_cast<std::int64_t>(idx.size());
}

// Rows `idx` of the [n, D] matrix m (a view when they are consecutive).
torch::Tensor take_rows(const torch::Tensor& m, const std::vector<std::int64_t>& idx) {
  if (consecutive(idx)) return m.narrow(0, idx.front(), static_cast<std::int64_t>(idx.size()));
  const auto index = torch::from_blob(const_cast<std::int64_t*>(idx.data()),
                                      {static_cast<std::int64_t>(idx.size())}, torch::kLong);
  return m.index_select(0, index);
}

torch::Tensor take_keys(const torch::Tensor& m, const KeySegment& seg) {
  return seg.index.empty() ? m.narrow(0, seg.begin, seg.end - seg.begin) : take_rows(m, seg.index);
}

void add_to_keys(torch::Tensor& target, const KeySegment& seg, const torch::Tensor& value) {
  if (seg.index.empty()) {
    target.narrow(0, seg.begin, seg.end - seg.begin).add_(value);
  } else {
    const auto index = torch::from_blob(const_cast<std::int64_t*>(seg.index.data()),
                                        {static_cast<std::int64_t>(seg.index.size())}, torch::kLong);
    target.index_add_(0, index, value);
  }
}

std::int64_t key_at(const KeySegment& seg, std::int64_t c) {
  return seg.index.empty() ? seg.begin + c : seg.index[static_cast<std::size_t>(c)];
}

torch::ScalarType accumulation_type(const torch::Tensor& t) {
  return t.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat;
}

// Per-pair test used inside tiles: the tiles already restrict keys to the pattern, so only
// padding, causality and the band of sliding-window segments remain to be checked.
struct PairFilter {
  const bool* pad = nullptr; // row of the key padding mask for this batch
  bool causal = false;
  std::int64_t window = 0;

  [[nodiscard]] bool needed(const KeySegment& seg) const { return pad || causal || seg.band != Band::Any; }
  [[nodiscard]] bool ok(const KeySegment& seg, std::int64_t i, std::int64_t j) const {
    if (pad && pad[j]) return false;
    if (causal && j > i) return false;
    if (seg.band == Band::Inside) return std::abs(i - j) <= window;
    if (seg.band == Band::Outside) return std::abs(i - j) > window;
    return true;
  }
};

struct Shape {
  std::int64_t B, H, Nq, Nk, D;
};

Shape shape_of(const torch::Tensor& q, const torch::Tensor& k) {
  return {q.size(0), q.size(1), q.size(2), k.size(2), q.size(3)};
}

const bool* padding_row(const torch::Tensor& pad, std::int64_t b, std::int64_t nk) {
  return pad.defined() ? pad.data_ptr<bool>() + b * nk : nullptr;
}

template <typename T>
ForwardResult forward_impl(const AttentionPattern& pattern, const torch::Tensor& q, const torch::Tensor& k,
                           const torch::Tensor& v, const EngineParams& params) {
  const auto [B, H, Nq, Nk, D] = shape_of(q, k);
  const auto st = c10::CppTypeToScalarType<T>::value;
  const auto qf = q.to(st).contiguous().view({B * H, Nq, D});
  const auto kf = k.to(st).contiguous().view({B * H, Nk, D});
  const auto vf = v.to(st).contiguous().view({B * H, Nk, D});
  const auto pad = params.key_padding_mask.defined() ? params.key_padding_mask.contiguous() : torch::Tensor();
  auto out = torch::zeros({B * H, Nq, D}, qf.options());
  auto lse = torch::full({B * H, Nq}, -std::numeric_limits<double>::infinity(), qf.options());
  T* out_p = out.template data_ptr<T>();
  T* lse_p = lse.template data_ptr<T>();
  const auto ntiles = static_cast<std::int64_t>(pattern.tiles.size());
  const T scale = static_cast<T>(params.scale);
  const bool dropout = params.dropout > 0.0;
  const T keep_scale = dropout ? static_cast<T>(1.0 / (1.0 - params.dropout)) : T(1);
  constexpr T neg_inf = -std::numeric_limits<T>::infinity();

  at::parallel_for(0, B * H * ntiles, 1, [&](std::int64_t task_begin, std::int64_t task_end) {
    for (std::int64_t task = task_begin; task < task_end; ++task) {
      const std::int64_t bh = task / ntiles;
      const auto& tile = pattern.tiles[static_cast<std::size_t>(task % ntiles)];
      const PairFilter filter{padding_row(pad, bh / H, Nk), pattern.causal, pattern.window};
      const auto tq = static_cast<std::int64_t>(tile.rows.size());
      const auto qt = take_rows(qf[bh], tile.rows) * scale;
      auto acc = torch::zeros({tq, D}, qf.options());
      std::vector<T> m(static_cast<std::size_t>(tq), neg_inf), l(static_cast<std::size_t>(tq), T(0));
      T* a = acc.template data_ptr<T>();
      for (const auto& seg : tile.keys) {
        const auto ks = take_keys(kf[bh], seg);
        const auto vs = take_keys(vf[bh], seg);
        const std::int64_t tk = ks.size(0);
        auto s = torch::mm(qt, ks.t());
        T* sp = s.template data_ptr<T>();
        const bool check = filter.needed(seg);
        for (std::int64_t r = 0; r < tq; ++r) {
          const std::int64_t i = tile.rows[static_cast<std::size_t>(r)];
          T* row = sp + r * tk;
          T row_max = neg_inf;
          for (std::int64_t c = 0; c < tk; ++c) {
            if (check && !filter.ok(seg, i, key_at(seg, c))) row[c] = neg_inf;
            row_max = std::max(row_max, row[c]);
          }
          const auto ri = static_cast<std::size_t>(r);
          const T new_m = std::max(m[ri], row_max);
          if (new_m == neg_inf) {
            std::fill(row, row + tk, T(0));
            continue;
          }
          const T alpha = std::exp(m[ri] - new_m);
          T sum = 0;
          for (std::int64_t c = 0; c < tk; ++c) {
            const T p = std::exp(row[c] - new_m);
            sum += p;
            row[c] = p;
          }
          if (dropout) {
            const auto base = static_cast<std::uint64_t>((bh * Nq + i) * Nk);
            for (std::int64_t c = 0; c < tk; ++c) {
              const auto j = static_cast<std::uint64_t>(key_at(seg, c));
              row[c] = dropout_keep(params.seed, params.dropout, base + j) ? row[c] * keep_scale : T(0);
            }
          }
          l[ri] = l[ri] * alpha + sum;
          m[ri] = new_m;
          if (alpha != T(1)) {
            for (std::int64_t d = 0; d < D; ++d)
              a[r * D + d] *= alpha;
          }
        }
        acc.addmm_(s, vs);
      }
      for (std::int64_t r = 0; r < tq; ++r) {
        const auto ri = static_cast<std::size_t>(r);
        const std::int64_t i = tile.rows[ri];
        if (l[ri] <= T(0)) continue; // fully masked row: zeros, lse stays -inf
        const T inv = T(1) / l[ri];
        T* dst = out_p + (bh * Nq + i) * D;
        for (std::int64_t d = 0; d < D; ++d)
          dst[d] = a[r * D + d] * inv;
        lse_p[bh * Nq + i] = m[ri] + std::log(l[ri]);
      }
    }
  });
  return {out.view({B, H, Nq, D}).to(q.scalar_type()), lse.view({B, H, Nq})};
}

template <typename T>
Gradients backward_impl(const AttentionPattern& pattern, const torch::Tensor& q, const torch::Tensor& k,
                        const torch::Tensor& v, const torch::Tensor& out, const torch::Tensor& lse,
                        const torch::Tensor& grad_out, const EngineParams& params) {
  const auto [B, H, Nq, Nk, D] = shape_of(q, k);
  const auto st = c10::CppTypeToScalarType<T>::value;
  const auto qf = q.to(st).contiguous().view({B * H, Nq, D});
  const auto kf = k.to(st).contiguous().view({B * H, Nk, D});
  const auto vf = v.to(st).contiguous().view({B * H, Nk, D});
  const auto of = out.to(st).contiguous().view({B * H, Nq, D});
  const auto gf = grad_out.to(st).contiguous().view({B * H, Nq, D});
  const auto lf = lse.to(st).contiguous().view({B * H, Nq});
  const auto pad = params.key_padding_mask.defined() ? params.key_padding_mask.contiguous() : torch::Tensor();
  auto dq = torch::zeros({B * H, Nq, D}, qf.options());
  // Key tiles are shared between query tiles, so dK/dV are accumulated per thread and summed.
  const int threads = at::get_num_threads();
  auto dk_t = torch::zeros({threads, B * H, Nk, D}, qf.options());
  auto dv_t = torch::zeros({threads, B * H, Nk, D}, qf.options());
  const auto ntiles = static_cast<std::int64_t>(pattern.tiles.size());
  const T scale = static_cast<T>(params.scale);
  const bool dropout = params.dropout > 0.0;
  const T keep_scale = dropout ? static_cast<T>(1.0 / (1.0 - params.dropout)) : T(1);
  constexpr T neg_inf = -std::numeric_limits<T>::infinity();
  const T* lse_p = lf.template data_ptr<T>();

  at::parallel_for(0, B * H * ntiles, 1, [&](std::int64_t task_begin, std::int64_t task_end) {
    const int tid = at::get_thread_num();
    for (std::int64_t task = task_begin; task < task_end; ++task) {
      const std::int64_t bh = task / ntiles;
      const auto& tile = pattern.tiles[static_cast<std::size_t>(task % ntiles)];
      const PairFilter filter{padding_row(pad, bh / H, Nk), pattern.causal, pattern.window};
      const auto tq = static_cast<std::int64_t>(tile.rows.size());
      const auto qt = take_rows(qf[bh], tile.rows) * scale;
      const auto got = take_rows(gf[bh], tile.rows);
      const auto delta = (got * take_rows(of[bh], tile.rows)).sum(1).contiguous();
      const T* delta_p = delta.template data_ptr<T>();
      auto dqt = torch::zeros({tq, D}, qf.options());
      auto dk_local = dk_t[tid][bh];
      auto dv_local = dv_t[tid][bh];
      for (const auto& seg : tile.keys) {
        const auto ks = take_keys(kf[bh], seg);
        const auto vs = take_keys(vf[bh], seg);
        const std::int64_t tk = ks.size(0);
        auto p = torch::mm(qt, ks.t());
        auto dp = torch::mm(got, vs.t());
        auto pd = dropout ? torch::empty_like(p) : p;
        T* pp = p.template data_ptr<T>();
        T* dpp = dp.template data_ptr<T>();
        T* pdp = pd.template data_ptr<T>();
        const bool check = filter.needed(seg);
        for (std::int64_t r = 0; r < tq; ++r) {
          const std::int64_t i = tile.rows[static_cast<std::size_t>(r)];
          const T row_lse = lse_p[bh * Nq + i];
          const auto base = static_cast<std::uint64_t>((bh * Nq + i) * Nk);
          for (std::int64_t c = 0; c < tk; ++c) {
            const std::int64_t j = key_at(seg, c);
            const std::int64_t x = r * tk + c;
            const bool live = row_lse != neg_inf && (!check || filter.ok(seg, i, j));
            const T prob = live ? std::exp(pp[x] - row_lse) : T(0);
            T dprob = dpp[x];
            if (dropout) {
              const T z = dropout_keep(params.seed, params.dropout, base + static_cast<std::uint64_t>(j))
                              ? keep_scale
                              : T(0);
              pdp[x] = prob * z;
              dprob *= z;
            }
            pp[x] = prob;
            dpp[x] = prob * (dprob - delta_p[r]); // dS
          }
        }
        add_to_keys(dv_local, seg, torch::mm(pd.t(), got));
        dqt.addmm_(dp, ks);
        add_to_keys(dk_local, seg, torch::mm(dp.t(), qt));
      }
      const T* src = dqt.template data_ptr<T>();
      T* dst = dq.template data_ptr<T>();
      for (std::int64_t r = 0; r < tq; ++r) {
        const std::int64_t i = tile.rows[static_cast<std::size_t>(r)];
        for (std::int64_t d = 0; d < D; ++d)
          dst[(bh * Nq + i) * D + d] = src[r * D + d] * scale;
      }
    }
  });
  return {dq.view({B, H, Nq, D}).to(q.scalar_type()), dk_t.sum(0).view({B, H, Nk, D}).to(k.scalar_type()),
          dv_t.sum(0).view({B, H, Nk, D}).to(v.scalar_type())};
}

void check_indices(const std::vector<std::int64_t>& idx, std::int64_t n, const char* what) {
  for (const auto i : idx) {
    if (i < 0 || i >= n)
      throw InputError(std::string(what) + " index " + std::to_string(i) + " is outside [0, " +
                       std::to_string(n) + ")");
  }
}

template <typename T>
torch::Tensor inspect_impl(const AttentionPattern& pattern, const torch::Tensor& q, const torch::Tensor& k,
                           const EngineParams& params, const std::vector<std::int64_t>& queries,
                           std::vector<std::int64_t> heads) {
  const auto [B, H, Nq, Nk, D] = shape_of(q, k);
  (void)D;
  check_indices(queries, Nq, "query");
  if (heads.empty()) heads = iota_rows(0, H);
  check_indices(heads, H, "head");
  const auto st = c10::CppTypeToScalarType<T>::value;
  const auto qf = q.to(st);
  const auto kf = k.to(st);
  const auto pad = params.key_padding_mask.defined() ? params.key_padding_mask.contiguous() : torch::Tensor();
  const auto nq = static_cast<std::int64_t>(queries.size());
  const auto nh = static_cast<std::int64_t>(heads.size());
  auto result = torch::zeros({B, nh, nq, Nk}, qf.options());
  if (nq == 0) return result;
  constexpr T neg_inf = -std::numeric_limits<T>::infinity();
  for (std::int64_t b = 0; b < B; ++b) {
    const bool* pad_row = padding_row(pad, b, Nk);
    for (std::int64_t hh = 0; hh < nh; ++hh) {
      const std::int64_t h = heads[static_cast<std::size_t>(hh)];
      auto s = torch::mm(take_rows(qf[b][h], queries) * params.scale, kf[b][h].t()).contiguous();
      T* sp = s.template data_ptr<T>();
      for (std::int64_t r = 0; r < nq; ++r) {
        const std::int64_t i = queries[static_cast<std::size_t>(r)];
        T* row = sp + r * Nk;
        T mx = neg_inf;
        for (std::int64_t j = 0; j < Nk; ++j) {
          if ((pad_row && pad_row[j]) || !pattern.allowed(i, j)) row[j] = neg_inf;
          mx = std::max(mx, row[j]);
        }
        if (mx == neg_inf) {
          std::fill(row, row + Nk, T(0));
          continue;
        }
        T sum = 0;
        for (std::int64_t j = 0; j < Nk; ++j)
          sum += (row[j] = std::exp(row[j] - mx));
        for (std::int64_t j = 0; j < Nk; ++j)
          row[j] /= sum;
      }
      result[b][hh].copy_(s);
    }
  }
  return result;
}

} // namespace

bool AttentionPattern::allowed(std::int64_t i, std::int64_t j) const {
  switch (kind) {
  case PatternKind::Dense: return !causal || j <= i;
  case PatternKind::Sliding:
    return is_global[static_cast<std::size_t>(i)] || is_global[static_cast<std::size_t>(j)] ||
           std::abs(i - j) <= window;
  case PatternKind::BlockSparse: {
    const auto r = static_cast<std::size_t>(i / block);
    const auto first = col_idx.begin() + row_ptr[r];
    const auto last = col_idx.begin() + row_ptr[r + 1];
    return std::binary_search(first, last, j / block);
  }
  }
  return false;
}

c10::intrusive_ptr<AttentionPattern> dense_pattern(std::int64_t n_q, std::int64_t n_k, bool causal) {
  auto p = c10::make_intrusive<AttentionPattern>();
  p->kind = PatternKind::Dense;
  p->n_q = n_q;
  p->n_k = n_k;
  p->causal = causal;
  for (std::int64_t q0 = 0; q0 < n_q; q0 += kQueryTile) {
    QueryTile tile;
    const std::int64_t q1 = std::min(n_q, q0 + kQueryTile);
    tile.rows = iota_rows(q0, q1);
    add_split_range(tile.keys, 0, causal ? std::min(n_k, q1) : n_k, Band::Any);
    p->tiles.push_back(std::move(tile));
  }
  return p;
}

c10::intrusive_ptr<AttentionPattern> sliding_pattern(std::int64_t n, std::int64_t window,
                                                     std::vector<std::int64_t> globals) {
  auto p = c10::make_intrusive<AttentionPattern>();
  p->kind = PatternKind::Sliding;
  p->n_q = p->n_k = n;
  p->window = window;
  std::sort(globals.begin(), globals.end());
  globals.erase(std::unique(globals.begin(), globals.end()), globals.end());
  check_indices(globals, n, "global token");
  p->is_global.assign(static_cast<std::size_t>(n), 0);
  for (const auto g : globals)
    p->is_global[static_cast<std::size_t>(g)] = 1;
  p->globals = globals;
  // Ordinary rows: their band plus the global keys outside the band (so none is counted twice).
  for (std::int64_t q0 = 0; q0 < n;) {
    QueryTile tile;
    std::int64_t i = q0;
    for (; i < n && static_cast<std::int64_t>(tile.rows.size()) < kQueryTile; ++i) {
      if (!p->is_global[static_cast<std::size_t>(i)]) tile.rows.push_back(i);
    }
    q0 = i;
    if (tile.rows.empty()) continue;
    add_split_range(tile.keys, std::max<std::int64_t>(0, tile.rows.front() - window),
                    std::min(n, tile.rows.back() + window + 1), Band::Inside);
    if (!globals.empty()) {
      KeySegment seg;
      seg.index = globals;
      seg.band = Band::Outside;
      tile.keys.push_back(std::move(seg));
    }
    p->tiles.push_back(std::move(tile));
  }
  // Global rows attend to every key.
  for (std::size_t g0 = 0; g0 < globals.size(); g0 += kQueryTile) {
    QueryTile tile;
    const auto g1 = std::min(globals.size(), g0 + static_cast<std::size_t>(kQueryTile));
    tile.rows.assign(globals.begin() + static_cast<std::ptrdiff_t>(g0),
                     globals.begin() + static_cast<std::ptrdiff_t>(g1));
    add_split_range(tile.keys, 0, n, Band::Any);
    p->tiles.push_back(std::move(tile));
  }
  return p;
}

c10::intrusive_ptr<AttentionPattern> block_sparse_pattern(std::int64_t n, std::int64_t block,
                                                          const std::vector<std::int64_t>& row_ptr,
                                                          const std::vector<std::int64_t>& col_idx) {
  auto p = c10::make_intrusive<AttentionPattern>();
  p->kind = PatternKind::BlockSparse;
  p->n_q = p->n_k = n;
  p->block = block;
  p->row_ptr = row_ptr;
  p->col_idx = col_idx;
  const auto nb = static_cast<std::int64_t>(row_ptr.size()) - 1;
  for (std::int64_t r = 0; r < nb; ++r) {
    QueryTile tile;
    tile.rows = iota_rows(r * block, std::min(n, (r + 1) * block));
    if (tile.rows.empty()) continue;
    // Runs of neighbouring key blocks become one segment: fewer, larger matrix products.
    for (auto e = row_ptr[static_cast<std::size_t>(r)]; e < row_ptr[static_cast<std::size_t>(r) + 1];) {
      const std::int64_t first = col_idx[static_cast<std::size_t>(e)];
      std::int64_t last = first;
      ++e;
      while (e < row_ptr[static_cast<std::size_t>(r) + 1] &&
             col_idx[static_cast<std::size_t>(e)] == last + 1) {
        ++last;
        ++e;
      }
      add_split_range(tile.keys, first * block, std::min(n, (last + 1) * block), Band::Any);
    }
    p->tiles.push_back(std::move(tile));
  }
  return p;
}

torch::Tensor naive_attention(const AttentionPattern& pattern, const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v, const EngineParams& params) {
  const auto [B, H, Nq, Nk, D] = shape_of(q, k);
  (void)D;
  auto allowed = torch::empty({Nq, Nk}, torch::kBool);
  bool* ap = allowed.data_ptr<bool>();
  for (std::int64_t i = 0; i < Nq; ++i)
    for (std::int64_t j = 0; j < Nk; ++j)
      ap[i * Nk + j] = pattern.allowed(i, j);
  auto mask = allowed.to(q.device()).view({1, 1, Nq, Nk});
  if (params.key_padding_mask.defined())
    mask = mask.logical_and(params.key_padding_mask.logical_not().view({B, 1, 1, Nk}));
  const auto ct = accumulation_type(q);
  auto s = torch::matmul(q.to(ct), k.to(ct).transpose(-2, -1)) * params.scale;
  s = s.masked_fill(mask.logical_not(), -std::numeric_limits<double>::infinity());
  const auto row_any = mask.any(-1, true);
  s = s.masked_fill(row_any.logical_not(), 0.0); // rows without keys: finite, zeroed below
  auto p = torch::softmax(s, -1) * mask.to(ct);
  if (params.dropout > 0.0) {
    auto keep = torch::empty({B, H, Nq, Nk}, torch::TensorOptions().dtype(ct));
    auto flat = keep.view({-1});
    const auto total = flat.numel();
    const double z = 1.0 / (1.0 - params.dropout);
    if (ct == torch::kDouble) {
      double* fp = flat.data_ptr<double>();
      for (std::int64_t x = 0; x < total; ++x)
        fp[x] = dropout_keep(params.seed, params.dropout, static_cast<std::uint64_t>(x)) ? z : 0.0;
    } else {
      float* fp = flat.data_ptr<float>();
      for (std::int64_t x = 0; x < total; ++x)
        fp[x] = dropout_keep(params.seed, params.dropout, static_cast<std::uint64_t>(x))
                    ? static_cast<float>(z)
                    : 0.f;
    }
    p = p * keep.to(q.device());
  }
  return torch::matmul(p, v.to(ct)).to(q.scalar_type());
}

ForwardResult tiled_forward(const AttentionPattern& pattern, const torch::Tensor& q, const torch::Tensor& k,
                            const torch::Tensor& v, const EngineParams& params) {
  return accumulation_type(q) == torch::kDouble ? forward_impl<double>(pattern, q, k, v, params)
                                                : forward_impl<float>(pattern, q, k, v, params);
}

Gradients tiled_backward(const AttentionPattern& pattern, const torch::Tensor& q, const torch::Tensor& k,
                         const torch::Tensor& v, const torch::Tensor& out, const torch::Tensor& lse,
                         const torch::Tensor& grad_out, const EngineParams& params) {
  return accumulation_type(q) == torch::kDouble
             ? backward_impl<double>(pattern, q, k, v, out, lse, grad_out, params)
             : backward_impl<float>(pattern, q, k, v, out, lse, grad_out, params);
}

torch::Tensor inspect_probabilities(const AttentionPattern& pattern, const torch::Tensor& q,
                                    const torch::Tensor& k, const EngineParams& params,
                                    const std::vector<std::int64_t>& queries,
                                    const std::vector<std::int64_t>& heads) {
  const auto qc = q.cpu();
  const auto kc = k.cpu();
  EngineParams p = params;
  if (p.key_padding_mask.defined()) p.key_padding_mask = p.key_padding_mask.cpu();
  return accumulation_type(q) == torch::kDouble ? inspect_impl<double>(pattern, qc, kc, p, queries, heads)
                                                : inspect_impl<float>(pattern, qc, kc, p, queries, heads);
}

} // namespace gc::kernels::detail
