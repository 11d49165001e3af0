// genocircuit-cli's contract (DESIGN §7): exit codes, one JSON object on stdout with --json,
// messages on stderr that name the file and the problem.
#include "gc/util/error.h"
#include "gc/util/json.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {
struct Run {
  int code = -1;
  QByteArray out, err;
};

Run cli(const QStringList& args) {
  QProcess p;
  p.start(GC_CLI_PATH, args);
  p.waitForFinished(120000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

// Exactly one JSON object on stdout.
gc::Json one_object(const QByteArray& out) {
  const auto text = out.trimmed().toStdString();
  if (text.find('\n') != std::string::npos) throw gc::Error("more than one line on stdout: " + text);
  auto j = gc::Json::parse(text);
  if (!j.is_object()) throw gc::Error("stdout is not a JSON object");
  return j;
}
} // namespace

class TestCli : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void version_and_help();
  void unknown_command_and_option_exit_2();
  void info_on_bad_input_exits_2_with_json_error();

private:
  QTemporaryDir m_dir;
};

void TestCli::version_and_help() {
  auto r = cli({"--version"});
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.startsWith("genocircuit-cli "));
  r = cli({"--version", "--json"});
  QCOMPARE(r.code, 0);
  const auto v = one_object(r.out);
  QCOMPARE(v.at("name").as_string(), std::string("genocircuit-cli"));
  QVERIFY(QString::fromStdString(v.at("version").as_string())
              .contains(QRegularExpression("^\\d+\\.\\d+\\.\\d+$")));
  r = cli({"--help"});
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.contains("info FILE"));
  QVERIFY(r.out.contains("bench SUITE"));
  QVERIFY(r.out.contains("Exit codes"));
  r = cli({"info", "--help"});
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.contains("Usage: genocircuit-cli info FILE"));
  // No command at all is a usage error.
  r = cli({});
  QCOMPARE(r.code, 2);
}

void TestCli::unknown_command_and_option_exit_2() {
  auto r = cli({"frobnicate", "--json"});
  QCOMPARE(r.code, 2);
  const auto e = one_object(r.out);
  QCOMPARE(e.at("kind").as_string(), std::string("input"));
  QCOMPARE(e.at("exit_code").as_int(), 2);
  QVERIFY(r.err.contains("unknown command 'frobnicate'"));
  r = cli({"info", "x.fa", "--no-such-option"});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("unknown option --no-such-option"));
  r = cli({"bench", "no-such-suite", "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(one_object(r.out).at("error").as_string().find("unknown benchmark suite") != std::string::npos);
}

void TestCli::info_on_bad_input_exits_2_with_json_error() {
  const QString missing = m_dir.path() + "/missing.fa";
  auto r = cli({"info", missing, "--json"});
  QCOMPARE(r.code, 2);
  auto e = one_object(r.out);
  QVERIFY(QString::fromStdString(e.at("error").as_string()).contains(missing));
  QVERIFY(QString::fromStdString(e.at("error").as_string()).contains("no such file"));

  QFile empty(m_dir.path() + "/empty.txt");
  QVERIFY(empty.open(QIODevice::WriteOnly));
  empty.close();
  r = cli({"info", empty.fileName(), "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(QString::fromStdString(one_object(r.out).at("error").as_string()).contains("empty"));

  QFile junk(m_dir.path() + "/junk.bin");
  QVERIFY(junk.open(QIODevice::WriteOnly));
  junk.write(QByteArray("\x00\x01\x02garbage that is no known format", 34));
  junk.close();
  r = cli({"info", junk.fileName()});
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("junk.bin"));
  QVERIFY(r.err.contains("unrecognised file format"));
  QVERIFY(r.out.isEmpty()); // nothing on stdout without --json on error

  r = cli({"info", m_dir.path(), "--json"});
  QCOMPARE(r.code, 2);
  QVERIFY(QString::fromStdString(one_object(r.out).at("error").as_string()).contains("directory"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
