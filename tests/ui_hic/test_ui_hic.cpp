// Hi-C map view and 3D chromatin view under Xvfb: view maths, tile cache and cancellation,
// mirrored tiles, rendering at every normalisation, hover read-out, navigation signals, figures
// and sessions.
#include "gc/hic/cooler.h"
#include "gc/hic/query.h"
#include "gc/hic/resolutions.h"
#include "gc/ui/chromatin/chromatin_view.h"
#include "gc/ui/common/colormap.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/hic/hic_state.h"
#include "gc/ui/hic/hic_tiles.h"
#include "gc/ui/task_runner.h"
#include "gc/util/error.h"
#include "hic_view_test_util.h"

#include "gc_qtest_main.h"

#include <QApplication>
#include <QBuffer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

using namespace gc::ui;
using gc::ui::test::coloured_pixels;
using gc::ui::test::wait_loaded;
using namespace gc::ui::hic_view;

namespace {

// Two chromosomes at 2 kb (chrA 2 Mb, chrB 1 Mb): distance decay, TAD-like blocks of 40 bins
// with extra contacts inside, and trans contacts on 1 in 13 bin pairs.
void write_test_mcool(const std::filesystem::path& file) {
  const std::vector<gc::hic::Chrom> chroms{{"chrA", 2'000'000}, {"chrB", 1'000'000}};
  auto bins = gc::hic::BinTable::fixed(chroms, 2000);
  std::vector<gc::hic::Pixel> pixels;
  for (int c = 0; c < 2; ++c) {
    const auto lo = bins.chrom_offset[static_cast<std::size_t>(c)];
    const auto hi = bins.chrom_offset[static_cast<std::size_t>(c) + 1];
    for (auto i = lo; i < hi; ++i)
      for (auto j = i; j < std::min(hi, i + 150); ++j) {
        const double d = static_cast<double>(j - i);
        const bool same_tad = (i - lo) / 40 == (j - lo) / 40;
        const double count =
            std::floor(400.0 / (1.0 + d) * (same_tad ? 3.0 : 1.0) * (1.0 + 0.3 * ((i * 7 + j) % 5) / 4.0));
        if (count > 0) pixels.push_back({i, j, count});
      }
  }
  for (std::int64_t a = 0; a < 1000; ++a)
    for (std::int64_t b = 1000; b < 1500; ++b)
      if ((a * 31 + b * 17) % 13 == 0) pixels.push_back({a, b, 1.0 + static_cast<double>((a + b) % 3)});
  gc::hic::write_mcool(file, bins, pixels, {1, 5, 25}, {}, true);
}

// Delegates to a real map, sleeping in every read and counting reads: makes tile loads slow
// enough that moving the view on finds them still queued or in flight.
class SlowMap final : public gc::hic::ContactMap {
public:
  SlowMap(std::shared_ptr<const gc::hic::ContactMap> inner, int delay_ms)
      : m_inner(std::move(inner)), m_delay(delay_ms) {}
  const gc::hic::BinTable& bins() const override { return m_inner->bins(); }
  bool symmetric() const override { return m_inner->symmetric(); }
  std::vector<gc::hic::Pixel> fetch_stored(std::int64_t a, std::int64_t b, std::int64_t c,
                                           std::int64_t d) const override {
    ++reads;
    std::this_thread::sleep_for(std::chrono::milliseconds(m_delay));
    return m_inner->fetch_stored(a, b, c, d);
  }
  void for_each_chunk(const std::function<void(std::span<const gc::hic::Pixel>)>& sink) const override {
    m_inner->for_each_chunk(sink);
  }
  std::vector<std::string> weight_names() const override { return {}; }
  gc::hic::Weights weights(const std::string& name) const override { return m_inner->weights(name); }
  std::string default_weight_name() const override { return "weight"; }
  std::int64_t nnz() const override { return m_inner->nnz(); }
  std::string source() const override { return "slow:" + m_inner->source(); }
  mutable std::atomic<int> reads{0};

private:
  std::shared_ptr<const gc::hic::ContactMap> m_inner;
  int m_delay;
};

} // namespace

class TestUiHic : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void resolution_choice();
  void chromosome_names_go_through_the_alias_table();
  void zoom_pan_maths();
  void ticks_and_labels();
  void colour_maps_and_scales();
  void tile_cache_is_lru();
  void mirrored_tiles_equal_transposed_reads();
  void view_mirrors_tiles_below_the_diagonal();
  void automatic_resolution_follows_view_size();
  void renders_every_normalisation();
  void renders_trans_region();
  void hover_reports_region_and_value();
  void drag_and_wheel_emit_locus();
  void moving_the_view_cancels_tiles();
  void cached_tiles_never_reload();
  void figure_is_svg_with_text();
  void session_round_trip();
  void unknown_inputs_report_errors();
  void chromatin_structure_and_figure();

private:
  QTemporaryDir m_dir;
  QString m_mcool;
};

void TestUiHic::initTestCase() {
  QVERIFY(m_dir.isValid());
  m_mcool = m_dir.filePath("test.mcool");
  write_test_mcool(m_mcool.toStdString());
}

void TestUiHic::chromosome_names_go_through_the_alias_table() {
  // As in the browser: the Hi-C and 3D views accept II for chrII and MT for chrM.
  const auto bins = gc::hic::BinTable::fixed({{"chrII", 10000}, {"chrM", 4000}}, 2000);
  QCOMPARE(gc::ui::hic_view::find_chrom(bins, "chrII"), 0);
  QCOMPARE(gc::ui::hic_view::find_chrom(bins, "II"), 0);
  QCOMPARE(gc::ui::hic_view::find_chrom(bins, "MT"), 1);
  QCOMPARE(gc::ui::hic_view::find_chrom(bins, "Mito"), 1);
  QCOMPARE(gc::ui::hic_view::find_chrom(bins, "chrIII"), -1);
}

void TestUiHic::resolution_choice() {
  const std::vector<std::int64_t> sizes{10'000, 20'000, 50'000};
  // 4 kb per pixel: no stored resolution is that fine, so the finest.
  auto c = choose_resolution(sizes, 2e6, 500, 4000);
  QCOMPARE(c.index, std::size_t{0});
  QVERIFY(!c.too_fine);
  // 40 kb per pixel: 20 kb is the coarsest with >= 1 bin per pixel (50 kb would give 0.8).
  c = choose_resolution(sizes, 2e7, 500, 4000);
  QCOMPARE(c.index, std::size_t{1});
  // Exactly one bin per pixel counts.
  QCOMPARE(choose_resolution(sizes, 1e7, 500, 4000).index, std::size_t{1});
  QCOMPARE(choose_resolution(sizes, 1e8, 500, 4000).index, std::size_t{2});
  // The cap: 100 Mb at 10 kb is 10,000 bins.
  const std::vector<std::int64_t> one{10'000};
  c = choose_resolution(one, 1e8, 500, 4000);
  QCOMPARE(c.index, std::size_t{0});
  QVERIFY(c.too_fine);
  QVERIFY(!choose_resolution(one, 3e7, 500, 4000).too_fine);
}

void TestUiHic::zoom_pan_maths() {
  // Zooming in by 2 about 250 kb keeps 250 kb at a quarter of the width.
  auto s = zoom_span({0, 1e6}, 250'000, 0.5, 2e6, 1e4);
  QCOMPARE(s.start, 125'000.0);
  QCOMPARE(s.end, 625'000.0);
  QCOMPARE((250'000 - s.start) / s.length(), 0.25);
  // Zooming out stops at the chromosome, zooming in at the minimum length.
  s = zoom_span({500'000, 1'500'000}, 1e6, 10, 2e6, 1e4);
  QCOMPARE(s.start, 0.0);
  QCOMPARE(s.end, 2e6);
  s = zoom_span({0, 1e6}, 5e5, 1e-6, 2e6, 1e4);
  QCOMPARE(s.length(), 1e4);
  QCOMPARE(s.start, 495'000.0);
  // Near the end the span slides back inside the chromosome.
  s = zoom_span({1'500'000, 2'000'000}, 2e6, 1.5, 2e6, 1e4);
  QCOMPARE(s.end, 2e6);
  QCOMPARE(s.length(), 750'000.0);
  // Panning keeps the length and stops at both ends.
  QCOMPARE(pan_span({0, 1e6}, 5e5, 2e6), (Span{5e5, 1.5e6}));
  QCOMPARE(pan_span({0, 1e6}, 5e6, 2e6), (Span{1e6, 2e6}));
  QCOMPARE(pan_span({2e5, 1.2e6}, -1e6, 2e6), (Span{0, 1e6}));
  // Pixels <-> bp.
  QCOMPARE(pixel_to_bp(100, 400, {1e6, 2e6}), 1.25e6);
  QCOMPARE(bp_to_pixel(1.25e6, 400, {1e6, 2e6}), 100.0);
  // Tiles covering bins.
  QCOMPARE(tiles_covering(0, 128, 128), (IndexRange{0, 1}));
  QCOMPARE(tiles_covering(127, 129, 128), (IndexRange{0, 2}));
  QCOMPARE(tiles_covering(300, 1000, 128), (IndexRange{2, 8}));
  QCOMPARE(tiles_covering(5, 5, 128), (IndexRange{0, 0}));
}

void TestUiHic::ticks_and_labels() {
  auto t = axis_ticks(0, 2e6, 5);
  QCOMPARE(t.size(), std::size_t{5});
  QCOMPARE(t[1].pos, 5e5);
  QCOMPARE(t[0].label, QString("0.0 Mb"));
  QCOMPARE(t[1].label, QString("0.5 Mb"));
  QCOMPARE(t[4].label, QString("2.0 Mb"));
  t = axis_ticks(1'234'000, 1'290'000, 5);
  QCOMPARE(t.front().pos, 1'240'000.0);
  QCOMPARE(t.front().label, QString("1240 kb"));
  t = axis_ticks(0, 5e6, 5);
  QCOMPARE(t[1].label, QString("1 Mb"));
  t = axis_ticks(100, 400, 3);
  QCOMPARE(t.front().label, QString("0.1 kb"));
  QCOMPARE(format_region("chrII", 100'000, 110'000), QString("chrII:100,001-110,000"));
  QCOMPARE(format_bin_size(10'000), QString("10 kb"));
  QCOMPARE(format_bin_size(1'000'000), QString("1 Mb"));
  QCOMPARE(format_bin_size(2500), QString("2.5 kb"));
  QCOMPARE(format_bin_size(500), QString("500 bp"));
  QCOMPARE(format_value(12.345), QString("12.3"));
  QCOMPARE(format_value(12345), QString("12345"));
}

void TestUiHic::colour_maps_and_scales() {
  const auto fall = ColorMap::named("fall");
  QCOMPARE(fall.at(0), qRgb(255, 255, 255));
  QCOMPARE(fall.at(1), qRgb(110, 0, 10));
  QCOMPARE(fall.at(std::nan("")), fall.missing());
  const auto viridis = ColorMap::named("Viridis");
  QCOMPARE(viridis.at(0), qRgb(0x44, 0x01, 0x54));
  QCOMPARE(viridis.at(1), qRgb(0xfd, 0xe7, 0x25));
  QVERIFY_THROWS_EXCEPTION(gc::InputError, (void)ColorMap::named("jet"));
  const ColorScale log{1, 100, true};
  QCOMPARE(log.normalise(10), 0.5);
  QCOMPARE(log.normalise(0), 0.0);
  QCOMPARE(log.normalise(1e6), 1.0);
  QVERIFY(std::abs(log.value_at(0.5) - 10) < 1e-9);
  const ColorScale lin{0, 4, false};
  QCOMPARE(lin.normalise(1), 0.25);
  QVERIFY(std::isnan(lin.normalise(std::nan(""))));
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i)
    v.push_back(i);
  QCOMPARE(percentile(v, 50), 50.5);
  QCOMPARE(percentile(v, 100), 100.0);
  v.push_back(-5);
  v.push_back(std::nan(""));
  QCOMPARE(percentile(v, 0, true), 1.0);
  QCOMPARE(percentile(v, 0, false), -5.0);
  const std::vector<float> values{0.f, 1.f, 100.f, std::nanf("")};
  const auto image = colorize(values, 2, 2, fall, log);
  QCOMPARE(image.pixel(0, 0), fall.at(0));
  QCOMPARE(image.pixel(1, 1), fall.missing());
  QCOMPARE(image.pixel(0, 1), fall.at(1));
}

void TestUiHic::tile_cache_is_lru() {
  TileCache cache(2);
  const TileKey a{0, {}, 0, 0, 0, 0}, b{0, {}, 0, 0, 0, 1}, c{0, {}, 0, 0, 1, 1};
  cache.put(a, std::make_shared<Tile>());
  cache.put(b, std::make_shared<Tile>());
  QVERIFY(cache.get(a) != nullptr); // a is now the most recent
  cache.put(c, std::make_shared<Tile>());
  QCOMPARE(cache.size(), std::size_t{2});
  QVERIFY(cache.contains(a));
  QVERIFY(!cache.contains(b));
  QVERIFY(cache.contains(c));
}

namespace {

// Exact equality, NaN where the other has NaN.
void compare_tiles(const Tile& a, const Tile& b) {
  QCOMPARE(a.row_lo, b.row_lo);
  QCOMPARE(a.col_lo, b.col_lo);
  QCOMPARE(a.rows, b.rows);
  QCOMPARE(a.cols, b.cols);
  QCOMPARE(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (!(a.values[i] == b.values[i] || (std::isnan(a.values[i]) && std::isnan(b.values[i]))))
      QFAIL(qPrintable(QString("value %1 differs: %2 vs %3").arg(i).arg(a.values[i]).arg(b.values[i])));
}

} // namespace

void TestUiHic::mirrored_tiles_equal_transposed_reads() {
  const auto maps = gc::hic::open_resolutions(m_mcool.toStdString());
  const auto& map = *maps.maps.front();
  QVERIFY(map.symmetric());
  NormCache norms(maps.maps);
  const std::vector<Normalisation> norms_to_check{{gc::hic::BalanceMethod::none, false},
                                                  {gc::hic::BalanceMethod::file, false},
                                                  {gc::hic::BalanceMethod::vc, false},
                                                  {gc::hic::BalanceMethod::file, true}};
  // chrA has 1000 bins at 2 kb: tiles 0-7, the last one 104 bins (a non-square edge tile).
  const std::vector<std::pair<std::int64_t, std::int64_t>> below{{1, 0}, {3, 1}, {7, 2}, {7, 6}};
  int nonzero = 0;
  for (const auto& norm : norms_to_check)
    for (const auto& [ti, tj] : below) {
      const TileKey lower{0, norm, 0, 0, ti, tj};
      QVERIFY(is_mirrored(lower, map));
      const auto upper = mirror_key(lower);
      QCOMPARE(upper.ti, tj);
      QCOMPARE(upper.tj, ti);
      QVERIFY(!is_mirrored(upper, map));
      const auto direct = load_tile(map, norms, lower);
      const auto mirrored = transpose(*load_tile(map, norms, upper));
      compare_tiles(*mirrored, *direct);
      nonzero += static_cast<int>(std::count_if(direct->values.begin(), direct->values.end(),
                                                [](float v) { return std::isfinite(v) && v > 0; }));
    }
  // The tiles near the diagonal hold contacts: the comparison was not over empty tiles.
  QVERIFY(nonzero > 10'000);
  compare_tiles(*transpose(*transpose(*load_tile(map, norms, {0, {}, 0, 0, 7, 2}))),
                *load_tile(map, norms, {0, {}, 0, 0, 7, 2}));
  // Diagonal and trans tiles are read as they are.
  QVERIFY(!is_mirrored({0, {}, 0, 0, 3, 3}, map));
  QVERIFY(!is_mirrored({0, {}, 0, 1, 3, 1}, map));
  QVERIFY(!is_mirrored({0, {}, 1, 0, 3, 1}, map));
}

void TestUiHic::view_mirrors_tiles_below_the_diagonal() {
  const auto maps = gc::hic::open_resolutions(m_mcool.toStdString());
  auto counted = std::make_shared<SlowMap>(maps.maps.front(), 0);
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.show();
  // Rows 1.0-1.25 Mb against columns 0-250 kb: every visible tile lies below the diagonal. Set
  // before the map, so that no other view's tiles are read first.
  view.set_locus(gc::genome::parse_region("chrA:1,000,001-1,250,000"),
                 gc::genome::parse_region("chrA:1-250,000"));
  gc::hic::Resolutions one = gc::hic::single_resolution(counted);
  one.has_file_weights = false;
  view.set_maps(one);
  QVERIFY(wait_loaded(view));
  const auto stats = view.stats();
  QCOMPARE(view.resolution(), std::int64_t{2000});
  // Rows 500-624 (tiles 3, 4), columns 0-124 (tile 0), plus the prefetch ring (rows 2-5, columns
  // 0-1): 8 tiles, all below the diagonal, each read as its upper mirror and transposed.
  QCOMPARE(stats.tiles_mirrored, std::int64_t{8});
  QCOMPARE(stats.tiles_loaded, std::int64_t{8});
  // The value under the cursor is the stored contact of the lower-triangle bin pair.
  const QRectF m = view.heatmap_rect();
  const QPointF pos(m.left() + 101'000.0 / 250'000 * m.width(), m.top() + 61'000.0 / 250'000 * m.height());
  const auto raw = gc::hic::fetch_dense(*maps.maps.front(), {0, 530, 531}, {0, 50, 51});
  QCOMPARE(view.describe_at(pos),
           "chrA:1,060,001-1,062,000 × chrA:100,001-102,000 value " + format_value(raw(0, 0)) + " (raw)");
}

void TestUiHic::automatic_resolution_follows_view_size() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(1100, 1200);
  view.show();
  QSignalSpy loaded(&view, &HicMapView::map_loaded);
  view.open(m_mcool);
  QVERIFY(loaded.wait(20000));
  view.set_locus(gc::genome::parse_region("chrA"));
  // 2 Mb over ~900 pixels: ~2.2 kb per pixel -> the 2 kb data.
  QCOMPARE(view.resolution(), std::int64_t{2000});
  QVERIFY(view.heatmap_rect().width() > 800);
  view.resize(330, 360);
  QTest::qWait(50);
  // ~150 pixels: 10 kb is the coarsest with at least one bin per pixel.
  QVERIFY(view.heatmap_rect().width() < 200);
  QCOMPARE(view.resolution(), std::int64_t{10'000});
  view.set_locus(gc::genome::parse_region("chrA:1-200,000"));
  QCOMPARE(view.resolution(), std::int64_t{2000});
  QVERIFY(wait_loaded(view));
}

void TestUiHic::renders_every_normalisation() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.show();
  QSignalSpy errors(&view, &HicMapView::error_occurred);
  QSignalSpy loaded(&view, &HicMapView::map_loaded);
  view.open(m_mcool);
  QVERIFY(loaded.wait(20000));
  QCOMPARE(view.normalisation(), QString("file")); // the file is balanced
  view.set_locus(gc::genome::parse_region("chrA:200,001-1,000,000"));
  const QRect map = view.heatmap_rect().toRect().adjusted(2, 2, -2, -2);
  for (const auto& norm : HicMapView::normalisations()) {
    view.set_normalisation(norm);
    QCOMPARE(view.normalisation(), norm);
    QVERIFY2(wait_loaded(view), qPrintable(norm));
    const QImage image = view.grab().toImage();
    const int n = coloured_pixels(image, map);
    QVERIFY2(n > map.width() * map.height() / 10,
             qPrintable(norm + ": " + QString::number(n) + " coloured pixels of " +
                        QString::number(map.width() * map.height())));
  }
  view.set_colormap("viridis");
  view.set_log_scale(false);
  QVERIFY(wait_loaded(view));
  QVERIFY(coloured_pixels(view.grab().toImage(), map) > map.width() * map.height() / 2);
  QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.front().front().toString()));
}

void TestUiHic::renders_trans_region() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.show();
  view.set_maps(gc::hic::open_resolutions(m_mcool.toStdString()));
  view.set_normalisation("none");
  view.set_locus(gc::genome::parse_region("chrA:1-1,000,000"), gc::genome::parse_region("chrB"));
  QCOMPARE(view.locus_y().chrom, std::string("chrB"));
  QVERIFY(wait_loaded(view));
  const QRect map = view.heatmap_rect().toRect().adjusted(2, 2, -2, -2);
  // Trans contacts on 1 in 13 bin pairs.
  QVERIFY(coloured_pixels(view.grab().toImage(), map) > map.width() * map.height() / 30);
}

void TestUiHic::hover_reports_region_and_value() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.show();
  const auto maps = gc::hic::open_resolutions(m_mcool.toStdString());
  view.set_maps(maps);
  view.set_normalisation("none");
  view.set_locus(gc::genome::parse_region("chrA:1-200,000"));
  QVERIFY(wait_loaded(view));
  QCOMPARE(view.resolution(), std::int64_t{2000});
  // The centre of row bin 30 (60-62 kb) and column bin 35 (70-72 kb).
  const QRectF m = view.heatmap_rect();
  const QPointF pos(m.left() + 71'000.0 / 200'000 * m.width(), m.top() + 61'000.0 / 200'000 * m.height());
  const auto raw = gc::hic::fetch_dense(*maps.maps.front(), {0, 30, 31}, {0, 35, 36});
  const QString expected =
      "chrA:60,001-62,000 × chrA:70,001-72,000 value " + format_value(raw(0, 0)) + " (raw)";
  QCOMPARE(view.describe_at(pos), expected);
  QVERIFY(raw(0, 0) > 0);
  QSignalSpy hovered(&view, &HicMapView::hovered);
  // A synthesised move event: QTest::mouseMove goes through the window system's cursor, which
  // is unreliable on a freshly mapped Xvfb window.
  QMouseEvent move(QEvent::MouseMove, pos, view.mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&view, &move);
  QTRY_VERIFY(!hovered.isEmpty());
  QVERIFY(hovered.back().front().toString().startsWith("chrA:60,001-62,000 × chrA:70,001-72,000 value"));
  QVERIFY(view.describe_at(QPointF(2, 2)).isEmpty()); // outside the map
}

void TestUiHic::drag_and_wheel_emit_locus() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.show();
  view.set_maps(gc::hic::open_resolutions(m_mcool.toStdString()));
  view.set_locus(gc::genome::parse_region("chrA:500,001-1,000,000"));
  QSignalSpy moved(&view, &HicMapView::locus_changed);
  const QRectF m = view.heatmap_rect();
  const QPoint c = m.center().toPoint();
  // Dragging left by a fifth of the width moves the view 100 kb to the right.
  QTest::mousePress(&view, Qt::LeftButton, {}, c);
  QTest::mouseMove(&view, c - QPoint(static_cast<int>(m.width() / 5), 0));
  QTest::mouseRelease(&view, Qt::LeftButton, {}, c - QPoint(static_cast<int>(m.width() / 5), 0));
  QVERIFY(!moved.isEmpty());
  auto region = moved.back().front().value<gc::genome::Region>();
  QCOMPARE(region.chrom, std::string("chrA"));
  QVERIFY(std::abs(view.locus_y().start - 600'000) < 3000);
  QCOMPARE(view.locus_y().end - view.locus_y().start, std::int64_t{500'000});
  // Rows did not move (a horizontal drag).
  QCOMPARE(region.start, std::int64_t{500'000});
  // One wheel step in zooms by 0.8 around the cursor.
  const auto before = view.locus();
  QWheelEvent wheel(m.center(), view.mapToGlobal(m.center()), {}, {0, 120}, Qt::NoButton, {},
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(&view, &wheel);
  region = moved.back().front().value<gc::genome::Region>();
  QVERIFY(std::abs(region.end - region.start - 400'000) <= 1);
  QVERIFY(region.start > before.start && region.end < before.end);
  QVERIFY(wait_loaded(view));
}

void TestUiHic::moving_the_view_cancels_tiles() {
  const auto maps = gc::hic::open_resolutions(m_mcool.toStdString());
  auto slow = std::make_shared<SlowMap>(maps.maps.front(), 40);
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(900, 960);
  view.show();
  QSignalSpy loaded(&view, &HicMapView::map_loaded);
  view.set_map(slow); // the stored normalisations are listed on a worker
  QVERIFY(!view.has_map());
  QVERIFY(loaded.wait(10000));
  QCOMPARE(view.normalisation(), QString("none")); // the slow map has no weights
  // 1 Mb at 2 kb: 500 x 500 bins, 4 x 4 tiles plus a ring of prefetch.
  view.set_locus(gc::genome::parse_region("chrA:1-1,000,000"));
  const auto first = view.stats();
  QVERIFY(first.tiles_requested >= 16);
  QTest::qWait(60);
  view.set_locus(gc::genome::parse_region("chrB:1-500,000"));
  const auto after_move = view.stats();
  // The chrA tiles still queued or in flight were cancelled.
  QVERIFY(after_move.tiles_cancelled >= first.tiles_requested - 6);
  QVERIFY(wait_loaded(view, 60000));
  const auto done = view.stats();
  // Cancelled tiles that had not started never read the file: two reads per loaded tile
  // (upper and mirrored rectangles) plus the insulation track's, far fewer than all requested.
  QVERIFY(done.tiles_loaded < done.tiles_requested);
  QVERIFY2(slow->reads.load() <= 2 * done.tiles_loaded + 8,
           qPrintable(QString::number(slow->reads.load()) + " reads, " + QString::number(done.tiles_loaded) +
                      " loaded"));
  // The new view is complete.
  QVERIFY(!view.describe_at(view.heatmap_rect().center()).isEmpty());
  QVERIFY(view.describe_at(view.heatmap_rect().center()).startsWith("chrB:"));
}

void TestUiHic::cached_tiles_never_reload() {
  const auto maps = gc::hic::open_resolutions(m_mcool.toStdString());
  auto counted = std::make_shared<SlowMap>(maps.maps.front(), 0);
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(900, 960);
  view.show();
  QSignalSpy shown(&view, &HicMapView::map_loaded);
  view.set_map(counted);
  view.set_locus(gc::genome::parse_region("chrA:1-600,000")); // applied once the map is shown
  QVERIFY(shown.wait(10000));
  QCOMPARE(view.locus().end, std::int64_t{600'000});
  QVERIFY(wait_loaded(view));
  view.set_locus(gc::genome::parse_region("chrA:400,001-1,000,000"));
  QVERIFY(wait_loaded(view));
  const auto reads = counted->reads.load();
  const auto loaded = view.stats().tiles_loaded;
  // Pan back and forth over the cached area by dragging: no tile is read again.
  const QRectF m = view.heatmap_rect();
  const QPoint c = m.center().toPoint();
  QTest::mousePress(&view, Qt::LeftButton, {}, c);
  for (int k = 1; k <= 10; ++k) {
    QTest::mouseMove(&view, c + QPoint(k * 10, k * 10));
    view.repaint();
  }
  QTest::mouseRelease(&view, Qt::LeftButton, {}, c + QPoint(100, 100));
  QVERIFY(view.locus().start < 400'000);
  QTest::qWait(20);
  QCOMPARE(view.stats().tiles_loaded, loaded);
  QVERIFY(view.stats().cache_hits > 0);
  // Only the insulation track (debounced, in a worker) may read after the pan settles.
  QVERIFY(wait_loaded(view));
  QCOMPARE(view.stats().tiles_loaded, loaded);
  QVERIFY(counted->reads.load() <= reads + 2);
}

void TestUiHic::figure_is_svg_with_text() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.show();
  view.set_maps(gc::hic::open_resolutions(m_mcool.toStdString()));
  view.set_locus(gc::genome::parse_region("chrA:1-2,000,000"));
  QVERIFY(wait_loaded(view));
  QByteArray svg;
  QBuffer buffer(&svg);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator gen;
  gen.setOutputDevice(&buffer);
  gen.setSize(QSize(680, 480));
  gen.setViewBox(QRectF(0, 0, 680, 480));
  gen.setResolution(96);
  {
    QPainter p(&gen);
    view.render_figure(p, QRectF(0, 0, 680, 480));
  }
  const QString text = QString::fromUtf8(svg);
  // Axis ticks, chromosome names, title parts and the colour bar caption as text elements.
  QVERIFY(text.contains("<text"));
  QVERIFY(text.contains(QRegularExpression(">\\s*1\\.0 Mb\\s*</text>")));
  QVERIFY(text.contains(QRegularExpression(">\\s*chrA\\s*</text>")));
  QVERIFY(text.contains("test.mcool"));
  QVERIFY(text.contains("file weights"));
  // The heatmap is one embedded image at the data resolution.
  QCOMPARE(text.count("<image"), 1);
  QImage png(680, 480, QImage::Format_ARGB32);
  png.fill(Qt::white);
  {
    QPainter p(&png);
    view.render_figure(p, QRectF(0, 0, 680, 480));
  }
  QVERIFY(coloured_pixels(png, png.rect()) > 20'000);
}

void TestUiHic::session_round_trip() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  view.resize(700, 760);
  view.set_maps(gc::hic::open_resolutions(m_mcool.toStdString()));
  view.set_locus(gc::genome::parse_region("chrA:100,001-600,000"));
  view.set_normalisation("vc");
  view.set_colormap("viridis");
  view.set_range(0.5, 40);
  view.set_crosshair("chrA", 300'000);
  const auto state = view.save_state();
  QCOMPARE(state["normalisation"].toString(), QString("vc"));
  QCOMPARE(state["locus"].toString(), QString("chrA:100001-600000"));
  HicMapView other(&tasks);
  other.resize(700, 760);
  QSignalSpy loaded(&other, &HicMapView::map_loaded);
  other.restore_state(state);
  QVERIFY(loaded.wait(20000));
  QTRY_COMPARE(other.normalisation(), QString("vc"));
  QCOMPARE(other.locus().start, std::int64_t{100'000});
  QCOMPARE(other.locus().end, std::int64_t{600'000});
  const auto again = other.save_state();
  QCOMPARE(again["colormap"].toString(), QString("viridis"));
  QCOMPARE(again["auto_range"].toBool(), false);
  QCOMPARE(again["max"].toDouble(), 40.0);
  QCOMPARE(again["crosshair"].toArray().at(1).toDouble(), 300'000.0);
  QVERIFY(wait_loaded(other));
}

void TestUiHic::unknown_inputs_report_errors() {
  TaskRunner tasks;
  HicMapView view(&tasks);
  QSignalSpy errors(&view, &HicMapView::error_occurred);
  view.open(m_dir.filePath("missing.mcool"));
  QVERIFY(errors.wait(10000));
  QVERIFY(errors.back().front().toString().contains("missing.mcool"));
  view.set_maps(gc::hic::open_resolutions(m_mcool.toStdString()));
  view.set_locus(gc::genome::parse_region("chrZ:1-100"));
  QVERIFY(errors.back().front().toString().contains("chrZ"));
  view.set_normalisation("zscore");
  QVERIFY(errors.back().front().toString().contains("zscore"));
  QCOMPARE(view.normalisation(), QString("file"));
  // "A" resolves to "chrA" (prefix added).
  view.set_locus(gc::genome::parse_region("A:1-100,000"));
  QCOMPARE(view.locus().chrom, std::string("chrA"));
}

void TestUiHic::chromatin_structure_and_figure() {
  TaskRunner tasks;
  ChromatinView view(&tasks);
  view.resize(640, 600);
  view.show();
  QSignalSpy ready(&view, &ChromatinView::structure_ready);
  view.set_maps(gc::hic::open_resolutions(m_mcool.toStdString()));
  QVERIFY(ready.wait(60000));
  QCOMPARE(view.chromosome(), QString("chrA"));
  // chrA has 1000 bins at 2 kb (over the limit), 200 at 10 kb.
  QCOMPARE(view.resolution(), std::int64_t{10'000});
  const auto& xyz = view.structure();
  QCOMPARE(xyz.rows(), Eigen::Index{200});
  int finite = 0;
  double consecutive = 0, all = 0;
  int nc = 0, na = 0;
  for (Eigen::Index i = 0; i < xyz.rows(); ++i) {
    if (!xyz.row(i).allFinite()) continue;
    ++finite;
    if (i + 1 < xyz.rows() && xyz.row(i + 1).allFinite()) {
      consecutive += (xyz.row(i) - xyz.row(i + 1)).norm();
      ++nc;
    }
    for (Eigen::Index j = i + 1; j < xyz.rows(); j += 7)
      if (xyz.row(j).allFinite()) {
        all += (xyz.row(i) - xyz.row(j)).norm();
        ++na;
      }
  }
  QVERIFY(finite > 190);
  // Neighbouring bins sit much closer than random pairs.
  QVERIFY(consecutive / nc < 0.5 * all / na);
  view.set_highlight(gc::genome::parse_region("chrA:500,001-700,000"));
  view.set_colour_by("track");
  view.set_track(std::vector<double>(200, 1.0), "signal");
  QSignalSpy errors(&view, &ChromatinView::error_occurred);
  view.set_colour_by("nonsense");
  QCOMPARE(errors.size(), 1);
  QImage image(640, 480, QImage::Format_ARGB32);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    view.render_figure(p, QRectF(0, 0, 640, 480));
  }
  // The tube (viridis and the red locus) is drawn.
  QVERIFY(coloured_pixels(image, image.rect()) > 2000);
  view.set_chromosome("chrB");
  QVERIFY(ready.wait(60000));
  // chrB: 500 bins at 2 kb, within the limit.
  QCOMPARE(view.resolution(), std::int64_t{2000});
  QCOMPARE(view.structure().rows(), Eigen::Index{500});
  const auto state = view.save_state();
  QCOMPARE(state["chromosome"].toString(), QString("chrB"));
}

int main(int argc, char** argv) {
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication app(argc, argv);
  qRegisterMetaType<gc::genome::Region>();
  TestUiHic test;
  return gc::test::qexec(&test, argc, argv);
}

#include "test_ui_hic.moc"
