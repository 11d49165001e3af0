#include "gc/ui/about.h"

#include "gc/util/version.h"

#ifdef GC_UI_HAVE_TORCH
#include "gc/kernels/runtime.h"
#endif

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include <H5public.h>
#include <htslib/hts.h>
#include <vtkVersion.h>

namespace gc::ui {

std::vector<std::pair<QString, QString>> library_versions() {
  std::vector<std::pair<QString, QString>> rows;
  rows.emplace_back("GenoCircuit Studio", QString("%1 (%2)").arg(gc::version_string, gc::git_revision));
  rows.emplace_back("Qt", qVersion());
  rows.emplace_back("VTK", vtkVersion::GetVTKVersion());
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  rows.emplace_back("HDF5", QString("%1.%2.%3").arg(maj).arg(min).arg(rel));
  rows.emplace_back("htslib", hts_version());
#ifdef GC_UI_HAVE_TORCH
  const auto rt = gc::kernels::runtime_info();
  rows.emplace_back("LibTorch", QString::fromStdString(rt.torch_version));
  QString cuda = rt.cuda_available ? QString("available: %1").arg(QString::fromStdString(rt.gpu_name))
                                   : QString("not available");
  cuda += rt.cuda_compiled ? " (CUDA kernels built in)" : " (built without CUDA kernels)";
  rows.emplace_back("CUDA", cuda);
#else
  rows.emplace_back("LibTorch", "not built in");
  rows.emplace_back("CUDA", "not available (built without LibTorch)");
#endif
  return rows;
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About GenoCircuit Studio"));
  setObjectName("AboutDialog");
  QString html = "<h3>GenoCircuit Studio</h3><p>See gene regulation across six biological levels and ask "
                 "what a knockout does.</p><table cellspacing='4'>";
  for (const auto& [name, version] : library_versions()) {
    html +=
        QString("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(name.toHtmlEscaped(), version.toHtmlEscaped());
    m_text += name + ": " + version + "\n";
  }
  html += "</table>";
  auto* label = new QLabel(html, this);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(label);
  layout->addWidget(buttons);
}

} // namespace gc::ui
