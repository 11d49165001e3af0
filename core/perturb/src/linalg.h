#pragma once
// The little dense linear algebra the baselines need (PCA of a genes × perturbations matrix,
// small ridge systems). Written here because gc::perturb builds in GENOCIRCUIT_MINIMAL, which
// has no Eigen; every system solved is small (the PCA's side is min(genes, profiles)).
#include <cstddef>
#include <vector>

namespace gc::perturb::detail {

// Row-major dense matrix.
struct Mat {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> v;

  Mat() = default;
  Mat(std::size_t r, std::size_t c, double fill = 0.0) : rows(r), cols(c), v(r * c, fill) {}
  double& operator()(std::size_t r, std::size_t c) { return v[r * cols + c]; }
  double operator()(std::size_t r, std::size_t c) const { return v[r * cols + c]; }
};

[[nodiscard]] Mat multiply(const Mat& a, const Mat& b);            // a b
[[nodiscard]] Mat multiply_transposed(const Mat& a, const Mat& b); // aᵀ b
[[nodiscard]] Mat transpose(const Mat& a);

// Solves a x = b for symmetric positive definite `a` (Cholesky); b has one column per system.
// Throws gc::Error when `a` is not positive definite.
[[nodiscard]] Mat solve_spd(const Mat& a, const Mat& b);

// Eigenpairs of a symmetric matrix, eigenvalues in descending order, eigenvectors as the
// columns of `vectors`. Cyclic Jacobi rotations: exact to rounding, for small matrices.
void symmetric_eigen(const Mat& a, std::vector<double>& values, Mat& vectors);

// The k largest eigenpairs of a symmetric positive semi-definite matrix: Jacobi when it is
// small, else subspace iteration with Rayleigh–Ritz steps until the residuals are at rounding
// level.
void top_eigen(const Mat& a, std::size_t k, std::vector<double>& values, Mat& vectors);

// Principal component scores of the rows of `x` (rows = observations, columns = variables;
// every column centred): rows × k, = U_k S_k of the centred x, as R's prcomp(x)$x. Components
// with no variance have zero scores; k is capped at min(rows, cols).
[[nodiscard]] Mat pca_scores(const Mat& x, std::size_t k);

} // namespace gc::perturb::detail
