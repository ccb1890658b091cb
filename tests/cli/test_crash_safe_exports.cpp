// Exports survive SIGKILL: `merganser-cli` killed at random moments while it writes a merged model (one
// file, a sharded folder, a Hugging Face folder, an HDF5 checkpoint) or extracts a PEFT adapter, 20 times
// per kind. After every kill the destination holds the previous export or the complete new one, never a
// part; the next complete run leaves no temporary beside it (io/stale_temporaries.h).
#include "support/test_registry.h"
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>

#include "cli/export_fixture.h"
#include "io/tensor_source.h"
#include "support/cli_runner.h"
#include "support/test_time.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

constexpr int kKills = 20;

// What a path holds: each file's relative name and content hash ("" for the path itself when it is a file).
using State = std::map<std::string, std::size_t>;

std::size_t hashOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return std::hash<std::string>{}(bytes.str());
}

State stateOf(const std::string& path) {
  State state;
  // An HDF5 checkpoint records when its objects were made: two exports of the same tensors differ in bytes,
  // so a checkpoint is compared by its tensors (one that does not open is a state of its own).
  if (fs::path(path).extension() == ".h5" && fs::exists(path)) {
    try {
      const auto source = io::openTensorSource(path);
      for (const auto& info : source->tensors()) {
        const io::TensorData data = source->load(info.name);
        state[info.name] = std::hash<std::string_view>{}(
            std::string_view(reinterpret_cast<const char*>(data.bytes.data()), data.bytes.size()));
      }
    } catch (const std::exception& e) {
      state["unreadable: " + std::string(e.what())] = 0;
    }
    return state;
  }
  if (fs::is_regular_file(path)) {
    state[""] = hashOf(path);
  } else if (fs::is_directory(path)) {
    for (const auto& entry : fs::recursive_directory_iterator(path))
      if (entry.is_regular_file()) state[fs::relative(entry.path(), path).string()] = hashOf(entry.path());
  }
  return state;
}

} // namespace

class CrashSafeExportsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aKilledExportLeavesTheOldOrTheNew_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("out");
    QTest::newRow("single file") << QStringLiteral("merge") << QStringLiteral("out.safetensors");
    QTest::newRow("sharded folder") << QStringLiteral("merge-sharded") << QStringLiteral("sharded");
    QTest::newRow("Hugging Face folder") << QStringLiteral("merge-hf") << QStringLiteral("hf-out");
    QTest::newRow("HDF5 checkpoint") << QStringLiteral("merge") << QStringLiteral("out.h5");
    QTest::newRow("PEFT adapter") << QStringLiteral("extract-lora") << QStringLiteral("adapter");
  }

  void aKilledExportLeavesTheOldOrTheNew() {
    QFETCH(QString, kind);
    QFETCH(QString, out);
    test::ExportZoo zoo;
    const std::string dest = zoo.dir.file(out.toStdString());
    // Two different exports to the same destination: `version` 0 is the old one, 1 the new one.
    const auto args = [&](int version) {
      return exportArgs(kind, zoo, QString::fromStdString(dest), version);
    };

    // The old export, timed: from when its temporary appears (writing starts) to its end is the window
    // the kills fall in, so that they hit the writing rather than LibTorch's start-up.
    QElapsedTimer timer;
    timer.start();
    qint64 writingFromMs = -1;
    {
      QProcess p;
      p.start(QStringLiteral(MERGANSER_CLI), args(0));
      QVERIFY(p.waitForStarted());
      while (!p.waitForFinished(1))
        if (writingFromMs < 0 && !test::temporariesOf(dest).isEmpty()) writingFromMs = timer.elapsed();
      QCOMPARE(p.exitCode(), 0);
    }
    const qint64 endMs = timer.elapsed();
    QVERIFY2(writingFromMs >= 0, "no temporary was seen while the export ran");
    const State old = stateOf(dest);
    QVERIFY(!old.empty());

    std::mt19937 rng(20261205);
    std::uniform_int_distribution<qint64> delay(writingFromMs, endMs);
    std::vector<State> afterKills;
    int landed = 0; // kills that hit a running process
    for (int k = 0; k < kKills; ++k) {
      QProcess p;
      p.start(QStringLiteral(MERGANSER_CLI), args(1));
      QVERIFY(p.waitForStarted());
      QThread::msleep(static_cast<unsigned long>(delay(rng)));
      if (p.state() == QProcess::Running) ++landed;
      p.kill(); // SIGKILL
      QVERIFY(p.waitForFinished(test::scaledMs(30000)));
      afterKills.push_back(stateOf(dest));
    }
    // The next start, run to the end: the new export, and nothing a killed run left behind.
    QCOMPARE(test::runCli(args(1)).exitCode, 0);
    const State fresh = stateOf(dest);
    QVERIFY(fresh != old);
    QVERIFY2(test::temporariesOf(dest).isEmpty(),
             qPrintable(test::temporariesOf(dest).join(QStringLiteral(", "))));
    for (std::size_t k = 0; k < afterKills.size(); ++k)
      QVERIFY2(
          afterKills[k] == old || afterKills[k] == fresh,
          qPrintable(QStringLiteral("after kill %1 the destination is neither the old nor the new export")
                         .arg(k + 1)));
    // Most kills hit the export at work (runs vary in length, so some may come after the end).
    QVERIFY2(landed >= kKills / 2,
             qPrintable(QStringLiteral("%1 of %2 kills landed").arg(landed).arg(kKills)));
    qInfo("%s: %d of %d kills during the run, at %lld-%lld ms (writing starts, run ends)", qPrintable(out),
          landed, kKills, writingFromMs, endMs);
  }
};

MG_TEST_MAIN(CrashSafeExportsTest)
#include "test_crash_safe_exports.moc"
