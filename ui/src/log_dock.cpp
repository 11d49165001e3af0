#include "gc/ui/log_dock.h"

#include <QDateTime>
#include <QPlainTextEdit>
#include <QPointer>

namespace gc::ui {

LogDock::LogDock(QWidget* parent) : QDockWidget(tr("Log"), parent), m_view(new QPlainTextEdit(this)) {
  setObjectName("LogDock");
  m_view->setReadOnly(true);
  m_view->setMaximumBlockCount(5000);
  m_view->setFont(QFont("Monospace", 9));
  setWidget(m_view);
  QPointer<LogDock> self(this);
  // Sinks run on the logging thread; hop to the GUI thread with a queued call.
  m_sink = gc::log::add_sink([self](gc::log::Level level, const std::string& message) {
    const QString text = QString::fromStdString(message);
    if (self) {
      QMetaObject::invokeMethod(
          self.data(),
          [self, level, text] {
            if (self) self->append(static_cast<int>(level), text);
          },
          Qt::QueuedConnection);
    }
  });
}

LogDock::~LogDock() { gc::log::remove_sink(m_sink); }

QString LogDock::text() const { return m_view->toPlainText(); }

void LogDock::append(int level, const QString& message) {
  const auto l = static_cast<gc::log::Level>(level);
  const QString colour = l >= gc::log::Level::error     ? "#b00020"
                         : l == gc::log::Level::warning ? "#a05a00"
                                                        : "#202020";
  m_view->appendHtml(QStringLiteral("<span style='color:#777'>%1</span> <span style='color:%2'>%3</span>")
                         .arg(QTime::currentTime().toString("HH:mm:ss"), colour, message.toHtmlEscaped()));
}

} // namespace gc::ui
