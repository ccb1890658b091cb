// `merganser-cli run` on a project with a Sweep node: each point is printed with its mean accuracy and the
// best one marked, the JSON summary carries the same lines, and a sweep that cannot work fails the run with
// the reason.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "graph/project_file.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

using namespace mg;

class SweepCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void runPrintsEveryPointAndTheBest() {
    test::SweepProject p;
    QVERIFY(!p.doc.setParam(p.sweep, "steps", 3));
    const std::string project = p.dir.file("sweep.mgproj");
    graph::saveProject(p.doc, project);

    auto r = test::runCli({"run", QString::fromStdString(project)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("'Sweep': done"), qPrintable(r.out));
    QVERIFY2(r.out.contains("lambda of 'Task arithmetic'"), qPrintable(r.out));
    for (const char* point : {"lambda=0.00: mean ", "lambda=0.50: mean ", "lambda=1.00: mean "})
      QVERIFY2(r.out.contains(QLatin1String(point)), qPrintable(r.out));
    QCOMPARE(r.out.count(QStringLiteral("(best)")), 1);
    QVERIFY2(r.out.contains(QStringLiteral("alpha ")) && r.out.contains(QStringLiteral("beta ")),
             qPrintable(r.out));

    r = test::runCli({"run", QString::fromStdString(project), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto nodes = QJsonDocument::fromJson(r.out.toUtf8()).object().value("nodes").toArray();
    bool found = false;
    for (const auto& node : nodes) {
      const auto object = node.toObject();
      if (object.value("type").toString() != QLatin1String(graph::node_types::kSweep)) continue;
      found = true;
      QCOMPARE(object.value("state").toString(), QStringLiteral("done"));
      QCOMPARE(object.value("facts").toArray().size(), 4);
    }
    QVERIFY(found);
  }

  void aSweepThatCannotWorkFailsTheRunWithTheReason() {
    test::SweepProject p;
    QVERIFY(!p.doc.setParam(p.sweep, "parameter", "temperature"));
    const std::string project = p.dir.file("sweep.mgproj");
    graph::saveProject(p.doc, project);
    const auto r = test::runCli({"run", QString::fromStdString(project)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("'Sweep': failed: no node upstream of 'Evaluate'"), qPrintable(r.out));
    QVERIFY2(r.out.contains("has a parameter 'temperature'"), qPrintable(r.out));
  }
};

MG_TEST_APPLESS_MAIN(SweepCliTest)
#include "test_sweep_cli.moc"
