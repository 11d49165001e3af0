// gc::genome against real public files in ../shared/data (exact values from the files).
#include "gc/genome/annotation.h"
#include "gc/genome/chrom_aliases.h"
#include "gc/genome/fasta.h"
#include "gc/genome/region.h"
#include "gc/genome/vcf.h"
#include "gc/util/error.h"

#include <QtTest>

#include <filesystem>

namespace fs = std::filesystem;
using namespace gc::genome;

namespace {
const fs::path data_dir = GC_SHARED_DATA_DIR;
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
};

QTEST_GUILESS_MAIN(TestGenomeData)
#include "test_genome_data.moc"
