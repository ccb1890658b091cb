// The manifest a theta repository stores for a checkpoint comes from whoever made the repository: a manifest
// that is not exactly one is refused with one line naming the file, never read as something else. The rows
// include what fuzzing found (a version number too large for any integer).
#include "support/test_registry.h"
#include <QtTest>

#include "io/io_error.h"
#include "theta/manifest.h"

using namespace mg;

namespace {

const std::string kObject = "0123456789abcdef0123456789abcdef";

std::string manifest(const std::string& version, const std::string& size, const std::string& shape,
                     const std::string& object = kObject) {
  return "{\"merganser_theta\":" + version + ",\"size\":" + size + ",\"header\":\"{}\",\"tensors\":[" +
         "{\"name\":\"w\",\"dtype\":\"F32\",\"shape\":" + shape + ",\"object\":\"" + object + "\"}]}";
}

} // namespace

class ThetaManifestTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aManifestReadsBackAsWritten() {
    theta::Manifest written;
    written.size = 48;
    written.header = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
    written.tensors.push_back({"w", {"F32", {2, 2}, kObject}});
    const theta::Manifest read = theta::manifestFromText(theta::manifestToText(written), "m.safetensors");
    QCOMPARE(read.size, written.size);
    QCOMPARE(read.header, written.header);
    QCOMPARE(read.tensors.size(), std::size_t(1));
    QCOMPARE(read.tensors[0].tensor.shape, (std::vector<std::int64_t>{2, 2}));
    QVERIFY(theta::looksLikeManifest(theta::manifestToText(written)));
  }

  void badManifestsAreRefusedInOneLine_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem");
    QTest::newRow("version too large for an integer (fuzzing)")
        << QString::fromStdString(manifest("184467440737095516161", "16", "[2,2]"))
        << "'merganser_theta' is not a count";
    QTest::newRow("version 2") << QString::fromStdString(manifest("2", "16", "[2,2]"))
                               << "unknown format version";
    QTest::newRow("size a float") << QString::fromStdString(manifest("1", "1e300", "[2,2]"))
                                  << "'size' is not a count";
    QTest::newRow("negative dimension")
        << QString::fromStdString(manifest("1", "16", "[2,-2]")) << "has a dimension that is not a count";
    QTest::newRow("float dimension") << QString::fromStdString(manifest("1", "16", "[2,1e30]"))
                                     << "has a dimension that is not a count";
    QTest::newRow("object not an id")
        << QString::fromStdString(manifest("1", "16", "[2,2]", "../../etc/passwd")) << "names no object id";
    QTest::newRow("duplicate key") << QString::fromStdString("{\"merganser_theta\":1,\"size\":1,\"size\":2}")
                                   << "duplicate key";
    QTest::newRow("not JSON") << QString::fromStdString("{\"merganser_theta\":1,") << "not valid JSON";
  }
  void badManifestsAreRefusedInOneLine() {
    QFETCH(QString, text);
    QFETCH(QString, problem);
    try {
      theta::manifestFromText(text.toStdString(), "models/m.safetensors");
      QFAIL("accepted");
    } catch (const io::IoError& error) {
      const QString message = QString::fromUtf8(error.what());
      QVERIFY2(message.startsWith("models/m.safetensors: ") && message.contains(problem) &&
                   !message.contains('\n'),
               qPrintable(message));
    }
  }
};

MG_TEST_MAIN(ThetaManifestTest)
#include "test_theta_manifest.moc"
