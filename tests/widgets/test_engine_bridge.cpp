// The engine as the GUI drives it: runs on a worker thread, reports node states on the GUI thread,
// re-uses its cache on a second run, a cancel during an export leaves no file behind, and a failed run is
// reported as failed with its message, never as cancelled.
#include "support/test_registry.h"
#include <QSignalSpy>
#include <QtTest>

#include <filesystem>
#include <stdexcept>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "bridge/background_priority.h"
#include "bridge/engine_bridge.h"
#include "graph/builtin_node_types.h"
#include "graph/node_type_registry.h"
#include "graph/validation.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

using namespace mg;
using engine::NodeState;
namespace nt = graph::node_types;

namespace {

// `tensors` tensors of 64k floats each.
void writeModel(const std::string& path, float value, int tensors) {
  std::vector<io::TensorInfo> infos;
  for (int t = 0; t < tensors; ++t)
    infos.push_back({"layers." + std::to_string(t) + ".w", io::DType::F32, {256, 256}});
  io::writeSafetensors(path, infos, [&](const io::TensorInfo& info) {
    return io::TensorData::fromFloat32(info.name, info.shape, std::vector<float>(256 * 256, value));
  });
}

// A node type whose validation rule throws: the executor fails the run outside any node, which the bridge
// must report as a failure with the message, never as a cancel.
const graph::NodeTypeRegistry& typesWithABrokenRule() {
  static graph::NodeTypeRegistry registry;
  static const bool filled = [] {
    graph::NodeType broken;
    broken.id = "test.bridge.broken_rule";
    broken.title = "Broken rule";
    broken.category = "Sinks";
    broken.sink = true;
    broken.check = [](const graph::Document&, graph::NodeId, std::vector<graph::Issue>&) {
      throw std::runtime_error("the rule broke");
    };
    registry.registerType(std::move(broken));
    return true;
  }();
  (void)filled;
  return registry;
}

struct Project {
  test::TempDir dir;
  graph::Document doc;
  graph::NodeId merge = 0, exporter = 0;
  std::string out;
  explicit Project(int tensors = 4) {
    writeModel(dir.file("a.safetensors"), 1.0f, tensors);
    writeModel(dir.file("b.safetensors"), 3.0f, tensors);
    const auto a = doc.addNode(nt::kSourceModel), b = doc.addNode(nt::kSourceModel);
    doc.setParam(a, "path", dir.file("a.safetensors"));
    doc.setParam(b, "path", dir.file("b.safetensors"));
    merge = doc.addNode(graph::mergeNodeTypeId("linear"));
    exporter = doc.addNode(nt::kExport);
    out = dir.file("out.safetensors");
    doc.setParam(exporter, "path", out);
    doc.connect({a, 0}, {merge, 1});
    doc.connect({b, 0}, {merge, 2});
    doc.connect({merge, 0}, {exporter, 0});
  }
};

} // namespace

class EngineBridgeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // The engine's thread yields the cores to the window (its nice value 10 above): the canvas keeps drawing
  // while a run computes. Threads it starts inherit that.
  void theWorkerRunsAtBackgroundPriority() {
    const auto nice = [] { return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))); };
    const int window = nice();
    int worker = window, child = window;
    std::thread([&] {
      ui::runInBackgroundPriority();
      worker = nice();
      std::thread([&] { child = nice(); }).join();
    }).join();
    QCOMPARE(worker, std::min(window + 10, 19));
    QCOMPARE(child, worker);
    QCOMPARE(nice(), window); // the calling thread only
  }

  void runsInTheBackgroundAndReportsOnTheGuiThread() {
    Project p;
    test::TempDir scratch;
    ui::EngineBridge bridge(QString::fromStdString(scratch.path()));
    QSignalSpy statuses(&bridge, &ui::EngineBridge::nodeStatusChanged);
    QSignalSpy finished(&bridge, &ui::EngineBridge::finished);
    bool onGuiThread = true;
    connect(&bridge, &ui::EngineBridge::nodeStatusChanged, this,
            [&] { onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread(); });
    QVERIFY(bridge.run(p.doc));
    QVERIFY(bridge.isRunning());
    QVERIFY(!bridge.run(p.doc)); // one run at a time
    QVERIFY(finished.wait(test::scaledMs(60000)));
    QVERIFY(!bridge.isRunning());
    QVERIFY(onGuiThread);
    const auto summary = finished.first().first().value<engine::RunSummary>();
    QVERIFY(summary.ok());
    QVERIFY(std::filesystem::exists(p.out));
    bool sawExportDone = false;
    for (const auto& args : statuses) {
      sawExportDone |=
          args[0].toULongLong() == p.exporter && args[1].value<engine::NodeStatus>().state == NodeState::Done;
    }
    QVERIFY(sawExportDone);

    // A second run of the same graph: everything from the cache.
    finished.clear();
    QVERIFY(bridge.run(p.doc));
    QVERIFY(finished.wait(test::scaledMs(60000)));
    const auto again = finished.first().first().value<engine::RunSummary>();
    QCOMPARE(again.nodes.at(p.merge).state, NodeState::Cached);
    QCOMPARE(again.nodes.at(p.exporter).state, NodeState::Cached);
  }

  void cancelDuringAnExportLeavesNoFile() {
    Project p(200);
    test::TempDir scratch;
    ui::EngineBridge bridge(QString::fromStdString(scratch.path()));
    QSignalSpy finished(&bridge, &ui::EngineBridge::finished);
    connect(&bridge, &ui::EngineBridge::nodeStatusChanged, this,
            [&](quint64 node, const engine::NodeStatus& status) {
              if (node == p.exporter && status.state == NodeState::Running && status.progress > 0)
                bridge.cancel();
            });
    QVERIFY(bridge.run(p.doc));
    QVERIFY(finished.wait(test::scaledMs(60000)));
    const auto summary = finished.first().first().value<engine::RunSummary>();
    QVERIFY(summary.cancelled);
    QCOMPARE(summary.nodes.at(p.exporter).state, NodeState::Cancelled);
    QVERIFY(!std::filesystem::exists(p.out));
    QCOMPARE(test::listFolder(p.dir.path()).size(), std::size_t(2)); // the inputs; no temporary file
  }

  void aRunThatFailsIsReportedAsAFailureWithItsMessageNotAsCancelled() {
    graph::Document doc(typesWithABrokenRule());
    doc.addNode("test.bridge.broken_rule");
    test::TempDir scratch;
    ui::EngineBridge bridge(QString::fromStdString(scratch.path()));
    QSignalSpy finished(&bridge, &ui::EngineBridge::finished);
    QVERIFY(bridge.run(doc));
    QVERIFY(finished.wait(test::scaledMs(60000)));
    const auto summary = finished.first().first().value<engine::RunSummary>();
    QVERIFY(!summary.cancelled);
    QVERIFY(!summary.ok());
    QCOMPARE(summary.failure, std::string("the rule broke"));
    QVERIFY(!bridge.isRunning());
  }

  void destroyingTheBridgeMidRunCancelsAndWaits() {
    Project p(200);
    test::TempDir scratch;
    {
      ui::EngineBridge bridge(QString::fromStdString(scratch.path()));
      QVERIFY(bridge.run(p.doc));
    }
    QVERIFY(!std::filesystem::exists(p.out) || std::filesystem::file_size(p.out) > 0);
    QCOMPARE(test::listFolder(p.dir.path()).size() <= 3, true);
  }
};

MG_TEST_MAIN(EngineBridgeTest)
#include "test_engine_bridge.moc"
