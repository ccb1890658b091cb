// `merganser-cli merge --method fisher|regmean --tasks ...`: each model's statistics on its task are
// computed once and read back from the statistics cache on the next merge; the merged checkpoint is the
// data-aware merge (not the average); missing or misplaced task data is refused with the reason.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include "io/safetensors_file.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

using namespace mg;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

std::vector<float> tensorOf(const std::string& file, const std::string& name) {
  return io::SafetensorsFile(file).load(name).toFloat32();
}

} // namespace

class DataAwareMergeCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void fisherAndRegmeanMergeOnTheTasksAndReuseTheCache() {
    test::SweepProject p; // a, b and tasks/alpha.h5, tasks/beta.h5 (one per model, in order)
    const QString cache = q(p.dir.file("cache"));
    const auto merge = [&](const char* method, const std::string& out) {
      return test::runCli({"merge", "--method", method, "--model", q(p.dir.file("a.safetensors")), "--model",
                           q(p.dir.file("b.safetensors")), "--tasks", q(p.dir.file("tasks/alpha.h5")),
                           "--tasks", q(p.dir.file("tasks/beta.h5")), "--param", "examples=40",
                           "--statistics-cache", cache, "--out", q(p.dir.file(out))});
    };
    auto r = merge("fisher", "fisher.safetensors");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(r.err.count(QStringLiteral("fisher computed, cached in")), 2);
    QVERIFY2(r.err.contains(QStringLiteral("a.safetensors on task alpha")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("b.safetensors on task beta")), qPrintable(r.err));
    QCOMPARE(test::listFolder(p.dir.file("cache")).size(), std::size_t(2));
    r = merge("fisher", "fisher2.safetensors");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(r.err.count(QStringLiteral("fisher read from")), 2);
    QCOMPARE(tensorOf(p.dir.file("fisher2.safetensors"), "head.weight"),
             tensorOf(p.dir.file("fisher.safetensors"), "head.weight"));

    r = merge("regmean", "regmean.safetensors");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(r.err.count(QStringLiteral("regmean_gram computed")), 2);
    // Neither is the plain average of the two models.
    const auto a = tensorOf(p.dir.file("a.safetensors"), "head.weight");
    const auto b = tensorOf(p.dir.file("b.safetensors"), "head.weight");
    for (const char* out : {"fisher.safetensors", "regmean.safetensors"}) {
      const auto merged = tensorOf(p.dir.file(out), "head.weight");
      double distance = 0;
      for (std::size_t i = 0; i < merged.size(); ++i)
        distance += std::abs(merged[i] - (a[i] + b[i]) / 2);
      QVERIFY2(distance > 1e-3, out);
    }
  }

  void taskDataIsRequiredAndOnlyForTheDataAwareMethods() {
    test::SweepProject p;
    auto r = test::runCli({"merge", "--method", "fisher", "--model", q(p.dir.file("a.safetensors")), "--out",
                           q(p.dir.file("out.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("fisher needs each model's task data: give --tasks")),
             qPrintable(r.err));
    r = test::runCli({"merge", "--method", "linear", "--model", q(p.dir.file("a.safetensors")), "--tasks",
                      q(p.dir.file("tasks")), "--out", q(p.dir.file("out.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--tasks is for the data-aware methods")), qPrintable(r.err));
    // Three models, two tasks, none named after a model: the first model without a task is named.
    r = test::runCli({"merge", "--method", "regmean", "--model", q(p.dir.file("a.safetensors")), "--model",
                      q(p.dir.file("b.safetensors")), "--model", q(p.dir.file("base.safetensors")), "--tasks",
                      q(p.dir.file("tasks")), "--statistics-cache", q(p.dir.file("cache")), "--out",
                      q(p.dir.file("out.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("has no task")), qPrintable(r.err));
    QVERIFY(!std::filesystem::exists(p.dir.file("out.safetensors")));
  }
};

MG_TEST_APPLESS_MAIN(DataAwareMergeCliTest)
#include "test_data_aware_merge_cli.moc"
