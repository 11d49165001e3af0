#pragma once
// 3D chromatin view: a chromosome's structure from gc::hic::structure_3d (computed in a worker)
// as a tube in a VtkView, coloured by genomic position or a per-bin track, with the selected
// locus in red and a chromosome selector.
#include "gc/ui/figure_view.h"
#include "gc/ui/hic_map_view.h"

#include "gc/genome/region.h"
#include "gc/hic/contact_map.h"

#include <QString>
#include <QWidget>

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;

namespace gc::ui {

class VtkView;

class ChromatinView : public QWidget, public FigureView {
  Q_OBJECT
public:
  explicit ChromatinView(QWidget* parent = nullptr);
  ~ChromatinView() override;

  // Opens a contact file on a worker (as HicMapView::open).
  void open(const QString& uri);
  void set_map(std::shared_ptr<const gc::hic::ContactMap> map);
  // Several resolutions: the structure uses the finest with at most max_bins() bins on the chromosome.
  void set_maps(const HicResolutions& maps);
  // Computes gc::hic::structure_3d in a worker, then shows the tube.
  void set_chromosome(const QString& chrom);
  [[nodiscard]] QString chromosome() const;
  // The selected locus, in red.
  void set_highlight(const gc::genome::Region& locus);
  void clear_highlight();
  // "position", or "track" (the values given to set_track, one per bin of the chromosome at
  // the shown resolution, interpolated by genomic position otherwise).
  void set_colour_by(const QString& what);
  void set_track(const std::vector<double>& values, const QString& name = {});

  [[nodiscard]] static int max_bins() noexcept { return 800; }
  // Coordinates of the shown structure (N x 3, NaN rows for masked bins) and its bin size.
  [[nodiscard]] const Eigen::MatrixX3d& structure() const noexcept { return m_coords; }
  [[nodiscard]] std::int64_t resolution() const noexcept;
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
  [[nodiscard]] QString title() const;

  HicResolutions m_maps;
  QString m_chrom;
  std::optional<gc::genome::Region> m_highlight;
  QString m_colour_by = "position";
  std::vector<double> m_track;
  QString m_track_name;
  Eigen::MatrixX3d m_coords;
  std::shared_ptr<const gc::hic::ContactMap> m_shown_map;
  std::int64_t m_first_bin = 0;
  std::uint64_t m_generation = 0;
  bool m_computing = false;
  QComboBox* m_chrom_box = nullptr;
  QComboBox* m_colour_box = nullptr;
  QLabel* m_status = nullptr;
  VtkView* m_vtk = nullptr;
};

} // namespace gc::ui
