// Hi-C view on real files from ../shared/data: a cooler (yeast, 10 kb) and a Juicer .hic.
// Skipped when the shared data is absent.
#include "gc/hic/resolutions.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/task_runner.h"
#include "hic_view_test_util.h"

#include "gc_qtest_main.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTest>

using namespace gc::ui;
using gc::ui::test::coloured_pixels;
using gc::ui::test::wait_loaded;

namespace {

QString data_file(const QString& rel) {
  return QDir(QString::fromStdString(gc::test::shared_data_dir())).filePath(rel);
}

} // namespace

class TestUiHicData : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init();
  void yeast_cooler();
  void juicer_hic();
};

void TestUiHicData::init() {
  if (!QDir(QString::fromStdString(gc::test::shared_data_dir())).exists())
    QSKIP("shared test data (../shared/data) not present");
}

void TestUiHicData::yeast_cooler() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(800, 860);
  view.show();
  QSignalSpy errors(&view, &HicMapView::error_occurred);
  QSignalSpy loaded(&view, &HicMapView::map_loaded);
  view.open(data_file("hic/cooler/yeast.10kb.cool"));
  QVERIFY(loaded.wait(20000));
  QCOMPARE(view.normalisation(), QString("file")); // the cooler has a "weight" column
  view.set_locus(gc::genome::parse_region("chrIV:200,001-700,000"));
  QVERIFY(wait_loaded(view, 60000));
  QCOMPARE(view.resolution(), std::int64_t{10'000});
  const QRect map = view.heatmap_rect().toRect().adjusted(2, 2, -2, -2);
  QVERIFY(coloured_pixels(view.grab().toImage(), map) > map.width() * map.height() / 2);
  // Bin 45 of chrIV (450-460 kb) on the row, bin 47 on the column.
  const QRectF m = view.heatmap_rect();
  const QPointF pos(m.left() + (475'000.0 - 200'000) / 500'000 * m.width(),
                    m.top() + (455'000.0 - 200'000) / 500'000 * m.height());
  QVERIFY(view.describe_at(pos).startsWith("chrIV:450,001-460,000 × chrIV:470,001-480,000 value "));
  QVERIFY(errors.isEmpty());
}

void TestUiHicData::juicer_hic() {
  // test.hic stores one resolution (2.5 Mb) with its normalisation vectors.
  const auto maps = gc::hic::open_resolutions(data_file("hic/straw/test.hic").toStdString());
  QCOMPARE(maps.maps.size(), std::size_t{1});
  QVERIFY(maps.has_file_weights.value_or(false));
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(800, 860);
  view.show();
  QSignalSpy errors(&view, &HicMapView::error_occurred);
  view.set_maps(maps);
  QCOMPARE(view.locus().chrom, std::string("1"));
  QVERIFY(wait_loaded(view, 60000));
  QCOMPARE(view.resolution(), std::int64_t{2'500'000});
  const QRect map = view.heatmap_rect().toRect().adjusted(2, 2, -2, -2);
  for (const QString norm : {"file", "kr", "vc", "none"}) {
    view.set_normalisation(norm);
    QVERIFY(wait_loaded(view, 60000));
    QVERIFY2(coloured_pixels(view.grab().toImage(), map) > map.width() * map.height() / 4, qPrintable(norm));
  }
  // Trans: chromosome 1 x 2.
  view.set_locus(gc::genome::parse_region("1"), gc::genome::parse_region("chr2"));
  QCOMPARE(view.locus_y().chrom, std::string("2"));
  QVERIFY(wait_loaded(view, 60000));
  QVERIFY(coloured_pixels(view.grab().toImage(), view.heatmap_rect().toRect().adjusted(2, 2, -2, -2)) > 1000);
  QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.front().front().toString()));
}

int main(int argc, char** argv) {
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication app(argc, argv);
  TestUiHicData test;
  return gc::test::qexec(&test, argc, argv);
}

#include "test_ui_hic_data.moc"
