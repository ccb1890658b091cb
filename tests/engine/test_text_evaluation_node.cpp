// Evaluate on text tasks in the graph: a Tasks source of JSON Lines files and a language model's folder give
// the harness's numbers (the independent reference tests/reference/lm_eval_reference.py), as ScoresValue
// results a Compare chart and the results file take; a merge is scored from its weight set; Interference
// measures hidden-state shifts; the nodes that cannot run on text tasks yet say so.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "embed/embedding_map.h"
#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "support/lm_eval_fixture.h"
#include "support/temp_dir.h"

using namespace mg;
namespace nt = graph::node_types;

class TextEvaluationNodeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_); }

  void evaluateScoresALanguageModelOnTextTasks() {
    graph::Document doc;
    const auto source = [&](const char* type, const std::string& path) {
      const auto id = doc.addNode(type);
      if (doc.setParam(id, "path", path)) qWarning("cannot set the path");
      return id;
    };
    const auto model = source(nt::kSourceModel, dir_.file("model"));
    const auto tasks = source(nt::kSourceTasks, dir_.file("tasks"));
    const auto evaluate = doc.addNode(nt::kEvaluate);
    QVERIFY(!doc.connect({model, 0}, {evaluate, 0}));
    QVERIFY(!doc.connect({tasks, 0}, {evaluate, 1}));
    test::TempDir scratch;
    engine::CancelToken cancel;
    auto summary = engine::GraphExecutor(scratch.path()).run(doc, {evaluate}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(evaluate).message).c_str());
    QCOMPARE(summary.nodes.at(tasks).facts.front(), std::string("3 text tasks, 12 examples"));
    const auto scores = *summary.nodes.at(evaluate).results.front().scores; // a copy: summary is run again
    QCOMPARE(scores.size(), std::size_t(3));
    std::map<std::string, const eval::TaskScore*> byTask;
    for (const auto& s : scores)
      byTask[s.task] = &s;
    const auto& prose = *byTask.at("prose");
    QCOMPARE(prose.textKind, std::string("perplexity"));
    QVERIFY(!prose.hasAccuracy());
    const double perplexity = expected_["prose"]["perplexity"].get<double>();
    QVERIFY(prose.perplexity && std::abs(*prose.perplexity - perplexity) < 1e-4 * perplexity);
    QVERIFY(std::abs(prose.loss - std::log(perplexity)) < 1e-4); // mean negative log-likelihood per token
    QCOMPARE(byTask.at("choose")->accuracy, expected_["choose"]["accuracy"].get<double>());
    QCOMPARE(*byTask.at("choose")->accuracyNorm, expected_["choose"]["accuracy_norm"].get<double>());
    QCOMPARE(byTask.at("say")->accuracy, expected_["say"]["exact_match"].get<double>());
    const auto& facts = summary.nodes.at(evaluate).facts;
    QVERIFY(std::any_of(facts.begin(), facts.end(),
                        [](const std::string& f) { return f.rfind("prose: perplexity ", 0) == 0; }));

    // Compare's facts: the perplexity task by its perplexity, the mean over the accuracy tasks only.
    const auto compare = doc.addNode(nt::kCompare);
    QVERIFY(!doc.connect({evaluate, 0}, {compare, 0}));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {compare}, {}, cancel);
    QVERIFY(summary.ok());
    const auto& line = summary.nodes.at(compare).facts.front();
    const double mean = 100.0 * (byTask.at("choose")->accuracy + byTask.at("say")->accuracy) / 2.0;
    char expectedMean[32];
    std::snprintf(expectedMean, sizeof expectedMean, ": mean %.1f%% |", mean);
    QVERIFY2(line.find(expectedMean) != std::string::npos &&
                 line.find("prose perplexity ") != std::string::npos,
             line.c_str());

    // A merge is evaluated from its weight set, with its base folder's config.json and tokenizer: the linear
    // merge of the model with itself is the model, so its scores are the same.
    const auto merge = doc.addNode(graph::mergeNodeTypeId("linear"));
    QVERIFY(!doc.connect({model, 0}, {merge, 1}));
    QVERIFY(!doc.connect({model, 0}, {merge, 2}));
    doc.disconnect({evaluate, 0});
    QVERIFY(!doc.connect({merge, 0}, {evaluate, 0}));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {evaluate}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(evaluate).message).c_str());
    const auto& merged = *summary.nodes.at(evaluate).results.front().scores;
    for (std::size_t t = 0; t < merged.size(); ++t) {
      QCOMPARE(merged[t].accuracy, scores[t].accuracy);
      if (scores[t].perplexity)
        QVERIFY(std::abs(*merged[t].perplexity - *scores[t].perplexity) < 1e-4 * perplexity);
    }

    // Interference on text tasks: the adapter moves the base's hidden states, the base itself does not.
    const auto adapter = source(nt::kSourceAdapter, dir_.file("adapter"));
    const auto interference = doc.addNode(nt::kInterference);
    QVERIFY(!doc.connect({model, 0}, {interference, 0}));
    QVERIFY(!doc.connect({tasks, 0}, {interference, 1}));
    QVERIFY(!doc.connect({adapter, 0}, {interference, 2}));
    QVERIFY(!doc.connect({model, 0}, {interference, 3}));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {interference}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(interference).message).c_str());
    const auto& matrix = summary.nodes.at(interference).matrices.front();
    QCOMPARE(matrix.columns, (std::vector<std::string>{"choose", "prose", "say"}));
    QCOMPARE(matrix.values.size(), std::size_t(2));
    for (std::size_t t = 0; t < 3; ++t) {
      QVERIFY2(matrix.values[0][t] > 0.01, matrix.columns[t].c_str());
      QCOMPARE(matrix.values[1][t], 0.0);
    }
    QVERIFY(matrix.note.find("final hidden states") != std::string::npos);

    // Merge gain on text tasks: a specialist's task is the one named after it (the node titled "LoRA
    // adapter" has none here: the node says so).
    const auto gain = doc.addNode(nt::kMergeGain);
    QVERIFY(!doc.connect({model, 0}, {gain, 0}));
    QVERIFY(!doc.connect({tasks, 0}, {gain, 1}));
    QVERIFY(!doc.connect({adapter, 0}, {gain, 2}));
    QVERIFY(!doc.connect({adapter, 0}, {gain, 3}));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {gain}, {}, cancel);
    QVERIFY(!summary.ok());
    QVERIFY2(summary.nodes.at(gain).message.find("no task is named after specialist(s) 'LoRA adapter'") !=
                 std::string::npos,
             summary.nodes.at(gain).message.c_str());

    // Two copies of the adapter named after the tasks choose and say: similarity 1, and their merge (their
    // mean, the adapter itself) costs nothing on either task.
    for (const char* name : {"choose", "say"}) {
      std::filesystem::create_directories(dir_.file(std::string("specialists/") + name));
      for (const char* file : {"adapter_config.json", "adapter_model.safetensors"})
        std::filesystem::copy_file(dir_.file(std::string("adapter/") + file),
                                   dir_.file(std::string("specialists/") + name + "/" + file),
                                   std::filesystem::copy_options::overwrite_existing);
    }
    const auto pairGain = doc.addNode(nt::kMergeGain);
    QVERIFY(!doc.connect({model, 0}, {pairGain, 0}));
    QVERIFY(!doc.connect({tasks, 0}, {pairGain, 1}));
    std::size_t port = 2;
    for (const char* name : {"choose", "say"}) {
      const auto specialist = source(nt::kSourceAdapter, dir_.file(std::string("specialists/") + name));
      doc.setTitle(specialist, std::string("LoRA ") + name);
      QVERIFY(!doc.connect({specialist, 0}, {pairGain, port++}));
    }
    summary = engine::GraphExecutor(scratch.path()).run(doc, {pairGain}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(pairGain).message).c_str());
    const auto& points = summary.nodes.at(pairGain).scatters.front().points;
    QCOMPARE(points.size(), std::size_t(1));
    QVERIFY(std::abs(points[0].x - 1.0) < 1e-6);
    QCOMPARE(points[0].y, 0.0);
  }

  // The Embedding map's data kind on text tasks: the base language model's mean hidden state over each
  // task's texts, one point per task; two copies of a task are one point, other tasks are apart.
  void anEmbeddingMapEmbedsTextTasksWithTheLanguageModel() {
    std::filesystem::create_directories(dir_.file("tasks2"));
    const auto prose = test::readBytes(dir_.file("tasks/prose.jsonl"));
    test::writeBytes(dir_.file("tasks2/prose.jsonl"), prose);
    // The same texts without the header line: a task named after its file.
    test::writeBytes(dir_.file("tasks2/prose-again.jsonl"), prose.substr(prose.find('\n') + 1));
    test::writeBytes(dir_.file("tasks2/choose.jsonl"), test::readBytes(dir_.file("tasks/choose.jsonl")));
    graph::Document doc;
    const auto model = doc.addNode(nt::kSourceModel);
    QVERIFY(!doc.setParam(model, "path", dir_.file("model")));
    const auto tasks = doc.addNode(nt::kSourceTasks);
    QVERIFY(!doc.setParam(tasks, "path", dir_.file("tasks2")));
    const auto map = doc.addNode(nt::kEmbeddingMap);
    QVERIFY(!doc.setParam(map, "kind", std::string("data")));
    QVERIFY(!doc.connect({model, 0}, {map, 0}));
    QVERIFY(!doc.connect({tasks, 0}, {map, 1}));
    test::TempDir scratch;
    engine::CancelToken cancel;
    auto summary = engine::GraphExecutor(scratch.path()).run(doc, {map}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(map).message).c_str());
    const auto& embedded = *summary.nodes.at(map).embeddings.front().map;
    QCOMPARE(embedded.names, (std::vector<std::string>{"choose", "prose-again", "prose"})); // by file name
    QCOMPARE(embedded.vectors.front().size(), std::size_t(32)); // the model's hidden size
    QCOMPARE(embedded.vectors[1], embedded.vectors[2]);
    QVERIFY(embedded.vectors[0] != embedded.vectors[1]);
    QCOMPARE(embedded.nearest[1], 2);

    // Fisher embeddings of text tasks: Task2Vec of the base's last block and LM head on the tokens each task
    // scores, one point per task; the two copies of a task are one point, and two of prose's three texts are
    // nearer prose than the multiple-choice task is.
    QVERIFY(!doc.setParam(map, "kind", std::string("fisher")));
    summary = engine::GraphExecutor(scratch.path()).run(doc, {map}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(map).message).c_str());
    const auto& fisher = *summary.nodes.at(map).embeddings.front().map;
    QCOMPARE(fisher.kind, embed::EmbeddingKind::Fisher);
    QCOMPARE(fisher.names, (std::vector<std::string>{"choose", "prose-again", "prose"}));
    // One value per output unit of the last block's 2 norms (32 each), q, k, v, o (32, 16, 16, 32), gate, up,
    // down (64, 64, 32), and per row of the LM head (the 32 tokens).
    QCOMPARE(fisher.vectors.front().size(), std::size_t(2 * 32 + 32 + 16 + 16 + 32 + 64 + 64 + 32 + 32));
    QCOMPARE(fisher.vectors[1], fisher.vectors[2]);
    QCOMPARE(fisher.nearest[1], 2);
    const auto lines = prose.substr(prose.find('\n') + 1);
    const auto second = lines.find('\n') + 1;
    test::writeBytes(dir_.file("tasks2/prose-again.jsonl"),
                     lines.substr(0, second) + lines.substr(lines.find('\n', second) + 1)); // texts 1 and 3
    summary = engine::GraphExecutor(scratch.path()).run(doc, {map}, {}, cancel);
    QVERIFY2(summary.ok(), (summary.failure + " " + summary.nodes.at(map).message).c_str());
    const auto& part = *summary.nodes.at(map).embeddings.front().map;
    qInfo("task2vec distances: part-prose %.4f, part-choose %.4f, prose-choose %.4f", part.distance[1][2],
          part.distance[1][0], part.distance[2][0]);
    QVERIFY(part.distance[1][2] > 0);
    QVERIFY(part.distance[1][2] < part.distance[1][0]);
    QVERIFY(part.distance[1][2] < part.distance[2][0]);
  }

private:
  test::TempDir dir_;
  nlohmann::json expected_;
};

MG_TEST_APPLESS_MAIN(TextEvaluationNodeTest)
#include "test_text_evaluation_node.moc"
