// GenoCircuit front-end: inputs from files, training, ranked edges (see the header).
#include "gc/grn/genocircuit.h"

#include "gc/expr/grn_input.h"
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/fasta.h"
#include "gc/genome/motifs.h"
#include "gc/genome/sequence.h"
#include "gc/hic/analysis.h"
#include "gc/hic/resolutions.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_map>

namespace gc::grn {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The model's sequence codes: A C G T = 0..3, anything else N = 4.
std::uint8_t base_code(char c) {
  const int b = genome::base_index(c);
  return static_cast<std::uint8_t>(b < 0 ? 4 : b);
}

// Best score over both strands scaled to [0, 1] of the PWM's range; 0 when no full window.
struct ScaledPwm {
  genome::Pwm forward, reverse;
  double lo = 0.0, hi = 1.0;
};

double best_hit(const ScaledPwm& m, const std::string& seq) {
  const auto len = m.forward.length();
  if (seq.size() < len || len == 0) return 0.0;
  double best = -INFINITY;
  for (std::size_t i = 0; i + len <= seq.size(); ++i) {
    const std::string_view window(seq.data() + i, len);
    for (const auto* pwm : {&m.forward, &m.reverse})
      if (const auto s = pwm->score(window)) best = std::max(best, *s);
  }
  if (!std::isfinite(best)) return 0.0;
  return std::clamp((best - m.lo) / (m.hi - m.lo), 0.0, 1.0);
}

struct Locus {
  std::string chrom; // as in the annotation
  std::int64_t tss = 0;
  bool minus = false;
};

} // namespace

std::vector<float> model_expression(const expr::ExpressionMatrix& matrix, bool* was_counts) {
  bool counts = true;
  const auto check = [&](float v) {
    if (v < 0.0F || v != std::floor(v)) counts = false;
  };
  if (matrix.x.is_sparse())
    for (float v : matrix.x.csr().data)
      check(v);
  else
    for (float v : matrix.x.dense_values())
      check(v);
  if (was_counts) *was_counts = counts;
  return counts ? matrix.x.log1p_normalized().to_dense() : matrix.x.to_dense();
}

std::vector<float> model_pseudotime(const expr::ExpressionMatrix& matrix) {
  std::vector<const expr::Column*> columns;
  const auto listed = matrix.uns.find(expr::pseudotime_columns_key);
  for (const auto& c : matrix.obs.columns) {
    if (c.kind != expr::Column::Kind::numeric) continue;
    const bool named = listed != matrix.uns.end() ? std::find(listed->second.begin(), listed->second.end(),
                                                              c.name) != listed->second.end()
                                                  : lower(c.name).rfind("pseudotime", 0) == 0;
    if (named) columns.push_back(&c);
  }
  if (columns.empty()) return {};
  const auto cells = static_cast<std::size_t>(matrix.n_cells());
  std::vector<float> out(cells * columns.size(), std::nanf(""));
  for (std::size_t l = 0; l < columns.size(); ++l)
    for (std::size_t cell = 0; cell < cells && cell < columns[l]->numbers.size(); ++cell)
      out[l * cells + cell] = static_cast<float>(columns[l]->numbers[cell]);
  return out;
}

PreparedInputs prepare_genocircuit_inputs(const expr::ExpressionMatrix& matrix,
                                          const GenoCircuitSources& sources,
                                          const GenoCircuitOptions& options, const Progress& progress) {
  PreparedInputs out;
  auto& in = out.inputs;
  auto& report = out.report;
  const auto& names = matrix.var.index;
  const auto g = static_cast<std::int64_t>(names.size());
  if (g < 2 || matrix.n_cells() < 2)
    throw InputError("GenoCircuit needs at least 2 genes and 2 cells (got " + std::to_string(g) + " genes, " +
                     std::to_string(matrix.n_cells()) + " cells)");
  in.genes = names;
  in.cells = matrix.n_cells();
  bool counts = false;
  in.expression = model_expression(matrix, &counts);
  in.pseudotime = model_pseudotime(matrix);
  report["expression"] = counts ? "counts: library-size normalised, log1p" : "values used as given";
  report["pseudotime"] = !in.pseudotime.empty();
  if (!in.pseudotime.empty()) report["pseudotime_lineages"] = in.lineages();
  progress.update(0.05, "candidate graph");

  // Regulators and candidate edges.
  std::unordered_map<std::string, std::int64_t> index;
  for (std::int64_t i = 0; i < g; ++i)
    index.emplace(names[static_cast<std::size_t>(i)], i);
  std::vector<std::int64_t> regulators;
  if (options.regulators) {
    std::vector<bool> seen(static_cast<std::size_t>(g), false);
    for (const auto& tf : *options.regulators)
      if (const auto it = index.find(tf); it != index.end() && !seen[static_cast<std::size_t>(it->second)]) {
        seen[static_cast<std::size_t>(it->second)] = true;
        regulators.push_back(it->second);
      }
    std::sort(regulators.begin(), regulators.end());
    if (regulators.empty()) throw InputError("none of the TFs is a gene of the expression matrix");
  } else {
    for (std::int64_t i = 0; i < g; ++i)
      regulators.push_back(i);
  }
  const auto candidates = static_cast<std::int64_t>(regulators.size()) * (g - 1);
  if (candidates > options.max_candidate_edges)
    throw InputError(std::to_string(regulators.size()) + " regulators x " + std::to_string(g) +
                     " genes make " + std::to_string(candidates) +
                     " candidate edges, more than the limit of " +
                     std::to_string(options.max_candidate_edges) + ": give a TF list (--tfs)");
  for (auto r : regulators)
    for (std::int64_t t = 0; t < g; ++t)
      if (r != t) {
        in.edge_src.push_back(r);
        in.edge_dst.push_back(t);
      }
  report["regulators"] = static_cast<std::int64_t>(regulators.size());
  report["candidate_edges"] = in.num_edges();

  // Loci from the annotation.
  std::vector<std::optional<Locus>> loci(static_cast<std::size_t>(g));
  std::vector<std::vector<std::string>> aliases(static_cast<std::size_t>(g)); // names a motif may carry
  for (std::int64_t i = 0; i < g; ++i)
    aliases[static_cast<std::size_t>(i)].push_back(lower(names[static_cast<std::size_t>(i)]));
  if (!sources.annotation.empty()) {
    const auto annotation = genome::Annotation::load(sources.annotation);
    std::int64_t found = 0;
    for (std::int64_t i = 0; i < g; ++i) {
      const auto* gene = annotation.find_gene(names[static_cast<std::size_t>(i)]);
      if (!gene) continue;
      const bool minus = gene->strand == genome::Strand::minus;
      loci[static_cast<std::size_t>(i)] = Locus{gene->chrom, minus ? gene->end - 1 : gene->start, minus};
      aliases[static_cast<std::size_t>(i)].push_back(lower(gene->name));
      aliases[static_cast<std::size_t>(i)].push_back(lower(gene->id));
      ++found;
    }
    report["annotated_genes"] = found;
    if (found == 0)
      throw InputError("none of the " + std::to_string(g) + " expression genes (e.g. '" + names.front() +
                       "') is a gene of the annotation")
          .file(sources.annotation.string());
    if (found < g)
      out.warnings.push_back(std::to_string(g - found) + " of " + std::to_string(g) +
                             " expression genes are not in the annotation " + sources.annotation.string() +
                             "; they get no sequence or coordinates");
    std::map<std::string, std::int32_t> chrom_ids;
    for (const auto& c : annotation.chromosomes())
      chrom_ids.emplace(c, static_cast<std::int32_t>(chrom_ids.size()));
    in.chrom.assign(static_cast<std::size_t>(g), -1);
    in.position.assign(static_cast<std::size_t>(g), 0);
    for (std::int64_t i = 0; i < g; ++i)
      if (const auto& l = loci[static_cast<std::size_t>(i)]) {
        in.chrom[static_cast<std::size_t>(i)] = chrom_ids[l->chrom];
        in.position[static_cast<std::size_t>(i)] = l->tss;
      }
  } else if (!sources.genome.empty() || !sources.elements.empty() || !sources.hic.empty()) {
    throw InputError("a genome, elements or Hi-C need the annotation (--gtf) to place the genes");
  }
  progress.check();

  // Promoter sequences.
  std::vector<std::string> promoters(static_cast<std::size_t>(g));
  std::optional<genome::FastaReader> fasta;
  if (!sources.genome.empty()) {
    fasta.emplace(sources.genome);
    const auto fasta_names = fasta->names();
    const auto length = options.promoter_upstream + options.promoter_downstream;
    in.sequence_length = length;
    in.sequences.assign(static_cast<std::size_t>(g * length), 4);
    std::int64_t fetched = 0;
    for (std::int64_t i = 0; i < g; ++i) {
      const auto& l = loci[static_cast<std::size_t>(i)];
      if (!l) continue;
      const auto chrom = genome::ChromAliases::builtin().find(l->chrom, fasta_names);
      if (!chrom) continue;
      const auto chrom_len = fasta->length(*chrom);
      const auto lo =
          l->minus ? l->tss - options.promoter_downstream + 1 : l->tss - options.promoter_upstream;
      const auto a = std::clamp<std::int64_t>(lo, 0, chrom_len),
                 b = std::clamp<std::int64_t>(lo + length, 0, chrom_len);
      std::string seq(static_cast<std::size_t>(length), 'N');
      if (b > a) {
        const auto part = fasta->fetch(*chrom, a, b);
        std::copy(part.begin(), part.end(), seq.begin() + (a - lo));
      }
      if (l->minus) seq = genome::reverse_complement(seq);
      for (std::int64_t p = 0; p < length; ++p)
        in.sequences[static_cast<std::size_t>(i * length + p)] = base_code(seq[static_cast<std::size_t>(p)]);
      promoters[static_cast<std::size_t>(i)] = std::move(seq);
      ++fetched;
      progress.check();
    }
    report["promoter_sequences"] = fetched;
    report["promoter_window"] =
        Json::array_of(std::vector<std::int64_t>{options.promoter_upstream, options.promoter_downstream});
  }
  progress.update(0.08, "motif priors");

  // Motifs per regulator.
  std::vector<std::vector<ScaledPwm>> regulator_motifs(static_cast<std::size_t>(g));
  std::int64_t with_motif = 0;
  if (!sources.motifs.empty()) {
    if (!fasta) throw InputError("motif priors need the genome (--genome) to scan promoters");
    const auto motifs = genome::read_motifs(sources.motifs);
    std::unordered_map<std::string, std::vector<const genome::Motif*>> by_name;
    for (const auto& m : motifs) {
      if (!m.name.empty()) by_name[lower(m.name)].push_back(&m);
      if (!m.id.empty()) by_name[lower(m.id)].push_back(&m);
    }
    for (auto r : regulators) {
      std::vector<const genome::Motif*> found;
      for (const auto& alias : aliases[static_cast<std::size_t>(r)])
        if (const auto it = by_name.find(alias); it != by_name.end())
          for (const auto* m : it->second)
            if (std::find(found.begin(), found.end(), m) == found.end()) found.push_back(m);
      for (const auto* m : found) {
        ScaledPwm s;
        s.forward = m->log_odds(genome::uniform_background, 0.1);
        s.reverse = m->reverse_complement().log_odds(genome::uniform_background, 0.1);
        s.lo = s.forward.min_score();
        s.hi = s.forward.max_score();
        if (!std::isfinite(s.lo) || !(s.hi > s.lo)) continue;
        regulator_motifs[static_cast<std::size_t>(r)].push_back(std::move(s));
      }
      if (!regulator_motifs[static_cast<std::size_t>(r)].empty()) ++with_motif;
    }
    report["regulators_with_motif"] = with_motif;
    if (with_motif == 0)
      out.warnings.push_back("no motif of " + sources.motifs.string() +
                             " is named like a regulator; the motif prior is left out");
  }

  // Elements in contact with each target's promoter: (element index, weight).
  std::vector<genome::BedRecord> elements;
  std::vector<std::vector<std::pair<std::size_t, double>>> contacted(static_cast<std::size_t>(g));
  if (!sources.elements.empty() && with_motif > 0) {
    elements = genome::read_bed(sources.elements);
    std::map<std::string, std::vector<std::size_t>> by_chrom;
    for (std::size_t e = 0; e < elements.size(); ++e)
      by_chrom[elements[e].chrom].push_back(e);
    std::vector<std::string> element_chroms;
    for (const auto& [c, v] : by_chrom)
      element_chroms.push_back(c);
    if (!sources.hic.empty()) {
      auto res = hic::open_resolutions(sources.hic.string());
      const auto& map = *res.maps.front();
      const auto weights =
          res.has_file_weights.value_or(false) ? map.weights(map.default_weight_name()) : hic::Weights{};
      const auto graph = hic::build_contact_graph(map, weights, options.hic_top_percent, options.local_window,
                                                  progress.sub(0.08, 0.12));
      const auto& bins = map.bins();
      const auto bin_names = bins.chrom_names();
      const auto bin_of = [&](const std::string& chrom, std::int64_t pos) -> std::int64_t {
        const auto c = genome::ChromAliases::builtin().find(chrom, bin_names);
        if (!c) return -1;
        try {
          return hic::resolve_region(bins, genome::Region{*c, pos, pos + 1}).lo;
        } catch (const InputError&) {
          return -1;
        }
      };
      std::unordered_map<std::int64_t, std::vector<std::size_t>> elements_in_bin;
      for (std::size_t e = 0; e < elements.size(); ++e) {
        const auto mid = (elements[e].start + elements[e].end) / 2;
        if (const auto b = bin_of(elements[e].chrom, mid); b >= 0) elements_in_bin[b].push_back(e);
      }
      for (std::int64_t i = 0; i < g; ++i) {
        const auto& l = loci[static_cast<std::size_t>(i)];
        if (!l) continue;
        const auto b = bin_of(l->chrom, l->tss);
        if (b < 0) continue;
        const auto add_bin = [&](std::int64_t other, double oe) {
          if (const auto it = elements_in_bin.find(other); it != elements_in_bin.end())
            for (auto e : it->second)
              contacted[static_cast<std::size_t>(i)].emplace_back(e, std::log1p(std::max(oe, 0.0)));
        };
        add_bin(b, 1.0);
        for (auto k = graph.row_ptr[static_cast<std::size_t>(b)];
             k < graph.row_ptr[static_cast<std::size_t>(b) + 1]; ++k)
          if (std::isfinite(graph.oe[static_cast<std::size_t>(k)]))
            add_bin(graph.col[static_cast<std::size_t>(k)], graph.oe[static_cast<std::size_t>(k)]);
      }
      report["hic"] = map.source();
      report["hic_graph_edges"] = static_cast<std::int64_t>(graph.edges());
    } else {
      for (std::int64_t i = 0; i < g; ++i) {
        const auto& l = loci[static_cast<std::size_t>(i)];
        if (!l) continue;
        const auto c = genome::ChromAliases::builtin().find(l->chrom, element_chroms);
        if (!c) continue;
        for (auto e : by_chrom[*c])
          if (std::llabs((elements[e].start + elements[e].end) / 2 - l->tss) <= options.local_window)
            contacted[static_cast<std::size_t>(i)].emplace_back(e, 1.0);
      }
      report["hic"] = "none: elements within the local window";
    }
    report["elements"] = static_cast<std::int64_t>(elements.size());
  }
  progress.update(0.12, "scanning motifs");

  // Prior features.
  if (with_motif > 0) {
    const std::vector<std::string> element_seq = [&] {
      std::vector<std::string> seqs(elements.size());
      const auto fasta_names = fasta->names();
      for (std::size_t e = 0; e < elements.size(); ++e)
        if (const auto c = genome::ChromAliases::builtin().find(elements[e].chrom, fasta_names)) {
          const auto len = fasta->length(*c);
          const auto a = std::clamp<std::int64_t>(elements[e].start, 0, len);
          const auto b = std::clamp<std::int64_t>(elements[e].end, 0, len);
          if (b > a) seqs[e] = fasta->fetch(*c, a, b);
        }
      return seqs;
    }();
    // Element scores are shared by every target that contacts the element: cache per regulator.
    std::vector<std::unordered_map<std::size_t, double>> element_cache(static_cast<std::size_t>(g));
    const auto motif_score = [&](std::int64_t r, const std::string& seq) {
      double best = 0.0;
      for (const auto& m : regulator_motifs[static_cast<std::size_t>(r)])
        best = std::max(best, best_hit(m, seq));
      return best;
    };
    const bool with_elements = !elements.empty();
    in.edge_feature_names = {"motif_promoter", "motif_known"};
    if (with_elements) in.edge_feature_names.push_back("motif_element");
    const auto f = in.edge_feature_names.size();
    in.edge_features.assign(static_cast<std::size_t>(in.num_edges()) * f, 0.0F);
    for (std::int64_t e = 0; e < in.num_edges(); ++e) {
      const auto r = in.edge_src[static_cast<std::size_t>(e)], t = in.edge_dst[static_cast<std::size_t>(e)];
      if (regulator_motifs[static_cast<std::size_t>(r)].empty()) continue;
      auto* row = &in.edge_features[static_cast<std::size_t>(e) * f];
      row[0] = static_cast<float>(motif_score(r, promoters[static_cast<std::size_t>(t)]));
      row[1] = 1.0F;
      if (with_elements) {
        double best = 0.0;
        for (const auto& [el, w] : contacted[static_cast<std::size_t>(t)]) {
          auto& cache = element_cache[static_cast<std::size_t>(r)];
          auto it = cache.find(el);
          if (it == cache.end()) it = cache.emplace(el, motif_score(r, element_seq[el])).first;
          best = std::max(best, it->second * w);
        }
        row[2] = static_cast<float>(best);
      }
      if (e % 256 == 0)
        progress.update(0.12 + 0.03 * static_cast<double>(e) / static_cast<double>(in.num_edges()),
                        "scanning motifs");
    }
  }
  // Interventions in the data (DREAM4 knockouts/knockdowns, a screen's single-gene guides): the
  // response of each target to perturbing the regulator, |x - median| / (1.4826 MAD) over every
  // sample, averaged over the regulator's perturbed samples.
  if (const auto* perturbation = matrix.obs.find("perturbation")) {
    const auto cells = in.cells;
    std::vector<float> median(static_cast<std::size_t>(g)), scale(static_cast<std::size_t>(g));
    std::vector<float> column(static_cast<std::size_t>(cells));
    for (std::int64_t t = 0; t < g; ++t) {
      for (std::int64_t c = 0; c < cells; ++c)
        column[static_cast<std::size_t>(c)] = in.expression[static_cast<std::size_t>(c * g + t)];
      const auto mid = column.begin() + cells / 2;
      std::nth_element(column.begin(), mid, column.end());
      median[static_cast<std::size_t>(t)] = *mid;
      for (auto& v : column)
        v = std::fabs(v - median[static_cast<std::size_t>(t)]);
      std::nth_element(column.begin(), mid, column.end());
      scale[static_cast<std::size_t>(t)] = std::max(1.4826F * *mid, 1e-6F);
    }
    std::vector<double> response(static_cast<std::size_t>(g * g), 0.0);
    std::vector<std::int64_t> perturbed(static_cast<std::size_t>(g), 0);
    for (std::int64_t c = 0; c < cells; ++c) {
      const auto it = index.find(perturbation->text(static_cast<std::size_t>(c)));
      if (it == index.end()) continue;
      const auto r = it->second;
      ++perturbed[static_cast<std::size_t>(r)];
      for (std::int64_t t = 0; t < g; ++t)
        response[static_cast<std::size_t>(r * g + t)] +=
            std::fabs(in.expression[static_cast<std::size_t>(c * g + t)] -
                      median[static_cast<std::size_t>(t)]) /
            scale[static_cast<std::size_t>(t)];
    }
    const auto regulators_perturbed =
        std::count_if(regulators.begin(), regulators.end(),
                      [&](std::int64_t r) { return perturbed[static_cast<std::size_t>(r)] > 0; });
    if (regulators_perturbed > 0) {
      const auto f_old = in.edge_feature_names.size();
      std::vector<float> features(static_cast<std::size_t>(in.num_edges()) * (f_old + 1), 0.0F);
      for (std::int64_t e = 0; e < in.num_edges(); ++e) {
        for (std::size_t k = 0; k < f_old; ++k)
          features[static_cast<std::size_t>(e) * (f_old + 1) + k] =
              in.edge_features[static_cast<std::size_t>(e) * f_old + k];
        const auto r = in.edge_src[static_cast<std::size_t>(e)], t = in.edge_dst[static_cast<std::size_t>(e)];
        if (const auto n = perturbed[static_cast<std::size_t>(r)]; n > 0)
          features[static_cast<std::size_t>(e) * (f_old + 1) + f_old] =
              static_cast<float>(response[static_cast<std::size_t>(r * g + t)] / static_cast<double>(n));
      }
      in.edge_features = std::move(features);
      in.edge_feature_names.push_back("perturbation_response");
      report["regulators_perturbed"] = static_cast<std::int64_t>(regulators_perturbed);
    }
  }

  Json features = Json::array();
  for (const auto& n : in.edge_feature_names)
    features.as_array().emplace_back(n);
  report["edge_features"] = std::move(features);
  report["sequence"] = !in.sequences.empty();

  // Supervision.
  if (!options.reference.empty()) {
    std::unordered_map<std::int64_t, std::size_t> edge_of;
    for (std::size_t e = 0; e < in.edge_src.size(); ++e)
      edge_of.emplace(in.edge_src[e] * g + in.edge_dst[e], e);
    in.edge_labels.assign(in.edge_src.size(), 0);
    std::int64_t labelled = 0;
    for (const auto& [a, b] : options.reference) {
      const auto ia = index.find(a), ib = index.find(b);
      if (ia == index.end() || ib == index.end()) continue;
      if (const auto it = edge_of.find(ia->second * g + ib->second);
          it != edge_of.end() && in.edge_labels[it->second] == 0) {
        in.edge_labels[it->second] = 1;
        ++labelled;
      }
    }
    if (labelled == 0)
      throw InputError("none of the reference edges is a candidate edge (check gene names and the TF list)");
    report["reference_edges_used"] = labelled;
  }
  progress.update(0.15, "inputs ready");
  return out;
}

std::vector<ScoredEdge> genocircuit_edges(const model::GenoCircuit& model) {
  const auto scores = model.edge_scores();
  const auto& in = model.inputs();
  std::vector<ScoredEdge> edges;
  edges.reserve(scores.score.size());
  for (std::size_t e = 0; e < scores.score.size(); ++e)
    edges.push_back({in.genes[static_cast<std::size_t>(in.edge_src[e])],
                     in.genes[static_cast<std::size_t>(in.edge_dst[e])], scores.score[e], scores.sign[e]});
  std::stable_sort(edges.begin(), edges.end(), [](const ScoredEdge& a, const ScoredEdge& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.regulator != b.regulator) return a.regulator < b.regulator;
    return a.target < b.target;
  });
  return edges;
}

GenoCircuitRun train_genocircuit(const expr::ExpressionMatrix& matrix, const GenoCircuitSources& sources,
                                 const GenoCircuitOptions& options, const Progress& progress,
                                 const model::EpochCallback& on_epoch) {
  auto prepared = prepare_genocircuit_inputs(matrix, sources, options, progress.sub(0.0, 0.15));
  for (const auto& w : prepared.warnings)
    log::warning(w);
  model::GenoCircuit model(options.config, std::move(prepared.inputs));
  const auto log = model.train(progress.sub(0.15, 1.0), on_epoch);
  prepared.report["training"] = log.to_json();
  auto edges = genocircuit_edges(model);
  return {std::move(model), std::move(edges), std::move(prepared.report), std::move(prepared.warnings)};
}

} // namespace gc::grn
