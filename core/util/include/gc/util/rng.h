#pragma once
// A seeded random number generator whose output is the same on every platform and standard
// library (std:: distributions are implementation-defined), so simulations are
// byte-reproducible from their seed. xoshiro256** seeded by splitmix64.
#include <array>
#include <cstdint>
#include <vector>

namespace gc {

class Rng {
public:
  explicit Rng(std::uint64_t seed = 0x5eed);

  // An independent stream derived from this generator's seed and `stream` (does not advance this one).
  [[nodiscard]] Rng fork(std::uint64_t stream) const;

  std::uint64_t next_u64() noexcept;
  // Uniform in [0, 1).
  double uniform() noexcept;
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) noexcept;
  double normal() noexcept;
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  double exponential(double rate) noexcept;
  // Marsaglia–Tsang; shape > 0, scale > 0.
  double gamma(double shape, double scale) noexcept;
  std::uint64_t poisson(double mean) noexcept;
  bool bernoulli(double p) noexcept { return uniform() < p; }
  // Index drawn with probability proportional to weights (all >= 0, not all 0).
  std::size_t categorical(const std::vector<double>& weights) noexcept;
  template <typename T>
  void shuffle(std::vector<T>& v) noexcept {
    for (std::size_t i = v.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(below(i));
      std::swap(v[i - 1], v[j]);
    }
  }

private:
  std::uint64_t m_seed;
  std::array<std::uint64_t, 4> m_s{};
  bool m_has_spare = false;
  double m_spare = 0.0;
};

} // namespace gc
