#pragma once
// The log dock: shows gc::log messages from any thread, newest last, warnings and errors coloured.
#include "gc/util/log.h"

#include <QDockWidget>

class QPlainTextEdit;

namespace gc::ui {

class LogDock : public QDockWidget {
  Q_OBJECT
public:
  explicit LogDock(QWidget* parent = nullptr);
  ~LogDock() override;
  [[nodiscard]] QString text() const;

public Q_SLOTS:
  void append(int level, const QString& message);

private:
  QPlainTextEdit* m_view;
  int m_sink = 0;
};

} // namespace gc::ui
