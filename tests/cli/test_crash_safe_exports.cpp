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

#include "io/safetensors_writer.h"
#include "io/tensor_source.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

constexpr int kKills = 20;

// A model of 8 tensors of 384×384 (4.5 MB): an export writes for a tenth of a second or more.
void writeModel(const std::string& path, int seed) {
  at::manual_seed(seed);
  std::vector<io::TensorData> tensors;
  for (int layer = 0; layer < 8; ++layer)
    tensors.push_back(tensor::fromTorch(at::randn({384, 384}), "layers." + std::to_string(layer) + ".weight",
                                        io::DType::F32));
  io::writeSafetensors(path, tensors);
}

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

// Entries beside `path` that a writer of it leaves while working (".NAME.tmp-*", ".NAME.old-*").
QStringList temporariesOf(const std::string& path) {
  const fs::path dest(path);
  const std::string prefix = "." + dest.filename().string() + ".";
  QStringList found;
  for (const auto& entry : fs::directory_iterator(dest.parent_path()))
    if (entry.path().filename().string().rfind(prefix, 0) == 0)
      found << QString::fromStdString(entry.path().filename().string());
  return found;
}

int runToEnd(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(MERGANSER_CLI), args);
  if (!p.waitForFinished(120000)) return -1;
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

struct Zoo {
  test::TempDir dir;
  QString base, hfBase, a, b;
  Zoo() {
    writeModel(dir.file("base.safetensors"), 1);
    writeModel(dir.file("a.safetensors"), 2);
    writeModel(dir.file("b.safetensors"), 3);
    fs::create_directories(dir.file("hf"));
    std::ofstream(dir.file("hf/config.json")) << R"({"model_type": "mlp", "torch_dtype": "float32"})";
    fs::copy_file(dir.file("base.safetensors"), dir.file("hf/model.safetensors"));
    base = QString::fromStdString(dir.file("base.safetensors"));
    hfBase = QString::fromStdString(dir.file("hf"));
    a = QString::fromStdString(dir.file("a.safetensors"));
    b = QString::fromStdString(dir.file("b.safetensors"));
  }
};

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
    Zoo zoo;
    const std::string dest = zoo.dir.file(out.toStdString());
    // Two different exports to the same destination: `version` 0 is the old one, 1 the new one.
    const auto args = [&](int version) {
      const QString lambda = version == 0 ? QStringLiteral("lambda=0.3") : QStringLiteral("lambda=0.7");
      const QString path = QString::fromStdString(dest);
      if (kind == QLatin1String("extract-lora"))
        return QStringList{"extract-lora", "--base", zoo.base, "--model", version == 0 ? zoo.a : zoo.b,
                           "--rank",       "4",      "--out",  path};
      QStringList list{"merge",
                       "--method",
                       "task_arithmetic",
                       "--base",
                       kind == QLatin1String("merge-hf") ? zoo.hfBase : zoo.base,
                       "--model",
                       zoo.a,
                       "--model",
                       zoo.b,
                       "--param",
                       lambda,
                       "--out",
                       path};
      if (kind == QLatin1String("merge-sharded"))
        list << "--shard-size"
             << "6MB";
      return list;
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
        if (writingFromMs < 0 && !temporariesOf(dest).isEmpty()) writingFromMs = timer.elapsed();
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
      QVERIFY(p.waitForFinished(30000));
      afterKills.push_back(stateOf(dest));
    }
    // The next start, run to the end: the new export, and nothing a killed run left behind.
    QCOMPARE(runToEnd(args(1)), 0);
    const State fresh = stateOf(dest);
    QVERIFY(fresh != old);
    QVERIFY2(temporariesOf(dest).isEmpty(), qPrintable(temporariesOf(dest).join(QStringLiteral(", "))));
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
