// The Router node over a language model's LoRA adapters on text tasks (route/lm_router.h): routing on the
// base's mean last hidden state of each example's context, prompt or text, the adapters mixed per sequence.
// The tiny Llama and its two adapters are tests/reference/lm_eval_reference.py's, whose harness numbers with
// each adapter alone are the independent reference of one-hot routing.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm_eval/causal_lm_scorer.h"
#include "route/lm_router.h"
#include "support/lm_eval_fixture.h"
#include "support/temp_dir.h"
#include "text/tokenizer.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

// A perplexity task of `count` texts drawn from `letters` (deterministic): two such tasks over disjoint
// letters are as different as texts get for the character-level model.
std::string lettersTask(const std::string& name, const std::string& letters, int count) {
  std::string jsonl =
      nlohmann::json{{"merganser_task", {{"kind", "perplexity"}, {"name", name}}}}.dump() + "\n";
  std::uint32_t state = 12345;
  for (int i = 0; i < count; ++i) {
    std::string text;
    for (int c = 0; c < 6 + i % 5; ++c) {
      state = state * 1103515245u + 12345u;
      text += letters[(state >> 16) % letters.size()];
    }
    jsonl += nlohmann::json{{"text", text}}.dump() + "\n";
  }
  return jsonl;
}

void copyAdapter(const test::TempDir& dir, const std::string& from, const std::string& to) {
  std::filesystem::create_directories(dir.file(to));
  for (const char* file : {"adapter_config.json", "adapter_model.safetensors"})
    std::filesystem::copy_file(dir.file(from + "/" + file), dir.file(to + "/" + file),
                               std::filesystem::copy_options::overwrite_existing);
}

double rowSum(const std::vector<double>& row) {
  double sum = 0;
  for (const auto v : row)
    sum += v;
  return sum;
}

} // namespace

class TextRoutingTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_);
    std::filesystem::create_directories(dir_.file("letters"));
    test::writeBytes(dir_.file("letters/abc.jsonl"), lettersTask("abc", "abcde", 8));
    test::writeBytes(dir_.file("letters/xyz.jsonl"), lettersTask("xyz", "vwxyz", 8));
    copyAdapter(dir_, "adapter2", "one/prose");
    copyAdapter(dir_, "adapter", "two/abc");
    copyAdapter(dir_, "adapter2", "two/xyz");
  }

  // One adapter: every router gives it weight 1 on every example, so the routed scores are the adapter's
  // alone, the harness's numbers of the reference (perplexity per text, accuracy per multiple-choice
  // context).
  void routingToTheOnlyAdapterScoresAsThatAdapter() {
    for (const char* method : {"nearest", "trained", "smear"}) {
      const auto [summary, router] = route(method, "tasks", {"one/prose"});
      QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(router).message).c_str());
      const auto& node = summary.nodes.at(router);
      const auto scores = byTask(*node.results.front().scores);
      const double perplexity = expected_["prose_adapter2"]["perplexity"].get<double>();
      QVERIFY2(std::abs(*scores.at("prose").perplexity - perplexity) < 1e-4 * perplexity, method);
      QCOMPARE(scores.at("choose").accuracy, expected_["choose_adapter2"]["accuracy"].get<double>());
      QCOMPARE(*scores.at("choose").accuracyNorm,
               expected_["choose_adapter2"]["accuracy_norm"].get<double>());
      QCOMPARE(*scores.at("prose").routingAccuracy, 1.0);
      QCOMPARE(scores.at("choose").routedCounts, std::vector<std::int64_t>{5});
      QVERIFY(!scores.at("choose").routingAccuracy); // no adapter is named after it
      for (const auto& row : node.matrices.front().values)
        QVERIFY(std::abs(rowSum(row) - 1.0) < 1e-12);
    }
  }

  // Two adapters named after two tasks of very different texts: nearest top-1 sends every example to its own
  // task's adapter, so each task scores as Evaluate with that adapter alone; the trained router and SMEAR
  // route them as well.
  void textsAreRoutedToTheAdapterNamedAfterTheirTask() {
    auto [summary, router] = route("nearest", "letters", {"two/abc", "two/xyz"}, 3);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(router).message).c_str());
    const auto scores = byTask(*summary.nodes.at(router).results.front().scores);
    QCOMPARE(*scores.at("abc").routingAccuracy, 1.0);
    QCOMPARE(*scores.at("xyz").routingAccuracy, 1.0);
    QCOMPARE(scores.at("abc").routedTo, (std::vector<std::string>{"abc", "xyz"}));
    QCOMPARE(scores.at("abc").routedCounts, (std::vector<std::int64_t>{8, 0}));
    const auto& matrix = summary.nodes.at(router).matrices.front();
    QCOMPARE(matrix.values, (std::vector<std::vector<double>>{{1.0, 0.0}, {0.0, 1.0}}));
    const auto& facts = summary.nodes.at(router).facts;
    QVERIFY(std::find(facts.begin(), facts.end(), "routing accuracy 100.0%") != facts.end());
    QVERIFY(std::any_of(facts.begin(), facts.end(), [](const std::string& fact) {
      return fact.rfind("abc: perplexity ", 0) == 0 &&
             fact.find(", routed to its specialist 100.0% (abc 8, xyz 0)") != std::string::npos;
    }));
    QCOMPARE(summary.nodes.at(router).results.front().model, std::string("Router (nearest, top-1)"));
    for (const auto& [task, adapter] : {std::pair{"abc", "two/abc"}, std::pair{"xyz", "two/xyz"}}) {
      const auto alone = evaluateAdapter(adapter);
      const double expected = *alone.at(task).perplexity;
      QVERIFY2(std::abs(*scores.at(task).perplexity - expected) < 1e-6 * expected, task);
      QVERIFY(std::abs(*scores.at(task).perplexity -
                       *alone.at(task == std::string("abc") ? "xyz" : "abc").perplexity) >
              1e-3); // (the tasks differ)
    }
    for (const char* method : {"trained", "smear"}) {
      std::tie(summary, router) = route(method, "letters", {"two/abc", "two/xyz"}, 3);
      QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(router).message).c_str());
      const auto routed = byTask(*summary.nodes.at(router).results.front().scores);
      QVERIFY2(*routed.at("abc").routingAccuracy >= 0.75 && *routed.at("xyz").routingAccuracy >= 0.75,
               method);
      for (const auto& row : summary.nodes.at(router).matrices.front().values)
        QVERIFY(std::abs(rowSum(row) - 1.0) < 1e-12);
    }
  }

  // SMEAR's mix is the trained router's softmax over every adapter (same seed), the trained router's top-1 is
  // its largest weight, and each example is scored with its own mix (the routed perplexity is the sum of each
  // text scored alone with the mix chosen on it).
  void smearMixesEachSequenceWithTheTrainedRoutersProbabilities() {
    lm::LoadOptions load;
    load.adapters = {dir_.file("two/abc"), dir_.file("two/xyz")};
    const auto model = lm::CausalLm::load(dir_.file("model"), load);
    const auto tokenizer = text::loadTokenizer(dir_.file("model"));
    const auto tasks = io::readTextTaskSet(dir_.file("letters"));
    std::vector<std::string> texts;
    for (const auto& task : tasks)
      for (const auto& example : task.examples)
        texts.push_back(example.text);
    route::RouterOptions options;
    options.seed = 3;
    options.fitExamples = 2;
    options.trainSteps = 2; // barely trained: probabilities strictly between 0 and 1
    options.method = route::RouterMethod::Smear;
    const route::LmRouter smear(*model, *tokenizer, {"abc", "xyz"}, tasks, options);
    options.method = route::RouterMethod::Trained;
    options.topK = 1;
    const route::LmRouter trained(*model, *tokenizer, {"abc", "xyz"}, tasks, options);
    const auto mixes = smear.mixes(texts);
    QVERIFY(at::allclose(mixes, at::softmax(trained.scores(texts), 1), 1e-6, 1e-7));
    QVERIFY(at::allclose(mixes.sum(1), at::ones({mixes.size(0)}), 1e-6, 1e-6));
    QVERIFY(mixes.min().item<float>() > 0.01f && mixes.max().item<float>() < 0.99f);
    const auto oneHot = trained.mixes(texts);
    QVERIFY(at::equal(oneHot.argmax(1), mixes.argmax(1)));
    QVERIFY(at::equal(std::get<0>(oneHot.max(1)), at::ones({oneHot.size(0)})));
    QCOMPARE(smear.describe(), std::string("smear"));

    // Per sequence: a task alternating the two kinds of text, routed by a fully trained SMEAR, scores as each
    // text scored alone with its own mix, and not as with its neighbour's.
    options.method = route::RouterMethod::Smear;
    options.trainSteps = 300;
    const route::LmRouter trainedSmear(*model, *tokenizer, {"abc", "xyz"}, tasks, options);
    io::TextTask mixed = tasks.front();
    mixed.examples.clear();
    for (std::size_t i = 0; i < 4; ++i)
      for (const auto& task : tasks)
        mixed.examples.push_back(task.examples[i]);
    std::vector<std::string> mixedTexts;
    for (const auto& example : mixed.examples)
      mixedTexts.push_back(example.text);
    const auto perText = trainedSmear.mixes(mixedTexts);
    QVERIFY(at::equal(perText.argmax(1), at::tensor({0, 1, 0, 1, 0, 1, 0, 1}, at::kLong)));
    lm_eval::CausalLmScorer scorer(*model, {});
    const auto routed = route::evaluateRoutedText(trainedSmear, scorer, *tokenizer, mixed);
    QCOMPARE(routed.routedCounts, (std::vector<std::int64_t>{4, 4}));
    const auto scoredWith = [&](std::int64_t shift) {
      double sum = 0;
      for (std::int64_t i = 0; i < std::int64_t(mixed.examples.size()); ++i) {
        const auto row = perText[(i + shift) % perText.size(0)].contiguous();
        scorer.setMix(std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + row.numel()));
        lm_eval::TextEvaluationOptions one;
        one.firstExample = i;
        one.maxExamples = 1;
        sum += lm_eval::evaluateTextTask(scorer, *tokenizer, mixed, one).logLikelihood;
      }
      return sum;
    };
    const double own = scoredWith(0), neighbours = scoredWith(1);
    QVERIFY2(std::abs(routed.score.logLikelihood - own) < 1e-6 * std::abs(own),
             (std::to_string(routed.score.logLikelihood) + " " + std::to_string(own)).c_str());
    QVERIFY(std::abs(routed.score.logLikelihood - neighbours) > 1e-3 * std::abs(own));

    options.method = route::RouterMethod::Arrow;
    try {
      route::LmRouter arrow(*model, *tokenizer, {"abc", "xyz"}, tasks, options);
      QFAIL("arrow routed a language model");
    } catch (const std::runtime_error& error) {
      QVERIFY2(std::string(error.what()).find("arrow routing is not supported for language models") !=
                   std::string::npos,
               error.what());
    }
  }

  // Fitted on 'fit' (the letters tasks named after the adapters), the router scores other tasks: every
  // example of each is sent somewhere, with no routing accuracy to measure.
  void aRouterFittedOnFitRoutesOtherTasks() {
    const auto [summary, router] = route("trained", "tasks", {"two/abc", "two/xyz"}, 64, "letters");
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(router).message).c_str());
    const auto& node = summary.nodes.at(router);
    const auto scores = byTask(*node.results.front().scores);
    QCOMPARE(scores.size(), std::size_t(3));
    for (const auto& [task, examples] :
         {std::pair{"choose", 5}, std::pair{"prose", 3}, std::pair{"say", 4}}) {
      QCOMPARE(scores.at(task).routedCounts.size(), std::size_t(2));
      QCOMPARE(scores.at(task).routedCounts[0] + scores.at(task).routedCounts[1], std::int64_t(examples));
      QVERIFY(!scores.at(task).routingAccuracy);
    }
    QCOMPARE(node.warnings,
             std::vector<std::string>{"no task is named after an adapter, so routing accuracy is "
                                      "not measured"});
    for (const auto& row : node.matrices.front().values)
      QVERIFY(std::abs(rowSum(row) - 1.0) < 1e-12);
  }

  // An adapter without a task named after it cannot be fitted: the node says which.
  void anAdapterWithoutItsTaskIsAClearError() {
    const auto [summary, router] = route("nearest", "letters", {"one/prose"});
    QVERIFY(!summary.ok());
    const auto& message = summary.nodes.at(router).message;
    QVERIFY2(message.find("no text task with examples is named 'prose'") != std::string::npos,
             message.c_str());
  }

private:
  static std::map<std::string, eval::TaskScore> byTask(const std::vector<eval::TaskScore>& scores) {
    std::map<std::string, eval::TaskScore> out;
    for (const auto& s : scores)
      out[s.task] = s;
    return out;
  }

  // A source node of `type` reading `path` (under the test's folder).
  graph::NodeId sourceNode(graph::Document& doc, const char* type, const std::string& path) const {
    const auto id = doc.addNode(type);
    if (doc.setParam(id, "path", dir_.file(path))) qWarning("cannot set the path");
    return id;
  }

  // A Router node over the reference model and `adapters` (folders under the test's folder) on `tasks`.
  std::pair<engine::RunSummary, graph::NodeId> route(const std::string& method, const std::string& tasks,
                                                     const std::vector<std::string>& adapters,
                                                     std::int64_t fitExamples = 64,
                                                     const std::string& fit = {}) {
    graph::Document doc;
    const auto source = [&](const char* type, const std::string& path) {
      return sourceNode(doc, type, path);
    };
    const auto router = doc.addNode(nt::kRouter);
    if (doc.setParam(router, "method", method) || doc.setParam(router, "fit_examples", fitExamples))
      qWarning("cannot set the router's parameters");
    if (doc.connect({source(nt::kSourceModel, "model"), 0}, {router, 0}) ||
        doc.connect({source(nt::kSourceTasks, tasks), 0}, {router, 1}))
      qWarning("cannot connect the router");
    if (!fit.empty() && doc.connect({source(nt::kSourceTasks, fit), 0}, {router, 2}))
      qWarning("cannot connect 'fit'");
    const auto first = *doc.nodeType(router)->inputIndex("adapters");
    for (std::size_t i = 0; i < adapters.size(); ++i)
      if (doc.connect({source(nt::kSourceAdapter, adapters[i]), 0}, {router, first + i}))
        qWarning("cannot connect an adapter");
    engine::CancelToken cancel;
    return {engine::GraphExecutor(scratch_.path()).run(doc, {router}, {}, cancel), router};
  }

  // Evaluate of one adapter on the base, on the letters tasks.
  std::map<std::string, eval::TaskScore> evaluateAdapter(const std::string& adapter) {
    graph::Document doc;
    const auto source = [&](const char* type, const std::string& path) {
      return sourceNode(doc, type, path);
    };
    const auto evaluate = doc.addNode(nt::kEvaluate);
    if (doc.connect({source(nt::kSourceAdapter, adapter), 0}, {evaluate, 0}) ||
        doc.connect({source(nt::kSourceTasks, "letters"), 0}, {evaluate, 1}) ||
        doc.connect({source(nt::kSourceModel, "model"), 0}, {evaluate, 2}))
      qWarning("cannot connect Evaluate");
    engine::CancelToken cancel;
    const auto summary = engine::GraphExecutor(scratch_.path()).run(doc, {evaluate}, {}, cancel);
    if (!summary.ok()) qWarning("%s", summary.nodes.at(evaluate).message.c_str());
    return byTask(*summary.nodes.at(evaluate).results.front().scores);
  }

  test::TempDir dir_, scratch_;
  nlohmann::json expected_;
};

MG_TEST_APPLESS_MAIN(TextRoutingTest)
#include "test_text_routing.moc"
