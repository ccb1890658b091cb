// `merganser-cli inspect` as a user runs it: the binary itself, its output and exit status.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <filesystem>
#include <sys/stat.h>

#include "io/hdf5_checkpoint.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "io/tensor.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

using test::runCli;

std::vector<io::TensorData> smallModel() {
  return {io::TensorData::fromFloat32("layer.bias", {3}, {1, 2, 3}),
          io::TensorData::fromFloat32("layer.weight", {3, 2}, {1, 2, 3, 4, 5, 6}, io::DType::BF16)};
}

} // namespace

class InspectCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void safetensorsJson() {
    test::TempDir dir;
    const auto file = dir.file("m.safetensors");
    io::writeSafetensors(file, smallModel(), {{"note", "hello"}});
    const auto r =
        runCli({QStringLiteral("inspect"), QString::fromStdString(file), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j[QStringLiteral("kind")].toString(), QStringLiteral("safetensors"));
    QCOMPARE(j[QStringLiteral("tensor_count")].toInt(), 2);
    QCOMPARE(j[QStringLiteral("parameter_count")].toInt(), 9);
    QCOMPARE(j[QStringLiteral("bytes")].toInt(), 3 * 4 + 6 * 2);
    QCOMPARE(j[QStringLiteral("dtypes")].toObject()[QStringLiteral("BF16")].toInt(), 1);
    QCOMPARE(j[QStringLiteral("metadata")].toObject()[QStringLiteral("note")].toString(),
             QStringLiteral("hello"));
    const auto tensors = j[QStringLiteral("tensors")].toArray();
    QCOMPARE(tensors.size(), 2);
    QCOMPARE(tensors[1].toObject()[QStringLiteral("name")].toString(), QStringLiteral("layer.weight"));
    QCOMPARE(tensors[1].toObject()[QStringLiteral("shape")].toArray(), QJsonArray({3, 2}));
  }

  void humanOutputListsTensors() {
    test::TempDir dir;
    const auto file = dir.file("m.safetensors");
    io::writeSafetensors(file, smallModel());
    const auto r = runCli({QStringLiteral("inspect"), QString::fromStdString(file)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("layer.weight")));
    QVERIFY(r.out.contains(QStringLiteral("[3, 2]")));
    QVERIFY(r.out.contains(QStringLiteral("parameters   9")));
  }

  void adapterReportsRankAndScaling() {
    test::TempDir dir;
    io::LoraConfig config;
    config.r = 2;
    config.loraAlpha = 4;
    config.targetModules = {"fc"};
    const std::string module = "fc";
    io::writePeftAdapter(
        dir.file("adapter"), config,
        {io::TensorData::fromFloat32(io::peftKey(module, "lora_A"), {2, 3}, std::vector<float>(6, 0.5f)),
         io::TensorData::fromFloat32(io::peftKey(module, "lora_B"), {4, 2}, std::vector<float>(8, 0.25f))});
    const auto r = runCli(
        {QStringLiteral("inspect"), QString::fromStdString(dir.file("adapter")), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j[QStringLiteral("kind")].toString(), QStringLiteral("peft-adapter"));
    const auto a = j[QStringLiteral("adapter")].toObject();
    QCOMPARE(a[QStringLiteral("rank")].toInt(), 2);
    QCOMPARE(a[QStringLiteral("alpha")].toDouble(), 4.0);
    QCOMPARE(a[QStringLiteral("scaling")].toDouble(), 2.0);
    QCOMPARE(a[QStringLiteral("target_modules")].toArray(), QJsonArray({QStringLiteral("fc")}));
  }

  void hdf5Checkpoint() {
    test::TempDir dir;
    const auto file = dir.file("m.h5");
    const auto model = smallModel();
    std::vector<io::TensorInfo> infos;
    for (const auto& t : model)
      infos.push_back(t.info);
    io::writeHdf5Checkpoint(file, infos, [&](const io::TensorInfo& info) {
      for (const auto& t : model)
        if (t.info.name == info.name) return t;
      throw std::logic_error("unexpected tensor");
    });
    const auto r =
        runCli({QStringLiteral("inspect"), QString::fromStdString(file), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j[QStringLiteral("kind")].toString(), QStringLiteral("hdf5"));
    QCOMPARE(j[QStringLiteral("parameter_count")].toInt(), 9);
  }

  void badInputIsOneLineNamingTheFile_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("bad.safetensors");
    QTest::newRow("huge header length")
        << QByteArray("\xff\xff\xff\xff\xff\xff\x00\x00{}", 10) << QStringLiteral("bad.safetensors");
    QTest::newRow("not json") << QByteArray("\x08\x00\x00\x00\x00\x00\x00\x00not json", 16)
                              << QStringLiteral("bad.safetensors");
  }
  void badInputIsOneLineNamingTheFile() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    test::TempDir dir;
    const auto file = dir.file("bad.safetensors");
    test::writeBytes(file, content.toStdString());
    const auto r = runCli({QStringLiteral("inspect"), QString::fromStdString(file)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0); // one line
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
  }

  void missingPathAndPickles() {
    test::TempDir dir;
    auto r = runCli({QStringLiteral("inspect"), QString::fromStdString(dir.file("nope.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("nope.safetensors")));
    test::writeBytes(dir.file("pytorch_model.bin"), "PK\x03\x04 pickle");
    r = runCli({QStringLiteral("inspect"), QString::fromStdString(dir.file("pytorch_model.bin"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("pytorch_model.bin")), qPrintable(r.err));
  }

  void fifoDoesNotHang() {
    test::TempDir dir;
    const auto fifo = dir.file("pipe.safetensors");
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    const auto r = runCli({QStringLiteral("inspect"), QString::fromStdString(fifo)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("pipe.safetensors")));
  }

  void usageErrors() {
    QCOMPARE(runCli({QStringLiteral("inspect")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("inspect"), QStringLiteral("--bogus"), QStringLiteral("x")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("--help")}).exitCode, 0);
  }
};

MG_TEST_GUILESS_MAIN(InspectCliTest)
#include "test_inspect.moc"
