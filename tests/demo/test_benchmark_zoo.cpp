// The quick benchmark zoo as `merganser-cli demo --zoo benchmark --quick` writes it: a CNN base carrying a
// frozen head for every task, at least 16 specialists on distinct tasks (LoRA adapters and full fine-tunes)
// that beat the base on their own task, test and validation task files, held-out tasks without a
// specialist, a project that validates and runs, and nothing half-written when it cannot finish.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <set>

#include "demo/benchmark_zoo.h"
#include "demo/method_table.h"
#include "demo/zoo_tasks.h"
#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "graph/validation.h"
#include "io/hf_model_folder.h"
#include "io/idx_file.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/task_file.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;

class BenchmarkZooTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  std::string out_;
  demo::DemoReport report_;

  std::set<std::string> taskNamesIn(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& task : io::readTaskSet(folder.string()))
      names.insert(task.name);
    return names;
  }

private Q_SLOTS:
  void initTestCase() {
    if (!fs::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    out_ = dir_.file("zoo");
    demo::DemoOptions options;
    options.outFolder = out_;
    options.quick = true;
    report_ = demo::buildBenchmarkZoo(options);
  }

  void writesTheDocumentedLayout() {
    QCOMPARE(report_.projectPath, (fs::path(out_) / demo::kBenchmarkProjectFile).string());
    for (const char* entry : {"base/config.json", "base/model.safetensors", "tasks", "tasks/val"})
      QVERIFY2(fs::exists(fs::path(out_) / entry), entry);
    QCOMPARE(test::listFolder(dir_.path()), std::vector<std::string>{"zoo"});
  }

  void sixteenSpecialistsOnDistinctTasksOfBothKinds() {
    std::set<std::string> tasks;
    int loras = 0, fullFineTunes = 0;
    const io::HfModelFolder base((fs::path(out_) / "base").string());
    for (const auto& specialist : report_.specialists) {
      tasks.insert(specialist.task);
      if (specialist.fullFineTune) {
        ++fullFineTunes;
        QVERIFY(fs::exists(fs::path(specialist.folder) / "model.safetensors"));
      } else {
        ++loras;
        const io::PeftAdapter adapter(specialist.folder);
        adapter.validateAgainst(base);
      }
    }
    QVERIFY(report_.specialists.size() >= 16);
    QCOMPARE(tasks.size(), report_.specialists.size());
    QVERIFY(loras >= 8);
    QVERIFY(fullFineTunes >= 2);
  }

  // The frozen heads: the base has one per task, and a full fine-tune carries the very same heads (only the
  // trunk was trained), so every merge keeps them.
  void everyTaskHasItsFrozenHead() {
    const io::SafetensorsFile base((fs::path(out_) / "base" / "model.safetensors").string());
    const auto full = std::find_if(report_.specialists.begin(), report_.specialists.end(),
                                   [](const auto& s) { return s.fullFineTune; });
    QVERIFY(full != report_.specialists.end());
    const io::SafetensorsFile tuned((fs::path(full->folder) / "model.safetensors").string());
    for (const auto& task : demo::benchmarkTasks()) {
      for (const char* part : {".weight", ".bias"}) {
        const auto name = "heads." + task.name + part;
        QVERIFY2(base.contains(name), name.c_str());
        QVERIFY2(base.load(name).toFloat32() == tuned.load(name).toFloat32(), name.c_str());
      }
    }
    QVERIFY(base.load("convs.0.weight").toFloat32() != tuned.load("convs.0.weight").toFloat32());
  }

  void specialistsBeatTheBaseOnTheirOwnTask() {
    for (const auto& specialist : report_.specialists)
      QVERIFY2(specialist.accuracy > specialist.baseAccuracy,
               (specialist.task + ": " + std::to_string(specialist.accuracy) + " vs base " +
                std::to_string(specialist.baseAccuracy))
                   .c_str());
  }

  // Test and validation examples of every task, apart; held-out tasks compose trained skills and labelings.
  void taskFilesHaveTestAndValidationSplits() {
    const auto test = io::readTaskSet((fs::path(out_) / "tasks").string());
    const auto validation = io::readTaskSet((fs::path(out_) / "tasks" / "val").string());
    QCOMPARE(test.size(), demo::benchmarkTasks().size());
    QCOMPARE(validation.size(), test.size());
    std::set<std::string> trained;
    for (const auto& task : demo::benchmarkTasks())
      if (task.specialist)
        for (const auto& skill : task.allSkills())
          trained.insert(skill);
    for (std::size_t i = 0; i < test.size(); ++i) {
      QCOMPARE(test[i].split, std::string("test"));
      QCOMPARE(validation[i].split, std::string("validation"));
      QCOMPARE(validation[i].name, test[i].name);
      QVERIFY(validation[i].inputs != test[i].inputs);
      const auto& spec = *std::find_if(demo::benchmarkTasks().begin(), demo::benchmarkTasks().end(),
                                       [&](const auto& t) { return t.name == test[i].name; });
      QCOMPARE(test[i].labelNames, spec.labeling.labelNames);
      for (const auto label : test[i].labels)
        QVERIFY(label >= 0 && label < std::int64_t(spec.labeling.labelNames.size()));
      if (!spec.specialist) {
        QVERIFY(spec.allSkills().size() >= 2);
        for (const auto& skill : spec.allSkills())
          QVERIFY2(trained.count(skill), skill.c_str());
      }
    }
    QVERIFY(std::count_if(demo::benchmarkTasks().begin(), demo::benchmarkTasks().end(),
                          [](const auto& t) { return !t.specialist; }) >= 3);
  }

  // The project validates; its evaluations of a LoRA and a fine-tune give the accuracies measured while
  // training (what was written is what was trained), its merges run, and so does the Embedding map.
  void theProjectValidatesAndRuns() {
    const auto document = graph::loadProject(report_.projectPath);
    for (const auto& issue : graph::validate(document))
      QVERIFY2(issue.severity != graph::Severity::Error, issue.message.c_str());
    const auto lora = std::find_if(report_.specialists.begin(), report_.specialists.end(),
                                   [](const auto& s) { return !s.fullFineTune; });
    const auto full = std::find_if(report_.specialists.begin(), report_.specialists.end(),
                                   [](const auto& s) { return s.fullFineTune; });
    std::vector<graph::NodeId> targets;
    graph::NodeId loraEvaluation = graph::kNoNode, fullEvaluation = graph::kNoNode;
    graph::NodeId knotsEvaluation = graph::kNoNode, knotsAdapterEvaluation = graph::kNoNode;
    std::size_t merges = 0;
    for (const auto id : document.nodeIds()) {
      const auto& node = document.at(id);
      if (node.title == "Evaluate LoRA " + lora->task) targets.push_back(loraEvaluation = id);
      if (node.title == "Evaluate Fine-tune " + full->task) targets.push_back(fullEvaluation = id);
      if (node.title == "Evaluate Average" || node.title == "Evaluate TSV-M") targets.push_back(id);
      // Fisher fed by its node's edge, KnOTS as a merge and as an adapter, SMEAR over the LoRA specialists.
      if (node.title == "Evaluate Fisher" || node.title == "SMEAR (soft merge)") targets.push_back(id);
      if (node.title == "Evaluate KnOTS") targets.push_back(knotsEvaluation = id);
      if (node.title == "Evaluate KnOTS as LoRA") targets.push_back(knotsAdapterEvaluation = id);
      if (node.type == graph::node_types::kEmbeddingMap) targets.push_back(id);
      if (graph::mergeMethodOf(node.type)) ++merges;
    }
    QVERIFY(merges >= 3);
    const auto ids = document.nodeIds();
    QVERIFY(std::any_of(ids.begin(), ids.end(),
                        [&](auto id) { return document.at(id).type == graph::node_types::kMergeGain; }));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(document, targets, {}, cancel);
    for (const auto& [id, status] : summary.nodes)
      QVERIFY2(status.state != engine::NodeState::Failed,
               (document.at(id).title + ": " + status.message).c_str());
    QVERIFY(summary.ok());
    const auto accuracyOn = [&](graph::NodeId node, const std::string& task) {
      for (const auto& score : *summary.nodes.at(node).results.front().scores)
        if (score.task == task) return score.accuracy;
      return -1.0;
    };
    QCOMPARE(accuracyOn(loraEvaluation, lora->task), lora->accuracy);
    QCOMPARE(accuracyOn(fullEvaluation, full->task), full->accuracy);
    // The KnOTS adapter applied to the base is the KnOTS merge (up to float rounding in a few argmaxes).
    QVERIFY(knotsEvaluation != graph::kNoNode && knotsAdapterEvaluation != graph::kNoNode);
    for (const auto& score : *summary.nodes.at(knotsEvaluation).results.front().scores)
      QVERIFY2(std::abs(accuracyOn(knotsAdapterEvaluation, score.task) - score.accuracy) <= 0.005,
               score.task.c_str());
    for (const auto& [id, status] : summary.nodes)
      if (document.at(id).type == graph::node_types::kEmbeddingMap)
        QCOMPARE(status.embeddings.front().nodes.size(), report_.specialists.size());
  }

  // The table's rows: every method the issue names is a row, task arithmetic's λ is chosen on validation.
  void theMethodTableNamesEveryMethod() {
    const auto rows = demo::methodTableRows(16);
    std::set<std::string> labels;
    for (const auto& row : rows)
      labels.insert(row.label.substr(0, row.label.find(" (")));
    for (const char* method : {"Base", "Specialists", "Average", "Task arithmetic", "TIES", "KnOTS", "Fisher",
                               "RegMean", "Greedy soup", "CMA-ES", "AdaMerging", "SMEAR"})
      QVERIFY2(labels.count(method), method);
    const auto ta = std::find_if(rows.begin(), rows.end(),
                                 [](const auto& row) { return row.label.rfind("Task arithmetic", 0) == 0; });
    QCOMPARE(ta->sweep, std::string("lambda"));
    QVERIFY(ta->grid.size() >= 5);
    try {
      demo::scoreMethods(dir_.path(), engine::CancelToken());
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("not a benchmark zoo") != std::string::npos, e.what());
    }
  }

  void aCancelledZooLeavesNothing() {
    test::TempDir other;
    engine::CancelToken cancel;
    demo::DemoOptions options;
    options.outFolder = other.file("zoo");
    options.quick = true;
    options.cancel = &cancel;
    options.progress = [&](const std::string&, double fraction) {
      if (fraction > 0.01) cancel.cancel(); // while pre-training the base
    };
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, demo::buildBenchmarkZoo(options));
    QVERIFY(test::listFolder(other.path()).empty());
  }

  void refusesAFolderThatIsNotAZoo() {
    test::TempDir other;
    test::writeBytes(other.file("notes.txt"), "mine");
    demo::DemoOptions options;
    options.outFolder = other.path();
    options.quick = true;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, demo::buildBenchmarkZoo(options));
    QCOMPARE(test::listFolder(other.path()), std::vector<std::string>{"notes.txt"});
  }
};

MG_TEST_APPLESS_MAIN(BenchmarkZooTest)
#include "test_benchmark_zoo.moc"
