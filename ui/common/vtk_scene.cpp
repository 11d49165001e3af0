#include "gc/ui/common/vtk_scene.h"

#include "gc/util/error.h"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkDoubleArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkTubeFilter.h>

#include <algorithm>
#include <cmath>

namespace gc::ui {
namespace {

// Viridis at 9 stops, interpolated: perceptually uniform and readable in greyscale print.
vtkSmartPointer<vtkLookupTable> viridis(double lo, double hi) {
  static const double stops[9][3] = {{0.267, 0.005, 0.329}, {0.278, 0.175, 0.483}, {0.229, 0.322, 0.546},
                                     {0.173, 0.449, 0.558}, {0.128, 0.567, 0.551}, {0.153, 0.680, 0.504},
                                     {0.369, 0.789, 0.383}, {0.678, 0.864, 0.190}, {0.993, 0.906, 0.144}};
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  const int n = 256;
  lut->SetNumberOfTableValues(n);
  for (int i = 0; i < n; ++i) {
    const double t = 8.0 * i / (n - 1);
    const int k = std::min(7, static_cast<int>(t));
    const double f = t - k;
    lut->SetTableValue(i, stops[k][0] + f * (stops[k + 1][0] - stops[k][0]),
                       stops[k][1] + f * (stops[k + 1][1] - stops[k][1]),
                       stops[k][2] + f * (stops[k + 1][2] - stops[k][2]), 1.0);
  }
  lut->SetTableRange(lo, hi < lo + 1e-12 ? lo + 1.0 : hi);
  lut->Build();
  return lut;
}

vtkSmartPointer<vtkActor> tube_actor(const std::vector<std::array<double, 3>>& pts, std::size_t first,
                                     std::size_t last, const std::vector<double>* scalars, double radius) {
  auto points = vtkSmartPointer<vtkPoints>::New();
  auto line = vtkSmartPointer<vtkCellArray>::New();
  line->InsertNextCell(static_cast<vtkIdType>(last - first));
  for (std::size_t i = first; i < last; ++i) {
    line->InsertCellPoint(points->InsertNextPoint(pts[i].data()));
  }
  auto poly = vtkSmartPointer<vtkPolyData>::New();
  poly->SetPoints(points);
  poly->SetLines(line);
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  if (scalars) {
    auto values = vtkSmartPointer<vtkDoubleArray>::New();
    values->SetName("value");
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = first; i < last; ++i) {
      values->InsertNextValue((*scalars)[i]);
      if (std::isfinite((*scalars)[i])) {
        lo = std::min(lo, (*scalars)[i]);
        hi = std::max(hi, (*scalars)[i]);
      }
    }
    poly->GetPointData()->SetScalars(values);
    mapper->SetLookupTable(viridis(std::isfinite(lo) ? lo : 0.0, std::isfinite(hi) ? hi : 1.0));
    mapper->SetScalarRange(std::isfinite(lo) ? lo : 0.0, std::isfinite(hi) ? hi : 1.0);
    mapper->ScalarVisibilityOn();
  } else {
    mapper->ScalarVisibilityOff();
  }
  auto tube = vtkSmartPointer<vtkTubeFilter>::New();
  tube->SetInputData(poly);
  tube->SetRadius(radius);
  tube->SetNumberOfSides(16);
  tube->CappingOn();
  mapper->SetInputConnection(tube->GetOutputPort());
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetSpecular(0.3);
  actor->GetProperty()->SetSpecularPower(20);
  return actor;
}

} // namespace

QSurfaceFormat vtk_surface_format() {
  QSurfaceFormat fmt;
  fmt.setRenderableType(QSurfaceFormat::OpenGL);
  fmt.setVersion(3, 2);
  fmt.setProfile(QSurfaceFormat::CoreProfile);
  fmt.setDepthBufferSize(24);
  fmt.setStencilBufferSize(8);
  fmt.setSamples(0);
  return fmt;
}

std::vector<vtkSmartPointer<vtkActor>> tube_actors(const std::vector<std::array<double, 3>>& points,
                                                   const std::vector<double>& scalars,
                                                   std::size_t highlight_first, std::size_t highlight_last) {
  std::vector<vtkSmartPointer<vtkActor>> actors;
  if (points.size() < 2) return actors;
  double extent = 0;
  for (int d = 0; d < 3; ++d) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& p : points) {
      lo = std::min(lo, p[d]);
      hi = std::max(hi, p[d]);
    }
    extent = std::max(extent, hi - lo);
  }
  const double radius = std::max(extent, 1e-9) / 150.0;
  const bool use_scalars = scalars.size() == points.size();
  actors.push_back(tube_actor(points, 0, points.size(), use_scalars ? &scalars : nullptr, radius));
  highlight_last = std::min(highlight_last, points.size());
  if (highlight_first + 1 < highlight_last) {
    auto hl = tube_actor(points, highlight_first, highlight_last, nullptr, radius * 1.8);
    hl->GetProperty()->SetColor(0.84, 0.15, 0.16);
    actors.push_back(hl);
  }
  return actors;
}

QImage render_offscreen(const std::vector<vtkSmartPointer<vtkActor>>& actors, const QSize& size) {
  const auto no_gl = [](const std::string& what) {
    return gc::Error("cannot render the 3D scene: " + what +
                     " (the 3D view needs OpenGL, which needs a display: run under xvfb-run)");
  };
  QOpenGLContext context;
  context.setFormat(vtk_surface_format());
  if (!context.create()) throw no_gl("no OpenGL context");
  QOffscreenSurface surface;
  surface.setFormat(context.format());
  surface.create();
  if (!surface.isValid()) throw no_gl("no offscreen surface");
  if (!context.makeCurrent(&surface)) throw no_gl("the OpenGL context cannot be made current");
  QImage image;
  {
    QOpenGLFramebufferObjectFormat format;
    format.setAttachment(QOpenGLFramebufferObject::CombinedDepthStencil);
    QOpenGLFramebufferObject fbo(size, format);
    fbo.bind();
    auto renderer = vtkSmartPointer<vtkRenderer>::New();
    renderer->SetBackground(1.0, 1.0, 1.0);
    for (const auto& a : actors)
      renderer->AddActor(a);
    auto window = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
    window->AddRenderer(renderer);
    window->SetMultiSamples(0);
    // As in VtkView: VTK draws on Qt's current context and blits into the bound framebuffer.
    window->SetOwnContext(false);
    window->SetIsCurrent(true);
    window->SetFrameBlitModeToBlitToCurrent();
    window->InitializeFromCurrentContext();
    window->SetSize(size.width(), size.height());
    renderer->ResetCamera();
    window->SetReadyForRendering(true);
    window->Render();
    context.functions()->glFinish();
    image = fbo.toImage();
    window->Finalize();
    fbo.release();
  }
  context.doneCurrent();
  return image;
}

} // namespace gc::ui
