#pragma once
// The one path for background work in the GUI (DESIGN §2): long core work runs on worker threads
// through a TaskRunner, reports through the core's Qt-free gc::Progress (adapted to Qt signals
// delivered on the GUI thread), and hands a typed result to a callback on the GUI thread.
// Cancellation is the core's: a cancelled task's work throws gc::Cancelled, and the task ends
// with TaskOutcome::cancelled.
#include "gc/util/progress.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

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

enum class TaskOutcome { succeeded, failed, cancelled };

// Gives LibTorch's intra-op pool every core (GENOCIRCUIT_THREADS / OMP_NUM_THREADS override),
// as the CLI does at start-up; returns the thread count in effect (1 in builds without LibTorch).
int configure_model_threads();

// Cancels one task (copies share the task's token); a default handle cancels nothing.
class TaskHandle {
public:
  TaskHandle() = default;
  explicit TaskHandle(gc::CancelToken token) : m_token(std::move(token)), m_valid(true) {}
  void cancel() const noexcept {
    if (m_valid) m_token.cancel();
  }
  [[nodiscard]] bool cancelled() const noexcept { return m_valid && m_token.cancelled(); }

private:
  gc::CancelToken m_token;
  bool m_valid = false;
};

class TaskRunner : public QObject {
  Q_OBJECT
public:
  struct Options {
    // Callbacks are dropped (and the work cancelled) once this object is destroyed.
    QObject* context = nullptr;
    // Quiet tasks (e.g. Hi-C tiles) do not show in the status bar or count as busy work that
    // the Cancel button stops; they are cancelled through their handle or cancel_all(). They run
    // on a pool of their own, so file loads never queue behind a screenful of tiles.
    bool quiet = false;
    // Called on the GUI thread when the work throws (not when it is cancelled).
    std::function<void(const QString& error)> on_error;
    // Called on the GUI thread whenever the task ends, after on_success / on_error.
    std::function<void(TaskOutcome)> on_finished;
  };

  explicit TaskRunner(QObject* parent = nullptr);
  // Cancels every task and waits for the workers, which end at their next progress check.
  ~TaskRunner() override;

  // Runs `work(progress) -> R` on a worker; `on_success(R)` runs on the GUI thread afterwards
  // (results are applied there, never from the worker). R may be void.
  template <typename Work, typename OnSuccess>
  requires(!std::is_same_v<std::decay_t<OnSuccess>, Options>) TaskHandle
      run(const QString& title, Work work, OnSuccess on_success, Options options = {}) {
    using R = std::invoke_result_t<Work&, const gc::Progress&>;
    Job job = [work = std::move(work),
               on_success = std::move(on_success)](const gc::Progress& progress) mutable -> Apply {
      if constexpr (std::is_void_v<R>) {
        work(progress);
        return [on_success]() mutable { on_success(); };
      } else {
        auto result = std::make_shared<R>(work(progress));
        return [on_success, result]() mutable { on_success(std::move(*result)); };
      }
    };
    return start(title, std::move(job), std::move(options));
  }
  // Work without a result callback.
  template <typename Work>
  TaskHandle run(const QString& title, Work work, Options options = {}) {
    return run(
        title, std::move(work), [] {}, std::move(options));
  }

  // Tasks not marked quiet that are still running.
  [[nodiscard]] int running() const noexcept { return m_running; }
  // Every task, quiet ones included.
  [[nodiscard]] int running_all() const noexcept { return static_cast<int>(m_tasks.size()); }
  // Blocks until every task has ended (tests and shutdown only: never on a GUI action).
  void wait_all();

public Q_SLOTS:
  // Cancels every task that is not quiet (the status bar's Cancel button).
  void cancel_visible();
  // Cancels every task; each ends with TaskOutcome::cancelled unless it had already finished.
  void cancel_all();

Q_SIGNALS:
  void started(const QString& title);
  void progressed(double fraction, const QString& message);
  // error is empty unless outcome is failed. Not emitted for quiet tasks.
  void finished(const QString& title, gc::ui::TaskOutcome outcome, const QString& error);

private:
  using Apply = std::function<void()>;
  using Job = std::function<Apply(const gc::Progress&)>;
  struct Task;
  TaskHandle start(const QString& title, Job job, Options options);
  void complete(const std::shared_ptr<Task>& task);

  std::vector<std::shared_ptr<Task>> m_tasks;
  int m_running = 0;
  QThreadPool m_quiet_pool;
};

} // namespace gc::ui

Q_DECLARE_METATYPE(gc::ui::TaskOutcome)
