#pragma once
// 3D chromatin view: a chromosome's structure (chromatin::compute_structure, in a TaskRunner
// task) as a tube in a VtkView, coloured by genomic position or a per-bin track, with the
// selected locus in red and a chromosome selector. The figure is painted by
// paint_chromatin_figure around the view's framebuffer.
#include "gc/genome/region.h"
#include "gc/hic/contact_map.h"
#include "gc/hic/resolutions.h"
#include "gc/ui/chromatin/chromatin_state.h"
#include "gc/ui/chromatin/structure.h"
#include "gc/ui/common/figure_view.h"
#include "gc/ui/task_runner.h"

#include <QString>
#include <QWidget>

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;

namespace gc::ui {

class VtkView;

class ChromatinView : public QWidget, public FigureView {
  Q_OBJECT
public:
  // `tasks` runs the file opening and the structure computation; it must outlive the view.
  explicit ChromatinView(TaskRunner* tasks, QWidget* parent = nullptr);
  ~ChromatinView() override;

  // Opens a contact file on a worker (as HicMapView::open).
  void open(const QString& uri);
  void set_map(std::shared_ptr<const gc::hic::ContactMap> map);
  // Several resolutions: the structure uses the finest with at most max_bins() bins on the chromosome.
  void set_maps(const gc::hic::Resolutions& maps);
  // Computes the structure in a worker, then shows the tube.
  void set_chromosome(const QString& chrom);
  [[nodiscard]] QString chromosome() const { return m_state.chromosome; }
  // The selected locus, in red.
  void set_highlight(const gc::genome::Region& locus);
  void clear_highlight();
  // "position", or "track" (the values given to set_track, one per bin of the chromosome at
  // the shown resolution, interpolated by genomic position otherwise).
  void set_colour_by(const QString& what);
  void set_track(const std::vector<double>& values, const QString& name = {});

  [[nodiscard]] static int max_bins() noexcept { return chromatin::k_max_bins; }
  [[nodiscard]] const chromatin::ChromatinState& state() const noexcept { return m_state; }
  // Coordinates of the shown structure (N x 3, NaN rows for masked bins) and its bin size.
  [[nodiscard]] const Eigen::MatrixX3d& structure() const noexcept { return m_structure.coords; }
  [[nodiscard]] std::int64_t resolution() const noexcept { return m_structure.bin_size(); }
  [[nodiscard]] bool computing() const noexcept { return m_computing; }
  [[nodiscard]] VtkView* vtk_view() const noexcept { return m_vtk; }

  QString view_name() const override { return "3d"; }
  void render_figure(QPainter& painter, const QRectF& target) const override;
  [[nodiscard]] QJsonObject save_state() const override;
  void restore_state(const QJsonObject& state) override;

  [[nodiscard]] QSize sizeHint() const override { return {640, 600}; }

Q_SIGNALS:
  void structure_ready(const QString& chrom);
  void error_occurred(const QString& message);

private:
  void populate_chromosomes();
  void compute();
  void show_structure();
  void fail(const QString& message);

  TaskRunner* m_tasks;
  gc::hic::Resolutions m_maps;
  chromatin::ChromatinState m_state;
  chromatin::Structure m_structure;
  TaskHandle m_opening;
  TaskHandle m_computation;
  std::uint64_t m_job = 0; // the computation whose result is wanted
  bool m_computing = false;
  QComboBox* m_chrom_box = nullptr;
  QComboBox* m_colour_box = nullptr;
  QLabel* m_status = nullptr;
  VtkView* m_vtk = nullptr;
};

} // namespace gc::ui
