// `merganser-cli train` as a user runs it: a LoRA specialist of a small
// classifier trained on one task of a task folder, the curve printed as it
// trains, the final validation score in --json, an adapter folder that
// `merganser-cli eval` scores on its base; and settings that cannot train
// refused before training, by name.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <filesystem>

#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

using namespace mg;

namespace {

QStringList trainArguments(const test::SweepProject& p, const std::string& out) {
  return {"train",
          "--base",
          QString::fromStdString(p.dir.file("base.safetensors")),
          "--tasks",
          QString::fromStdString(p.dir.file("tasks")),
          "--task",
          "alpha",
          "--rank",
          "4",
          "--examples",
          "0",
          "--validation-examples",
          "20",
          "--example-unit",
          "per_task",
          "--steps",
          "40",
          "--learning-rate",
          "0.02",
          "--out",
          QString::fromStdString(out)};
}

} // namespace

class TrainCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void trainsAnAdapterThatEvalScores() {
    test::SweepProject p;
    const std::string out = p.dir.file("lora-alpha");
    auto r = test::runCli(trainArguments(p, out) << "--json");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.err.contains(QStringLiteral("step     10  loss ")),
             qPrintable(r.err)); // the curve, live
    QVERIFY2(r.err.contains(QStringLiteral("validation ")), qPrintable(r.err));
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j.value("method").toString(), QStringLiteral("lora"));
    QCOMPARE(j.value("steps").toInt(), 40);
    QCOMPARE(j.value("validation_examples").toInt(), 20);
    QCOMPARE(j.value("curve").toArray().size(), 5); // before the first step, then every 10
    const double best = j.value("best_validation").toDouble();
    QVERIFY(best > 0 && best <= 1);
    QVERIFY(std::filesystem::exists(std::filesystem::path(out) / "adapter_config.json"));

    r = test::runCli({"eval", "--model", QString::fromStdString(out), "--base",
                      QString::fromStdString(p.dir.file("base.safetensors")), "--tasks",
                      QString::fromStdString(p.dir.file("tasks/alpha.h5"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QStringLiteral("alpha")), qPrintable(r.out));
  }

  void settingsThatCannotTrainAreRefusedFirst() {
    test::SweepProject p;
    const std::string out = p.dir.file("never");
    const auto withBase = [&](const QStringList& extra) { return trainArguments(p, out) + extra; };
    auto r = test::runCli(withBase({"--rank", "0"}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("rank must be at least 1")), qPrintable(r.err));
    r = test::runCli(withBase({"--examples", "500"}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("alpha")),
             qPrintable(r.err)); // names the task
    r = test::runCli(withBase({"--target-modules", "decoder"}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("decoder")), qPrintable(r.err));
    r = test::runCli(withBase({"--task", "gamma"}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no task 'gamma' among the tasks (alpha, beta)")),
             qPrintable(r.err));
    QVERIFY(!std::filesystem::exists(out)); // nothing written
  }
};

MG_TEST_APPLESS_MAIN(TrainCliTest)
#include "test_train_cli.moc"
