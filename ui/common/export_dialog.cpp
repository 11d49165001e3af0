#include "gc/ui/common/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace gc::ui {

ExportDialog::ExportDialog(const QString& view_title, QWidget* parent)
    : QDialog(parent), m_path(new QLineEdit(this)), m_dpi(new QSpinBox(this)),
      m_width(new QDoubleSpinBox(this)), m_height(new QDoubleSpinBox(this)), m_units(new QComboBox(this)) {
  setObjectName("ExportDialog");
  setWindowTitle(tr("Export %1").arg(view_title));
  setModal(false);
  auto* form = new QFormLayout(this);
  auto* browse = new QPushButton(tr("Browse…"), this);
  auto* path_row = new QHBoxLayout;
  path_row->addWidget(m_path, 1);
  path_row->addWidget(browse);
  form->addRow(tr("File (.svg, .pdf, .png)"), path_row);
  m_dpi->setRange(30, 2400);
  m_dpi->setValue(300);
  m_dpi->setSuffix(" dpi");
  form->addRow(tr("Resolution (PNG, PDF images)"), m_dpi);
  for (auto* s : {m_width, m_height}) {
    s->setRange(10, 2000);
    s->setDecimals(1);
  }
  m_width->setValue(default_figure_width_mm);
  m_height->setValue(default_figure_width_mm * default_figure_aspect);
  m_units->addItems({"mm", "in"});
  auto* size_row = new QHBoxLayout;
  size_row->addWidget(m_width);
  size_row->addWidget(m_height);
  size_row->addWidget(m_units);
  form->addRow(tr("Width × height"), size_row);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  form->addRow(buttons);
  connect(m_units, &QComboBox::currentIndexChanged, this, &ExportDialog::on_units_changed);
  connect(browse, &QPushButton::clicked, this, [this] {
    const auto p = QFileDialog::getSaveFileName(this, tr("Export figure"), m_path->text(),
                                                tr("SVG (*.svg);;PDF (*.pdf);;PNG (*.png)"));
    if (!p.isEmpty()) m_path->setText(p);
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    if (m_path->text().isEmpty()) return;
    Q_EMIT export_requested(path(), options());
    accept();
  });
}

QString ExportDialog::path() const { return m_path->text(); }
void ExportDialog::set_path(const QString& path) { m_path->setText(path); }

FigureOptions ExportDialog::options() const {
  const double to_mm = m_inches ? 25.4 : 1.0;
  return {
      .dpi = m_dpi->value(), .width_mm = m_width->value() * to_mm, .height_mm = m_height->value() * to_mm};
}

void ExportDialog::on_units_changed() {
  const bool inches = m_units->currentIndex() == 1;
  if (inches == m_inches) return;
  const double f = inches ? 1.0 / 25.4 : 25.4;
  m_inches = inches;
  for (auto* s : {m_width, m_height}) {
    const double converted = s->value() * f; // before the range changes, which would clamp it
    s->setDecimals(inches ? 2 : 1);
    s->setRange(inches ? 0.4 : 10, inches ? 80 : 2000);
    s->setValue(converted);
  }
}

} // namespace gc::ui
