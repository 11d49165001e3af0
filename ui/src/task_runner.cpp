#include "gc/ui/task_runner.h"

#include "gc/util/error.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace gc::ui {

void QtProgressListener::on_progress(double fraction, const std::string& message) {
  Q_EMIT progressed(fraction, QString::fromStdString(message));
}

struct TaskRunner::Task {
  QString title;
  gc::CancelToken token;
  QFutureWatcher<QString>* watcher = nullptr;
};

TaskRunner::TaskRunner(QObject* parent) : QObject(parent) {}

TaskRunner::~TaskRunner() {
  cancel_all();
  wait_all();
}

void TaskRunner::run(const QString& title, Work work, Done on_success) {
  auto task = std::make_shared<Task>();
  task->title = title;
  auto listener = std::make_shared<QtProgressListener>();
  // The listener is created here (GUI thread), so its signal reaches us queued.
  connect(listener.get(), &QtProgressListener::progressed, this, &TaskRunner::progressed);
  const gc::Progress progress(listener, task->token);
  task->watcher = new QFutureWatcher<QString>(this);
  connect(task->watcher, &QFutureWatcher<QString>::finished, this, [this, task, on_success, listener] {
    const QString result = task->watcher->result();
    const bool cancelled = result == QStringLiteral("\x01cancelled");
    const QString error = cancelled ? QString() : result;
    --m_running;
    std::erase(m_tasks, task);
    task->watcher->deleteLater();
    if (!cancelled && error.isEmpty() && on_success) on_success();
    Q_EMIT finished(task->title, cancelled, error);
  });
  m_tasks.push_back(task);
  ++m_running;
  Q_EMIT started(title);
  // The worker returns an error message instead of throwing across the thread boundary.
  task->watcher->setFuture(QtConcurrent::run([work = std::move(work), progress]() -> QString {
    try {
      work(progress);
      return {};
    } catch (const gc::Cancelled&) {
      return QStringLiteral("\x01cancelled");
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
  }));
}

void TaskRunner::cancel_all() {
  for (auto& t : m_tasks)
    t->token.cancel();
}

void TaskRunner::wait_all() {
  for (auto& t : std::vector<std::shared_ptr<Task>>(m_tasks))
    t->watcher->waitForFinished();
}

} // namespace gc::ui
