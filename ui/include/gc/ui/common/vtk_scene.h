#pragma once
// The VTK scenes the views draw, shared by the on-screen VtkView and offscreen figures: a tube
// through a polyline coloured by viridis, with a highlighted stretch in red. Offscreen rendering
// runs VTK's generic render window on a Qt OpenGL context (QOffscreenSurface + framebuffer
// object), since Debian's VTK has neither OSMesa nor EGL: it needs an X display (Xvfb will do),
// with the xcb platform or the offscreen one (which reaches OpenGL through GLX when DISPLAY is set).
#include <QImage>
#include <QSize>
#include <QSurfaceFormat>

#include <vtkSmartPointer.h>

#include <array>
#include <cstddef>
#include <vector>

class vtkActor;

namespace gc::ui {

// The surface format VTK needs (OpenGL 3.2 core).
[[nodiscard]] QSurfaceFormat vtk_surface_format();

// Actors for a tube through `points` coloured by `scalars` (viridis; ignored unless one per
// point), and points [highlight_first, highlight_last) thicker and red. Fewer than two points: none.
[[nodiscard]] std::vector<vtkSmartPointer<vtkActor>>
tube_actors(const std::vector<std::array<double, 3>>& points, const std::vector<double>& scalars,
            std::size_t highlight_first = 0, std::size_t highlight_last = 0);

// Renders the actors on a white background, the camera fitted to them, into an image of `size`
// pixels. Must run on the GUI thread; throws gc::Error when the platform offers no OpenGL.
[[nodiscard]] QImage render_offscreen(const std::vector<vtkSmartPointer<vtkActor>>& actors,
                                      const QSize& size);

} // namespace gc::ui
