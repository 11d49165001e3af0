#include "gc/ui/task_runner.h"

#include "gc/util/error.h"

#ifdef GC_UI_HAVE_TORCH
#include "gc/kernels/runtime.h"
#endif

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace gc::ui {

void QtProgressListener::on_progress(double fraction, const std::string& message) {
  Q_EMIT progressed(fraction, QString::fromStdString(message));
}

int configure_model_threads() {
#ifdef GC_UI_HAVE_TORCH
  return gc::kernels::configure_threads();
#else
  return 1;
#endif
}

namespace {
// What a worker hands back: exceptions never cross the thread boundary.
struct WorkerResult {
  TaskOutcome outcome = TaskOutcome::succeeded;
  QString error;
  std::function<void()> apply;
};
} // namespace

struct TaskRunner::Task {
  QString title;
  gc::CancelToken token;
  Options options;
  QPointer<QObject> context;
  QFutureWatcher<WorkerResult>* watcher = nullptr;
};

TaskRunner::TaskRunner(QObject* parent) : QObject(parent) {}

TaskRunner::~TaskRunner() {
  cancel_all();
  wait_all();
}

TaskHandle TaskRunner::start(const QString& title, Job job, Options options) {
  auto task = std::make_shared<Task>();
  task->title = title;
  task->context = options.context;
  task->options = std::move(options);
  std::shared_ptr<QtProgressListener> listener;
  if (!task->options.quiet) {
    // Created here (GUI thread), so its signal reaches us queued.
    listener = std::make_shared<QtProgressListener>();
    connect(listener.get(), &QtProgressListener::progressed, this, &TaskRunner::progressed);
  }
  const gc::Progress progress(listener, task->token);
  task->watcher = new QFutureWatcher<WorkerResult>(this);
  connect(task->watcher, &QFutureWatcher<WorkerResult>::finished, this,
          [this, task, listener] { complete(task); });
  if (task->options.context)
    connect(task->options.context, &QObject::destroyed, this, [token = task->token] { token.cancel(); });
  m_tasks.push_back(task);
  if (!task->options.quiet) {
    ++m_running;
    Q_EMIT started(title);
  }
  QThreadPool* pool = task->options.quiet ? &m_quiet_pool : QThreadPool::globalInstance();
  task->watcher->setFuture(QtConcurrent::run(pool, [job = std::move(job), progress]() -> WorkerResult {
    try {
      progress.check();
      return {TaskOutcome::succeeded, {}, job(progress)};
    } catch (const gc::Cancelled&) {
      return {TaskOutcome::cancelled, {}, {}};
    } catch (const std::exception& e) {
      return {TaskOutcome::failed, QString::fromStdString(e.what()), {}};
    } catch (...) {
      // Nothing may cross back to the GUI thread as an exception.
      return {TaskOutcome::failed, QStringLiteral("the task failed with an unknown error"), {}};
    }
  }));
  return TaskHandle(task->token);
}

void TaskRunner::complete(const std::shared_ptr<Task>& task) {
  WorkerResult result = task->watcher->result();
  task->watcher->deleteLater();
  std::erase(m_tasks, task);
  if (!task->options.quiet) --m_running;
  // Work that finished after it was cancelled is dropped: the user asked for it to stop.
  if (result.outcome == TaskOutcome::succeeded && task->token.cancelled())
    result = {TaskOutcome::cancelled, {}, {}};
  const bool context_alive = !task->options.context || task->context;
  if (context_alive) {
    if (result.outcome == TaskOutcome::succeeded && result.apply) {
      try {
        result.apply();
      } catch (const std::exception& e) {
        result = {TaskOutcome::failed, QString::fromStdString(e.what()), {}};
      }
    }
    if (result.outcome == TaskOutcome::failed && task->options.on_error) task->options.on_error(result.error);
    if (task->options.on_finished) task->options.on_finished(result.outcome);
  }
  if (!task->options.quiet) Q_EMIT finished(task->title, result.outcome, result.error);
}

void TaskRunner::cancel_visible() {
  for (auto& t : m_tasks)
    if (!t->options.quiet) t->token.cancel();
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
