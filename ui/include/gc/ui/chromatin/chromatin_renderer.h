#pragma once
// The 3D view's figure with QPainter only: a title, the rendered scene (an image from the
// widget's framebuffer or an offscreen render) and the colour legend.
#include "gc/ui/chromatin/chromatin_state.h"

#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <cstdint>

namespace gc::ui::chromatin {

// "chrII 3D structure · file.mcool · 10 kb bins · red: chrII:1-100"
[[nodiscard]] QString figure_title(const ChromatinState& state, std::int64_t bin_size);
// Where the scene image goes inside a figure `target` (between title and legend).
[[nodiscard]] QRectF scene_rect(const QRectF& target);
void paint_chromatin_figure(QPainter& painter, const QRectF& target, const ChromatinState& state,
                            std::int64_t bin_size, const QImage& scene);

} // namespace gc::ui::chromatin
