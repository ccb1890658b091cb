// The graph executor as the GUI and `merganser-cli run` use it: a project of real files runs to real
// outputs, each node reports its state, unchanged nodes come from the cache, failures say why and stop
// what depends on them, and a cancelled export leaves nothing behind.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>

#include "engine/graph_executor.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "graph/builtin_node_types.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using engine::NodeState;
using graph::NodeId;
namespace nt = graph::node_types;

namespace {

io::TensorData td(const std::string& name, const at::Tensor& t) {
  return tensor::fromTorch(t, name, io::DType::F32);
}

std::string writeModel(const test::TempDir& dir, const std::string& file, std::uint64_t seed, float spread) {
  at::manual_seed(0);
  const auto w = at::randn({16, 8}), b = at::randn({16});
  at::manual_seed(seed);
  const std::string path = dir.file(file);
  io::writeSafetensors(path, {td("layers.0.fc.weight", w + spread * at::randn({16, 8})),
                              td("layers.0.fc.bias", b + spread * at::randn({16}))});
  return path;
}

at::Tensor loadFile(const std::string& path, const std::string& name) {
  return tensor::toTorchFloat32(io::SafetensorsFile(path).load(name));
}

void check(const graph::MaybeError& error) {
  QVERIFY2(!error, error ? error->c_str() : "");
}

// base → TIES ← a, b; TIES → Export.
struct Project {
  test::TempDir dir;
  graph::Document doc;
  NodeId base = 0, a = 0, b = 0, merge = 0, exporter = 0;
  std::string out;

  Project() {
    base = source(writeModel(dir, "base.safetensors", 1, 0.0f));
    a = source(writeModel(dir, "a.safetensors", 2, 0.1f));
    b = source(writeModel(dir, "b.safetensors", 3, 0.1f));
    merge = doc.addNode(graph::mergeNodeTypeId("ties"));
    check(doc.setParam(merge, "density", 0.5));
    exporter = doc.addNode(nt::kExport);
    out = dir.file("merged.safetensors");
    check(doc.setParam(exporter, "path", out));
    check(doc.connect({base, 0}, {merge, 0}));
    check(doc.connect({a, 0}, {merge, 1}));
    check(doc.connect({b, 0}, {merge, 2}, 0.5));
    check(doc.connect({merge, 0}, {exporter, 0}));
  }
  NodeId source(const std::string& path, const char* type = nt::kSourceModel) {
    const NodeId id = doc.addNode(type);
    check(doc.setParam(id, "path", path));
    return id;
  }
};

struct Recorder {
  std::vector<std::pair<NodeId, NodeState>> events;
  engine::RunEvents hooks() {
    engine::RunEvents e;
    e.nodeChanged = [this](NodeId id, const engine::NodeStatus& s) { events.emplace_back(id, s.state); };
    return e;
  }
  bool saw(NodeId id, NodeState state) const {
    return std::find(events.begin(), events.end(), std::make_pair(id, state)) != events.end();
  }
};

std::string failure(const engine::RunSummary& summary) {
  std::string text;
  for (const auto& [id, s] : summary.nodes)
    text += std::to_string(id) + " " + engine::nodeStateName(s.state) + " " + s.message + "\n";
  return text;
}

} // namespace

class GraphExecutorTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void runsAProjectToTheSameBitsAsTheEngine() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    Recorder recorder;
    const auto summary = executor.run(p.doc, {}, recorder.hooks(), cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());
    QCOMPARE(summary.order.back(), p.exporter);
    QVERIFY(recorder.saw(p.merge, NodeState::Running));
    QVERIFY(recorder.saw(p.exporter, NodeState::Done));

    engine::MergeRecipe recipe;
    recipe.method = "ties";
    recipe.base = engine::openWeights(p.dir.file("base.safetensors"), nullptr).weights;
    recipe.inputs = {{engine::openWeights(p.dir.file("a.safetensors"), nullptr).weights, 1.0, "a"},
                     {engine::openWeights(p.dir.file("b.safetensors"), nullptr).weights, 0.5, "b"}};
    recipe.params = {engine::parseParamRule("density=0.5")};
    const engine::MergedWeights expected(recipe);
    for (const char* name : {"layers.0.fc.weight", "layers.0.fc.bias"}) {
      QVERIFY(at::equal(loadFile(p.out, name), expected.load(name)));
    }
    // The export records how the model was made.
    QVERIFY(io::SafetensorsFile(p.out).metadata().count("merganser_recipe"));
  }

  void unchangedNodesComeFromTheCacheAndAnEditRerunsOnlyWhatDependsOnIt() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    QVERIFY(executor.run(p.doc, {}, {}, cancel).ok());

    auto again = executor.run(p.doc, {}, {}, cancel);
    for (const NodeId id : again.order)
      QCOMPARE(again.nodes[id].state, NodeState::Cached);

    // An unrelated edit: a new node elsewhere, a moved node, a retitled one.
    const NodeId lone = p.doc.addNode(graph::mergeNodeTypeId("linear"));
    p.doc.move(p.merge, {500, 500});
    p.doc.setTitle(p.a, "Specialist A");
    again = executor.run(p.doc, {}, {}, cancel);
    QCOMPARE(again.nodes[p.merge].state, NodeState::Cached);
    QCOMPARE(again.nodes[p.exporter].state, NodeState::Cached);
    QVERIFY(!again.nodes.count(lone));

    check(p.doc.setParam(p.merge, "lambda", 0.5));
    again = executor.run(p.doc, {}, {}, cancel);
    QVERIFY2(again.ok(), failure(again).c_str());
    QCOMPARE(again.nodes[p.base].state, NodeState::Cached);
    QCOMPARE(again.nodes[p.merge].state, NodeState::Done);
    QCOMPARE(again.nodes[p.exporter].state, NodeState::Done);

    // A deleted output is written again even though nothing changed.
    std::filesystem::remove(p.out);
    again = executor.run(p.doc, {}, {}, cancel);
    QCOMPARE(again.nodes[p.exporter].state, NodeState::Done);
    QVERIFY(std::filesystem::exists(p.out));
  }

  void aChangedInputFileInvalidatesItsNode() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    QVERIFY(executor.run(p.doc, {}, {}, cancel).ok());
    const auto before = loadFile(p.out, "layers.0.fc.weight");
    writeModel(p.dir, "a.safetensors", 9, 0.5f); // replaced on disk (size equal, contents and time differ)
    std::filesystem::last_write_time(p.dir.file("a.safetensors"),
                                     std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
    const auto again = executor.run(p.doc, {}, {}, cancel);
    QCOMPARE(again.nodes.at(p.a).state, NodeState::Done);
    QCOMPARE(again.nodes.at(p.exporter).state, NodeState::Done);
    QVERIFY(!at::equal(before, loadFile(p.out, "layers.0.fc.weight")));
  }

  void aFailureNamesItsCauseAndStopsWhatDependsOnIt() {
    Project p;
    check(p.doc.setParam(p.b, "path", p.dir.file("missing.safetensors")));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {}, {}, cancel);
    QVERIFY(!summary.ok());
    QCOMPARE(summary.nodes.at(p.b).state, NodeState::Failed);
    QVERIFY2(summary.nodes.at(p.b).message.find("missing.safetensors") != std::string::npos,
             summary.nodes.at(p.b).message.c_str());
    QCOMPARE(summary.nodes.at(p.a).state, NodeState::Done);
    QCOMPARE(summary.nodes.at(p.merge).state, NodeState::Failed);
    QVERIFY(summary.nodes.at(p.merge).message.find("not run") != std::string::npos);
    QCOMPARE(summary.nodes.at(p.exporter).state, NodeState::Failed);
    QVERIFY(!std::filesystem::exists(p.out));
  }

  void invalidGraphsFailBeforeRunning() {
    Project p;
    check(p.doc.disconnect({p.merge, 0}).has_value() ? std::nullopt : graph::MaybeError("no edge"));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {}, {}, cancel);
    QCOMPARE(summary.nodes.at(p.merge).state, NodeState::Failed);
    QVERIFY2(summary.nodes.at(p.merge).message.find("base") != std::string::npos,
             summary.nodes.at(p.merge).message.c_str());
  }

  void cancellingMidExportLeavesNoOutput() {
    Project p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    engine::RunEvents events;
    events.nodeChanged = [&](NodeId id, const engine::NodeStatus& s) {
      if (id == p.exporter && s.state == NodeState::Running) cancel.cancel();
    };
    const auto summary = executor.run(p.doc, {}, events, cancel);
    QVERIFY(summary.cancelled);
    QCOMPARE(summary.nodes.at(p.exporter).state, NodeState::Cancelled);
    QVERIFY(!std::filesystem::exists(p.out));
    QVERIFY(test::listFolder(p.dir.path()).size() == 3); // the three inputs, no temporary file
  }

  void adaptersDroppedOnAMergeAreAppliedToItsBase() {
    Project p;
    io::LoraConfig config;
    config.r = 2;
    config.loraAlpha = 2;
    config.targetModules = {"fc"};
    at::manual_seed(5);
    io::writePeftAdapter(p.dir.file("lora"), config,
                         {td(io::peftKey("layers.0.fc", "lora_A"), at::randn({2, 8}) * 0.1),
                          td(io::peftKey("layers.0.fc", "lora_B"), at::randn({16, 2}) * 0.1)});
    const NodeId adapter = p.source(p.dir.file("lora"), nt::kSourceAdapter);
    const auto input = p.doc.dropTarget(p.merge, graph::PortType::Adapter);
    QVERIFY(input.has_value());
    check(p.doc.connect({adapter, 0}, {p.merge, *input}));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {}, {}, cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());
  }

  void concatenatedAdaptersAreTheirExactSum() {
    Project p;
    auto writeAdapter = [&](const std::string& name, std::uint64_t seed) {
      io::LoraConfig config;
      config.r = 2;
      config.loraAlpha = 4;
      config.targetModules = {"fc"};
      at::manual_seed(seed);
      io::writePeftAdapter(p.dir.file(name), config,
                           {td(io::peftKey("layers.0.fc", "lora_A"), at::randn({2, 8}) * 0.1),
                            td(io::peftKey("layers.0.fc", "lora_B"), at::randn({16, 2}) * 0.1)});
      return p.source(p.dir.file(name), nt::kSourceAdapter);
    };
    const NodeId first = writeAdapter("lora1", 1), second = writeAdapter("lora2", 2);
    const NodeId cat = p.doc.addNode(nt::kLoraCat);
    const NodeId exporter = p.doc.addNode(nt::kExport);
    check(p.doc.connect({first, 0}, {cat, 0}));
    check(p.doc.connect({second, 0}, {cat, 1}, 0.5));
    check(p.doc.connect({cat, 0}, {exporter, 0}));
    check(p.doc.setParam(exporter, "path", p.dir.file("combined")));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {exporter}, {}, cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());

    const auto base = engine::openWeights(p.dir.file("base.safetensors"), nullptr).weights;
    const auto delta = [&](const std::string& folder) {
      return engine::openWeights(folder, base).weights->load("layers.0.fc.weight") -
             base->load("layers.0.fc.weight");
    };
    const auto expected = delta(p.dir.file("lora1")) + 0.5 * delta(p.dir.file("lora2"));
    QVERIFY(at::allclose(delta(p.dir.file("combined")), expected, 1e-5, 1e-6));
    QCOMPARE(io::PeftAdapter(p.dir.file("combined")).modules().front().rank, 4);
  }

  void subtractThenAddRebuildsTheModelAndExtractMakesAnAdapter() {
    Project p;
    const NodeId subtract = p.doc.addNode(nt::kSubtract);
    const NodeId add = p.doc.addNode(nt::kAddDelta);
    const NodeId extract = p.doc.addNode(nt::kLoraExtract);
    const NodeId exportModel = p.doc.addNode(nt::kExport);
    const NodeId exportAdapter = p.doc.addNode(nt::kExport);
    check(p.doc.connect({p.base, 0}, {subtract, 0}));
    check(p.doc.connect({p.a, 0}, {subtract, 1}));
    check(p.doc.connect({p.base, 0}, {add, 0}));
    check(p.doc.connect({subtract, 0}, {add, 1}));
    check(p.doc.connect({add, 0}, {exportModel, 0}));
    check(p.doc.setParam(exportModel, "path", p.dir.file("rebuilt.safetensors")));
    check(p.doc.connect({p.base, 0}, {extract, 0}));
    check(p.doc.connect({p.a, 0}, {extract, 1}));
    check(p.doc.connect({extract, 0}, {exportAdapter, 0}));
    check(p.doc.setParam(exportAdapter, "path", p.dir.file("extracted")));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {exportModel, exportAdapter}, {}, cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());
    QVERIFY(at::allclose(loadFile(p.dir.file("rebuilt.safetensors"), "layers.0.fc.weight"),
                         loadFile(p.dir.file("a.safetensors"), "layers.0.fc.weight"), 1e-5, 1e-6));
    io::PeftAdapter extracted(p.dir.file("extracted")); // a real PEFT folder
    QVERIFY(!extracted.modules().empty());
  }

  void evaluateScoresAModelOnTaskDataAndCompareLinesThemUp() {
    Project p;
    // A classifier on 2 inputs (class 1 when x0 > x1) and one that always says the opposite.
    io::writeSafetensors(
        p.dir.file("clf.safetensors"),
        {td("head.weight", at::tensor(std::vector<float>{-1.f, 1.f, 1.f, -1.f}).view({2, 2})),
         td("head.bias", at::zeros({2}))});
    io::writeSafetensors(
        p.dir.file("anti.safetensors"),
        {td("head.weight", at::tensor(std::vector<float>{1.f, -1.f, -1.f, 1.f}).view({2, 2})),
         td("head.bias", at::zeros({2}))});
    io::TaskData task;
    task.name = "bigger";
    task.labelNames = {"x1", "x0"};
    task.split = "test";
    task.inputShape = {4, 2};
    task.inputs = {2, 1, 3, 1, 1, 2, 1, 5};
    task.labels = {1, 1, 0, 1}; // the classifier is right on 3 of 4
    io::writeTaskFile(p.dir.file("bigger.h5"), task);
    const NodeId tasks = p.source(p.dir.file("bigger.h5"), nt::kSourceTasks);
    const NodeId clf = p.source(p.dir.file("clf.safetensors"));
    const NodeId anti = p.source(p.dir.file("anti.safetensors"));
    const NodeId evalClf = p.doc.addNode(nt::kEvaluate), evalAnti = p.doc.addNode(nt::kEvaluate);
    const NodeId compare = p.doc.addNode(nt::kCompare);
    for (const auto [model, evaluate] : {std::pair{clf, evalClf}, std::pair{anti, evalAnti}}) {
      check(p.doc.connect({model, 0}, {evaluate, 0}));
      check(p.doc.connect({tasks, 0}, {evaluate, 1}));
    }
    check(p.doc.connect({evalClf, 0}, {compare, 0}));
    check(p.doc.connect({evalAnti, 0}, {compare, 1}));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {compare}, {}, cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());
    const auto& facts = summary.nodes.at(evalClf).facts;
    QVERIFY(std::find(facts.begin(), facts.end(), "bigger: accuracy 75.0%") != facts.end());
    const auto& compared = summary.nodes.at(compare).facts;
    QCOMPARE(compared.size(), std::size_t(2));
    QVERIFY2(compared[1].find("mean 25.0%") != std::string::npos, compared[1].c_str());
  }
};

MG_TEST_APPLESS_MAIN(GraphExecutorTest)
#include "test_graph_executor.moc"
