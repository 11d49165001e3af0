// CUDA kernels against the naive reference on the same device (label gpu): skipped when this
// build has no CUDA kernels or LibTorch sees no CUDA device.
#include "gc/kernels/backend.h"
#include "gc/kernels/block_sparse.h"
#include "gc/kernels/flash_attention.h"
#include "gc/kernels/gatv2.h"
#include "gc/kernels/sliding_window.h"

#include "gc_test.h"
#include "kernel_test_util.h"

using namespace gc::kernels;
using gc::test::max_abs_diff;
using gc::test::run_with_grads;

namespace {

void require_cuda() {
  if (!cuda_kernels_compiled()) GC_SKIP("this build has no CUDA kernels");
  if (!torch::cuda::is_available()) GC_SKIP("no CUDA device visible to LibTorch");
}

std::vector<torch::Tensor> qkv(std::int64_t n, std::int64_t d, torch::ScalarType dtype, std::uint64_t seed) {
  torch::manual_seed(seed);
  const auto o = torch::TensorOptions().dtype(dtype).device(torch::kCUDA);
  return {torch::randn({2, 3, n, d}, o), torch::randn({2, 3, n, d}, o), torch::randn({2, 3, n, d}, o)};
}

template <typename F>
void compare(F op, const std::vector<torch::Tensor>& x, double tol) {
  const auto ref = run_with_grads([&](const auto& in) { return op(in, Backend::Naive); }, x);
  const auto got = run_with_grads([&](const auto& in) { return op(in, Backend::Cuda); }, x);
  GC_CHECK(max_abs_diff(got.out, ref.out) < tol);
  for (std::size_t i = 0; i < got.grads.size(); ++i)
    GC_CHECK(max_abs_diff(got.grads[i], ref.grads[i]) < tol * 10);
}

} // namespace

GC_TEST(cuda_flash_matches_naive) {
  require_cuda();
  for (const std::int64_t n : {1, 7, 65, 130}) {
    for (const std::int64_t d : {16, 33, 64}) {
      for (const bool causal : {false, true}) {
        const auto mask =
            torch::zeros({2, n}, torch::kBool).index_fill_(1, torch::tensor({n - 1}), true).cuda();
        compare(
            [&](const auto& in, Backend b) {
              FlashOptions o;
              o.causal = causal;
              o.key_padding_mask = mask;
              o.dropout = 0.2;
              o.training = true;
              o.seed = 3;
              o.backend = b;
              return flash_attention(in[0], in[1], in[2], o);
            },
            qkv(n, d, torch::kFloat, static_cast<std::uint64_t>(n + d)), 1e-4);
      }
    }
  }
}

GC_TEST(cuda_sparse_patterns_match_naive) {
  require_cuda();
  const std::int64_t n = 130;
  compare(
      [&](const auto& in, Backend b) {
        SlidingWindowOptions o;
        o.window = 5;
        o.global_tokens = {0, 77};
        o.backend = b;
        return sliding_window_attention(in[0], in[1], in[2], o);
      },
      qkv(n, 33, torch::kFloat, 1), 1e-4);
  compare(
      [&](const auto& in, Backend b) {
        BlockSparseOptions o;
        o.layout = make_bigbird_layout(n, 16, BigBirdOptions{1, 2, 1, {}, 9});
        o.backend = b;
        return block_sparse_attention(in[0], in[1], in[2], o);
      },
      qkv(n, 64, torch::kFloat, 2), 1e-4);
}

GC_TEST(cuda_bf16_flash_close_to_f32) {
  require_cuda();
  const auto x = qkv(130, 64, torch::kFloat, 4);
  FlashOptions o;
  o.backend = Backend::Naive;
  const auto ref = flash_attention(x[0].to(torch::kBFloat16).to(torch::kFloat),
                                   x[1].to(torch::kBFloat16).to(torch::kFloat),
                                   x[2].to(torch::kBFloat16).to(torch::kFloat), o);
  o.backend = Backend::Cuda;
  const auto got =
      flash_attention(x[0].to(torch::kBFloat16), x[1].to(torch::kBFloat16), x[2].to(torch::kBFloat16), o);
  GC_CHECK(max_abs_diff(got, ref) < 2e-2);
}

GC_TEST(cuda_gatv2_matches_naive) {
  require_cuda();
  torch::manual_seed(5);
  const std::int64_t n = 60, e = 400;
  const auto src = torch::randint(0, n, {e}, torch::kLong);
  const auto dst = torch::randint(0, n - 10, {e}, torch::kLong); // the last 10 nodes are isolated
  auto g = GraphCsr::from_edges(src, dst, n);
  g = GraphCsr{g.row_ptr.cuda(), g.col_idx.cuda()};
  const auto o = torch::TensorOptions().device(torch::kCUDA);
  const std::vector<torch::Tensor> x{torch::randn({n, 4, 16}, o), torch::randn({n, 4, 16}, o),
                                     torch::randn({e, 4, 16}, o), torch::randn({4, 16}, o)};
  compare(
      [&](const auto& in, Backend b) {
        Gatv2Options go;
        go.backend = b;
        return gatv2_aggregate(in[0], in[1], in[2], in[3], g, go);
      },
      x, 1e-4);
}

GC_TEST_MAIN()
