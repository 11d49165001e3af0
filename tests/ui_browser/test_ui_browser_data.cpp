// The browser and the Hi-C map on real data: the yeast R64-1-1 genome and GTF (chromosomes
// "II") with yeast.10kb.cool (chromosomes "chrII") show the same locus after reconciliation.
#include "gc/genome/bigwig.h"
#include "gc/ui/browser/genome_browser.h"
#include "gc/ui/browser/signal_cache.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/main_window.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/workspace.h"

#include "gc_qtest_main.h"
#include "gc_session_wait.h"

#include <QDir>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

class TestUiBrowserData : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void yeast_genome_and_cooler_share_the_locus();
  void bigwig_draws_like_its_bedgraph();
};

void TestUiBrowserData::bigwig_draws_like_its_bedgraph() {
  // The same dm3 chrX signal as bigWig and as bedGraph: the bigWig's bins (read on a worker)
  // reach the bedGraph's maximum, and both rows draw the same profile.
  const QDir data(QString::fromStdString(gc::test::shared_data_dir()));
  const QString bw = data.filePath("tracks/bigwig_chrx_2e6_5e6.bw");
  const QString bg = data.filePath("tracks/bedgraph_chrx_2e6_5e6.bg");
  if (!QFile::exists(bw) || !QFile::exists(bg))
    QSKIP("the shared test data (tracks/bigwig_chrx_2e6_5e6.bw, .bg) is not present");
  gc::ui::TaskRunner tasks;
  gc::ui::Workspace ws(&tasks);
  ws.add(gc::ui::load_dataset(bw, gc::Progress()));
  ws.add(gc::ui::load_dataset(bg, gc::Progress()));
  const auto track = ws.datasets().front();
  QVERIFY(track->bigwig);
  gc::ui::GenomeBrowser browser(&ws, &tasks);
  browser.resize(1000, 300);
  browser.show();
  QVERIFY(QTest::qWaitForWindowExposed(&browser));
  QVERIFY(browser.go_to("chrX:2,000,001-5,000,000"));
  QTRY_VERIFY_WITH_TIMEOUT(!browser.loading(), 20000);
  const gc::ui::browser::SignalWindow window{"chrX", 2000000, 5000000, 872};
  const auto* bins = browser.signal_cache().signal(*track->bigwig, window);
  QVERIFY(bins);
  QCOMPARE(bins->high, 294.0); // the file's maximum (README)
  QCOMPARE(bins->low, 0.0);
  const double top_bin = *std::max_element(bins->max.begin(), bins->max.end(), [](double a, double b) {
    return std::isnan(a) || (!std::isnan(b) && b > a);
  });
  QCOMPARE(top_bin, 294.0);
  // Row tops: no genome, so tracks start at 52 (title, ruler); each signal row is 60 high.
  // Per column, the highest coloured pixel of each row (bedGraph: its per-pixel maximum;
  // bigWig: the max envelope behind the mean) lies at the same height.
  QImage shot = browser.grab().toImage().scaled(1000, 300);
  const auto ink_top = [&](int x, int top) {
    for (int y = top + 4; y < top + 50; ++y)
      if (qGray(shot.pixel(x, y)) < 235) return y - top;
    return -1;
  };
  int columns = 0, same = 0;
  for (int x = 118 + 2; x < 118 + 870; ++x) {
    const int a = ink_top(x, 52), b = ink_top(x, 52 + 60);
    if (a < 0 && b < 0) continue;
    ++columns;
    same += std::abs(a - b) <= 1;
  }
  QVERIFY(columns > 500);
  QVERIFY2(same >= columns * 95 / 100, qPrintable(QString("%1 of %2 columns agree").arg(same).arg(columns)));
}

void TestUiBrowserData::yeast_genome_and_cooler_share_the_locus() {
  QStandardPaths::setTestModeEnabled(true);
  const QDir data(QString::fromStdString(gc::test::shared_data_dir()));
  if (!data.exists()) QSKIP("the shared test data (GC_SHARED_DATA_DIR or $GC_SHARED_DATA) is not present");
  const QString fasta =
      data.filePath("genome/yeast_R64-1-1/Saccharomyces_cerevisiae.R64-1-1.dna.toplevel.fa.gz");
  const QString gtf = data.filePath("genome/yeast_R64-1-1/Saccharomyces_cerevisiae.R64-1-1.96.gtf.gz");
  const QString cool = data.filePath("hic/cooler/yeast.10kb.cool");
  gc::ui::MainWindow w;
  w.resize(1400, 900);
  w.show();
  QSignalSpy idle(w.workspace(), &gc::ui::Workspace::idle);
  QSignalSpy map_loaded(w.hic_view(), &gc::ui::HicMapView::map_loaded);
  w.open_files({fasta, gtf, cool});
  QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 120000);
  QTRY_VERIFY_WITH_TIMEOUT(map_loaded.count() >= 1, 60000);
  QCOMPARE(w.data_panel()->model()->rowCount(), 3);
  QCOMPARE(w.workspace()->reference().front().name, std::string("I"));
  const auto hic = w.workspace()->first_of(gc::ui::DatasetKind::hic);
  QVERIFY(hic);
  QCOMPARE(hic->local_name("II").value_or(""), std::string("chrII"));
  const auto annotation = w.workspace()->first_of(gc::ui::DatasetKind::annotation);
  QVERIFY(annotation->summary.startsWith("7,")); // about 7,000 yeast genes
  // Typing the cooler's name in the locus box lands on the genome's name, and the map follows.
  QVERIFY(w.browser()->go_to("chrII:100,001-300,000"));
  QCOMPARE(w.browser()->locus().chrom, std::string("II"));
  QTRY_COMPARE_WITH_TIMEOUT(w.hic_view()->locus().chrom, std::string("chrII"), 10000);
  QCOMPARE(w.hic_view()->locus().start, std::int64_t(100000));
  QCOMPARE(w.hic_view()->locus().end, std::int64_t(300000));
  // A session folder moved elsewhere with its files restores the map from the new place.
  QTemporaryDir parent;
  const QString first = parent.filePath("first"), second = parent.filePath("second");
  QVERIFY(QDir().mkpath(first));
  for (const auto& f : {fasta, gtf, cool})
    QVERIFY(QFile::copy(f, first + "/" + QFileInfo(f).fileName()));
  {
    gc::ui::MainWindow original;
    QSignalSpy original_idle(original.workspace(), &gc::ui::Workspace::idle);
    QSignalSpy original_map(original.hic_view(), &gc::ui::HicMapView::map_loaded);
    original.open_files({first + "/" + QFileInfo(fasta).fileName(), first + "/" + QFileInfo(gtf).fileName(),
                         first + "/" + QFileInfo(cool).fileName()});
    QTRY_COMPARE_WITH_TIMEOUT(original_idle.count(), 1, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(original_map.count() >= 1, 60000);
    QVERIFY(original.browser()->go_to("II:100,001-300,000"));
    original.hic_view()->set_normalisation("none");
    QVERIFY(gc::test::finish_session(original, [&] { original.save_session(first + "/s.gcsession.json"); }));
  }
  QVERIFY(QDir().rename(first, second));
  {
    gc::ui::MainWindow restored;
    QSignalSpy restored_idle(restored.workspace(), &gc::ui::Workspace::idle);
    QVERIFY(
        gc::test::finish_session(restored, [&] { restored.restore_session(second + "/s.gcsession.json"); }));
    QTRY_COMPARE_WITH_TIMEOUT(restored_idle.count(), 1, 120000);
    QCOMPARE(restored.browser()->locus().to_string(), std::string("II:100001-300000"));
    QTRY_COMPARE_WITH_TIMEOUT(restored.hic_view()->locus().chrom, std::string("chrII"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(restored.hic_view()->normalisation(), QString("none"), 20000);
    QVERIFY(!restored.findChild<QMessageBox*>("ErrorMessage"));
    const auto saved = restored.hic_view()->save_state().value("uri").toString();
    QVERIFY2(saved.startsWith(second), qPrintable(saved));
  }
  // A gene name works too (ACT1 is on chromosome VI).
  QVERIFY(w.browser()->go_to("ACT1"));
  QCOMPARE(w.browser()->locus().chrom, std::string("VI"));
  QTRY_COMPARE_WITH_TIMEOUT(w.hic_view()->locus().chrom, std::string("chrVI"), 10000);
}

int main(int argc, char** argv) {
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  TestUiBrowserData t;
  return gc::test::qexec(&t, argc, argv);
}
#include "test_ui_browser_data.moc"
