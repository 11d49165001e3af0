// Knockout-impact tracks: gene loci from an annotation, overlaps split with the strongest value
// on each piece (expectations worked out by hand), chromosome order, genes without a locus,
// the exact bedGraph text, a bigWig read back through gc::genome's reader, and bad input.
#include "gc/perturb/track.h"

#include "gc/genome/bigwig.h"
#include "gc/util/atomic_file.h"
#include "gc/util/temp_dir.h"

#include "gc_test.h"
#include "gc_test_rejects.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

using namespace gc::perturb;
using gc::test::rejects;
namespace fs = std::filesystem;

namespace {

std::string gene_line(const std::string& chrom, int start1, int end1, const std::string& id,
                      const std::string& name) {
  return chrom + "\ttest\tgene\t" + std::to_string(start1) + "\t" + std::to_string(end1) +
         "\t.\t+\t.\tgene_id \"" + id + "\"; gene_name \"" + name + "\";\n";
}

// chrX comes first in the file, so the annotation's order is not the names' order. GTF lines are
// 1-based inclusive: "101 300" is [100, 300).
gc::genome::Annotation annotation() {
  const std::string text = gene_line("chrX", 11, 50, "ENSG5", "E") +        // [10, 50)
                           gene_line("chr1", 101, 300, "ENSG1", "A") +      // [100, 300)
                           gene_line("chr1", 201, 400, "ENSG2", "B") +      // [200, 400)
                           gene_line("chr1", 251, 280, "ENSG3", "C") +      // [250, 280), inside A and B
                           gene_line("chr1", 1001, 2000, "ENSG6", "F") +    // [1000, 2000)
                           gene_line("chr1", 1201, 1300, "ENSG7", "G") +    // [1200, 1300), inside F
                           gene_line("chr1", 3001, 3100, "ENSG8", "H") +    // [3000, 3100)
                           gene_line("chr1", 3051, 3200, "ENSG9", "I") +    // [3050, 3200)
                           gene_line("chr2", 501, 600, "ENSG4", "D") +      // [500, 600), no value
                           gene_line("chr1", 5001, 6000, "ENSG10", "LAST"); // chr1 ends at 6000
  return gc::genome::Annotation::parse(text, gc::genome::AnnotationFormat::gtf, "genes.gtf");
}

// Given out of position order, one by id (case-insensitive), one absent from the annotation.
std::vector<GeneValue> values() {
  return {{"I", -0.5},   {"G", -0.9}, {"ensg1", 1.0}, {"B", -2.0}, {"C", 0.5},
          {"NOPE", 7.0}, {"F", 0.1},  {"E", 3.0},     {"H", 0.5}};
}

std::string read_text(const fs::path& p) { return gc::read_text_file(p); }

} // namespace

GC_TEST(overlaps_split_to_the_strongest_value) {
  const auto track = impact_track(values(), annotation(), {}, "genes.gtf");
  // By hand, in annotation chromosome order (chrX, chr1):
  //   E alone on chrX.
  //   A [100,300) 1.0, B [200,400) -2.0, C [250,280) 0.5: A alone up to 200, then B is the
  //   strongest wherever it is (C's piece included), so B keeps its whole span as one interval.
  //   F [1000,2000) 0.1 with G [1200,1300) -0.9 inside: F, G, F.
  //   H [3000,3100) 0.5 and I [3050,3200) -0.5: equal magnitudes, so I, given first, wins the
  //   overlap.
  const std::vector<TrackInterval> expected = {
      {"chrX", 10, 50, 3.0, "E"},     {"chr1", 100, 200, 1.0, "ensg1"}, {"chr1", 200, 400, -2.0, "B"},
      {"chr1", 1000, 1200, 0.1, "F"}, {"chr1", 1200, 1300, -0.9, "G"},  {"chr1", 1300, 2000, 0.1, "F"},
      {"chr1", 3000, 3050, 0.5, "H"}, {"chr1", 3050, 3200, -0.5, "I"},
  };
  GC_CHECK_EQ(track.intervals.size(), expected.size());
  for (std::size_t i = 0; i < expected.size() && i < track.intervals.size(); ++i) {
    const auto& got = track.intervals[i];
    GC_CHECK_EQ(got.chrom, expected[i].chrom);
    GC_CHECK_EQ(got.start, expected[i].start);
    GC_CHECK_EQ(got.end, expected[i].end);
    GC_CHECK_EQ(got.value, expected[i].value);
    GC_CHECK_EQ(got.gene, expected[i].gene);
  }
  GC_CHECK_EQ(track.placed, std::size_t{8});
  GC_CHECK(track.missing == std::vector<std::string>{"NOPE"});
  GC_CHECK(track.off_genome.empty());
  // Sizes from the annotation: each chromosome ends at its last gene.
  GC_CHECK(track.sizes_from_annotation);
  GC_REQUIRE(track.chromosomes.size() == 3);
  GC_CHECK_EQ(track.chromosomes[0].name, std::string("chrX"));
  GC_CHECK_EQ(track.chromosomes[0].length, std::int64_t{50});
  GC_CHECK_EQ(track.chromosomes[1].name, std::string("chr1"));
  GC_CHECK_EQ(track.chromosomes[1].length, std::int64_t{6000});
  GC_CHECK_EQ(track.chromosomes[2].name, std::string("chr2"));
  GC_CHECK_EQ(track.chromosomes[2].length, std::int64_t{600});
}

GC_TEST(equal_magnitudes_go_to_the_gene_given_first) {
  // The same two genes with the order of the values swapped: H now comes before I.
  const auto track = impact_track({{"H", 0.5}, {"I", -0.5}}, annotation());
  GC_REQUIRE(track.intervals.size() == 2);
  GC_CHECK(track.intervals[0] == (TrackInterval{"chr1", 3000, 3100, 0.5, "H"}));
  GC_CHECK(track.intervals[1] == (TrackInterval{"chr1", 3100, 3200, -0.5, "I"}));
}

GC_TEST(adjacent_genes_stay_separate_and_gaps_stay_empty) {
  const std::string text = gene_line("c", 1, 10, "P", "P") + gene_line("c", 11, 20, "Q", "Q") +
                           gene_line("c", 31, 40, "R", "R") + gene_line("c", 1, 40, "S", "S");
  const auto a = gc::genome::Annotation::parse(text, gc::genome::AnnotationFormat::gtf, "adj.gtf");
  // P [0,10) and Q [10,20) touch with the same value: still one interval each.
  auto track = impact_track({{"P", 1.0}, {"Q", 1.0}, {"R", 2.0}}, a);
  GC_REQUIRE(track.intervals.size() == 3);
  GC_CHECK(track.intervals[0] == (TrackInterval{"c", 0, 10, 1.0, "P"}));
  GC_CHECK(track.intervals[1] == (TrackInterval{"c", 10, 20, 1.0, "Q"}));
  GC_CHECK(track.intervals[2] == (TrackInterval{"c", 30, 40, 2.0, "R"}));
  // S [0,40) under all three, weaker than Q and R, stronger than P: S, Q, S (the gap), R; the
  // pieces of S before and after Q are separate intervals.
  track = impact_track({{"P", 1.0}, {"Q", -3.0}, {"R", 2.0}, {"S", 1.5}}, a);
  GC_REQUIRE(track.intervals.size() == 4);
  GC_CHECK(track.intervals[0] == (TrackInterval{"c", 0, 10, 1.5, "S"}));
  GC_CHECK(track.intervals[1] == (TrackInterval{"c", 10, 20, -3.0, "Q"}));
  GC_CHECK(track.intervals[2] == (TrackInterval{"c", 20, 30, 1.5, "S"}));
  GC_CHECK(track.intervals[3] == (TrackInterval{"c", 30, 40, 2.0, "R"}));
}

GC_TEST(genome_names_order_and_sizes) {
  // The genome says "1" and "X" (in that order), the annotation "chr1" and "chrX"; chr2 is not in it.
  const std::vector<gc::genome::ChromLength> genome = {{"1", 10000}, {"X", 500}, {"Y", 300}};
  const auto track = impact_track({{"E", 3.0}, {"A", 1.0}, {"D", 2.0}}, annotation(), genome, "genes.gtf");
  GC_CHECK(!track.sizes_from_annotation);
  GC_REQUIRE(track.chromosomes.size() == 3);
  GC_CHECK_EQ(track.chromosomes[2].name, std::string("Y"));
  GC_REQUIRE(track.intervals.size() == 2);
  GC_CHECK(track.intervals[0] == (TrackInterval{"1", 100, 300, 1.0, "A"}));
  GC_CHECK(track.intervals[1] == (TrackInterval{"X", 10, 50, 3.0, "E"}));
  GC_CHECK(track.off_genome == std::vector<std::string>{"D"});
  GC_CHECK_EQ(track.placed, std::size_t{2});
  // A gene past the end of its chromosome means another assembly.
  GC_CHECK(rejects(
      [&] {
        (void)impact_track({{"LAST", 1.0}}, annotation(), {{"chr1", 5500}}, "genes.gtf");
      },
      "past the end of chr1 (5500 bp)"));
  // Only genes off the genome.
  GC_CHECK(rejects(
      [&] {
        (void)impact_track({{"D", 1.0}}, annotation(), genome, "genes.gtf");
      },
      "on a chromosome of the genome"));
}

GC_TEST(bedgraph_text_is_exact) {
  const gc::TempDir dir("gc-track");
  const auto path = dir.path() / "ko.bedGraph";
  const auto track = impact_track({{"A", 1.0}, {"B", -2.0}, {"G", -0.9}, {"E", 0.1}}, annotation());
  write_impact_track(path, track, "TF03 \"delta\"", "predicted change under TF03");
  GC_CHECK_EQ(read_text(path), std::string("track type=bedGraph name=\"TF03 'delta'\" "
                                           "description=\"predicted change under TF03\"\n"
                                           "chrX\t10\t50\t0.1\n"
                                           "chr1\t100\t200\t1\n"
                                           "chr1\t200\t400\t-2\n"
                                           "chr1\t1200\t1300\t-0.9\n"));
  // The .bg extension is bedGraph too, and nothing but the file is left in the folder.
  write_impact_track(dir.path() / "ko.bg", track, "x");
  GC_CHECK(
      read_text(dir.path() / "ko.bg").starts_with("track type=bedGraph name=\"x\"\nchrX\t10\t50\t0.1\n"));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path()))
    ++files;
  GC_CHECK_EQ(files, std::size_t{2});
}

GC_TEST(bigwig_reads_back) {
  const gc::TempDir dir("gc-track");
  const auto path = dir.path() / "ko.bw";
  const auto track = impact_track(values(), annotation(), {}, "genes.gtf");
  write_impact_track(path, track, "TF03 delta");
  const gc::genome::BigWigReader reader(path);
  // Stored in name order, with the annotation's sizes.
  GC_REQUIRE(reader.chromosomes().size() == 3);
  GC_CHECK_EQ(reader.length("chr1"), std::int64_t{6000});
  GC_CHECK_EQ(reader.length("chr2"), std::int64_t{600});
  GC_CHECK_EQ(reader.length("chrX"), std::int64_t{50});
  using I = gc::genome::BigWigInterval;
  GC_CHECK(reader.intervals("chrX", 0, 50) == (std::vector<I>{{10, 50, 3.0F}}));
  GC_CHECK(reader.intervals("chr1", 0, 6000) == (std::vector<I>{{100, 200, 1.0F},
                                                                {200, 400, -2.0F},
                                                                {1000, 1200, 0.1F},
                                                                {1200, 1300, -0.9F},
                                                                {1300, 2000, 0.1F},
                                                                {3000, 3050, 0.5F},
                                                                {3050, 3200, -0.5F}}));
  GC_CHECK(reader.intervals("chr2", 0, 600).empty());
  // The extension decides, whatever its case.
  write_impact_track(dir.path() / "ko.BigWig", track, "x");
  GC_CHECK_EQ(gc::genome::BigWigReader(dir.path() / "ko.BigWig").summary().bases_covered,
              std::uint64_t{1540});
}

GC_TEST(bad_input) {
  const gc::TempDir dir("gc-track");
  const auto a = annotation();
  GC_CHECK(rejects(
      [&] {
        (void)impact_track({{"NOPE", 1.0}, {"ZZ", 2.0}}, a, {}, "genes.gtf");
      },
      "none of the 2 genes ('NOPE', 'ZZ') is a gene of the annotation"));
  GC_CHECK(rejects([&] { (void)impact_track({{"NOPE", 1.0}}, a, {}, "genes.gtf"); }, "genes.gtf"));
  GC_CHECK(rejects(
      [&] {
        (void)impact_track({{"A", std::nan("")}}, a, {}, "genes.gtf");
      },
      "value of gene 'A' is not a finite number"));
  GC_CHECK(rejects(
      [&] {
        (void)impact_track({{"A", std::numeric_limits<double>::infinity()}}, a, {}, "genes.gtf");
      },
      "not a finite number"));
  GC_CHECK(rejects([&] { (void)track_output_format(dir.path() / "ko.txt"); }, "extension '.txt'"));
  GC_CHECK(rejects([&] { (void)track_output_format(dir.path() / "absent" / "ko.bw"); }, "does not exist"));
  GC_CHECK(rejects([&] { (void)track_output_format(dir.path() / "absent" / "ko.bw"); }, "ko.bw"));
  fs::create_directories(dir.path() / "folder.bw");
  GC_CHECK(rejects([&] { (void)track_output_format(dir.path() / "folder.bw"); }, "this is a folder"));
  GC_CHECK(track_output_format(dir.path() / "x.bedgraph") == TrackFormat::bedgraph);
  GC_CHECK(track_output_format(dir.path() / "x.BW") == TrackFormat::bigwig);
  GC_CHECK(rejects([&] { write_impact_track(dir.path() / "empty.bw", ImpactTrack{}, "x"); }, "no intervals"));
  GC_CHECK(!fs::exists(dir.path() / "empty.bw"));
}

GC_TEST_MAIN()
