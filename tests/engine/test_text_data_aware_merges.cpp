// The data-aware merges on language models and text tasks (spec "fisher, regmean"; docs/spec/
// language-models.md "Fisher information and Gram matrices"): a Fisher information node and Fisher and
// RegMean merges of two LoRA adapters of the tiny Llama of tests/reference/lm_eval_reference.py, each adapter
// on its own text task, merged as the full weights base + update. The merges equal the methods' formulas
// applied to the statistics core/lm_eval computes (lm_eval/lm_statistics.h, tested against its own
// reference in tests/lm/test_lm_statistics.cpp), are not the plain average, and a second run reads the
// statistics cache; bad task inputs are one-line errors.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "io/safetensors_file.h"
#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm_eval/lm_statistics.h"
#include "ops/data_aware_merge.h"
#include "support/lm_eval_fixture.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"
#include "text/tokenizer.h"
#include "weights/open_weights.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

std::string failureOf(const engine::RunSummary& summary) {
  std::string text = summary.failure;
  for (const auto& [id, s] : summary.nodes)
    if (s.state == engine::NodeState::Failed) text += " | " + s.message;
  return text;
}

std::size_t countFacts(const std::vector<std::string>& facts, const std::string& part) {
  return std::size_t(std::count_if(facts.begin(), facts.end(),
                                   [&](const std::string& f) { return f.find(part) != std::string::npos; }));
}

} // namespace

class TextDataAwareMergesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_);
    // Two tasks for the two adapters, in order: adapter (q, v) on choose, adapter2 (gate, down) on prose.
    std::filesystem::create_directories(dir_.file("pair"));
    for (const char* task : {"choose", "prose"})
      std::filesystem::copy_file(dir_.file(std::string("tasks/") + task + ".jsonl"),
                                 dir_.file(std::string("pair/") + task + ".jsonl"));
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(dir_.file("cache")));
  }
  void cleanupTestCase() { qunsetenv("XDG_CACHE_HOME"); }

  void aFisherMergeOfTwoAdaptersWeighsEachEntryByItsFisher() {
    Graph g = graph("pair");
    const auto fisher = g.doc.addNode(nt::kFisher);
    connectModels(g, fisher);
    const auto merge = g.doc.addNode(graph::mergeNodeTypeId("fisher"));
    connectModels(g, merge);
    const auto exporter = exportOf(g, merge, "fisher.safetensors");
    engine::GraphExecutor executor(dir_.file("scratch"));
    auto summary = executor.run(g.doc, {fisher, exporter}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    // The Fisher node computed both (one per adapter, each on its task), the merge read them from the cache.
    const auto& facts = summary.nodes.at(fisher).facts;
    QCOMPARE(countFacts(facts, " computed in "), std::size_t(2));
    QCOMPARE(countFacts(facts, "on task choose: fisher of 21 tensors"), std::size_t(1));
    QCOMPARE(countFacts(facts, "on task prose: fisher of 21 tensors"), std::size_t(1));
    QCOMPARE(countFacts(summary.nodes.at(merge).facts, "read from the cache"), std::size_t(2));

    // Expected: Fisher merging of the full weights with the statistics core/lm_eval gives each model.
    const auto fishers = {statistics("adapter", "choose", true), statistics("adapter2", "prose", true)};
    const io::SafetensorsFile merged(dir_.file("fisher.safetensors"));
    bool differsFromTheMean = false;
    for (const char* name : {"model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight",
                             "lm_head.weight"}) {
      const auto inputs = fullWeights(name);
      std::vector<at::Tensor> f;
      for (const auto& s : fishers)
        f.push_back(s.at(name));
      const at::Tensor expected = ops::fisherMerge(inputs, {1.0, 1.0}, f, {1e-6, 1e-6});
      const at::Tensor got = tensor::toTorchFloat32(merged.load(name));
      QVERIFY2(at::allclose(got, expected, 1e-5, 1e-6), name);
      // Where one model's Fisher dominates, the merge sits nearer to that model.
      const at::Tensor toFirst = (got - inputs[0]).abs(), toSecond = (got - inputs[1]).abs();
      QVERIFY2((toFirst <= toSecond).masked_select(f[0] > 10 * f[1]).all().item<bool>(), name);
      QVERIFY2((toSecond <= toFirst).masked_select(f[1] > 10 * f[0]).all().item<bool>(), name);
      differsFromTheMean |= !at::allclose(got, (inputs[0] + inputs[1]) / 2, 1e-4, 1e-6);
    }
    QVERIFY(differsFromTheMean);
  }

  void aRegmeanMergeOfTwoAdaptersFitsBothModelsInputsBetterThanTheMean() {
    Graph g = graph("pair");
    const auto merge = g.doc.addNode(graph::mergeNodeTypeId("regmean"));
    connectModels(g, merge);
    QVERIFY(!g.doc.setParam(merge, "alpha", 1.0));
    const auto exporter = exportOf(g, merge, "regmean.safetensors");
    engine::GraphExecutor executor(dir_.file("scratch"));
    auto summary = executor.run(g.doc, {exporter}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    QCOMPARE(countFacts(summary.nodes.at(merge).facts, "regmean_gram of 15 tensors computed in "),
             std::size_t(2));
    const auto grams = {statistics("adapter", "choose", false), statistics("adapter2", "prose", false)};
    const io::SafetensorsFile merged(dir_.file("regmean.safetensors"));
    for (const char* name :
         {"model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight"}) {
      const auto inputs = fullWeights(name);
      std::vector<at::Tensor> gs;
      for (const auto& s : grams)
        gs.push_back(s.at(name));
      const at::Tensor got = tensor::toTorchFloat32(merged.load(name));
      QVERIFY2(at::allclose(got, ops::regmeanMerge(inputs, gs, 1.0), 1e-4, 1e-5), name);
      // RegMean's objective Σ_i tr((W − W_i)·G_i·(W − W_i)ᵀ): lower than the mean's.
      const auto objective = [&](const at::Tensor& w) {
        double sum = 0;
        for (std::size_t i = 0; i < 2; ++i) {
          const at::Tensor d = (w - inputs[i]).to(at::kDouble);
          sum += at::trace(at::mm(at::mm(d, gs[i].to(at::kDouble)), d.t())).item<double>();
        }
        return sum;
      };
      const double mean = objective((inputs[0] + inputs[1]) / 2), ours = objective(got);
      QVERIFY2(ours < 0.99 * mean,
               (std::string(name) + ": " + std::to_string(ours) + " vs " + std::to_string(mean)).c_str());
    }
    // The statistics are cached: the next run reads them.
    summary = engine::GraphExecutor(dir_.file("scratch2")).run(g.doc, {exporter}, {}, {});
    QVERIFY2(summary.ok(), failureOf(summary).c_str());
    QCOMPARE(countFacts(summary.nodes.at(merge).facts, "read from the cache"), std::size_t(2));
  }

  void badTextTaskInputsAreOneLineErrors() {
    // Three tasks for two adapters named after none of them.
    Graph g = graph("tasks");
    const auto merge = g.doc.addNode(graph::mergeNodeTypeId("fisher"));
    connectModels(g, merge);
    auto summary = engine::GraphExecutor(dir_.file("scratch")).run(g.doc, {merge}, {}, {});
    QVERIFY(!summary.ok());
    const auto& message = summary.nodes.at(merge).message;
    QVERIFY2(message.find("there are 3 tasks for 2 models") != std::string::npos, message.c_str());

    // A generation example whose answer has no token: named by file line.
    std::filesystem::create_directories(dir_.file("blank"));
    io::TextTask choose = io::readTextTaskFile(dir_.file("tasks/choose.jsonl"));
    io::TextTask say;
    say.name = "say";
    say.kind = io::TextTaskKind::Generation;
    say.examples = {{}, {}};
    say.examples[0].prompt = "abc";
    say.examples[0].answer = " def";
    say.examples[1].prompt = "hello";
    io::writeTextTaskFile(dir_.file("blank/choose.jsonl"), choose);
    io::writeTextTaskFile(dir_.file("blank/say.jsonl"), say);
    Graph h = graph("blank");
    const auto fisher = h.doc.addNode(nt::kFisher);
    connectModels(h, fisher);
    summary = engine::GraphExecutor(dir_.file("scratch")).run(h.doc, {fisher}, {}, {});
    QVERIFY(!summary.ok());
    const auto& why = summary.nodes.at(fisher).message;
    QVERIFY2(why.find("task say, line 3: the answer tokenizes to nothing after its prompt") !=
                 std::string::npos,
             why.c_str());
  }

private:
  struct Graph {
    graph::Document doc;
    graph::NodeId base = 0, tasks = 0, first = 0, second = 0;
  };

  Graph graph(const std::string& tasks) {
    Graph g;
    const auto source = [&](const char* type, const std::string& path) {
      const auto id = g.doc.addNode(type);
      if (g.doc.setParam(id, "path", path)) qWarning("cannot set the path");
      return id;
    };
    g.base = source(nt::kSourceModel, dir_.file("model"));
    g.tasks = source(nt::kSourceTasks, dir_.file(tasks));
    g.first = source(nt::kSourceAdapter, dir_.file("adapter"));
    g.second = source(nt::kSourceAdapter, dir_.file("adapter2"));
    g.doc.setTitle(g.first, "first adapter");
    g.doc.setTitle(g.second, "second adapter");
    return g;
  }

  static void connectModels(Graph& g, graph::NodeId node) {
    const auto* type = g.doc.nodeType(node);
    const auto models = type->fixedInputCount();
    QVERIFY(!g.doc.connect({g.base, 0}, {node, *type->inputIndex("base")}));
    QVERIFY(!g.doc.connect({g.tasks, 0}, {node, *type->inputIndex("tasks")}));
    QVERIFY(!g.doc.connect({g.first, 0}, {node, models}));
    QVERIFY(!g.doc.connect({g.second, 0}, {node, models + 1}));
  }

  graph::NodeId exportOf(Graph& g, graph::NodeId node, const std::string& file) {
    const auto exporter = g.doc.addNode(nt::kExport);
    if (g.doc.setParam(exporter, "path", dir_.file(file))) qWarning("cannot set the path");
    if (g.doc.connect({node, 0}, {exporter, 0})) qWarning("cannot connect the export");
    return exporter;
  }

  // The Fisher (or Grams) of the base with `adapter` on task `task`, as core/lm_eval gives them.
  std::map<std::string, at::Tensor> statistics(const std::string& adapter, const std::string& task,
                                               bool fisher) {
    lm::LoadOptions options;
    options.adapters = {dir_.file(adapter)};
    const auto model = lm::CausalLm::load(dir_.file("model"), options);
    const auto tokenizer = text::loadTokenizer(dir_.file("model"));
    const auto requests =
        lm_eval::statisticsRequests(io::readTextTaskFile(dir_.file("pair/" + task + ".jsonl")), *tokenizer,
                                    256, lm_eval::statisticsWindow(*model));
    return fisher ? lm_eval::lmParameterFisher(*model, requests) : lm_eval::lmInputGrams(*model, requests);
  }

  // Tensor `name` of base + adapter and base + adapter2.
  std::vector<at::Tensor> fullWeights(const std::string& name) {
    const auto base = engine::openWeights(dir_.file("model"), nullptr).weights;
    std::vector<at::Tensor> out;
    for (const char* adapter : {"adapter", "adapter2"})
      out.push_back(engine::openWeights(dir_.file(adapter), base).weights->load(name).to(at::kFloat));
    return out;
  }

  test::TempDir dir_;
  nlohmann::json expected_;
};

MG_TEST_APPLESS_MAIN(TextDataAwareMergesTest)
#include "test_text_data_aware_merges.moc"
