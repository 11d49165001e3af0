#pragma once
// Gene annotation from GTF (Ensembl/GENCODE style) or GFF3 (Ensembl/NCBI style), plain or gzip:
// genes -> transcripts -> exons and CDS, with region queries through a sorted interval index
// and case-insensitive lookup by gene name or id.
#include "gc/genome/region.h"
#include "gc/util/progress.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gc::genome {

enum class Strand : char { plus = '+', minus = '-', unknown = '.' };

enum class AnnotationFormat { gtf, gff3 };

struct Gene {
  std::string id;
  std::string name; // the id when the file gives no name
  std::string biotype;
  std::string chrom;
  std::int64_t start = 0; // 0-based half-open
  std::int64_t end = 0;
  Strand strand = Strand::unknown;
  std::vector<std::size_t> transcripts; // indices into Annotation::transcripts()
};

struct Transcript {
  std::string id;
  std::string name;
  std::string biotype;
  std::string chrom;
  std::int64_t start = 0;
  std::int64_t end = 0;
  Strand strand = Strand::unknown;
  std::size_t gene = 0;
  std::vector<std::size_t> exons; // indices into Annotation::exons(), sorted by start
  std::vector<std::size_t> cds;   // indices into Annotation::cds(), sorted by start
};

// An exon or a CDS segment.
struct Segment {
  std::string chrom;
  std::int64_t start = 0;
  std::int64_t end = 0;
  Strand strand = Strand::unknown;
  int phase = -1; // CDS phase 0..2, -1 when not given
  std::size_t transcript = 0;
};

class Annotation {
public:
  // Format chosen by extension (.gtf/.gff/.gff3, optionally .gz), else by content.
  // Throws gc::InputError naming the file and line for malformed input. Reports the share of the
  // file read to `progress` and throws gc::Cancelled within a few thousand lines of a cancel.
  [[nodiscard]] static Annotation load(const std::filesystem::path& path, const Progress& progress = {});
  [[nodiscard]] static Annotation load(const std::filesystem::path& path, AnnotationFormat format,
                                       const Progress& progress = {});
  // Parses text (for tests and generated data); `origin` names the source in errors.
  [[nodiscard]] static Annotation parse(std::string_view text, AnnotationFormat format,
                                        const std::string& origin = "<text>");

  [[nodiscard]] AnnotationFormat format() const noexcept { return m_format; }
  [[nodiscard]] const std::vector<Gene>& genes() const noexcept { return m_genes; }
  [[nodiscard]] const std::vector<Transcript>& transcripts() const noexcept { return m_transcripts; }
  [[nodiscard]] const std::vector<Segment>& exons() const noexcept { return m_exons; }
  [[nodiscard]] const std::vector<Segment>& cds() const noexcept { return m_cds; }
  // Chromosome names in order of first appearance.
  [[nodiscard]] const std::vector<std::string>& chromosomes() const noexcept { return m_chroms; }

  // Indices of genes overlapping the region, sorted by start. The region's chromosome must be
  // named as in this file (resolve it through ChromAliases first).
  [[nodiscard]] std::vector<std::size_t> genes_in(const Region& region) const;
  [[nodiscard]] std::vector<std::size_t> transcripts_in(const Region& region) const;

  // Gene by id or name, case-insensitive (an exact id match wins); nullptr when absent.
  [[nodiscard]] const Gene* find_gene(std::string_view name_or_id) const;
  // Up to `limit` gene names and ids starting with `prefix` (case-insensitive), sorted, for the
  // GUI's locus box.
  [[nodiscard]] std::vector<std::string> complete(std::string_view prefix, std::size_t limit = 10) const;

  // Builds the indices; called by the loaders, and by code that fills an Annotation directly.
  Annotation(AnnotationFormat format, std::vector<Gene> genes, std::vector<Transcript> transcripts,
             std::vector<Segment> exons, std::vector<Segment> cds);

private:
  struct IntervalIndex {
    std::vector<std::size_t> order;   // item indices sorted by start
    std::vector<std::int64_t> starts; // starts in that order
    std::int64_t max_length = 0;
  };
  template <typename T>
  static void build_index(const std::vector<T>& items,
                          std::map<std::string, IntervalIndex, std::less<>>& out);
  template <typename T>
  static std::vector<std::size_t> query(const std::vector<T>& items,
                                        const std::map<std::string, IntervalIndex, std::less<>>& index,
                                        const Region& region);

  AnnotationFormat m_format = AnnotationFormat::gtf;
  std::vector<Gene> m_genes;
  std::vector<Transcript> m_transcripts;
  std::vector<Segment> m_exons;
  std::vector<Segment> m_cds;
  std::vector<std::string> m_chroms;
  std::map<std::string, IntervalIndex, std::less<>> m_gene_index;
  std::map<std::string, IntervalIndex, std::less<>> m_transcript_index;
  std::vector<std::pair<std::string, std::size_t>> m_lookup; // (lowercase name or id, gene), sorted
};

[[nodiscard]] std::string_view to_string(AnnotationFormat format) noexcept;

} // namespace gc::genome
