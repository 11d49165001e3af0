// GenoCircuit on small planted networks: the true regulators must come out on top, runs must
// be reproducible, checkpoints must round-trip and reject damaged files, and bad training
// (NaN loss, cancellation) must stop cleanly.
#include "gc/kernels/runtime.h"
#include "gc/model/genocircuit.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"

#include "gc_test.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <string>

#include <unistd.h>

using gc::model::GenoCircuit;
using gc::model::GenoCircuitConfig;
using gc::model::GrnInputs;

namespace {

// 8 genes: g0, g1 regulators (independent), g2 = g0 + noise, g3 = -g0 + g1, g4 = g1, g5 = g2,
// g6, g7 noise. Candidates: every ordered pair.
struct Planted {
  GrnInputs inputs;
  std::set<std::pair<std::int64_t, std::int64_t>> truth{{0, 2}, {0, 3}, {1, 3}, {1, 4}, {2, 5}};
};

Planted planted(std::int64_t cells = 600, std::uint64_t seed = 7) {
  Planted p;
  auto& in = p.inputs;
  for (int g = 0; g < 8; ++g)
    in.genes.push_back("g" + std::to_string(g));
  in.cells = cells;
  gc::Rng rng(seed);
  const auto normal = [&] { return rng.normal(); };
  for (std::int64_t c = 0; c < cells; ++c) {
    const double g0 = normal(), g1 = normal();
    const double g2 = g0 + 0.3 * normal();
    const double g3 = -g0 + g1 + 0.3 * normal();
    const double g4 = g1 + 0.3 * normal();
    const double g5 = g2 + 0.3 * normal();
    for (double v : {g0, g1, g2, g3, g4, g5, normal(), normal()})
      in.expression.push_back(static_cast<float>(v));
  }
  for (std::int64_t s = 0; s < 8; ++s)
    for (std::int64_t t = 0; t < 8; ++t)
      if (s != t) {
        in.edge_src.push_back(s);
        in.edge_dst.push_back(t);
      }
  return p;
}

GenoCircuitConfig small_config() {
  GenoCircuitConfig c;
  c.dim = 16;
  c.heads = 2;
  c.expr_components = 4;
  c.conv_channels = 8;
  c.conv_blocks = 2;
  c.epochs = 15;
  c.batch_cells = 128;
  c.learning_rate = 2e-2;
  return c;
}

// Rank (0 = best) of every candidate edge by score.
std::vector<std::size_t> ranks(const std::vector<double>& score) {
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return score[a] > score[b]; });
  std::vector<std::size_t> rank(score.size());
  for (std::size_t r = 0; r < order.size(); ++r)
    rank[order[r]] = r;
  return rank;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("gc_test_model_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

} // namespace

GC_TEST(recovers_planted_regulators) {
  gc::kernels::configure_threads(2);
  auto p = planted();
  GenoCircuit model(small_config(), p.inputs);
  const auto log = model.train();
  GC_CHECK_EQ(log.epochs.size(), std::size_t{15});
  GC_CHECK(log.epochs.back().imputation < log.epochs.front().imputation);
  const auto scores = model.edge_scores();
  const auto rank = ranks(scores.score);
  // A direct edge or its reverse explains the same covariance; the planted direction or its
  // reverse must be among the top 10 of 56 candidates, and the noise genes never in the top 10.
  for (std::size_t e = 0; e < rank.size(); ++e) {
    const auto s = p.inputs.edge_src[e], t = p.inputs.edge_dst[e];
    if (s >= 6 || t >= 6) GC_CHECK(rank[e] >= 10);
  }
  std::size_t found = 0;
  for (std::size_t e = 0; e < rank.size(); ++e)
    if (p.truth.count({p.inputs.edge_src[e], p.inputs.edge_dst[e]}) && rank[e] < 12) ++found;
  GC_CHECK(found >= 4);
  // g3 = -g0 + g1: the edge g0 -> g3 is a repression.
  for (std::size_t e = 0; e < rank.size(); ++e)
    if (p.inputs.edge_src[e] == 0 && p.inputs.edge_dst[e] == 3) GC_CHECK_EQ(scores.sign[e], -1);
}

GC_TEST(same_seed_same_scores) {
  gc::kernels::configure_threads(2);
  auto p = planted(300);
  auto c = small_config();
  c.epochs = 3;
  GenoCircuit a(c, p.inputs), b(c, p.inputs);
  a.train();
  b.train();
  GC_CHECK(a.edge_scores().score == b.edge_scores().score);
  c.seed = 2;
  GenoCircuit d(c, p.inputs);
  d.train();
  GC_CHECK(a.edge_scores().score != d.edge_scores().score);
}

GC_TEST(priors_sequences_and_supervision) {
  gc::kernels::configure_threads(2);
  auto p = planted(300);
  auto& in = p.inputs;
  in.sequence_length = 120;
  gc::Rng rng(3);
  for (std::int64_t i = 0; i < 8 * in.sequence_length; ++i)
    in.sequences.push_back(static_cast<std::uint8_t>(rng.below(5)));
  for (int g = 0; g < 8; ++g) {
    in.chrom.push_back(g < 4 ? 0 : 1);
    in.position.push_back(10'000 * g);
  }
  in.edge_feature_names = {"motif", "contact"};
  for (std::size_t e = 0; e < in.edge_src.size(); ++e) {
    const bool real = p.truth.count({in.edge_src[e], in.edge_dst[e]}) > 0;
    in.edge_features.push_back(real ? 2.0F : 0.0F);
    in.edge_features.push_back(static_cast<float>(rng.uniform()));
    in.edge_labels.push_back(real ? 1 : 0);
  }
  auto c = small_config();
  c.epochs = 5;
  c.holdout_fraction = 0.4;
  GenoCircuit model(c, in);
  const auto log = model.train();
  GC_CHECK(log.supervised);
  // Stratified split: 40 % of the 5 positives (2) and of the 51 negatives (20).
  GC_CHECK_EQ(log.heldout_edges.size(), std::size_t{22});
  std::size_t held_pos = 0;
  for (auto e : log.heldout_edges)
    held_pos += in.edge_labels[static_cast<std::size_t>(e)];
  GC_CHECK_EQ(held_pos, std::size_t{2});
  GC_CHECK(log.epochs.back().supervised < log.epochs.front().supervised);
}

GC_TEST(checkpoint_round_trip_and_damage) {
  gc::kernels::configure_threads(2);
  auto p = planted(200);
  p.inputs.pseudotime.resize(200);
  for (std::size_t i = 0; i < 200; ++i)
    p.inputs.pseudotime[i] = i % 7 == 0 ? std::nanf("") : static_cast<float>(i);
  auto c = small_config();
  c.epochs = 2;
  GenoCircuit model(c, p.inputs);
  model.train();
  const auto path = temp_path("ckpt.gcmodel");
  model.save(path);
  const auto loaded = GenoCircuit::load(path);
  GC_CHECK(loaded.edge_scores().score == model.edge_scores().score);
  GC_CHECK(loaded.inputs().genes == model.inputs().genes);
  GC_CHECK_EQ(loaded.log().epochs.size(), std::size_t{2});
  GC_CHECK_EQ(loaded.config().to_json().dump(), model.config().to_json().dump());

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto expect_input_error = [&](const std::string& content, const char* what) {
    const auto bad = temp_path("bad.gcmodel");
    std::ofstream(bad, std::ios::binary) << content;
    bool thrown = false;
    try {
      (void)GenoCircuit::load(bad);
    } catch (const gc::InputError& e) {
      thrown = std::string(e.what()).find(what) != std::string::npos &&
               std::string(e.what()).find("bad.gcmodel") != std::string::npos;
      if (!thrown) std::fprintf(stderr, "    message: %s\n", e.what());
    }
    GC_CHECK(thrown);
    std::filesystem::remove(bad);
  };
  expect_input_error(bytes.substr(0, bytes.size() / 2), "truncated");
  std::string flipped = bytes;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5A);
  expect_input_error(flipped, "corrupted");
  expect_input_error("Gene1,Gene2,EdgeWeight\nA,B,1\n", "not a GenoCircuit model");
  std::string future = bytes;
  future[8] = 99;
  expect_input_error(future, "version 99");

  // Re-scoring on new cells of the same genes; trained with pseudotime, so it is required.
  auto again = GenoCircuit::load(path);
  bool refused = false;
  try {
    again.set_expression(p.inputs.expression, 200);
  } catch (const gc::InputError&) {
    refused = true;
  }
  GC_CHECK(refused);
  again.set_expression(p.inputs.expression, 200, p.inputs.pseudotime);
  again.train();
  std::filesystem::remove(path);
}

GC_TEST(diverging_training_names_epoch_and_loss) {
  auto p = planted(200);
  auto c = small_config();
  c.learning_rate = 1e30;
  c.epochs = 5;
  GenoCircuit model(c, p.inputs);
  bool stopped = false;
  try {
    model.train();
  } catch (const gc::InputError&) {
  } catch (const gc::Error& e) {
    const std::string what = e.what();
    stopped = what.find("epoch") != std::string::npos &&
              (what.find("NaN") != std::string::npos || what.find("infinite") != std::string::npos);
    if (!stopped) std::fprintf(stderr, "    message: %s\n", e.what());
  }
  GC_CHECK(stopped);
}

GC_TEST(cancel_stops_training) {
  auto p = planted(200);
  gc::CancelToken token;
  token.cancel();
  gc::Progress progress(nullptr, token);
  GenoCircuit model(small_config(), p.inputs);
  bool cancelled = false;
  try {
    model.train(progress);
  } catch (const gc::Cancelled&) {
    cancelled = true;
  }
  GC_CHECK(cancelled);
}

GC_TEST(config_json_and_bad_inputs) {
  auto c = small_config();
  const auto back = GenoCircuitConfig::from_json(c.to_json());
  GC_CHECK_EQ(back.to_json().dump(), c.to_json().dump());
  const auto rejects = [](const std::string& text) {
    try {
      (void)GenoCircuitConfig::from_json(gc::Json::parse(text));
    } catch (const gc::InputError&) {
      return true;
    }
    return false;
  };
  GC_CHECK(rejects(R"({"dimm": 8})"));
  GC_CHECK(rejects(R"({"dim": 10, "heads": 4})"));
  GC_CHECK(rejects(R"({"learning_rate": -1})"));
  GC_CHECK(rejects(R"({"context_scores": 1})"));
  GC_CHECK(!GenoCircuitConfig::from_json(gc::Json::parse(R"({"context_scores": false})")).context_scores);
  auto p = planted(50);
  p.inputs.expression[13] = std::nanf("");
  bool nan_rejected = false;
  try {
    GenoCircuit m(small_config(), p.inputs);
  } catch (const gc::InputError& e) {
    nan_rejected = std::string(e.what()).find("g5") != std::string::npos;
  }
  GC_CHECK(nan_rejected);
}

// The context score recomputed here from the raw scores, edge by edge, as EdgeScores defines it.
GC_TEST(context_scores_are_clr_times_strength) {
  gc::kernels::configure_threads(2);
  auto p = planted(300);
  auto c = small_config();
  c.epochs = 4;
  GenoCircuit model(c, p.inputs);
  model.train();
  const auto s = model.edge_scores();
  const auto& in = p.inputs;
  const auto e = in.edge_src.size();
  GC_CHECK_EQ(s.raw.size(), e);
  const double top = *std::max_element(s.raw.begin(), s.raw.end());
  const auto z = [&](std::size_t edge, const std::vector<std::int64_t>& node) {
    double sum = 0.0, sq = 0.0;
    int n = 0;
    for (std::size_t f = 0; f < e; ++f)
      if (node[f] == node[edge]) {
        sum += s.raw[f];
        sq += s.raw[f] * s.raw[f];
        ++n;
      }
    const double mean = sum / n, sd = std::sqrt(std::max(0.0, sq / n - mean * mean));
    return sd > 1e-12 ? std::max(0.0, (s.raw[edge] - mean) / sd) : 0.0;
  };
  double worst = 0.0;
  for (std::size_t i = 0; i < e; ++i) {
    const double zs = z(i, in.edge_src), zd = z(i, in.edge_dst);
    const double expect = std::sqrt(zs * zs + zd * zd) * std::sqrt(s.raw[i] / top) + 1e-6 * s.raw[i] / top;
    worst = std::max(worst, std::abs(expect - s.score[i]));
  }
  GC_CHECK(worst < 1e-6);
  // The ranking differs from the raw one, and with context scores off it is the raw one.
  GC_CHECK(ranks(s.score) != ranks(s.raw));
  c.context_scores = false;
  GenoCircuit plain(c, p.inputs);
  plain.train();
  const auto r = plain.edge_scores();
  GC_CHECK(r.score == r.raw);
  GC_CHECK(r.raw == s.raw);
}

// Lineages are kept apart: a second lineage holding no cell changes nothing, the same lineage
// given twice changes nothing (its velocities are averaged), and a split of the cells into two
// lineages does change the velocity (neighbours along time are then taken within a branch).
GC_TEST(pseudotime_lineages) {
  gc::kernels::configure_threads(2);
  auto p = planted(240);
  const auto cells = static_cast<std::size_t>(p.inputs.cells);
  std::vector<float> one(cells);
  for (std::size_t i = 0; i < cells; ++i)
    one[i] = static_cast<float>(i % 120);
  auto c = small_config();
  c.epochs = 3;
  const auto scores = [&](std::vector<float> time) {
    auto in = p.inputs;
    in.pseudotime = std::move(time);
    GenoCircuit m(c, in);
    const auto log = m.train();
    GC_CHECK(log.epochs.back().velocity > 0.0);
    return m.edge_scores().raw;
  };
  const auto base = scores(one);
  auto with_empty = one;
  with_empty.resize(2 * cells, std::nanf(""));
  GC_CHECK(scores(with_empty) == base);
  auto twice = one;
  twice.insert(twice.end(), one.begin(), one.end());
  const auto doubled = scores(twice);
  double worst = 0.0;
  for (std::size_t i = 0; i < base.size(); ++i)
    worst = std::max(worst, std::abs(doubled[i] - base[i]));
  GC_CHECK(worst < 1e-5);
  std::vector<float> split(2 * cells, std::nanf(""));
  for (std::size_t i = 0; i < cells; ++i)
    split[(i < cells / 2 ? 0 : cells) + i] = one[i];
  GC_CHECK(scores(split) != base);
  auto bad = p.inputs;
  bad.pseudotime.assign(cells + 1, 0.0F);
  bool rejected = false;
  try {
    GenoCircuit m(c, bad);
  } catch (const gc::InputError& e) {
    rejected = std::string(e.what()).find("each lineage") != std::string::npos;
  }
  GC_CHECK(rejected);
}

GC_TEST_MAIN()
