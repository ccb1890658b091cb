// The workbench's own files survive SIGKILL: a project save, an autosave (the recovery copy) and a results
// file save, each killed 20 times at random moments while merganser_save_loop (tests/widgets/save_loop)
// edits and saves through the workbench's classes as fast as it can. After every kill the file holds the
// last save that finished or the one under way, whole: the project opens, the recovery copy restores the
// graph as of the last edit, the results read. The next start leaves no temporary behind.
#include "support/test_registry.h"
#include <QDir>
#include <QProcess>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <optional>
#include <random>

#include "mainwindow/autosave.h"
#include "results/results_file.h"
#include "session/project_session.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

using namespace mg;

namespace {

constexpr int kKills = 20;

// Hidden temporaries a writer leaves while working (".NAME.tmp-*", ".NAME.old-*"), in `folder` and below.
QStringList temporariesIn(const QString& folder) {
  QStringList found;
  QDirIterator it(folder, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString name = QFileInfo(it.next()).fileName();
    if (name.startsWith(QLatin1Char('.')) &&
        (name.contains(QLatin1String(".tmp-")) || name.contains(QLatin1String(".old-"))))
      found << name;
  }
  return found;
}

// The probe's edit number in a title "edit N"; -1 if not so.
long editNumber(const QString& title) {
  if (!title.startsWith(QLatin1String("edit "))) return -1;
  bool ok = false;
  const long n = title.mid(5).toLong(&ok);
  return ok ? n : -1;
}

long probeEdit(const ui::ProjectSession& session) {
  for (const auto& [id, node] : session.document().nodes())
    if (const long n = editNumber(QString::fromStdString(node.title)); n >= 0) return n;
  return -1;
}

// What the saved file of `kind` holds, read the way the workbench reads it: the edit number, or the
// reason it cannot be read.
long savedEdit(const QString& kind, const QString& folder, QString* problem) {
  const QString project = folder + QStringLiteral("/project.mgproj");
  ui::ProjectSession session;
  if (kind == QLatin1String("project")) {
    if (QString error = session.load(project); !error.isEmpty()) *problem = error;
    return probeEdit(session);
  }
  if (kind == QLatin1String("autosave")) {
    ui::Autosave autosave(&session, folder + QStringLiteral("/recovery"));
    const auto recovery = autosave.pending();
    if (!recovery) {
      *problem = QStringLiteral("no recovery copy");
      return -1;
    }
    if (QString error = session.restore(recovery->file, recovery->originalPath); !error.isEmpty())
      *problem = error;
    if (session.filePath() != project) *problem = QStringLiteral("the copy names %1").arg(session.filePath());
    return probeEdit(session);
  }
  try {
    const auto run = results::readResultsFile(results::resultsFileFor(project.toStdString()));
    if (run.scores.size() != 1 || run.scores[0].scores.size() != 1) {
      *problem = QStringLiteral("unexpected results");
      return -1;
    }
    return static_cast<long>(run.scores[0].scores[0].examples);
  } catch (const std::exception& e) {
    *problem = QString::fromUtf8(e.what());
    return -1;
  }
}

// The highest "saved N" a run printed; `otherwise` if none.
long lastSaved(const QByteArray& output, long otherwise) {
  long last = otherwise;
  for (const QByteArray& line : output.split('\n'))
    if (line.startsWith("saved ")) last = std::max(last, line.mid(6).toLong());
  return last;
}

int runToEnd(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(MG_SAVE_LOOP), args);
  if (!p.waitForFinished(test::scaledMs(60000))) return -1;
  if (p.exitCode() != 0) qWarning("%s", p.readAllStandardError().constData());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

class CrashSafeSavesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aKilledSaveLeavesTheLastOrTheNext_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("project save") << QStringLiteral("project");
    QTest::newRow("autosave") << QStringLiteral("autosave");
    QTest::newRow("results file") << QStringLiteral("results");
  }

  void aKilledSaveLeavesTheLastOrTheNext() {
    QFETCH(QString, kind);
    test::TempDir dir;
    const QString folder = QString::fromStdString(dir.path());
    // The first start makes the project and saves edit 1 of `kind`.
    QCOMPARE(runToEnd({kind, folder, "0", "1"}), 0);
    long current = 1;
    std::mt19937 rng(20261205);
    std::uniform_int_distribution<int> delayMs(0, 40);
    int leftTemporaries = 0, savesSeen = 0;
    for (int k = 0; k < kKills; ++k) {
      QProcess p;
      p.start(QStringLiteral(MG_SAVE_LOOP), {kind, folder, QString::number(current), "-1"});
      QVERIFY(p.waitForStarted());
      // Killed while it saves: once the first save of this run is out, at a random moment after it.
      QByteArray output;
      while (!output.contains("saved ")) {
        QVERIFY2(p.waitForReadyRead(test::scaledMs(30000)), p.readAllStandardError().constData());
        output += p.readAllStandardOutput();
      }
      QThread::msleep(static_cast<unsigned long>(delayMs(rng)));
      ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
      QVERIFY(p.waitForFinished(test::scaledMs(10000)));
      output += p.readAllStandardOutput();
      const long last = lastSaved(output, current);
      savesSeen += int(last - current);
      if (!temporariesIn(folder).isEmpty()) ++leftTemporaries;
      QString problem;
      const long saved = savedEdit(kind, folder, &problem);
      QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after kill %1: %2").arg(k + 1).arg(problem)));
      // The last save that returned, or the one under way when the kill came: never anything else.
      QVERIFY2(saved == last || saved == last + 1,
               qPrintable(QStringLiteral("after kill %1 the file holds edit %2; the last save was %3")
                              .arg(k + 1)
                              .arg(saved)
                              .arg(last)));
      current = saved;
    }
    // The next start: nothing a killed save left remains.
    QCOMPARE(runToEnd({kind, folder, QString::number(current), "0"}), 0);
    QVERIFY2(temporariesIn(folder).isEmpty(), qPrintable(temporariesIn(folder).join(QStringLiteral(", "))));
    // The kills came mid-save, not only between saves (a save is mostly its fsync: on this machine about
    // two kills in three find a temporary).
    QVERIFY2(leftTemporaries >= 1, "no kill landed while a save was writing");
    qInfo("%s: %d kills, %d saves between them; %d kills left a temporary behind", qPrintable(kind), kKills,
          savesSeen, leftTemporaries);
  }
};

MG_TEST_MAIN(CrashSafeSavesTest)
#include "test_crash_safe_saves.moc"
