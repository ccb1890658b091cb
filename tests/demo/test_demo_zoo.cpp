// The quick demo zoo as a user gets it from `merganser-cli demo --quick`: real Fashion-MNIST, adapters that
// load as PEFT adapters of the base, task files with their skills, specialists better than the base on their
// own task, a project that validates and runs end to end (interference included), and nothing half-written
// when it cannot finish, nor when its run is cancelled during any of its nodes.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include "demo/demo_tasks.h"
#include "demo/demo_zoo.h"
#include "embed/embedding_map.h"
#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "graph/validation.h"
#include "eval/evaluation.h"
#include "io/hf_model_folder.h"
#include "io/idx_file.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;

class DemoZooTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::string out_;
  demo::DemoReport report_;

private Q_SLOTS:
  void initTestCase() {
    if (!fs::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    out_ = dir_.file("zoo");
    demo::DemoOptions options;
    options.outFolder = out_;
    options.quick = true;
    report_ = demo::buildDemoZoo(options);
  }

  void writesTheDocumentedLayout() {
    QCOMPARE(report_.projectPath, (fs::path(out_) / "demo.mgproj").string());
    for (const char* entry : {"base/config.json", "base/model.safetensors", "demo.mgproj"})
      QVERIFY2(fs::exists(fs::path(out_) / entry), entry);
    // Nothing of the staging folder is left beside the output.
    QCOMPARE(test::listFolder(dir_.path()), std::vector<std::string>{"zoo"});
  }

  void adaptersLoadAsPeftAdaptersOfTheBase() {
    const io::HfModelFolder base((fs::path(out_) / "base").string());
    int loras = 0;
    for (const auto& specialist : report_.specialists) {
      if (specialist.fullFineTune) continue;
      const io::PeftAdapter adapter(specialist.folder);
      QCOMPARE(adapter.config().r, 8);
      QCOMPARE(adapter.modules().size(), std::size_t(2)); // the trunk's two layers; the head stays fixed
      adapter.validateAgainst(base);
      ++loras;
    }
    QCOMPARE(loras, 3);
  }

  void taskFilesCarryTheirSkills() {
    const auto tasks = io::readTaskSet((fs::path(out_) / "tasks").string());
    QCOMPARE(tasks.size(), demo::demoTasks().size());
    for (const auto& task : tasks) {
      const auto& spec = *std::find_if(demo::demoTasks().begin(), demo::demoTasks().end(),
                                       [&](const auto& t) { return t.name == task.name; });
      QCOMPARE(task.skills, spec.skills);
      QCOMPARE(task.labelNames.size(), std::size_t(10));
      QCOMPARE(task.inputShape, (std::vector<std::int64_t>{500, 28, 28}));
    }
  }

  // Training data for the Fine-tune node: every task through its skills, from Fashion-MNIST's training set.
  void trainingTasksAreWrittenBesideTheTestTasks() {
    const auto tasks = io::readTaskSet((fs::path(out_) / "tasks" / "train").string());
    QCOMPARE(tasks.size(), demo::demoTasks().size());
    for (const auto& task : tasks) {
      QCOMPARE(task.split, std::string("train"));
      QCOMPARE(task.inputShape, (std::vector<std::int64_t>{500, 28, 28}));
    }
  }

  void specialistsBeatTheBaseOnTheirOwnTask() {
    for (const auto& specialist : report_.specialists)
      QVERIFY2(specialist.accuracy > specialist.baseAccuracy + 0.02,
               (specialist.task + ": " + std::to_string(specialist.accuracy) + " vs base " +
                std::to_string(specialist.baseAccuracy))
                   .c_str());
  }

  void theProjectValidatesAndRuns() {
    const auto document = graph::loadProject(report_.projectPath);
    for (const auto& issue : graph::validate(document))
      QVERIFY2(issue.severity != graph::Severity::Error, issue.message.c_str());
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(document, {}, {}, cancel);
    QVERIFY(summary.ok());
    std::size_t evaluations = 0, routers = 0;
    const engine::NodeStatus* compare = nullptr;
    for (const auto& [id, status] : summary.nodes) {
      if (document.at(id).type == graph::node_types::kEvaluate) ++evaluations;
      if (document.at(id).type == graph::node_types::kRouter) ++routers;
      if (document.at(id).type == graph::node_types::kCompare) compare = &status;
    }
    QVERIFY(compare);
    const auto sweep = std::find_if(summary.nodes.begin(), summary.nodes.end(), [&](const auto& entry) {
      return document.at(entry.first).type == graph::node_types::kSweep;
    });
    QVERIFY(sweep != summary.nodes.end());
    QCOMPARE(sweep->second.results.size(), std::size_t(4));
    QCOMPARE(sweep->second.results.front().parameter, std::string("lambda"));
    QCOMPARE(sweep->second.results.back().parameterValue, 1.0);
    // The specialists' task embeddings: one point each, drawn in 2-D; then the tasks' Fisher and data
    // embeddings (base and tasks are connected), for the view's kind switch.
    const auto map = std::find_if(summary.nodes.begin(), summary.nodes.end(), [&](const auto& entry) {
      return document.at(entry.first).type == graph::node_types::kEmbeddingMap;
    });
    QVERIFY(map != summary.nodes.end());
    QCOMPARE(map->second.embeddings.size(), std::size_t(3));
    QCOMPARE(map->second.embeddings.front().nodes.size(), std::size_t(4));
    QCOMPARE(map->second.embeddings[1].map->kind, embed::EmbeddingKind::Fisher);
    QCOMPARE(map->second.embeddings[2].map->size(), demo::demoTasks().size());
    QVERIFY(map->second.warnings.empty());
    // Interference: every specialist (3 LoRAs, 1 fine-tune) on every task, a rotate LoRA moving the base's
    // features on some input.
    const auto interference =
        std::find_if(summary.nodes.begin(), summary.nodes.end(), [&](const auto& entry) {
          return document.at(entry.first).type == graph::node_types::kInterference;
        });
    QVERIFY(interference != summary.nodes.end());
    QCOMPARE(interference->second.matrices.size(), std::size_t(1));
    const auto& matrix = interference->second.matrices.front();
    QCOMPARE(matrix.rows.size(), std::size_t(4));
    QCOMPARE(matrix.columns.size(), demo::demoTasks().size());
    for (std::size_t row = 0; row < matrix.rows.size(); ++row) {
      QVERIFY(document.contains(matrix.rowNodes[row]));
      for (const double value : matrix.values[row])
        QVERIFY2(value > 0.01 && value < 10, std::to_string(value).c_str());
    }
    QCOMPARE(compare->results.size(), evaluations + routers);
    // Base, 3 LoRA specialists, 1 fine-tune, 4 merges, the Fine-tune node's 16-shot LoRA, and 4 routers; each
    // scored on every task.
    QCOMPARE(evaluations, std::size_t(10));
    QCOMPARE(routers, std::size_t(4));
    QVERIFY(std::any_of(compare->results.begin(), compare->results.end(),
                        [](const auto& model) { return model.model == "Router (arrow, top-1)"; }));
    // The 16-shot LoRA trained in the graph learns the novel composition no merge solves.
    const auto shot = std::find_if(compare->results.begin(), compare->results.end(),
                                   [](const auto& model) { return model.model == "16-shot rotate+invert"; });
    const auto base = std::find_if(compare->results.begin(), compare->results.end(),
                                   [](const auto& model) { return model.model == "Base"; });
    QVERIFY(shot != compare->results.end() && base != compare->results.end());
    const auto accuracyOn = [](const auto& model, const std::string& task) {
      for (const auto& score : *model.scores)
        if (score.task == task) return score.accuracy;
      return -1.0;
    };
    QVERIFY2(accuracyOn(*shot, "rotate+invert") > accuracyOn(*base, "rotate+invert") + 0.2,
             std::to_string(accuracyOn(*shot, "rotate+invert")).c_str());
    for (const auto& model : compare->results)
      QCOMPARE(model.scores->size(), demo::demoTasks().size());
  }

  void refusesAFolderThatIsNotADemoZoo() {
    test::TempDir other;
    test::writeBytes(other.file("notes.txt"), "mine");
    demo::DemoOptions options;
    options.outFolder = other.path();
    options.quick = true;
    try {
      demo::buildDemoZoo(options);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find(other.path()) != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("not a Merganser demo zoo") != std::string::npos, e.what());
    }
    QCOMPARE(test::listFolder(other.path()), std::vector<std::string>{"notes.txt"});
  }

  // Cancel while each node of the demo project runs (plus an export of its first merge, the node that
  // writes where the user asked): the run ends cancelled, the export is absent or whole, and no temporary
  // is left in the zoo's folder or the engine's scratch folder.
  void cancellingDuringEachNodeLeavesNothingHalfWritten() {
    auto document = graph::loadProject(report_.projectPath);
    graph::NodeId merge = 0;
    for (const auto& [id, node] : document.nodes())
      if (!merge && node.type.rfind("merge.", 0) == 0) merge = id;
    QVERIFY(merge);
    const std::string exported = dir_.file("cancelled-export");
    const auto exporter = document.addNode(graph::node_types::kExport, {900, 0});
    document.setParam(exporter, "path", exported);
    document.connect({merge, 0}, {exporter, 0});
    const auto hiddenTemporaries = [](const std::string& folder) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.front() == '.' &&
            (name.find(".tmp-") != std::string::npos || name.find(".old-") != std::string::npos))
          found.push_back(entry.path().string());
      }
      return found;
    };
    std::vector<graph::NodeId> order;
    for (const auto& [id, node] : document.nodes())
      order.push_back(id);
    int stoppedMidRun = 0;
    for (const graph::NodeId target : order) {
      test::TempDir scratch;
      engine::GraphExecutor executor(scratch.path());
      engine::CancelToken cancel;
      engine::RunEvents events;
      events.nodeChanged = [&](graph::NodeId id, const engine::NodeStatus& status) {
        if (id == target && status.state == engine::NodeState::Running) cancel.cancel();
      };
      const auto summary = executor.run(document, {target}, events, cancel); // it and what it needs
      const std::string what = document.at(target).type + " (node " + std::to_string(target) + ")";
      const auto& state = summary.nodes.at(target).state;
      // It stops, or it finished before it looked (a source is read in an instant).
      QVERIFY2(state == engine::NodeState::Cancelled || state == engine::NodeState::Done, what.c_str());
      if (state == engine::NodeState::Cancelled) {
        ++stoppedMidRun;
        QVERIFY2(summary.cancelled, what.c_str());
      }
      for (const std::string& folder : {dir_.path(), scratch.path()}) {
        const auto left = hiddenTemporaries(folder);
        QVERIFY2(left.empty(), (what + " left " + (left.empty() ? "" : left.front())).c_str());
      }
      // The export exists only when it ran to the end: then it is a whole model.
      if (fs::exists(exported)) {
        QVERIFY2(summary.nodes.at(exporter).state == engine::NodeState::Done, what.c_str());
        fs::remove_all(exported);
      }
    }
    qInfo("%zu nodes cancelled while running, %d of them stopped mid-run", order.size(), stoppedMidRun);
    QVERIFY(stoppedMidRun >= int(order.size()) / 2);
  }

  void aCancelledDemoLeavesNothing() {
    test::TempDir other;
    engine::CancelToken cancel;
    demo::DemoOptions options;
    options.outFolder = other.file("zoo");
    options.quick = true;
    options.cancel = &cancel;
    options.progress = [&](const std::string&, double fraction) {
      if (fraction > 0.3) cancel.cancel();
    };
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, demo::buildDemoZoo(options));
    QVERIFY(test::listFolder(other.path()).empty());
  }
};

MG_TEST_APPLESS_MAIN(DemoZooTest)
#include "test_demo_zoo.moc"
