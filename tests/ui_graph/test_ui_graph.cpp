// The graph view under Xvfb (or offscreen): layouts (determinism, clusters, longest-path layers
// with every edge downwards, barycentre crossing removal, circle, cancellation), the shown
// network (threshold, top K, focus, missed reference edges), TP/FP/FN, the edge table's sorting
// and filtering, the state's JSON, the network job on the "small" demo world, the widget
// (selection synced between picture and table, layouts replaced, sessions, network export), the
// headless figure, GenoCircuit training (the job's epochs, the cache, cancelling, and the
// training panel's live loss curve), and a response overlay's node colours and cascade edges.
#include "gc/grn/baselines.h"
#include "gc/simulate/world.h"
#include "gc/ui/browser/genome_browser.h"
#include "gc/ui/common/headless_figure.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/graph/edge_table_model.h"
#include "gc/ui/graph/graph_charts.h"
#include "gc/ui/graph/graph_data.h"
#include "gc/ui/graph/graph_layout.h"
#include "gc/ui/graph/graph_renderer.h"
#include "gc/ui/graph/graph_state.h"
#include "gc/ui/graph/graph_view.h"
#include "gc/ui/graph/grn_job.h"
#include "gc/ui/graph/training_panel.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/main_window.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"
#include "gc/util/rng.h"
#include "gc/util/temp_dir.h"

#include "gc_progress_recorder.h"
#include "gc_qtest_main.h"
#include "gc_session_wait.h"

#include <QChart>
#include <QFile>
#include <QImage>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTableView>
#include <QValueAxis>
#include <QtTest>

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

using namespace gc::ui;
using namespace gc::ui::graph;

namespace {

// Five genes, A and B TFs: A->c 0.9, B->d 0.8, A->B 0.7, B->c 0.5, A->e 0.3; the reference has
// A->c, A->B, B->c and B->e.
GraphData hand_network() {
  GraphData d;
  d.title = "hand";
  d.method = "test";
  d.genes = {"A", "B", "c", "d", "e"};
  d.index_genes();
  d.is_tf[0] = d.is_tf[1] = 1;
  add_ranked_edges(
      d,
      {{"B", "c", 0.5, -1}, {"A", "c", 0.9, 1}, {"A", "e", 0.3, 0}, {"B", "d", 0.8, 1}, {"A", "B", 0.7, 1}},
      Provenance::expression);
  set_reference(d, "ref.csv", {{0, 2, 1}, {0, 1, 1}, {1, 2, -1}, {1, 4, 1}});
  return d;
}

std::vector<std::string> edge_names(const GraphData& d, const std::vector<std::size_t>& edges) {
  std::vector<std::string> out;
  for (const auto i : edges)
    out.push_back(d.genes[static_cast<std::size_t>(d.edges[i].regulator)] + ">" +
                  d.genes[static_cast<std::size_t>(d.edges[i].target)]);
  return out;
}

double distance(const LayoutPoint& a, const LayoutPoint& b) { return std::hypot(a.x - b.x, a.y - b.y); }

QString read_text(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// Waits for `spy` to have at least `count` signals.
bool wait_for(QSignalSpy& spy, int count = 1, int timeout_ms = 20000) {
  QElapsedTimer clock;
  clock.start();
  while (spy.count() < count && clock.elapsed() < timeout_ms)
    QTest::qWait(10);
  return spy.count() >= count;
}

bool wait_idle(const GraphView& view, int timeout_ms = 20000) {
  QElapsedTimer clock;
  clock.start();
  while (view.computing() && clock.elapsed() < timeout_ms)
    QTest::qWait(10);
  return !view.computing();
}

} // namespace

class TestUiGraph : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase();
  void ranks_signs_and_provenance();
  void force_layout_is_deterministic();
  void force_layout_keeps_clusters_together();
  void hierarchical_layers_are_longest_paths();
  void hierarchical_edges_point_down_when_acyclic();
  void hierarchical_survives_cycles();
  void barycentre_removes_crossings();
  void circle_layout_groups_targets();
  void layouts_stop_on_cancel();
  void threshold_and_top_k();
  void focus_on_neighbours();
  void reference_classification();
  void edge_table_sorts_and_filters();
  void state_json_round_trip();
  void bad_states_are_input_errors();
  void contact_window_stays_on_chromosome();
  void grn_job_on_the_small_world();
  void view_syncs_picture_and_table();
  void newer_layout_replaces_older();
  void view_session_round_trip();
  void exports_the_shown_network();
  void headless_figure_has_gene_names();
  void delta_scale_is_blue_white_vermillion();
  void overlay_colours_nodes_and_marks_the_cascade();
  void main_window_links_the_graph_view();
  void training_panel_plots_epochs();
  void training_panel_sink_is_queued();
  void genocircuit_job_reports_epochs();
  void view_trains_live_and_cancels();

private:
  [[nodiscard]] QString world(const char* file) const {
    return QString::fromStdString((m_dir->path() / "world" / file).string());
  }
  // A workspace with the small world's annotation, expression and ground truth.
  void load_workspace(Workspace& ws) const {
    for (const char* f : {"genes.gtf", "expression.h5ad", "grn.csv"})
      ws.add(load_dataset(world(f), {}));
  }
  std::unique_ptr<gc::TempDir> m_dir;
  gc::simulate::World m_world;
  // Models the tests trained into the (test-mode, ~/.qttest) cache, removed at the end.
  void keep_checkpoint(const GraphData& data) {
    if (data.training && !data.training->checkpoint.empty())
      m_checkpoints.insert(QString::fromStdString(data.training->checkpoint));
  }
  std::set<QString> m_checkpoints;
};

void TestUiGraph::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  m_dir = std::make_unique<gc::TempDir>("gc-ui-graph");
  m_world = gc::simulate::generate(gc::simulate::WorldSpec::preset_named("small"));
  (void)gc::simulate::write_world(m_world, m_dir->path() / "world");
}

void TestUiGraph::cleanupTestCase() {
  for (const auto& path : m_checkpoints)
    QFile::remove(path);
}

void TestUiGraph::ranks_signs_and_provenance() {
  const auto d = hand_network();
  QCOMPARE(edge_names(d, {0, 1, 2, 3, 4}), (std::vector<std::string>{"A>c", "B>d", "A>B", "B>c", "A>e"}));
  for (std::size_t i = 0; i < d.edges.size(); ++i)
    QCOMPARE(d.edges[i].rank, static_cast<int>(i) + 1);
  QCOMPARE(d.edges[3].sign, -1);
  QCOMPARE(d.edges[4].sign, 0);
  QCOMPARE(to_string(d.edges[0].provenance), std::string("expression"));
  QCOMPARE(to_string(ProvenanceSet(Provenance::hic).add(Provenance::learned)), std::string("Hi-C+learned"));
  QCOMPARE(to_string(ProvenanceSet()), std::string());
  QCOMPARE(*d.gene_index("c"), 2);
  QVERIFY(!d.gene_index("z"));
  QCOMPARE(find_genes(d, "a").front(), 0); // case-insensitive, exact match first
}

void TestUiGraph::force_layout_is_deterministic() {
  LayoutGraph g;
  g.nodes = 30;
  gc::Rng rng(3);
  for (int i = 1; i < 30; ++i)
    g.edges.push_back({static_cast<int>(rng.below(static_cast<std::uint64_t>(i))), i, rng.uniform()});
  const auto a = compute_layout(g, LayoutKind::force, {.seed = 5});
  const auto b = compute_layout(g, LayoutKind::force, {.seed = 5});
  const auto c = compute_layout(g, LayoutKind::force, {.seed = 6});
  QCOMPARE(a.positions.size(), std::size_t{30});
  QVERIFY(a.positions == b.positions);
  QVERIFY(a.positions != c.positions);
  double x0 = 1, x1 = 0, y0 = 1, y1 = 0;
  for (const auto& p : a.positions) {
    QVERIFY(std::isfinite(p.x) && std::isfinite(p.y));
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
  }
  // Fitted into the unit square, touching it on the longer axis.
  QVERIFY(x0 >= -1e-9 && y0 >= -1e-9 && x1 <= 1 + 1e-9 && y1 <= 1 + 1e-9);
  QVERIFY(std::abs(std::max(x1 - x0, y1 - y0) - 1.0) < 1e-9);
  QCOMPARE(a.max_stretch, 1.35);
}

void TestUiGraph::force_layout_keeps_clusters_together() {
  // Two 6-cliques joined by one edge, and a separate pair.
  LayoutGraph g;
  g.nodes = 14;
  for (int base : {0, 6})
    for (int i = 0; i < 6; ++i)
      for (int j = i + 1; j < 6; ++j)
        g.edges.push_back({base + i, base + j, 1.0});
  g.edges.push_back({5, 6, 1.0});
  g.edges.push_back({12, 13, 1.0});
  const auto l = compute_layout(g, LayoutKind::force, {.seed = 1});
  double intra = 0, inter = 0;
  int ni = 0, nx = 0;
  for (int i = 0; i < 12; ++i)
    for (int j = i + 1; j < 12; ++j) {
      const double d =
          distance(l.positions[static_cast<std::size_t>(i)], l.positions[static_cast<std::size_t>(j)]);
      if ((i < 6) == (j < 6)) {
        intra += d;
        ++ni;
      } else {
        inter += d;
        ++nx;
      }
    }
  QVERIFY2(intra / ni < 0.6 * (inter / nx),
           qPrintable(QString("intra %1 inter %2").arg(intra / ni).arg(inter / nx)));
  // No two nodes on top of each other.
  for (int i = 0; i < 14; ++i)
    for (int j = i + 1; j < 14; ++j)
      QVERIFY(distance(l.positions[static_cast<std::size_t>(i)], l.positions[static_cast<std::size_t>(j)]) >
              0.02);
  // The separate pair stays in the picture, near its partner.
  QVERIFY(distance(l.positions[12], l.positions[13]) < 0.3);
}

void TestUiGraph::hierarchical_layers_are_longest_paths() {
  // TFs 0-3: 0->1, 1->2, 0->2, 2->3; targets 4-6: 3->4, 0->5, 1->6, 2->6.
  LayoutGraph g;
  g.nodes = 7;
  g.edges = {{0, 1}, {1, 2}, {0, 2}, {2, 3}, {3, 4}, {0, 5}, {1, 6}, {2, 6}};
  g.regulator = {1, 1, 1, 1, 0, 0, 0};
  const auto l = compute_layout(g, LayoutKind::hierarchical);
  QCOMPARE(l.layer, (std::vector<int>{0, 1, 2, 3, 4, 1, 3}));
  QCOMPARE(l.max_stretch, 0.0);
  for (const auto& e : g.edges)
    QVERIFY(l.positions[static_cast<std::size_t>(e.to)].y > l.positions[static_cast<std::size_t>(e.from)].y);
  // Layers are evenly spaced rows from the top (0) to the bottom (1).
  QCOMPARE(l.positions[0].y, 0.0);
  QCOMPARE(l.positions[4].y, 1.0);
  QCOMPARE(l.positions[2].y, 0.5);
}

void TestUiGraph::hierarchical_edges_point_down_when_acyclic() {
  // Random DAGs (edges from lower to higher index among 12 TFs, TFs to 20 targets), with layers
  // wrapped into rows of 4: every edge still points downwards.
  gc::Rng rng(11);
  for (int trial = 0; trial < 25; ++trial) {
    LayoutGraph g;
    g.nodes = 32;
    g.regulator.assign(32, 0);
    for (int i = 0; i < 12; ++i)
      g.regulator[static_cast<std::size_t>(i)] = 1;
    for (int i = 0; i < 12; ++i)
      for (int j = i + 1; j < 32; ++j)
        if (rng.bernoulli(j < 12 ? 0.2 : 0.15)) g.edges.push_back({i, j, rng.uniform()});
    const auto l = compute_layout(g, LayoutKind::hierarchical, {.max_per_row = 4});
    for (const auto& e : g.edges)
      QVERIFY2(l.positions[static_cast<std::size_t>(e.to)].y >
                   l.positions[static_cast<std::size_t>(e.from)].y,
               qPrintable(QString("trial %1: %2 -> %3").arg(trial).arg(e.from).arg(e.to)));
    for (const auto& p : l.positions)
      QVERIFY(p.x > 0 && p.x < 1 && p.y >= 0 && p.y <= 1);
  }
}

void TestUiGraph::hierarchical_survives_cycles() {
  // A 3-cycle of TFs (one back edge dropped) with targets: every node placed, the target below
  // its regulators.
  LayoutGraph g;
  g.nodes = 5;
  g.edges = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {0, 4}};
  g.regulator = {1, 1, 1, 0, 0};
  const auto l = compute_layout(g, LayoutKind::hierarchical);
  QCOMPARE(l.layer, (std::vector<int>{0, 1, 2, 3, 1}));
  for (const auto& p : l.positions)
    QVERIFY(std::isfinite(p.x) && std::isfinite(p.y));
}

void TestUiGraph::barycentre_removes_crossings() {
  // Layer 0: A(0), B(1); layer 1: c(2), d(3); A->d and B->c cross in index order.
  LayoutGraph g;
  g.nodes = 4;
  g.edges = {{0, 3}, {1, 2}};
  g.regulator = {1, 1, 0, 0};
  auto l = compute_layout(g, LayoutKind::hierarchical);
  QCOMPARE(count_crossings(g, l), std::int64_t{0});
  QVERIFY(l.positions[3].x < l.positions[2].x);
  // A ladder drawn with its targets reversed (every pair of rungs crosses) untangles completely.
  LayoutGraph ladder;
  ladder.nodes = 8;
  ladder.regulator = {1, 1, 1, 1, 0, 0, 0, 0};
  ladder.edges = {{0, 7}, {1, 6}, {2, 5}, {3, 4}, {0, 6}, {1, 5}, {2, 4}};
  l = compute_layout(ladder, LayoutKind::hierarchical);
  QCOMPARE(count_crossings(ladder, l), std::int64_t{0});
}

void TestUiGraph::circle_layout_groups_targets() {
  // Regulator 0 (3 targets) comes first at the top, followed by its targets; then 4 and its 2.
  LayoutGraph g;
  g.nodes = 7;
  g.edges = {{0, 1, 0.5}, {0, 2, 0.9}, {0, 3, 0.1}, {4, 5, 1}, {4, 6, 1}};
  const auto l = compute_layout(g, LayoutKind::circle);
  for (const auto& p : l.positions)
    QVERIFY(std::abs(distance(p, {0.5, 0.5}) - 0.5) < 1e-9);
  QVERIFY(std::abs(l.positions[0].x - 0.5) < 1e-9 && std::abs(l.positions[0].y) < 1e-9);
  // Order around the circle: 0, 2 (strongest), 1, 3, 4, 5, 6.
  const auto angle = [&](int i) {
    const auto& p = l.positions[static_cast<std::size_t>(i)];
    double a = std::atan2(p.y - 0.5, p.x - 0.5) + M_PI / 2;
    return a < -1e-9 ? a + 2 * M_PI : a;
  };
  const std::vector<int> order{0, 2, 1, 3, 4, 5, 6};
  for (std::size_t i = 1; i < order.size(); ++i)
    QVERIFY(angle(order[i]) > angle(order[i - 1]));
}

void TestUiGraph::layouts_stop_on_cancel() {
  LayoutGraph g;
  g.nodes = 60;
  for (int i = 1; i < 60; ++i)
    g.edges.push_back({i / 3, i, 1.0});
  auto stop = gc::test::ProgressRecorder::make(true);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)compute_layout(g, LayoutKind::force, {}, stop->progress()));
  QVERIFY2(stop->stopped_midway().empty(), stop->stopped_midway().c_str());
}

void TestUiGraph::threshold_and_top_k() {
  const auto d = hand_network();
  auto s = filter_network(d, {.threshold = 0.6, .top_k = 0});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c", "B>d", "A>B"}));
  QCOMPARE(s.nodes, (std::vector<int>{0, 1, 2, 3}));
  s = filter_network(d, {.threshold = 0.0, .top_k = 2});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c", "B>d"}));
  s = filter_network(d, {.threshold = 0.75, .top_k = 10});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c", "B>d"}));
  // A threshold on an edge's score keeps it (score >= threshold).
  s = filter_network(d, {.threshold = 0.3, .top_k = 0});
  QCOMPARE(s.edges.size(), std::size_t{5});
  s = filter_network(d, {.threshold = 2.0, .top_k = 0});
  QVERIFY(s.edges.empty() && s.nodes.empty());
}

void TestUiGraph::focus_on_neighbours() {
  const auto d = hand_network();
  auto s = filter_network(d, {.threshold = 0, .top_k = 0, .focus = Focus::in, .focus_gene = 2});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c", "B>c"}));
  s = filter_network(d, {.threshold = 0, .top_k = 0, .focus = Focus::out, .focus_gene = 0});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c", "A>B", "A>e"}));
  s = filter_network(d, {.threshold = 0, .top_k = 0, .focus = Focus::both, .focus_gene = 1});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"B>d", "A>B", "B>c"}));
  // Focus first, then threshold, then top K.
  s = filter_network(d, {.threshold = 0.6, .top_k = 0, .focus = Focus::in, .focus_gene = 2});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c"}));
  s = filter_network(d, {.threshold = 0, .top_k = 1, .focus = Focus::out, .focus_gene = 0});
  QCOMPARE(edge_names(d, s.edges), (std::vector<std::string>{"A>c"}));
  // A gene with nothing above the threshold is still shown, alone.
  s = filter_network(d, {.threshold = 0.95, .top_k = 0, .focus = Focus::in, .focus_gene = 4});
  QVERIFY(s.edges.empty());
  QCOMPARE(s.nodes, (std::vector<int>{4}));
}

void TestUiGraph::reference_classification() {
  const auto d = hand_network();
  QCOMPARE(classify(d, d.edges[0]), EdgeClass::true_positive);  // A>c
  QCOMPARE(classify(d, d.edges[1]), EdgeClass::false_positive); // B>d
  QCOMPARE(classify(d, d.edges[2]), EdgeClass::true_positive);  // A>B
  QCOMPARE(classify(d, d.edges[3]), EdgeClass::true_positive);  // B>c
  QCOMPARE(classify(d, d.edges[4]), EdgeClass::false_positive); // A>e
  // Score >= 0.6: A>c, B>d, A>B shown (TP 2, FP 1); B>c is missed (both genes shown), B>e is
  // not drawn (e is not shown).
  auto s = filter_network(d, {.threshold = 0.6, .top_k = 0});
  QCOMPARE(s.true_positives, 2);
  QCOMPARE(s.false_positives(), 1);
  QCOMPARE(s.missed, (std::vector<std::size_t>{2}));
  // Everything: B>e now has both genes shown.
  s = filter_network(d, {.threshold = 0, .top_k = 0});
  QCOMPARE(s.true_positives, 3);
  QCOMPARE(s.missed, (std::vector<std::size_t>{3}));
  // Without a reference nothing is a TP or FP.
  GraphData plain = hand_network();
  plain.reference.clear();
  QCOMPARE(classify(plain, plain.edges[0]), EdgeClass::no_reference);
}

void TestUiGraph::edge_table_sorts_and_filters() {
  auto d = std::make_shared<const GraphData>(hand_network());
  EdgeTableModel model;
  EdgeFilterProxy proxy;
  proxy.setSourceModel(&model);
  model.set_edges(d, {0, 1, 2, 3, 4});
  QCOMPARE(model.rowCount(), 5);
  QCOMPARE(model.columnCount(), 7);
  QCOMPARE(model.headerData(EdgeTableModel::in_reference, Qt::Horizontal, Qt::DisplayRole).toString(),
           QString("in reference"));
  QCOMPARE(model.index(1, EdgeTableModel::regulator).data().toString(), QString("B"));
  QCOMPARE(model.index(1, EdgeTableModel::in_reference).data().toString(), QString("no"));
  QCOMPARE(model.index(3, EdgeTableModel::sign).data().toString(), QString("\u2212"));
  QCOMPARE(model.index(0, EdgeTableModel::provenance).data().toString(), QString("expression"));
  QCOMPARE(model.row_of(3), 3);
  // Ascending score: A>e (0.3) first; numbers sort as numbers.
  proxy.sort(EdgeTableModel::score, Qt::AscendingOrder);
  QCOMPARE(proxy.index(0, EdgeTableModel::target).data().toString(), QString("e"));
  QCOMPARE(proxy.index(4, EdgeTableModel::target).data().toString(), QString("c"));
  QCOMPARE(proxy.index(4, EdgeTableModel::regulator).data().toString(), QString("A"));
  proxy.sort(EdgeTableModel::rank, Qt::DescendingOrder);
  QCOMPARE(proxy.index(0, EdgeTableModel::rank).data().toInt(), 5);
  proxy.sort(EdgeTableModel::regulator, Qt::DescendingOrder);
  QCOMPARE(proxy.index(0, EdgeTableModel::regulator).data().toString(), QString("B"));
  // The gene filter matches regulator or target, case-insensitively, nothing else.
  proxy.set_gene_filter("C");
  QCOMPARE(proxy.rowCount(), 2);
  proxy.set_gene_filter("0.9");
  QCOMPARE(proxy.rowCount(), 0);
  proxy.set_gene_filter("");
  QCOMPARE(proxy.rowCount(), 5);
  // Rows map back to their edges.
  proxy.sort(EdgeTableModel::score, Qt::AscendingOrder);
  QCOMPARE(model.edge_at(proxy.mapToSource(proxy.index(0, 0)).row()), std::size_t{4});
  model.set_edges(d, {2});
  QCOMPARE(model.rowCount(), 1);
  QCOMPARE(model.row_of(0), -1);
}

void TestUiGraph::state_json_round_trip() {
  GraphState s;
  s.source = "expression.h5ad";
  s.method = "pearson";
  s.reference = QString("grn.csv");
  s.threshold = 0.125;
  s.top_k = 42;
  s.layout = LayoutKind::hierarchical;
  s.seed = 12345678901234ULL;
  s.colour = ColourMode::reference;
  s.focus = Focus::out;
  s.focus_gene = "TF1";
  s.selected_edge = std::make_pair(QString("TF1"), QString("G2"));
  s.positions["TF1"] = {0.25, 0.75};
  s.positions["G2"] = {1.0, 0.0};
  const auto json = to_json(s);
  QCOMPARE(json["layout"].toString(), QString("hierarchical"));
  QCOMPARE(json["selection"].toObject()["target"].toString(), QString("G2"));
  QVERIFY(read_json(json) == s);
  // No reference ("" = none) and automatic (absent) differ.
  s.reference = QString();
  QVERIFY(read_json(to_json(s)).reference == QString());
  s.reference.reset();
  QVERIFY(!to_json(s).contains("reference"));
  QVERIFY(!read_json(to_json(s)).reference);
  // Defaults from an empty object.
  const auto d = read_json(QJsonObject());
  QCOMPARE(d.top_k, default_top_k);
  QCOMPARE(d.method, QString(gc::ui::graph::have_genocircuit() ? "genocircuit" : "genie3"));
  QCOMPARE(d.epochs, default_epochs()); // older sessions have no "epochs"
  if (have_genocircuit()) QCOMPARE(d.epochs, 40);
  s.epochs = 7;
  QCOMPARE(to_json(s)["epochs"].toInt(), 7);
  QCOMPARE(read_json(to_json(s)).epochs, 7);
  QVERIFY(d.layout == LayoutKind::force && d.colour == ColourMode::sign && d.focus == Focus::all);
  // The response overlay is drawn unless turned off (older sessions have no key).
  QVERIFY(d.response_overlay);
  s.response_overlay = false;
  QCOMPARE(to_json(s)["response_overlay"].toBool(true), false);
  QVERIFY(!read_json(to_json(s)).response_overlay);
}

void TestUiGraph::bad_states_are_input_errors() {
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"layout", "spiral"}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"colour", "rainbow"}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"focus", "far"}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"method", "magic"}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"threshold", -1}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"seed", "x"}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"epochs", 0}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"epochs", 2.5}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"epochs", "many"}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)read_json(QJsonObject{{"epochs", max_epochs + 1}}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError,
                           (void)read_json(QJsonObject{{"positions", QJsonObject{{"G", QJsonArray{1}}}}}));
  try {
    (void)read_json(QJsonObject{{"response_overlay", "yes"}});
    QFAIL("a response_overlay that is not a boolean was accepted");
  } catch (const gc::InputError& e) {
    QVERIFY(QString(e.what()).contains("response_overlay"));
  }
}

void TestUiGraph::contact_window_stays_on_chromosome() {
  const gc::genome::Region gene{"chr1", 10'000, 12'000};
  auto w = contact_window(gene, 1'000'000, 100'000);
  QCOMPARE(w.start, std::int64_t{0});
  QCOMPARE(w.end, std::int64_t{200'000});
  w = contact_window({"chr1", 500'000, 502'000}, 1'000'000, 100'000);
  QCOMPARE(w.start, std::int64_t{401'000});
  QCOMPARE(w.end, std::int64_t{601'000});
  w = contact_window({"chr1", 990'000, 992'000}, 1'000'000, 100'000);
  QCOMPARE(w.end, std::int64_t{1'000'000});
  QCOMPARE(w.start, std::int64_t{800'000});
  // A chromosome shorter than the window: all of it.
  w = contact_window({"chrM", 100, 200}, 16'000, 100'000);
  QCOMPARE(w.start, std::int64_t{0});
  QCOMPARE(w.end, std::int64_t{16'000});
}

void TestUiGraph::grn_job_on_the_small_world() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  GraphState state;
  state.method = "pearson";
  const auto sources = choose_sources(ws.datasets(), state);
  QVERIFY(sources.inferred());
  QVERIFY(sources.reference);
  QCOMPARE(QFileInfo(sources.reference->path).fileName(), QString("grn.csv"));
  const auto data = run_grn_job(sources);
  const auto& m = m_world.expression.cells;
  const std::size_t n_genes = m_world.genome.genes.size();
  const std::size_t n_tfs = m_world.grn.tfs.size();
  QCOMPARE(data.genes.size(), n_genes);
  // Every TF against every other gene (no self edges), TFs only as regulators.
  QCOMPARE(data.edges.size(), n_tfs * (n_genes - 1));
  std::set<std::string> tfs;
  for (const auto t : m_world.grn.tfs)
    tfs.insert(m_world.genome.genes[t].name);
  for (const auto& e : data.edges) {
    QVERIFY(tfs.contains(data.genes[static_cast<std::size_t>(e.regulator)]));
    QCOMPARE(data.is_tf[static_cast<std::size_t>(e.regulator)], std::uint8_t{1});
    QCOMPARE(to_string(e.provenance), std::string("expression"));
  }
  // Scores and signs against gc::grn's own signed Pearson over every pair.
  std::map<std::pair<std::string, std::string>, double> r;
  for (const auto& e : gc::grn::correlation_edges(m, gc::grn::Correlation::pearson, false))
    r[{e.regulator, e.target}] = e.weight;
  for (const auto& e : data.edges) {
    const double v = r.at(
        {data.genes[static_cast<std::size_t>(e.regulator)], data.genes[static_cast<std::size_t>(e.target)]});
    QVERIFY(std::abs(std::abs(v) - e.score) < 1e-9);
    if (std::abs(v) > 1e-6) QCOMPARE(e.sign, v > 0 ? 1 : -1);
  }
  // The truth's non-self edges are all candidates here, so each is marked once.
  std::set<std::pair<std::string, std::string>> truth;
  for (const auto& e : m_world.grn.edges)
    if (e.regulator != e.target)
      truth.emplace(m_world.genome.genes[e.regulator].name, m_world.genome.genes[e.target].name);
  int marked = 0;
  for (const auto& e : data.edges)
    marked += e.in_reference;
  QCOMPARE(static_cast<std::size_t>(marked), truth.size());
  // PR/ROC: the curve's area is the metric (no thinning at this size), AUROC matches
  // Mann–Whitney over the same candidates.
  QVERIFY(data.evaluation);
  const auto& ev = *data.evaluation;
  QCOMPARE(ev.metrics.true_edges, static_cast<std::int64_t>(truth.size()));
  QCOMPARE(ev.metrics.candidate_edges, static_cast<std::int64_t>(n_tfs * (n_genes - 1)));
  QVERIFY(std::abs(gc::grn::trapezoid_area(ev.pr) - ev.metrics.auprc) < 1e-12);
  QVERIFY(std::abs(gc::grn::trapezoid_area(ev.roc) - ev.metrics.auroc) < 1e-12);
  std::vector<double> scores;
  std::vector<std::uint8_t> labels;
  for (const auto& e : data.edges) {
    scores.push_back(e.score);
    labels.push_back(e.in_reference ? 1 : 0);
  }
  QVERIFY(std::abs(gc::grn::auroc_mann_whitney(scores, labels) - ev.metrics.auroc) < 1e-9);
  QVERIFY(ev.metrics.auroc > 0.5); // the simulated network is visible in its expression
  // An edge list shown as the network, with the expression's network as... nothing: no reference.
  state.source = "grn.csv";
  state.reference = QString();
  const auto listed = run_grn_job(choose_sources(ws.datasets(), state));
  QCOMPARE(listed.edges.size(), m_world.grn.edges.size());
  QVERIFY(!listed.has_reference() && !listed.evaluation);
  QCOMPARE(listed.title, std::string("grn.csv"));
  int repressions = 0;
  for (const auto& e : listed.edges)
    repressions += e.sign < 0;
  int truth_repressions = 0;
  for (const auto& e : m_world.grn.edges)
    truth_repressions += e.sign < 0;
  QCOMPARE(repressions, truth_repressions);
}

void TestUiGraph::view_syncs_picture_and_table() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  GraphView view(&ws, &tasks);
  view.resize(1100, 700);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.restore_state(QJsonObject{{"method", "pearson"}, {"top_k", 40}});
  QSignalSpy ready(&view, &GraphView::data_ready);
  QSignalSpy laid_out(&view, &GraphView::layout_ready);
  load_workspace(ws);
  QVERIFY(wait_for(ready));
  QVERIFY(wait_idle(view));
  QVERIFY(laid_out.count() >= 1);
  QCOMPARE(view.table_model()->rowCount(), 40);
  QCOMPARE(view.drawn().edges.size(), std::size_t{40});
  QCOMPARE(view.positions().size(), view.drawn().nodes.size());
  // Top K and threshold change the table at once and the picture after its layout.
  view.set_top_k(15);
  QCOMPARE(view.table_model()->rowCount(), 15);
  QVERIFY(wait_idle(view));
  QCOMPARE(view.drawn().edges.size(), std::size_t{15});
  const double cut = view.data()->edges[9].score;
  view.set_threshold(cut);
  QCOMPARE(view.table_model()->rowCount(), 10);
  QVERIFY(wait_idle(view));

  // Clicking a node selects it: the table selects its edges, the browser is asked to go there.
  QSignalSpy locus(&view, &GraphView::locus_requested);
  const auto& drawn = view.drawn();
  const auto& data = *view.data();
  const int node = drawn.node_position(data.edges[0].regulator);
  QVERIFY(node >= 0);
  const QPointF at = view.canvas_geometry().to_screen(view.positions()[static_cast<std::size_t>(node)]);
  QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, at.toPoint());
  const QString gene = QString::fromStdString(data.genes[static_cast<std::size_t>(data.edges[0].regulator)]);
  QCOMPARE(view.state().selected_gene, gene);
  int incident = 0;
  for (const auto i : view.shown().edges)
    incident +=
        data.edges[i].regulator == data.edges[0].regulator || data.edges[i].target == data.edges[0].regulator;
  QCOMPARE(view.table()->selectionModel()->selectedRows().size(), incident);
  QCOMPARE(locus.count(), 1);
  const auto region = locus.takeFirst().at(0).value<gc::genome::Region>();
  const auto* g = [&]() -> const gc::simulate::GeneModel* {
    for (const auto& x : m_world.genome.genes)
      if (x.name == gene.toStdString()) return &x;
    return nullptr;
  }();
  QVERIFY(g);
  QCOMPARE(region.chrom, m_world.genome.chrom_names[static_cast<std::size_t>(g->chrom)]);
  QVERIFY(region.start <= g->start && region.end >= g->end);

  // Selecting a table row selects that edge in the picture and asks for its Hi-C contact.
  QSignalSpy contact(&view, &GraphView::contact_requested);
  view.table()->sortByColumn(EdgeTableModel::rank, Qt::AscendingOrder);
  view.table()->selectRow(2);
  const auto edge =
      view.table_model()->edge_at(view.table_proxy()->mapToSource(view.table_proxy()->index(2, 0)).row());
  QCOMPARE(edge, std::size_t{2});
  QVERIFY(view.state().selected_edge);
  QCOMPARE(view.state().selected_edge->first,
           QString::fromStdString(data.genes[static_cast<std::size_t>(data.edges[2].regulator)]));
  QVERIFY(view.state().selected_gene.isEmpty());
  QCOMPARE(contact.count(), 1);
  QCOMPARE(contact.first().at(0).value<gc::genome::Region>().end -
               contact.first().at(0).value<gc::genome::Region>().start,
           std::int64_t{200'000});

  // The search box finds genes case-insensitively; an unknown name is reported, not selected.
  QSignalSpy status(&view, &GraphView::status_message);
  QVERIFY(view.select_gene(gene.toLower(), false));
  QCOMPARE(view.state().selected_gene, gene);
  QVERIFY(!view.select_gene("NO_SUCH_GENE", false));
  QVERIFY(!status.isEmpty());
  QCOMPARE(view.state().selected_gene, gene);

  // Focus on the selected gene's targets: only its out-edges remain.
  view.set_threshold(0);
  view.set_focus(Focus::out);
  QVERIFY(wait_idle(view));
  QVERIFY(!view.shown().edges.empty());
  for (const auto i : view.shown().edges)
    QCOMPARE(QString::fromStdString(data.genes[static_cast<std::size_t>(data.edges[i].regulator)]), gene);

  // Dragging a node moves it and keeps it in the state.
  view.set_focus(Focus::all);
  QVERIFY(wait_idle(view));
  const int n0 = 0;
  const QPointF from = view.canvas_geometry().to_screen(view.positions()[n0]);
  const QPointF to = from + QPointF(40, 30);
  QTest::mousePress(view.canvas(), Qt::LeftButton, {}, from.toPoint());
  QMouseEvent move(QEvent::MouseMove, to, view.canvas()->mapToGlobal(to), Qt::NoButton, Qt::LeftButton,
                   Qt::NoModifier);
  QCoreApplication::sendEvent(view.canvas(), &move);
  QTest::mouseRelease(view.canvas(), Qt::LeftButton, {}, to.toPoint());
  const QString dragged =
      QString::fromStdString(data.genes[static_cast<std::size_t>(view.drawn().nodes[n0])]);
  QVERIFY(view.state().positions.contains(dragged));
  const QPointF now = view.canvas_geometry().to_screen(view.positions()[n0]);
  QVERIFY(std::abs(now.x() - to.x()) < 1.0 && std::abs(now.y() - to.y()) < 1.0);
}

void TestUiGraph::newer_layout_replaces_older() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  GraphView view(&ws, &tasks);
  view.resize(900, 600);
  view.show();
  view.restore_state(QJsonObject{{"method", "pearson"}, {"top_k", 60}});
  QSignalSpy ready(&view, &GraphView::data_ready);
  load_workspace(ws);
  QVERIFY(wait_for(ready));
  QVERIFY(wait_idle(view));
  // Three requests in a row: only the last one's positions are shown.
  view.set_layout(LayoutKind::hierarchical);
  view.set_layout(LayoutKind::force);
  view.set_layout(LayoutKind::circle);
  QVERIFY(wait_idle(view));
  const auto expected = compute_layout(layout_graph(*view.data(), view.shown()), LayoutKind::circle);
  QVERIFY(view.positions() == expected.positions);
  QCOMPARE(view.state().layout, LayoutKind::circle);
}

void TestUiGraph::view_session_round_trip() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  GraphView view(&ws, &tasks);
  view.resize(900, 600);
  view.show();
  QSignalSpy ready(&view, &GraphView::data_ready);
  view.restore_state(QJsonObject{{"method", "pearson"}});
  QVERIFY(wait_for(ready));
  view.set_top_k(25);
  view.set_threshold(0.05);
  view.set_layout(LayoutKind::hierarchical);
  view.set_colour_mode(ColourMode::reference);
  QVERIFY(wait_idle(view));
  const QString gene =
      QString::fromStdString(view.data()->genes[static_cast<std::size_t>(view.drawn().nodes[1])]);
  QVERIFY(view.select_gene(gene, false));
  view.move_node(gene, {0.1, 0.9});
  const auto saved = view.save_state();

  GraphView other(&ws, &tasks);
  other.resize(900, 600);
  other.show();
  QSignalSpy other_ready(&other, &GraphView::data_ready);
  other.restore_state(saved);
  QVERIFY(wait_for(other_ready));
  QVERIFY(wait_idle(other));
  QVERIFY(other.state() == view.state());
  QVERIFY(other.drawn().edges == view.drawn().edges);
  const int node = other.drawn().node_position(*other.data()->gene_index(gene.toStdString()));
  QVERIFY(node >= 0);
  QCOMPARE(other.positions()[static_cast<std::size_t>(node)], (LayoutPoint{0.1, 0.9}));
  // The rest of the picture is the same layout.
  QVERIFY(other.positions() == view.positions());
  // A bad state is reported and changes nothing.
  QSignalSpy error(&other, &GraphView::error_occurred);
  other.restore_state(QJsonObject{{"layout", "spiral"}});
  QCOMPARE(error.count(), 1);
  QVERIFY(other.state() == view.state());
}

void TestUiGraph::exports_the_shown_network() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  GraphView view(&ws, &tasks);
  view.show();
  QSignalSpy ready(&view, &GraphView::data_ready);
  view.restore_state(QJsonObject{{"method", "pearson"}, {"top_k", 12}});
  QVERIFY(wait_for(ready));
  const auto& data = *view.data();
  const QString graphml = QString::fromStdString((m_dir->path() / "shown.graphml").string());
  const QString sif = QString::fromStdString((m_dir->path() / "shown.sif").string());
  QSignalSpy exported(&view, &GraphView::network_exported);
  view.export_network(graphml);
  view.export_network(sif);
  QVERIFY(wait_for(exported, 2));
  const QString xml = read_text(graphml);
  QVERIFY(xml.contains("<graphml"));
  QCOMPARE(xml.count("<edge "), 12);
  QVERIFY(
      xml.contains(QString::fromStdString(data.genes[static_cast<std::size_t>(data.edges[0].regulator)])));
  const auto lines = read_text(sif).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 12);
  // Rank order, the sign as the interaction.
  const auto& e0 = data.edges[0];
  QCOMPARE(lines[0], QString::fromStdString(data.genes[static_cast<std::size_t>(e0.regulator)]) + "\t" +
                         (e0.sign > 0   ? "activates"
                          : e0.sign < 0 ? "represses"
                                        : "regulates") +
                         "\t" + QString::fromStdString(data.genes[static_cast<std::size_t>(e0.target)]));
}

void TestUiGraph::delta_scale_is_blue_white_vermillion() {
  // White at 0, the what-if charts' decrease blue (#0072B2) and increase vermillion (#D55E00)
  // at ∓max and beyond, linear in RGB between.
  QCOMPARE(delta_colour(0.0, 2.0), QColor(255, 255, 255));
  QCOMPARE(delta_colour(2.0, 2.0), QColor(213, 94, 0));
  QCOMPARE(delta_colour(-2.0, 2.0), QColor(0, 114, 178));
  QCOMPARE(delta_colour(7.0, 2.0), QColor(213, 94, 0));
  QCOMPARE(delta_colour(-7.0, 2.0), QColor(0, 114, 178));
  // Half way: 255 + 0.5 (c − 255), rounded half away from zero.
  QCOMPARE(delta_colour(1.0, 2.0), QColor(234, 175, 128));
  QCOMPARE(delta_colour(-0.5, 2.0), QColor(191, 220, 236));
  // No scale (nothing moves): white.
  QCOMPARE(delta_colour(1.0, 0.0), QColor(255, 255, 255));
  // The scale's end is the largest |Δ| of a gene not perturbed.
  ResponseOverlay o;
  o.delta = {{"A", -5.0}, {"B", 1.5}, {"c", -0.75}};
  o.perturbed = {"A"};
  o.finish();
  QCOMPARE(o.scale_max, 1.5);
}

void TestUiGraph::overlay_colours_nodes_and_marks_the_cascade() {
  const auto data = hand_network();
  GraphState state;
  const auto shown = filter_network(data, network_filter(state, data));
  QCOMPARE(shown.nodes.size(), std::size_t{5});
  // A square with e below: A left, B top, c right, d bottom.
  std::vector<LayoutPoint> pos(5);
  const std::map<std::string, LayoutPoint> at{
      {"A", {0.05, 0.5}}, {"B", {0.5, 0.05}}, {"c", {0.95, 0.5}}, {"d", {0.5, 0.95}}, {"e", {0.2, 0.95}}};
  for (std::size_t i = 0; i < shown.nodes.size(); ++i)
    pos[i] = at.at(data.genes[static_cast<std::size_t>(shown.nodes[i])]);
  // A knocked down; B rises through A, d through B; e moves through c by an edge the network
  // does not show; c is not in the response.
  ResponseOverlay o;
  o.title = "A knockout in all";
  o.scale = "log1p";
  o.delta = {{"A", -3.0}, {"B", 0.8}, {"d", -0.4}, {"e", 0.2}};
  o.perturbed = {"A"};
  o.cascade = {{"A", "B"}, {"B", "d"}, {"c", "e"}};
  o.finish();
  QCOMPARE(o.scale_max, 0.8);
  GraphScene scene;
  scene.data = &data;
  scene.shown = &shown;
  scene.state = &state;
  scene.positions = &pos;
  scene.layout = LayoutKind::circle;
  const auto gene = [&](const char* name) { return *data.gene_index(name); };
  const auto paint = [&](const GraphScene& sc) {
    QImage image(900, 600, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    paint_graph(p, QRectF(image.rect()), sc, false);
    p.end();
    return image;
  };
  const auto close = [](const QColor& a, const QColor& b, int tolerance = 3) {
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
  };
  const auto geometry = graph_geometry(QRectF(0, 0, 900, 600), scene, false);
  const auto centre = [&](const char* name) {
    return geometry.to_screen(pos[static_cast<std::size_t>(shown.node_position(gene(name)))]).toPoint();
  };
  // The darkest pixel near the middle of the curved edge a -> b.
  const auto darkest_on_edge = [&](const QImage& image, const char* a, const char* b) {
    const QPointF p = centre(a), q = centre(b);
    const QPointF d = q - p;
    const double len = std::hypot(d.x(), d.y());
    const QPointF n(-d.y() / len, d.x() / len);
    // The quadratic curve's middle: half its control point's offset of 0.12 × length.
    const QPointF mid = (p + q) / 2.0 + n * (0.06 * len);
    int darkest = 255 * 3;
    for (int dy = -3; dy <= 3; ++dy)
      for (int dx = -3; dx <= 3; ++dx) {
        const QColor c = image.pixelColor(mid.toPoint() + QPoint(dx, dy));
        darkest = std::min(darkest, c.red() + c.green() + c.blue());
      }
    return darkest;
  };

  // Without the overlay: TFs orange, targets grey, edges by sign (A->B an activation, blue).
  const auto plain = paint(scene);
  QCOMPARE(node_fill(scene, gene("A")), tf_colour());
  QCOMPARE(node_fill(scene, gene("d")), gene_colour());
  QVERIFY(close(plain.pixelColor(centre("A")), tf_colour()));
  QVERIFY(close(plain.pixelColor(centre("d")), gene_colour()));
  const int plain_ab = darkest_on_edge(plain, "A", "B");

  scene.overlay = &o;
  const auto over = paint(scene);
  // Nodes: the scale's colour of their Δ (A beyond −max: the decrease end), c not in it grey.
  const std::map<const char*, QColor> expected{{"A", QColor(0, 114, 178)},
                                               {"B", QColor(213, 94, 0)},
                                               {"d", QColor(128, 185, 217)},
                                               {"e", QColor(245, 215, 191)},
                                               {"c", gene_colour()}};
  for (const auto& [name, colour] : expected) {
    QCOMPARE(node_fill(scene, gene(name)), colour);
    QVERIFY2(
        close(over.pixelColor(centre(name)), colour),
        qPrintable(QString("%1: %2 vs %3").arg(name, over.pixelColor(centre(name)).name(), colour.name())));
  }
  // The perturbed gene is ringed in reddish purple just outside its disc.
  const double r = geometry.node_radius * 1.35; // A is a TF
  const QPoint ring = centre("A") + QPoint(0, static_cast<int>(std::lround(r + 2.0)));
  QVERIFY2(close(over.pixelColor(ring), overlay_perturbed_colour(), 40),
           qPrintable(over.pixelColor(ring).name()));
  // The cascade edge A -> B is drawn dark; the edge A -> c (not in the cascade) steps back.
  const int over_ab = darkest_on_edge(over, "A", "B");
  QVERIFY2(over_ab < 150 && over_ab < plain_ab, qPrintable(QString("%1 vs %2").arg(over_ab).arg(plain_ab)));
  QVERIFY2(darkest_on_edge(over, "A", "c") > darkest_on_edge(plain, "A", "c"),
           qPrintable(QString("%1").arg(darkest_on_edge(over, "A", "c"))));
  // c -> e is no edge of the network: the cascade step is drawn all the same, dashed and lighter
  // (many steps go through edges the filter left out).
  QVERIFY(darkest_on_edge(plain, "c", "e") > 700);
  const int hidden = darkest_on_edge(over, "c", "e");
  QVERIFY2(hidden < 600 && hidden > over_ab, qPrintable(QString("%1 vs %2").arg(hidden).arg(over_ab)));
}

void TestUiGraph::headless_figure_has_gene_names() {
  const auto data = load_headless_data({world("genes.gtf"), world("expression.h5ad"), world("grn.csv")});
  const QJsonObject state{{"method", "pearson"}, {"top_k", 30}, {"colour", "reference"}};
  const QString svg_path = QString::fromStdString((m_dir->path() / "graph.svg").string());
  render_headless_figure("graph", state, data, svg_path, {});
  const QString svg = read_text(svg_path);
  QVERIFY(svg.contains("<svg") && svg.trimmed().endsWith("</svg>"));
  // The strongest edge's genes are labelled, the legend names the reference classes and the area.
  const auto job = run_grn_job(choose_sources(data.datasets, read_json(state)));
  for (const int g : {job.edges[0].regulator, job.edges[0].target}) {
    const QString name = QString::fromStdString(job.genes[static_cast<std::size_t>(g)]);
    QVERIFY2(svg.contains(QRegularExpression(">\\s*" + QRegularExpression::escape(name) + "\\s*</text>")),
             qPrintable(name));
  }
  QVERIFY(svg.contains("true positive"));
  QVERIFY(svg.contains("AUPRC"));
  const QString png_path = QString::fromStdString((m_dir->path() / "graph.png").string());
  render_headless_figure("graph", state, data, png_path, {.dpi = 150, .width_mm = 120.0});
  const QImage png(png_path);
  QCOMPARE(png.width(), static_cast<int>(120.0 * 150 / 25.4 + 0.5));
  int orange = 0;
  for (int y = 0; y < png.height(); ++y)
    for (int x = 0; x < png.width(); ++x) {
      const QColor c = png.pixelColor(x, y);
      orange += std::abs(c.red() - 230) + std::abs(c.green() - 159) + std::abs(c.blue()) < 40;
    }
  QVERIFY2(orange > 50, "TF nodes are drawn in orange");
  // A state naming an unknown layout is an input error.
  QVERIFY_THROWS_EXCEPTION(
      gc::InputError, render_headless_figure("graph", QJsonObject{{"layout", "spiral"}}, data, svg_path, {}));
}

void TestUiGraph::main_window_links_the_graph_view() {
  // The window is shown (the network is made for a visible tab), and its 3D view is an OpenGL
  // widget, which the offscreen platform cannot flush.
  if (QGuiApplication::platformName() == "offscreen")
    QSKIP("the main window's OpenGL views need a display (run under xvfb-run)");
  const QString session = QString::fromStdString((m_dir->path() / "graph.gcsession.json").string());
  QJsonObject saved;
  {
    MainWindow w;
    w.resize(1280, 800);
    auto* view = w.graph_view();
    QVERIFY(view);
    QVERIFY(w.view_names().contains("graph"));
    view->restore_state(QJsonObject{{"method", "pearson"}, {"top_k", 30}});
    QSignalSpy ready(view, &GraphView::data_ready);
    w.show();
    w.open_files({world("genes.gtf"), world("hic.mcool"), world("expression.h5ad"), world("grn.csv")});
    QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 20000);
    // The network is made when its tab is opened, not for a hidden one.
    QCOMPARE(ready.count(), 0);
    QVERIFY(!view->data());
    w.show_view("graph");
    QCOMPARE(w.current_view_name(), QString("graph"));
    QVERIFY(wait_for(ready));
    QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 20000);
    const auto& data = *view->data();
    // A gene: the browser goes to its locus (from the annotation).
    const QString gene = QString::fromStdString(data.genes[static_cast<std::size_t>(data.edges[0].target)]);
    QVERIFY(view->select_gene(gene));
    QCOMPARE(w.browser()->locus().to_string(), w.workspace()->find_locus(gene).to_string());
    // An edge: the Hi-C map shows regulator window × target window.
    view->select_edge(0);
    const auto reg = w.workspace()->find_locus(
        QString::fromStdString(data.genes[static_cast<std::size_t>(data.edges[0].regulator)]));
    const auto tgt = w.workspace()->find_locus(gene);
    const auto x = contact_window(reg, w.workspace()->chrom_length(reg.chrom));
    const auto y = contact_window(tgt, w.workspace()->chrom_length(tgt.chrom));
    QCOMPARE(w.hic_view()->locus().to_string(), x.to_string());
    QCOMPARE(w.hic_view()->locus_y().to_string(), y.to_string());
    QCOMPARE(w.current_view_name(), QString("graph")); // a single selection does not switch views
    // File ▸ Export Figure draws the view's renderer.
    const QString svg = QString::fromStdString((m_dir->path() / "window-graph.svg").string());
    w.export_view(svg, {}, "graph");
    QVERIFY(read_text(svg).contains(
        QRegularExpression(">\\s*" + QRegularExpression::escape(gene) + "\\s*</text>")));
    view->set_layout(LayoutKind::circle);
    QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 20000);
    saved = view->save_state();
    QVERIFY(gc::test::finish_session(w, [&] { w.save_session(session); }));
  }
  // The session brings the view back as it was, applied after its files have loaded.
  MainWindow restored;
  restored.show();
  QSignalSpy ready(restored.graph_view(), &GraphView::data_ready);
  QVERIFY(gc::test::finish_session(restored, [&] { restored.restore_session(session); }));
  QVERIFY(wait_for(ready));
  QTRY_VERIFY_WITH_TIMEOUT(!restored.busy(), 20000);
  QCOMPARE(restored.current_view_name(), QString("graph"));
  QCOMPARE(restored.graph_view()->save_state(), saved);
  QCOMPARE(ready.count(), 1); // the network was made once, with the session's method
  QCOMPARE(restored.graph_view()->data()->method, std::string("pearson"));
}

namespace {

// Hand-made epochs: the total falls by 0.25 per epoch, imputation by 0.125, no velocity (no
// pseudotime), supervised 1/k, no prior, a penalty of k / 8.
std::vector<TrainEpoch> hand_epochs(int n) {
  std::vector<TrainEpoch> out;
  for (int k = 1; k <= n; ++k) {
    TrainEpoch e;
    e.epoch = k;
    e.epochs = n;
    e.loss = 3.0 - 0.25 * k;
    e.imputation = 2.0 - 0.125 * k;
    e.supervised = 1.0 / k;
    e.penalty = 0.125 * k;
    e.seconds = 0.5;
    out.push_back(e);
  }
  return out;
}

std::vector<double> ys(const QLineSeries* s) {
  std::vector<double> out;
  for (const auto& p : s->points())
    out.push_back(p.y());
  return out;
}

bool marker_visible(const TrainingPanel& panel, TrainingPanel::Term term) {
  const auto markers = panel.chart()->legend()->markers(panel.series(term));
  return !markers.isEmpty() && markers.front()->isVisible();
}

} // namespace

void TestUiGraph::training_panel_plots_epochs() {
  TrainingPanel panel;
  panel.resize(700, 260);
  panel.show();
  QVERIFY(QTest::qWaitForWindowExposed(&panel));
  QCOMPARE(panel.epoch_axis()->titleText(), QString("epoch"));
  QCOMPARE(panel.loss_axis()->titleText(), QString("loss"));
  QVERIFY(!panel.cancel_button()->isEnabled());
  panel.set_trainable(true);
  panel.set_epochs(5);
  QCOMPARE(panel.epochs(), 5);
  QVERIFY(panel.train_button()->isEnabled());

  panel.begin(5);
  QVERIFY2(panel.status_text().startsWith("Scoring the cached model, or else preparing 5 epochs"),
           qPrintable(panel.status_text()));
  panel.begin(5, false); // Train model: no cache
  QVERIFY2(panel.status_text().startsWith("Preparing the inputs of 5 epochs"),
           qPrintable(panel.status_text()));
  QVERIFY(panel.running());
  QVERIFY(panel.cancel_button()->isEnabled());
  QVERIFY(!panel.train_button()->isEnabled());
  QCOMPARE(panel.series(TrainingPanel::Term::total)->count(), 0);
  const auto rows = hand_epochs(5);
  for (std::size_t i = 0; i < 3; ++i)
    panel.add_epoch(rows[i]);
  QCOMPARE(panel.progress_bar()->value(), 3);
  QCOMPARE(panel.progress_bar()->text(), QString("epoch 3/5"));
  QVERIFY2(panel.status_text().contains("epoch 3/5"), qPrintable(panel.status_text()));
  for (std::size_t i = 3; i < 5; ++i)
    panel.add_epoch(rows[i]);
  const auto* total = panel.series(TrainingPanel::Term::total);
  QCOMPARE(total->count(), 5);
  QCOMPARE(ys(total), (std::vector<double>{2.75, 2.5, 2.25, 2.0, 1.75}));
  QCOMPARE(total->points().front().x(), 1.0);
  QCOMPARE(total->points().back().x(), 5.0);
  QCOMPARE(ys(panel.series(TrainingPanel::Term::imputation)),
           (std::vector<double>{1.875, 1.75, 1.625, 1.5, 1.375}));
  QCOMPARE(ys(panel.series(TrainingPanel::Term::supervised)),
           (std::vector<double>{1.0, 0.5, 1.0 / 3, 0.25, 0.2}));
  // A term that is zero throughout is neither drawn nor in the legend; the others are.
  QVERIFY(!panel.series(TrainingPanel::Term::velocity)->isVisible());
  QVERIFY(!marker_visible(panel, TrainingPanel::Term::velocity));
  QVERIFY(!panel.series(TrainingPanel::Term::prior)->isVisible());
  QCOMPARE(ys(panel.series(TrainingPanel::Term::penalty)),
           (std::vector<double>{0.125, 0.25, 0.375, 0.5, 0.625}));
  for (const auto t : {TrainingPanel::Term::total, TrainingPanel::Term::imputation,
                       TrainingPanel::Term::supervised, TrainingPanel::Term::penalty}) {
    QVERIFY(panel.series(t)->isVisible());
    QVERIFY(marker_visible(panel, t));
  }
  // The axes hold every point (epochs 0..5, losses from 0.2 to 2.75) on round ends: 0..3.
  QCOMPARE(panel.epoch_axis()->min(), 0.0);
  QCOMPARE(panel.epoch_axis()->max(), 5.0);
  QCOMPARE(panel.loss_axis()->min(), 0.0);
  QCOMPARE(panel.loss_axis()->max(), 3.0);

  // Finishing with a cached checkpoint's log: its epochs replace the live ones, and it says so.
  Training cached;
  cached.epochs = hand_epochs(3);
  cached.cached = true;
  cached.trained_at = "2024-05-06 07:08";
  cached.seconds = 1.5;
  panel.finish(cached);
  QVERIFY(!panel.running());
  QVERIFY(!panel.cancel_button()->isEnabled());
  QVERIFY(panel.train_button()->isEnabled());
  QCOMPARE(total->count(), 3);
  QCOMPARE(ys(total), (std::vector<double>{2.75, 2.5, 2.25}));
  QVERIFY2(panel.status_text().contains("cached model (trained 2024-05-06 07:08"),
           qPrintable(panel.status_text()));
  QCOMPARE(panel.progress_bar()->text(), QString("epoch 3/3"));
  // Epochs after the run ended are ignored; a cancel keeps the curve so far.
  panel.add_epoch(rows[3]);
  QCOMPARE(total->count(), 3);
  panel.begin(5);
  panel.add_epoch(rows[0]);
  panel.add_epoch(rows[1]);
  panel.cancelled();
  QCOMPARE(total->count(), 2);
  QVERIFY2(panel.status_text().startsWith("Cancelled after 2 of 5"), qPrintable(panel.status_text()));
  QVERIFY(!panel.cancel_button()->isEnabled());
  // Buttons ask the view.
  QSignalSpy train(&panel, &TrainingPanel::train_requested);
  QSignalSpy epochs(&panel, &TrainingPanel::epochs_changed);
  QTest::mouseClick(panel.train_button(), Qt::LeftButton);
  QCOMPARE(train.count(), 1);
  panel.epochs_box()->setValue(12);
  QCOMPARE(epochs.count(), 1);
  QCOMPARE(epochs.first().at(0).toInt(), 12);
  panel.set_epochs(20); // the view's sync does not echo back
  QCOMPARE(epochs.count(), 1);
}

void TestUiGraph::training_panel_sink_is_queued() {
  TrainingPanel panel;
  panel.begin(4);
  auto sink = panel.sink();
  const auto rows = hand_epochs(4);
  std::thread worker([&] {
    for (const auto& r : rows)
      sink(r);
  });
  worker.join();
  // Nothing was touched from the worker: the epochs wait in the GUI thread's queue.
  QCOMPARE(panel.series(TrainingPanel::Term::total)->count(), 0);
  QTRY_COMPARE(panel.series(TrainingPanel::Term::total)->count(), 4);
  QVERIFY(panel.shown_epochs() == rows);
  // A sink of an older run delivers nothing to the next.
  panel.begin(4);
  std::thread stale([&] { sink(rows[0]); });
  stale.join();
  QTest::qWait(50);
  QCOMPARE(panel.series(TrainingPanel::Term::total)->count(), 0);
  // A sink that outlives its panel is harmless.
  auto orphan = std::make_unique<TrainingPanel>();
  orphan->begin(2);
  auto late = orphan->sink();
  orphan.reset();
  std::thread after([&] { late(rows[0]); });
  after.join();
  QTest::qWait(20);
}

void TestUiGraph::genocircuit_job_reports_epochs() {
  if (!have_genocircuit()) QSKIP("this build has no GenoCircuit model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  GraphState state;
  state.method = genocircuit_method;
  state.epochs = 3;
  auto sources = choose_sources(ws.datasets(), state);
  QCOMPARE(sources.epochs, 3);
  // Retraining is not another network; another epoch count is.
  auto again = sources;
  again.retrain = true;
  QCOMPARE(again.key(), sources.key());
  again.epochs = 4;
  QVERIFY(again.key() != sources.key());

  sources.retrain = true; // whatever an earlier run left in the cache
  std::mutex mutex;
  std::vector<TrainEpoch> seen;
  const TrainSink sink = [&](const TrainEpoch& e) {
    const std::lock_guard lock(mutex);
    seen.push_back(e);
  };
  const auto trained = run_grn_job(sources, {}, sink);
  keep_checkpoint(trained);
  QCOMPARE(seen.size(), std::size_t{3});
  for (std::size_t i = 0; i < seen.size(); ++i) {
    QCOMPARE(seen[i].epoch, static_cast<int>(i) + 1);
    QCOMPARE(seen[i].epochs, 3);
    QVERIFY(std::isfinite(seen[i].loss) && std::isfinite(seen[i].imputation));
    QVERIFY(seen[i].imputation > 0);
    QVERIFY(seen[i].seconds >= 0);
  }
  QVERIFY(trained.training);
  QVERIFY(!trained.training->cached);
  QVERIFY(trained.training->epochs == seen);
  QVERIFY(QFileInfo::exists(QString::fromStdString(trained.training->checkpoint)));
  QCOMPARE(trained.method, std::string(genocircuit_method));
  QCOMPARE(trained.edges.size(), m_world.grn.tfs.size() * (m_world.genome.genes.size() - 1));

  // The second run scores the cache: no epochs, the checkpoint's logged curve, the same network.
  sources.retrain = false;
  seen.clear();
  const auto scored = run_grn_job(sources, {}, sink);
  QVERIFY(seen.empty());
  QVERIFY(scored.training && scored.training->cached);
  QCOMPARE(scored.training->checkpoint, trained.training->checkpoint);
  QCOMPARE(scored.training->epochs.size(), std::size_t{3});
  for (std::size_t i = 0; i < 3; ++i) {
    QCOMPARE(scored.training->epochs[i].epoch, static_cast<int>(i) + 1);
    QVERIFY(std::abs(scored.training->epochs[i].loss - trained.training->epochs[i].loss) < 1e-12);
  }
  QVERIFY(!scored.training->trained_at.empty());
  QCOMPARE(scored.edges.size(), trained.edges.size());
  for (std::size_t i = 0; i < 10; ++i) {
    QCOMPARE(scored.edges[i].regulator, trained.edges[i].regulator);
    QCOMPARE(scored.edges[i].target, trained.edges[i].target);
    QVERIFY(std::abs(scored.edges[i].score - trained.edges[i].score) < 1e-9);
  }

  // Cancelled once the first epoch is in: gc::Cancelled, before a second epoch ends.
  gc::CancelToken token;
  const gc::Progress progress(nullptr, token);
  seen.clear();
  sources.retrain = true;
  sources.epochs = 50;
  const TrainSink stop = [&](const TrainEpoch& e) {
    seen.push_back(e);
    token.cancel();
  };
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)run_grn_job(sources, progress, stop));
  QCOMPARE(seen.size(), std::size_t{1});
  QCOMPARE(seen.front().epochs, 50);
}

void TestUiGraph::view_trains_live_and_cancels() {
  if (!have_genocircuit()) QSKIP("this build has no GenoCircuit model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  GraphView view(&ws, &tasks);
  view.resize(1100, 800);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  auto* panel = view.training_panel();
  QVERIFY(panel);
  view.restore_state(QJsonObject{{"method", "genocircuit"}, {"epochs", 6}, {"top_k", 30}});
  QSignalSpy ready(&view, &GraphView::data_ready);
  load_workspace(ws);
  // Trained in the network task (nothing is cached for these files yet): each epoch reaches the
  // panel while the task runs, before its network is applied.
  std::vector<int> live; // epochs that arrived while no trained network was shown yet
  int late = 0;
  connect(panel, &TrainingPanel::epoch_added, this, [&](int epoch) {
    if (view.computing() && !(view.data() && view.data()->training))
      live.push_back(epoch);
    else
      ++late;
  });
  QElapsedTimer clock;
  clock.start();
  while (!(view.data() && view.data()->training) && clock.elapsed() < 20000)
    QTest::qWait(5);
  QVERIFY(wait_idle(view));
  QCOMPARE(live, (std::vector<int>{1, 2, 3, 4, 5, 6}));
  QCOMPARE(late, 0);
  // The side column switched to the training tab with the first epoch.
  QVERIFY(view.charts()->isTabVisible(view.charts()->indexOf(panel)));
  QCOMPARE(view.charts()->currentWidget(), static_cast<QWidget*>(panel));
  QVERIFY(view.data() && view.data()->training);
  const auto first = *view.data();
  keep_checkpoint(first);
  QVERIFY(!first.training->cached);
  QCOMPARE(first.training->epochs.size(), std::size_t{6});
  QCOMPARE(panel->series(TrainingPanel::Term::total)->count(), 6);
  for (int i = 0; i < 6; ++i)
    QCOMPARE(panel->series(TrainingPanel::Term::total)->at(i).y(),
             first.training->epochs[static_cast<std::size_t>(i)].loss);
  QVERIFY2(panel->status_text().startsWith("Trained 6 epochs"), qPrintable(panel->status_text()));
  QVERIFY(panel->train_button()->isEnabled());

  // Recompute scores the cached model and shows its logged curve.
  view.recompute();
  QVERIFY(wait_idle(view));
  QVERIFY(view.data()->training && view.data()->training->cached);
  QVERIFY2(panel->status_text().startsWith("Scored the cached model"), qPrintable(panel->status_text()));
  QCOMPARE(panel->series(TrainingPanel::Term::total)->count(), 6);

  // Train model trains again although the cache fits.
  const int before = static_cast<int>(ready.count());
  QTest::mouseClick(panel->train_button(), Qt::LeftButton);
  QVERIFY(panel->running());
  QVERIFY(wait_idle(view));
  QCOMPARE(static_cast<int>(ready.count()), before + 1);
  QVERIFY(view.data()->training && !view.data()->training->cached);
  QVERIFY2(panel->status_text().startsWith("Trained 6 epochs"), qPrintable(panel->status_text()));

  // Another epoch count is another model (none cached): Cancel during its training keeps the
  // network shown and the curve so far.
  const auto shown_edges = view.data()->edges.size();
  const int trained_ready = static_cast<int>(ready.count());
  panel->epochs_box()->setValue(2000);
  QCOMPARE(view.state().epochs, 2000);
  QVERIFY(panel->running());
  QTRY_VERIFY_WITH_TIMEOUT(panel->shown_epochs().size() >= 1, 20000);
  QTest::mouseClick(panel->cancel_button(), Qt::LeftButton);
  QVERIFY(wait_idle(view));
  QVERIFY(!panel->running());
  QVERIFY2(panel->status_text().startsWith("Cancelled after"), qPrintable(panel->status_text()));
  QVERIFY(panel->shown_epochs().size() < 2000);
  QCOMPARE(static_cast<int>(ready.count()), trained_ready);
  QCOMPARE(view.data()->edges.size(), shown_edges);
  QVERIFY(!view.data()->training->cached);
  QVERIFY(panel->train_button()->isEnabled());
  // The state keeps the count for sessions.
  QCOMPARE(view.save_state()["epochs"].toInt(), 2000);
  // A baseline hides the panel's tab.
  view.set_method("pearson");
  QVERIFY(wait_idle(view));
  QVERIFY(!view.charts()->isTabVisible(view.charts()->indexOf(panel)));
  QVERIFY(!panel->isVisible());
}

int main(int argc, char** argv) {
  // The main window holds the 3D view, whose VTK needs a core-profile context.
  QSurfaceFormat::setDefaultFormat(VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestUiGraph t;
  return gc::test::qexec(&t, argc, argv);
}
#include "test_ui_graph.moc"
