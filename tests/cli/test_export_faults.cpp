// Exports meet a hostile disk: a full file system, a read-only destination, something else in the way, a
// folder that vanishes while the export writes into it. Each is one clear error line naming the destination
// and the problem, exit code 2 (never a crash), the old export untouched and no temporary left.
// The small and the read-only file systems are real (tmpfs and a read-only bind mount), made in a private
// user and mount namespace (`unshare -rm`) so that the test needs no privileges.
#include "support/test_registry.h"
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <ATen/ATen.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "cli/export_fixture.h"
#include "support/cli_runner.h"
#include "support/test_time.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

bool canMountPrivately() {
  static const bool can =
      QProcess::execute(QStringLiteral("unshare"), {"-rm", "mount", "-t", "tmpfs", "none", "/mnt"}) == 0;
  return can;
}

#define MG_REQUIRE_SANDBOX()                                                                                 \
  if (!canMountPrivately())                                                                                  \
  QSKIP("`unshare -rm` cannot mount here (user namespaces disabled): no private file system to fill")

// What a sandbox run reports: the export's exit code and last error line, and what the mount held after it.
struct SandboxRun {
  int exitCode = -1;
  QString lastErrorLine;
  QStringList entries; // every path under the mount, sorted
  QString oldContent;  // the content of the old export's marker file afterwards
};

QString lastLine(const QString& text) {
  const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  return lines.isEmpty() ? QString() : lines.last();
}

// Mounts `mount` (a tmpfs of `tmpfsSize`, or a read-only bind of itself when tmpfsSize is empty) in a
// private namespace, puts the old export there (`marker` holding "old"), runs `merganser-cli args` and
// reports. The namespace, and the mount with it, ends with the script: what it held is reported from inside.
SandboxRun runInSandbox(const QString& mount, const QString& tmpfsSize, const QString& marker,
                        const QStringList& args) {
  const char* script = R"sh(set -e
m=$1; size=$2; marker=$3; shift 3
if [ -n "$size" ]; then mount -t tmpfs -o size="$size" none "$m"; fi
mkdir -p "$(dirname "$m/$marker")"; echo old > "$m/$marker"
if [ -z "$size" ]; then mount --bind "$m" "$m"; mount -o remount,bind,ro "$m"; fi
set +e
"$@" >/dev/null 2>"$m.err"; echo "exit=$?"
(cd "$m" && find . -mindepth 1 | sort)
echo "old=$(cat "$m/$marker")"
)sh";
  QProcess p;
  p.start(QStringLiteral("unshare"), QStringList{"-rm", "sh", "-c", QString::fromUtf8(script), "sh", mount,
                                                 tmpfsSize, marker, QStringLiteral(MERGANSER_CLI)} +
                                         args);
  SandboxRun run;
  if (!p.waitForFinished(test::scaledMs(120000))) return run;
  for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'))) {
    if (line.startsWith(QLatin1String("exit=")))
      run.exitCode = line.mid(5).toInt();
    else if (line.startsWith(QLatin1String("old=")))
      run.oldContent = line.mid(4);
    else if (line.startsWith(QLatin1String("./")))
      run.entries << line.mid(2);
  }
  QFile err(mount + QStringLiteral(".err"));
  if (err.open(QIODevice::ReadOnly)) run.lastErrorLine = lastLine(QString::fromUtf8(err.readAll()));
  return run;
}

// The entries the old export left in a sandbox: the marker and the folders above it.
QStringList oldEntries(const QString& marker) {
  QStringList entries;
  for (int slash = marker.indexOf(QLatin1Char('/')); slash >= 0;
       slash = marker.indexOf(QLatin1Char('/'), slash + 1))
    entries << marker.left(slash);
  entries << marker;
  return entries;
}

void addExportKinds() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QString>("out");
  QTest::addColumn<QString>("marker"); // the old export's file, under the sandbox
  QTest::newRow("single file") << "merge"
                               << "out.safetensors"
                               << "out.safetensors";
  QTest::newRow("sharded folder") << "merge-sharded"
                                  << "sharded"
                                  << "sharded/model.safetensors.index.json";
  QTest::newRow("Hugging Face folder") << "merge-hf"
                                       << "hf-out"
                                       << "hf-out/config.json";
  QTest::newRow("HDF5 checkpoint") << "merge"
                                   << "out.h5"
                                   << "out.h5";
  QTest::newRow("PEFT adapter") << "extract-lora"
                                << "adapter"
                                << "adapter/adapter_config.json";
}

} // namespace

class ExportFaultsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aFullDiskKeepsTheOldExport_data() { addExportKinds(); }
  void aFullDiskKeepsTheOldExport() {
    QFETCH(QString, kind);
    QFETCH(QString, out);
    QFETCH(QString, marker);
    MG_REQUIRE_SANDBOX();
    test::ExportZoo zoo;
    const QString mount = QString::fromStdString(zoo.dir.file("disk"));
    QDir().mkpath(mount);
    // Room for the old export but not the new one: 2 MB against 4.5 MB of merged tensors; 64 KB against
    // the adapter's 100 KB.
    const QString size = kind == QLatin1String("extract-lora") ? QStringLiteral("64k") : QStringLiteral("2m");
    const SandboxRun run =
        runInSandbox(mount, size, marker, test::exportArgs(kind, zoo, mount + "/" + out, 1));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.lastErrorLine.startsWith(mount + "/" + out), qPrintable(run.lastErrorLine));
    QVERIFY2(run.lastErrorLine.contains(QLatin1String("No space left on device")),
             qPrintable(run.lastErrorLine));
    QCOMPARE(run.oldContent, QStringLiteral("old"));
    QCOMPARE(run.entries, oldEntries(marker)); // nothing beside the old export, half-written or not
  }

  void aReadOnlyDestinationIsAClearError_data() { addExportKinds(); }
  void aReadOnlyDestinationIsAClearError() {
    QFETCH(QString, kind);
    QFETCH(QString, out);
    QFETCH(QString, marker);
    MG_REQUIRE_SANDBOX();
    test::ExportZoo zoo;
    const QString mount = QString::fromStdString(zoo.dir.file("readonly"));
    QDir().mkpath(mount);
    const SandboxRun run = runInSandbox(mount, {}, marker, test::exportArgs(kind, zoo, mount + "/" + out, 1));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.lastErrorLine.startsWith(mount + "/" + out), qPrintable(run.lastErrorLine));
    QVERIFY2(run.lastErrorLine.contains(QLatin1String("Read-only file system")),
             qPrintable(run.lastErrorLine));
    QCOMPARE(run.oldContent, QStringLiteral("old"));
    QCOMPARE(run.entries, oldEntries(marker));
  }

  // A single-file export whose path is a folder, and a folder export whose path is a file: refused when the
  // writing starts (not when the finished file cannot take the place), what is there untouched.
  void somethingElseAtTheDestination_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("out");
    QTest::addColumn<bool>("folderInTheWay");
    QTest::addColumn<QString>("problem");
    QTest::newRow("folder at a file's path") << "merge"
                                             << "out.safetensors" << true << "is a folder, not a file";
    QTest::newRow("folder at a checkpoint's path") << "merge"
                                                   << "out.h5" << true << "is a folder, not a file";
    QTest::newRow("file at a sharded folder's path") << "merge-sharded"
                                                     << "sharded" << false << "exists and is not a folder";
    QTest::newRow("file at an adapter's path") << "extract-lora"
                                               << "adapter" << false << "exists and is not a folder";
  }
  void somethingElseAtTheDestination() {
    QFETCH(QString, kind);
    QFETCH(QString, out);
    QFETCH(bool, folderInTheWay);
    QFETCH(QString, problem);
    test::ExportZoo zoo;
    const std::string dest = zoo.dir.file(out.toStdString());
    const std::string keep = folderInTheWay ? dest + "/notes.txt" : dest;
    if (folderInTheWay) fs::create_directories(dest);
    std::ofstream(keep) << "mine";
    const test::CliResult r = test::runCli(test::exportArgs(kind, zoo, QString::fromStdString(dest), 1));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(lastLine(r.err) == QString::fromStdString(dest) + ": " + problem, qPrintable(r.err));
    std::ifstream in(keep);
    std::string content;
    in >> content;
    QCOMPARE(content, std::string("mine"));
    QVERIFY(test::temporariesOf(dest).isEmpty());
  }

  // The destination's folder is deleted while the export writes into it (the export is stopped with
  // SIGSTOP once its temporary exists, so the deletion lands mid-write every time).
  void aVanishingFolderIsAClearError_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("out");
    QTest::newRow("single file") << "merge"
                                 << "out.safetensors";
    QTest::newRow("sharded folder") << "merge-sharded"
                                    << "sharded";
    QTest::newRow("HDF5 checkpoint") << "merge"
                                     << "out.h5";
    QTest::newRow("PEFT adapter") << "extract-lora"
                                  << "adapter";
  }
  void aVanishingFolderIsAClearError() {
    QFETCH(QString, kind);
    QFETCH(QString, out);
    test::ExportZoo zoo;
    const std::string folder = zoo.dir.file("exports");
    fs::create_directories(folder);
    const std::string dest = folder + "/" + out.toStdString();
    QProcess p;
    p.start(QStringLiteral(MERGANSER_CLI), test::exportArgs(kind, zoo, QString::fromStdString(dest), 1));
    QVERIFY(p.waitForStarted());
    bool caught = false;
    while (!p.waitForFinished(1)) {
      if (!test::temporariesOf(dest).isEmpty()) {
        ::kill(static_cast<pid_t>(p.processId()), SIGSTOP);
        caught = true;
        break;
      }
    }
    QVERIFY2(caught, "the export finished before its temporary was seen");
    fs::remove_all(folder);
    ::kill(static_cast<pid_t>(p.processId()), SIGCONT);
    QVERIFY(p.waitForFinished(test::scaledMs(60000)));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 2);
    const QString error = lastLine(QString::fromUtf8(p.readAllStandardError()));
    // Named as the user asked for it (a file in a folder being built: as it would be called in place).
    QVERIFY2(error.startsWith(QString::fromStdString(dest)) && !error.contains(QLatin1String(".tmp-")),
             qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("No such file or directory")), qPrintable(error));
    // Nothing half-written appears (a writer that makes its folder may have made the parent again: empty).
    QVERIFY(!fs::exists(folder) || fs::is_empty(folder));
  }
};

MG_TEST_MAIN(ExportFaultsTest)
#include "test_export_faults.moc"
