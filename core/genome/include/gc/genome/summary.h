#pragma once
// One-object summaries of genome files, for `genocircuit-cli info` and the GUI's file panel.
// Each object has "format" first; all throw gc::InputError for bad input.
#include "gc/genome/bed.h"
#include "gc/genome/fasta.h"
#include "gc/util/json.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gc::genome {

// Content sniffers over the first bytes of a file (decompressed when gzip/bgzip).
[[nodiscard]] bool looks_like_fasta(const std::string& head) noexcept;
[[nodiscard]] bool looks_like_vcf(const std::string& head) noexcept;
[[nodiscard]] bool looks_like_annotation(const std::filesystem::path& path, const std::string& head);
[[nodiscard]] bool looks_like_bed(const std::filesystem::path& path, const std::string& head);

// format "fasta", sequences, total_length, names, storage ("plain", "bgzip", "gzip_in_memory").
[[nodiscard]] Json summarize_fasta(const std::filesystem::path& path);
// The same from a reader or records already in memory (no second read of the file).
[[nodiscard]] Json summarize_fasta(const FastaReader& reader);
// format "gtf"/"gff3", genes, transcripts, exons, cds, chromosomes.
[[nodiscard]] Json summarize_annotation(const std::filesystem::path& path);
// format "bed"/"narrowPeak"/"broadPeak", records, columns (the most in any record), chromosomes.
[[nodiscard]] Json summarize_bed(const std::filesystem::path& path);
[[nodiscard]] Json summarize_bed(const std::vector<BedRecord>& records);
// format "vcf"/"bcf", compressed, records, samples, sample_names, contigs, indexed.
[[nodiscard]] Json summarize_variants(const std::filesystem::path& path);

} // namespace gc::genome
