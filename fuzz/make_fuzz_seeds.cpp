// Writes tiny valid inputs for each fuzz target into OUT/<target>/ (the malformed files of
// tests/data/bad are added by run_fuzzers.sh). Binary seeds (bgzip FASTA, .h5ad) come from our
// own writers so that the fuzzers start from the layouts the readers actually accept.
#include "gc/expr/h5ad.h"
#include "gc/genome/writers.h"
#include "gc/util/error.h"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_fuzz_seeds OUT_DIR\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  try {
    write_text(out / "fuzz_fasta/plain.fa", ">chrI desc\nACGTNacgtn\nACG\n>chrII\nGGGGCCCC\n");
    write_text(out / "fuzz_fasta/one_line.fa", ">s\nACGT\n");
    std::filesystem::create_directories(out / "fuzz_fasta");
    gc::genome::write_fasta_bgzip(out / "fuzz_fasta/bgzip.fa.gz",
                                  {{"chrI", "ACGTACGTAC"}, {"chrM", "TTTTGGGGAAAACCCC"}}, 8);
    std::filesystem::remove(out / "fuzz_fasta/bgzip.fa.gz.fai");
    std::filesystem::remove(out / "fuzz_fasta/bgzip.fa.gz.gzi");

    write_text(out / "fuzz_annotation/genes.gtf",
               "chrI\tsgd\tgene\t100\t900\t.\t+\t.\tgene_id \"g1\"; gene_name \"ACT1\"; gene_biotype "
               "\"protein_coding\";\n"
               "chrI\tsgd\ttranscript\t100\t900\t.\t+\t.\tgene_id \"g1\"; transcript_id \"t1\";\n"
               "chrI\tsgd\texon\t100\t400\t.\t+\t.\tgene_id \"g1\"; transcript_id \"t1\";\n"
               "chrI\tsgd\tCDS\t150\t400\t.\t+\t0\tgene_id \"g1\"; transcript_id \"t1\";\n");
    write_text(out / "fuzz_annotation/genes.gff3",
               "##gff-version 3\n"
               "chrI\tsgd\tgene\t100\t900\t.\t-\t.\tID=gene:g1;Name=ACT1;biotype=protein_coding\n"
               "chrI\tsgd\tmRNA\t100\t900\t.\t-\t.\tID=transcript:t1;Parent=gene:g1\n"
               "chrI\tsgd\texon\t100\t400\t.\t-\t.\tParent=transcript:t1\n"
               "chrI\tsgd\tCDS\t150\t400\t.\t-\t0\tID=cds1;Parent=transcript:t1\n");

    write_text(out / "fuzz_bed/peaks.bed", "chrI\t10\t20\n"
                                           "chrI\t30\t45\tpeak2\t500\t+\n"
                                           "chrII\t0\t100\tp3\t0\t-\t0\t100\t255,0,0\n");
    write_text(out / "fuzz_bed/header.bed", "track name=x\nbrowser position chrI:1-100\n# c\nchrI\t1\t2\n");

    write_text(out / "fuzz_vcf/small.vcf", "##fileformat=VCFv4.2\n##contig=<ID=chrI,length=1000>\n"
                                           "##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n"
                                           "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n"
                                           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\ts2\n"
                                           "chrI\t10\trs1\tA\tG\t50\tPASS\tAF=0.5\tGT\t0/1\t1/1\n"
                                           "chrI\t20\t.\tAC\tA,ACC\t.\t.\t.\tGT\t./.\t0|2\n");

    write_text(out / "fuzz_text_matrix/cells_by_genes.csv", ",g1,g2,g3\nc1,0,1,2\nc2,3,0,0.5\n");
    write_text(out / "fuzz_text_matrix/genes_by_cells.tsv", "gene\tcellA\tcellB\nACT1\t1\t0\nTUB1\t0\t7\n");

    write_text(out / "fuzz_edge_list/refNetwork.csv", "Gene1,Gene2,Type\nA,B,+\nB,C,-\nC,C,+\n");
    write_text(out / "fuzz_edge_list/ranked.csv", "Gene1\tGene2\tEdgeWeight\nA\tB\t0.9\nB\tA\t0.1\n");

    write_text(out / "fuzz_json/object.json",
               R"({"a": [1, -2.5e3, true, false, null], "b": {"c": "d\u00e9\n\"q\""}, "e": []})");
    write_text(out / "fuzz_json/number.json", "-0.000123");

    write_text(
        out / "fuzz_session/v3.json",
        R"({"format": "genocircuit-session", "version": 3, "files": ["g.fa", "sub/p.narrowPeak"],)"
        R"( "current_view": "Genome", "locus": "chrI:100-2000",)"
        R"( "views": {"hic": {"uri": "m.mcool::/resolutions/1000", "balance": true}},)"
        R"( "figures": [{"view": "hic", "out": "f.png", "dpi": 300, "width_mm": 80, "height_mm": 60.5}]})");
    write_text(out / "fuzz_session/v1.json",
               R"({"format": "genocircuit-session", "version": 1, "files": [], "current_view": "Genome"})");

    write_text(out / "fuzz_motifs/jaspar.pfm", ">MA0004.1 Arnt\nA [ 4 19 0 0 0 0 ]\nC [ 16 0 20 0 0 0 ]\n"
                                               "G [ 0 1 0 20 0 20 ]\nT [ 0 0 0 0 20 0 ]\n");
    write_text(out / "fuzz_motifs/transfac.txt",
               "AC MA0271.1\nXX\nID ARG80\nXX\nPO\tA\tC\tG\tT\n"
               "01\t89\t0\t0\t69\n02\t0\t0\t301\t0\n03\t161\t0\t0\t0\nXX\n//\n");
    write_text(out / "fuzz_motifs/motifs.meme",
               "MEME version 5\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
               "Background letter frequencies\nA 0.3 C 0.2 G 0.2 T 0.3\n\n"
               "MOTIF m1 NAME1\nletter-probability matrix: alength= 4 w= 3 nsites= 20 E= 0\n"
               " 0.1 0.2 0.3 0.4\n 1.0 0.0 0.0 0.0\n 0.25 0.25 0.25 0.25\n");

    write_text(out / "fuzz_peaks/peaks.narrowPeak", "chrI\t100\t200\tp1\t500\t.\t13.2\t24.2\t21.4\t50\n"
                                                    "chrI\t300\t420\tp2\t0\t+\t-1\t3.5\t-1\t-1\n");
    write_text(out / "fuzz_peaks/peaks.broadPeak", "chrI\t100\t900\tb1\t300\t.\t4.5\t10.1\t8.2\n");

    write_text(out / "fuzz_bedgraph/signal.bedGraph",
               "track type=bedGraph name=s\nchrI\t0\t100\t1.5\nchrI\t100\t250\t-0.25\nchrII\t5\t9\t3e2\n");

    write_text(out / "fuzz_pairs/small.pairs",
               "## pairs format v1.0\n#chromsize: chr1 32\n#chromsize: chr2 32\n"
               "#columns: readID chrom1 pos1 chrom2 pos2 strand1 strand2\n"
               "r1\tchr1\t1\tchr1\t17\t+\t-\nr2\tchr2\t30\tchr1\t3\t-\t-\n");

    gc::expr::ExpressionMatrix m;
    m.x = gc::expr::Matrix::dense(3, 2, {0, 1, 2, 0, 0, 5});
    m.obs.index = {"c1", "c2", "c3"};
    m.obs.columns.push_back(gc::expr::Column::categorical_from("type", {"A", "B", "A"}));
    m.obs.columns.push_back(gc::expr::Column::numeric("depth", {1.5, 2, 3}));
    m.var.index = {"g1", "g2"};
    std::filesystem::create_directories(out / "fuzz_h5ad");
    gc::expr::write_h5ad(out / "fuzz_h5ad/csr.h5ad", m);
    gc::expr::write_h5ad(out / "fuzz_h5ad/dense.h5ad", m, {.sparse_x = false});
  } catch (const gc::Error& e) {
    std::cerr << "make_fuzz_seeds: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
