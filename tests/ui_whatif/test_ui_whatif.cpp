// The what-if view under Xvfb (or offscreen): the state's JSON and its bad values, the truth
// table reader, log2 fold changes, the model job on the "small" demo world (both models trained
// with few epochs, then read from the cache; a screened TF knockout moves its true targets the
// true way; Σφ = f(all) − f(none); cancellation), the widget (bars, whiskers and Shapley bars
// hold the result's values, table and bars agree, clicking a bar explains that gene, debounced
// controls, Cancel, sessions), the strength slider (its scale; a fast drag runs coalesced
// predictions off the GUI thread and shows only the newest), the volcano, saved scenarios
// (comparison, CSV, session), the Network view coloured by the response through the main
// window, and the headless figure.
#include "gc/perturb/intervention.h"
#include "gc/simulate/world.h"
#include "gc/ui/common/figure_export.h"
#include "gc/ui/graph/graph_renderer.h"
#include "gc/ui/graph/graph_view.h"
#include "gc/ui/main_window.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/whatif/cascade_table_model.h"
#include "gc/ui/whatif/whatif_charts.h"
#include "gc/ui/whatif/whatif_figure.h"
#include "gc/ui/whatif/whatif_job.h"
#include "gc/ui/whatif/whatif_state.h"
#include "gc/ui/whatif/whatif_view.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QImage>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPixmap>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QValueAxis>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <memory>
#include <set>

using namespace gc::ui;
using namespace gc::ui::whatif;

namespace {

QString read_text(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool wait_idle(const WhatifView& view, int timeout_ms = 30000) {
  QElapsedTimer clock;
  clock.start();
  while (view.computing() && clock.elapsed() < timeout_ms)
    QTest::qWait(10);
  return !view.computing();
}

// The bars of a chart top first: per category the one non-zero value of its stacked sets.
struct ChartBars {
  QStringList names;
  std::vector<double> values;
};

ChartBars chart_bars(QChart* chart) {
  ChartBars out;
  QHorizontalStackedBarSeries* series = nullptr;
  for (auto* s : chart->series())
    if (auto* b = qobject_cast<QHorizontalStackedBarSeries*>(s)) series = b;
  if (!series) return out;
  QBarCategoryAxis* axis = nullptr;
  for (auto* a : series->attachedAxes())
    if (auto* c = qobject_cast<QBarCategoryAxis*>(a)) axis = c;
  if (!axis) return out;
  const auto categories = axis->categories();
  for (qsizetype k = categories.size() - 1; k >= 0; --k) {
    double v = 0.0;
    for (auto* set : series->barSets())
      v += set->at(k);
    out.names << categories[k];
    out.values.push_back(v);
  }
  return out;
}

// Whisker half-widths, top first: each whisker is a line series of six points, its ends at
// value ± error on the bar's row.
std::vector<std::pair<double, double>> whiskers(QChart* chart) {
  std::vector<std::pair<double, double>> out; // (row position, half-width)
  for (auto* s : chart->series()) {
    auto* line = qobject_cast<QLineSeries*>(s);
    if (!line || qobject_cast<QScatterSeries*>(s) || line->count() != 6) continue;
    out.emplace_back(line->at(2).y(), (line->at(3).x() - line->at(2).x()) / 2.0);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

QString axis_title(QChart* chart, Qt::Orientation orientation) {
  for (auto* a : chart->axes(orientation))
    if (a->isVisible() && !a->titleText().isEmpty()) return a->titleText();
  return {};
}

int sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

// The label a state's intervention has (gc::perturb's canonical form).
std::string label_of(const WhatifState& s) {
  return gc::perturb::make_intervention(s.genes.join(',').toStdString(), s.mode_text()).label();
}

// Both responses hold the same genes with the same Δ (predictions are reproducible).
bool same_response(const Response& a, const Response& b) {
  if (a.label != b.label || a.group != b.group || a.rows.size() != b.rows.size()) return false;
  for (std::size_t i = 0; i < a.rows.size(); ++i)
    if (a.rows[i].gene != b.rows[i].gene || a.rows[i].delta != b.rows[i].delta) return false;
  return true;
}

// The CSV fields of one line (quoted fields as RFC 4180 writes them).
QStringList csv_fields(const QString& line) {
  QStringList out;
  QString field;
  bool quoted = false;
  for (qsizetype i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out << field;
      field.clear();
    } else {
      field += c;
    }
  }
  out << field;
  return out;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    ma += a[i] / n, mb += b[i] / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

} // namespace

class TestUiWhatif : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase();
  void state_json_round_trip();
  void bad_states_are_input_errors();
  void truth_table_is_read_and_checked();
  void log2_fold_change_of_amounts();
  void sources_come_from_the_workspace();
  void model_job_on_the_small_world();
  void cancelled_work_throws_cancelled();
  void view_shows_the_default_scenario();
  void view_controls_rerun_and_cancel();
  void view_session_round_trip();
  void strength_slider_scale();
  void slider_drag_coalesces_predictions();
  void volcano_plots_every_gene();
  void scenarios_compare_save_and_export();
  void network_view_colours_the_response();
  void impact_track_reaches_the_browser();
  void headless_figure_draws_the_charts();

private:
  [[nodiscard]] QString world(const char* file) const {
    return QString::fromStdString((m_dir->path() / "world" / file).string());
  }
  void load_workspace(Workspace& ws) const {
    for (const char* f : {"genes.gtf", "expression.h5ad", "screen.h5ad", "perturbation_truth.tsv"})
      ws.add(load_dataset(world(f), {}));
  }
  // Few epochs: the job's logic, not the models' accuracy, is under test (DESIGN §12 is the
  // model card's business).
  [[nodiscard]] ModelSources quick_sources(const Workspace& ws) const {
    auto s = choose_model_sources(ws.datasets());
    s.grn.epochs = 4;
    s.epochs = 80;
    return s;
  }
  void keep(const WhatifModel& m) {
    m_cache.insert(m.checkpoint());
    m_cache.insert(m.grn_checkpoint());
  }
  [[nodiscard]] const gc::simulate::Perturbation* truth_of(const std::string& label) const {
    for (const auto& p : m_world.expression.perturbations)
      if (p.name == label) return &p;
    return nullptr;
  }
  std::unique_ptr<gc::TempDir> m_dir;
  gc::simulate::World m_world;
  std::set<QString> m_cache; // checkpoints the tests wrote into the (test-mode) cache
};

void TestUiWhatif::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  m_dir = std::make_unique<gc::TempDir>("gc-ui-whatif");
  m_world = gc::simulate::generate(gc::simulate::WorldSpec::preset_named("small"));
  (void)gc::simulate::write_world(m_world, m_dir->path() / "world");
}

void TestUiWhatif::cleanupTestCase() {
  for (const auto& path : m_cache)
    QFile::remove(path);
}

void TestUiWhatif::state_json_round_trip() {
  WhatifState s;
  s.genes = {"TF02", "TF05"};
  s.mode = gc::perturb::Mode::knockdown;
  s.factor = 0.25;
  s.group = "typeB";
  s.target = "G07";
  s.method = Method::kernel;
  s.players = Players::perturbed;
  s.top_n = 35;
  const auto json = to_json(s);
  QCOMPARE(json["mode"].toString(), QString("kd"));
  QCOMPARE(json["factor"].toDouble(), 0.25);
  QCOMPARE(json["genes"].toArray().size(), 2);
  QCOMPARE(read_json(json), s);
  QCOMPARE(s.mode_text(), std::string("kd:0.25"));
  s.mode = gc::perturb::Mode::overexpression;
  s.factor = 3.0;
  QCOMPARE(s.mode_text(), std::string("oe:3"));
  QCOMPARE(read_json(to_json(s)), s);
  s.mode = gc::perturb::Mode::knockout;
  s.factor = 0.0;
  QCOMPARE(s.mode_text(), std::string("ko"));
  QVERIFY(!to_json(s).contains("factor"));
  QCOMPARE(read_json(to_json(s)), s);
  // An older session (or none) has none of the keys: the defaults.
  const auto d = read_json(QJsonObject{});
  QVERIFY(d.genes.isEmpty());
  QCOMPARE(d.mode, gc::perturb::Mode::knockout);
  QCOMPARE(d.top_n, 20);
  QCOMPARE(d.method, Method::automatic);
  QCOMPARE(d.players, Players::regulators);
  QVERIFY(d.group.isEmpty() && d.target.isEmpty());
  // A knockdown without a factor takes 0.5, an overexpression 3; unknown keys are ignored.
  QCOMPARE(read_json(QJsonObject{{"mode", "kd"}}).factor, 0.5);
  QCOMPARE(read_json(QJsonObject{{"mode", "oe"}, {"colour", "red"}}).factor, 3.0);
  // Saved scenarios; older sessions have none.
  QVERIFY(d.scenarios.empty());
  QVERIFY(!to_json(d).contains("scenarios"));
  s.scenarios = {{"TF02 in typeA", {"TF02"}, gc::perturb::Mode::knockout, 0.0, "typeA", true},
                 {"strong, \"up\"", {"TF05", "TF01"}, gc::perturb::Mode::overexpression, 30.0, "", false},
                 {"half", {"TF03"}, gc::perturb::Mode::knockdown, 0.5, "typeB", true}};
  const auto with = to_json(s);
  QCOMPARE(with["scenarios"].toArray().size(), 3);
  QCOMPARE(with["scenarios"].toArray()[1].toObject()["mode"].toString(), QString("oe"));
  QCOMPARE(with["scenarios"].toArray()[1].toObject()["factor"].toDouble(), 30.0);
  QCOMPARE(with["scenarios"].toArray()[1].toObject()["compared"].toBool(true), false);
  QVERIFY(!with["scenarios"].toArray()[0].toObject().contains("factor"));
  QCOMPARE(read_json(with), s);
  QCOMPARE(read_json(with).scenario("half")->factor, 0.5);
  QVERIFY(!read_json(with).scenario("none"));
  // A scenario without "compared" is compared; without a factor its mode's default.
  const auto short_form = read_json(QJsonObject{
      {"scenarios", QJsonArray{QJsonObject{{"name", "x"}, {"genes", QJsonArray{"TF01"}}, {"mode", "kd"}}}}});
  QVERIFY(short_form.scenarios.front().compared);
  QCOMPARE(short_form.scenarios.front().factor, 0.5);
  // The state of a scenario and the scenario of a state.
  const auto st = scenario_state(s, s.scenarios[1]);
  QCOMPARE(st.genes, (QStringList{"TF05", "TF01"}));
  QCOMPARE(st.mode, gc::perturb::Mode::overexpression);
  QCOMPARE(st.factor, 30.0);
  QVERIFY(st.group.isEmpty());
  QCOMPARE(st.top_n, s.top_n);
  const auto back = current_scenario(st, "again");
  QCOMPARE(back.name, QString("again"));
  QCOMPARE(back.genes, s.scenarios[1].genes);
  QCOMPARE(back.factor, 30.0);
  QCOMPARE(default_scenario_name("TF03:kd0.5", "typeA"), QString("TF03:kd0.5 in typeA"));
  // The main panel: the response unless the comparison is chosen.
  QCOMPARE(d.panel, Panel::response);
  s.panel = Panel::scenarios;
  QCOMPARE(to_json(s)["panel"].toString(), QString("scenarios"));
  QCOMPARE(read_json(to_json(s)), s);
  // The label as gc::perturb writes it, the factor plainly: "oe30", not "oe3e+01".
  QCOMPARE(intervention_label(st), QString("TF01:oe30+TF05:oe30"));
  QCOMPARE(QString::fromStdString(label_of(st)), intervention_label(st));
  auto kd = st;
  kd.mode = gc::perturb::Mode::knockdown;
  kd.factor = 0.25;
  QCOMPARE(intervention_label(kd), QString::fromStdString(label_of(kd)));
  kd.mode = gc::perturb::Mode::knockout;
  QCOMPARE(intervention_label(kd), QString("TF01+TF05"));
}

void TestUiWhatif::bad_states_are_input_errors() {
  const auto bad = [](const QJsonObject& o) {
    try {
      (void)read_json(o);
    } catch (const gc::InputError& e) {
      return QString::fromStdString(e.what());
    }
    return QString();
  };
  QVERIFY(bad({{"genes", "TF01"}}).contains("\"genes\""));
  QVERIFY(bad({{"genes", QJsonArray{"TF01,TF02"}}}).contains("\"genes\""));
  QVERIFY(bad({{"genes", QJsonArray{3}}}).contains("\"genes\""));
  QVERIFY(bad({{"mode", "knockup"}}).contains("\"mode\""));
  QVERIFY(bad({{"mode", "kd"}, {"factor", 1.5}}).contains("fraction"));
  QVERIFY(bad({{"mode", "kd"}, {"factor", 0.0}}).contains("fraction"));
  QVERIFY(bad({{"mode", "oe"}, {"factor", 0.5}}).contains("fold"));
  QVERIFY(bad({{"mode", "oe"}, {"factor", "lots"}}).contains("fold"));
  QVERIFY(bad({{"method", "magic"}}).contains("\"method\""));
  QVERIFY(bad({{"players", "edges"}}).contains("\"players\""));
  QVERIFY(bad({{"top_n", 0}}).contains("\"top_n\""));
  QVERIFY(bad({{"top_n", max_top_n + 1}}).contains("\"top_n\""));
  QVERIFY(bad({{"top_n", 2.5}}).contains("\"top_n\""));
  QVERIFY(bad({{"top_n", 12}}).isEmpty());
  QVERIFY(bad({{"panel", "table"}}).contains("\"panel\""));
  // Saved scenarios: each one's problem names the scenario and the key.
  const auto scenarios = [](const QJsonArray& a) { return QJsonObject{{"scenarios", a}}; };
  const QJsonObject ok{{"name", "a"}, {"genes", QJsonArray{"TF01"}}};
  QVERIFY(bad(scenarios({ok})).isEmpty());
  QVERIFY(bad({{"scenarios", "TF01"}}).contains("\"scenarios\" must be an array"));
  QVERIFY(bad(scenarios({ok, 3})).contains("\"scenarios\"[1] must be an object"));
  QVERIFY(bad(scenarios({QJsonObject{{"genes", QJsonArray{"TF01"}}}})).contains("\"name\""));
  QVERIFY(bad(scenarios({QJsonObject{{"name", " "}, {"genes", QJsonArray{"TF01"}}}})).contains("\"name\""));
  QVERIFY(bad(scenarios({ok, ok})).contains("used twice"));
  QVERIFY(bad(scenarios({QJsonObject{{"name", "b"}}})).contains("\"scenarios\"[0]: \"genes\""));
  QVERIFY(bad(scenarios({ok, QJsonObject{{"name", "b"}, {"genes", QJsonArray{"TF01,TF02"}}}}))
              .contains("\"scenarios\"[1]: \"genes\""));
  const auto factor = bad(scenarios(
      {ok, QJsonObject{{"name", "b"}, {"genes", QJsonArray{"TF01"}}, {"mode", "kd"}, {"factor", 2.0}}}));
  QVERIFY2(factor.contains("\"scenarios\"[1]") && factor.contains("\"factor\""), qPrintable(factor));
  QVERIFY(bad(scenarios({QJsonObject{{"name", "b"}, {"genes", QJsonArray{"TF01"}}, {"mode", "up"}}}))
              .contains("\"mode\""));
  QVERIFY(bad(scenarios({QJsonObject{{"name", "b"}, {"genes", QJsonArray{"TF01"}}, {"group", 3}}}))
              .contains("\"group\""));
  QVERIFY(bad(scenarios({QJsonObject{{"name", "b"}, {"genes", QJsonArray{"TF01"}}, {"compared", "yes"}}}))
              .contains("\"compared\""));
}

void TestUiWhatif::truth_table_is_read_and_checked() {
  const auto path = m_dir->path() / "truth.tsv";
  {
    std::ofstream f(path);
    f << "gene\tperturbation\texpected_log2fc\tcell_type\n"
      << "G01\tTF02+TF01\t-0.5\tall\n"
      << "G02\tTF01+TF02\t0.25\tall\n"
      << "G01\tTF05:oe3\t1.5\ttypeA\n";
  }
  const auto t = read_truth_table(QString::fromStdString(path.string()));
  // Labels are made canonical (sorted genes), so either spelling finds the same response.
  const auto* both = t.find("TF01+TF02", "all");
  QVERIFY(both);
  QCOMPARE(both->size(), std::size_t{2});
  QCOMPARE(both->at("G01"), -0.5);
  QCOMPARE(both->at("G02"), 0.25);
  QVERIFY(t.find("TF05:oe3", "typeA"));
  QCOMPARE(t.find("TF05:oe3", "typeA")->at("G01"), 1.5);
  QVERIFY(!t.find("TF05:oe3", "all"));
  QVERIFY(!t.find("TF01", "all"));

  const auto fails = [&](const std::string& text) {
    const auto p = m_dir->path() / "bad-truth.tsv";
    std::ofstream(p) << text;
    try {
      (void)read_truth_table(QString::fromStdString(p.string()));
    } catch (const gc::InputError& e) {
      return QString::fromStdString(e.what());
    }
    return QString();
  };
  QVERIFY(fails("perturbation\tcell_type\tgene\n").contains("expected_log2fc"));
  const auto bad_value = fails("perturbation\tcell_type\tgene\texpected_log2fc\nTF01\tall\tG01\tdown\n");
  QVERIFY2(bad_value.contains("down") && bad_value.contains("2"), qPrintable(bad_value));
  QVERIFY(fails("perturbation\tcell_type\tgene\texpected_log2fc\nTF01\tall\n").contains("fields"));
  QVERIFY(
      fails("perturbation\tcell_type\tgene\texpected_log2fc\nTF01:kd7\tall\tG01\t1\n").contains("TF01:kd7"));
}

void TestUiWhatif::log2_fold_change_of_amounts() {
  // log1p: amounts 9 → 4.5, with the truth tables' pseudocount 0.01.
  QVERIFY(std::abs(log2_fold_change("log1p", std::log(10.0), std::log(5.5)) - std::log2(4.51 / 9.01)) <
          1e-12);
  // log2(1+x): amounts 3 → 15 (values 2 and 4).
  QVERIFY(std::abs(log2_fold_change("log2(1+x)", 2.0, 4.0) - std::log2(15.01 / 3.01)) < 1e-12);
  // Log ratios are already log2 fold changes of the wild type.
  QCOMPARE(log2_fold_change("log2 ratio", 0.25, -1.0), -1.25);
  // Negative log1p values (knocked to below zero by a linear decoder) are amount 0.
  QVERIFY(std::abs(log2_fold_change("log1p", std::log(2.0), -0.3) - std::log2(0.01 / 1.01)) < 1e-12);
}

void TestUiWhatif::sources_come_from_the_workspace() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  ws.add(load_dataset(world("expression.h5ad"), {}));
  auto s = choose_model_sources(ws.datasets());
  QVERIFY(!s.ready());
  QVERIFY(s.missing().contains("screen"));
  ws.add(load_dataset(world("screen.h5ad"), {}));
  ws.add(load_dataset(world("perturbation_truth.tsv"), {}));
  ws.add(load_dataset(world("grn.csv"), {}));
  s = choose_model_sources(ws.datasets());
  QVERIFY(s.ready());
  QVERIFY(s.missing().isEmpty());
  QVERIFY(is_screen(*s.screen));
  QVERIFY(!is_screen(*s.grn.network));
  QCOMPARE(QFileInfo(s.screen->path).fileName(), QString("screen.h5ad"));
  // The GRN is the graph view's GenoCircuit on the expression data, not on the screen.
  QCOMPARE(QFileInfo(s.grn.network->path).fileName(), QString("expression.h5ad"));
  QVERIFY(s.grn.genocircuit);
  QVERIFY(s.truth && is_truth_table(*s.truth));
  // Another epoch count is another model.
  auto other = s;
  other.epochs += 1;
  QVERIFY(other.key() != s.key());
  other = s;
  other.retrain = true;
  QCOMPARE(other.key(), s.key());
}

void TestUiWhatif::model_job_on_the_small_world() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  auto sources = quick_sources(ws);
  sources.retrain = true;
  sources.grn.retrain = true; // whatever an earlier run left in the cache
  QElapsedTimer clock;
  clock.start();
  const auto model = run_model_job(sources);
  keep(*model);
  qInfo("both models trained in %.1f s", static_cast<double>(clock.elapsed()) / 1000.0);
  QVERIFY(!model->cached());
  QVERIFY(QFileInfo::exists(model->checkpoint()));
  QVERIFY(QFileInfo::exists(model->grn_checkpoint()));
  QVERIFY(model->checkpoint().endsWith(".gcpert"));
  // Beside the GRN's checkpoint, the one the graph view makes for the same data.
  QCOMPARE(QFileInfo(model->checkpoint()).path(), QFileInfo(model->grn_checkpoint()).path());
  QCOMPARE(model->grn_checkpoint(), gc::ui::graph::genocircuit_checkpoint(sources.grn));
  QCOMPARE(model->genes().size(), m_world.genome.genes.size());
  QCOMPARE(model->groups(), m_world.expression.cell_types);
  QCOMPARE(model->scale(), std::string("log1p"));
  // The regulators are the world's TFs (the var column is_tf).
  std::set<std::string> tfs;
  for (const auto t : m_world.grn.tfs)
    tfs.insert(m_world.genome.genes[t].name);
  QCOMPARE(std::set<std::string>(model->regulators().begin(), model->regulators().end()), tfs);
  // The proposed scenario: the knockout of a TF the screen did not knock out (the small world
  // screens 3 of its 6 TFs), so the comparison with the truth below is out of sample.
  QCOMPARE(model->default_genes().size(), 1);
  const std::string tf = model->default_genes().front().toStdString();
  QVERIFY(tfs.contains(tf));
  QVERIFY(std::find(model->screened().begin(), model->screened().end(), tf) == model->screened().end());
  QVERIFY(model->truth());

  // The knockout moves the TF's true targets the true way more often than not, in every group.
  WhatifState state;
  state.genes = {QString::fromStdString(tf)};
  const auto* truth = truth_of(tf);
  QVERIFY(truth);
  std::size_t tf_index = 0;
  while (m_world.genome.genes[tf_index].name != tf)
    ++tf_index;
  for (std::size_t g = 0; g < model->groups().size(); ++g) {
    state.group = QString::fromStdString(model->groups()[g]);
    const auto r = predict_response(*model, state);
    QCOMPARE(r.label, tf);
    QCOMPARE(r.group, model->groups()[g]);
    QCOMPARE(r.rows.size(), m_world.genome.genes.size());
    QVERIFY(r.rows.front().perturbed && r.rows.front().gene == tf);
    QVERIFY(r.rows.front().delta < 0); // knocked out
    int agree = 0, total = 0;
    for (const auto& e : m_world.grn.edges) {
      if (e.regulator != tf_index || e.target == tf_index) continue;
      const double expected = truth->expected_log2fc_by_type[g][e.target];
      if (std::abs(expected) < 0.05) continue; // too small to have a direction
      const auto* row = r.row(m_world.genome.genes[e.target].name);
      QVERIFY(row);
      ++total;
      if (sign(row->delta) == sign(expected)) ++agree;
    }
    QVERIFY2(total > 0, "the TF has targets that respond");
    QVERIFY2(
        2 * agree > total,
        qPrintable(
            QString("%1 of %2 targets in the true direction in %3").arg(agree).arg(total).arg(state.group)));
    // Rows ranked by |Δ| after the perturbed gene; the default target is the first of them.
    for (std::size_t i = 2; i < r.rows.size(); ++i)
      QVERIFY(std::abs(r.rows[i - 1].delta) >= std::abs(r.rows[i].delta));
    QCOMPARE(r.most_changed, r.rows[1].gene);
    // The truth comparison: the table's values, Pearson over the genes not perturbed.
    QVERIFY(r.truth);
    QCOMPARE(r.truth->genes.size(), m_world.genome.genes.size() - 1);
    for (std::size_t i = 0; i < r.truth->genes.size(); ++i) {
      std::size_t gi = 0;
      while (m_world.genome.genes[gi].name != r.truth->genes[i])
        ++gi;
      QVERIFY(std::abs(r.truth->expected[i] - truth->expected_log2fc_by_type[g][gi]) < 1e-5);
      QCOMPARE(r.truth->predicted[i], r.row(r.truth->genes[i])->log2fc);
    }
    QVERIFY(std::abs(r.truth->pearson - pearson(r.truth->predicted, r.truth->expected)) < 1e-9);
    QCOMPARE(r.truth->direction_total, 20);
    QCOMPARE(std::count(r.truth->top_de.begin(), r.truth->top_de.end(), true), 20);
  }

  // Σφ = f(all) − f(none) for exact enumeration (auto with 6 regulators) and for sampling.
  state.group.clear();
  const auto r = predict_response(*model, state);
  const auto target = explanation_target(state, r);
  QCOMPARE(target, r.most_changed);
  for (const auto method : {Method::automatic, Method::permutation, Method::kernel}) {
    state.method = method;
    const auto x = explain_response(*model, state, target);
    QCOMPARE(x.target, target);
    QCOMPARE(x.shapley.players.size(), tfs.size());
    QCOMPARE(x.shapley.method, method == Method::automatic     ? gc::perturb::ShapleyMethod::exact
                               : method == Method::permutation ? gc::perturb::ShapleyMethod::permutation
                                                               : gc::perturb::ShapleyMethod::kernel);
    double sum = 0;
    for (const double phi : x.shapley.phi)
      sum += phi;
    QVERIFY2(
        std::abs(sum - (x.shapley.f_all - x.shapley.f_none)) < 1e-6,
        qPrintable(QString("Σφ %1, f(all) − f(none) %2").arg(sum).arg(x.shapley.f_all - x.shapley.f_none)));
    // With every regulator present the target moves the way the prediction says.
    QVERIFY(sign(x.shapley.f_all) == sign(r.row(target)->delta));
  }
  // The perturbed gene as the only player: φ is the whole change.
  state.method = Method::exact;
  state.players = Players::perturbed;
  const auto own = explain_response(*model, state, target);
  QCOMPARE(own.shapley.players, (std::vector<std::string>{tf}));
  QVERIFY(std::abs(own.shapley.phi[0] - (own.shapley.f_all - own.shapley.f_none)) < 1e-6);

  // Bad requests say what is wrong.
  state.genes = {"TF0"};
  try {
    (void)predict_response(*model, state);
    QFAIL("an unknown gene was predicted");
  } catch (const gc::InputError& e) {
    const QString message = e.what();
    QVERIFY2(message.contains("'TF0'") && message.contains("did you mean TF0"), qPrintable(message));
  }
  state.genes = {QString::fromStdString(tf)};
  state.group = "typeZ";
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)predict_response(*model, state));

  // A later start reads both checkpoints: the same predictions.
  sources.retrain = false;
  sources.grn.retrain = false;
  const auto cached = run_model_job(sources);
  QVERIFY(cached->cached());
  QCOMPARE(cached->default_genes(), model->default_genes());
  state.group.clear();
  const auto a = predict_response(*model, state);
  const auto b = predict_response(*cached, state);
  QCOMPARE(a.rows.size(), b.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    QCOMPARE(a.rows[i].gene, b.rows[i].gene);
    QVERIFY(std::abs(a.rows[i].delta - b.rows[i].delta) < 1e-6);
  }
}

void TestUiWhatif::cancelled_work_throws_cancelled() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  // Cancelled while the perturbation model trains (after the GRN, from the cache).
  auto sources = quick_sources(ws);
  sources.retrain = true;
  sources.epochs = 5000;
  gc::CancelToken token;
  struct Canceller final : gc::ProgressListener {
    gc::CancelToken token;
    std::atomic<int> updates{0};
    void on_progress(double fraction, const std::string& message) override {
      if (message.find("epoch") != std::string::npos && fraction > 0.61) token.cancel();
      ++updates;
    }
  };
  auto listener = std::make_shared<Canceller>();
  listener->token = token;
  QElapsedTimer clock;
  clock.start();
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)run_model_job(sources, gc::Progress(listener, token)));
  QVERIFY(clock.elapsed() < 15000); // 5000 epochs would take far longer
  QVERIFY(listener->updates > 0);
  // A prediction and an explanation asked to stop do.
  sources = quick_sources(ws);
  const auto model = run_model_job(sources);
  keep(*model);
  WhatifState state;
  state.genes = model->default_genes();
  gc::CancelToken stop;
  stop.cancel();
  const gc::Progress cancelled(nullptr, stop);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)predict_response(*model, state, cancelled));
  const auto r = predict_response(*model, state);
  QVERIFY_THROWS_EXCEPTION(gc::Cancelled, (void)explain_response(*model, state, r.most_changed, cancelled));
}

void TestUiWhatif::view_shows_the_default_scenario() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  WhatifView view(&ws, &tasks);
  view.resize(1300, 900);
  QSignalSpy models(&view, &WhatifView::model_ready);
  QSignalSpy responses(&view, &WhatifView::response_ready);
  QSignalSpy explanations(&view, &WhatifView::explanation_ready);
  // Without a screen the view says what to load, and starts nothing.
  ws.add(load_dataset(world("expression.h5ad"), {}));
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QVERIFY(wait_idle(view));
  QVERIFY2(view.message().contains("screen.h5ad") && view.message().contains("perturbation"),
           qPrintable(view.message()));
  QVERIFY(view.status_text().contains("No perturbation screen"));
  QCOMPARE(models.count(), 0);
  for (const char* f : {"genes.gtf", "screen.h5ad", "perturbation_truth.tsv"})
    ws.add(load_dataset(world(f), {}));
  QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 1, 60000);
  QVERIFY(wait_idle(view));
  for (const auto& path : {view.model()->checkpoint(), view.model()->grn_checkpoint()})
    m_cache.insert(path);
  QCOMPARE(models.count(), 1);
  QCOMPARE(responses.count(), 1);
  // The model's scenario, its most changed gene explained.
  const auto model = view.model();
  const auto response = view.response();
  const auto explanation = view.explanation();
  QVERIFY(model && response && explanation);
  QCOMPARE(view.state().genes, model->default_genes());
  QCOMPARE(response->label, model->default_genes().front().toStdString());
  QCOMPARE(explanation->target, response->most_changed);
  QCOMPARE(view.explained_target(), response->most_changed);

  // The response bars hold the top 20 rows' Δ, top first, with their sd as whiskers.
  auto* charts = view.charts();
  const auto bars = chart_bars(charts->response_chart());
  const auto top = response->top(20);
  QCOMPARE(bars.names.size(), 20);
  for (std::size_t i = 0; i < top.size(); ++i) {
    QCOMPARE(bars.names[static_cast<qsizetype>(i)], QString::fromStdString(top[i].gene));
    QVERIFY(std::abs(bars.values[i] - top[i].delta) < 1e-12);
  }
  const auto w = whiskers(charts->response_chart());
  std::size_t with_sd = 0;
  for (const auto& row : top)
    if (row.sd > 0) ++with_sd;
  QCOMPARE(w.size(), with_sd);
  for (std::size_t i = 0, k = 0; i < top.size(); ++i) {
    if (top[i].sd <= 0) continue;
    QVERIFY(std::abs(w[k].second - top[i].sd) < 1e-9);
    QCOMPARE(w[k].first, static_cast<double>(top.size() - 1 - i));
    ++k;
  }
  QCOMPARE(axis_title(charts->response_chart(), Qt::Horizontal), QString("Δ expression (log1p)"));
  // The perturbed gene's bar is apart (its own set).
  bool perturbed_set = false;
  for (auto* s : charts->response_chart()->series())
    if (auto* b = qobject_cast<QHorizontalStackedBarSeries*>(s))
      for (auto* set : b->barSets())
        if (set->label() == "perturbed") {
          perturbed_set = true;
          QCOMPARE(set->at(static_cast<qsizetype>(top.size()) - 1), top.front().delta);
        }
  QVERIFY(perturbed_set);

  // The Shapley bars hold φ sorted by |φ| (6 players: exact, no whiskers), and the title the check.
  const auto sb = chart_bars(charts->shapley_chart());
  const auto& s = explanation->shapley;
  QCOMPARE(sb.values.size(), s.phi.size());
  std::vector<double> sorted = s.phi;
  std::sort(sorted.begin(), sorted.end(), [](double a, double b) { return std::abs(a) > std::abs(b); });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    QVERIFY(std::abs(sb.values[i] - sorted[i]) < 1e-12);
    const auto p =
        std::find(s.players.begin(), s.players.end(), sb.names[static_cast<qsizetype>(i)].toStdString());
    QVERIFY(p != s.players.end());
    QCOMPARE(s.phi[static_cast<std::size_t>(p - s.players.begin())], sb.values[i]);
  }
  QVERIFY(whiskers(charts->shapley_chart()).empty());
  QVERIFY(charts->shapley_chart()->title().contains("f(all) = "));
  QVERIFY(charts->shapley_chart()->title().contains("f(none) = "));
  QVERIFY(axis_title(charts->shapley_chart(), Qt::Horizontal)
              .contains(QString::fromStdString(explanation->target)));
  // The truth scatter: every gene not perturbed, 20 of them as top DE, r in the title.
  int points = 0, top_points = 0;
  for (auto* series : charts->truth_chart()->series())
    if (auto* sc = qobject_cast<QScatterSeries*>(series)) {
      points += static_cast<int>(sc->count());
      if (sc->name().startsWith("top-20")) top_points = static_cast<int>(sc->count());
    }
  QCOMPARE(points, static_cast<int>(response->truth->genes.size()));
  QCOMPARE(top_points, 20);
  QVERIFY(charts->truth_chart()->title().contains(QString::number(response->truth->pearson, 'f', 3)));

  // The table lists every gene in the bars' order with the same values.
  auto* table = view.table_model();
  QCOMPARE(table->rowCount(), static_cast<int>(response->rows.size()));
  for (int i = 0; i < 20; ++i) {
    const auto proxy_row = view.table_proxy()->index(i, CascadeTableModel::gene);
    QCOMPARE(proxy_row.data().toString(), bars.names[i]);
    QCOMPARE(
        view.table_proxy()->index(i, CascadeTableModel::delta).data(CascadeTableModel::sort_role).toDouble(),
        bars.values[static_cast<std::size_t>(i)]);
  }
  // The explained target's row is selected.
  const auto selected = view.table()->selectionModel()->selectedRows();
  QCOMPARE(selected.size(), 1);
  QCOMPARE(selected.front().data().toString(), QString::fromStdString(explanation->target));
  // Sorting by Δ sorts numbers as numbers.
  view.table()->sortByColumn(CascadeTableModel::delta, Qt::AscendingOrder);
  for (int i = 1; i < table->rowCount(); ++i)
    QVERIFY(
        view.table_proxy()
            ->index(i - 1, CascadeTableModel::delta)
            .data(CascadeTableModel::sort_role)
            .toDouble() <=
        view.table_proxy()->index(i, CascadeTableModel::delta).data(CascadeTableModel::sort_role).toDouble());
  view.table()->sortByColumn(-1, Qt::AscendingOrder);

  // Clicking the fifth bar explains that gene.
  const QString fifth = bars.names[4];
  QBarSet* clicked = nullptr;
  for (auto* series : charts->response_chart()->series())
    if (auto* b = qobject_cast<QHorizontalStackedBarSeries*>(series)) clicked = b->barSets().front();
  QVERIFY(clicked);
  Q_EMIT clicked->clicked(static_cast<int>(top.size()) - 1 - 4); // category of the fifth bar from the top
  QCOMPARE(view.state().target, fifth);
  QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 2, 20000);
  QVERIFY(wait_idle(view));
  QCOMPARE(view.explanation()->target, fifth.toStdString());
  QCOMPARE(responses.count(), 1); // only the explanation ran again
  QCOMPARE(view.table()->selectionModel()->selectedRows().front().data().toString(), fifth);
  // Top N changes the picture only.
  view.top_box()->setValue(7);
  QCOMPARE(view.state().top_n, 7);
  QCOMPARE(chart_bars(charts->response_chart()).names.size(), 7);
  QCOMPARE(responses.count(), 1);
}

void TestUiWhatif::view_controls_rerun_and_cancel() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  WhatifView view(&ws, &tasks);
  view.resize(1200, 850);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QSignalSpy responses(&view, &WhatifView::response_ready);
  QSignalSpy explanations(&view, &WhatifView::explanation_ready);
  load_workspace(ws);
  QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 1, 60000);
  QVERIFY(wait_idle(view));
  QVERIFY(view.model()->cached()); // the previous test's models
  const QString tf = view.state().genes.front();
  responses.clear();

  // A knockdown: the factor box takes the mode's default; two quick changes make one prediction.
  view.set_mode(gc::perturb::Mode::knockdown);
  QCOMPARE(view.state().factor, 0.5);
  QVERIFY(view.factor_box()->isEnabled());
  view.factor_box()->setValue(0.3);
  view.factor_box()->setValue(0.7);
  QVERIFY(view.computing());
  QVERIFY(wait_idle(view));
  QCOMPARE(responses.count(), 1);
  QCOMPARE(view.response()->label, tf.toStdString() + ":kd0.7");
  QVERIFY(view.response()->description.find("knockdown by 70 %") != std::string::npos);
  const double kd = view.response()->rows.front().delta;
  // A weaker knockdown moves the gene less than the knockout.
  view.set_mode(gc::perturb::Mode::knockout);
  QVERIFY(wait_idle(view));
  QCOMPARE(view.response()->label, tf.toStdString());
  QVERIFY(view.response()->rows.front().delta < kd && kd < 0);
  QVERIFY(!view.factor_box()->isEnabled());
  // Overexpression raises it.
  view.set_mode(gc::perturb::Mode::overexpression);
  QCOMPARE(view.state().factor, 3.0);
  QVERIFY(wait_idle(view));
  QCOMPARE(view.response()->label, tf.toStdString() + ":oe3");
  QVERIFY(view.response()->rows.front().delta > 0);
  // Two genes typed into the box, comma-separated.
  const QString second = QString::fromStdString(view.model()->regulators().back() == tf.toStdString()
                                                    ? view.model()->regulators().front()
                                                    : view.model()->regulators().back());
  view.set_mode(gc::perturb::Mode::knockout);
  view.genes_edit()->setText(tf + ", " + second);
  Q_EMIT view.genes_edit()->returnPressed();
  QCOMPARE(view.state().genes, (QStringList{tf, second}));
  QVERIFY(wait_idle(view));
  QVERIFY(view.response()->rows[0].perturbed && view.response()->rows[1].perturbed);
  // An unknown name is not run; the status bar suggests close names.
  QSignalSpy status(&view, &WhatifView::status_message);
  view.genes_edit()->setText("TF0");
  Q_EMIT view.genes_edit()->returnPressed();
  QCOMPARE(view.state().genes, (QStringList{tf, second}));
  QVERIFY(!status.isEmpty());
  QVERIFY2(status.last().at(0).toString().contains("did you mean"),
           qPrintable(status.last().at(0).toString()));
  // Another group re-runs in it.
  view.set_group(QString::fromStdString(view.model()->groups().back()));
  QVERIFY(wait_idle(view));
  QCOMPARE(view.response()->group, view.model()->groups().back());

  // Cancel: a pending (debounced) prediction does not run, and Retrain stops when asked.
  const int before = static_cast<int>(responses.count());
  view.set_factor(0.9); // a knockout has no factor: nothing to do
  view.set_group(QString::fromStdString(view.model()->groups().front()));
  QVERIFY(view.computing());
  view.cancel();
  QVERIFY(wait_idle(view));
  QCOMPARE(static_cast<int>(responses.count()), before);
  const auto kept = view.model();
  view.recompute(); // trains again, ignoring the cache
  QVERIFY(view.cancel_button()->isEnabled());
  QTest::mouseClick(view.cancel_button(), Qt::LeftButton);
  QVERIFY(wait_idle(view));
  QCOMPARE(view.model(), kept); // the models shown stay
  QVERIFY(!view.cancel_button()->isEnabled());
  QCOMPARE(view.progress_bar()->format(), QString("cancelled"));
  // Exact enumeration is refused beyond 15 players; with 6 it runs.
  view.set_method(Method::exact);
  QVERIFY(wait_idle(view));
  QVERIFY(view.explanation());
  QCOMPARE(view.explanation()->shapley.method, gc::perturb::ShapleyMethod::exact);
  view.set_players(Players::perturbed);
  QVERIFY(wait_idle(view));
  QCOMPARE(view.explanation()->shapley.players.size(), std::size_t{2});
}

void TestUiWhatif::view_session_round_trip() {
  TaskRunner tasks;
  Workspace ws(&tasks);
  WhatifState s;
  s.genes = {"TF01", "TF04"};
  s.mode = gc::perturb::Mode::overexpression;
  s.factor = 2.5;
  s.group = "typeC";
  s.target = "G11";
  s.method = Method::permutation;
  s.top_n = 12;
  QJsonObject saved;
  {
    WhatifView view(&ws, &tasks);
    view.restore_state(to_json(s));
    QCOMPARE(view.state(), s);
    QCOMPARE(view.mode_box()->currentData().toString(), QString("oe"));
    QCOMPARE(view.factor_box()->value(), 2.5);
    QCOMPARE(view.genes_edit()->text(), QString("TF01, TF04"));
    QCOMPARE(view.target_edit()->text(), QString("G11"));
    QCOMPARE(view.method_box()->currentData().toString(), QString("permutation"));
    saved = view.save_state();
  }
  WhatifView restored(&ws, &tasks);
  restored.restore_state(saved);
  QCOMPARE(restored.state(), s);
  QCOMPARE(restored.save_state(), saved);
  // A bad state is refused and changes nothing.
  QSignalSpy errors(&restored, &WhatifView::error_occurred);
  QJsonObject bad = saved;
  bad["factor"] = 0.5; // not a fold above 1
  restored.restore_state(bad);
  QCOMPARE(errors.count(), 1);
  QVERIFY(errors.first().at(0).toString().contains("factor"));
  QCOMPARE(restored.state(), s);
  restored.restore_state(QJsonObject{{"top_n", -3}});
  QCOMPARE(errors.count(), 2);
  QCOMPARE(restored.state(), s);
  // A bad saved scenario refuses the whole state, with the key named.
  bad = saved;
  bad["scenarios"] = QJsonArray{QJsonObject{{"name", "x"}, {"genes", QJsonArray{"TF01"}}, {"compared", 1}}};
  restored.restore_state(bad);
  QCOMPARE(errors.count(), 3);
  QVERIFY(errors.last().at(0).toString().contains("\"compared\""));
  QCOMPARE(restored.state(), s);
  QCOMPARE(restored.scenario_list()->count(), 0);
  // An old session without the view's keys opens with the defaults.
  restored.restore_state(QJsonObject{});
  QCOMPARE(restored.state(), WhatifState{});
}

void TestUiWhatif::strength_slider_scale() {
  using gc::perturb::Mode;
  // A knockdown's positions are percent.
  QCOMPARE(strength_slider_range(Mode::knockdown).lo, 1);
  QCOMPARE(strength_slider_range(Mode::knockdown).hi, 99);
  QCOMPARE(strength_to_slider(Mode::knockdown, 0.5), 50);
  QCOMPARE(strength_to_slider(Mode::knockdown, 0.234), 23);
  QCOMPARE(slider_to_strength(Mode::knockdown, 37), 0.37);
  QCOMPARE(slider_to_strength(Mode::knockdown, 0), 0.01); // clamped to the range
  // An overexpression's are a log scale from 1.05× to 1000×: the middle is the geometric mean,
  // each step the same ratio.
  QCOMPARE(strength_slider_range(Mode::overexpression).lo, 0);
  QCOMPARE(strength_slider_range(Mode::overexpression).hi, overexpression_slider_steps);
  QCOMPARE(slider_to_strength(Mode::overexpression, 0), 1.05);
  QCOMPARE(slider_to_strength(Mode::overexpression, overexpression_slider_steps), 1000.0);
  QCOMPARE(slider_to_strength(Mode::overexpression, 500), std::round(std::sqrt(1050.0) * 100) / 100); // 32.4
  const int three = strength_to_slider(Mode::overexpression, 3.0);
  QCOMPARE(three, static_cast<int>(std::lround(1000 * std::log(3.0 / 1.05) / std::log(1000.0 / 1.05))));
  QCOMPARE(slider_to_strength(Mode::overexpression, three), 3.0);
  double last = 0.0;
  for (int p = 0; p <= overexpression_slider_steps; ++p) {
    const double f = slider_to_strength(Mode::overexpression, p);
    QVERIFY(f >= last && valid_factor(Mode::overexpression, f));
    last = f;
    // Each position's fold reads back as a position of the same fold.
    QCOMPARE(slider_to_strength(Mode::overexpression, strength_to_slider(Mode::overexpression, f)), f);
  }
  for (int p = 1; p <= 99; ++p)
    QVERIFY(valid_factor(Mode::knockdown, slider_to_strength(Mode::knockdown, p)));
  QCOMPARE(strength_slider_range(Mode::knockout).hi, 0);
  QCOMPARE(slider_to_strength(Mode::knockout, 5), 0.0);
}

void TestUiWhatif::slider_drag_coalesces_predictions() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  WhatifView view(&ws, &tasks);
  view.resize(1200, 850);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QSignalSpy explanations(&view, &WhatifView::explanation_ready);
  load_workspace(ws);
  QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 1, 60000);
  QVERIFY(wait_idle(view));
  auto* slider = view.strength_slider();
  QVERIFY(!slider->isEnabled()); // a knockout has no strength
  view.set_mode(gc::perturb::Mode::knockdown);
  QVERIFY(wait_idle(view));
  QVERIFY(slider->isEnabled());
  QCOMPARE(slider->value(), 50);
  // Box and slider stay in step both ways.
  view.factor_box()->setValue(0.25);
  QCOMPARE(slider->value(), 25);
  QVERIFY(wait_idle(view));

  // Predictions the runner starts, and every response shown with the state at that moment.
  QStringList started;
  connect(&tasks, &TaskRunner::started, &view, [&started](const QString& title) {
    if (title.startsWith("What if:")) started << title;
  });
  std::vector<std::pair<std::string, std::string>> shown; // (response, state) labels
  connect(&view, &WhatifView::response_ready, &view,
          [&] { shown.emplace_back(view.response()->label, label_of(view.state())); });
  QSignalSpy responses(&view, &WhatifView::response_ready);
  explanations.clear();

  // A drag faster than the event loop: 40 positions with no event handled in between. Each
  // asks for a prediction at once and returns without waiting: the first starts, the others
  // each cancel the one before, and the response shown does not change meanwhile.
  slider->setSliderDown(true);
  const auto before = view.response();
  QElapsedTimer clock;
  clock.start();
  for (int p = 30; p < 70; ++p) {
    slider->setValue(p);
    QCOMPARE(view.state().factor, p / 100.0);
    QCOMPARE(view.factor_box()->value(), p / 100.0);
    QVERIFY(view.computing());
  }
  const auto loop_ms = clock.elapsed();
  QCOMPARE(view.response(), before);
  QCOMPARE(started.size(), 1);
  QVERIFY(wait_idle(view));
  qInfo("40 slider moves took %lld ms on the GUI thread", static_cast<long long>(loop_ms));
  // Once the first ended, only the newest value ran: 2 predictions for 40 moves, 1 response.
  QCOMPARE(started.size(), 2);
  QCOMPARE(responses.count(), 1);
  QCOMPARE(view.response()->label, label_of(view.state()));
  QCOMPARE(view.response()->label, view.state().genes.front().toStdString() + ":kd0.69");
  // The explanation waited for the drag to pause: one, of the newest response.
  QCOMPARE(explanations.count(), 1);
  QCOMPARE(view.explanation()->label, view.response()->label);
  slider->setSliderDown(false);

  // A drag at the pace of the event loop: the response follows as it moves, and every response
  // shown is the one of the slider's value at that moment (no superseded value is shown).
  shown.clear();
  slider->setSliderDown(true);
  for (int p = 70; p >= 20; p -= 2) {
    slider->setValue(p);
    QTest::qWait(2);
  }
  slider->setSliderDown(false);
  QVERIFY(wait_idle(view));
  QVERIFY(!shown.empty());
  for (const auto& [response, state] : shown)
    QCOMPARE(response, state);
  // The last response is the final value's, the same as predicting it directly.
  QCOMPARE(view.state().factor, 0.2);
  QCOMPARE(view.response()->label, view.state().genes.front().toStdString() + ":kd0.2");
  QVERIFY(same_response(*view.response(), predict_response(*view.model(), view.state())));
  QCOMPARE(view.explanation()->label, view.response()->label);

  // Overexpression: the slider is the fold on a log scale.
  view.set_mode(gc::perturb::Mode::overexpression);
  QVERIFY(wait_idle(view));
  QCOMPARE(slider->maximum(), overexpression_slider_steps);
  QCOMPARE(slider->value(), strength_to_slider(gc::perturb::Mode::overexpression, 3.0));
  slider->setValue(overexpression_slider_steps);
  QCOMPARE(view.state().factor, 1000.0);
  QVERIFY(wait_idle(view));
  QCOMPARE(QString::fromStdString(view.response()->label), QString::fromStdString(label_of(view.state())));
  QCOMPARE(intervention_label(view.state()), view.state().genes.front() + ":oe1000");
  QVERIFY(view.response()->rows.front().delta > 0);
  view.set_mode(gc::perturb::Mode::knockout);
  QVERIFY(wait_idle(view));
}

void TestUiWhatif::volcano_plots_every_gene() {
  // By hand: z = |Δ| / sd; sd 0 with a change is beyond any axis; the axis stops at 4× the
  // 90th percentile of the finite z of genes not perturbed.
  Response r;
  r.label = "P";
  r.description = "P knockout";
  r.group = "all";
  r.scale = "log1p";
  const auto row = [](const char* gene, double delta, double sd, bool perturbed = false) {
    GeneRow g;
    g.gene = gene;
    g.delta = delta;
    g.sd = sd;
    g.perturbed = perturbed;
    g.step = perturbed ? 0 : 1;
    return g;
  };
  r.rows = {row("P", -3.0, 0.0, true), row("A", 2.0, 0.5),  row("B", -1.0, 0.25), row("C", 0.9, 0.0),
            row("D", 0.5, 0.5),        row("E", 0.2, 0.1),  row("F", 0.1, 0.2),   row("G", 0.0, 0.0),
            row("H", 0.05, 0.1),       row("I", 0.04, 0.2), row("J", 0.01, 0.1),  row("K", 3.0, 0.001)};
  const auto v = volcano_points(r, 3);
  QCOMPARE(v.points.size(), r.rows.size());
  QCOMPARE(v.points[0].kind, VolcanoPoint::Kind::perturbed);
  QCOMPARE(v.points[1].kind, VolcanoPoint::Kind::top);
  QCOMPARE(v.points[2].kind, VolcanoPoint::Kind::top);
  QCOMPARE(v.points[3].kind, VolcanoPoint::Kind::gene); // the first 3 rows are the bars
  QCOMPARE(v.points[1].z, 4.0);
  QCOMPARE(v.points[2].z, 4.0);
  QVERIFY(std::isinf(v.points[3].z));
  QCOMPARE(v.points[7].z, 0.0);
  // Finite z of genes not perturbed: A 4, B 4, D 1, E 2, F 0.5, G 0, H 0.5, I 0.2, J 0.1, K 3000;
  // sorted, the 90th percentile (index 8 of 10) is 4: the top is min(3000, 16) = 16.
  QCOMPARE(v.z_top, 16.0);
  QVERIFY(v.points[0].beyond && v.points[3].beyond && v.points[11].beyond);
  QCOMPARE(v.beyond, 3);
  QVERIFY(!v.points[1].beyond);

  if (!have_perturbation_model()) return;
  TaskRunner tasks;
  Workspace ws(&tasks);
  WhatifView view(&ws, &tasks);
  view.resize(1300, 900);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QSignalSpy explanations(&view, &WhatifView::explanation_ready);
  load_workspace(ws);
  QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 1, 60000);
  QVERIFY(wait_idle(view));
  view.side_tabs()->setCurrentWidget(view.charts()->volcano_view());
  const auto response = view.response();
  auto* chart = view.charts()->volcano_chart();
  // Every gene once: circles inside the axis, triangles on its top edge.
  qsizetype points = 0, triangles = 0, marked_top = 0, marked_perturbed = 0, explained = 0;
  double y_max = 0.0;
  for (auto* a : chart->axes(Qt::Vertical))
    if (auto* axis = qobject_cast<QValueAxis*>(a)) y_max = axis->max();
  for (auto* s : chart->series()) {
    auto* sc = qobject_cast<QScatterSeries*>(s);
    if (!sc) continue;
    if (sc->name() == "explained") {
      explained += sc->count();
      continue;
    }
    points += sc->count();
    if (sc->markerShape() == QScatterSeries::MarkerShapeTriangle) triangles += sc->count();
    if (sc->color() == increase_colour() || sc->color() == decrease_colour()) marked_top += sc->count();
    if (sc->color() == perturbed_colour()) marked_perturbed += sc->count();
    for (const auto& p : sc->points())
      QVERIFY(p.y() >= 0 && p.y() <= y_max);
  }
  const auto& shown = view.charts()->shown_volcano();
  QCOMPARE(points, static_cast<qsizetype>(response->rows.size()));
  QCOMPARE(triangles, static_cast<qsizetype>(shown.beyond));
  QCOMPARE(marked_top, static_cast<qsizetype>(view.state().top_n - 1)); // the bars but the perturbed gene
  QCOMPARE(marked_perturbed, qsizetype{1});
  QCOMPARE(explained, qsizetype{1});
  // A gene's point is its Δ against |Δ| / sd.
  for (std::size_t i = 0; i < response->rows.size(); ++i) {
    const auto& g = response->rows[i];
    QCOMPARE(shown.points[i].delta, g.delta);
    if (g.sd > 0) QCOMPARE(shown.points[i].z, std::abs(g.delta) / g.sd);
  }
  QVERIFY(axis_title(chart, Qt::Vertical).contains("|Δ| / sd"));
  QVERIFY(axis_title(chart, Qt::Vertical).contains("z-like"));
  QCOMPARE(axis_title(chart, Qt::Horizontal), QString("predicted Δ expression (log1p)"));
  // Clicking a point explains that gene.
  const auto it = std::find_if(shown.points.begin() + 5, shown.points.end(),
                               [](const VolcanoPoint& p) { return !p.beyond; });
  QVERIFY(it != shown.points.end());
  const VolcanoPoint picked = *it; // the chart's points are made anew when the target changes
  const auto* clicked = &picked;
  QScatterSeries* series = nullptr;
  for (auto* s : chart->series())
    if (auto* sc = qobject_cast<QScatterSeries*>(s); sc && sc->name() != "explained") series = sc;
  QVERIFY(series);
  Q_EMIT series->clicked(QPointF(clicked->delta, clicked->z));
  QCOMPARE(view.state().target, clicked->name);
  QVERIFY(wait_idle(view));
  QCOMPARE(QString::fromStdString(view.explanation()->target), clicked->name);
}

void TestUiWhatif::scenarios_compare_save_and_export() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  QJsonObject saved;
  std::map<QString, std::shared_ptr<const Response>> made;
  {
    WhatifView view(&ws, &tasks);
    view.resize(1300, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy explanations(&view, &WhatifView::explanation_ready);
    load_workspace(ws);
    QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 1, 60000);
    QVERIFY(wait_idle(view));
    const QString tf = view.state().genes.front();
    const auto& groups = view.model()->groups();
    // The shown response saved under its default name: the label and the group.
    const QString first = view.save_scenario();
    QCOMPARE(first, tf + " in " + QString::fromStdString(groups.front()));
    QCOMPARE(view.scenario_response(first), view.response()); // the one shown, not predicted again
    // A strong overexpression in the last group, saved under a name with a comma and quotes.
    view.set_mode(gc::perturb::Mode::overexpression);
    view.set_factor(30.0);
    view.set_group(QString::fromStdString(groups.back()));
    const QString second = "strong, \"up\"";
    QCOMPARE(view.scenario_name_edit()->placeholderText(),
             "name (default " + tf + ":oe30 in " + QString::fromStdString(groups.back()) + ")");
    QCOMPARE(view.save_scenario(second), second); // saved before its prediction: predicted apart
    QCOMPARE(view.state().scenarios.size(), std::size_t{2});
    QVERIFY(wait_idle(view));
    // Another gene, saved too; then the first is made current again by loading it.
    const QString other = QString::fromStdString(view.model()->regulators().front() == tf.toStdString()
                                                     ? view.model()->regulators().back()
                                                     : view.model()->regulators().front());
    view.set_mode(gc::perturb::Mode::knockout);
    view.set_genes({other});
    view.set_group({});
    QVERIFY(wait_idle(view));
    const QString third = view.save_scenario();
    QCOMPARE(third, other + " in " + QString::fromStdString(groups.front()));
    QCOMPARE(view.scenario_list()->count(), 3);
    // A second saved scenario switched the main panel to the comparison (once).
    QCOMPARE(view.state().panel, Panel::scenarios);
    QCOMPARE(view.main_tabs()->currentIndex(), 1);
    view.load_scenario(second);
    QCOMPARE(view.state().genes, QStringList{tf});
    QCOMPARE(view.state().factor, 30.0);
    QVERIFY(wait_idle(view));
    QCOMPARE(intervention_label(view.state()), tf + ":oe30");
    QCOMPARE(QString::fromStdString(view.response()->label), QString::fromStdString(label_of(view.state())));

    // Each scenario's response is its intervention's, predicted as the view predicts.
    for (const auto& sc : view.state().scenarios) {
      const auto r = view.scenario_response(sc.name);
      QVERIFY2(r, qPrintable(sc.name));
      QVERIFY(same_response(*r, predict_response(*view.model(), scenario_state(view.state(), sc))));
      made[sc.name] = r;
    }
    QCOMPARE(made[second]->group, groups.back());
    // The comparison: one bar set per ticked scenario over the union of their top genes.
    const auto check_compare = [&](const QStringList& names) {
      QHorizontalBarSeries* series = nullptr;
      for (auto* s : view.charts()->compare_chart()->series())
        if (auto* b = qobject_cast<QHorizontalBarSeries*>(s)) series = b;
      QVERIFY(series);
      QCOMPARE(series->count(), names.size());
      QBarCategoryAxis* axis = nullptr;
      for (auto* a : series->attachedAxes())
        if (auto* c = qobject_cast<QBarCategoryAxis*>(a)) axis = c;
      QVERIFY(axis);
      std::set<std::string> expected;
      // 24 rows shared out: 8 genes each of 3 scenarios, 10 each of 2.
      const int per = names.size() == 3 ? 8 : 10;
      QCOMPARE(compare_per_scenario(static_cast<std::size_t>(names.size())), per);
      for (const auto& n : names) {
        int taken = 0;
        for (const auto& row : made[n]->rows)
          if (!row.perturbed && taken < per) {
            expected.insert(row.gene);
            ++taken;
          }
      }
      const auto categories = axis->categories();
      QCOMPARE(static_cast<std::size_t>(categories.size()), expected.size());
      for (qsizetype k = 0; k < categories.size(); ++k) {
        QVERIFY(expected.contains(categories[k].toStdString()));
        for (qsizetype i = 0; i < names.size(); ++i) {
          QCOMPARE(series->barSets()[i]->label(), names[i]);
          QCOMPARE(series->barSets()[i]->at(k), made[names[i]]->row(categories[k].toStdString())->delta);
        }
      }
    };
    check_compare({first, second, third});
    // Unticked in the list: out of the comparison.
    auto* item = view.scenario_list()->item(1);
    QCOMPARE(item->text(), second);
    item->setCheckState(Qt::Unchecked);
    QVERIFY(!view.state().scenarios[1].compared);
    check_compare({first, third});
    // CSV: the genes in the model's order, one column per scenario (quoted where needed).
    const QString csv = QString::fromStdString((m_dir->path() / "scenarios.csv").string());
    QSignalSpy exported(&view, &WhatifView::scenarios_exported);
    view.export_scenarios(csv);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 20000);
    const auto lines = read_text(csv).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), static_cast<qsizetype>(view.model()->genes().size()) + 1);
    QVERIFY(lines[0].contains("\"strong, \"\"up\"\"\""));
    QCOMPARE(csv_fields(lines[0]), (QStringList{"gene", first, second, third}));
    for (qsizetype i = 1; i < lines.size(); ++i) {
      const auto fields = csv_fields(lines[i]);
      QCOMPARE(fields.size(), 4);
      const auto& gene = view.model()->genes()[static_cast<std::size_t>(i - 1)];
      QCOMPARE(fields[0].toStdString(), gene);
      for (int k = 0; k < 3; ++k) {
        const double d = made[csv_fields(lines[0])[k + 1]]->row(gene)->delta;
        QVERIFY(std::abs(fields[k + 1].toDouble() - d) <= 1e-5 * std::max(1.0, std::abs(d)));
      }
    }
    // The figure of the scenarios panel is the comparison.
    const QString svg = QString::fromStdString((m_dir->path() / "scenarios.svg").string());
    export_figure(view, svg, {.dpi = 96, .width_mm = 180.0});
    const QString text = read_text(svg);
    QVERIFY(text.contains("2 scenarios compared"));
    QVERIFY(text.contains(QRegularExpression(">\\s*" + QRegularExpression::escape(third) + "\\s*</text>")));
    QVERIFY(!text.contains("Shapley"));
    view.main_tabs()->setCurrentIndex(0);
    QCOMPARE(view.state().panel, Panel::response);
    // Removed: out of the list and the state.
    view.remove_scenario(third);
    QCOMPARE(view.scenario_list()->count(), 2);
    QVERIFY(!view.state().scenario(third));
    saved = view.save_state();
  }
  // The session keeps them; a view restoring it predicts them again, the same.
  QCOMPARE(saved["scenarios"].toArray().size(), 2);
  WhatifView restored(&ws, &tasks);
  restored.resize(1300, 900);
  restored.show();
  QVERIFY(QTest::qWaitForWindowExposed(&restored));
  restored.restore_state(saved);
  QCOMPARE(restored.scenario_list()->count(), 2);
  QTRY_VERIFY_WITH_TIMEOUT(restored.model() != nullptr, 60000);
  QVERIFY(wait_idle(restored));
  for (const auto& sc : restored.state().scenarios) {
    QVERIFY(restored.scenario_response(sc.name));
    QVERIFY(same_response(*restored.scenario_response(sc.name), *made[sc.name]));
  }
  QVERIFY(!restored.state().scenarios[1].compared);
  QCOMPARE(restored.scenario_list()->item(1)->checkState(), Qt::Unchecked);
  // A scenario the model cannot run says why, and the rest are compared.
  auto broken = saved;
  auto list = broken["scenarios"].toArray();
  list.append(QJsonObject{{"name", "typo"}, {"genes", QJsonArray{"TF0"}}});
  broken["scenarios"] = list;
  restored.restore_state(broken);
  QVERIFY(wait_idle(restored));
  QVERIFY2(restored.scenario_error("typo").contains("did you mean"),
           qPrintable(restored.scenario_error("typo")));
  QVERIFY(restored.scenario_response(restored.state().scenarios[0].name));
}

void TestUiWhatif::network_view_colours_the_response() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  // The main window's OpenGL views need a display the offscreen platform does not give.
  if (QGuiApplication::platformName() == "offscreen")
    QSKIP("the main window's OpenGL views need a display (run under xvfb-run)");
  MainWindow window;
  window.resize(1500, 950);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* whatif = window.whatif_view();
  auto* graph = window.graph_view();
  QSignalSpy explanations(whatif, &WhatifView::explanation_ready);
  window.show_view("whatif");
  for (const char* f : {"genes.gtf", "expression.h5ad", "screen.h5ad", "perturbation_truth.tsv"})
    window.workspace()->add(load_dataset(world(f), {}));
  QTRY_VERIFY_WITH_TIMEOUT(explanations.count() >= 1, 60000);
  QVERIFY(wait_idle(*whatif));
  const auto response = whatif->response();
  // The response reached the Network view as a plain overlay.
  const auto overlay = graph->response_overlay();
  QVERIFY(overlay);
  QCOMPARE(overlay->title, response->description + " in " + response->group);
  QCOMPARE(overlay->delta.size(), response->rows.size());
  // The scale's end: the largest |Δ| of a gene not perturbed.
  double max = 0.0;
  for (const auto& r : response->rows)
    if (!r.perturbed) max = std::max(max, std::abs(r.delta));
  QCOMPARE(overlay->scale_max, max);
  // Every gene that moves through a regulator is a cascade edge via -> gene.
  for (const auto& r : response->rows)
    if (r.step > 0) QVERIFY(overlay->in_cascade(r.via, r.gene));

  QSignalSpy laid_out(graph, &GraphView::layout_ready);
  window.show_view("graph");
  QTRY_VERIFY_WITH_TIMEOUT(laid_out.count() >= 1 && !graph->computing(), 60000);
  QTest::qWait(50);
  const auto scene = graph->scene();
  QVERIFY(scene.drawable());
  QCOMPARE(scene.overlay, overlay.get());
  const auto& data = *scene.data;
  // The perturbed gene and the most changed downstream gene drawn: colours as the scale says,
  // white towards the what-if charts' decrease blue or increase vermillion by |Δ| / max.
  const auto expected = [&](double delta) {
    const double t = std::clamp(delta / max, -1.0, 1.0);
    const QColor end = t > 0 ? increase_colour() : decrease_colour();
    const auto mix = [&](int c) { return static_cast<int>(std::lround(255.0 + std::abs(t) * (c - 255.0))); };
    return QColor(mix(end.red()), mix(end.green()), mix(end.blue()));
  };
  const auto& perturbed = response->rows.front();
  QVERIFY(perturbed.perturbed);
  const auto geometry = graph->canvas_geometry();
  const auto centre = [&](int gene) {
    return geometry.to_screen((*scene.positions)[static_cast<std::size_t>(scene.shown->node_position(gene))]);
  };
  // The most changed downstream gene drawn clear of the other nodes (its centre pixel is its own).
  const auto clear = [&](int gene) {
    const QPointF c = centre(gene);
    for (const int other : scene.shown->nodes)
      if (other != gene) {
        const QPointF d = centre(other) - c;
        if (std::hypot(d.x(), d.y()) < 3.0 * geometry.node_radius) return false;
      }
    return true;
  };
  const GeneRow* downstream = nullptr;
  for (const auto& r : response->rows) {
    const auto g = data.gene_index(r.gene);
    if (!r.perturbed && r.step > 0 && g && scene.shown->node_position(*g) >= 0 && clear(*g)) {
      downstream = &r;
      break;
    }
  }
  QVERIFY(downstream);
  const auto gp = data.gene_index(perturbed.gene);
  QVERIFY2(gp && scene.shown->node_position(*gp) >= 0, "the perturbed regulator is drawn");
  const auto gd = *data.gene_index(downstream->gene);
  QCOMPARE(gc::ui::graph::node_fill(scene, *gp), expected(perturbed.delta));
  QCOMPARE(gc::ui::graph::node_fill(scene, gd), expected(downstream->delta));
  QVERIFY(perturbed.delta < 0); // a knockout: towards the decrease blue
  // The canvas shows those colours at the nodes' centres.
  const QImage image = graph->canvas()->grab().toImage();
  const auto pixel_in = [&](const QImage& im, int gene) {
    return im.pixelColor((centre(gene) * im.devicePixelRatio()).toPoint());
  };
  const auto pixel = [&](int gene) { return pixel_in(image, gene); };
  const auto close = [](const QColor& a, const QColor& b) {
    return std::abs(a.red() - b.red()) <= 4 && std::abs(a.green() - b.green()) <= 4 &&
           std::abs(a.blue() - b.blue()) <= 4;
  };
  QVERIFY2(close(pixel(*gp), expected(perturbed.delta)), qPrintable(pixel(*gp).name()));
  QVERIFY2(close(pixel(gd), expected(downstream->delta)), qPrintable(pixel(gd).name()));
  // The toggle turns the overlay off (TF colour again) and on.
  auto* toggle = graph->overlay_button();
  QVERIFY(toggle->isEnabled() && toggle->isChecked());
  toggle->click();
  QVERIFY(!graph->state().response_overlay);
  QVERIFY(graph->scene().overlay == nullptr);
  QCOMPARE(gc::ui::graph::node_fill(graph->scene(), *gp), gc::ui::graph::tf_colour());
  QTest::qWait(50);
  QVERIFY(close(pixel_in(graph->canvas()->grab().toImage(), *gp), gc::ui::graph::tf_colour()));
  toggle->click();
  QVERIFY(graph->scene().overlay != nullptr);
  // A new prediction replaces the overlay.
  whatif->set_mode(gc::perturb::Mode::knockdown);
  QVERIFY(wait_idle(*whatif));
  QCOMPARE(graph->response_overlay()->title,
           whatif->response()->description + " in " + whatif->response()->group);
  for (const auto& path : {whatif->model()->checkpoint(), whatif->model()->grn_checkpoint()})
    m_cache.insert(path);
}

void TestUiWhatif::impact_track_reaches_the_browser() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  WhatifView view(&ws, &tasks);
  view.resize(1300, 900);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QSignalSpy responses(&view, &WhatifView::response_ready);
  QSignalSpy errors(&view, &WhatifView::error_occurred);
  load_workspace(ws);
  QTRY_VERIFY_WITH_TIMEOUT(responses.count() >= 1, 60000);
  QVERIFY(wait_idle(view));
  QSignalSpy added(&view, &WhatifView::impact_track_added);
  const auto before = ws.datasets().size();
  view.show_impact_track();
  QTRY_VERIFY2_WITH_TIMEOUT(added.count() == 1 || errors.count() > 0,
                            qPrintable(errors.isEmpty() ? QString() : errors.front().front().toString()),
                            20000);
  QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.front().front().toString()));
  const QString path = added.at(0).at(0).toString();
  QVERIFY2(path.endsWith(".bedgraph"), qPrintable(path));
  QTRY_VERIFY_WITH_TIMEOUT(ws.datasets().size() == before + 1, 20000);
  m_cache.insert(path);
  const auto track = ws.datasets().back();
  QCOMPARE(track->path, QFileInfo(path).absoluteFilePath());
  QVERIFY(track->intervals && !track->intervals->empty());
  // Every gene of the response on its locus (the world's genes do not overlap), with its Δ.
  const gc::genome::Annotation* annotation = nullptr;
  for (const auto& d : ws.datasets())
    if (d->annotation) annotation = d->annotation.get();
  QVERIFY(annotation);
  const auto response = view.response();
  QCOMPARE(track->intervals->size(), response->rows.size());
  for (const auto& row : {response->rows.front(), response->rows[1], response->rows.back()}) {
    const auto* gene = annotation->find_gene(row.gene);
    QVERIFY(gene);
    const auto it = std::find_if(track->intervals->begin(), track->intervals->end(),
                                 [&](const auto& r) { return r.start == gene->start && r.end == gene->end; });
    QVERIFY2(it != track->intervals->end(), row.gene.c_str());
    QVERIFY2(std::abs(it->score - row.delta) <= 1e-5 * std::max(1.0, std::abs(row.delta)), row.gene.c_str());
  }
  // The same prediction again: the open track is reused, nothing is added.
  view.show_impact_track();
  QCOMPARE(added.count(), 2);
  QCOMPARE(ws.datasets().size(), before + 1);
  QCOMPARE(errors.count(), 0);
}

void TestUiWhatif::headless_figure_draws_the_charts() {
  if (!have_perturbation_model()) QSKIP("this build has no perturbation model (LibTorch)");
  TaskRunner tasks;
  Workspace ws(&tasks);
  load_workspace(ws);
  // The view tests' models (default epochs) are in the cache when they ran first; else trained here.
  for (const auto& path : {gc::ui::graph::genocircuit_checkpoint(choose_model_sources(ws.datasets()).grn)})
    m_cache.insert(path);
  WhatifState s;
  s.genes = {"TF01", "TF02"};
  s.top_n = 10;
  const QString svg = QString::fromStdString((m_dir->path() / "whatif.svg").string());
  render_whatif_figure(to_json(s), ws.datasets(), svg, {.dpi = 96, .width_mm = 180.0});
  const QString png = QString::fromStdString((m_dir->path() / "whatif.png").string());
  render_whatif_figure(to_json(s), ws.datasets(), png, {.dpi = 150, .width_mm = 180.0});
  const QString text = read_text(svg);
  QVERIFY(text.contains("expression (log1p)"));
  QVERIFY(text.contains("TF01 + TF02 knockout"));
  QVERIFY(text.contains("f(all) = "));
  QVERIFY(text.contains("Pearson r = "));
  QVERIFY(text.contains(QRegularExpression(">\\s*TF01\\s*</text>")));
  const QImage image(png);
  QCOMPARE(image.width(), static_cast<int>(180.0 / 25.4 * 150 + 0.5));
  // Bars in the Okabe–Ito colours are drawn (not only text on white).
  int coloured = 0;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) {
      const QColor c = image.pixelColor(x, y);
      if (c == increase_colour() || c == decrease_colour() || c == perturbed_colour()) ++coloured;
    }
  QVERIFY2(coloured > 200, qPrintable(QString::number(coloured)));
  // Genes the model lacks are bad input, with close names.
  s.genes = {"TF1"};
  QVERIFY_THROWS_EXCEPTION(gc::InputError, render_whatif_figure(to_json(s), ws.datasets(), svg));
  // Without a screen there is nothing to draw from.
  std::vector<std::shared_ptr<const Dataset>> no_screen;
  for (const auto& d : ws.datasets())
    if (!is_screen(*d)) no_screen.push_back(d);
  QVERIFY_THROWS_EXCEPTION(gc::InputError, render_whatif_figure(QJsonObject{}, no_screen, svg));
}

GC_QTEST_MAIN(TestUiWhatif)
#include "test_ui_whatif.moc"
