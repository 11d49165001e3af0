#pragma once
// Running genocircuit-cli from the CLI tests: the process, its exit code and output, and the
// checks every command's contract shares (exactly one JSON object on stdout with --json).
#include "gc/util/error.h"
#include "gc/util/json.h"

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace gc::test {

struct Run {
  int code = -1;
  QByteArray out, err;
};

inline Run cli(const QStringList& args) {
  QProcess p;
  p.start(GC_CLI_PATH, args);
  p.waitForFinished(120000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

// Exactly one JSON object on stdout.
inline gc::Json one_object(const QByteArray& out) {
  const auto text = out.trimmed().toStdString();
  if (text.find('\n') != std::string::npos) throw gc::Error("more than one line on stdout: " + text);
  auto j = gc::Json::parse(text);
  if (!j.is_object()) throw gc::Error("stdout is not a JSON object");
  return j;
}

inline QByteArray read_file(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) throw gc::Error("cannot read " + path.toStdString());
  return f.readAll();
}

inline void write_file(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) throw gc::Error("cannot write " + path.toStdString());
  f.write(bytes);
}

} // namespace gc::test
