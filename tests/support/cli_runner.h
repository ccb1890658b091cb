#pragma once
// Runs the merganser-cli binary (path compiled in as MERGANSER_CLI) the way a user would.
#include <QProcess>
#include <QString>
#include <QStringList>

#include "support/test_time.h"

namespace mg::test {

struct CliResult {
  int exitCode = -1; // -1: crashed or timed out
  QString out, err;
};

inline CliResult runCli(const QStringList& args, int timeoutMs = 120000) {
  QProcess p;
  p.start(QStringLiteral(MERGANSER_CLI), args);
  if (!p.waitForFinished(scaledMs(timeoutMs))) {
    p.kill();
    p.waitForFinished();
    return {-1, {}, QStringLiteral("timed out")};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
          QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace mg::test
