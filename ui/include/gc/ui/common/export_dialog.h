#pragma once
// File ▸ Export Figure…: a small non-modal dialog for the format (from the file name), DPI and
// physical size in millimetres or inches. Accepting asks the main window to export.
#include "gc/ui/common/figure_export.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace gc::ui {

class ExportDialog : public QDialog {
  Q_OBJECT
public:
  explicit ExportDialog(const QString& view_title, QWidget* parent = nullptr);
  [[nodiscard]] QString path() const;
  void set_path(const QString& path);
  // Size and DPI as chosen, converted to millimetres.
  [[nodiscard]] FigureOptions options() const;

Q_SIGNALS:
  void export_requested(const QString& path, const gc::ui::FigureOptions& options);

private:
  void on_units_changed();

  QLineEdit* m_path;
  QSpinBox* m_dpi;
  QDoubleSpinBox* m_width;
  QDoubleSpinBox* m_height;
  QComboBox* m_units;
  bool m_inches = false;
};

} // namespace gc::ui
