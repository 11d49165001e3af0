#pragma once
// MainWindow saves and restores sessions on a worker; tests wait for the outcome here.
#include "gc/ui/main_window.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <functional>

namespace gc::test {

// Runs `start` (a save_session or restore_session call) and waits up to `timeout_ms` for
// session_saved / session_restored (true) or session_failed (false).
inline bool finish_session(gc::ui::MainWindow& w, const std::function<void()>& start,
                           int timeout_ms = 20000) {
  QSignalSpy saved(&w, &gc::ui::MainWindow::session_saved);
  QSignalSpy restored(&w, &gc::ui::MainWindow::session_restored);
  QSignalSpy failed(&w, &gc::ui::MainWindow::session_failed);
  start();
  QElapsedTimer clock;
  clock.start();
  while (saved.isEmpty() && restored.isEmpty() && failed.isEmpty() && clock.elapsed() < timeout_ms)
    QTest::qWait(10);
  return failed.isEmpty() && (!saved.isEmpty() || !restored.isEmpty());
}

} // namespace gc::test
