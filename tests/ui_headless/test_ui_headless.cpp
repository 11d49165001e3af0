// Figures of the browser, the Hi-C map and the 3D view rendered from saved view states with no
// MainWindow and no widget: a QGuiApplication on the offscreen platform (unless the caller picks
// another), the demo world's "small" preset, PNG pixels checked where the renderers draw, and SVG
// text for the labels.
#include "gc/simulate/world.h"
#include "gc/ui/common/headless_figure.h"
#include "gc/ui/hic/hic_renderer.h"
#include "gc/ui/hic/hic_state.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"
#include "gc/util/temp_dir.h"

#include "gc_qtest_main.h"

#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QOpenGLContext>
#include <QRegularExpression>
#include <QtTest>

#include <memory>

namespace {

// Pixels in `area` within `tolerance` of `c` (sum of channel differences).
int count_colour(const QImage& img, const QRect& area, QColor c, int tolerance = 30) {
  int n = 0;
  const QRect r = area.intersected(img.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) {
      const QColor p = img.pixelColor(x, y);
      if (std::abs(p.red() - c.red()) + std::abs(p.green() - c.green()) + std::abs(p.blue() - c.blue()) <
          tolerance)
        ++n;
    }
  return n;
}

// Pixels that carry colour (not white, grey or black).
int coloured(const QImage& img, const QRect& area) {
  int n = 0;
  const QRect r = area.intersected(img.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) {
      const QColor c = img.pixelColor(x, y);
      if (std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 40) ++n;
    }
  return n;
}

QString read_text(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestUiHeadless : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void runs_without_widgets();
  void browser_figure_from_state();
  void browser_figure_shows_bases();
  void hic_figure_from_state();
  void chromatin_figure_needs_opengl();
  void bad_states_are_input_errors();

private:
  [[nodiscard]] QString out(const QString& name) const {
    return QString::fromStdString((m_dir->path() / name.toStdString()).string());
  }
  std::unique_ptr<gc::TempDir> m_dir;
  gc::simulate::World m_world;
  gc::ui::HeadlessData m_data;
  QString m_gene;        // a gene's name
  QString m_gene_window; // 20 kb around it
};

void TestUiHeadless::initTestCase() {
  m_dir = std::make_unique<gc::TempDir>("gc-ui-headless");
  m_world = gc::simulate::generate(gc::simulate::WorldSpec::preset_named("small"));
  const auto world_dir = m_dir->path() / "world";
  (void)gc::simulate::write_world(m_world, world_dir);
  QStringList files;
  for (const char* f : {"genome.fa.gz", "genes.gtf", "regulatory_elements.bed", "compartments.bedgraph",
                        "variants.vcf.gz", "hic.mcool"})
    files << QString::fromStdString((world_dir / f).string());
  m_data = gc::ui::load_headless_data(files);
  QCOMPARE(m_data.datasets.size(), std::size_t{6});
  QCOMPARE(m_data.reference.size(), std::size_t{3}); // chr1-chr3 of the genome
  QVERIFY(m_data.hic || !m_data.hic_uri.isEmpty());
  // The gene with the most variants within 10 kb either side, so the window shows both.
  std::size_t best = 0, best_sites = 0;
  for (std::size_t g = 0; g < m_world.genome.genes.size(); ++g) {
    const auto& gene = m_world.genome.genes[g];
    const auto& chrom = m_world.genome.chrom_names[static_cast<std::size_t>(gene.chrom)];
    std::size_t sites = 0;
    for (const auto& s : m_world.variants.table.sites)
      sites += s.chrom == chrom && s.pos >= gene.start - 10'000 && s.pos < gene.end + 10'000;
    if (sites > best_sites) {
      best = g;
      best_sites = sites;
    }
  }
  QVERIFY(best_sites > 0);
  const auto& gene = m_world.genome.genes[best];
  m_gene = QString::fromStdString(gene.name);
  m_gene_window =
      QString("%1:%2-%3")
          .arg(QString::fromStdString(m_world.genome.chrom_names[static_cast<std::size_t>(gene.chrom)]))
          .arg(std::max<std::int64_t>(1, gene.start - 10'000 + 1))
          .arg(std::min<std::int64_t>(200'000, gene.end + 10'000));
}

void TestUiHeadless::runs_without_widgets() {
  // A QApplication would make a widget possible; this test has only the GUI-less application.
  QVERIFY(qobject_cast<QGuiApplication*>(QCoreApplication::instance()));
  QVERIFY(!QCoreApplication::instance()->inherits("QApplication"));
  QCOMPARE(gc::ui::headless_views(), (QStringList{"browser", "hic", "3d", "graph", "whatif"}));
}

void TestUiHeadless::browser_figure_from_state() {
  // Variants above genes, as a saved track order says.
  const QJsonObject state{{"locus", m_gene_window},
                          {"track_order", QJsonArray{"variants.vcf.gz", "genes.gtf"}}};
  const QString png = out("browser.png");
  gc::ui::render_headless_figure("browser", state, m_data, png, {.dpi = 96, .width_mm = 180.0});
  const QImage img(png);
  QCOMPARE(img.size(), QSize(680, 408)); // 180 mm x 108 mm at 96 dpi
  // Below the header (22), ruler (30) and sequence row (20): variants (54 px), then genes.
  const int data_left = 118, data_right = 670;
  const QRect variants(data_left, 72, data_right - data_left, 54);
  const QRect genes(data_left, 126, data_right - data_left, 40);
  QVERIFY(count_colour(img, variants, QColor(170, 40, 110)) > 20);
  QVERIFY(count_colour(img, genes, QColor(20, 60, 140)) > 50);
  QCOMPARE(count_colour(img, variants, QColor(20, 60, 140), 10), 0);
  QCOMPARE(count_colour(img, genes, QColor(170, 40, 110), 10), 0);
  // The gutter and the header carry text.
  QVERIFY(count_colour(img, QRect(0, 0, 680, 22), QColor(0, 0, 0), 200) > 30);
  const QString svg_path = out("browser.svg");
  gc::ui::render_headless_figure("browser", state, m_data, svg_path, {});
  const QString svg = read_text(svg_path);
  QVERIFY(svg.contains("<svg") && svg.trimmed().endsWith("</svg>"));
  QVERIFY(svg.count("<text") > 10);
  QVERIFY2(svg.contains(QRegularExpression(">\\s*" + QRegularExpression::escape(m_gene) + "\\s*</text>")),
           qPrintable(m_gene));
  QVERIFY(svg.contains(QRegularExpression(">\\s*\\d+ kb\\s*</text>"))); // ruler labels
  QVERIFY(svg.contains(QRegularExpression(">\\s*chr\\d\\s*</text>")));
  QVERIFY(!svg.contains("<image")); // vectors, no bitmap
}

void TestUiHeadless::browser_figure_shows_bases() {
  // 200 bp over ~550 px: coloured bases, read synchronously for the figure.
  const QJsonObject state{{"locus", "chr2:50001-50200"}};
  const QString png = out("bases.png");
  gc::ui::render_headless_figure("browser", state, m_data, png, {.dpi = 96, .width_mm = 180.0});
  const QImage img(png);
  const QRect sequence(118, 52, 552, 20);
  int bases = 0;
  for (const QColor c : {QColor(0, 150, 0), QColor(0, 0, 200), QColor(209, 113, 5), QColor(212, 0, 0)})
    bases += count_colour(img, sequence, c, 10) > 0;
  QCOMPARE(bases, 4); // A, C, G and T
  QVERIFY(coloured(img, sequence) > 552 * 8);
}

void TestUiHeadless::hic_figure_from_state() {
  using namespace gc::ui::hic_view;
  const QJsonObject state{{"locus", "chr1:1-200000"},
                          {"locus_y", "chr1:1-200000"},
                          {"normalisation", "file"},
                          {"colormap", "fall"},
                          {"log", true},
                          {"auto_range", true}};
  const QString png = out("hic.png");
  const gc::ui::FigureOptions options{.dpi = 192, .width_mm = 180.0};
  gc::ui::render_headless_figure("hic", state, m_data, png, options);
  const QImage img(png);
  QCOMPARE(img.size(), QSize(1361, 816));
  // Where the renderer puts the heatmap in this figure, in pixels.
  HicState st;
  st.chrom_x = st.chrom_y = 0;
  st.sx = st.sy = {0, 200'000};
  const QSizeF logical = gc::ui::figure_logical_size(options);
  const auto layout = hic_layout(QRectF(QPointF(0, 0), logical), st, true, true);
  const double scale = img.width() / logical.width();
  const QRect map =
      QRectF(layout.map.topLeft() * scale, layout.map.size() * scale).toRect().adjusted(3, 3, -3, -3);
  QVERIFY(map.width() > 300);
  const int heat = coloured(img, map);
  QVERIFY2(heat > map.width() * map.height() / 3, qPrintable(QString::number(heat)));
  // Nothing coloured left of the axis labels, in the title row or under the track.
  QCOMPARE(coloured(img, QRect(0, map.top(), 20, map.height())), 0);
  const QRect bar = QRectF(layout.colorbar.topLeft() * scale, layout.colorbar.size() * scale).toRect();
  QVERIFY(coloured(img, bar.adjusted(2, 2, -2, -2)) > bar.width() * bar.height() / 4); // the colour bar
  // The insulation track under the map draws its line.
  const QRect track = QRectF(layout.track.topLeft() * scale, layout.track.size() * scale).toRect();
  QVERIFY(count_colour(img, track.adjusted(2, 2, -2, -2), QColor(40, 40, 40), 60) > 20);

  const QString svg_path = out("hic.svg");
  gc::ui::render_headless_figure("hic", state, m_data, svg_path, {});
  const QString svg = read_text(svg_path);
  QVERIFY(svg.count("<text") > 10);
  QVERIFY(svg.contains(QRegularExpression(">\\s*100 kb\\s*</text>"))); // axis ticks
  QVERIFY(svg.contains(QRegularExpression(">\\s*chr1\\s*</text>")));   // axis titles
  QVERIFY(svg.contains("hic.mcool"));                                  // the title
  QVERIFY(svg.contains("file weights"));                               // the colour bar caption
  QCOMPARE(svg.count("<image"), 1); // the heatmap is one image at the data resolution

  // Observed / expected, and a trans pair, render too.
  gc::ui::render_headless_figure("hic", QJsonObject{{"locus", "chr2"}, {"normalisation", "oe"}}, m_data,
                                 out("oe.png"), {.dpi = 96});
  const QImage oe(out("oe.png"));
  QVERIFY(coloured(oe, oe.rect()) > 5000);
  gc::ui::render_headless_figure("hic", QJsonObject{{"locus", "chr1"}, {"locus_y", "chr3"}}, m_data,
                                 out("trans.svg"), {});
  QVERIFY(read_text(out("trans.svg")).contains(QRegularExpression(">\\s*chr3\\s*</text>")));
}

void TestUiHeadless::chromatin_figure_needs_opengl() {
  const QJsonObject state{{"chromosome", "chr2"}, {"highlight", "chr2:50001-100000"}};
  QOpenGLContext probe;
  if (!probe.create()) {
    // The offscreen platform has no OpenGL: the 3D figure says what it needs.
    try {
      gc::ui::render_headless_figure("3d", state, m_data, out("3d.png"), {.dpi = 96});
      QFAIL("the 3D figure rendered without an OpenGL context");
    } catch (const gc::Error& e) {
      QVERIFY2(QString(e.what()).contains("needs OpenGL"), e.what());
    }
    QVERIFY(!QFile::exists(out("3d.png")));
    return;
  }
  // A platform with OpenGL (a display or Xvfb): the tube in viridis and the locus in red.
  gc::ui::render_headless_figure("3d", state, m_data, out("3d.png"), {.dpi = 96});
  const QImage img(out("3d.png"));
  QVERIFY(coloured(img, img.rect()) > 2000);
  QVERIFY(count_colour(img, img.rect(), QColor(214, 38, 41), 120) > 20);
  const QString svg_path = out("3d.svg");
  gc::ui::render_headless_figure("3d", state, m_data, svg_path, {});
  QVERIFY(read_text(svg_path).contains("chr2 3D structure"));
}

void TestUiHeadless::bad_states_are_input_errors() {
  QVERIFY_THROWS_EXCEPTION(gc::InputError,
                           gc::ui::render_headless_figure("graph", {}, m_data, out("x.png"), {}));
  QVERIFY_THROWS_EXCEPTION(
      gc::InputError,
      gc::ui::render_headless_figure("hic", QJsonObject{{"locus", "chrZ:1-100"}}, m_data, out("x.png"), {}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError,
                           gc::ui::render_headless_figure("browser", QJsonObject{{"locus", "chrQ:1-100"}},
                                                          m_data, out("x.png"), {}));
  QVERIFY_THROWS_EXCEPTION(gc::InputError,
                           gc::ui::render_headless_figure("browser", QJsonObject{{"locus", m_gene_window}},
                                                          m_data, out("x.gif"), {}));
  QVERIFY(!QFile::exists(out("x.png")));
  QVERIFY(!QFile::exists(out("x.gif")));
}

int main(int argc, char** argv) {
  // As the CLI runs without a display; QT_QPA_PLATFORM=xcb (under Xvfb) checks the 3D figure.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  TestUiHeadless t;
  return gc::test::qexec(&t, argc, argv);
}

#include "test_ui_headless.moc"
