// The GenoCircuit front-end on a small simulated world (core/simulate, "small" preset): the
// priors it builds from the genome, elements, Hi-C and motifs must carry the planted network,
// and with them the trained model must rank the true GRN far better than from expression alone
// and than |Pearson|; interventions in the data become a perturbation-response prior.
#include "gc/expr/grn_input.h"
#include "gc/grn/baselines.h"
#include "gc/grn/eval.h"
#include "gc/grn/genocircuit.h"
#include "gc/grn/network_io.h"
#include "gc/kernels/runtime.h"
#include "gc/simulate/world.h"
#include "gc/util/error.h"

#include "gc_qtest_main.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

class TestGrnGenoCircuit : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void priors_carry_the_planted_network();
  void priors_beat_expression_alone();
  void perturbation_response_prior();
  void bad_sources();
  void pseudotime_keeps_lineages_apart();

private:
  gc::grn::GenoCircuitSources sources() const;
  gc::grn::GenoCircuitOptions options() const;
  QTemporaryDir m_dir;
  fs::path m_world;
  gc::expr::ExpressionMatrix m_expression;
  std::vector<std::pair<std::string, std::string>> m_truth;
  std::vector<std::string> m_tfs;
};

void TestGrnGenoCircuit::initTestCase() {
  gc::kernels::configure_threads(1);
  QVERIFY(m_dir.isValid());
  m_world = fs::path(m_dir.path().toStdString()) / "world";
  auto spec = gc::simulate::WorldSpec::preset_named("small");
  const auto world = gc::simulate::generate(spec);
  (void)gc::simulate::write_world(world, m_world);
  m_expression = world.expression.cells;
  m_truth = gc::grn::read_truth(m_world / "grn.csv").edges;
  m_tfs = gc::grn::read_tf_list(m_world / "tfs.txt");
  QVERIFY(!m_truth.empty());
}

gc::grn::GenoCircuitSources TestGrnGenoCircuit::sources() const {
  gc::grn::GenoCircuitSources s;
  s.genome = m_world / "genome.fa.gz";
  s.annotation = m_world / "genes.gtf";
  s.elements = m_world / "elements.bed";
  s.hic = m_world / "hic.mcool";
  s.motifs = m_world / "motifs.jaspar";
  return s;
}

gc::grn::GenoCircuitOptions TestGrnGenoCircuit::options() const {
  gc::grn::GenoCircuitOptions o;
  o.regulators = m_tfs;
  o.config.epochs = 10;
  o.config.dim = 32;
  o.config.conv_channels = 16;
  return o;
}

void TestGrnGenoCircuit::priors_carry_the_planted_network() {
  const auto prepared = gc::grn::prepare_genocircuit_inputs(m_expression, sources(), options());
  const auto& in = prepared.inputs;
  const std::vector<std::string> expected{"motif_promoter", "motif_known", "motif_element"};
  QCOMPARE(in.edge_feature_names, expected);
  QCOMPARE(in.sequence_length, std::int64_t{1100});
  QCOMPARE(in.num_edges(), static_cast<std::int64_t>(m_tfs.size() * (in.genes.size() - 1)));
  std::set<std::pair<std::string, std::string>> truth(m_truth.begin(), m_truth.end());
  // Every true edge has its motif planted in the target's promoter or in an enhancer: the best
  // of the two motif features must be higher on true edges than on the others.
  double true_sum = 0, other_sum = 0;
  std::int64_t true_n = 0, other_n = 0;
  for (std::int64_t e = 0; e < in.num_edges(); ++e) {
    const auto* row = &in.edge_features[static_cast<std::size_t>(e) * 3];
    const double best = std::max(row[0], row[2]);
    if (truth.count({in.genes[static_cast<std::size_t>(in.edge_src[static_cast<std::size_t>(e)])],
                     in.genes[static_cast<std::size_t>(in.edge_dst[static_cast<std::size_t>(e)])]})) {
      true_sum += best;
      ++true_n;
    } else {
      other_sum += best;
      ++other_n;
    }
  }
  QVERIFY(true_n > 0 && other_n > 0);
  QVERIFY2(true_sum / true_n > other_sum / other_n + 0.1,
           qPrintable(QString("true %1 vs other %2").arg(true_sum / true_n).arg(other_sum / other_n)));
  QCOMPARE(prepared.report.at("regulators_with_motif").as_int(), static_cast<std::int64_t>(m_tfs.size()));
}

void TestGrnGenoCircuit::priors_beat_expression_alone() {
  const auto with = gc::grn::train_genocircuit(m_expression, sources(), options());
  const auto without = gc::grn::train_genocircuit(m_expression, {}, options());
  const auto pearson = gc::grn::correlation_edges(m_expression, gc::grn::Correlation::pearson);
  gc::grn::EvalOptions eval;
  eval.tfs = m_tfs;
  const auto genes = m_expression.var.index;
  const auto m_with = gc::grn::evaluate(with.edges, m_truth, genes, eval);
  const auto m_without = gc::grn::evaluate(without.edges, m_truth, genes, eval);
  const auto m_pearson = gc::grn::evaluate(pearson, m_truth, genes, eval);
  const auto text = QString("AUPRC with priors %1, expression only %2, pearson %3")
                        .arg(m_with.auprc)
                        .arg(m_without.auprc)
                        .arg(m_pearson.auprc);
  qInfo("%s", qPrintable(text));
  QVERIFY2(m_with.auprc > 1.5 * m_without.auprc, qPrintable(text));
  QVERIFY2(m_with.auprc > m_pearson.auprc, qPrintable(text));
  QVERIFY(with.report.at("training").at("epochs").size() == 10);
  QVERIFY(with.edges.front().sign == 1 || with.edges.front().sign == -1);
}

void TestGrnGenoCircuit::perturbation_response_prior() {
  // Six samples of three genes; gene a knocked out in the last two: b follows a, c does not.
  gc::expr::ExpressionMatrix m;
  m.var.index = {"a", "b", "c"};
  m.obs.index = {"s1", "s2", "s3", "s4", "s5", "s6"};
  m.x = gc::expr::Matrix::dense(6, 3,
                                {1.0F, 1.0F, 0.5F, 1.1F, 0.9F, 0.6F, 0.9F, 1.1F, 0.4F, 1.0F, 1.0F, 0.5F, 0.0F,
                                 0.1F, 0.5F, 0.0F, 0.0F, 0.6F});
  m.obs.columns.push_back(gc::expr::Column::text_column("perturbation", {"", "", "", "", "a", "a"}));
  auto o = options();
  o.regulators.reset();
  const auto prepared = gc::grn::prepare_genocircuit_inputs(m, {}, o);
  const auto& in = prepared.inputs;
  QCOMPARE(in.edge_feature_names, std::vector<std::string>{"perturbation_response"});
  QCOMPARE(prepared.report.at("regulators_perturbed").as_int(), std::int64_t{1});
  float ab = -1, ac = -1, ba = -1;
  for (std::int64_t e = 0; e < in.num_edges(); ++e) {
    const auto s = in.edge_src[static_cast<std::size_t>(e)], t = in.edge_dst[static_cast<std::size_t>(e)];
    const auto f = in.edge_features[static_cast<std::size_t>(e)];
    if (s == 0 && t == 1) ab = f;
    if (s == 0 && t == 2) ac = f;
    if (s == 1 && t == 0) ba = f;
  }
  // b: median 1.0 (the upper of the two middle values), MAD 0.1 -> scale 0.14826; knocked-out
  // values 0.1 and 0 -> |z| 0.9 / 0.14826 and 1.0 / 0.14826, mean 6.4077.
  QVERIFY2(std::fabs(ab - 0.95F / 0.148260F) < 1e-3F, qPrintable(QString::number(ab)));
  QVERIFY(ac < 1.0F);
  QCOMPARE(ba, 0.0F); // b is never perturbed
}

void TestGrnGenoCircuit::bad_sources() {
  auto s = sources();
  s.annotation.clear();
  QVERIFY_THROWS_EXCEPTION(gc::InputError,
                           (void)gc::grn::prepare_genocircuit_inputs(m_expression, s, options()));
  s = sources();
  s.genome.clear();
  QVERIFY_THROWS_EXCEPTION(gc::InputError,
                           (void)gc::grn::prepare_genocircuit_inputs(m_expression, s, options()));
  auto o = options();
  o.regulators = std::vector<std::string>{"not_a_gene"};
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)gc::grn::prepare_genocircuit_inputs(m_expression, {}, o));
}

GC_QTEST_GUILESS_MAIN(TestGrnGenoCircuit)
// One lineage per listed column, lineage-major, NaN where a cell is not on it; unlisted numeric
// columns are ignored when a list exists, and pseudotime* columns are taken without one.
void TestGrnGenoCircuit::pseudotime_keeps_lineages_apart() {
  gc::expr::ExpressionMatrix m;
  m.var.index = {"a", "b"};
  m.obs.index = {"c1", "c2", "c3"};
  m.x = gc::expr::Matrix::dense(3, 2, {1, 2, 3, 4, 5, 6});
  const auto numeric = [](std::string name, std::vector<double> v) {
    gc::expr::Column c;
    c.name = std::move(name);
    c.numbers = std::move(v);
    return c;
  };
  m.obs.columns.push_back(numeric("PseudoTime1", {0.5, NAN, 2.0}));
  m.obs.columns.push_back(numeric("depth", {10, 20, 30}));
  m.obs.columns.push_back(numeric("PseudoTime2", {0.5, 1.5, NAN}));
  auto t = gc::grn::model_pseudotime(m);
  QCOMPARE(t.size(), std::size_t{6});
  QCOMPARE(t[0], 0.5F);
  QVERIFY(std::isnan(t[1]));
  QCOMPARE(t[2], 2.0F);
  QCOMPARE(t[3], 0.5F);
  QCOMPARE(t[4], 1.5F);
  QVERIFY(std::isnan(t[5]));
  m.uns[gc::expr::pseudotime_columns_key] = {"depth"};
  t = gc::grn::model_pseudotime(m);
  QCOMPARE(t, (std::vector<float>{10, 20, 30}));
  m.uns[gc::expr::pseudotime_columns_key] = {"nothing"};
  QVERIFY(gc::grn::model_pseudotime(m).empty());
}

#include "test_grn_genocircuit.moc"
