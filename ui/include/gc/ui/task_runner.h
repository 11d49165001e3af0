#pragma once
// Runs long core work on worker threads and adapts the core's Qt-free progress and
// cancellation interface (gc::Progress) to Qt signals delivered on the GUI thread.
#include "gc/util/progress.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace gc::ui {

// Forwards gc::ProgressListener calls (any thread) as a queued Qt signal.
class QtProgressListener : public QObject, public gc::ProgressListener {
  Q_OBJECT
public:
  using QObject::QObject;
  void on_progress(double fraction, const std::string& message) override;
Q_SIGNALS:
  void progressed(double fraction, const QString& message);
};

class TaskRunner : public QObject {
  Q_OBJECT
public:
  using Work = std::function<void(const gc::Progress&)>;
  using Done = std::function<void()>;

  explicit TaskRunner(QObject* parent = nullptr);
  ~TaskRunner() override;

  // Runs `work` on Qt's global thread pool. `on_success` runs on the GUI thread afterwards
  // (results are applied there, never from the worker).
  void run(const QString& title, Work work, Done on_success = {});
  [[nodiscard]] int running() const noexcept { return m_running; }
  // Blocks until every task has ended (tests and shutdown only: never on a GUI action).
  void wait_all();

public Q_SLOTS:
  // Cancels every running task; each ends with finished(..., cancelled = true).
  void cancel_all();

Q_SIGNALS:
  void started(const QString& title);
  void progressed(double fraction, const QString& message);
  // error is empty on success; cancelled tasks report cancelled = true and no error.
  void finished(const QString& title, bool cancelled, const QString& error);

private:
  struct Task;
  std::vector<std::shared_ptr<Task>> m_tasks;
  int m_running = 0;
};

} // namespace gc::ui
