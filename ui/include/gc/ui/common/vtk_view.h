#pragma once
// VTK inside Qt 6: Debian's VTK Qt module is built for Qt 5, so this QOpenGLWidget drives a
// vtkGenericOpenGLRenderWindow on Qt's context (DESIGN §3) and forwards mouse and keys to a
// vtkGenericRenderWindowInteractor with a trackball camera (rotate, zoom, pan).
#include <QOpenGLWidget>
#include <QSurfaceFormat>

#include <vtkNew.h>
#include <vtkSmartPointer.h>

#include <array>
#include <vector>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkRenderer;
class vtkActor;

namespace gc::ui {

class VtkView : public QOpenGLWidget {
  Q_OBJECT
public:
  explicit VtkView(QWidget* parent = nullptr);
  ~VtkView() override;

  // The surface format VTK needs (OpenGL 3.2 core); set as default before QApplication exists.
  [[nodiscard]] static QSurfaceFormat surface_format();

  [[nodiscard]] vtkRenderer* renderer() const;
  [[nodiscard]] vtkGenericOpenGLRenderWindow* render_window() const;

  // Shows a polyline as a tube coloured by `scalars` (viridis); an empty list clears the scene.
  // Points [first, last) are drawn thicker and in red (the selected locus) when first < last.
  void set_tube(const std::vector<std::array<double, 3>>& points, const std::vector<double>& scalars,
                std::size_t highlight_first = 0, std::size_t highlight_last = 0);
  void reset_camera();
  // Schedules a VTK render through Qt's paint cycle.
  void request_render();

protected:
  void initializeGL() override;
  void paintGL() override;
  void resizeGL(int w, int h) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;

private:
  void set_event_position(const QPointF& pos, Qt::KeyboardModifiers mods);

  vtkSmartPointer<vtkGenericOpenGLRenderWindow> m_window;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> m_interactor;
  vtkSmartPointer<vtkRenderer> m_renderer;
  std::vector<vtkSmartPointer<vtkActor>> m_actors;
  bool m_camera_pending = true;
};

} // namespace gc::ui
