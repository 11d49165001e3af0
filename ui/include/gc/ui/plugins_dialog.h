#pragma once
// Help ▸ Plugins: the plugins the host loaded (name, version, what each adds, file), the ones it
// refused with the reason, and the folders it searches. Non-modal.
#include <QDialog>

class QTreeWidget;

namespace gc::ui {

class PluginsDialog : public QDialog {
  Q_OBJECT
public:
  explicit PluginsDialog(QWidget* parent = nullptr);
  [[nodiscard]] QTreeWidget* tree() const { return m_tree; }

private:
  QTreeWidget* m_tree;
};

} // namespace gc::ui
