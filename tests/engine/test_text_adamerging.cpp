// AdaMerging of language models on text tasks (core/search/lm_adamerging.h) on the tiny Llama, character
// tokenizer, tasks and adapters of tests/reference/lm_eval_reference.py: the gradient of the next-token
// entropy with respect to the coefficients equals central differences (task-wise and layer-wise), a few Adam
// steps lower the entropy, no label is read, and the engine's Search node with AdaMerging over two adapters
// on a base gives a merged language model that its Evaluate node scores.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "io/safetensors_writer.h"
#include "io/tensor_source.h"
#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm_eval/lm_statistics.h"
#include "search/lm_adamerging.h"
#include "support/lm_eval_fixture.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"
#include "text/tokenizer.h"
#include "weights/source_weights.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

engine::WeightSetPtr openWeights(const std::string& path) {
  return std::make_shared<engine::SourceWeights>(
      std::shared_ptr<const io::TensorSource>(io::openTensorSource(path)));
}

// The base's tensors with noise added to its attention and MLP matrices: a fine-tune of it.
void writeFineTune(const std::string& base, const std::string& out, std::uint64_t seed) {
  const auto source = io::openTensorSource(base);
  at::manual_seed(seed);
  std::vector<io::TensorData> tensors;
  for (const auto& info : source->tensors()) {
    auto t = tensor::toTorchFloat32(source->load(info.name));
    if (info.name.find("_proj") != std::string::npos) t = t + 0.05 * at::randn(t.sizes());
    tensors.push_back(tensor::fromTorch(t, info.name, io::DType::F32));
  }
  io::writeSafetensors(out, tensors);
}

} // namespace

class TextAdaMergingTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  nlohmann::json expected_;
  std::vector<search::UnlabelledTextTask> tasks_;

  std::unique_ptr<lm::CausalLm> writableModel() const {
    lm::LoadOptions load;
    load.writableWeights = true;
    return lm::CausalLm::load(dir_.file("model"), load);
  }

private Q_SLOTS:
  void initTestCase() {
    MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_);
    writeFineTune(dir_.file("model/model.safetensors"), dir_.file("a.safetensors"), 1);
    writeFineTune(dir_.file("model/model.safetensors"), dir_.file("b.safetensors"), 2);
    const auto tokenizer = text::loadTokenizer(dir_.file("model"));
    for (const char* name : {"choose", "prose", "say"}) {
      const auto task = io::readTextTaskFile(dir_.file(std::string("tasks/") + name + ".jsonl"));
      tasks_.push_back({task.name, lm_eval::unlabelledPositions(task, *tokenizer, 0, 12)});
    }
  }

  // Which positions are read: every choice of a multiple-choice example, the prompt's last position of a
  // generation example (never its answer), every token of a perplexity text.
  void thePositionsReadNoLabel() {
    const auto tokenizer = text::loadTokenizer(dir_.file("model"));
    auto task = io::readTextTaskFile(dir_.file("tasks/choose.jsonl"));
    const auto before = lm_eval::unlabelledPositions(task, *tokenizer, 1, 12);
    QCOMPARE(before.size(), task.examples[0].choices.size());
    task.examples[0].label = 2;
    const auto relabelled = lm_eval::unlabelledPositions(task, *tokenizer, 1, 12);
    for (std::size_t c = 0; c < before.size(); ++c) {
      QCOMPARE(relabelled[c].tokens, before[c].tokens);
      QCOMPARE(relabelled[c].first, before[c].first);
    }
    auto say = io::readTextTaskFile(dir_.file("tasks/say.jsonl"));
    const auto prompt = lm_eval::unlabelledPositions(say, *tokenizer, 1, 12);
    say.examples[0].answer = "something else entirely";
    QCOMPARE(lm_eval::unlabelledPositions(say, *tokenizer, 1, 12)[0].tokens, prompt[0].tokens);
    QCOMPARE(prompt[0].first, prompt[0].tokens.size() - 1);
    const auto prose = io::readTextTaskFile(dir_.file("tasks/prose.jsonl"));
    // Rolling windows of the model's 12 positions: from the prefix token on, every token is predicted once.
    const auto windows = lm_eval::unlabelledPositions(prose, *tokenizer, 1, 12);
    QVERIFY(windows.size() > 1);
    QCOMPARE(windows[0].first, std::size_t(0));
    std::size_t predicted = 0;
    for (const auto& w : windows) {
      QVERIFY(w.tokens.size() <= 12);
      predicted += w.tokens.size() - w.first;
    }
    QCOMPARE(predicted, tokenizer->encode(prose.examples[0].text, false).size());
  }

  void theGradientEqualsCentralDifferences() {
    const auto base = openWeights(dir_.file("model/model.safetensors"));
    const std::vector<engine::WeightSetPtr> models = {openWeights(dir_.file("a.safetensors")),
                                                      openWeights(dir_.file("b.safetensors"))};
    auto model = writableModel();
    for (const auto granularity : {search::Granularity::Task, search::Granularity::Layer}) {
      const bool layerWise = granularity == search::Granularity::Layer;
      std::vector<std::vector<double>> lambda(2);
      std::vector<std::vector<double>> gradient;
      // Layer-wise: 2 layers × 7 matrices changed by each fine-tune.
      const std::size_t groups = layerWise ? 14 : 1;
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t g = 0; g < groups; ++g)
          lambda[i].push_back(0.2 + 0.1 * double(i) + 0.01 * double(g));
      const double h =
          search::languageModelEntropy(base, models, tasks_, *model, granularity, lambda, &gradient);
      QVERIFY(h > 0);
      QCOMPARE(gradient.size(), std::size_t(2));
      QCOMPARE(gradient[0].size(), groups);
      for (const auto& [i, g] :
           std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}, {1, groups - 1}, {1, groups / 2}}) {
        const double eps = 0.05;
        auto up = lambda, down = lambda;
        up[i][g] += eps;
        down[i][g] -= eps;
        const double numeric =
            (search::languageModelEntropy(base, models, tasks_, *model, granularity, up) -
             search::languageModelEntropy(base, models, tasks_, *model, granularity, down)) /
            (2 * eps);
        const double analytic = gradient[i][g];
        QVERIFY2(std::abs(numeric - analytic) <= 0.03 * std::abs(analytic) + 1e-4,
                 (std::string(layerWise ? "layer" : "task") + "-wise, model " + std::to_string(i) +
                  " group " + std::to_string(g) + ": " + std::to_string(numeric) + " vs " +
                  std::to_string(analytic))
                     .c_str());
        QVERIFY(std::abs(analytic) > 1e-5); // a real signal, not two zeros
      }
    }
  }

  void aFewStepsLowerTheEntropy() {
    const auto base = openWeights(dir_.file("model/model.safetensors"));
    const std::vector<engine::WeightSetPtr> models = {openWeights(dir_.file("a.safetensors")),
                                                      openWeights(dir_.file("b.safetensors"))};
    for (const auto granularity : {search::Granularity::Task, search::Granularity::Layer}) {
      auto model = writableModel();
      search::AdaMergingOptions options;
      options.granularity = granularity;
      options.steps = 8;
      options.learningRate = 0.05;
      options.batchSize = 1000; // every sequence: the entropy of each step is comparable
      const auto result = search::adaMergeLanguageModel(base, models, tasks_, *model, options);
      QCOMPARE(result.entropy.size(), std::size_t(8));
      QVERIFY2(
          result.entropy.back() < result.entropy.front(),
          (std::to_string(result.entropy.front()) + " -> " + std::to_string(result.entropy.back())).c_str());
      QCOMPARE(result.coefficients.size(), std::size_t(2));
      QCOMPARE(result.coefficients[0].size(),
               granularity == search::Granularity::Task ? std::size_t(1) : std::size_t(14));
      for (const auto& row : result.coefficients)
        for (const double c : row)
          QVERIFY(c >= 0 && c <= 1);
      QVERIFY(std::abs(result.coefficients[0][0] - 0.3) > 0.1); // moved
    }
    // A model viewing its read-only mapping cannot take the merges: a clear error, not a crash.
    auto mapped = lm::CausalLm::load(dir_.file("model"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             search::adaMergeLanguageModel(base, models, tasks_, *mapped, {}));
  }

  // base + two adapters → Task arithmetic → Evaluate on the text tasks ← Search (AdaMerging): the winner's
  // coefficients are learned from the validation examples' texts, and the merged language model is scored by
  // Evaluate on the rest.
  void theSearchNodeAdaMergesAdaptersOnTextTasks() {
    for (const char* granularity : {"task", "layer"}) {
      graph::Document doc;
      const auto source = [&](const char* type, const std::string& path) {
        const auto id = doc.addNode(type);
        if (doc.setParam(id, "path", path)) qWarning("cannot set the path");
        return id;
      };
      const auto base = source(nt::kSourceModel, dir_.file("model"));
      const auto a = source(nt::kSourceAdapter, dir_.file("adapter"));
      const auto b = source(nt::kSourceAdapter, dir_.file("adapter2"));
      const auto tasks = source(nt::kSourceTasks, dir_.file("tasks"));
      const auto merge = doc.addNode(graph::mergeNodeTypeId("task_arithmetic"));
      const auto evaluate = doc.addNode(nt::kEvaluate);
      const auto searchNode = doc.addNode(nt::kSearch);
      QVERIFY(!doc.connect({base, 0}, {merge, 0}));
      QVERIFY(!doc.connect({a, 0}, {merge, 1}));
      QVERIFY(!doc.connect({b, 0}, {merge, 2}));
      QVERIFY(!doc.connect({merge, 0}, {evaluate, 0}));
      QVERIFY(!doc.connect({tasks, 0}, {evaluate, 1}));
      QVERIFY(!doc.connect({evaluate, 0}, {searchNode, 0}));
      QVERIFY(!doc.setParam(searchNode, "algorithm", std::string("adamerging")));
      QVERIFY(!doc.setParam(searchNode, "granularity", std::string(granularity)));
      QVERIFY(!doc.setParam(searchNode, "budget", std::int64_t(4)));
      QVERIFY(!doc.setParam(searchNode, "learning_rate", 0.05));
      QVERIFY(!doc.setParam(searchNode, "validation_examples", std::int64_t(2)));
      test::TempDir scratch;
      engine::CancelToken cancel;
      const auto summary = engine::GraphExecutor(scratch.path()).run(doc, {searchNode}, {}, cancel);
      QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(searchNode).message).c_str());
      const auto& node = summary.nodes.at(searchNode);
      QCOMPARE(node.scatters.front().kind, std::string("search_entropy"));
      QCOMPARE(node.scatters.front().points.size(), std::size_t(4));
      // The merged language model, scored by Evaluate on each task's examples after the first two.
      const auto& scores = *node.results.front().scores;
      QCOMPARE(scores.size(), std::size_t(3));
      for (const auto& s : scores) {
        QVERIFY(!s.textKind.empty());
        if (s.textKind == "perplexity") QVERIFY(s.perplexity && *s.perplexity > 1);
      }
      const auto& facts = node.facts;
      QVERIFY2(std::any_of(facts.begin(), facts.end(),
                           [](const std::string& f) { return f.rfind("winner: weights ", 0) == 0; }),
               facts.front().c_str());
      if (std::string(granularity) == "layer")
        QVERIFY(std::any_of(facts.begin(), facts.end(), [](const std::string& f) {
          return f.find("per-tensor weights in rules") != std::string::npos;
        }));
    }
  }
};

MG_TEST_APPLESS_MAIN(TextAdaMergingTest)
#include "test_text_adamerging.moc"
