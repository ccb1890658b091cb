// `merganser-cli embed` as a user runs it on the quick demo zoo: parameter embeddings of adapters and a
// fine-tune (JSON and text), data embeddings of task files, the same numbers for the same seed, and
// one-line errors with exit status 2 for bad usage and bad input.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <filesystem>

#include "demo/demo_zoo.h"
#include "io/idx_file.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;

class EmbedCliTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  QString zoo_;

  QString path(const char* relative) const { return zoo_ + "/" + relative; }

  QJsonObject runJson(const QStringList& args) {
    const auto r = test::runCli(args);
    if (r.exitCode != 0) qWarning("%s", qPrintable(r.err));
    [&] { QCOMPARE(r.exitCode, 0); }();
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    [&] { QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString())); }();
    return doc.object();
  }

private Q_SLOTS:
  void initTestCase() {
    if (!fs::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    demo::DemoOptions options;
    options.outFolder = dir_.file("zoo");
    options.quick = true;
    demo::buildDemoZoo(options);
    zoo_ = QString::fromStdString(options.outFolder);
  }

  void parameterEmbeddingsOfAdaptersAndAFineTune() {
    const auto j = runJson({"embed", "--adapters", path("adapters/rotate"), path("adapters/flip"),
                            path("adapters/invert"), path("finetunes/invert"), path("adapters/rotate"),
                            "--base", path("base"), "--kind", "param", "--json"});
    QCOMPARE(j["kind"].toString(), QString("param"));
    QCOMPARE(j["metric"].toString(), QString("cosine"));
    QCOMPARE(j["dimensions"].toInt(), 1024);
    const auto names = j["names"].toArray();
    QCOMPARE(names.size(), 5);
    QCOMPARE(names[0].toString(), QString("adapters/rotate")); // made unique by the parent folder
    QCOMPARE(names[2].toString(), QString("adapters/invert"));
    QCOMPARE(names[3].toString(), QString("finetunes/invert"));
    const auto similarity = j["similarity"].toArray();
    QCOMPARE(similarity[0].toArray()[4].toDouble(), 1.0); // the same adapter twice
    QCOMPARE(j["nearest"].toArray()[0].toString(), QString("adapters/rotate"));
    QCOMPARE(j["vectors"].toArray()[0].toArray().size(), 1024);
    for (const char* projection : {"pca", "mds", "tsne"})
      QCOMPARE(j["coordinates"].toObject()[projection].toArray().size(), 5);
    QCOMPARE(j["clusters"].toArray().size(), 5);
    QCOMPARE(j["cluster_order"].toArray().size(), 5);
  }

  void theSameSeedGivesTheSameNumbers() {
    const QStringList args{"embed",
                           "--adapters",
                           path("adapters/rotate"),
                           path("adapters/flip"),
                           path("adapters/invert"),
                           path("adapters/rotate"),
                           "--kind",
                           "param",
                           "--projection",
                           "tsne",
                           "--seed",
                           "3",
                           "--dims",
                           "64",
                           "--json"};
    const auto a = runJson(args), b = runJson(args);
    QCOMPARE(a, b);
    QCOMPARE(a["projection"].toString(), QString("tsne"));
    QCOMPARE(a["dimensions"].toInt(), 64);
  }

  void dataEmbeddingsOfTasksAsText() {
    const auto r = test::runCli(
        {"embed", "--base", path("base"), "--tasks", path("tasks"), "--kind", "data", "--projection", "mds"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("data embeddings: 6 points x 64 values"), qPrintable(r.out));
    QVERIFY(r.out.contains("cosine similarity:"));
    QVERIFY(r.out.contains("rotate+invert: nearest "));
    QVERIFY(r.out.contains("2-D coordinates (mds):"));
  }

  void fisherEmbeddingsShowTask2VecDistances() {
    const auto j = runJson({"embed", "--base", path("base"), "--tasks", path("tasks/rotate.h5"), "--tasks",
                            path("tasks/invert.h5"), "--tasks", path("tasks/rotate+invert.h5"), "--kind",
                            "fisher", "--json"});
    QCOMPARE(j["metric"].toString(), QString("task2vec"));
    QCOMPARE(j["names"].toArray().size(), 3);
    QCOMPARE(j["asymmetric_distance"].toArray().size(), 3);
    QCOMPARE(j["skills"].toArray()[2].toArray().size(), 2);
  }

  void badUsageAndBadInputSayWhatIsWrong() {
    auto oneLine = [](const test::CliResult& r) { return r.err.trimmed().split('\n').first(); };
    auto r = test::runCli({"embed", "--kind", "param"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("give --adapters"), qPrintable(r.err));
    r = test::runCli({"embed", "--adapters", path("adapters/rotate"), "--kind", "nonsense"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--kind must be param, fisher or data"));
    r = test::runCli({"embed", "--kind", "fisher", "--tasks", path("tasks")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("give --tasks and --base"));
    // A fine-tune without its base.
    r = test::runCli({"embed", "--adapters", path("finetunes/invert"), "--kind", "param"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r).contains("finetunes/invert") && oneLine(r).contains("--base"), qPrintable(r.err));
    // A path that is not there.
    r = test::runCli({"embed", "--adapters", path("adapters/missing"), "--kind", "param"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r).contains("adapters/missing"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
  }
};

MG_TEST_GUILESS_MAIN(EmbedCliTest)
#include "test_embed_cli.moc"
