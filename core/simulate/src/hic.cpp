// Hi-C and variants. Contacts: power-law decay P(s) ~ 1/s, TAD blocks with boundaries snapped
// to promoters, an A/B checkerboard, per-bin biases and enhancer-promoter dots for the true
// TF-regulated pairs; counts are Poisson. Variants: SNVs in LD blocks, each sample a mosaic of
// a few founder haplotypes per block.
#include "internal.h"

#include "gc/simulate/world.h"
#include "gc/util/rng.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace gc::simulate {
namespace {

constexpr double tad_boost = 1.5;
constexpr double compartment_strength = 0.3;
constexpr double loop_boost = 8.0;
constexpr double trans_fraction = 0.1; // of the cis total

} // namespace

HiC simulate_hic(const WorldSpec& spec, const Genome& genome) {
  Rng rng = Rng(spec.seed).fork(detail::hic_stream);
  HiC out;
  std::vector<hic::Chrom> chroms;
  for (std::size_t c = 0; c < genome.chrom_names.size(); ++c)
    chroms.push_back({genome.chrom_names[c], static_cast<std::int64_t>(genome.sequences[c].size())});
  out.bins = hic::BinTable::fixed(chroms, spec.hic_bin_size);
  const auto nbins = static_cast<std::size_t>(out.bins.size());
  const std::int64_t bs = spec.hic_bin_size;
  auto bin_of = [&](int chrom, std::int64_t pos) {
    return out.bins.chrom_offset[static_cast<std::size_t>(chrom)] + pos / bs;
  };

  std::vector<std::set<std::int64_t>> promoter_bins(chroms.size());
  for (const auto& g : genome.genes)
    promoter_bins[static_cast<std::size_t>(g.chrom)].insert((g.promoter_start + g.promoter_end) / 2 / bs);

  std::vector<int> tad(nbins, 0);
  out.compartment.assign(nbins, 1);
  std::vector<double> bias(nbins);
  int tad_id = 0;
  for (std::size_t c = 0; c < chroms.size(); ++c) {
    const std::int64_t lo = out.bins.chrom_offset[c];
    const std::int64_t n = out.bins.chrom_offset[c + 1] - lo;
    const auto mean = static_cast<double>(spec.tad_mean_bins);
    std::int64_t cur = 0;
    for (;;) {
      auto next = cur + std::max<std::int64_t>(4, std::llround(mean * rng.uniform(0.5, 1.5)));
      if (next >= n - 4) break;
      // Boundaries sit at promoters when one is near (housekeeping promoters insulate).
      const auto w = std::max<std::int64_t>(1, spec.tad_mean_bins / 4);
      const auto& pb = promoter_bins[c];
      auto it = pb.lower_bound(next - w);
      std::int64_t best = next;
      std::int64_t best_d = w + 1;
      for (; it != pb.end() && *it <= next + w; ++it)
        if (std::abs(*it - next) < best_d && *it > cur + 2) {
          best = *it;
          best_d = std::abs(*it - next);
        }
      out.tad_boundaries.push_back({static_cast<int>(c), best * bs});
      for (auto b = cur; b < best; ++b)
        tad[static_cast<std::size_t>(lo + b)] = tad_id;
      ++tad_id;
      cur = best;
    }
    for (auto b = cur; b < n; ++b)
      tad[static_cast<std::size_t>(lo + b)] = tad_id;
    ++tad_id;
    int sign = rng.bernoulli(0.5) ? 1 : -1;
    std::int64_t b = 0;
    while (b < n) {
      const auto len = 1 + static_cast<std::int64_t>(rng.exponential(1.0 / (1.5 * mean)));
      for (auto k = b; k < std::min(n, b + len); ++k)
        out.compartment[static_cast<std::size_t>(lo + k)] = sign;
      sign = -sign;
      b += len;
    }
  }
  for (auto& v : bias)
    v = std::exp(rng.normal(0.0, 0.15));

  // Dots for enhancers carrying a planted motif of a true regulator of their gene (sites are
  // planted only for true edges, so the dots follow the GRN).
  std::set<std::pair<std::int64_t, std::int64_t>> loop_pixels;
  std::set<std::size_t> bound_enhancers;
  for (std::size_t e = 0; e < genome.enhancers.size(); ++e) {
    const auto& enh = genome.enhancers[e];
    const bool bound = std::any_of(genome.sites.begin(), genome.sites.end(), [&](const MotifSite& s) {
      return s.kind == SiteKind::enhancer && s.chrom == enh.chrom && s.start >= enh.start &&
             s.start < enh.end && s.target == static_cast<std::ptrdiff_t>(enh.gene);
    });
    if (!bound) continue;
    const auto& g = genome.genes[enh.gene];
    auto b1 = bin_of(enh.chrom, (enh.start + enh.end) / 2);
    auto b2 = bin_of(g.chrom, (g.promoter_start + g.promoter_end) / 2);
    if (b1 > b2) std::swap(b1, b2);
    if (b2 - b1 < 2 || b2 - b1 > spec.max_contact_distance_bins) continue;
    if (loop_pixels.insert({b1, b2}).second) out.loops.push_back({enh.chrom, b1, b2, e, enh.gene});
  }

  // Noiseless expectation, scaled so the total matches spec.hic_contacts.
  const auto maxd = static_cast<std::int64_t>(spec.max_contact_distance_bins);
  std::vector<hic::Pixel> lambda;
  std::vector<double> diag_sum(static_cast<std::size_t>(maxd + 1), 0.0);
  std::vector<double> diag_n(static_cast<std::size_t>(maxd + 1), 0.0);
  for (std::size_t c = 0; c < chroms.size(); ++c) {
    const std::int64_t lo = out.bins.chrom_offset[c];
    const std::int64_t hi = out.bins.chrom_offset[c + 1];
    for (auto i = lo; i < hi; ++i)
      for (auto j = i; j < std::min(hi, i + maxd + 1); ++j) {
        const auto d = j - i;
        const auto ui = static_cast<std::size_t>(i);
        const auto uj = static_cast<std::size_t>(j);
        double v = 1.0 / std::max(0.5, static_cast<double>(d));
        if (tad[ui] == tad[uj]) v *= 1.0 + tad_boost;
        v *= 1.0 + compartment_strength * out.compartment[ui] * out.compartment[uj];
        diag_sum[static_cast<std::size_t>(d)] += v;
        diag_n[static_cast<std::size_t>(d)] += 1;
        v *= bias[ui] * bias[uj];
        if (loop_pixels.count({i, j}))
          v *= 1.0 + loop_boost;
        else if (loop_pixels.count({i - 1, j}) || loop_pixels.count({i, j + 1}) ||
                 loop_pixels.count({i + 1, j}) || loop_pixels.count({i, j - 1}))
          v *= 1.0 + loop_boost / 4;
        lambda.push_back({i, j, v});
      }
  }
  double total = 0;
  for (const auto& p : lambda)
    total += p.count;
  const double scale = spec.hic_contacts / total;
  out.expected.resize(diag_sum.size());
  for (std::size_t d = 0; d < diag_sum.size(); ++d)
    out.expected[d] = diag_n[d] > 0 ? scale * diag_sum[d] / diag_n[d] : 0.0;
  for (const auto& p : lambda) {
    const auto k = rng.poisson(p.count * scale);
    if (k > 0) out.pixels.push_back({p.bin1, p.bin2, static_cast<double>(k)});
  }
  // A uniform trans background: real maps have one, and without it the matrix is block-diagonal
  // and genome-wide balancing cannot equalise the chromosomes.
  if (chroms.size() > 1) {
    std::vector<hic::Pixel> trans;
    const auto n_trans = rng.poisson(spec.hic_contacts * trans_fraction);
    while (trans.size() < n_trans) {
      auto i = static_cast<std::int64_t>(rng.below(nbins));
      auto j = static_cast<std::int64_t>(rng.below(nbins));
      if (out.bins.chrom[static_cast<std::size_t>(i)] == out.bins.chrom[static_cast<std::size_t>(j)])
        continue;
      if (i > j) std::swap(i, j);
      trans.push_back({i, j, 1.0});
    }
    out.pixels.insert(out.pixels.end(), trans.begin(), trans.end());
    std::sort(out.pixels.begin(), out.pixels.end(), [](const hic::Pixel& a, const hic::Pixel& b) {
      return std::pair(a.bin1, a.bin2) < std::pair(b.bin1, b.bin2);
    });
    std::vector<hic::Pixel> merged;
    for (const auto& p : out.pixels)
      if (!merged.empty() && merged.back().bin1 == p.bin1 && merged.back().bin2 == p.bin2)
        merged.back().count += p.count;
      else
        merged.push_back(p);
    out.pixels = std::move(merged);
  }
  return out;
}

Variants simulate_variants(const WorldSpec& spec, const Genome& genome) {
  Rng rng = Rng(spec.seed).fork(detail::variants_stream);
  Variants out;
  auto& t = out.table;
  const auto nsamples = static_cast<std::size_t>(spec.variant_samples);
  for (std::size_t s = 0; s < nsamples; ++s)
    t.samples.push_back(detail::padded_name("S", s + 1, nsamples));
  const std::string bases = "ACGT";
  std::vector<std::int8_t> hap(2 * nsamples);
  for (std::size_t c = 0; c < genome.sequences.size(); ++c) {
    const auto& seq = genome.sequences[c];
    const auto len = static_cast<std::int64_t>(seq.size());
    t.contigs.push_back({genome.chrom_names[c], len});
    const auto count = static_cast<std::size_t>(static_cast<double>(len) / 1000.0 * spec.snv_per_kb);
    std::set<std::int64_t> positions;
    for (std::size_t k = 0; k < count; ++k)
      positions.insert(static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(len))));
    auto it = positions.begin();
    std::int64_t block_start = 0;
    while (block_start < len) {
      const auto block_end = std::min<std::int64_t>(
          len, block_start + 1000 +
                   static_cast<std::int64_t>(rng.exponential(1.0 / static_cast<double>(spec.ld_block_mean))));
      LdBlock block{static_cast<int>(c), block_start, block_end, t.sites.size(), 0};
      // Founder haplotypes and how common each is in this block.
      const auto founders = static_cast<std::size_t>(std::max(1, spec.founders));
      std::vector<double> weights(founders);
      for (auto& w : weights)
        w = rng.gamma(1.0, 1.0) + 1e-6;
      std::vector<std::size_t> choice(2 * nsamples);
      for (auto& ch : choice)
        ch = rng.categorical(weights);
      for (; it != positions.end() && *it < block_end; ++it) {
        const double freq = rng.uniform(0.05, 0.5);
        std::vector<std::int8_t> founder_allele(founders);
        for (auto& a : founder_allele)
          a = rng.bernoulli(freq) ? 1 : 0;
        genome::VariantSite site;
        site.chrom = genome.chrom_names[c];
        site.pos = *it;
        site.id = "snv" + std::to_string(t.sites.size() + 1);
        site.ref = std::string(1, seq[static_cast<std::size_t>(*it)]);
        const auto ref_index = bases.find(site.ref[0]);
        site.alts = {std::string(1, bases[(ref_index + 1 + rng.below(3)) % 4])};
        site.qual = 60.0f;
        site.filter = "PASS";
        int alt_alleles = 0;
        for (std::size_t h = 0; h < hap.size(); ++h) {
          hap[h] = founder_allele[choice[h]];
          if (rng.bernoulli(0.005)) hap[h] = static_cast<std::int8_t>(1 - hap[h]);
          alt_alleles += hap[h];
        }
        for (std::size_t s = 0; s < nsamples; ++s)
          t.dosage.push_back(static_cast<std::int8_t>(hap[2 * s] + hap[2 * s + 1]));
        site.allele_frequency = static_cast<float>(alt_alleles) / static_cast<float>(hap.size());
        t.sites.push_back(std::move(site));
        ++block.site_count;
      }
      out.blocks.push_back(block);
      block_start = block_end;
    }
  }
  return out;
}

} // namespace gc::simulate
