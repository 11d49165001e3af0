#include "gc/perturb/shapley.h"

#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/timing.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_set>

namespace gc::perturb {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// A coalition as 64-bit words: the cache key, and cheaper to flip and complement than vector<bool>.
using Bits = std::vector<std::uint64_t>;

std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t hash_words(const std::uint64_t* words, std::size_t count) noexcept {
  std::uint64_t h = 0;
  for (std::size_t w = 0; w < count; ++w)
    h = mix64(h ^ words[w]);
  return h;
}

std::size_t word_count(std::size_t n) { return (n + 63) / 64; }
void set_bit(Bits& b, std::size_t i) { b[i / 64] |= std::uint64_t{1} << (i % 64); }
bool test_bit(const std::uint64_t* b, std::size_t i) { return ((b[i / 64] >> (i % 64)) & 1u) != 0; }

Bits complement(const Bits& b, std::size_t n) {
  Bits c(b.size());
  for (std::size_t w = 0; w < b.size(); ++w)
    c[w] = ~b[w];
  if (n % 64 != 0) c.back() &= (std::uint64_t{1} << (n % 64)) - 1;
  return c;
}

// "{A, C, F}" for error messages, shortened for large coalitions.
std::string describe(const Coalition& c, const std::vector<std::string>& names) {
  std::string s = "{";
  std::size_t shown = 0, present = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!c[i]) continue;
    ++present;
    if (shown < 8) {
      if (shown > 0) s += ", ";
      s += names[i];
      ++shown;
    }
  }
  if (present > shown) s += ", ... (" + std::to_string(present) + " players)";
  return s + "}";
}

// Runs the value function for every method: batching, the contract checks, the counts and the
// cache. Handles index coalitions in the order they were first requested.
class Evaluator {
public:
  Evaluator(const ShapleyGame& game, std::size_t batch_size, const Progress& progress)
      : m_game(game), m_n(game.players.size()), m_outputs(game.output_count()), m_words(word_count(m_n)),
        m_batch(batch_size), m_progress(progress) {}

  [[nodiscard]] std::size_t outputs() const noexcept { return m_outputs; }
  [[nodiscard]] std::size_t evaluations() const noexcept { return m_evaluations; }
  [[nodiscard]] std::size_t calls() const noexcept { return m_calls; }
  [[nodiscard]] std::size_t cache_hits() const noexcept { return m_hits; }

  // One value-function call, checked; the caller guarantees that no coalition repeats.
  std::vector<double> call(const std::vector<Coalition>& coalitions) {
    m_progress.check();
    std::vector<double> values = m_game.value(coalitions);
    ++m_calls;
    m_evaluations += coalitions.size();
    if (values.size() != coalitions.size() * m_outputs) {
      throw Error("Shapley value function returned " + std::to_string(values.size()) + " values for " +
                  std::to_string(coalitions.size()) + " coalitions (expected " +
                  std::to_string(coalitions.size()) + " x " + std::to_string(m_outputs) + " outputs)");
    }
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (std::isfinite(values[k])) continue;
      const std::size_t c = k / m_outputs;
      std::string what = "Shapley value function returned " +
                         std::string(std::isnan(values[k]) ? "NaN" : "an infinity") + " for coalition " +
                         describe(coalitions[c], m_game.players);
      if (!m_game.outputs.empty()) what += " (output '" + m_game.outputs[k % m_outputs] + "')";
      throw Error(what);
    }
    m_progress.check();
    return values;
  }

  // Queues a coalition unless it was seen before; returns its handle.
  std::size_t request(const Bits& bits) {
    if (2 * (m_count + 1) > m_slots.size()) grow();
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t s = hash_words(bits.data(), m_words) & mask;; s = (s + 1) & mask) {
      const std::size_t h = m_slots[s];
      if (h == empty_slot) {
        m_slots[s] = m_count;
        m_bits.insert(m_bits.end(), bits.begin(), bits.end());
        return m_count++;
      }
      if (std::equal(bits.begin(), bits.end(), m_bits.begin() + static_cast<std::ptrdiff_t>(h * m_words))) {
        ++m_hits;
        return h;
      }
    }
  }

  // Evaluates every queued coalition in calls of at most batch_size, reporting on `progress`.
  void flush(const Progress& progress, std::string_view message) {
    const std::size_t total = m_count;
    const std::size_t first = m_values.size() / m_outputs;
    m_values.resize(total * m_outputs, not_a_number);
    std::vector<Coalition> chunk;
    for (std::size_t begin = first; begin < total; begin += m_batch) {
      const std::size_t end = std::min(total, begin + m_batch);
      chunk.assign(end - begin, Coalition(m_n, false));
      for (std::size_t h = begin; h < end; ++h) {
        for (std::size_t i = 0; i < m_n; ++i)
          chunk[h - begin][i] = present(h, i);
      }
      const std::vector<double> v = call(chunk);
      std::copy(v.begin(), v.end(), m_values.begin() + static_cast<std::ptrdiff_t>(begin * m_outputs));
      progress.update(static_cast<double>(end - first) / static_cast<double>(total - first), message);
    }
  }

  [[nodiscard]] double value(std::size_t handle, std::size_t output) const {
    return m_values[handle * m_outputs + output];
  }
  [[nodiscard]] bool present(std::size_t handle, std::size_t player) const {
    return test_bit(m_bits.data() + handle * m_words, player);
  }

private:
  static constexpr std::size_t empty_slot = static_cast<std::size_t>(-1);

  // Doubles the open-addressing table (load <= 1/2) and re-inserts every handle.
  void grow() {
    m_slots.assign(std::max<std::size_t>(64, 2 * m_slots.size()), empty_slot);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t h = 0; h < m_count; ++h) {
      std::size_t s = hash_words(m_bits.data() + h * m_words, m_words) & mask;
      while (m_slots[s] != empty_slot)
        s = (s + 1) & mask;
      m_slots[s] = h;
    }
  }

  const ShapleyGame& m_game;
  std::size_t m_n;
  std::size_t m_outputs;
  std::size_t m_words;
  std::size_t m_batch;
  const Progress& m_progress;
  // The cache: coalitions as m_words words per handle, found through a linear-probing table of
  // handles (compact, with no allocation per coalition: sampling many players fills millions).
  std::vector<std::uint64_t> m_bits;
  std::vector<std::size_t> m_slots;
  std::size_t m_count = 0;
  std::vector<double> m_values; // m_outputs per evaluated handle
  std::size_t m_evaluations = 0;
  std::size_t m_calls = 0;
  std::size_t m_hits = 0;
};

// Per-output φ, SE, f(all), f(none) before they are spread into one result per output.
struct Estimate {
  std::vector<std::vector<double>> phi, se;
  std::vector<double> f_all, f_none;
  std::size_t samples = 0;
  bool target_reached = false;
};

// Binomial coefficient as a double (exact while it fits in 53 bits; only compared or divided by).
double choose(std::size_t n, std::size_t k) {
  double c = 1.0;
  for (std::size_t j = 1; j <= k; ++j)
    c = c * static_cast<double>(n - k + j) / static_cast<double>(j);
  return std::round(c);
}

Estimate exact(const ShapleyGame& game, const ShapleyOptions& options, Evaluator& eval,
               const Progress& progress) {
  const std::size_t n = game.players.size();
  if (n > max_exact_players) {
    throw InputError("exact Shapley enumeration handles at most " + std::to_string(max_exact_players) +
                     " players (2^" + std::to_string(max_exact_players) + " coalitions); this game has " +
                     std::to_string(n) + ": use the permutation or kernel method");
  }
  const std::size_t m = eval.outputs();
  const std::size_t total = std::size_t{1} << n;
  std::vector<double> table(total * m); // by coalition bitmask

  // Gray code g(k) = k ^ (k >> 1): step k flips player ctz(k), so every call continues the walk.
  Coalition current(n, false);
  std::vector<Coalition> chunk;
  std::vector<std::size_t> masks;
  for (std::size_t begin = 0; begin < total; begin += options.batch_size) {
    const std::size_t end = std::min(total, begin + options.batch_size);
    chunk.clear();
    masks.clear();
    for (std::size_t k = begin; k < end; ++k) {
      if (k > 0) {
        const auto flip = static_cast<std::size_t>(std::countr_zero(k));
        current[flip] = !current[flip];
      }
      chunk.push_back(current);
      masks.push_back(k ^ (k >> 1));
    }
    const std::vector<double> v = eval.call(chunk);
    for (std::size_t c = 0; c < masks.size(); ++c) {
      std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(c * m), m,
                  table.begin() + static_cast<std::ptrdiff_t>(masks[c] * m));
    }
    progress.update(0.95 * static_cast<double>(end) / static_cast<double>(total),
                    "exact Shapley enumeration");
  }

  // φ_i = Σ_{S ∌ i} |S|! (n − |S| − 1)! / n! · (v(S ∪ i) − v(S)), the weight being 1 / (n C(n−1, |S|)).
  std::vector<double> weight(n);
  for (std::size_t s = 0; s < n; ++s)
    weight[s] = 1.0 / (static_cast<double>(n) * choose(n - 1, s));
  Estimate e;
  e.phi.assign(m, std::vector<double>(n, 0.0));
  e.se.assign(m, std::vector<double>(n, not_a_number));
  for (std::size_t mask = 0; mask < total; ++mask) {
    const auto size = static_cast<std::size_t>(std::popcount(mask));
    if (size == n) continue;
    const double w = weight[size];
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t bit = std::size_t{1} << i;
      if ((mask & bit) != 0) continue;
      for (std::size_t o = 0; o < m; ++o)
        e.phi[o][i] += w * (table[(mask | bit) * m + o] - table[mask * m + o]);
    }
  }
  for (std::size_t o = 0; o < m; ++o) {
    e.f_none.push_back(table[o]);
    e.f_all.push_back(table[(total - 1) * m + o]);
  }
  return e;
}

Estimate permutation(const ShapleyGame& game, const ShapleyOptions& options, Evaluator& eval,
                     const Progress& progress) {
  const std::size_t n = game.players.size();
  const std::size_t m = eval.outputs();
  const std::size_t words = word_count(n);
  const std::size_t per_unit = options.antithetic ? 2 : 1; // permutations per sampling unit
  const std::size_t max_units =
      std::max<std::size_t>(2, (options.max_permutations + per_unit - 1) / per_unit);
  const std::size_t min_units =
      std::clamp<std::size_t>((options.min_permutations + per_unit - 1) / per_unit, 2, max_units);
  const std::size_t per_batch =
      std::max<std::size_t>(1, options.batch_size / std::max<std::size_t>(1, per_unit * (n - 1)));
  const bool has_target = options.target_se > 0.0;

  Rng rng(options.seed);
  const std::size_t h_none = eval.request(Bits(words, 0));
  const std::size_t h_all = eval.request(complement(Bits(words, 0), n));

  // A unit's value for player i is its marginal contribution in the permutation, averaged with
  // the one in the reversed permutation when antithetic; Welford's running mean and variance.
  std::vector<double> mean(m * n, 0.0), m2(m * n, 0.0);
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  std::vector<std::size_t> perms, prefix, suffix;
  std::size_t units = 0;
  double max_se = std::numeric_limits<double>::infinity();
  double reported = 0.0;
  Estimate e;
  while (units < max_units) {
    std::size_t round = per_batch;
    if (has_target) {
      if (units == 0) {
        round = min_units;
      } else {
        // Projected from SE ∝ 1/√units, so the last round overshoots the target by little; a
        // floor of 1/8 of what is done (and of a batch) keeps the rounds, hence calls, few.
        const double ratio = max_se / options.target_se;
        const double needed = std::ceil(static_cast<double>(units) * ratio * ratio * 1.05) + 1.0;
        const double more = std::max(0.0, needed - static_cast<double>(units));
        const std::size_t floor = std::max<std::size_t>(1, std::min(per_batch, units) / 8);
        round = std::clamp<std::size_t>(static_cast<std::size_t>(std::min(more, 1e15)), floor, per_batch);
      }
    }
    round = std::min(round, max_units - units);

    perms.clear();
    prefix.clear();
    suffix.clear();
    for (std::size_t u = 0; u < round; ++u) {
      rng.shuffle(perm);
      perms.insert(perms.end(), perm.begin(), perm.end());
      Bits bits(words, 0);
      for (std::size_t k = 0; k + 1 < n; ++k) {
        set_bit(bits, perm[k]);
        prefix.push_back(eval.request(bits));
        // The reversed permutation's prefixes are the complements of this one's.
        if (options.antithetic) suffix.push_back(eval.request(complement(bits, n)));
      }
    }
    eval.flush(Progress(), {});

    for (std::size_t u = 0; u < round; ++u) {
      ++units;
      const std::size_t* p = perms.data() + u * n;
      const std::size_t* pre = prefix.data() + u * (n - 1);
      const std::size_t* suf = options.antithetic ? suffix.data() + u * (n - 1) : nullptr;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t before = k == 0 ? h_none : pre[k - 1];
        const std::size_t after = k + 1 == n ? h_all : pre[k];
        for (std::size_t o = 0; o < m; ++o) {
          double x = eval.value(after, o) - eval.value(before, o);
          if (suf != nullptr) {
            // In the reverse, p[k] joins the players after it: complement(after) -> complement(before).
            const std::size_t rev_before = k + 1 == n ? h_none : suf[k];
            const std::size_t rev_after = k == 0 ? h_all : suf[k - 1];
            x = 0.5 * (x + eval.value(rev_after, o) - eval.value(rev_before, o));
          }
          const std::size_t j = o * n + p[k];
          const double d = x - mean[j];
          mean[j] += d / static_cast<double>(units);
          m2[j] += d * (x - mean[j]);
        }
      }
    }
    max_se = 0.0;
    for (const double s : m2)
      max_se = std::max(max_se, std::sqrt(s / static_cast<double>(units - 1) / static_cast<double>(units)));

    double fraction = static_cast<double>(units) / static_cast<double>(max_units);
    if (has_target && max_se > 0.0)
      fraction = std::max(fraction, std::min(1.0, std::pow(options.target_se / max_se, 2.0)));
    reported = std::max(reported, std::min(fraction, 1.0));
    progress.update(reported, "Shapley permutation sampling");
    if (has_target && units * per_unit >= options.min_permutations && max_se <= options.target_se) {
      e.target_reached = true;
      break;
    }
  }

  e.samples = units * per_unit;
  e.phi.assign(m, std::vector<double>(n));
  e.se.assign(m, std::vector<double>(n));
  for (std::size_t o = 0; o < m; ++o) {
    for (std::size_t i = 0; i < n; ++i) {
      e.phi[o][i] = mean[o * n + i];
      e.se[o][i] = std::sqrt(m2[o * n + i] / static_cast<double>(units - 1) / static_cast<double>(units));
    }
    e.f_none.push_back(eval.value(h_none, o));
    e.f_all.push_back(eval.value(h_all, o));
  }
  return e;
}

// In-place Cholesky factor of a symmetric positive definite q × q matrix (row-major, lower triangle
// used); false when it is numerically singular.
bool cholesky(std::vector<double>& a, std::size_t q) {
  double scale = 0.0;
  for (std::size_t i = 0; i < q; ++i)
    scale = std::max(scale, a[i * q + i]);
  for (std::size_t j = 0; j < q; ++j) {
    double d = a[j * q + j];
    for (std::size_t k = 0; k < j; ++k)
      d -= a[j * q + k] * a[j * q + k];
    if (!(d > 1e-12 * scale)) return false;
    const double l = std::sqrt(d);
    a[j * q + j] = l;
    for (std::size_t i = j + 1; i < q; ++i) {
      double s = a[i * q + j];
      for (std::size_t k = 0; k < j; ++k)
        s -= a[i * q + k] * a[j * q + k];
      a[i * q + j] = s / l;
    }
  }
  return true;
}

// Solves L Lᵀ x = b in place.
void cholesky_solve(const std::vector<double>& l, std::size_t q, double* b) {
  for (std::size_t i = 0; i < q; ++i) {
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k)
      s -= l[i * q + k] * b[k];
    b[i] = s / l[i * q + i];
  }
  for (std::size_t i = q; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < q; ++k)
      s -= l[k * q + i] * b[k];
    b[i] = s / l[i * q + i];
  }
}

Estimate kernel(const ShapleyGame& game, const ShapleyOptions& options, Evaluator& eval,
                const Progress& progress) {
  const std::size_t n = game.players.size();
  const std::size_t m = eval.outputs();
  const std::size_t words = word_count(n);
  // A complementary pair adds one direction to the fit (its rows are x and −x), so n − 1 unknowns
  // need at least n − 1 pairs; duplicates can still leave the fit short (an error below).
  if (n > 1 && options.max_coalitions < 2 * n) {
    throw InputError("KernelSHAP needs a budget of at least 2 x " + std::to_string(n) + " players = " +
                     std::to_string(2 * n) + " coalitions, not " + std::to_string(options.max_coalitions));
  }
  Rng rng(options.seed);
  const std::size_t h_none = eval.request(Bits(words, 0));
  const std::size_t h_all = eval.request(complement(Bits(words, 0), n));

  // Size class k holds the coalitions of sizes k and n − k, which the Shapley kernel weighs alike:
  // each coalition of size s weighs (n − 1) / (C(n, s) s (n − s)), a size in total (n − 1) / (s (n − s)).
  struct Row {
    std::size_t handle;
    double weight;
  };
  std::vector<Row> fixed;
  const std::size_t classes = n / 2;
  auto class_count = [&](std::size_t k) { return choose(n, k) * (2 * k == n ? 1.0 : 2.0); };
  auto class_mass = [&](std::size_t k) {
    return static_cast<double>(n - 1) / static_cast<double>(k * (n - k)) * (2 * k == n ? 1.0 : 2.0);
  };
  double mass_left = 0.0;
  for (std::size_t k = 1; k <= classes; ++k)
    mass_left += class_mass(k);
  double budget = static_cast<double>(options.max_coalitions);
  const bool everything =
      n < 63 && static_cast<double>(options.max_coalitions) >= std::ldexp(1.0, static_cast<int>(n)) - 2.0;

  // Smallest sizes first (they carry most weight per coalition): enumerate a class completely when
  // its share of the remaining budget covers it, leaving at least one sampled pair for the rest.
  std::size_t k0 = 1;
  for (; k0 <= classes; ++k0) {
    const double count = class_count(k0);
    const bool last = k0 == classes;
    if (!everything &&
        (count > budget * class_mass(k0) / mass_left * (1.0 + 1e-12) || (!last && budget - count < 2.0)))
      break;
    const double w = static_cast<double>(n - 1) / (choose(n, k0) * static_cast<double>(k0 * (n - k0)));
    std::vector<std::size_t> c(k0);
    std::iota(c.begin(), c.end(), std::size_t{0});
    while (true) {
      Bits bits(words, 0);
      for (const std::size_t i : c)
        set_bit(bits, i);
      if (2 * k0 != n) fixed.push_back({eval.request(complement(bits, n)), w});
      fixed.push_back({eval.request(bits), w});
      std::size_t j = k0;
      while (j > 0 && c[j - 1] == n - k0 + j - 1)
        --j;
      if (j == 0) break;
      ++c[j - 1];
      for (std::size_t t = j; t < k0; ++t)
        c[t] = c[t - 1] + 1;
    }
    progress.check();
    budget -= count;
    mass_left -= class_mass(k0);
  }

  // The rest: pairs (S, complement of S), S of a class drawn by its kernel mass and uniform within
  // it; every sampled coalition carries an equal share of the remaining mass.
  std::vector<std::size_t> draws; // two handles per pair
  double pair_weight = 0.0;
  if (k0 <= classes) {
    const auto pairs = static_cast<std::size_t>(budget / 2.0);
    pair_weight = mass_left / (2.0 * static_cast<double>(pairs));
    std::vector<double> mass;
    for (std::size_t k = k0; k <= classes; ++k)
      mass.push_back(class_mass(k));
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    for (std::size_t d = 0; d < pairs; ++d) {
      const std::size_t k = k0 + rng.categorical(mass);
      Bits bits(words, 0);
      for (std::size_t j = 0; j < k; ++j) {
        std::swap(idx[j], idx[j + static_cast<std::size_t>(rng.below(n - j))]);
        set_bit(bits, idx[j]);
      }
      draws.push_back(eval.request(complement(bits, n)));
      draws.push_back(eval.request(bits));
    }
  }
  eval.flush(progress.sub(0.0, 0.9), "KernelSHAP coalitions");

  Estimate e;
  e.samples = draws.size();
  e.phi.assign(m, std::vector<double>(n));
  e.se.assign(m, std::vector<double>(n, 0.0));
  for (std::size_t o = 0; o < m; ++o) {
    e.f_none.push_back(eval.value(h_none, o));
    e.f_all.push_back(eval.value(h_all, o));
  }
  if (n == 1) {
    for (std::size_t o = 0; o < m; ++o)
      e.phi[o][0] = e.f_all[o] - e.f_none[o];
    return e;
  }

  // Eliminating the last player through Σφ = Δ: with x_i = z_i − z_last and
  // y = v(S) − v(∅) − z_last Δ the fit is y ≈ x·φ_{0..n−2}, solved by weighted normal equations.
  const std::size_t q = n - 1;
  std::vector<double> x(q), y(m);
  auto row = [&](std::size_t h) {
    const double zl = eval.present(h, q) ? 1.0 : 0.0;
    for (std::size_t i = 0; i < q; ++i)
      x[i] = (eval.present(h, i) ? 1.0 : 0.0) - zl;
    for (std::size_t o = 0; o < m; ++o)
      y[o] = eval.value(h, o) - e.f_none[o] - zl * (e.f_all[o] - e.f_none[o]);
  };
  std::vector<double> a(q * q, 0.0), b(q * m, 0.0); // b: output-major
  auto accumulate = [&](std::size_t h, double w) {
    row(h);
    for (std::size_t i = 0; i < q; ++i) {
      if (x[i] == 0.0) continue;
      for (std::size_t j = 0; j <= i; ++j)
        a[i * q + j] += w * x[i] * x[j];
      for (std::size_t o = 0; o < m; ++o)
        b[o * q + i] += w * x[i] * y[o];
    }
  };
  for (const Row& r : fixed)
    accumulate(r.handle, r.weight);
  for (const std::size_t h : draws)
    accumulate(h, pair_weight);
  progress.check();
  if (!cholesky(a, q)) {
    throw InputError("KernelSHAP: the " + std::to_string(eval.evaluations()) +
                     " coalitions evaluated do not determine " + std::to_string(n) +
                     " players' values; raise the coalition budget (now " +
                     std::to_string(options.max_coalitions) + ")");
  }
  for (std::size_t o = 0; o < m; ++o) {
    double* phi = b.data() + o * q;
    cholesky_solve(a, q, phi);
    const double delta = e.f_all[o] - e.f_none[o];
    double sum = 0.0;
    for (std::size_t i = 0; i < q; ++i) {
      e.phi[o][i] = phi[i];
      sum += phi[i];
    }
    e.phi[o][q] = delta - sum;
  }
  progress.update(0.95, "KernelSHAP standard errors");

  // Sandwich SE: φ solves Σ (fixed rows) + Σ_pairs r_d(φ) = 0 with iid pairs, so
  // Cov(φ) ≈ A⁻¹ [Σ_d u_d u_dᵀ] A⁻¹ with u_d the centred r_d, scaled by P / (P − q) for the q
  // fitted values (HC1; without it few pairs give far too small SEs); φ_last = Δ − Σφ_i takes
  // the variance of the sum. With P <= q pairs there is no honest estimate: NaN.
  const std::size_t pairs = draws.size() / 2;
  if (pairs == 0) return e;
  for (std::size_t o = 0; o < m; ++o) {
    if (pairs <= q) {
      std::fill(e.se[o].begin(), e.se[o].end(), not_a_number);
      continue;
    }
    std::vector<double> r(pairs * q, 0.0), mean_r(q, 0.0);
    for (std::size_t d = 0; d < pairs; ++d) {
      for (std::size_t t = 0; t < 2; ++t) {
        row(draws[2 * d + t]);
        double fit = 0.0;
        for (std::size_t i = 0; i < q; ++i)
          fit += x[i] * e.phi[o][i];
        for (std::size_t i = 0; i < q; ++i)
          r[d * q + i] += pair_weight * x[i] * (y[o] - fit);
      }
      for (std::size_t i = 0; i < q; ++i)
        mean_r[i] += r[d * q + i] / static_cast<double>(pairs);
    }
    std::vector<double> var(n, 0.0);
    for (std::size_t d = 0; d < pairs; ++d) {
      double* g = r.data() + d * q;
      for (std::size_t i = 0; i < q; ++i)
        g[i] -= mean_r[i];
      cholesky_solve(a, q, g);
      double sum = 0.0;
      for (std::size_t i = 0; i < q; ++i) {
        var[i] += g[i] * g[i];
        sum += g[i];
      }
      var[q] += sum * sum;
    }
    const double scale = static_cast<double>(pairs) / static_cast<double>(pairs - q);
    for (std::size_t i = 0; i < n; ++i)
      e.se[o][i] = std::sqrt(var[i] * scale);
    progress.check();
  }
  return e;
}

void validate(const ShapleyGame& game, const ShapleyOptions& options) {
  if (game.players.empty()) throw InputError("Shapley values need at least one player");
  std::unordered_set<std::string_view> seen;
  for (const auto& p : game.players) {
    if (p.empty())
      throw InputError("Shapley players need names; player " + std::to_string(seen.size()) + " has none");
    if (!seen.insert(p).second) throw InputError("Shapley player '" + p + "' appears twice");
  }
  if (!game.value) throw Error("Shapley game without a value function");
  if (options.batch_size == 0) throw InputError("Shapley batch size must be at least 1");
  if (options.method == ShapleyMethod::permutation) {
    if (!(options.target_se >= 0.0) || !std::isfinite(options.target_se)) {
      throw InputError("Shapley target standard error must be a finite number >= 0, not " +
                       std::to_string(options.target_se));
    }
    if (options.max_permutations < 2) {
      throw InputError(
          "Shapley permutation sampling needs at least 2 permutations (for a standard error), not " +
          std::to_string(options.max_permutations));
    }
  }
}

} // namespace

ShapleyMethod parse_shapley_method(std::string_view text) {
  if (text == "exact") return ShapleyMethod::exact;
  if (text == "permutation") return ShapleyMethod::permutation;
  if (text == "kernel") return ShapleyMethod::kernel;
  throw InputError("unknown Shapley method '" + std::string(text) +
                   "': expected exact, permutation or kernel");
}

std::string_view shapley_method_name(ShapleyMethod method) noexcept {
  switch (method) {
  case ShapleyMethod::exact: return "exact";
  case ShapleyMethod::permutation: return "permutation";
  case ShapleyMethod::kernel: return "kernel";
  }
  return "exact";
}

double ShapleyResult::relative_gap() const noexcept {
  const double delta = std::fabs(f_all - f_none);
  return delta > 0.0 ? std::fabs(gap) / delta : std::fabs(gap);
}

Json ShapleyResult::to_json() const {
  Json j = Json::object();
  j["method"] = std::string(shapley_method_name(method));
  if (!output.empty()) j["output"] = output;
  Json list = Json::array();
  for (std::size_t i = 0; i < players.size(); ++i) {
    Json p = Json::object();
    p["name"] = players[i];
    p["phi"] = phi[i];
    p["se"] = std::isnan(se[i]) ? Json() : Json(se[i]);
    list.push_back(std::move(p));
  }
  j["players"] = std::move(list);
  j["f_all"] = f_all;
  j["f_none"] = f_none;
  j["efficiency_gap"] = gap;
  j["relative_gap"] = relative_gap();
  j["evaluations"] = evaluations;
  j["calls"] = calls;
  j["cache_hits"] = cache_hits;
  if (method != ShapleyMethod::exact) j["samples"] = samples;
  if (method == ShapleyMethod::permutation) j["target_reached"] = target_reached;
  j["seconds"] = seconds;
  return j;
}

std::vector<ShapleyResult> shapley_values(const ShapleyGame& game, const ShapleyOptions& options,
                                          const Progress& progress) {
  validate(game, options);
  const Stopwatch clock;
  Evaluator eval(game, options.batch_size, progress);
  Estimate e;
  switch (options.method) {
  case ShapleyMethod::exact: e = exact(game, options, eval, progress); break;
  case ShapleyMethod::permutation: e = permutation(game, options, eval, progress); break;
  case ShapleyMethod::kernel: e = kernel(game, options, eval, progress); break;
  }
  const double seconds = clock.seconds();

  std::vector<ShapleyResult> results(eval.outputs());
  for (std::size_t o = 0; o < results.size(); ++o) {
    ShapleyResult& r = results[o];
    r.method = options.method;
    r.output = game.outputs.empty() ? std::string() : game.outputs[o];
    r.players = game.players;
    r.phi = std::move(e.phi[o]);
    r.se = std::move(e.se[o]);
    r.f_all = e.f_all[o];
    r.f_none = e.f_none[o];
    r.gap = std::accumulate(r.phi.begin(), r.phi.end(), 0.0) - (r.f_all - r.f_none);
    r.evaluations = eval.evaluations();
    r.calls = eval.calls();
    r.cache_hits = eval.cache_hits();
    r.samples = e.samples;
    r.target_reached = e.target_reached;
    r.seconds = seconds;
  }
  progress.update(1.0, "Shapley values");
  return results;
}

ShapleyResult shapley_value(const ShapleyGame& game, const ShapleyOptions& options,
                            const Progress& progress) {
  if (game.output_count() != 1) {
    throw InputError("shapley_value explains one output; this game has " +
                     std::to_string(game.output_count()));
  }
  return std::move(shapley_values(game, options, progress).front());
}

} // namespace gc::perturb
