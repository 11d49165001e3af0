#include "gc/ui/plugins_dialog.h"

#include "gc/plugins/host.h"

#include <QColor>
#include <QFileInfo>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gc::ui {

PluginsDialog::PluginsDialog(QWidget* parent) : QDialog(parent), m_tree(new QTreeWidget(this)) {
  // What the host loaded from the install's and the user's plugin folders, what each adds, and
  // the plugins it refused with the reason.
  setObjectName("PluginsDialog");
  setWindowTitle(tr("Plugins"));
  auto* layout = new QVBoxLayout(this);
  auto* tree = m_tree;
  tree->setObjectName("PluginsTree");
  tree->setHeaderLabels({tr("Plugin"), tr("Version"), tr("Adds"), tr("File")});
  const auto& host = gc::plugins::Host::global();
  for (const auto& p : host.plugins()) {
    QStringList adds;
    for (const auto& i : p.importers)
      adds << tr("importer %1").arg(QString::fromStdString(i));
    for (const auto& g : p.grn_methods)
      adds << tr("GRN method %1").arg(QString::fromStdString(g));
    for (const auto& x : p.exporters)
      adds << tr("exporter %1").arg(QString::fromStdString(x));
    auto* item = new QTreeWidgetItem(tree, {QString::fromStdString(p.name), QString::fromStdString(p.version),
                                            adds.join(", "), QString::fromStdString(p.file.string())});
    item->setToolTip(0, QString::fromStdString(p.description));
  }
  for (const auto& p : host.problems()) {
    auto* item = new QTreeWidgetItem(tree, {QFileInfo(QString::fromStdString(p.file.string())).fileName(), "",
                                            tr("refused: %1").arg(QString::fromStdString(p.message)),
                                            QString::fromStdString(p.file.string())});
    item->setForeground(2, QColor(190, 40, 40));
  }
  tree->resizeColumnToContents(0);
  layout->addWidget(tree);
  QStringList folders;
  for (const auto& f : gc::plugins::Host::default_folders())
    folders << QString("%1: %2").arg(QString::fromStdString(f.kind), QString::fromStdString(f.path.string()));
  auto* where = new QLabel(
      tr("Plugin folders (the current folder is never searched):\n%1").arg(folders.join("\n")), this);
  where->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(where);
  resize(820, 320);
  setModal(false);
}

} // namespace gc::ui
