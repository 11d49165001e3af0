// Intervention labels and modes: parsing, canonical order, round trips and bad input.
#include "gc/perturb/intervention.h"
#include "gc/util/error.h"

#include "gc_test.h"
#include "gc_test_rejects.h"

#include <string>

using namespace gc::perturb;

using gc::test::rejects;

GC_TEST(modes_and_levels) {
  GC_CHECK(parse_mode("ko").mode == Mode::knockout);
  GC_CHECK_NEAR(parse_mode("ko").level(), 0.0, 0.0);
  const auto kd = parse_mode("kd:0.7");
  GC_CHECK(kd.mode == Mode::knockdown);
  GC_CHECK_NEAR(kd.level(), 0.3, 1e-12);
  const auto oe = parse_mode(" oe:2.5 ");
  GC_CHECK(oe.mode == Mode::overexpression);
  GC_CHECK_NEAR(oe.level(), 2.5, 0.0);
  GC_CHECK_EQ(mode_text(kd), std::string("kd:0.7"));
  GC_CHECK_EQ(mode_text(oe), std::string("oe:2.5"));
  GC_CHECK(rejects([] { (void)parse_mode("kd:1.5"); }, "between 0 and 1"));
  GC_CHECK(rejects([] { (void)parse_mode("kd:0"); }, "between 0 and 1"));
  GC_CHECK(rejects([] { (void)parse_mode("oe:0.5"); }, "above 1"));
  GC_CHECK(rejects([] { (void)parse_mode("oe:x"); }, "'x' is not a number"));
  GC_CHECK(rejects([] { (void)parse_mode("knockout"); }, "expected ko"));
}

GC_TEST(labels_are_canonical_and_round_trip) {
  const auto a = make_intervention("TF07, TF03", "ko");
  GC_CHECK_EQ(a.label(), std::string("TF03+TF07"));
  GC_CHECK(parse_label("TF07+TF03") == a);
  GC_CHECK(parse_label("TF03:ko+TF07") == a);
  const auto kd = make_intervention("G1", "kd:0.5");
  GC_CHECK_EQ(kd.label(), std::string("G1:kd0.5"));
  GC_CHECK(parse_label("G1:kd0.5") == kd);
  GC_CHECK(parse_label("G1:kd:0.5") == kd);
  const auto mixed = parse_label("TF02:kd0.25+TF01");
  GC_CHECK_EQ(mixed.size(), std::size_t{2});
  GC_CHECK_EQ(mixed.genes[0].gene, std::string("TF01"));
  GC_CHECK(mixed.genes[1].mode == Mode::knockdown);
  GC_CHECK_EQ(mixed.label(), std::string("TF01+TF02:kd0.25"));
  GC_CHECK(parse_label(mixed.label()) == mixed);
  const auto oe = make_intervention("G9", "oe:3");
  GC_CHECK_EQ(oe.label(), std::string("G9:oe3"));
  GC_CHECK(parse_label(oe.label()) == oe);
  // A factor with many digits survives the label.
  const auto odd = make_intervention("G", "kd:0.123456789012");
  GC_CHECK(parse_label(odd.label()) == odd);
  // Folds are written as people type them, never in exponent form.
  GC_CHECK_EQ(make_intervention("G9", "oe:30").label(), std::string("G9:oe30"));
  GC_CHECK_EQ(make_intervention("G9", "oe:1000").label(), std::string("G9:oe1000"));
  GC_CHECK_EQ(make_intervention("G9", "oe:2.5").label(), std::string("G9:oe2.5"));
}

GC_TEST(bad_labels) {
  GC_CHECK(rejects([] { (void)parse_label("TF01+TF01"); }, "twice"));
  GC_CHECK(rejects([] { (void)parse_label("TF01++TF02"); }, "empty gene"));
  GC_CHECK(rejects([] { (void)make_intervention("", "ko"); }, "empty gene"));
  GC_CHECK(rejects([] { (void)parse_label("G1:up2"); }, "expected ko"));
}

GC_TEST_MAIN()
