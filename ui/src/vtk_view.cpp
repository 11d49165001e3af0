#include "gc/ui/vtk_view.h"

#include <QMouseEvent>
#include <QWheelEvent>

#include <vtkActor.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkDoubleArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
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

QSurfaceFormat VtkView::surface_format() {
  QSurfaceFormat fmt;
  fmt.setRenderableType(QSurfaceFormat::OpenGL);
  fmt.setVersion(3, 2);
  fmt.setProfile(QSurfaceFormat::CoreProfile);
  fmt.setDepthBufferSize(24);
  fmt.setStencilBufferSize(8);
  fmt.setSamples(0);
  return fmt;
}

VtkView::VtkView(QWidget* parent)
    : QOpenGLWidget(parent), m_window(vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New()),
      m_interactor(vtkSmartPointer<vtkGenericRenderWindowInteractor>::New()),
      m_renderer(vtkSmartPointer<vtkRenderer>::New()) {
  setFormat(surface_format());
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(false);
  setMinimumSize(160, 120);
  m_renderer->SetBackground(1.0, 1.0, 1.0);
  m_renderer->GradientBackgroundOff();
  m_window->AddRenderer(m_renderer);
  m_window->SetMultiSamples(0);
  m_interactor->SetRenderWindow(m_window);
  auto style = vtkSmartPointer<vtkInteractorStyleTrackballCamera>::New();
  m_interactor->SetInteractorStyle(style);
  // VTK must not render on its own: renders go through Qt's paint cycle on Qt's context.
  m_interactor->EnableRenderOff();
  auto cb = vtkSmartPointer<vtkCallbackCommand>::New();
  cb->SetClientData(this);
  cb->SetCallback(
      [](vtkObject*, unsigned long, void* self, void*) { static_cast<VtkView*>(self)->update(); });
  m_interactor->AddObserver(vtkCommand::RenderEvent, cb);
}

VtkView::~VtkView() {
  // Release VTK's GL resources while Qt's context still exists.
  makeCurrent();
  m_window->Finalize();
  doneCurrent();
}

vtkRenderer* VtkView::renderer() const { return m_renderer; }
vtkGenericOpenGLRenderWindow* VtkView::render_window() const { return m_window; }

void VtkView::initializeGL() {
  m_window->SetOwnContext(false);
  m_window->SetIsCurrent(true);
  m_window->SetFrameBlitModeToBlitToCurrent();
  m_window->InitializeFromCurrentContext();
  m_window->SetReadyForRendering(false);
  m_interactor->Initialize();
}

void VtkView::resizeGL(int w, int h) {
  const double dpr = devicePixelRatioF();
  m_window->SetSize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
  m_interactor->SetSize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
}

void VtkView::paintGL() {
  if (m_camera_pending) {
    m_renderer->ResetCamera();
    m_camera_pending = false;
  }
  m_window->SetReadyForRendering(true);
  m_window->SetIsCurrent(true);
  m_window->Render();
  m_window->SetReadyForRendering(false);
}

void VtkView::set_tube(const std::vector<std::array<double, 3>>& points, const std::vector<double>& scalars,
                       std::size_t highlight_first, std::size_t highlight_last) {
  for (auto& a : m_actors)
    m_renderer->RemoveActor(a);
  m_actors.clear();
  if (points.size() >= 2) {
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
    m_actors.push_back(tube_actor(points, 0, points.size(), use_scalars ? &scalars : nullptr, radius));
    highlight_last = std::min(highlight_last, points.size());
    if (highlight_first + 1 < highlight_last) {
      auto hl = tube_actor(points, highlight_first, highlight_last, nullptr, radius * 1.8);
      hl->GetProperty()->SetColor(0.84, 0.15, 0.16);
      m_actors.push_back(hl);
    }
    for (auto& a : m_actors)
      m_renderer->AddActor(a);
  }
  m_camera_pending = true;
  update();
}

void VtkView::reset_camera() {
  m_camera_pending = true;
  update();
}

void VtkView::request_render() { update(); }

void VtkView::set_event_position(const QPointF& pos, Qt::KeyboardModifiers mods) {
  const double dpr = devicePixelRatioF();
  m_interactor->SetEventInformationFlipY(static_cast<int>(pos.x() * dpr), static_cast<int>(pos.y() * dpr),
                                         (mods & Qt::ControlModifier) ? 1 : 0,
                                         (mods & Qt::ShiftModifier) ? 1 : 0);
}

void VtkView::mousePressEvent(QMouseEvent* e) {
  set_event_position(e->position(), e->modifiers());
  switch (e->button()) {
  case Qt::LeftButton: m_interactor->InvokeEvent(vtkCommand::LeftButtonPressEvent, e); break;
  case Qt::MiddleButton: m_interactor->InvokeEvent(vtkCommand::MiddleButtonPressEvent, e); break;
  case Qt::RightButton: m_interactor->InvokeEvent(vtkCommand::RightButtonPressEvent, e); break;
  default: break;
  }
  update();
}

void VtkView::mouseReleaseEvent(QMouseEvent* e) {
  set_event_position(e->position(), e->modifiers());
  switch (e->button()) {
  case Qt::LeftButton: m_interactor->InvokeEvent(vtkCommand::LeftButtonReleaseEvent, e); break;
  case Qt::MiddleButton: m_interactor->InvokeEvent(vtkCommand::MiddleButtonReleaseEvent, e); break;
  case Qt::RightButton: m_interactor->InvokeEvent(vtkCommand::RightButtonReleaseEvent, e); break;
  default: break;
  }
  update();
}

void VtkView::mouseMoveEvent(QMouseEvent* e) {
  set_event_position(e->position(), e->modifiers());
  m_interactor->InvokeEvent(vtkCommand::MouseMoveEvent, e);
  update();
}

void VtkView::wheelEvent(QWheelEvent* e) {
  set_event_position(e->position(), e->modifiers());
  if (e->angleDelta().y() > 0)
    m_interactor->InvokeEvent(vtkCommand::MouseWheelForwardEvent, e);
  else if (e->angleDelta().y() < 0)
    m_interactor->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, e);
  update();
}

void VtkView::keyPressEvent(QKeyEvent* e) {
  if (e->key() == Qt::Key_R) {
    reset_camera();
    return;
  }
  QOpenGLWidget::keyPressEvent(e);
}

} // namespace gc::ui
