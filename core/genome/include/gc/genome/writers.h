#pragma once
// Writers for generated data (the demo world) and round trips. Every file is written under a
// temporary name and renamed into place; the same input always gives the same bytes.
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/vcf.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gc::genome {

struct FastaSequence {
  std::string name;
  std::string sequence;
};

// bgzip FASTA plus `path`.fai and `path`.gzi, `width` bases per line.
void write_fasta_bgzip(const std::filesystem::path& path, const std::vector<FastaSequence>& sequences,
                       std::size_t width = 60);

// GTF with gene, transcript, exon and CDS lines (1-based coordinates), genes in file order.
void write_gtf(const std::filesystem::path& path, const Annotation& annotation,
               const std::string& source = "genocircuit");

// BED with each record's own column count (narrowPeak/broadPeak records with their peak columns);
// plain text, or bgzip when `path` ends in ".gz".
void write_bed(const std::filesystem::path& path, const std::vector<BedRecord>& records);

// bgzip VCF 4.2 with GT from the dosage matrix (diploid, unphased: 0/0, 0/1, 1/1, ./.) and
// INFO/AF, plus a tabix index `path`.tbi. Sites must be sorted by contig (header order) and pos.
void write_vcf(const std::filesystem::path& path, const VariantTable& table);

} // namespace gc::genome
