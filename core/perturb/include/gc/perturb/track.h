#pragma once
// Knockout-impact tracks: per-gene values (a predicted change, a log2 fold change, a z-score, an
// atlas impact) placed on the genes' loci from an annotation, for IGV and the genome browser.
// Built where gc::genome is (every build but GENOCIRCUIT_MINIMAL). The GUI takes impact_track()'s
// intervals as they are; the CLI writes them with write_impact_track().
#include "gc/genome/annotation.h"
#include "gc/genome/chrom_aliases.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gc::perturb {

struct GeneValue {
  std::string gene; // a gene name or id, looked up as Annotation::find_gene does
  double value = 0.0;
};

struct TrackInterval {
  std::string chrom;      // as the genome names it (the annotation's name without a genome)
  std::int64_t start = 0; // 0-based half-open
  std::int64_t end = 0;
  double value = 0.0;
  std::string gene; // the gene whose value this piece carries (as given in the values)

  friend bool operator==(const TrackInterval&, const TrackInterval&) = default;
};

struct ImpactTrack {
  // The track's chromosomes with their sizes: the genome's sequences in its order, or without a
  // genome the annotation's chromosomes in order of first appearance, each as long as the
  // largest gene end on it (sizes_from_annotation is then true).
  std::vector<genome::ChromLength> chromosomes;
  bool sizes_from_annotation = false;
  // Sorted by chromosome (the order above), then start; never overlapping.
  std::vector<TrackInterval> intervals;
  std::size_t placed = 0;              // genes given a locus
  std::vector<std::string> missing;    // genes the annotation does not have, in the order given
  std::vector<std::string> off_genome; // genes on a chromosome the genome does not have
};

// One interval per gene locus (the gene's span in the annotation). Where genes overlap, the span
// is split at their boundaries and each piece carries the value of largest magnitude among the
// genes covering it; consecutive pieces carrying the same gene are one interval. `genome` is the
// genome's sequences (FastaReader::sequences()), or empty; its names are matched to the
// annotation's through `aliases`. `origin` names the annotation in errors. gc::InputError for a
// value that is not finite (naming the gene), a gene extending past its chromosome in the genome,
// or when none of the genes has a locus (naming `origin`).
[[nodiscard]] ImpactTrack impact_track(const std::vector<GeneValue>& values,
                                       const genome::Annotation& annotation,
                                       const std::vector<genome::ChromLength>& genome = {},
                                       const std::string& origin = "<annotation>",
                                       const genome::ChromAliases& aliases = genome::ChromAliases::builtin());

enum class TrackFormat { bedgraph, bigwig };

// The format a track file's extension names (.bedgraph, .bedGraph, .bg; .bw, .bigwig), after
// checking that its folder exists and can be written: gc::InputError naming the file otherwise.
// Callers check an output path with it before the work that fills it.
[[nodiscard]] TrackFormat track_output_format(const std::filesystem::path& path);

// Writes the track by extension (see track_output_format), atomically: bedGraph with a track line
// carrying `name` and `description`, or bigWig over the track's chromosomes. gc::InputError for a
// bad path or a track without intervals.
void write_impact_track(const std::filesystem::path& path, const ImpactTrack& track, const std::string& name,
                        const std::string& description = {});

} // namespace gc::perturb
