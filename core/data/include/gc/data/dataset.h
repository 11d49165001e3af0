#pragma once
// A typed dataset: one opened file, its summary, its chromosomes and the reader or table that
// holds its content. Datasets are shared read-only (std::shared_ptr<const Dataset>) by every view
// and command that uses the file, so a file is opened once.
#include "gc/expr/matrix.h"
#include "gc/genome/annotation.h"
#include "gc/genome/bed.h"
#include "gc/genome/bigwig.h"
#include "gc/genome/fasta.h"
#include "gc/genome/motifs.h"
#include "gc/genome/vcf.h"
#include "gc/hic/resolutions.h"
#include "gc/util/json.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gc::data {

// What a file holds, whatever its format.
enum class Kind {
  genome,     // FASTA
  annotation, // GTF/GFF3
  intervals,  // BED, narrowPeak, broadPeak
  signal,     // bedGraph, bigWig
  variants,   // VCF/BCF
  hic,        // cooler, mcool, scool, Juicer .hic, binned .pairs
  expression, // h5ad, 10x, mtx, CSV/TSV matrices (single-cell, bulk, DREAM4 tables)
  pseudotime, // BEELINE PseudoTime.csv
  network,    // edge lists (refNetwork.csv, ranked edges, gold standards)
  motifs,     // JASPAR / TRANSFAC / MEME position frequency matrices
  index,      // .fai, .gzi, .tbi, .csi: indexes of another file
  sizes,      // chromosome sizes (NAME LENGTH)
  table,      // a delimited text table recognised but not interpreted (id maps, gene lists, dumps)
};
[[nodiscard]] std::string_view to_string(Kind kind) noexcept;

struct Dataset {
  std::filesystem::path path; // absolute, on disk (without a "::group" suffix)
  std::string uri;            // what the readers were given (path, or path::group)
  std::string format;         // the importer's id: "fasta", "gtf", "cool", "pairs", ...
  Kind kind = Kind::genome;
  std::string summary;                     // one line for people ("17 sequences, 12.16 Mb")
  Json info = Json::object();              // what `genocircuit-cli info --json` prints
  std::vector<genome::ChromLength> chroms; // as named in the file (length 0 when it does not say)

  // The content, by kind (null when the kind has none or it is read on demand).
  std::shared_ptr<const genome::FastaReader> fasta;
  std::shared_ptr<const genome::Annotation> annotation;
  // BED-like records; for signal tracks the value is in `score`.
  std::shared_ptr<const std::vector<genome::BedRecord>> intervals;
  std::shared_ptr<const genome::VariantTable> variants;
  // bigWig: read on demand (views that need a window ask the reader); never held in memory.
  std::shared_ptr<const genome::BigWigReader> bigwig;
  std::shared_ptr<const std::vector<genome::Motif>> motifs;
  std::shared_ptr<const hic::Resolutions> hic;
  std::shared_ptr<const expr::ExpressionMatrix> expression;
};

} // namespace gc::data
