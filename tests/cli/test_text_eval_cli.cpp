// `merganser-cli eval` of a language model on text tasks (perplexity, multiple choice, generation) against
// an independent implementation of lm-evaluation-harness's scoring on the same tiny float64 Llama
// (tests/reference/lm_eval_reference.py): the same perplexity, acc, acc_norm and exact match; and bad
// input as one-line errors naming the file.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"
#include "support/lm_eval_fixture.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

} // namespace

class TextEvalCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_); }

  void scoresEqualTheHarnessReference() {
    const auto r =
        test::runCli({"eval", "--model", q(dir_.file("model")), "--tasks", q(dir_.file("tasks")), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const auto out = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(out["context"].get<int>(), 12); // config.json's max_position_embeddings
    std::map<std::string, nlohmann::json> byTask;
    for (const auto& task : out["tasks"])
      byTask[task["task"].get<std::string>()] = task;
    QCOMPARE(byTask.size(), std::size_t(3));
    const auto& prose = byTask.at("prose");
    QCOMPARE(prose["kind"].get<std::string>(), std::string("perplexity"));
    QCOMPARE(prose["tokens"].get<int>(), expected_["prose"]["tokens"].get<int>());
    const double perplexity = expected_["prose"]["perplexity"].get<double>();
    QVERIFY2(std::abs(prose["perplexity"].get<double>() - perplexity) < 1e-4 * perplexity,
             qPrintable(QString::number(prose["perplexity"].get<double>())));
    QCOMPARE(byTask.at("choose")["accuracy"].get<double>(), expected_["choose"]["accuracy"].get<double>());
    QCOMPARE(byTask.at("choose")["accuracy_norm"].get<double>(),
             expected_["choose"]["accuracy_norm"].get<double>());
    QCOMPARE(byTask.at("say")["exact_match"].get<double>(), expected_["say"]["exact_match"].get<double>());
    // The fixture tells the numbers apart: acc differs from acc_norm and exact match is neither 0 nor 1.
    QVERIFY(expected_["choose"]["accuracy"] != expected_["choose"]["accuracy_norm"]);
    QCOMPARE(expected_["say"]["exact_match"].get<double>(), 0.5);

    // A PEFT adapter applied unmerged: the reference's perplexity with the same adapter.
    const auto adapted =
        test::runCli({"eval", "--model", q(dir_.file("model")), "--adapter", q(dir_.file("adapter")),
                      "--tasks", q(dir_.file("tasks/prose.jsonl")), "--json"});
    QVERIFY2(adapted.exitCode == 0, qPrintable(adapted.err));
    const double withAdapter = nlohmann::json::parse(adapted.out.toStdString())["tasks"][0]["perplexity"];
    const double expectedWithAdapter = expected_["prose_adapter"]["perplexity"].get<double>();
    QVERIFY2(std::abs(withAdapter - expectedWithAdapter) < 1e-4 * expectedWithAdapter,
             qPrintable(adapted.out));
    QVERIFY(std::abs(expectedWithAdapter - perplexity) > 1.0); // the adapter changes the model

    // --max-examples scores the first examples only; the text output names every number.
    const auto firstTwo = test::runCli({"eval", "--model", q(dir_.file("model")), "--tasks",
                                        q(dir_.file("tasks/choose.jsonl")), "--max-examples", "2"});
    QVERIFY2(firstTwo.exitCode == 0, qPrintable(firstTwo.err));
    QVERIFY2(firstTwo.out.contains(QStringLiteral("accuracy_norm")) &&
                 firstTwo.out.contains(QStringLiteral("(2 examples")),
             qPrintable(firstTwo.out));
  }

  void badInputIsAOneLineErrorNamingTheFile() {
    const auto bad = dir_.file("bad.jsonl");
    test::writeBytes(bad, "{\"text\": \"fine\"}\n{\"text\": \"broken\"\n");
    auto r = test::runCli({"eval", "--model", q(dir_.file("model")), "--tasks", q(bad)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.trimmed().startsWith(q(bad) + ": line 2") && !r.err.trimmed().contains('\n'),
             qPrintable(r.err));

    // A model folder of an architecture the workbench does not run: the supported ones are listed.
    const auto other = dir_.file("other");
    std::filesystem::create_directories(other);
    test::writeBytes(other + "/config.json", R"({"architectures": ["BertForMaskedLM"], "vocab_size": 10})");
    r = test::runCli({"eval", "--model", q(other), "--tasks", q(dir_.file("tasks"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("BertForMaskedLM")) &&
                 r.err.contains(QStringLiteral("LlamaForCausalLM")),
             qPrintable(r.err));

    // A model without a tokenizer, and none given.
    const auto bare = dir_.file("bare");
    std::filesystem::create_directories(bare);
    for (const char* file : {"config.json", "model.safetensors"})
      std::filesystem::copy_file(dir_.file(std::string("model/") + file), bare + "/" + file);
    r = test::runCli({"eval", "--model", q(bare), "--tasks", q(dir_.file("tasks"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(q(bare)) && r.err.contains(QStringLiteral("tokenizer.json")), qPrintable(r.err));
    r = test::runCli({"eval", "--model", q(bare), "--tokenizer", q(dir_.file("model")), "--tasks",
                      q(dir_.file("tasks/prose.jsonl"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  }

private:
  test::TempDir dir_;
  nlohmann::json expected_;
};

MG_TEST_APPLESS_MAIN(TextEvalCliTest)
#include "test_text_eval_cli.moc"
