// Screenshots for the docs (not a test): renders the Hi-C view or the 3D view of a contact file
// to a PNG under Xvfb.
//   shot_ui_hic hic URI OUT.png [REGION [REGION_Y]] [--norm NAME] [--size WxH] [--crosshair CHR:POS]
//   shot_ui_hic 3d URI OUT.png CHROM [HIGHLIGHT]
#include "gc/hic/resolutions.h"
#include "gc/ui/chromatin/chromatin_view.h"
#include "gc/ui/common/vtk_view.h"
#include "gc/ui/hic/hic_map_view.h"
#include "gc/ui/task_runner.h"

#include <QApplication>
#include <QPainter>
#include <QSurfaceFormat>
#include <QTest>

#include <iostream>

int main(int argc, char** argv) {
  QSurfaceFormat::setDefaultFormat(gc::ui::VtkView::surface_format());
  QApplication app(argc, argv);
  QStringList args = app.arguments();
  QString norm, size = "900x940", crosshair;
  for (int i = 1; i + 1 < args.size();) {
    if (args[i] == "--norm" || args[i] == "--size" || args[i] == "--crosshair") {
      (args[i] == "--norm" ? norm : args[i] == "--size" ? size : crosshair) = args[i + 1];
      args.remove(i, 2);
    } else {
      ++i;
    }
  }
  if (args.size() < 4) {
    std::cerr << "usage: shot_ui_hic hic|3d URI OUT.png [REGION [REGION_Y]] [--norm NAME] [--size WxH]\n";
    return 2;
  }
  const QSize wh(size.section('x', 0, 0).toInt(), size.section('x', 1, 1).toInt());
  int status = 0;
  gc::ui::TaskRunner tasks;
  const auto fail = [&](const QString& m) {
    std::cerr << m.toStdString() << "\n";
    status = 1;
  };
  if (args[1] == "hic") {
    gc::ui::HicMapView view(&tasks);
    QObject::connect(&view, &gc::ui::HicMapView::error_occurred, fail);
    view.resize(wh);
    view.show();
    view.set_maps(gc::hic::open_resolutions(args[2].toStdString()));
    if (!norm.isEmpty()) view.set_normalisation(norm);
    if (args.size() > 4)
      view.set_locus(gc::genome::parse_region(args[4].toStdString()),
                     args.size() > 5 ? std::optional(gc::genome::parse_region(args[5].toStdString()))
                                     : std::nullopt);
    if (!crosshair.isEmpty())
      view.set_crosshair(crosshair.section(':', 0, 0), crosshair.section(':', 1, 1).toLongLong());
    int quiet = 0;
    for (int i = 0; i < 3000 && quiet < 10; ++i) {
      QTest::qWait(20);
      quiet = view.loading() ? 0 : quiet + 1;
    }
    // Hover inside the map so the read-out line shows.
    const QRectF m = view.heatmap_rect();
    const QPointF c(m.left() + 0.62 * m.width(), m.top() + 0.45 * m.height());
    QTest::mouseMove(&view, c.toPoint());
    QTest::qWait(50);
    view.grab().save(args[3]);
    // The publication figure of the same state, 180 mm wide at 0.6 aspect, 96 DPI.
    QImage figure(680, 408, QImage::Format_ARGB32);
    figure.fill(Qt::white);
    {
      QPainter p(&figure);
      p.setRenderHint(QPainter::Antialiasing);
      view.render_figure(p, QRectF(0, 0, 680, 408));
    }
    figure.save(QString(args[3]).replace(".png", "-figure.png"));
    std::cerr << "resolution " << view.resolution() << " hover: " << view.describe_at(c).toStdString()
              << "\n";
  } else {
    gc::ui::ChromatinView view(&tasks);
    QObject::connect(&view, &gc::ui::ChromatinView::error_occurred, fail);
    view.resize(wh);
    view.show();
    view.set_maps(gc::hic::open_resolutions(args[2].toStdString()));
    if (args.size() > 4) view.set_chromosome(args[4]);
    if (args.size() > 5) view.set_highlight(gc::genome::parse_region(args[5].toStdString()));
    for (int i = 0; i < 6000 && (view.computing() || view.structure().rows() == 0); ++i)
      QTest::qWait(20);
    QTest::qWait(300);
    view.grab().save(args[3]);
  }
  return status;
}
