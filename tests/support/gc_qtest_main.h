#pragma once
// main() for Qt Test executables that tells CTest the truth about skips. QTest::qExec returns
// 0 both when every test passed and when every test was skipped (QSKIP), so a data test without
// ../shared/data or a GPU test without a device would read "Passed". gc::test::qexec runs the
// test object like qExec and returns skip_exit_code (77, CTest's SKIP_RETURN_CODE) when no test
// function ran to a result other than a skip; with some passes and some skips it returns 0 and
// prints how many were skipped.
//
//   GC_QTEST_GUILESS_MAIN(TestHic)   // instead of QTEST_GUILESS_MAIN
//   GC_QTEST_MAIN(TestView)          // instead of QTEST_MAIN (needs QtWidgets)
//   return gc::test::qexec(&t, argc, argv);   // in a hand-written main()
//
// How skips are counted: Qt Test has no public skip counter, so qexec adds a second logger,
// `-o FILE,xml` to a temporary file, beside the usual text on stdout (`-o -,txt`), and reads the
// <Incident type="..."> records of that XML log after the run. The XML format is documented
// and stable, and nothing is intercepted, so the console output stays exactly Qt's. A run
// given its own loggers (-o, -xml, -tap, ...) or a listing option is passed through unchanged,
// without skip detection.
#include "gc_test_env.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <cstdio>

#ifdef QT_WIDGETS_LIB
#include <QApplication>
#endif

namespace gc::test {

struct QtTestTally {
  int functions_run = 0;     // test functions with at least one non-skip result
  int functions_skipped = 0; // test functions whose every result was a skip
  bool read = false;         // the XML log was found and parsed
};

// Qt reports initTestCase and cleanupTestCase whether or not the class defines them, so their
// passes do not mean that a test ran; a skip in initTestCase (which skips the whole class) does
// count as a skip.
inline QtTestTally tally_qtest_xml(const QString& path) {
  QtTestTally t;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return t;
  QXmlStreamReader xml(&file);
  QString function;
  bool any_skip = false, any_other = false;
  const auto close_function = [&] {
    const bool fixture = function == "initTestCase" || function == "cleanupTestCase";
    if (any_other && !fixture) ++t.functions_run;
    if (any_skip && !any_other) ++t.functions_skipped;
    any_skip = any_other = false;
  };
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("TestFunction")) {
      function = xml.attributes().value("name").toString();
    } else if (xml.isStartElement() && xml.name() == QLatin1String("Incident")) {
      (xml.attributes().value("type") == QLatin1String("skip") ? any_skip : any_other) = true;
    } else if (xml.isEndElement() && xml.name() == QLatin1String("TestFunction")) {
      close_function();
    }
  }
  t.read = !xml.hasError();
  return t;
}

inline int qexec(QObject* test, int argc, char** argv) {
  QStringList args;
  for (int i = 0; i < argc; ++i)
    args << QString::fromLocal8Bit(argv[i]);
  // qExec returns the number of failures, which could be 77 or wrap around at 256.
  const auto run = [&] { return QTest::qExec(test, args) == 0 ? 0 : 1; };
  // The caller chose its own loggers, or asked for a listing: run exactly as asked.
  static const QStringList own_output{"-o",        "-txt", "-xml",       "-lightxml", "-junitxml", "-csv",
                                      "-teamcity", "-tap", "-functions", "-datatags", "-help",     "--help"};
  for (int i = 1; i < args.size(); ++i)
    if (own_output.contains(args[i])) return run();
  const QTemporaryDir dir;
  // A comma would end the file name in "-o FILE,FORMAT".
  if (!dir.isValid() || dir.path().contains(',')) return run();
  const QString log = dir.filePath("results.xml");
  args.insert(1, "-o");
  args.insert(2, "-,txt");
  args.insert(3, "-o");
  args.insert(4, log + ",xml");
  if (run() != 0) return 1;
  const auto t = tally_qtest_xml(log);
  if (!t.read) {
    std::fprintf(stderr, "gc_qtest_main: could not read the Qt Test XML log %s\n", qPrintable(log));
    return 1;
  }
  if (t.functions_skipped > 0 && t.functions_run == 0) {
    std::printf("All tests skipped: exit code %d (CTest reports the test as skipped)\n", skip_exit_code);
    return skip_exit_code;
  }
  if (t.functions_skipped > 0)
    std::printf("%d test function(s) skipped, %d run (see the SKIP lines above)\n", t.functions_skipped,
                t.functions_run);
  return 0;
}

} // namespace gc::test

#define GC_QTEST_GUILESS_MAIN(TestObject)                                                                    \
  int main(int argc, char** argv) {                                                                          \
    QCoreApplication app(argc, argv);                                                                        \
    TestObject tc;                                                                                           \
    QTEST_SET_MAIN_SOURCE_PATH                                                                               \
    return ::gc::test::qexec(&tc, argc, argv);                                                               \
  }

#ifdef QT_WIDGETS_LIB
#define GC_QTEST_MAIN(TestObject)                                                                            \
  int main(int argc, char** argv) {                                                                          \
    QApplication app(argc, argv);                                                                            \
    TestObject tc;                                                                                           \
    QTEST_SET_MAIN_SOURCE_PATH                                                                               \
    return ::gc::test::qexec(&tc, argc, argv);                                                               \
  }
#endif
