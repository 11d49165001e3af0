#include "gc/ui/common/vtk_view.h"

#include "gc/ui/common/vtk_scene.h"

#include <QMouseEvent>
#include <QWheelEvent>

#include <vtkActor.h>
#include <vtkCallbackCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkRenderer.h>

namespace gc::ui {

QSurfaceFormat VtkView::surface_format() { return vtk_surface_format(); }

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
  m_actors = tube_actors(points, scalars, highlight_first, highlight_last);
  for (auto& a : m_actors)
    m_renderer->AddActor(a);
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
