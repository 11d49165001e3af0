#include "hic_toolbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>

namespace gc::ui::hic_view {

HicToolbar::HicToolbar(QWidget* parent)
    : QWidget(parent), m_norm(new QComboBox(this)), m_cmap(new QComboBox(this)),
      m_log(new QCheckBox("log", this)), m_auto(new QCheckBox("auto", this)), m_min(new QDoubleSpinBox(this)),
      m_max(new QDoubleSpinBox(this)), m_resolution(new QLabel(this)) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(4, 2, 4, 2);
  row->setSpacing(6);
  for (const auto& n : normalisation_names())
    m_norm->addItem(normalisation_label(*parse_normalisation(n)), n);
  m_norm->setToolTip("Normalisation");
  m_cmap->addItems(ColorMap::names());
  m_cmap->setToolTip("Colour map");
  m_log->setChecked(true);
  m_auto->setChecked(true);
  m_auto->setToolTip("Colour range from the visible data (up to the 98th percentile)");
  for (auto* s : {m_min, m_max}) {
    s->setDecimals(4);
    s->setRange(0, 1e12);
    s->setKeyboardTracking(false);
    s->setEnabled(false);
  }
  m_min->setToolTip("Colour range minimum");
  m_max->setToolTip("Colour range maximum");
  m_resolution->setToolTip("Resolution shown (bin size)");
  for (QWidget* w :
       std::initializer_list<QWidget*>{m_norm, m_cmap, m_log, m_auto, m_min, m_max, m_resolution})
    row->addWidget(w);
  row->addStretch(1);

  connect(m_norm, &QComboBox::activated, this,
          [this](int i) { Q_EMIT normalisation_chosen(m_norm->itemData(i).toString()); });
  connect(m_cmap, &QComboBox::activated, this,
          [this](int i) { Q_EMIT colormap_chosen(m_cmap->itemText(i)); });
  connect(m_log, &QCheckBox::toggled, this, &HicToolbar::log_toggled);
  connect(m_auto, &QCheckBox::toggled, this, [this](bool on) {
    if (on)
      Q_EMIT auto_range_chosen();
    else
      Q_EMIT range_chosen(m_min->value(), m_max->value());
  });
  const auto manual = [this] {
    if (!m_auto->isChecked()) Q_EMIT range_chosen(m_min->value(), m_max->value());
  };
  connect(m_min, &QDoubleSpinBox::valueChanged, this, manual);
  connect(m_max, &QDoubleSpinBox::valueChanged, this, manual);
}

void HicToolbar::show_state(const HicState& st, const QString& resolution) {
  const QSignalBlocker b1(m_norm), b2(m_cmap), b3(m_log), b4(m_auto), b5(m_min), b6(m_max);
  m_norm->setCurrentIndex(m_norm->findData(normalisation_name(st.norm)));
  m_cmap->setCurrentText(st.cmap.name());
  m_log->setChecked(st.scale.log);
  m_auto->setChecked(st.auto_range);
  m_min->setEnabled(!st.auto_range);
  m_max->setEnabled(!st.auto_range);
  m_min->setValue(st.scale.min);
  m_max->setValue(st.scale.max);
  m_resolution->setText(resolution);
}

} // namespace gc::ui::hic_view
