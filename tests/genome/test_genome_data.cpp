// gc::genome against real public files in ../shared/data (exact values from the files).
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/bigwig.h"
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/fasta.h"
#include "gc/genome/motifs.h"
#include "gc/genome/region.h"
#include "gc/genome/summary.h"
#include "gc/genome/vcf.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

namespace fs = std::filesystem;
using namespace gc::genome;

namespace {
const fs::path data_dir = gc::test::shared_data_dir();
const fs::path yeast_dir = data_dir / "genome/yeast_R64-1-1";
const fs::path yeast_fa = yeast_dir / "Saccharomyces_cerevisiae.R64-1-1.dna.toplevel.fa.gz";
const fs::path yeast_gtf = yeast_dir / "Saccharomyces_cerevisiae.R64-1-1.96.gtf.gz";
} // namespace

class TestGenomeData : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    if (!fs::exists(data_dir)) QSKIP("../shared/data is absent: real-data tests skipped");
  }

  void yeast_genome() {
    const FastaReader fa(yeast_fa);
    QCOMPARE(fa.storage(), FastaStorage::gzip_in_memory); // the shipped file is plain gzip
    QCOMPARE(fa.sequences().size(), std::size_t(17));
    QCOMPARE(fa.total_length(), std::int64_t(12'157'105));
    QCOMPARE(fa.sequences().front().name, std::string("I"));
    QCOMPARE(fa.sequences().back().name, std::string("Mito"));
    QCOMPARE(fa.length("chrI"), std::int64_t(230'218));
    QCOMPARE(fa.length("chrMito"), std::int64_t(85'779));
    // Sequence checked against `zcat | grep -A` on the file.
    QCOMPARE(fa.fetch(parse_region("chrII:10,001-10,060")),
             std::string("TAGTCATTATTTTGCTCGCAGTTTTGCCTTAAAATGCCCTCTGTTGTAGAAGTTAAAATT"));
    QCOMPARE(fa.fetch(parse_region("Mito:1-20")), std::string("TTCATAATTAATTTTTTATA"));

    // Against the yeast cooler's naming (chrI..chrXVI, chrMito, chr2-micron).
    std::vector<std::string> cooler = {"chrI",    "chrII",   "chrIII", "chrIV",  "chrV",    "chrVI",
                                       "chrVII",  "chrVIII", "chrIX",  "chrX",   "chrXI",   "chrXII",
                                       "chrXIII", "chrXIV",  "chrXV",  "chrXVI", "chrMito", "chr2-micron"};
    const auto names = fa.names();
    for (std::size_t i = 0; i + 1 < cooler.size(); ++i) {
      QCOMPARE(ChromAliases::builtin().resolve(cooler[i], names), names[i]);
    }
    bool threw = false;
    try {
      (void)ChromAliases::builtin().resolve("chr2-micron", names, yeast_fa.filename().string());
    } catch (const gc::InputError& e) {
      threw = QString(e.what()).contains("unknown chromosome 'chr2-micron'");
    }
    QVERIFY(threw);
  }

  void yeast_gtf_annotation() {
    const Annotation a = Annotation::load(yeast_gtf);
    QCOMPARE(a.format(), AnnotationFormat::gtf);
    QCOMPARE(a.genes().size(), std::size_t(7'036));
    QCOMPARE(a.transcripts().size(), std::size_t(7'036));
    QCOMPARE(a.exons().size(), std::size_t(7'416));
    QCOMPARE(a.cds().size(), std::size_t(6'913));
    QCOMPARE(a.chromosomes().size(), std::size_t(17));
    const Gene* g = a.find_gene("ydl248w");
    QVERIFY(g != nullptr);
    QCOMPARE(g->chrom, std::string("IV"));
    QCOMPARE(g->start, std::int64_t(1'801));
    QCOMPARE(g->end, std::int64_t(2'953));
    QCOMPARE(g->biotype, std::string("protein_coding"));
    const auto in_region = a.genes_in(parse_region("IV:1-3000"));
    QVERIFY(std::find(in_region.begin(), in_region.end(), static_cast<std::size_t>(g - a.genes().data())) !=
            in_region.end());
    QVERIFY(!a.complete("YDL24", 20).empty());
    for (const auto& name : a.complete("YDL24", 20))
      QVERIFY(QString::fromStdString(name).startsWith("YDL24", Qt::CaseInsensitive));
  }

  void ncbi_gff3() {
    const Annotation a = Annotation::load(data_dir / "genome/misc/NC_011025.gff");
    QCOMPARE(a.format(), AnnotationFormat::gff3);
    // awk -F'\t' '$3=="gene"' | wc -l = 671; 631 CDS hang directly under genes, 36 RNAs.
    QCOMPARE(a.genes().size(), std::size_t(671));
    QCOMPARE(a.transcripts().size(), std::size_t(667));
    QCOMPARE(a.exons().size(), std::size_t(36));
    QCOMPARE(a.cds().size(), std::size_t(631));
    const Gene* dnaA = a.find_gene("DNAA");
    QVERIFY(dnaA != nullptr);
    QCOMPARE(dnaA->id, std::string("gene0"));
    QCOMPARE(dnaA->start, std::int64_t(106));
    QCOMPARE(dnaA->end, std::int64_t(1'471));
    QCOMPARE(dnaA->biotype, std::string("protein_coding"));
  }

  void lambda_fasta() {
    const FastaReader fa(data_dir / "genome/misc/lambda_virus.fa.gz");
    QCOMPARE(fa.sequences().size(), std::size_t(1));
    QCOMPARE(fa.total_length(), std::int64_t(48'502));
    QCOMPARE(fa.fetch(fa.names()[0], 0, 10), std::string("GGGCGGCGAC"));
  }

  void chr22_vcf() {
    const VcfReader r(data_dir / "variants/chr22.vcf.gz");
    QCOMPARE(r.format(), VariantFormat::vcf_gz);
    QVERIFY(r.has_index());
    QCOMPARE(r.samples().size(), std::size_t(5));
    QCOMPARE(r.samples().front(), std::string("HG00096"));
    QCOMPARE(r.count_records(), std::size_t(10'376));
    const VariantTable all = r.read_all();
    QCOMPARE(all.sites.size(), std::size_t(10'376));
    QCOMPARE(all.dosage.size(), std::size_t(10'376 * 5));
    QCOMPARE(all.sites[0].id, std::string("rs7410291"));
    QCOMPARE(all.sites[0].pos, std::int64_t(50'300'077));
    QCOMPARE(all.sites[0].allele_frequency, 0.34f);
    QCOMPARE(all.dosage_at(0, 0), std::int8_t(0));
    QCOMPARE(all.dosage_at(0, 2), std::int8_t(1)); // HG00099 is 1|0
    // The tabix query must give exactly the records a scan finds in the same window.
    const Region window = parse_region("chr22:50,300,000-50,400,000");
    const VariantTable q = r.query(window);
    std::size_t expected = 0;
    for (const auto& s : all.sites)
      expected += s.pos >= window.start && s.pos < window.end ? 1 : 0;
    QVERIFY(expected > 0);
    QCOMPARE(q.sites.size(), expected);

    const VcfReader ex2(data_dir / "variants/ex2.vcf");
    const VariantTable t = ex2.read_all();
    QCOMPARE(t.sites.size(), std::size_t(5));
    QCOMPARE(t.sites[2].alts, (std::vector<std::string>{"G", "T"}));
    QCOMPARE(t.dosage_at(2, 0), std::int8_t(2)); // 1|2: two non-reference alleles
    QCOMPARE(t.sites[1].filter, std::string("q10"));
  }

  // MACS3 narrowPeak files; values read off the files with awk/grep.
  void narrow_peaks() {
    const auto atac = read_bed(data_dir / "tracks/hmmratac_yeast500k_accessible_regions.narrowPeak");
    QCOMPARE(atac.size(), std::size_t(1'605)); // the first line is a track line
    std::map<std::string, int> per_chrom;
    std::int64_t bases = 0;
    for (const auto& r : atac) {
      QCOMPARE(r.format, BedFormat::narrow_peak);
      ++per_chrom[r.chrom];
      bases += r.end - r.start;
    }
    const std::vector<std::string> yeast = {"chrI",    "chrII",   "chrIII", "chrIV",  "chrV",  "chrVI",
                                            "chrVII",  "chrVIII", "chrIX",  "chrX",   "chrXI", "chrXII",
                                            "chrXIII", "chrXIV",  "chrXV",  "chrXVI", "chrM"};
    QCOMPARE(per_chrom.size(), yeast.size());
    for (const auto& c : yeast)
      QVERIFY2(per_chrom.count(c) == 1, c.c_str());
    QCOMPARE(per_chrom.at("chrM"), 46);
    QCOMPARE(per_chrom.at("chrIV"), 200);
    QCOMPARE(bases, std::int64_t(403'300));
    // chrI 20 560 peak_1 268 . 0 0 0 218
    QCOMPARE(atac.front().chrom, std::string("chrI"));
    QCOMPARE(atac.front().start, std::int64_t(20));
    QCOMPARE(atac.front().end, std::int64_t(560));
    QCOMPARE(atac.front().name, std::string("peak_1"));
    QCOMPARE(atac.front().score, 268.0);
    QCOMPARE(atac.front().signal_value, 0.0);
    QCOMPARE(atac.front().peak, std::int64_t(218));
    QCOMPARE(atac.back().name, std::string("peak_1605"));
    QCOMPARE(atac.back().peak, std::int64_t(85));

    const auto ctcf_path = data_dir / "tracks/run_callpeak_narrow0_peaks.narrowPeak";
    const auto ctcf = read_bed(ctcf_path);
    QCOMPARE(ctcf.size(), std::size_t(730));
    QVERIFY(std::all_of(ctcf.begin(), ctcf.end(), [](const BedRecord& r) { return r.chrom == "chr22"; }));
    // chr22 17255466 17255847 run_callpeak_narrow0_peak_1 214 . 13.2158 24.2291 21.4687 166
    QCOMPARE(ctcf.front().start, std::int64_t(17'255'466));
    QCOMPARE(ctcf.front().end, std::int64_t(17'255'847));
    QCOMPARE(ctcf.front().strand, Strand::unknown);
    QCOMPARE(ctcf.front().signal_value, 13.2158);
    QCOMPARE(ctcf.front().p_value, 24.2291);
    QCOMPARE(ctcf.front().q_value, 21.4687);
    QCOMPARE(ctcf.front().peak, std::int64_t(166));
    // The strongest peak: run_callpeak_narrow0_peak_437, qValue 187.683, summit at +328.
    const auto best = std::max_element(ctcf.begin(), ctcf.end(), [](const BedRecord& a, const BedRecord& b) {
      return a.q_value < b.q_value;
    });
    QCOMPARE(best->name, std::string("run_callpeak_narrow0_peak_437"));
    QCOMPARE(best->start, std::int64_t(37'252'283));
    QCOMPARE(best->score, 1876.0);
    QCOMPARE(best->p_value, 195.348);
    QCOMPARE(best->q_value, 187.683);
    QCOMPARE(best->peak, std::int64_t(328));
    const auto summary = summarize_bed(ctcf_path);
    QCOMPARE(summary.at("format").as_string(), std::string("narrowPeak"));
    QCOMPARE(summary.at("records").as_int(), std::int64_t(730));
    QCOMPARE(summary.at("columns").as_int(), std::int64_t(10));
    QCOMPARE(summary.at("chromosomes").as_int(), std::int64_t(1));
  }

  // JASPAR 2024 in TRANSFAC format and PWMEnrich's JASPAR-format PFMs; values from the files
  // (and a separate Python count of AC records, '>' headers and row lengths).
  void motif_files() {
    const fs::path dir = data_dir / "motifs";
    const fs::path fungi_path = dir / "JASPAR2024_CORE_fungi_non-redundant_pfms_transfac.txt";
    const fs::path vert_path = dir / "JASPAR2024_CORE_vertebrates_non-redundant_pfms_transfac.txt";
    const fs::path pfm_path = dir / "pwmenrich_pfm_vertebrates.txt";

    const auto fungi = read_motifs(fungi_path);
    QCOMPARE(fungi.size(), std::size_t(178));
    QCOMPARE(fungi[0].id, std::string("MA0271.1"));
    QCOMPARE(fungi[0].name, std::string("ARG80"));
    QCOMPARE(fungi[0].counts, (std::vector<BaseValues>{{89, 0, 0, 69},
                                                       {0, 0, 301, 0},
                                                       {161, 0, 0, 0},
                                                       {0, 301, 0, 0},
                                                       {44, 0, 79, 69},
                                                       {0, 256, 0, 20}}));
    QCOMPARE(fungi[0].sites, 301.0); // column sums differ: 158, 301, 161, 301, 192, 276
    const auto vert = read_motifs(vert_path);
    QCOMPARE(vert.size(), std::size_t(879));
    const auto pfm = read_motifs(pfm_path);
    QCOMPARE(pfm.size(), std::size_t(205));
    QCOMPARE(pfm[1].id, std::string("MA0006.1"));
    QCOMPARE(pfm[1].name, std::string("Arnt::Ahr"));

    const std::vector<BaseValues> arnt{{4, 16, 0, 0}, {19, 0, 1, 0}, {0, 20, 0, 0},
                                       {0, 0, 20, 0}, {0, 0, 0, 20}, {0, 0, 20, 0}};
    QCOMPARE(pfm[0].id, std::string("MA0004.1"));
    QCOMPARE(pfm[0].name, std::string("Arnt"));
    QCOMPARE(pfm[0].counts, arnt);
    QCOMPARE(pfm[0].consensus(), std::string("CACGTG"));
    // Without a pseudocount the best site takes 0.8, 0.95 and four 1.0 columns over 0.25.
    const Pwm pwm = pfm[0].log_odds(uniform_background, 0.0);
    QVERIFY(std::abs(pwm.max_score() - 11.604071323668861) < 1e-9);
    QCOMPARE(*pwm.score("CACGTG"), pwm.max_score());

    // The same matrices in two formats: every id the two vertebrate files share.
    std::map<std::string, const Motif*> by_id;
    for (const auto& m : vert)
      by_id[m.id] = &m;
    QCOMPARE(by_id.at("MA0004.1")->counts, arnt);
    QCOMPARE(by_id.at("MA0004.1")->name, std::string("Arnt"));
    std::vector<std::string> shared;
    for (const auto& m : pfm) {
      const auto it = by_id.find(m.id);
      if (it == by_id.end()) continue;
      shared.push_back(m.id);
      QCOMPARE(m.counts, it->second->counts); // names differ in case and suffix: Pax6 vs PAX6
    }
    QCOMPARE(shared.size(), std::size_t(24));
    QCOMPARE(shared.front(), std::string("MA0004.1"));
    QCOMPARE(shared.back(), std::string("MA0599.1"));

    const auto summary = [](const fs::path& p) { return summarize_motifs(p); };
    const gc::Json sf = summary(fungi_path);
    QCOMPARE(sf.at("motif_format").as_string(), std::string("transfac"));
    QCOMPARE(sf.at("motifs").as_int(), std::int64_t(178));
    QCOMPARE(sf.at("min_length").as_int(), std::int64_t(5));
    QCOMPARE(sf.at("max_length").as_int(), std::int64_t(19));
    const gc::Json sv = summary(vert_path);
    QCOMPARE(sv.at("motifs").as_int(), std::int64_t(879));
    QCOMPARE(sv.at("min_length").as_int(), std::int64_t(5));
    QCOMPARE(sv.at("max_length").as_int(), std::int64_t(33));
    const gc::Json sp = summary(pfm_path);
    QCOMPARE(sp.at("format").as_string(), std::string("motifs"));
    QCOMPARE(sp.at("motif_format").as_string(), std::string("jaspar"));
    QCOMPARE(sp.at("motifs").as_int(), std::int64_t(205));
    QCOMPARE(sp.at("min_length").as_int(), std::int64_t(5));
    QCOMPARE(sp.at("max_length").as_int(), std::int64_t(30));
    QCOMPARE(sp.at("ids").size(), std::size_t(10));
    QCOMPARE(sp.at("names").at(2).as_string(), std::string("T"));

    // A real FASTA is not taken for a motif file.
    bool refused = false;
    try {
      (void)read_motifs(data_dir / "genome/misc/lambda_virus.fa.gz");
    } catch (const gc::InputError& e) {
      refused = QString(e.what()).contains("not a motif file");
    }
    QVERIFY(refused);
  }

  // pyGenomeTracks' bigWig and the bedGraph of the same signal (README ground truth: 2,930,650
  // bases, sum 4,337,100, max 294). The bigWig stores the bedGraph's zero-valued intervals too
  // (2,178 of 11,244), so the two hold the same intervals and zero bases count as covered; only
  // 558,450 bases are non-zero.
  void bigwig_real_track() {
    const fs::path bw = data_dir / "tracks/bigwig_chrx_2e6_5e6.bw";
    const fs::path bg = data_dir / "tracks/bedgraph_chrx_2e6_5e6.bg";
    const BigWigReader r(bw);
    QCOMPARE(r.chromosomes().size(), std::size_t(1));
    QCOMPARE(r.chromosomes()[0].name, std::string("chrX"));
    QCOMPARE(r.chromosomes()[0].length, std::int64_t(22'422'827)); // dm3 chrX
    QCOMPARE(r.summary().bases_covered, std::uint64_t(2'930'650));
    QCOMPARE(r.summary().sum, 4'337'100.0);
    QCOMPARE(r.summary().max, 294.0);
    QCOMPARE(r.summary().min, 0.0);

    // The bedGraph, read here as plain text so the comparison does not lean on our own parsers.
    std::ifstream in(bg);
    QVERIFY(in.good());
    std::vector<BigWigInterval> expected;
    std::string chrom;
    std::int64_t start = 0, end = 0;
    double value = 0.0;
    while (in >> chrom >> start >> end >> value) {
      QCOMPARE(chrom, std::string("chrX"));
      expected.push_back({start, end, static_cast<float>(value)});
    }
    QCOMPARE(expected.size(), std::size_t(11'244));
    std::uint64_t bases = 0, nonzero_bases = 0;
    double sum = 0.0, sum_sq = 0.0;
    for (const auto& iv : expected) {
      const auto len = static_cast<std::uint64_t>(iv.end - iv.start);
      bases += len;
      nonzero_bases += iv.value != 0.0F ? len : 0;
      sum += static_cast<double>(len) * iv.value;
      sum_sq += static_cast<double>(len) * iv.value * iv.value;
    }
    QCOMPARE(bases, r.summary().bases_covered);
    QCOMPARE(nonzero_bases, std::uint64_t(558'450));
    QCOMPARE(sum, r.summary().sum);
    QCOMPARE(sum_sq, r.summary().sum_squares);

    const auto got = r.intervals(parse_region("chrX:2,000,701-4,997,900"));
    QCOMPARE(got.size(), expected.size());
    QVERIFY(got == expected);
    QCOMPARE(std::count_if(got.begin(), got.end(), [](const BigWigInterval& iv) { return iv.value == 0.0F; }),
             std::ptrdiff_t(2'178));
    QCOMPARE(r.intervals("chrX", 0, 2'000'700).size(), std::size_t(0));
    QVERIFY(r.intervals(parse_region("X:2,000,701-2,000,800")) ==
            (std::vector<BigWigInterval>{{2'000'700, 2'000'750, 1.0F}, {2'000'750, 2'000'800, 2.0F}}));

    // Per-megabase statistics against the bedGraph.
    const std::int64_t from = 2'000'000, mb = 1'000'000;
    std::vector<double> bin_sum(3, 0.0), bin_max(3, 0.0), bin_bases(3, 0.0);
    for (const auto& iv : expected) {
      for (std::int64_t b = 0; b < 3; ++b) {
        const std::int64_t lo = std::max(iv.start, from + b * mb), hi = std::min(iv.end, from + (b + 1) * mb);
        if (lo >= hi) continue;
        const auto k = static_cast<std::size_t>(b);
        bin_sum[k] += static_cast<double>(hi - lo) * iv.value;
        bin_bases[k] += static_cast<double>(hi - lo);
        bin_max[k] = std::max(bin_max[k], static_cast<double>(iv.value));
      }
    }
    QCOMPARE(bin_sum, (std::vector<double>{2'103'700.0, 980'100.0, 1'253'300.0}));
    QCOMPARE(r.stats("chrX", from, from + 3 * mb, 3, BigWigStat::sum, BigWigStatsMode::exact), bin_sum);
    QCOMPARE(r.stats("chrX", from, from + 3 * mb, 3, BigWigStat::max, BigWigStatsMode::exact), bin_max);
    const auto cover = r.stats("chrX", from, from + 3 * mb, 3, BigWigStat::coverage, BigWigStatsMode::exact);
    for (std::size_t k = 0; k < 3; ++k)
      QCOMPARE(cover[k], bin_bases[k] / static_cast<double>(mb));
    // Zoomed: the 266,240 bp zoom records straddle the 1 Mb bin edges, so the sums are within a
    // few percent and the extremes can only widen.
    const auto zsum = r.stats("chrX", from, from + 3 * mb, 3, BigWigStat::sum);
    const auto zmax = r.stats("chrX", from, from + 3 * mb, 3, BigWigStat::max);
    const auto zmin = r.stats("chrX", from, from + 3 * mb, 3, BigWigStat::min);
    for (std::size_t k = 0; k < 3; ++k) {
      QVERIFY2(std::abs(zsum[k] - bin_sum[k]) < 0.1 * bin_sum[k], qPrintable(QString::number(zsum[k])));
      QVERIFY(zmax[k] >= bin_max[k]);
      QCOMPARE(zmin[k], 0.0);
    }
    // 1 kb bins are finer than any zoom level: libBigWig reads the data, and agrees with ours.
    for (const auto s :
         {BigWigStat::mean, BigWigStat::max, BigWigStat::min, BigWigStat::coverage, BigWigStat::sum}) {
      const auto z = r.stats("chrX", from, from + mb, 1'000, s);
      const auto e = r.stats("chrX", from, from + mb, 1'000, s, BigWigStatsMode::exact);
      for (std::size_t k = 0; k < e.size(); ++k) {
        if (std::isnan(e[k])) {
          QVERIFY(std::isnan(z[k]));
        } else {
          QVERIFY2(
              std::abs(z[k] - e[k]) <= 1e-9 * std::max(1.0, std::abs(e[k])),
              qPrintable(
                  QString("stat %1 bin %2: %3 vs %4").arg(static_cast<int>(s)).arg(k).arg(z[k]).arg(e[k])));
        }
      }
    }

    const gc::Json j = summarize_bigwig(bw);
    QCOMPARE(j.at("format").as_string(), std::string("bigwig"));
    QCOMPARE(j.at("bases_covered").as_int(), std::int64_t(2'930'650));
    QCOMPARE(j.at("sum").as_double(), 4'337'100.0);
    QCOMPARE(j.at("max").as_double(), 294.0);
    QCOMPARE(j.at("chromosomes").at(std::size_t(0)).at("name").as_string(), std::string("chrX"));
    QCOMPARE(j.at("zoom_levels").size(), std::size_t(6));
  }

  // Damaged copies of the real file, and a text file, are input errors naming the file.
  void bigwig_real_bad_input() {
    const fs::path bw = data_dir / "tracks/bigwig_chrx_2e6_5e6.bw";
    const fs::path bg = data_dir / "tracks/bedgraph_chrx_2e6_5e6.bg";
    std::ifstream in(bw, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    QCOMPARE(bytes.size(), std::size_t(102'283));
    const gc::TempDir dir("gc-bigwig-real");
    const auto error_of = [](const fs::path& p) {
      try {
        BigWigReader r(p);
      } catch (const gc::InputError& e) {
        return e.file_name() == p.string() ? QString::fromStdString(e.what())
                                           : QString("wrong file: ") + e.what();
      }
      return QString();
    };
    for (const std::size_t keep :
         {bytes.size() / 2, bytes.size() - 100, std::size_t(1'000), std::size_t(60)}) {
      const fs::path cut = dir.path() / ("cut_" + std::to_string(keep) + ".bw");
      std::ofstream(cut, std::ios::binary) << bytes.substr(0, keep);
      const QString e = error_of(cut);
      QVERIFY2(e.contains("truncated"), qPrintable(QString::number(keep) + ": " + e));
    }
    QVERIFY(error_of(bg).contains("not a bigWig"));
  }
};

GC_QTEST_GUILESS_MAIN(TestGenomeData)
#include "test_genome_data.moc"
