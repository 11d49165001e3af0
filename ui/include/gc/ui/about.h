#pragma once
// Versions of the libraries this build runs with, for Help ▸ About and bug reports.
#include <QDialog>
#include <QString>

#include <utility>
#include <vector>

namespace gc::ui {

// (library, version) rows: GenoCircuit, Qt, VTK, LibTorch, HDF5, htslib, CUDA.
[[nodiscard]] std::vector<std::pair<QString, QString>> library_versions();

class AboutDialog : public QDialog {
  Q_OBJECT
public:
  explicit AboutDialog(QWidget* parent = nullptr);
  [[nodiscard]] QString text() const { return m_text; }

private:
  QString m_text;
};

} // namespace gc::ui
