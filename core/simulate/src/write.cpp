// generate() and write_world(): runs the components in order and writes every file through
// the owning module's writer (ground-truth tables and the manifest are written here).
#include "internal.h"

#include "gc/expr/h5ad.h"
#include "gc/genome/writers.h"
#include "gc/hic/cooler.h"
#include "gc/simulate/world.h"
#include "gc/util/atomic_file.h"
#include "gc/util/error.h"
#include "gc/util/log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>

namespace gc::simulate {
namespace {

constexpr const char* generator_name = "genocircuit simulate";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void write_text(const std::filesystem::path& path, const std::function<void(std::ostream&)>& fill) {
  AtomicFile f(path);
  fill(f.stream());
  f.commit();
}

genome::Annotation to_annotation(const Genome& g) {
  std::vector<genome::Gene> genes;
  std::vector<genome::Transcript> transcripts;
  std::vector<genome::Segment> exons;
  for (const auto& m : g.genes) {
    const auto& chrom = g.chrom_names[static_cast<std::size_t>(m.chrom)];
    const auto strand = m.strand == '+' ? genome::Strand::plus : genome::Strand::minus;
    genome::Transcript t{m.name + "-T1", m.name + "-T1", "protein_coding", chrom, m.start,
                         m.end,          strand,         genes.size(),     {},    {}};
    for (const auto& [s, e] : m.exons) {
      t.exons.push_back(exons.size());
      exons.push_back({chrom, s, e, strand, -1, transcripts.size()});
    }
    genes.push_back({m.name,
                     m.name,
                     m.is_tf ? "transcription_factor" : "protein_coding",
                     chrom,
                     m.start,
                     m.end,
                     strand,
                     {transcripts.size()}});
    transcripts.push_back(std::move(t));
  }
  return genome::Annotation(genome::AnnotationFormat::gtf, std::move(genes), std::move(transcripts),
                            std::move(exons), {});
}

// Refuses a folder with someone else's files in it.
void prepare_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw InputError("output path exists and is not a folder").file(dir.string());
  if (fs::exists(dir) && !fs::is_empty(dir)) {
    const auto manifest = dir / "manifest.json";
    bool ours = false;
    if (fs::is_regular_file(manifest)) {
      try {
        const auto j = Json::parse(read_text_file(manifest));
        ours = j.is_object() && j.value("generator", std::string()) == generator_name;
      } catch (const InputError&) {
        ours = false;
      }
    }
    if (!ours)
      throw InputError("refusing to write into a non-empty folder that does not hold a world from "
                       "`simulate` (no manifest.json of ours); choose an empty or new folder")
          .file(dir.string());
  }
  fs::create_directories(dir);
}

} // namespace

World generate(const WorldSpec& spec, const Progress& progress) {
  World w;
  w.spec = spec;
  progress.update(0.0, "genome");
  w.genome = simulate_genome(spec);
  progress.update(0.05, "regulatory network");
  w.grn = simulate_grn(spec, w.genome);
  progress.update(0.1, "single-cell expression");
  w.expression = simulate_expression(spec, w.genome, w.grn, progress.sub(0.1, 0.8));
  progress.update(0.8, "Hi-C");
  w.hic = simulate_hic(spec, w.genome);
  progress.update(0.95, "variants");
  w.variants = simulate_variants(spec, w.genome);
  progress.update(1.0, "done");
  return w;
}

Json write_world(const World& w, const std::filesystem::path& dir, const Progress& progress) {
  prepare_dir(dir);
  const auto& g = w.genome;
  Json files = Json::array();
  auto record = [&](const std::string& path, const std::string& format, const std::string& content,
                    bool truth) {
    Json f = Json::object();
    f["path"] = path;
    f["format"] = format;
    f["content"] = content;
    f["ground_truth"] = truth;
    files.push_back(std::move(f));
  };
  auto chrom = [&](int c) -> const std::string& { return g.chrom_names[static_cast<std::size_t>(c)]; };

  progress.update(0.0, "writing genome");
  std::vector<genome::FastaSequence> fasta;
  for (std::size_t c = 0; c < g.sequences.size(); ++c)
    fasta.push_back({g.chrom_names[c], g.sequences[c]});
  genome::write_fasta_bgzip(dir / "genome.fa.gz", fasta);
  record("genome.fa.gz", "fasta-bgzip", "genome sequence with planted motifs", false);
  record("genome.fa.gz.fai", "faidx", "FASTA index", false);
  record("genome.fa.gz.gzi", "bgzip-index", "bgzip index", false);
  genome::write_gtf(dir / "genes.gtf", to_annotation(g));
  record("genes.gtf", "gtf", "gene models (TFs have gene_biotype transcription_factor)", false);

  std::vector<genome::BedRecord> bed;
  for (const auto& m : g.genes)
    bed.push_back({chrom(m.chrom),
                   m.promoter_start,
                   m.promoter_end,
                   "promoter:" + m.name,
                   0.0,
                   m.strand == '+' ? genome::Strand::plus : genome::Strand::minus,
                   0,
                   0,
                   "",
                   {},
                   {},
                   6});
  for (const auto& e : g.enhancers)
    bed.push_back({chrom(e.chrom),
                   e.start,
                   e.end,
                   "enhancer:" + g.genes[e.gene].name,
                   0.0,
                   genome::Strand::unknown,
                   0,
                   0,
                   "",
                   {},
                   {},
                   6});
  std::stable_sort(bed.begin(), bed.end(), [&](const genome::BedRecord& a, const genome::BedRecord& b) {
    return std::pair(a.chrom, a.start) < std::pair(b.chrom, b.start);
  });
  genome::write_bed(dir / "regulatory_elements.bed", bed);
  record("regulatory_elements.bed", "bed", "promoters (1 kb upstream of each TSS) and enhancers", true);
  // What a user would have from ATAC-seq: the same elements, anonymous and merged by position, so
  // that models can use them without reading which gene each one regulates.
  {
    std::vector<genome::BedRecord> open;
    for (const auto& r : bed)
      if (open.empty() || open.back().chrom != r.chrom || open.back().start != r.start ||
          open.back().end != r.end) {
        genome::BedRecord element;
        element.chrom = r.chrom;
        element.start = r.start;
        element.end = r.end;
        element.name = "element_" + std::to_string(open.size() + 1);
        element.columns = 4;
        open.push_back(std::move(element));
      }
    genome::write_bed(dir / "elements.bed", open);
    record("elements.bed", "bed", "accessible regulatory elements (promoters and enhancers, unlabelled)",
           false);
  }

  Json motifs = Json::array();
  for (const auto& m : g.motifs) {
    Json j = Json::object();
    j["tf"] = g.genes[m.tf].name;
    j["consensus"] = m.consensus;
    Json rows = Json::array();
    for (const auto& r : m.pwm)
      rows.push_back(Json::array_of(std::vector<double>(r.begin(), r.end())));
    j["pwm_acgt"] = std::move(rows);
    motifs.push_back(std::move(j));
  }
  write_text(dir / "motifs.json", [&](std::ostream& o) { o << motifs.dump(1) << '\n'; });
  record("motifs.json", "json", "TF position weight matrices (rows: positions; columns: A C G T)", true);
  // The same matrices as a motif database ships them (JASPAR counts out of 100 sites), named by
  // TF, and the TF list: what a biologist brings from JASPAR and a TF catalogue.
  write_text(dir / "motifs.jaspar", [&](std::ostream& o) {
    int id = 0;
    for (const auto& m : g.motifs) {
      o << ">DEMO" << std::setw(4) << std::setfill('0') << ++id << std::setfill(' ') << ".1 "
        << g.genes[m.tf].name << '\n';
      for (std::size_t b = 0; b < 4; ++b) {
        o << "ACGT"[b] << " [";
        for (const auto& r : m.pwm)
          o << ' ' << static_cast<long>(std::lround(r[b] * 100.0));
        o << " ]\n";
      }
    }
  });
  record("motifs.jaspar", "jaspar", "TF motifs in JASPAR format (counts out of 100)", false);
  write_text(dir / "tfs.txt", [&](std::ostream& o) {
    for (const auto t : w.grn.tfs)
      o << g.genes[t].name << '\n';
  });
  record("tfs.txt", "text", "transcription factors, one per line", false);
  write_text(dir / "motif_sites.tsv", [&](std::ostream& o) {
    o << "tf\tchrom\tstart\tend\tstrand\tsequence\tkind\ttarget\n";
    for (const auto& s : g.sites)
      o << g.genes[g.motifs[s.motif].tf].name << '\t' << chrom(s.chrom) << '\t' << s.start << '\t'
        << s.start + static_cast<std::int64_t>(s.sequence.size()) << '\t' << s.strand << '\t' << s.sequence
        << '\t' << to_string(s.kind) << '\t'
        << (s.target >= 0 ? g.genes[static_cast<std::size_t>(s.target)].name : ".") << '\n';
  });
  record("motif_sites.tsv", "tsv", "planted motif sites (0-based start; sequence on the + strand)", true);

  progress.update(0.1, "writing network");
  write_text(dir / "grn.csv", [&](std::ostream& o) {
    o << "Gene1,Gene2,Type\n";
    for (const auto& e : w.grn.edges)
      o << g.genes[e.regulator].name << ',' << g.genes[e.target].name << ',' << (e.sign > 0 ? '+' : '-')
        << '\n';
  });
  record("grn.csv", "beeline-csv", "ground-truth regulatory network", true);
  write_text(dir / "grn_weights.tsv", [&](std::ostream& o) {
    o << "regulator\ttarget\tsign\tstrength\thalf_response\n";
    for (const auto& e : w.grn.edges)
      o << g.genes[e.regulator].name << '\t' << g.genes[e.target].name << '\t' << (e.sign > 0 ? '+' : '-')
        << '\t' << num(e.strength) << '\t' << num(w.grn.half_response[e.regulator]) << '\n';
  });
  record("grn_weights.tsv", "tsv", "edge signs, strengths (K) and regulator half-responses", true);
  const auto& ex = w.expression;
  write_text(dir / "steady_state.tsv", [&](std::ostream& o) {
    o << "gene";
    for (const auto& t : ex.cell_types)
      o << '\t' << t;
    o << '\n';
    for (std::size_t i = 0; i < g.genes.size(); ++i) {
      o << g.genes[i].name;
      for (const auto& s : ex.steady_state)
        o << '\t' << num(s[i]);
      o << '\n';
    }
  });
  record("steady_state.tsv", "tsv", "noiseless steady-state expression per cell type", true);

  progress.update(0.2, "writing expression");
  expr::write_h5ad(dir / "expression.h5ad", ex.cells, {true, 4});
  record("expression.h5ad", "h5ad", "single-cell counts; obs cell_type, var is_tf", false);
  expr::write_h5ad(dir / "screen.h5ad", ex.screen, {true, 4});
  record("screen.h5ad", "h5ad",
         "CRISPR knockout screen counts; obs perturbation (control, then the screened_perturbations "
         "labels), cell_type",
         false);
  write_text(dir / "perturbation_truth.tsv", [&](std::ostream& o) {
    o << "perturbation\tcell_type\tgene\texpected_log2fc\n";
    for (const auto& p : ex.perturbations) {
      for (std::size_t i = 0; i < g.genes.size(); ++i)
        o << p.name << "\tall\t" << g.genes[i].name << '\t' << num(p.expected_log2fc[i]) << '\n';
      for (std::size_t c = 0; c < ex.cell_types.size(); ++c)
        for (std::size_t i = 0; i < g.genes.size(); ++i)
          o << p.name << '\t' << ex.cell_types[c] << '\t' << g.genes[i].name << '\t'
            << num(p.expected_log2fc_by_type[c][i]) << '\n';
    }
  });
  record("perturbation_truth.tsv", "tsv",
         "true expected response of every perturbation in ground_truth.perturbations (every TF "
         "knockout, double knockouts, knockdowns, overexpressions, non-TF knockouts; screened or "
         "not): log2 fold change of the noiseless steady state vs control (pseudocount 0.01), per "
         "cell_type and for the uniform cell-type mixture (cell_type 'all'); perturbation labels "
         "as gc::perturb writes them (TF03, TF03+TF07, TF03:kd0.5, TF05:oe3)",
         true);

  progress.update(0.5, "writing Hi-C");
  const auto& h = w.hic;
  hic::CoolerWriteOptions copt;
  copt.assembly = "genocircuit-" + w.spec.preset;
  hic::write_mcool(dir / "hic.mcool", h.bins, h.pixels, w.spec.hic_zoom_factors, copt, true);
  record("hic.mcool", "mcool", "Hi-C contacts at several resolutions, ICE-balanced", false);
  const auto bs = h.bins.bin_size;
  write_text(dir / "tad_boundaries.tsv", [&](std::ostream& o) {
    o << "chrom\tposition\n";
    for (const auto& b : h.tad_boundaries)
      o << chrom(b.chrom) << '\t' << b.position << '\n';
  });
  record("tad_boundaries.tsv", "tsv", "TAD boundaries (bin starts at the base resolution)", true);
  write_text(dir / "loops.bedpe", [&](std::ostream& o) {
    for (const auto& l : h.loops) {
      const auto s1 = h.bins.start[static_cast<std::size_t>(l.bin1)];
      const auto s2 = h.bins.start[static_cast<std::size_t>(l.bin2)];
      o << chrom(l.chrom) << '\t' << s1 << '\t' << s1 + bs << '\t' << chrom(l.chrom) << '\t' << s2 << '\t'
        << s2 + bs << '\t' << g.genes[l.gene].name << '\n';
    }
  });
  record("loops.bedpe", "bedpe", "enhancer-promoter loops of true TF-regulated genes (name: target gene)",
         true);
  write_text(dir / "compartments.bedgraph", [&](std::ostream& o) {
    for (std::int64_t b = 0; b < h.bins.size(); ++b) {
      const auto ub = static_cast<std::size_t>(b);
      o << h.bins.chroms[static_cast<std::size_t>(h.bins.chrom[ub])].name << '\t' << h.bins.start[ub] << '\t'
        << h.bins.end[ub] << '\t' << h.compartment[ub] << '\n';
    }
  });
  record("compartments.bedgraph", "bedgraph", "A (+1) / B (-1) compartment of each bin", true);

  progress.update(0.8, "writing variants");
  genome::write_vcf(dir / "variants.vcf.gz", w.variants.table);
  record("variants.vcf.gz", "vcf-bgzip", "SNV genotypes in LD blocks", false);
  record("variants.vcf.gz.tbi", "tabix", "VCF index", false);
  write_text(dir / "ld_blocks.tsv", [&](std::ostream& o) {
    o << "chrom\tstart\tend\tsites\n";
    for (const auto& b : w.variants.blocks)
      o << chrom(b.chrom) << '\t' << b.start << '\t' << b.end << '\t' << b.site_count << '\n';
  });
  record("ld_blocks.tsv", "tsv", "haplotype (LD) blocks", true);

  Json m = Json::object();
  m["generator"] = generator_name;
  m["manifest_version"] = manifest_version;
  m["preset"] = w.spec.preset;
  m["seed"] = static_cast<unsigned long long>(w.spec.seed);
  m["spec"] = w.spec.to_json();
  m["files"] = std::move(files);
  Json truth = Json::object();
  truth["grn"] = "grn.csv";
  truth["grn_weights"] = "grn_weights.tsv";
  truth["perturbation_truth"] = "perturbation_truth.tsv";
  truth["tad_boundaries"] = "tad_boundaries.tsv";
  truth["loops"] = "loops.bedpe";
  truth["compartments"] = "compartments.bedgraph";
  truth["motif_sites"] = "motif_sites.tsv";
  truth["motifs"] = "motifs.json";
  truth["steady_state"] = "steady_state.tsv";
  truth["ld_blocks"] = "ld_blocks.tsv";
  truth["cell_types"] = Json::array_of(ex.cell_types);
  truth["cell_type_column"] = "cell_type";
  truth["perturbation_column"] = "perturbation";
  truth["control_label"] = "control";
  // Each perturbation of the truth with its kind, so that evaluation can split unseen single
  // knockouts, doubles by how many members the screen shows singly, knockdowns, ...
  std::vector<std::string> names;
  Json screened = Json::array(), evaluation = Json::array();
  for (const auto& p : ex.perturbations) {
    names.push_back(p.name);
    Json e = Json::object();
    e["label"] = p.name;
    e["kind"] = to_string(p.kind);
    e["screened"] = p.screened;
    std::vector<std::string> genes;
    for (const auto& gi : p.intervention.genes)
      genes.push_back(gi.gene);
    e["genes"] = Json::array_of(genes);
    if (p.kind == PerturbationKind::double_knockout) e["members_screened"] = p.members_screened;
    (p.screened ? screened : evaluation).push_back(std::move(e));
  }
  truth["perturbations"] = Json::array_of(names);
  truth["screened_perturbations"] = std::move(screened);
  truth["evaluation_perturbations"] = std::move(evaluation);
  names.clear();
  for (const auto t : w.grn.tfs)
    names.push_back(g.genes[t].name);
  truth["tfs"] = Json::array_of(names);
  m["ground_truth"] = std::move(truth);
  Json s = Json::object();
  s["chromosomes"] = g.chrom_names.size();
  std::int64_t bp = 0;
  for (const auto& q : g.sequences)
    bp += static_cast<std::int64_t>(q.size());
  s["genome_bp"] = bp;
  s["genes"] = g.genes.size();
  s["tfs"] = w.grn.tfs.size();
  s["edges"] = w.grn.edges.size();
  s["feed_forward_loops"] = w.grn.feed_forward_loops.size();
  s["autoregulated"] = w.grn.autoregulated.size();
  s["motif_sites"] = g.sites.size();
  s["cells"] = ex.cells.n_cells();
  s["screen_cells"] = ex.screen.n_cells();
  s["perturbations"] = ex.perturbations.size();
  s["screened_perturbations"] = static_cast<std::size_t>(std::count_if(
      ex.perturbations.begin(), ex.perturbations.end(), [](const Perturbation& p) { return p.screened; }));
  s["dropout_fraction"] = std::stod(num(ex.dropout_fraction));
  s["hic_bin_size"] = bs;
  s["hic_bins"] = h.bins.size();
  s["hic_pixels"] = h.pixels.size();
  s["tads"] = h.tad_boundaries.size() + g.chrom_names.size();
  s["loops"] = h.loops.size();
  s["variants"] = w.variants.table.sites.size();
  s["samples"] = w.variants.table.samples.size();
  m["summary"] = std::move(s);
  write_text(dir / "manifest.json", [&](std::ostream& o) { o << m.dump(2) << '\n'; });
  progress.update(1.0, "done");
  log::info("wrote the world (" + w.spec.preset + ", seed " + std::to_string(w.spec.seed) + ") to " +
            dir.string());
  return m;
}

} // namespace gc::simulate
