// knots (spec, "knots") on PEFT LoRA adapters as the CLI and the merge node open them (adapters applied to
// their base): against the independent float64 PyTorch reference (tests/reference/knots_reference.py, a
// dense joint SVD of the concatenated updates, from the paper) with TIES and task arithmetic; and the
// properties a user relies on: one adapter with task arithmetic is reproduced exactly, several give task
// arithmetic's result, the adapter output is a PEFT adapter whose update is the merge's, of the joint rank.
#include "support/test_registry.h"
#include <QProcess>
#include <QtTest>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "support/knots_fixtures.h"
#include "support/reference_python.h"
#include "weights/adapter_weights.h"
#include "weights/merged_adapter.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"

using namespace mg;

namespace {

struct Input {
  std::string path;
  double weight = 1.0;
};

engine::MergedWeights knots(const test::KnotsZoo& zoo, const std::vector<Input>& inputs,
                            const std::vector<std::string>& params, const std::string& method = "knots") {
  engine::MergeRecipe recipe;
  recipe.method = method;
  recipe.base = engine::openWeights(zoo.base, nullptr).weights;
  recipe.baseLabel = zoo.base;
  for (const auto& in : inputs)
    recipe.inputs.push_back({engine::openWeights(in.path, recipe.base).weights, in.weight, in.path, {}, {}});
  for (const auto& p : params)
    recipe.params.push_back(engine::parseParamRule(p));
  return engine::MergedWeights(std::move(recipe));
}

// Every tensor of two weight sets agrees.
bool sameTensors(const engine::WeightSet& a, const engine::WeightSet& b, double rtol, double atol) {
  bool same = true;
  for (const auto& info : a.tensors()) {
    const auto x = a.load(info.name), y = b.load(info.name);
    if (!at::allclose(x, y, rtol, atol)) {
      qWarning("%s differs by up to %g", info.name.c_str(), (x - y).abs().max().item<double>());
      same = false;
    }
  }
  return same;
}

// The zoo's base and adapters as source nodes and a KnOTS node (λ 0.8) over them, as a user wires it.
struct KnotsGraph {
  graph::Document doc;
  graph::NodeId base = 0, merge = 0;
  std::vector<graph::NodeId> adapters;

  explicit KnotsGraph(const test::KnotsZoo& zoo) {
    namespace nt = graph::node_types;
    base = source(zoo.base, nt::kSourceModel);
    merge = doc.addNode(graph::mergeNodeTypeId("knots"));
    check(doc.setParam(merge, "lambda", 0.8));
    check(doc.connect({base, 0}, {merge, 0}));
    for (std::size_t i = 0; i < zoo.adapters.size(); ++i) {
      adapters.push_back(source(zoo.adapters[i], nt::kSourceAdapter));
      check(doc.connect({adapters.back(), 0}, {merge, i + 1}));
    }
  }
  graph::NodeId source(const std::string& path, const char* type) {
    const auto id = doc.addNode(type);
    check(doc.setParam(id, "path", path));
    return id;
  }
  static void check(const graph::MaybeError& error) {
    if (error) throw std::logic_error(*error);
  }
};

} // namespace

class KnotsMergeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void matchesTheReference() {
    const std::string python = MG_REFERENCE_PYTHON;
    if (python.empty()) QSKIP("no /usr/bin/python3 found at configure time");
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    struct Case {
      std::vector<std::string> params;
      std::vector<double> weights, densities;
    };
    const std::vector<Case> cases = {
        {{"merge=ties", "density=0.5", "lambda=0.7"}, {1.0, 1.0, 1.0}, {0.5, 0.5, 0.5}},
        {{"merge=ties", "density=0.3,0.8,0.6"}, {0.5, 1.5, -0.7}, {0.3, 0.8, 0.6}},
        {{}, {1.0, 1.0, 1.0}, {0.2, 0.2, 0.2}}, // the defaults: ties, density 0.2, λ 1
        {{"merge=task_arithmetic", "lambda=0.6"}, {1.0, 0.5, 2.0}, {1.0, 1.0, 1.0}},
    };
    nlohmann::json specs = nlohmann::json::array();
    std::vector<std::vector<Input>> inputs(cases.size());
    for (std::size_t c = 0; c < cases.size(); ++c) {
      nlohmann::json spec = {{"base", zoo.base},
                             {"adapters", nlohmann::json::array()},
                             {"params", nlohmann::json::object()},
                             {"out", dir.file("reference" + std::to_string(c) + ".safetensors")}};
      for (std::size_t i = 0; i < zoo.adapters.size(); ++i) {
        inputs[c].push_back({zoo.adapters[i], cases[c].weights[i]});
        spec["adapters"].push_back(
            {{"path", zoo.adapters[i]}, {"weight", cases[c].weights[i]}, {"density", cases[c].densities[i]}});
      }
      for (const auto& p : cases[c].params) {
        const auto eq = p.find('=');
        const auto name = p.substr(0, eq), value = p.substr(eq + 1);
        if (name == "merge") spec["params"]["merge"] = value;
        if (name == "lambda") spec["params"]["lambda"] = std::stod(value);
      }
      specs.push_back(spec);
    }
    const auto casesPath = dir.file("cases.json");
    test::writeBytes(casesPath, nlohmann::json{{"cases", specs}}.dump());
    QProcess process;
    process.start(QString::fromStdString(python),
                  {QString::fromStdString(std::string(MG_REFERENCE_DIR) + "/knots_reference.py"),
                   QString::fromStdString(casesPath)});
    QVERIFY(process.waitForFinished(120'000));
    if (process.exitCode() == 77) QSKIP(qPrintable(process.readAllStandardError()));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    for (std::size_t c = 0; c < cases.size(); ++c) {
      const auto merged = knots(zoo, inputs[c], cases[c].params);
      const auto reference = engine::openWeights(specs[c]["out"].get<std::string>(), nullptr).weights;
      QVERIFY2(sameTensors(*reference, merged, 1e-4, 2e-5), ("case " + std::to_string(c)).c_str());
    }
  }

  void oneAdapterWithTaskArithmeticIsItself() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    for (const auto& adapter : zoo.adapters) {
      const auto merged = knots(zoo, {{adapter}}, {"merge=task_arithmetic"});
      const auto applied = engine::openWeights(adapter, engine::openWeights(zoo.base, nullptr).weights);
      QVERIFY2(sameTensors(merged, *applied.weights, 1e-5, 1e-6), adapter.c_str());
    }
  }

  void taskArithmeticOfTheAlignedCoefficientsIsTaskArithmetic() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    const std::vector<Input> inputs = {
        {zoo.adapters[0], 0.5}, {zoo.adapters[1], 1.5}, {zoo.adapters[2], -0.7}};
    const auto ours = knots(zoo, inputs, {"merge=task_arithmetic", "lambda=0.8"});
    const auto ta = knots(zoo, inputs, {"lambda=0.8"}, "task_arithmetic");
    QVERIFY(sameTensors(ours, ta, 1e-5, 1e-6));
    // TIES on the aligned coefficients is not TIES on the updates (the point of the method).
    const auto knotsTies = knots(zoo, inputs, {"density=0.5"});
    const auto ties = knots(zoo, inputs, {"density=0.5"}, "ties");
    const auto name = test::kKnotsQ + ".weight";
    QVERIFY(!at::allclose(knotsTies.load(name), ties.load(name), 1e-3, 1e-4));
  }

  void adapterOutputIsTheMergeAsPeft() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    const std::vector<Input> inputs = {
        {zoo.adapters[0], 1.0}, {zoo.adapters[1], 0.5}, {zoo.adapters[2], 1.0}};
    const auto merged = knots(zoo, inputs, {"density=0.4", "lambda=0.9"});
    const auto report = engine::writeMergedAdapter(merged, dir.file("knots-adapter"), std::nullopt);
    QVERIFY(report.exact);
    const io::PeftAdapter adapter(dir.file("knots-adapter"));
    adapter.validateAgainst(io::SafetensorsFile(zoo.base));
    const auto base = engine::openWeights(zoo.base, nullptr).weights;
    QCOMPARE(adapter.modules().size(), std::size_t(3));
    for (const auto& m : adapter.modules()) {
      const auto expected = merged.load(m.baseTensor) - base->load(m.baseTensor);
      const auto update = engine::loraUpdateOf(adapter, m);
      QVERIFY2(at::allclose(update, expected, 1e-4, 1e-5), m.module.c_str());
      // The joint rank: the adapters' ranks summed (random factors are independent).
      const int expectedRank = m.module == test::kKnotsQ ? 2 + 3 + 2 : m.module == test::kKnotsK ? 2 + 3 : 2;
      QCOMPARE(m.rank, expectedRank);
      QCOMPARE(m.scaling, 1.0);
    }
    QCOMPARE(adapter.config().r, 7);
  }

  void runsAsAMergeNode() {
    // base and three LoRA adapter sources → KnOTS → Export: the same bits as the merge built directly; a
    // full model on the node fails it with the one-line reason.
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    namespace nt = graph::node_types;
    KnotsGraph g(zoo);
    auto& doc = g.doc;
    const auto merge = g.merge;
    const auto exporter = doc.addNode(nt::kExport);
    const auto out = dir.file("node.safetensors");
    QVERIFY(!doc.setParam(exporter, "path", out));
    QVERIFY(!doc.connect({merge, 0}, {exporter, 0}));
    test::TempDir scratch;
    engine::CancelToken cancel;
    auto summary = engine::GraphExecutor(scratch.path()).run(doc, {}, {}, cancel);
    QVERIFY(summary.ok());
    const auto expected =
        knots(zoo, {{zoo.adapters[0]}, {zoo.adapters[1]}, {zoo.adapters[2]}}, {"lambda=0.8"});
    const auto written = engine::openWeights(out, nullptr).weights;
    for (const auto& info : expected.tensors())
      QVERIFY2(at::equal(written->load(info.name), expected.load(info.name)), info.name.c_str());

    QVERIFY(!doc.connect({g.source(zoo.finetune, nt::kSourceModel), 0}, {merge, zoo.adapters.size() + 1}));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {}, {}, cancel);
    QVERIFY(!summary.ok());
    QVERIFY2(summary.nodes.at(merge).message.find("input 4 (" + zoo.finetune +
                                                  ") is not a PEFT LoRA adapter") != std::string::npos,
             summary.nodes.at(merge).message.c_str());
  }

  void aMergeAsLoraNodeKeepsTheMergeAnAdapter() {
    // base + three adapters → KnOTS → Merge as LoRA → Export (a bare adapter folder): the written adapter's
    // update is the merge's on every module; the same node on a TIES merge without a rank says why not.
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    namespace nt = graph::node_types;
    KnotsGraph g(zoo);
    auto& doc = g.doc;
    const auto merge = g.merge, base = g.base;
    const auto& adapters = g.adapters;
    const auto asLora = doc.addNode(nt::kLoraMerged);
    QVERIFY(!doc.connect({merge, 0}, {asLora, 0}));
    const auto exporter = doc.addNode(nt::kExport);
    const auto out = dir.file("knots-node-adapter");
    QVERIFY(!doc.setParam(exporter, "path", out));
    QVERIFY(!doc.connect({asLora, 0}, {exporter, 0}));
    test::TempDir scratch;
    engine::CancelToken cancel;
    auto summary = engine::GraphExecutor(scratch.path()).run(doc, {}, {}, cancel);
    QVERIFY2(summary.ok(), summary.failure.c_str());
    QVERIFY(summary.nodes.at(asLora).facts.front().find("(exact)") != std::string::npos);
    const io::PeftAdapter adapter(out);
    adapter.validateAgainst(io::SafetensorsFile(zoo.base));
    const auto expected =
        knots(zoo, {{zoo.adapters[0]}, {zoo.adapters[1]}, {zoo.adapters[2]}}, {"lambda=0.8"});
    const auto baseWeights = engine::openWeights(zoo.base, nullptr).weights;
    QCOMPARE(adapter.modules().size(), std::size_t(3));
    for (const auto& m : adapter.modules())
      QVERIFY2(at::allclose(engine::loraUpdateOf(adapter, m),
                            expected.load(m.baseTensor) - baseWeights->load(m.baseTensor), 1e-4, 1e-5),
               m.module.c_str());

    // TIES of the same adapters is not low-rank: without a rank the node refuses, with one it truncates.
    const auto ties = doc.addNode(graph::mergeNodeTypeId("ties"));
    QVERIFY(!doc.connect({base, 0}, {ties, 0}));
    for (std::size_t i = 0; i < adapters.size(); ++i)
      QVERIFY(!doc.connect({adapters[i], 0}, {ties, i + 1}));
    doc.disconnect({asLora, 0});
    QVERIFY(!doc.connect({ties, 0}, {asLora, 0}));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {}, {}, cancel);
    QVERIFY(!summary.ok());
    QVERIFY2(summary.nodes.at(asLora).message.find("is not low-rank by construction") != std::string::npos,
             summary.nodes.at(asLora).message.c_str());
    QVERIFY(!doc.setParam(asLora, "rank", 4));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {}, {}, cancel);
    QVERIFY2(summary.ok(), summary.failure.c_str());
    QVERIFY(summary.nodes.at(asLora).facts.front().find("largest relative error") != std::string::npos);
    QCOMPARE(io::PeftAdapter(out).config().r, 4);
  }

  void refusesWhatIsNotALoraAdapter() {
    test::TempDir dir;
    const auto zoo = test::writeKnotsZoo(dir);
    try {
      knots(zoo, {{zoo.adapters[0]}, {zoo.finetune}}, {});
      QFAIL("a full model was merged by knots");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(std::string(e.what()).find("knots merges LoRA adapters: input 2 (" + zoo.finetune +
                                          ") is not a PEFT LoRA adapter") != std::string::npos,
               e.what());
    }
  }
};

MG_TEST_APPLESS_MAIN(KnotsMergeTest)
#include "test_knots_merge.moc"
