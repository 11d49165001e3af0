#include "linalg.h"

#include "gc/util/error.h"
#include "gc/util/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gc::perturb::detail {

Mat multiply(const Mat& a, const Mat& b) {
  if (a.cols != b.rows) throw Error("matrix product: inner sizes differ");
  Mat c(a.rows, b.cols);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t k = 0; k < a.cols; ++k) {
      const double x = a(i, k);
      if (x == 0.0) continue;
      const double* br = b.v.data() + k * b.cols;
      double* cr = c.v.data() + i * c.cols;
      for (std::size_t j = 0; j < b.cols; ++j)
        cr[j] += x * br[j];
    }
  return c;
}

Mat multiply_transposed(const Mat& a, const Mat& b) {
  if (a.rows != b.rows) throw Error("matrix product: inner sizes differ");
  Mat c(a.cols, b.cols);
  for (std::size_t k = 0; k < a.rows; ++k) {
    const double* ar = a.v.data() + k * a.cols;
    const double* br = b.v.data() + k * b.cols;
    for (std::size_t i = 0; i < a.cols; ++i) {
      const double x = ar[i];
      if (x == 0.0) continue;
      double* cr = c.v.data() + i * c.cols;
      for (std::size_t j = 0; j < b.cols; ++j)
        cr[j] += x * br[j];
    }
  }
  return c;
}

Mat transpose(const Mat& a) {
  Mat t(a.cols, a.rows);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < a.cols; ++j)
      t(j, i) = a(i, j);
  return t;
}

Mat solve_spd(const Mat& a, const Mat& b) {
  const auto n = a.rows;
  if (a.cols != n || b.rows != n) throw Error("solve_spd: sizes differ");
  Mat l(n, n);
  for (std::size_t j = 0; j < n; ++j) {
    double d = a(j, j);
    for (std::size_t k = 0; k < j; ++k)
      d -= l(j, k) * l(j, k);
    if (!(d > 0.0)) throw Error("solve_spd: matrix is not positive definite");
    l(j, j) = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a(i, j);
      for (std::size_t k = 0; k < j; ++k)
        s -= l(i, k) * l(j, k);
      l(i, j) = s / l(j, j);
    }
  }
  Mat x = b;
  for (std::size_t c = 0; c < b.cols; ++c) {
    for (std::size_t i = 0; i < n; ++i) { // L y = b
      double s = x(i, c);
      for (std::size_t k = 0; k < i; ++k)
        s -= l(i, k) * x(k, c);
      x(i, c) = s / l(i, i);
    }
    for (std::size_t i = n; i-- > 0;) { // Lᵀ x = y
      double s = x(i, c);
      for (std::size_t k = i + 1; k < n; ++k)
        s -= l(k, i) * x(k, c);
      x(i, c) = s / l(i, i);
    }
  }
  return x;
}

void symmetric_eigen(const Mat& input, std::vector<double>& values, Mat& vectors) {
  const auto n = input.rows;
  Mat a = input;
  Mat v(n, n);
  for (std::size_t i = 0; i < n; ++i)
    v(i, i) = 1.0;
  double total = 0.0;
  for (const double x : a.v)
    total += x * x;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q)
        off += a(p, q) * a(p, q);
    if (off <= 1e-30 * total || off == 0.0) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a(p, q);
        if (apq == 0.0) continue;
        // The rotation that zeroes a(p, q): tan of its angle is the smaller root of t² + 2θt − 1.
        const double theta = (a(q, q) - a(p, p)) / (2.0 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0);
        const double s = t * c;
        for (std::size_t k = 0; k < n; ++k) { // columns p, q
          const double akp = a(k, p), akq = a(k, q);
          a(k, p) = c * akp - s * akq;
          a(k, q) = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) { // rows p, q
          const double apk = a(p, k), aqk = a(q, k);
          a(p, k) = c * apk - s * aqk;
          a(q, k) = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v(k, p), vkq = v(k, q);
          v(k, p) = c * vkp - s * vkq;
          v(k, q) = s * vkp + c * vkq;
        }
      }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return a(x, x) > a(y, y); });
  values.resize(n);
  vectors = Mat(n, n);
  for (std::size_t j = 0; j < n; ++j) {
    values[j] = a(order[j], order[j]);
    for (std::size_t i = 0; i < n; ++i)
      vectors(i, j) = v(i, order[j]);
  }
}

namespace {

// Orthonormalises the columns of q in place (modified Gram–Schmidt, twice for stability); a
// column that (nearly) lies in the span of the previous ones is replaced by a random one, so
// the block keeps its size when `a` has a lower rank.
void orthonormalise(Mat& q, Rng& rng) {
  const auto n = q.rows, b = q.cols;
  for (std::size_t j = 0; j < b; ++j) {
    for (int attempt = 0;; ++attempt) {
      double before = 0.0;
      for (std::size_t r = 0; r < n; ++r)
        before += q(r, j) * q(r, j);
      for (int pass = 0; pass < 2; ++pass)
        for (std::size_t i = 0; i < j; ++i) {
          double d = 0.0;
          for (std::size_t r = 0; r < n; ++r)
            d += q(r, i) * q(r, j);
          for (std::size_t r = 0; r < n; ++r)
            q(r, j) -= d * q(r, i);
        }
      double norm = 0.0;
      for (std::size_t r = 0; r < n; ++r)
        norm += q(r, j) * q(r, j);
      if (norm > 1e-20 * before && norm > 1e-300) {
        norm = std::sqrt(norm);
        for (std::size_t r = 0; r < n; ++r)
          q(r, j) /= norm;
        break;
      }
      if (attempt > 100) throw Error("orthonormalise: cannot extend the basis");
      for (std::size_t r = 0; r < n; ++r)
        q(r, j) = rng.normal();
    }
  }
}

} // namespace

void top_eigen(const Mat& a, std::size_t k, std::vector<double>& values, Mat& vectors) {
  const auto n = a.rows;
  k = std::min(k, n);
  const std::size_t block = std::min(n, 2 * k + 10);
  if (n <= 200 || block == n) {
    std::vector<double> all;
    Mat vecs;
    symmetric_eigen(a, all, vecs);
    values.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
    vectors = Mat(n, k);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < k; ++j)
        vectors(i, j) = vecs(i, j);
    return;
  }
  Rng rng(0x9ca);
  Mat q(n, block);
  for (auto& x : q.v)
    x = rng.normal();
  orthonormalise(q, rng);
  std::vector<double> theta;
  Mat ritz;
  for (int iter = 0; iter < 3000; ++iter) {
    Mat z = multiply(a, q);
    // Rayleigh–Ritz: the best approximations to eigenpairs within span(q).
    const Mat t = multiply_transposed(q, z);
    symmetric_eigen(t, theta, ritz);
    Mat x = multiply(q, ritz);  // Ritz vectors
    Mat ax = multiply(z, ritz); // a times them
    double worst = 0.0;
    for (std::size_t j = 0; j < k; ++j) {
      double r = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double d = ax(i, j) - theta[j] * x(i, j);
        r += d * d;
      }
      worst = std::max(worst, std::sqrt(r));
    }
    if (worst <= 1e-10 * std::max(theta.front(), 1e-300) || iter == 2999) {
      values.assign(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(k));
      vectors = Mat(n, k);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < k; ++j)
          vectors(i, j) = x(i, j);
      return;
    }
    q = std::move(ax);
    orthonormalise(q, rng);
  }
}

Mat pca_scores(const Mat& x, std::size_t k) {
  const auto rows = x.rows, cols = x.cols;
  k = std::min({k, rows, cols});
  Mat c = x;
  for (std::size_t j = 0; j < cols; ++j) {
    double mean = 0.0;
    for (std::size_t i = 0; i < rows; ++i)
      mean += c(i, j);
    mean /= static_cast<double>(rows);
    for (std::size_t i = 0; i < rows; ++i)
      c(i, j) -= mean;
  }
  Mat scores(rows, k);
  if (k == 0) return scores;
  std::vector<double> lambda;
  Mat vecs;
  if (cols <= rows) {
    // Eigenvectors of cᵀc are the loadings V; scores = c V.
    top_eigen(multiply_transposed(c, c), k, lambda, vecs);
    const Mat s = multiply(c, vecs);
    for (std::size_t j = 0; j < k; ++j)
      if (lambda[j] > 1e-12 * std::max(lambda.front(), 1e-300))
        for (std::size_t i = 0; i < rows; ++i)
          scores(i, j) = s(i, j);
  } else {
    // Eigenvectors of c cᵀ are U; scores = U S with S² the eigenvalues.
    top_eigen(multiply(c, transpose(c)), k, lambda, vecs);
    for (std::size_t j = 0; j < k; ++j)
      if (lambda[j] > 1e-12 * std::max(lambda.front(), 1e-300))
        for (std::size_t i = 0; i < rows; ++i)
          scores(i, j) = vecs(i, j) * std::sqrt(lambda[j]);
  }
  return scores;
}

} // namespace gc::perturb::detail
