#pragma once
// The Hi-C view's toolbar: normalisation, colour map, log scale, automatic or fixed range and
// the resolution shown. It shows a HicState and reports the user's choices; it changes nothing
// itself.
#include "gc/ui/hic/hic_state.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace gc::ui::hic_view {

class HicToolbar : public QWidget {
  Q_OBJECT
public:
  explicit HicToolbar(QWidget* parent = nullptr);
  // Shows `state` without emitting anything; `resolution` is the label's text.
  void show_state(const HicState& state, const QString& resolution);

Q_SIGNALS:
  void normalisation_chosen(const QString& name);
  void colormap_chosen(const QString& name);
  void log_toggled(bool log);
  // Automatic range switched on (percentile kept), or a fixed range chosen or edited.
  void auto_range_chosen();
  void range_chosen(double min, double max);

private:
  QComboBox* m_norm = nullptr;
  QComboBox* m_cmap = nullptr;
  QCheckBox* m_log = nullptr;
  QCheckBox* m_auto = nullptr;
  QDoubleSpinBox* m_min = nullptr;
  QDoubleSpinBox* m_max = nullptr;
  QLabel* m_resolution = nullptr;
};

} // namespace gc::ui::hic_view
