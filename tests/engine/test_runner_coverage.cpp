// Every node type the editor offers either runs (it has a runner) or is marked as not runnable with the
// reason users see before a run: none validates and then fails with "cannot run in this version yet".
#include "support/test_registry.h"
#include <QtTest>

#include "engine/node_runner.h"
#include "graph/node_type_registry.h"

using namespace mg;

class RunnerCoverageTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void everyNodeTypeRunsOrSaysWhyItCannot() {
    const auto& runners = engine::NodeRunnerRegistry::instance();
    const auto& types = graph::NodeTypeRegistry::instance().types();
    QVERIFY(!types.empty());
    for (const graph::NodeType* type : types) {
      const bool runs = runners.find(type->id) != nullptr;
      const bool markedNotRunnable = !type->notRunnable.empty();
      QVERIFY2(runs != markedNotRunnable,
               (type->id + (runs ? ": has a runner but is marked not runnable"
                                 : ": has no runner and is not marked not runnable"))
                   .c_str());
    }
  }
};

MG_TEST_APPLESS_MAIN(RunnerCoverageTest)
#include "test_runner_coverage.moc"
