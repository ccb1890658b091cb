// The data-aware merges (spec "fisher, regmean") against an independent PyTorch reference written from the
// papers (tests/reference/data_aware_reference.py): the Fisher of a tiny MLP equals the per-example,
// per-class autograd computation, Fisher merging its weighted average, RegMean with alpha = 1 the
// least-squares solution on the gathered inputs. Also: the statistics cache is reused and a corrupt cache
// file is computed again, each model gets its task, and a merge node runs from a Tasks input.
#include "support/test_registry.h"
#include <QProcess>
#include <QtTest>

#include <ATen/ATen.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "embed/fisher_information.h"
#include "embed/merge_statistics.h"
#include "engine/graph_executor.h"
#include "../ops/tensor_compare.h"
#include "eval/classifier.h"
#include "graph/builtin_node_types.h"
#include "graph/validation.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "ops/data_aware_merge.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "ops/merge_method.h"
#include "support/reference_python.h"
#include "support/sweep_fixture.h"
#include "tensor/torch_convert.h"
#include "weights/open_weights.h"
#include "weights/tensor_map_weights.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

embed::ClassifierFactory plainClassifier() {
  return [](const engine::WeightSet& w) { return eval::loadClassifier(w, nullptr); };
}

engine::WeightSetPtr openModel(const std::string& path) {
  return engine::openWeights(path, nullptr).weights;
}

at::Tensor loadFrom(const io::SafetensorsFile& file, const std::string& name) {
  return tensor::toTorchFloat32(file.load(name));
}

std::string failureOf(const engine::RunSummary& summary) {
  std::string text = summary.failure;
  for (const auto& [id, s] : summary.nodes)
    if (s.state == engine::NodeState::Failed) text += " | " + s.message;
  return text;
}

void writeInputs(const std::string& path, const std::vector<io::TaskData>& tasks) {
  std::vector<io::TensorData> tensors;
  for (std::size_t i = 0; i < tasks.size(); ++i)
    tensors.push_back(
        io::TensorData::fromFloat32("x" + std::to_string(i), tasks[i].inputShape, tasks[i].inputs));
  io::writeSafetensors(path, tensors);
}

// A merge node of `method` on the fixture's specialists a and b (in that order) with its Tasks input.
graph::NodeId dataAwareMerge(test::SweepProject& p, const std::string& method) {
  const auto merge = p.doc.addNode(graph::mergeNodeTypeId(method));
  const auto models = *p.doc.nodeType(merge)->inputIndex("models");
  test::SweepProject::must(p.doc.connect({p.tasks, 0}, {merge, *p.doc.nodeType(merge)->inputIndex("tasks")}));
  test::SweepProject::must(p.doc.connect({p.a, 0}, {merge, models}));
  test::SweepProject::must(p.doc.connect({p.b, 0}, {merge, models + 1}));
  return merge;
}

} // namespace

class TestDataAwareMerges : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void matchTheReferenceComputedFromThePapers() {
    if (std::string(MG_REFERENCE_PYTHON).empty()) QSKIP("no /usr/bin/python3 for the reference");
    test::SweepProject p; // a, b (4 -> 8 -> 3) and tasks alpha, beta of 120 examples
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(p.dir.file("cache")));
    const std::vector<io::TaskData> tasks = {io::readTaskFile(p.dir.file("tasks/alpha.h5")),
                                             io::readTaskFile(p.dir.file("tasks/beta.h5"))};
    writeInputs(p.dir.file("x.safetensors"), tasks);
    const nlohmann::json spec = {{"models", {p.dir.file("a.safetensors"), p.dir.file("b.safetensors")}},
                                 {"inputs", p.dir.file("x.safetensors")},
                                 {"weights", {1.0, 2.0}},
                                 {"epsilon", 1e-6},
                                 {"out", p.dir.file("reference.safetensors")}};
    test::writeBytes(p.dir.file("spec.json"), spec.dump());
    QProcess python;
    python.start(MG_REFERENCE_PYTHON, {QString(MG_REFERENCE_DIR) + "/data_aware_reference.py",
                                       QString::fromStdString(p.dir.file("spec.json"))});
    QVERIFY(python.waitForFinished(120000));
    if (python.exitCode() == 77) QSKIP("python3 has no torch");
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const io::SafetensorsFile reference(p.dir.file("reference.safetensors"));

    // Each model's Fisher on its own task, every parameter.
    const char* files[] = {"a.safetensors", "b.safetensors"};
    for (int i = 0; i < 2; ++i) {
      const auto fisher =
          embed::parameterFisher(*openModel(p.dir.file(files[i])), plainClassifier(), tasks[i]);
      QCOMPARE(fisher.size(), std::size_t(4));
      for (const auto& [name, f] : fisher) {
        const at::Tensor expected = loadFrom(reference, "fisher/" + std::to_string(i) + "/" + name);
        QVERIFY2(expected.abs().max().item<float>() > 0, name.c_str());
        QVERIFY2(at::allclose(f, expected, 1e-4, 1e-7),
                 (name + ": " + c10::str(f) + " vs " + c10::str(expected)).c_str());
      }
    }

    // The merge nodes: weights 1 and 2 for Fisher, alpha = 1 for RegMean; a and b take the tasks in order.
    const auto exportOf = [&](graph::NodeId merge, const std::string& file) {
      const auto exporter = p.doc.addNode(nt::kExport);
      test::SweepProject::must(p.doc.setParam(exporter, "path", p.dir.file(file)));
      test::SweepProject::must(p.doc.connect({merge, 0}, {exporter, 0}));
      return exporter;
    };
    const auto fisher = dataAwareMerge(p, "fisher");
    const auto modelsPort = *p.doc.nodeType(fisher)->inputIndex("models");
    QCOMPARE(modelsPort, *p.doc.nodeType(fisher)->inputIndex("statistics") + 1);
    test::SweepProject::must(p.doc.setInputWeight(fisher, modelsPort + 1, 2.0));
    const auto fisherExport = exportOf(fisher, "fisher.safetensors");
    const auto regmean = dataAwareMerge(p, "regmean");
    test::SweepProject::must(p.doc.setParam(regmean, "alpha", 1.0));
    const auto regmeanExport = exportOf(regmean, "regmean.safetensors");
    engine::GraphExecutor executor(p.dir.file("scratch"));
    const auto summary = executor.run(p.doc, {fisherExport, regmeanExport}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    const io::SafetensorsFile fisherOut(p.dir.file("fisher.safetensors")),
        regmeanOut(p.dir.file("regmean.safetensors"));
    for (const auto* name : {"layers.0.weight", "layers.0.bias", "head.weight", "head.bias"}) {
      const at::Tensor f = loadFrom(fisherOut, name),
                       fExpected = loadFrom(reference, std::string("fisher_merge/") + name);
      QVERIFY2(at::allclose(f, fExpected, 1e-4, 1e-6),
               (std::string(name) + ": " + c10::str(f - fExpected)).c_str());
      const at::Tensor r = loadFrom(regmeanOut, name),
                       rExpected = loadFrom(reference, std::string("regmean/") + name);
      QVERIFY2(at::allclose(r, rExpected, 1e-4, 1e-5),
               (std::string(name) + ": " + c10::str(r - rExpected)).c_str());
    }
    // Not simply the average: the statistics matter.
    const at::Tensor mean = (loadFrom(io::SafetensorsFile(p.dir.file("a.safetensors")), "head.weight") +
                             loadFrom(io::SafetensorsFile(p.dir.file("b.safetensors")), "head.weight")) /
                            2;
    QVERIFY(!at::allclose(loadFrom(regmeanOut, "head.weight"), mean, 1e-3, 1e-3));
    // The facts say which task each model used.
    const auto& facts = summary.nodes.at(fisher).facts;
    QVERIFY(std::any_of(facts.begin(), facts.end(), [](const std::string& f) {
      return f.find("Specialist A on task alpha: fisher") != std::string::npos;
    }));
    qunsetenv("XDG_CACHE_HOME");
  }

  void regmeanWithSmallerAlphaShrinksTowardsTheDiagonalSolution() {
    // alpha = 0: each input feature on its own, W[:, k] = Σ_i G_i[k,k] W_i[:, k] / Σ_i G_i[k,k].
    const at::Tensor w1 = at::tensor({1.0f, 2.0f, 3.0f, 4.0f}).reshape({2, 2});
    const at::Tensor w2 = at::tensor({5.0f, 6.0f, 7.0f, 8.0f}).reshape({2, 2});
    const at::Tensor g1 = at::tensor({1.0f, 0.5f, 0.5f, 3.0f}).reshape({2, 2});
    const at::Tensor g2 = at::tensor({3.0f, 0.2f, 0.2f, 1.0f}).reshape({2, 2});
    std::vector<at::Tensor> stats = {g1, g2};
    const auto merged = [&](double alpha) {
      ops::MergeParams params;
      params.alpha = alpha;
      ops::TensorContext context("layers.0.weight");
      context.statistics = &stats;
      return ops::merge("regmean", {w1.clone(), w2.clone()}, std::nullopt, {}, params, context);
    };
    const at::Tensor diagonal = at::stack(
        {(1 * w1.select(1, 0) + 3 * w2.select(1, 0)) / 4, (3 * w1.select(1, 1) + 1 * w2.select(1, 1)) / 4},
        1);
    QVERIFY(at::allclose(merged(0.0), diagonal, 1e-5, 1e-5));
    QVERIFY(!at::allclose(merged(0.9), diagonal, 1e-3, 1e-3));
    // A feature no input's data reaches: its column is the inputs' mean.
    stats = {at::tensor({1.0f, 0.0f, 0.0f, 0.0f}).reshape({2, 2}),
             at::tensor({2.0f, 0.0f, 0.0f, 0.0f}).reshape({2, 2})};
    QVERIFY(at::allclose(merged(1.0).select(1, 1), (w1.select(1, 1) + w2.select(1, 1)) / 2));
    // Without statistics the method refuses, naming what it needs.
    ops::TensorContext bare("layers.0.weight");
    MG_VERIFY_THROWS(ops::merge("regmean", {w1.clone(), w2.clone()}, std::nullopt, {}, {}, bare),
                     std::invalid_argument, "needs each input's statistics");
  }

  void statisticsAreCachedAndACorruptCacheIsComputedAgain() {
    test::SweepProject p;
    const auto task = io::readTaskFile(p.dir.file("tasks/alpha.h5"));
    const auto model = openModel(p.dir.file("a.safetensors"));
    embed::StatisticsRequest request;
    request.examples = 50;
    request.cacheFolder = p.dir.file("cache");
    const auto first = embed::modelStatistics(request, *model, plainClassifier(), task);
    QVERIFY(!first.fromCache);
    QVERIFY(std::filesystem::exists(first.file));
    QVERIFY(first.file.find("/fisher-") != std::string::npos);
    const auto second = embed::modelStatistics(request, *model, plainClassifier(), task);
    QVERIFY(second.fromCache);
    QCOMPARE(second.file, first.file);
    for (const auto& info : first.statistics->tensors())
      QVERIFY(at::equal(first.statistics->load(info.name), second.statistics->load(info.name)));
    // Another examples count, another model or the Grams: other files.
    request.examples = 40;
    QVERIFY(embed::modelStatistics(request, *model, plainClassifier(), task).file != first.file);
    QVERIFY(embed::modelStatistics(request, *openModel(p.dir.file("b.safetensors")), plainClassifier(), task)
                .file != first.file);
    request.examples = 50;
    request.kind = embed::StatisticsKind::Grams;
    const auto grams = embed::modelStatistics(request, *model, plainClassifier(), task);
    QVERIFY(grams.file.find("/regmean_gram-") != std::string::npos);
    QCOMPARE(grams.statistics->tensors().size(), std::size_t(2)); // layers.0.weight [4,4], head.weight [8,8]
    QVERIFY(grams.statistics->find("head.weight")->shape == (std::vector<std::int64_t>{8, 8}));
    QVERIFY(embed::modelStatistics(request, *model, plainClassifier(), task).fromCache);
    // A corrupt file: computed again, said in a warning, and replaced by a good one.
    request.kind = embed::StatisticsKind::Fisher;
    test::writeBytes(first.file, "not an HDF5 file");
    const auto recomputed = embed::modelStatistics(request, *model, plainClassifier(), task);
    QVERIFY(!recomputed.fromCache);
    QCOMPARE(recomputed.warnings.size(), std::size_t(1));
    QVERIFY2(recomputed.warnings[0].find("did not read") != std::string::npos,
             recomputed.warnings[0].c_str());
    for (const auto& info : first.statistics->tensors())
      QVERIFY(at::equal(first.statistics->load(info.name), recomputed.statistics->load(info.name)));
    QVERIFY(embed::modelStatistics(request, *model, plainClassifier(), task).fromCache);
  }

  void aMergeNodeRunsAgainFromTheCache() {
    test::SweepProject p;
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(p.dir.file("cache")));
    const auto merge = dataAwareMerge(p, "fisher");
    test::SweepProject::must(p.doc.setParam(merge, "examples", 30));
    p.doc.disconnect({p.evaluate, 0});
    test::SweepProject::must(p.doc.connect({merge, 0}, {p.evaluate, 0}));
    const auto run = [&] {
      engine::GraphExecutor executor(p.dir.file("scratch")); // a fresh node cache each time
      const auto summary = executor.run(p.doc, {p.evaluate}, {}, {});
      if (!summary.ok()) throw std::runtime_error(failureOf(summary));
      return summary.nodes.at(merge).facts;
    };
    const auto count = [](const std::vector<std::string>& facts, const char* text) {
      return std::count_if(facts.begin(), facts.end(),
                           [&](const std::string& f) { return f.find(text) != std::string::npos; });
    };
    const auto first = run();
    QCOMPARE(count(first, "computed in"), 2L);
    const auto second = run();
    QCOMPARE(count(second, "read from the cache"), 2L);
    qunsetenv("XDG_CACHE_HOME");
  }

  void aFisherNodeShowsEachTensorAndFeedsTheMergesThroughTheCache() {
    test::SweepProject p;
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(p.dir.file("cache")));
    const auto fisher = p.doc.addNode(nt::kFisher);
    test::SweepProject::must(p.doc.connect({p.tasks, 0}, {fisher, 1}));
    test::SweepProject::must(p.doc.connect({p.a, 0}, {fisher, 2}));
    test::SweepProject::must(p.doc.connect({p.b, 0}, {fisher, 3}));
    test::SweepProject::must(p.doc.setParam(fisher, "examples", 60));
    engine::GraphExecutor executor(p.dir.file("scratch"));
    auto summary = executor.run(p.doc, {fisher}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    const auto& facts = summary.nodes.at(fisher).facts;
    QVERIFY(std::any_of(facts.begin(), facts.end(), [](const std::string& f) {
      return f.rfind("Specialist B head.weight: mean ", 0) == 0 &&
             f.find("% below 1e-6") != std::string::npos;
    }));
    QCOMPARE(std::count_if(facts.begin(), facts.end(),
                           [](const std::string& f) { return f.find(" computed in ") != std::string::npos; }),
             2L);
    // A Fisher merge of the same models, tasks and examples reads what the node computed.
    const auto merge = dataAwareMerge(p, "fisher");
    test::SweepProject::must(p.doc.setParam(merge, "examples", 60));
    p.doc.disconnect({p.evaluate, 0});
    test::SweepProject::must(p.doc.connect({merge, 0}, {p.evaluate, 0}));
    summary = executor.run(p.doc, {p.evaluate}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    const auto& mergeFacts = summary.nodes.at(merge).facts;
    QCOMPARE(std::count_if(
                 mergeFacts.begin(), mergeFacts.end(),
                 [](const std::string& f) { return f.find("read from the cache") != std::string::npos; }),
             2L);

    // Its output on a Fisher merge's 'statistics' input stands for the Tasks input: the same merge, with no
    // task data on the merge node.
    const auto viaEdge = p.doc.addNode(graph::mergeNodeTypeId("fisher"));
    const auto models = *p.doc.nodeType(viaEdge)->inputIndex("models");
    test::SweepProject::must(
        p.doc.connect({fisher, 0}, {viaEdge, *p.doc.nodeType(viaEdge)->inputIndex("statistics")}));
    test::SweepProject::must(p.doc.connect({p.a, 0}, {viaEdge, models}));
    test::SweepProject::must(p.doc.connect({p.b, 0}, {viaEdge, models + 1}));
    for (const auto& issue : graph::validate(p.doc))
      QVERIFY2(issue.node != viaEdge, issue.message.c_str()); // 'statistics' stands for 'tasks'
    const auto exportOf = [&](graph::NodeId node, const std::string& file) {
      const auto exporter = p.doc.addNode(nt::kExport);
      test::SweepProject::must(p.doc.setParam(exporter, "path", p.dir.file(file)));
      test::SweepProject::must(p.doc.connect({node, 0}, {exporter, 0}));
      return exporter;
    };
    summary = executor.run(
        p.doc, {exportOf(merge, "tasks.safetensors"), exportOf(viaEdge, "edge.safetensors")}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    const auto& edgeFacts = summary.nodes.at(viaEdge).facts;
    QVERIFY(std::any_of(edgeFacts.begin(), edgeFacts.end(),
                        [](const std::string& f) { return f.rfind("statistics from ", 0) == 0; }));
    const io::SafetensorsFile fromTasks(p.dir.file("tasks.safetensors")),
        fromEdge(p.dir.file("edge.safetensors"));
    for (const auto& info : fromTasks.tensors())
      QVERIFY2(at::equal(loadFrom(fromTasks, info.name), loadFrom(fromEdge, info.name)), info.name.c_str());

    // Statistics of other models than the merge's: the one-line reason.
    test::SweepProject::must(p.doc.connect({p.a, 0}, {viaEdge, models + 2}));
    summary = executor.run(p.doc, {viaEdge}, {}, {});
    QVERIFY(!summary.ok());
    QVERIFY2(summary.nodes.at(viaEdge).message.find("is of 2 models, this merge has 3") != std::string::npos,
             summary.nodes.at(viaEdge).message.c_str());
    qunsetenv("XDG_CACHE_HOME");
  }

  // LoRA adapters are merged as the full models base + update: the node applies each to the base and takes
  // its Fisher there.
  void adaptersAreMergedAppliedToTheBase() {
    test::SweepProject p;
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(p.dir.file("cache")));
    io::LoraConfig config;
    config.r = 2;
    config.loraAlpha = 2;
    config.targetModules = {"layers.0"};
    const auto writeAdapter = [&](const std::string& folder, float scale) {
      const at::Tensor a = at::linspace(-1, 1, 8).reshape({2, 4}) * scale,
                       b = at::linspace(1, -1, 16).reshape({8, 2});
      io::writePeftAdapter(p.dir.file(folder), config,
                           {tensor::fromTorch(a, io::peftKey("layers.0", "lora_A"), io::DType::F32),
                            tensor::fromTorch(b, io::peftKey("layers.0", "lora_B"), io::DType::F32)});
      const auto node = p.doc.addNode(nt::kSourceAdapter);
      test::SweepProject::must(p.doc.setParam(node, "path", p.dir.file(folder)));
      return node;
    };
    const auto first = writeAdapter("alpha", 1.0f), second = writeAdapter("beta", -0.5f);
    const auto merge = p.doc.addNode(graph::mergeNodeTypeId("fisher"));
    test::SweepProject::must(p.doc.connect({p.base, 0}, {merge, 0}));
    test::SweepProject::must(p.doc.connect({p.tasks, 0}, {merge, 1}));
    const auto models = *p.doc.nodeType(merge)->inputIndex("models");
    test::SweepProject::must(p.doc.connect({first, 0}, {merge, models}));
    test::SweepProject::must(p.doc.connect({second, 0}, {merge, models + 1}));
    const auto exporter = p.doc.addNode(nt::kExport);
    test::SweepProject::must(p.doc.setParam(exporter, "path", p.dir.file("merged.safetensors")));
    test::SweepProject::must(p.doc.connect({merge, 0}, {exporter, 0}));
    engine::GraphExecutor executor(p.dir.file("scratch"));
    const auto summary = executor.run(p.doc, {exporter}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    // The adapters are named after the tasks (folders alpha, beta): each takes its own.
    const auto& facts = summary.nodes.at(merge).facts;
    QVERIFY(std::any_of(facts.begin(), facts.end(), [](const std::string& f) {
      return f.find("on task beta: fisher") != std::string::npos;
    }));
    // Expected: the Fisher merge of base + update of each adapter, each on its task.
    const auto base = openModel(p.dir.file("base.safetensors"));
    const std::vector<io::TaskData> tasks = {io::readTaskFile(p.dir.file("tasks/alpha.h5")),
                                             io::readTaskFile(p.dir.file("tasks/beta.h5"))};
    const io::SafetensorsFile merged(p.dir.file("merged.safetensors"));
    for (const char* name : {"layers.0.weight", "head.weight"}) {
      std::vector<at::Tensor> inputs, stats;
      for (int i = 0; i < 2; ++i) {
        const auto full = engine::openWeights(p.dir.file(i == 0 ? "alpha" : "beta"), base).weights;
        inputs.push_back(full->load(name));
        stats.push_back(embed::parameterFisher(*full, plainClassifier(), tasks[std::size_t(i)]).at(name));
      }
      if (std::string(name) == "layers.0.weight") QVERIFY(!at::allclose(inputs[0], inputs[1]));
      const at::Tensor expected = ops::fisherMerge(inputs, {1.0, 1.0}, stats, {1e-6, 1e-6});
      QVERIFY2(at::allclose(loadFrom(merged, name), expected, 1e-5, 1e-6), name);
    }
    qunsetenv("XDG_CACHE_HOME");
  }

  // A CNN: its convolutions take the per-example path, its head the batched one; both equal the definition,
  // Σ_y p_y (∂ log p_y)², by autograd of log p_y for every example and class.
  void cnnFisherEqualsThePerExampleDefinition() {
    at::manual_seed(3);
    std::map<std::string, at::Tensor> tensors = {{"convs.0.weight", at::randn({2, 1, 3, 3})},
                                                 {"convs.0.bias", at::randn({2})},
                                                 {"head.weight", at::randn({3, 8})},
                                                 {"head.bias", at::randn({3})}};
    const engine::TensorMapWeights weights(tensors, "a tiny CNN");
    io::TaskData task;
    task.name = "t";
    task.labelNames = {"a", "b", "c"};
    task.inputShape = {6, 1, 4, 4};
    const at::Tensor x = at::randn({6, 1, 4, 4});
    task.inputs.assign(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
    task.labels.assign(6, 0);
    const auto fisher = embed::parameterFisher(weights, plainClassifier(), task);
    QCOMPARE(fisher.size(), std::size_t(4));

    at::AutoGradMode grad(true);
    std::map<std::string, at::Tensor> leaves;
    for (const auto& [name, t] : tensors)
      leaves.emplace(name, t.clone().requires_grad_(true));
    const auto model = eval::loadClassifier(engine::TensorMapWeights(leaves, "leaves", true), nullptr);
    std::map<std::string, at::Tensor> expected;
    for (const auto& [name, t] : leaves)
      expected.emplace(name, at::zeros_like(t).detach());
    for (std::int64_t n = 0; n < 6; ++n) {
      const at::Tensor logp = at::log_softmax(model->differentiableLogits(x.slice(0, n, n + 1)), 1)[0];
      for (std::int64_t y = 0; y < 3; ++y) {
        for (auto& [name, leaf] : leaves)
          if (leaf.grad().defined()) leaf.mutable_grad().zero_();
        logp[y].backward({}, true);
        for (auto& [name, leaf] : leaves)
          expected.at(name) += logp[y].exp().item<float>() * leaf.grad().pow(2) / 6;
      }
    }
    for (const auto& [name, f] : fisher)
      QVERIFY2(at::allclose(f, expected.at(name), 1e-4, 1e-7), name.c_str());
  }

  void eachModelGetsItsTask() {
    const std::vector<std::string> tasks = {"rotate", "flip", "invert"};
    // Named after a task (title or path): that task, whatever the order.
    QCOMPARE(embed::assignTasks({{"LoRA flip", "/z/adapters/flip"}, {"x", "/z/finetunes/invert/"}}, tasks),
             (std::vector<std::size_t>{1, 2}));
    // Not named: one per model, in order.
    QCOMPARE(embed::assignTasks({{"A"}, {"B"}, {"C"}}, tasks), (std::vector<std::size_t>{0, 1, 2}));
    // Neither: the first model without a task is named.
    MG_VERIFY_THROWS(embed::assignTasks({{"LoRA flip"}, {"Mystery"}}, tasks), std::runtime_error,
                     "input 2 (Mystery) has no task");
  }
};

MG_TEST_APPLESS_MAIN(TestDataAwareMerges)
#include "test_data_aware_merges.moc"
