// Genome and GRN: chromosomes of random sequence, gene models, promoters, enhancers, TF motifs,
// the layered TF -> target network and the motif sites planted for each of its true edges.
#include "internal.h"

#include "gc/simulate/world.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace gc::simulate {
namespace detail {

std::string padded_name(const std::string& prefix, std::size_t index, std::size_t count) {
  std::string digits = std::to_string(index);
  const std::size_t width = std::max<std::size_t>(2, std::to_string(count).size());
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return prefix + digits;
}

char complement(char base) noexcept {
  switch (base) {
  case 'A': return 'T';
  case 'C': return 'G';
  case 'G': return 'C';
  case 'T': return 'A';
  default: return 'N';
  }
}

std::string reverse_complement(const std::string& s) {
  std::string out(s.rbegin(), s.rend());
  for (char& c : out)
    c = complement(c);
  return out;
}

} // namespace detail

namespace {

constexpr std::int64_t promoter_length = 1000;
constexpr std::int64_t min_gap = 2 * promoter_length;
constexpr std::int64_t enhancer_length = 400;
constexpr const char* bases = "ACGT";

char random_base(Rng& rng, double gc) {
  const double u = rng.uniform();
  if (u < gc / 2) return 'G';
  if (u < gc) return 'C';
  return u < gc + (1 - gc) / 2 ? 'A' : 'T';
}

// Exon and intron lengths: a floor plus a gamma tail, roughly vertebrate-like but compact.
std::vector<std::int64_t> gene_layout(Rng& rng) {
  const int exons = 1 + static_cast<int>(rng.below(6));
  std::vector<std::int64_t> parts; // exon, intron, exon, ...
  for (int e = 0; e < exons; ++e) {
    if (e > 0) parts.push_back(150 + static_cast<std::int64_t>(rng.gamma(1.2, 900.0)));
    parts.push_back(80 + static_cast<std::int64_t>(rng.gamma(2.0, 80.0)));
  }
  return parts;
}

} // namespace

Genome simulate_genome(const WorldSpec& spec) {
  if (spec.chromosome_lengths.empty() || spec.genes < 2)
    throw InputError("a world needs at least one chromosome and two genes");
  Rng rng = Rng(spec.seed).fork(detail::genome_stream);
  Genome g;
  const std::size_t nchrom = spec.chromosome_lengths.size();
  const double total = std::accumulate(spec.chromosome_lengths.begin(), spec.chromosome_lengths.end(), 0.0);
  std::vector<int> genes_per_chrom(nchrom);
  int assigned = 0;
  for (std::size_t c = 0; c < nchrom; ++c) {
    g.chrom_names.push_back("chr" + std::to_string(c + 1));
    genes_per_chrom[c] = c + 1 == nchrom
                             ? spec.genes - assigned
                             : static_cast<int>(std::lround(spec.genes * spec.chromosome_lengths[c] / total));
    assigned += genes_per_chrom[c];
  }
  for (std::size_t c = 0; c < nchrom; ++c) {
    const std::int64_t len = spec.chromosome_lengths[c];
    std::string seq(static_cast<std::size_t>(len), 'N');
    for (char& b : seq)
      b = random_base(rng, spec.gc_content);

    const int n = genes_per_chrom[c];
    std::vector<std::vector<std::int64_t>> layouts(n);
    std::int64_t used = 0;
    for (auto& l : layouts) {
      l = gene_layout(rng);
      used += std::accumulate(l.begin(), l.end(), std::int64_t{0});
    }
    const std::int64_t free = len - used - static_cast<std::int64_t>(n + 1) * min_gap;
    if (free < 0)
      throw InputError("chromosome " + g.chrom_names[c] + " (" + std::to_string(len) +
                       " bp) is too short for " + std::to_string(n) + " genes");
    std::vector<double> gaps(n + 1);
    for (double& w : gaps)
      w = rng.exponential(1.0);
    const double gap_sum = std::accumulate(gaps.begin(), gaps.end(), 0.0);
    std::int64_t pos = 0;
    for (int i = 0; i < n; ++i) {
      pos += min_gap + static_cast<std::int64_t>(free * gaps[i] / gap_sum);
      GeneModel gene;
      gene.chrom = static_cast<int>(c);
      gene.strand = rng.bernoulli(0.5) ? '+' : '-';
      gene.start = pos;
      bool exon = true;
      for (const auto part : layouts[i]) {
        if (exon) gene.exons.emplace_back(pos, pos + part);
        pos += part;
        exon = !exon;
      }
      gene.end = pos;
      gene.promoter_start = gene.strand == '+' ? gene.start - promoter_length : gene.end;
      gene.promoter_end = gene.promoter_start + promoter_length;
      // Promoters are slightly GC-rich, like CpG-island promoters.
      for (auto p = gene.promoter_start; p < gene.promoter_end; ++p)
        seq[static_cast<std::size_t>(p)] = random_base(rng, 0.55);
      g.genes.push_back(std::move(gene));
    }
    g.sequences.push_back(std::move(seq));
  }

  // TFs: a random subset; names follow genome order within each class so they are stable.
  const auto ngenes = g.genes.size();
  const auto ntf = std::max<std::size_t>(2, static_cast<std::size_t>(std::lround(spec.tf_fraction * ngenes)));
  std::vector<std::size_t> idx(ngenes);
  std::iota(idx.begin(), idx.end(), 0);
  rng.shuffle(idx);
  for (std::size_t k = 0; k < ntf; ++k)
    g.genes[idx[k]].is_tf = true;
  std::size_t tf_count = 0;
  std::size_t other_count = 0;
  for (auto& gene : g.genes)
    gene.name = gene.is_tf ? detail::padded_name("TF", ++tf_count, ntf)
                           : detail::padded_name("G", ++other_count, ngenes - ntf);

  // Enhancers 12-50 kb from the TSS (so most are a few Hi-C bins away from their promoter).
  for (std::size_t i = 0; i < ngenes; ++i) {
    const auto& gene = g.genes[i];
    const std::int64_t len = spec.chromosome_lengths[static_cast<std::size_t>(gene.chrom)];
    const int count = rng.bernoulli(0.3) ? 2 : 1;
    for (int e = 0; e < count; ++e) {
      const auto offset = static_cast<std::int64_t>(rng.uniform(12'000, 50'000));
      std::int64_t start = rng.bernoulli(0.5) ? gene.tss() - offset : gene.tss() + offset;
      start = std::clamp<std::int64_t>(start, 0, len - enhancer_length);
      g.enhancers.push_back({gene.chrom, start, start + enhancer_length, i});
    }
  }

  for (std::size_t i = 0; i < ngenes; ++i) {
    if (!g.genes[i].is_tf) continue;
    Motif m;
    m.tf = i;
    const auto width = 8 + rng.below(5);
    for (std::uint64_t p = 0; p < width; ++p) {
      const auto b = rng.below(4);
      const double top = rng.uniform(0.7, 0.95);
      std::array<double, 4> row{};
      for (std::uint64_t k = 0; k < 4; ++k)
        row[k] = k == b ? top : (1 - top) / 3;
      m.consensus.push_back(bases[b]);
      m.pwm.push_back(row);
    }
    g.motifs.push_back(std::move(m));
  }
  return g;
}

namespace {

// Writes motif consensus sites into sequence without overlapping earlier sites.
class Planter {
public:
  explicit Planter(Genome& g) : m_g(g) {
    for (const auto& s : g.sequences)
      m_used.emplace_back(s.size(), false);
  }

  bool plant(Rng& rng, std::size_t motif, int chrom, std::int64_t lo, std::int64_t hi, SiteKind kind,
             std::ptrdiff_t target) {
    const auto& consensus = m_g.motifs[motif].consensus;
    const auto w = static_cast<std::int64_t>(consensus.size());
    auto& used = m_used[static_cast<std::size_t>(chrom)];
    hi = std::min<std::int64_t>(hi, static_cast<std::int64_t>(used.size()));
    if (hi - lo < w) return false;
    for (int attempt = 0; attempt < 64; ++attempt) {
      const auto start =
          lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo - w + 1)));
      bool free = true;
      for (auto p = start; p < start + w && free; ++p)
        free = !used[static_cast<std::size_t>(p)];
      if (!free) continue;
      const char strand = rng.bernoulli(0.5) ? '+' : '-';
      const std::string site = strand == '+' ? consensus : detail::reverse_complement(consensus);
      auto& seq = m_g.sequences[static_cast<std::size_t>(chrom)];
      for (std::int64_t k = 0; k < w; ++k) {
        seq[static_cast<std::size_t>(start + k)] = site[static_cast<std::size_t>(k)];
        used[static_cast<std::size_t>(start + k)] = true;
      }
      m_g.sites.push_back({motif, chrom, start, strand, site, kind, target});
      return true;
    }
    return false;
  }

private:
  Genome& m_g;
  std::vector<std::vector<bool>> m_used;
};

double hill(double x, double k, int sign) noexcept {
  const double x2 = x * x;
  const double k2 = k * k;
  return sign > 0 ? x2 / (k2 + x2) : k2 / (k2 + x2);
}

} // namespace

Grn simulate_grn(const WorldSpec& spec, Genome& genome) {
  Rng rng = Rng(spec.seed).fork(detail::grn_stream);
  Grn grn;
  const std::size_t n = genome.genes.size();
  for (std::size_t i = 0; i < n; ++i)
    if (genome.genes[i].is_tf) grn.tfs.push_back(i);
  std::vector<std::size_t> tfs = grn.tfs;
  rng.shuffle(tfs);
  // Layers: master regulators (0), two TF layers (1, 2), then all other genes (3). Edges only go
  // from a lower to a higher layer, plus self-loops, so steady states exist and are unique.
  const std::size_t masters = std::max<std::size_t>(2, tfs.size() * 3 / 10);
  grn.layer.assign(n, 3);
  for (std::size_t k = 0; k < tfs.size(); ++k)
    grn.layer[tfs[k]] = k < masters ? 0 : (k < masters + (tfs.size() - masters) / 2 ? 1 : 2);

  std::set<std::pair<std::size_t, std::size_t>> present;
  auto add_edge = [&](std::size_t reg, std::size_t target, int sign, double strength) {
    if (!present.insert({reg, target}).second) return false;
    grn.edges.push_back({reg, target, sign, strength});
    return true;
  };
  auto random_sign = [&] { return rng.bernoulli(spec.activator_fraction) ? 1 : -1; };
  for (std::size_t i = 0; i < n; ++i) {
    if (grn.layer[i] == 0) continue;
    std::vector<std::size_t> candidates;
    for (const auto t : tfs)
      if (grn.layer[t] < grn.layer[i]) candidates.push_back(t);
    rng.shuffle(candidates);
    const auto k = std::min<std::size_t>(candidates.size(), 1 + rng.below(3));
    for (std::size_t r = 0; r < k; ++r)
      add_edge(candidates[r], i, random_sign(), rng.uniform(1.0, 4.0));
  }
  // Feed-forward loops: close A->B->C with A->C.
  std::vector<Edge> snapshot = grn.edges;
  rng.shuffle(snapshot);
  int made = 0;
  for (const auto& ab : snapshot) {
    if (made >= spec.feed_forward_loops) break;
    if (!genome.genes[ab.target].is_tf) continue;
    for (const auto& bc : snapshot)
      if (bc.regulator == ab.target && bc.target != ab.regulator &&
          add_edge(ab.regulator, bc.target, random_sign(), rng.uniform(1.0, 4.0))) {
        ++made;
        break;
      }
  }
  for (std::size_t k = 0; k < std::min<std::size_t>(static_cast<std::size_t>(spec.autoregulated), masters);
       ++k) {
    add_edge(tfs[k], tfs[k], 1, rng.uniform(1.0, 2.0));
    grn.autoregulated.push_back(tfs[k]);
  }
  std::sort(grn.edges.begin(), grn.edges.end(), [](const Edge& a, const Edge& b) {
    return std::pair(a.regulator, a.target) < std::pair(b.regulator, b.target);
  });
  std::sort(grn.autoregulated.begin(), grn.autoregulated.end());
  // Every feed-forward loop of the final network, including ones that arose by chance.
  for (const auto& ac : grn.edges) {
    if (ac.regulator == ac.target) continue;
    for (const auto& ab : grn.edges)
      if (ab.regulator == ac.regulator && ab.target != ac.regulator && ab.target != ac.target &&
          present.count({ab.target, ac.target}))
        grn.feed_forward_loops.push_back({ac.regulator, ab.target, ac.target});
  }

  // Cell types: each switches on its own subset of master regulators.
  const auto types = static_cast<std::size_t>(std::max(1, spec.cell_types));
  grn.basal.assign(types, std::vector<double>(n, 0.05));
  for (std::size_t c = 0; c < types; ++c) {
    bool any_on = false;
    for (std::size_t k = 0; k < masters; ++k) {
      const bool on = rng.bernoulli(0.5) || (k + 1 == masters && !any_on);
      any_on = any_on || on;
      grn.basal[c][tfs[k]] = on ? rng.uniform(2.0, 5.0) : rng.uniform(0.05, 0.3);
    }
  }

  grn.order.resize(n);
  std::iota(grn.order.begin(), grn.order.end(), 0);
  std::stable_sort(grn.order.begin(), grn.order.end(),
                   [&](std::size_t a, std::size_t b) { return grn.layer[a] < grn.layer[b]; });
  // Half-responses (SERGIO): the regulator's mean steady state over cell types, computed in
  // topological order without self-loops.
  grn.half_response.assign(n, 1.0);
  std::vector<std::vector<double>> x(types, std::vector<double>(n, 0.0));
  for (const auto i : grn.order) {
    double mean = 0;
    for (std::size_t c = 0; c < types; ++c) {
      double p = grn.basal[c][i];
      for (const auto& e : grn.edges)
        if (e.target == i && e.regulator != i)
          p += e.strength * hill(x[c][e.regulator], grn.half_response[e.regulator], e.sign);
      x[c][i] = p / grn.decay;
      mean += x[c][i];
    }
    grn.half_response[i] = std::max(0.05, mean / static_cast<double>(types));
  }

  // Motif sites for every true edge: in the target's promoter and in its first enhancer.
  std::vector<std::size_t> motif_of(n, 0);
  for (std::size_t m = 0; m < genome.motifs.size(); ++m)
    motif_of[genome.motifs[m].tf] = m;
  std::vector<std::ptrdiff_t> first_enhancer(n, -1);
  for (std::size_t e = genome.enhancers.size(); e-- > 0;)
    first_enhancer[genome.enhancers[e].gene] = static_cast<std::ptrdiff_t>(e);
  Planter planter(genome);
  for (const auto& e : grn.edges) {
    const auto& target = genome.genes[e.target];
    const auto motif = motif_of[e.regulator];
    if (!planter.plant(rng, motif, target.chrom, target.promoter_start, target.promoter_end,
                       SiteKind::promoter, static_cast<std::ptrdiff_t>(e.target)))
      throw Error("no room for a motif in the promoter of " + target.name);
    if (first_enhancer[e.target] >= 0) {
      const auto& enh = genome.enhancers[static_cast<std::size_t>(first_enhancer[e.target])];
      planter.plant(rng, motif, enh.chrom, enh.start, enh.end, SiteKind::enhancer,
                    static_cast<std::ptrdiff_t>(e.target));
    }
  }
  for (std::size_t m = 0; m < genome.motifs.size(); ++m)
    for (int d = 0; d < spec.decoy_sites_per_tf; ++d) {
      const int chrom = static_cast<int>(rng.below(genome.sequences.size()));
      const auto len = static_cast<std::int64_t>(genome.sequences[static_cast<std::size_t>(chrom)].size());
      const auto start = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(len - 2000)));
      planter.plant(rng, m, chrom, start, start + 2000, SiteKind::decoy, -1);
    }
  return grn;
}

std::vector<double> steady_state(const Grn& grn, std::size_t cell_type, const std::vector<double>& level) {
  const std::size_t n = grn.layer.size();
  if (!level.empty() && level.size() != n)
    throw Error("steady_state: " + std::to_string(level.size()) + " levels for " + std::to_string(n) +
                " genes");
  std::vector<std::vector<const Edge*>> inputs(n);
  for (const auto& e : grn.edges)
    inputs[e.target].push_back(&e);
  std::vector<double> x(n, 0.0);
  const auto& basal = grn.basal.at(cell_type);
  for (const auto i : grn.order) {
    const double l = level.empty() ? 1.0 : level[i];
    if (l == 0.0) continue;
    // Regulators come first in topological order; only a self-loop makes x_i appear on both
    // sides of x_i = l (p + K hill(x_i)) / decay.
    double p = basal[i];
    const Edge* self = nullptr;
    for (const auto* e : inputs[i]) {
      if (e->regulator == i)
        self = e;
      else
        p += e->strength * hill(x[e->regulator], grn.half_response[e->regulator], e->sign);
    }
    auto f = [&](double xi) {
      return l * (p + (self ? self->strength * hill(xi, grn.half_response[i], self->sign) : 0.0)) / grn.decay;
    };
    if (!self) {
      x[i] = f(0.0);
    } else if (self->sign > 0) {
      // f increases, so iterating from 0 climbs monotonically to the lowest fixed point, the
      // stable state a cell started without the gene reaches.
      double xi = 0.0;
      for (int it = 0; it < 10'000; ++it) {
        const double next = f(xi);
        const bool done = std::abs(next - xi) < 1e-12;
        xi = next;
        if (done) break;
      }
      x[i] = xi;
    } else {
      // f decreases: one fixed point, in [0, f(0)]. Iteration could oscillate when l makes the
      // loop steep (overexpression), bisection cannot.
      double lo = 0.0, hi = f(0.0);
      for (int it = 0; it < 200 && hi - lo > 1e-13 * std::max(1.0, hi); ++it) {
        const double mid = 0.5 * (lo + hi);
        (f(mid) > mid ? lo : hi) = mid;
      }
      x[i] = 0.5 * (lo + hi);
    }
  }
  return x;
}

} // namespace gc::simulate
