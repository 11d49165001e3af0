// Attention kernels: every CPU backend against the naive reference (DESIGN §10, §11), forward
// and gradients, over odd lengths, head counts and sizes, masks, causal, dropout, dtypes,
// fully masked rows, empty graphs and isolated nodes; the inspect paths against probabilities
// computed independently with torch.
#include "gc/kernels/backend.h"
#include "gc/kernels/block_sparse.h"
#include "gc/kernels/dropout.h"
#include "gc/kernels/flash_attention.h"
#include "gc/kernels/gatv2.h"
#include "gc/kernels/sliding_window.h"
#include "gc/util/error.h"

#include "gc_test.h"
#include "kernel_test_util.h"

#include <cstdlib>
#include <set>
#include <string>

using namespace gc::kernels;
using gc::test::max_abs_diff;
using gc::test::run_with_grads;

namespace {

struct Qkv {
  torch::Tensor q, k, v;
};

Qkv make_qkv(std::int64_t B, std::int64_t H, std::int64_t nq, std::int64_t nk, std::int64_t D,
             torch::ScalarType dtype, std::uint64_t seed) {
  torch::manual_seed(seed);
  const auto o = torch::TensorOptions().dtype(dtype);
  return {torch::randn({B, H, nq, D}, o), torch::randn({B, H, nk, D}, o), torch::randn({B, H, nk, D}, o)};
}

// Pads the last `pad` keys of every batch entry except the first (so one row keeps all keys).
torch::Tensor tail_padding(std::int64_t B, std::int64_t n, std::int64_t pad) {
  auto m = torch::zeros({B, n}, torch::kBool);
  for (std::int64_t b = 1; b < B; ++b)
    m[b].slice(0, std::max<std::int64_t>(0, n - pad)).fill_(true);
  return m;
}

torch::Tensor grad_or_zero(const torch::Tensor& g, const torch::Tensor& like) {
  return g.defined() ? g : torch::zeros_like(like);
}

// Compares two runs (output + gradients) within tol.
bool same_run(const gc::test::Run& a, const gc::test::Run& b, double tol, const std::string& what) {
  bool ok = max_abs_diff(a.out, b.out) <= tol;
  for (std::size_t i = 0; i < a.grads.size(); ++i) {
    if (!a.grads[i].defined() && !b.grads[i].defined()) continue;
    const auto& like = a.grads[i].defined() ? a.grads[i] : b.grads[i];
    ok = ok && max_abs_diff(grad_or_zero(a.grads[i], like), grad_or_zero(b.grads[i], like)) <= tol;
  }
  if (!ok) {
    std::fprintf(stderr, "    mismatch in %s: out diff %g\n", what.c_str(), max_abs_diff(a.out, b.out));
    for (std::size_t i = 0; i < a.grads.size(); ++i)
      if (a.grads[i].defined() && b.grads[i].defined())
        std::fprintf(stderr, "      grad %zu diff %g\n", i, max_abs_diff(a.grads[i], b.grads[i]));
  }
  return ok;
}

template <typename Options>
gc::test::Run run_op(torch::Tensor (*op)(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&,
                                         const Options&),
                     Options options, Backend backend, const Qkv& x) {
  options.backend = backend;
  return run_with_grads(
      [&](const std::vector<torch::Tensor>& in) { return op(in[0], in[1], in[2], options); },
      {x.q, x.k, x.v});
}

// Reference probabilities computed directly from a dense allowed-mask [Nq, Nk], in double. The
// fill is finite, so a row without any allowed key gets uniform weights that the mask zeroes.
torch::Tensor reference_probs(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& allowed,
                              const torch::Tensor& padding) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
  auto mask = allowed.view({1, 1, allowed.size(0), allowed.size(1)});
  if (padding.defined()) mask = mask.logical_and(padding.logical_not().view({padding.size(0), 1, 1, -1}));
  auto s = torch::matmul(q.to(torch::kDouble), k.to(torch::kDouble).transpose(-2, -1)) * scale;
  s = s.masked_fill(mask.logical_not(), -1e300);
  auto p = torch::softmax(s, -1) * mask.to(torch::kDouble);
  return p;
}

torch::Tensor reference_probs(const Qkv& x, const torch::Tensor& allowed, const torch::Tensor& padding) {
  return reference_probs(x.q, x.k, allowed, padding);
}

// Naive attention over a dense allowed-mask (differentiable, in double, back in q's dtype).
gc::test::Run masked_reference(const Qkv& x, const torch::Tensor& allowed, const torch::Tensor& padding) {
  return run_with_grads(
      [&](const std::vector<torch::Tensor>& in) {
        return torch::matmul(reference_probs(in[0], in[1], allowed, padding), in[2].to(torch::kDouble))
            .to(in[0].scalar_type());
      },
      {x.q, x.k, x.v});
}

// Dense masks written from the definitions in sliding_window.h and block_sparse.h, not from the
// kernels' AttentionPattern::allowed(): a bug in the pattern cannot hide in both the backend
// and its reference.
// Longformer: |i - j| <= window, plus every pair that has a global token on either side.
torch::Tensor sliding_window_mask(std::int64_t n, std::int64_t window,
                                  const std::vector<std::int64_t>& globals) {
  auto m = torch::zeros({n, n}, torch::kBool);
  auto a = m.accessor<bool, 2>();
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      a[i][j] = std::abs(i - j) <= window;
  for (const auto g : globals) {
    m.select(0, g).fill_(true);
    m.select(1, g).fill_(true);
  }
  return m;
}

// Token (i, j) is allowed when key block j / block_size is listed in row i / block_size.
torch::Tensor block_layout_mask(const BlockLayout& layout, std::int64_t n) {
  auto m = torch::zeros({n, n}, torch::kBool);
  const auto bs = layout.block_size;
  for (std::int64_t r = 0; r < layout.num_blocks; ++r)
    for (auto e = layout.row_ptr[static_cast<std::size_t>(r)];
         e < layout.row_ptr[static_cast<std::size_t>(r) + 1]; ++e) {
      const auto c = layout.col_idx[static_cast<std::size_t>(e)];
      m.slice(0, r * bs, std::min(n, (r + 1) * bs)).slice(1, c * bs, std::min(n, (c + 1) * bs)).fill_(true);
    }
  return m;
}

} // namespace

GC_TEST(flash_cpu_matches_naive_forward) {
  int cases = 0;
  for (const std::int64_t n : {1, 7, 65, 130}) {
    for (const std::int64_t d : {16, 33, 64}) {
      for (const std::int64_t h : {1, 3}) {
        for (const bool causal : {false, true}) {
          for (const bool padded : {false, true}) {
            const auto x =
                make_qkv(2, h, n, n, d, torch::kFloat, static_cast<std::uint64_t>(n * 1000 + d * 10 + h));
            FlashOptions o;
            o.causal = causal;
            if (padded) o.key_padding_mask = tail_padding(2, n, n / 3 + 1);
            o.backend = Backend::Naive;
            const auto ref = flash_attention(x.q, x.k, x.v, o);
            o.backend = Backend::Cpu;
            const auto got = flash_attention(x.q, x.k, x.v, o);
            GC_CHECK(gc::test::all_finite(got));
            GC_CHECK(max_abs_diff(got, ref) < 2e-5);
            ++cases;
          }
        }
      }
    }
  }
  GC_CHECK_EQ(cases, 96);
}

GC_TEST(flash_cpu_matches_naive_gradients_f64) {
  for (const std::int64_t n : {1, 7, 65, 130}) {
    for (const std::int64_t d : {16, 33}) {
      for (const bool causal : {false, true}) {
        const auto x = make_qkv(2, 2, n, n, d, torch::kDouble, static_cast<std::uint64_t>(7 * n + d));
        FlashOptions o;
        o.causal = causal;
        o.key_padding_mask = tail_padding(2, n, 5);
        const auto ref = run_op(&flash_attention, o, Backend::Naive, x);
        const auto got = run_op(&flash_attention, o, Backend::Cpu, x);
        GC_CHECK(same_run(got, ref, 1e-10, "flash n=" + std::to_string(n) + " d=" + std::to_string(d)));
      }
    }
  }
}

GC_TEST(flash_cross_attention_and_explicit_scale) {
  const auto x = make_qkv(1, 2, 9, 130, 16, torch::kDouble, 3);
  FlashOptions o;
  o.scale = 0.3;
  o.causal = true; // query i sees keys 0..i of the longer key sequence
  const auto ref = run_op(&flash_attention, o, Backend::Naive, x);
  const auto got = run_op(&flash_attention, o, Backend::Cpu, x);
  GC_CHECK(same_run(got, ref, 1e-10, "cross attention"));
  // Query 0 sees key 0 only: its output is v[..., 0, :].
  GC_CHECK(max_abs_diff(got.out.select(2, 0), x.v.select(2, 0)) < 1e-12);
}

GC_TEST(fully_masked_rows_are_zero_not_nan) {
  const auto x = make_qkv(2, 2, 65, 65, 16, torch::kFloat, 11);
  FlashOptions o;
  o.key_padding_mask = torch::zeros({2, 65}, torch::kBool);
  o.key_padding_mask[1].fill_(true); // batch 1 has no keys at all
  for (const auto backend : {Backend::Naive, Backend::Cpu}) {
    const auto r = run_op(&flash_attention, o, backend, x);
    GC_CHECK(gc::test::all_finite(r.out));
    GC_CHECK_EQ(r.out[1].abs().max().item<float>(), 0.0f);
    GC_CHECK(r.out[0].abs().max().item<float>() > 0.0f);
    for (const auto& g : r.grads)
      GC_CHECK(gc::test::all_finite(g));
    GC_CHECK_EQ(r.grads[0][1].abs().max().item<float>(), 0.0f);
  }
  // Block-sparse rows whose blocks are all padding are zero too.
  BlockSparseOptions bo;
  bo.layout = make_bigbird_layout(65, 16, BigBirdOptions{0, 0, 0, {}, 1});
  bo.key_padding_mask = torch::zeros({2, 65}, torch::kBool);
  bo.key_padding_mask[0].slice(0, 0, 32).fill_(true); // blocks 0 and 1 fully padded
  bo.backend = Backend::Cpu;
  const auto out = block_sparse_attention(x.q, x.k, x.v, bo);
  GC_CHECK(gc::test::all_finite(out));
  GC_CHECK_EQ(out[0].slice(1, 0, 32).abs().max().item<float>(), 0.0f);
  GC_CHECK(out[0].slice(1, 32).abs().max().item<float>() > 0.0f);
}

GC_TEST(flash_dropout_same_mask_on_every_backend) {
  const auto x = make_qkv(2, 2, 65, 65, 16, torch::kDouble, 5);
  FlashOptions o;
  o.dropout = 0.3;
  o.training = true;
  o.seed = 1234;
  o.key_padding_mask = tail_padding(2, 65, 10);
  const auto ref = run_op(&flash_attention, o, Backend::Naive, x);
  const auto got = run_op(&flash_attention, o, Backend::Cpu, x);
  GC_CHECK(same_run(got, ref, 1e-10, "dropout"));
  FlashOptions plain = o;
  plain.dropout = 0.0;
  const auto no_drop = flash_attention(x.q, x.k, x.v, plain);
  GC_CHECK(max_abs_diff(got.out, no_drop) > 1e-3); // dropout changed something
  o.seed = 4321;
  GC_CHECK(max_abs_diff(run_op(&flash_attention, o, Backend::Cpu, x).out, got.out) > 1e-3);
  o.training = false; // evaluation: no dropout
  GC_CHECK(max_abs_diff(run_op(&flash_attention, o, Backend::Cpu, x).out, no_drop) < 1e-12);
  // About 30 % of the decisions drop.
  int dropped = 0;
  for (std::uint64_t i = 0; i < 100000; ++i)
    dropped += dropout_keep(9, 0.3, i) ? 0 : 1;
  GC_CHECK(dropped > 29000 && dropped < 31000);
}

GC_TEST(flash_bf16_and_f16_accumulate_in_f32) {
  const auto x = make_qkv(1, 2, 130, 130, 64, torch::kFloat, 21);
  const Qkv xb{x.q.to(torch::kBFloat16), x.k.to(torch::kBFloat16), x.v.to(torch::kBFloat16)};
  FlashOptions o;
  o.backend = Backend::Naive;
  const auto ref = flash_attention(xb.q.to(torch::kFloat), xb.k.to(torch::kFloat), xb.v.to(torch::kFloat), o);
  o.backend = Backend::Cpu;
  const auto got = flash_attention(xb.q, xb.k, xb.v, o);
  GC_CHECK(got.scalar_type() == torch::kBFloat16);
  GC_CHECK(max_abs_diff(got, ref) < 2e-2);
  const Qkv xh{x.q.to(torch::kHalf), x.k.to(torch::kHalf), x.v.to(torch::kHalf)};
  const auto half = flash_attention(xh.q, xh.k, xh.v, o);
  GC_CHECK(half.scalar_type() == torch::kHalf);
  o.backend = Backend::Naive;
  GC_CHECK(max_abs_diff(half, flash_attention(xh.q.to(torch::kFloat), xh.k.to(torch::kFloat),
                                              xh.v.to(torch::kFloat), o)) < 5e-3);
  o.backend = Backend::Cpu;
  const auto r = run_op(&flash_attention, o, Backend::Cpu, xb);
  GC_CHECK(r.grads[0].scalar_type() == torch::kBFloat16);
  GC_CHECK(gc::test::all_finite(r.grads[0]));
}

GC_TEST(sliding_window_matches_naive) {
  int cases = 0;
  for (const std::int64_t n : {7, 65, 130}) {
    for (const std::int64_t w : {0, 3, 20}) {
      for (const int g : {0, 1, 2}) {
        SlidingWindowOptions o;
        o.window = w;
        if (g == 1) o.global_tokens = {0};
        if (g == 2) o.global_tokens = {n - 1, 5 % n, std::min<std::int64_t>(64, n - 1), 5 % n};
        o.key_padding_mask = tail_padding(2, n, 4);
        const auto allowed = sliding_window_mask(n, w, o.global_tokens);
        const auto xf = make_qkv(2, 3, n, n, 33, torch::kFloat, static_cast<std::uint64_t>(n + w + g));
        const auto ref = masked_reference(xf, allowed, o.key_padding_mask).out;
        const auto xd = make_qkv(2, 2, n, n, 16, torch::kDouble, static_cast<std::uint64_t>(n * w + g));
        const auto gref = masked_reference(xd, allowed, o.key_padding_mask);
        for (const auto backend : {Backend::Naive, Backend::Cpu}) {
          SlidingWindowOptions of = o;
          of.backend = backend;
          GC_CHECK(max_abs_diff(sliding_window_attention(xf.q, xf.k, xf.v, of), ref) < 2e-5);
          const auto got = run_op(&sliding_window_attention, o, backend, xd);
          GC_CHECK(same_run(got, gref, 1e-10,
                            std::string(backend_name(backend)) + " sliding n=" + std::to_string(n) +
                                " w=" + std::to_string(w) + " g=" + std::to_string(g)));
        }
        ++cases;
      }
    }
  }
  GC_CHECK_EQ(cases, 27);
  // The mask itself, counted by hand: n = 10, window 1, global token 4: the band has
  // 10 + 2 * 9 = 28 pairs, row 4 and column 4 add 7 each outside it.
  GC_CHECK_EQ(sliding_window_mask(10, 1, {4}).sum().item<std::int64_t>(), 42);
}

GC_TEST(bigbird_layout_is_deterministic_and_valid) {
  BigBirdOptions bb;
  bb.local_blocks = 1;
  bb.random_blocks = 2;
  bb.global_blocks = 1;
  bb.extra_blocks = {{3, 7}};
  bb.seed = 42;
  const auto a = make_bigbird_layout(130, 16, bb);
  const auto b = make_bigbird_layout(130, 16, bb);
  GC_CHECK_EQ(a.num_blocks, 9);
  GC_CHECK(a.col_idx == b.col_idx && a.row_ptr == b.row_ptr);
  a.validate();
  // Row 3: diagonal band {2,3,4}, global {0}, extra {7}, plus 2 random = 7 blocks.
  GC_CHECK_EQ(a.row_ptr[4] - a.row_ptr[3], 7);
  // Global block 0 is attended by every row and attends to every block.
  GC_CHECK_EQ(a.row_ptr[1] - a.row_ptr[0], 9);
  bb.seed = 43;
  GC_CHECK(make_bigbird_layout(130, 16, bb).col_idx != a.col_idx);
  GC_CHECK(a.density() > 0.0 && a.density() <= 1.0);
  BlockLayout bad = a;
  std::swap(bad.col_idx[0], bad.col_idx[1]);
  GC_CHECK_THROWS(bad.validate(), gc::InputError);
  bad = a;
  bad.col_idx.back() = 9;
  GC_CHECK_THROWS(bad.validate(), gc::InputError);
  GC_CHECK_THROWS(make_bigbird_layout(10, 4, BigBirdOptions{0, 0, 0, {{0, 3}}, 0}), gc::InputError);
}

// The BigBird structure from its definition: every row holds its local band and the global
// blocks, a global row holds every block, the extra blocks are in, and beyond those exactly
// min(random_blocks, what is left) other blocks (the random ones, which only the builder's
// seed decides, so they are read from the CSR).
GC_TEST(bigbird_layout_has_band_global_and_random_blocks) {
  int rows_checked = 0;
  for (const std::int64_t n : {7, 65, 130, 300}) {
    for (const std::int64_t bs : {16, 64}) {
      for (const std::int64_t local : {0, 1, 2}) {
        for (const std::int64_t global : {0, 1, 2}) {
          for (const std::int64_t random : {0, 1, 3}) {
            BigBirdOptions bb;
            bb.local_blocks = local;
            bb.global_blocks = global;
            bb.random_blocks = random;
            const std::int64_t nb = (n + bs - 1) / bs;
            if (nb > 3) bb.extra_blocks = {{nb - 1, 1}, {1, nb - 1}};
            bb.seed = static_cast<std::uint64_t>(n * 31 + bs + local * 7 + global * 3 + random);
            const auto layout = make_bigbird_layout(n, bs, bb);
            GC_REQUIRE(layout.num_blocks == nb);
            GC_REQUIRE(static_cast<std::int64_t>(layout.row_ptr.size()) == nb + 1);
            for (std::int64_t r = 0; r < nb; ++r) {
              std::set<std::int64_t> have;
              for (auto e = layout.row_ptr[static_cast<std::size_t>(r)];
                   e < layout.row_ptr[static_cast<std::size_t>(r) + 1]; ++e)
                have.insert(layout.col_idx[static_cast<std::size_t>(e)]);
              GC_CHECK_EQ(static_cast<std::int64_t>(have.size()),
                          layout.row_ptr[static_cast<std::size_t>(r) + 1] -
                              layout.row_ptr[static_cast<std::size_t>(r)]);
              std::set<std::int64_t> required;
              for (std::int64_t c = 0; c < nb; ++c)
                if (std::abs(r - c) <= local || c < global || r < global) required.insert(c);
              for (const auto& [qr, kc] : bb.extra_blocks)
                if (qr == r) required.insert(kc);
              for (const auto c : required)
                GC_CHECK(have.count(c) == 1);
              const auto others =
                  static_cast<std::int64_t>(have.size()) - static_cast<std::int64_t>(required.size());
              // A named value: GC_CHECK_EQ would keep std::min's reference to a temporary.
              const std::int64_t left = nb - static_cast<std::int64_t>(required.size());
              const std::int64_t want_random = std::min(random, left);
              GC_CHECK_EQ(others, want_random);
              for (const auto c : have)
                GC_CHECK(c >= 0 && c < nb);
              ++rows_checked;
            }
          }
        }
      }
    }
  }
  GC_CHECK(rows_checked > 500);
}

GC_TEST(block_sparse_matches_naive) {
  for (const std::int64_t n : {7, 65, 130}) {
    for (const std::int64_t bs : {16, 64}) {
      BigBirdOptions bb;
      bb.random_blocks = 1;
      bb.global_blocks = n > bs ? 1 : 0;
      bb.seed = static_cast<std::uint64_t>(n);
      BlockSparseOptions o;
      o.layout = make_bigbird_layout(n, bs, bb);
      o.key_padding_mask = tail_padding(2, n, 3);
      const auto allowed = block_layout_mask(o.layout, n);
      const auto xf = make_qkv(2, 3, n, n, 64, torch::kFloat, static_cast<std::uint64_t>(n + bs));
      const auto ref = masked_reference(xf, allowed, o.key_padding_mask).out;
      const auto xd = make_qkv(2, 2, n, n, 33, torch::kDouble, static_cast<std::uint64_t>(n * bs));
      const auto gref = masked_reference(xd, allowed, o.key_padding_mask);
      for (const auto backend : {Backend::Naive, Backend::Cpu}) {
        BlockSparseOptions of = o;
        of.backend = backend;
        GC_CHECK(max_abs_diff(block_sparse_attention(xf.q, xf.k, xf.v, of), ref) < 2e-5);
        const auto got = run_op(&block_sparse_attention, o, backend, xd);
        GC_CHECK(same_run(got, gref, 1e-10,
                          std::string(backend_name(backend)) + " block sparse n=" + std::to_string(n) +
                              " bs=" + std::to_string(bs)));
      }
    }
  }
  // The mask from a hand-written layout: 3 blocks of 4 over n = 10 (the last one 2 long), row 0
  // -> {0, 2}, row 1 -> {1}, row 2 -> {0, 1, 2}: 4*4 + 4*2 + 4*4 + 2*10 = 60 pairs.
  BlockLayout hand;
  hand.block_size = 4;
  hand.num_blocks = 3;
  hand.row_ptr = {0, 2, 3, 6};
  hand.col_idx = {0, 2, 1, 0, 1, 2};
  hand.validate();
  const auto hm = block_layout_mask(hand, 10);
  GC_CHECK_EQ(hm.sum().item<std::int64_t>(), 60);
  GC_CHECK(hm[1][9].item<bool>() && !hm[1][5].item<bool>() && hm[9][5].item<bool>() &&
           !hm[5][9].item<bool>());
  const auto xh = make_qkv(1, 2, 10, 10, 8, torch::kDouble, 77);
  const auto href = masked_reference(xh, hm, {});
  for (const auto backend : {Backend::Naive, Backend::Cpu}) {
    BlockSparseOptions ho;
    ho.layout = hand;
    GC_CHECK(same_run(run_op(&block_sparse_attention, ho, backend, xh), href, 1e-10,
                      std::string(backend_name(backend)) + " hand-written layout"));
  }
  // A layout for the wrong length is an input error.
  BlockSparseOptions o;
  o.layout = make_bigbird_layout(64, 16, {});
  const auto x = make_qkv(1, 1, 65, 65, 16, torch::kFloat, 1);
  GC_CHECK_THROWS(block_sparse_attention(x.q, x.k, x.v, o), gc::InputError);
}

GC_TEST(flash_inspect_matches_reference_probabilities) {
  const std::int64_t n = 130;
  const auto x = make_qkv(2, 3, n, n, 33, torch::kFloat, 8);
  FlashOptions o;
  o.causal = true;
  o.key_padding_mask = tail_padding(2, n, 20);
  const std::vector<std::int64_t> queries{0, 7, 64, 129};
  const auto p = flash_attention_inspect(x.q, x.k, o, queries, {2, 0});
  GC_REQUIRE(p.sizes() == torch::IntArrayRef({2, 2, 4, n}));
  const auto allowed = torch::ones({n, n}, torch::kBool).tril();
  const auto ref = reference_probs(x, allowed, o.key_padding_mask);
  const auto qi = torch::tensor(queries, torch::kLong);
  const auto want =
      ref.index_select(1, torch::tensor(std::vector<std::int64_t>{2, 0}, torch::kLong)).index_select(2, qi);
  GC_CHECK(max_abs_diff(p, want) < 1e-5);
  // All heads when none are named; rows sum to one.
  const auto all = flash_attention_inspect(x.q, x.k, o, {5});
  GC_CHECK_EQ(all.size(1), 3);
  GC_CHECK_NEAR(all.sum(-1).min().item<float>(), 1.0, 1e-5);
  GC_CHECK_THROWS(flash_attention_inspect(x.q, x.k, o, {n}), gc::InputError);
  GC_CHECK_THROWS(flash_attention_inspect(x.q, x.k, o, {0}, {3}), gc::InputError);
}

GC_TEST(sparse_inspect_reproduces_the_output) {
  // out[b, h, i] == sum_j P[b, h, i, j] v[b, h, j] ties the inspect path to the forward kernel.
  const std::int64_t n = 130;
  const auto x = make_qkv(2, 2, n, n, 16, torch::kDouble, 13);
  const std::vector<std::int64_t> queries{0, 3, 64, 100, 129};
  const auto qi = torch::tensor(queries, torch::kLong);
  SlidingWindowOptions so;
  so.window = 6;
  so.global_tokens = {3, 100};
  so.key_padding_mask = tail_padding(2, n, 7);
  so.backend = Backend::Cpu;
  const auto sp = sliding_window_inspect(x.q, x.k, so, queries);
  const auto sout = sliding_window_attention(x.q, x.k, x.v, so);
  GC_CHECK(max_abs_diff(torch::matmul(sp, x.v), sout.index_select(2, qi)) < 1e-10);
  // And the probabilities themselves against the mask from the definition.
  GC_CHECK(max_abs_diff(sp, reference_probs(x, sliding_window_mask(n, 6, {3, 100}), so.key_padding_mask)
                                .index_select(2, qi)) < 1e-12);
  // Query 64 (not global) gives zero weight outside its window and the globals.
  GC_CHECK_EQ(sp[0][0][2][40].item<double>(), 0.0);
  GC_CHECK(sp[0][0][2][100].item<double>() > 0.0);
  BlockSparseOptions bo;
  bo.layout = make_bigbird_layout(n, 16, BigBirdOptions{1, 2, 1, {}, 5});
  bo.key_padding_mask = so.key_padding_mask;
  bo.backend = Backend::Cpu;
  const auto bp = block_sparse_inspect(x.q, x.k, bo, queries, {1});
  const auto bout = block_sparse_attention(x.q, x.k, x.v, bo);
  GC_CHECK(max_abs_diff(torch::matmul(bp, x.v.narrow(1, 1, 1)), bout.narrow(1, 1, 1).index_select(2, qi)) <
           1e-10);
  GC_CHECK(max_abs_diff(bp, reference_probs(x, block_layout_mask(bo.layout, n), bo.key_padding_mask)
                                .narrow(1, 1, 1)
                                .index_select(2, qi)) < 1e-12);
}

namespace {

struct Graph {
  GraphCsr csr;
  torch::Tensor xs, xd, xe, att;
};

// Random graph where nodes >= n/2 + 3 have no incoming edges (isolated as destinations).
Graph make_graph(std::int64_t n, std::int64_t e, std::int64_t h, std::int64_t c, bool edge_features,
                 torch::ScalarType dtype, std::uint64_t seed) {
  torch::manual_seed(seed);
  const auto src = torch::randint(0, n, {e}, torch::kLong);
  const auto dst =
      torch::randint(0, std::max<std::int64_t>(1, n / 2 + 3), {e}, torch::kLong).clamp_max(n - 1);
  Graph g;
  g.csr = GraphCsr::from_edges(src, dst, n);
  const auto o = torch::TensorOptions().dtype(dtype);
  g.xs = torch::randn({n, h, c}, o);
  g.xd = torch::randn({n, h, c}, o);
  if (edge_features) g.xe = torch::randn({e, h, c}, o);
  g.att = torch::randn({h, c}, o);
  return g;
}

gc::test::Run run_gat(const Graph& g, Backend backend) {
  Gatv2Options o;
  o.backend = backend;
  return run_with_grads(
      [&](const std::vector<torch::Tensor>& in) {
        return gatv2_aggregate(in[0], in[1], in[2], in[3], g.csr, o);
      },
      {g.xs, g.xd, g.xe, g.att});
}

} // namespace

GC_TEST(gatv2_matches_naive_forward_and_gradients) {
  for (const std::int64_t c : {5, 16}) {
    for (const bool ef : {false, true}) {
      const auto gf = make_graph(50, 300, 3, c, ef, torch::kFloat, static_cast<std::uint64_t>(c));
      GC_CHECK(max_abs_diff(run_gat(gf, Backend::Cpu).out, run_gat(gf, Backend::Naive).out) < 1e-5);
      const auto gd = make_graph(50, 300, 3, c, ef, torch::kDouble, static_cast<std::uint64_t>(c + 1));
      const auto ref = run_gat(gd, Backend::Naive);
      const auto got = run_gat(gd, Backend::Cpu);
      GC_CHECK(same_run(got, ref, 1e-10, "gatv2 c=" + std::to_string(c)));
      // Nodes without incoming edges: zero output.
      GC_CHECK_EQ(got.out.slice(0, 50 / 2 + 3).abs().max().item<double>(), 0.0);
    }
  }
}

GC_TEST(gatv2_empty_graph_and_isolated_nodes) {
  for (const std::int64_t n : {0, 5}) {
    auto g = make_graph(std::max<std::int64_t>(n, 1), 0, 2, 4, true, torch::kFloat, 3);
    if (n == 0) {
      g.csr = GraphCsr{torch::zeros({1}, torch::kLong), torch::zeros({0}, torch::kLong)};
      g.xs = torch::zeros({0, 2, 4});
      g.xd = torch::zeros({0, 2, 4});
      g.xe = torch::zeros({0, 2, 4});
    }
    for (const auto backend : {Backend::Naive, Backend::Cpu}) {
      const auto r = run_gat(g, backend);
      GC_CHECK_EQ(r.out.size(0), n);
      GC_CHECK(gc::test::all_finite(r.out));
      if (n > 0) GC_CHECK_EQ(r.out.abs().max().item<float>(), 0.0f);
      for (const auto& gr : r.grads)
        GC_CHECK(gc::test::all_finite(gr));
    }
  }
}

GC_TEST(gatv2_inspect_and_layer) {
  const auto g = make_graph(40, 200, 2, 8, true, torch::kDouble, 17);
  const std::vector<std::int64_t> nodes{0, 3, 39};
  const auto a = gatv2_inspect(g.xs, g.xd, g.xe, g.att, g.csr, nodes);
  const auto rp = g.csr.row_ptr;
  const auto expected_edges = (rp[1] - rp[0] + rp[4] - rp[3] + rp[40] - rp[39]).item<std::int64_t>();
  GC_REQUIRE(a.alpha.size(0) == expected_edges);
  // Weights of each node's edges sum to one, and reproduce the aggregated output.
  const auto out = gatv2_aggregate(g.xs, g.xd, g.xe, g.att, g.csr);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const auto sel = a.dst.eq(nodes[k]);
    if (!sel.any().item<bool>()) continue;
    const auto alpha = a.alpha.index({sel});
    GC_CHECK(max_abs_diff(alpha.sum(0), torch::ones({2}, torch::kDouble)) < 1e-12);
    const auto msg = (alpha.unsqueeze(-1) * g.xs.index_select(0, a.src.index({sel}))).sum(0);
    GC_CHECK(max_abs_diff(msg, out[nodes[k]]) < 1e-12);
  }
  GC_CHECK_THROWS(gatv2_inspect(g.xs, g.xd, g.xe, g.att, g.csr, {40}), gc::InputError);

  torch::manual_seed(1);
  Gatv2LayerOptions lo;
  lo.in_dim = 6;
  lo.edge_dim = 3;
  lo.heads = 4;
  lo.out_dim = 5;
  Gatv2Layer concat(lo);
  lo.concat = false;
  Gatv2Layer mean(lo);
  const auto x = torch::randn({40, 6});
  const auto ea = torch::randn({200, 3});
  const auto y = concat->forward(x, ea, g.csr);
  GC_CHECK(y.sizes() == torch::IntArrayRef({40, 20}));
  GC_CHECK(mean->forward(x, ea, g.csr).sizes() == torch::IntArrayRef({40, 5}));
  y.pow(2).sum().backward();
  for (const auto& p : concat->parameters())
    GC_CHECK(p.grad().defined() && gc::test::all_finite(p.grad()));
}

GC_TEST(graph_csr_from_edges) {
  const auto src = torch::tensor(std::vector<std::int64_t>{0, 2, 1, 2, 0}, torch::kLong);
  const auto dst = torch::tensor(std::vector<std::int64_t>{1, 0, 1, 3, 3}, torch::kLong);
  torch::Tensor perm;
  const auto g = GraphCsr::from_edges(src, dst, 4, &perm);
  GC_CHECK(g.row_ptr.equal(torch::tensor(std::vector<std::int64_t>{0, 1, 3, 3, 5}, torch::kLong)));
  GC_CHECK(g.col_idx.equal(torch::tensor(std::vector<std::int64_t>{2, 0, 1, 2, 0}, torch::kLong)));
  GC_CHECK(perm.equal(torch::tensor(std::vector<std::int64_t>{1, 0, 2, 3, 4}, torch::kLong)));
  GC_CHECK_THROWS(GraphCsr::from_edges(src, dst, 3), gc::InputError);
  const GraphCsr bad{torch::tensor(std::vector<std::int64_t>{0, 2, 1}, torch::kLong),
                     torch::tensor(std::vector<std::int64_t>{0}, torch::kLong)};
  GC_CHECK_THROWS(bad.validate(), gc::InputError);
}

GC_TEST(backend_selection_and_override) {
  GC_CHECK(parse_backend("naive") == Backend::Naive);
  GC_CHECK(parse_backend("cpu") == Backend::Cpu);
  GC_CHECK_THROWS((void)parse_backend("gpu"), gc::InputError);
  const auto x = make_qkv(1, 1, 7, 7, 16, torch::kFloat, 2);
  FlashOptions o;
  o.backend = Backend::Cuda;
  if (!torch::cuda::is_available()) GC_CHECK_THROWS(flash_attention(x.q, x.k, x.v, o), gc::InputError);
  // The override applies to Auto calls; explicit requests still win.
  set_backend_override(Backend::Cuda);
  GC_CHECK(backend_override() == Backend::Cuda);
  o.backend = Backend::Auto;
  if (!torch::cuda::is_available()) GC_CHECK_THROWS(flash_attention(x.q, x.k, x.v, o), gc::InputError);
  o.backend = Backend::Naive;
  GC_CHECK(gc::test::all_finite(flash_attention(x.q, x.k, x.v, o)));
  set_backend_override(std::nullopt);
  ::setenv("GENOCIRCUIT_ATTENTION_BACKEND", "naive", 1);
  GC_CHECK(backend_override() == Backend::Naive);
  ::setenv("GENOCIRCUIT_ATTENTION_BACKEND", "bogus", 1);
  GC_CHECK_THROWS((void)backend_override(), gc::InputError);
  ::unsetenv("GENOCIRCUIT_ATTENTION_BACKEND");
  GC_CHECK(!backend_override().has_value());
  // Bad shapes are input errors.
  GC_CHECK_THROWS(flash_attention(x.q, x.k.narrow(3, 0, 8), x.v, {}), gc::InputError);
  FlashOptions bad_mask;
  bad_mask.key_padding_mask = torch::zeros({1, 6}, torch::kBool);
  GC_CHECK_THROWS(flash_attention(x.q, x.k, x.v, bad_mask), gc::InputError);
}

GC_TEST_MAIN()
