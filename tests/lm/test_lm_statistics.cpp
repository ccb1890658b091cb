// A language model's data-aware merge statistics on text tasks (lm_eval/lm_statistics.h) against the
// independent reference tests/reference/lm_statistics_reference.py on the tiny Llama of lm_eval_reference.py:
// the sampled diagonal Fisher over the scored tokens (the reference backpropagates every token on its own
// and sums), with an adapter as the merged weights W + s·B·A, and the Gram matrices of every linear module's
// inputs; the model runs its inference path again afterwards; examples with nothing to score are refused.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm_eval/lm_statistics.h"
#include "support/lm_eval_fixture.h"
#include "text/tokenizer.h"

using namespace mg;

namespace {

// ‖ours − theirs‖ ≤ 1e-4·‖theirs‖ for every tensor of the reference, and no tensor the reference lacks.
std::string compareStatistics(const std::map<std::string, at::Tensor>& ours, const nlohmann::json& theirs) {
  if (ours.size() != theirs.size())
    return std::to_string(ours.size()) + " tensors, the reference has " + std::to_string(theirs.size());
  for (const auto& [name, values] : theirs.items()) {
    const auto found = ours.find(name);
    if (found == ours.end()) return "no " + name;
    const auto expected = at::tensor(values.get<std::vector<double>>(), at::kDouble);
    const auto got = found->second.reshape({-1}).to(at::kDouble);
    if (got.numel() != expected.numel()) return name + " has another size";
    const double error = (got - expected).norm().item<double>(), scale = expected.norm().item<double>();
    if (!(error <= 1e-4 * scale) || scale == 0)
      return name + ": error " + std::to_string(error) + " against norm " + std::to_string(scale);
  }
  return {};
}

} // namespace

class LmStatisticsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    MG_WRITE_LM_EVAL_REFERENCE(dir_, expected_);
    const auto problem = test::runLmReference("lm_statistics_reference.py", dir_);
    QVERIFY2(problem.empty(), problem.c_str());
    reference_ = nlohmann::json::parse(test::readBytes(dir_.file("statistics.json")));
    tokenizer_ = text::loadTokenizer(dir_.file("model"));
  }

  void theFisherOfAModelOnATextTaskMatchesTheReference() {
    const auto model = lm::CausalLm::load(dir_.file("model"));
    for (const char* task : {"choose", "prose"}) {
      const auto requests = requestsOf(task, *model);
      const auto started = std::chrono::steady_clock::now();
      const auto fisher = lm_eval::lmParameterFisher(*model, requests);
      const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
      qInfo("Fisher of the tiny Llama on %s: %zu sequences, %.2f ms per sequence", task, requests.size(),
            1e3 * seconds.count() / double(requests.size()));
      const auto problem = compareStatistics(fisher, reference_["fisher"][task]);
      QVERIFY2(problem.empty(), (std::string(task) + ": " + problem).c_str());
    }
    // The parameters are back to inference: no autograd recorded, nothing kept.
    for (const auto& p : model->parameters()) {
      QVERIFY(!p.tensor.requires_grad());
      QVERIFY(!p.tensor.grad().defined());
    }
    QVERIFY(!model->forward(at::tensor(std::vector<std::int64_t>{2, 3, 4}, at::kLong).unsqueeze(0))
                 .requires_grad());
  }

  // An adapter loaded unmerged: the gradient with respect to W is the one with respect to W + s·B·A, so the
  // statistics are the merged model's under the base's names.
  void theFisherOfAnAdaptedModelIsThatOfTheMergedWeights() {
    lm::LoadOptions options;
    options.adapters = {dir_.file("adapter")};
    const auto model = lm::CausalLm::load(dir_.file("model"), options);
    const auto fisher = lm_eval::lmParameterFisher(*model, requestsOf("choose", *model));
    const auto problem = compareStatistics(fisher, reference_["fisher"]["choose_adapter"]);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  // The sampled tokens follow the seed; more samples average more draws.
  void theSampledTokensFollowTheSeed() {
    const auto model = lm::CausalLm::load(dir_.file("model"));
    const auto requests = requestsOf("choose", *model);
    lm_eval::LmFisherOptions seeded;
    seeded.seed = 7;
    const auto a = lm_eval::lmParameterFisher(*model, requests, seeded);
    const auto b = lm_eval::lmParameterFisher(*model, requests, seeded);
    const auto other = lm_eval::lmParameterFisher(*model, requests);
    const std::string head = "lm_head.weight";
    QVERIFY(at::equal(a.at(head), b.at(head)));
    QVERIFY(!at::allclose(a.at(head), other.at(head)));
  }

  void theGramsOfEveryLinearModuleMatchTheReference() {
    const auto model = lm::CausalLm::load(dir_.file("model"));
    auto grams = lm_eval::lmInputGrams(*model, requestsOf("choose", *model));
    QCOMPARE(grams.size(), std::size_t(2 * 7 + 1)); // q/k/v/o/gate/up/down of 2 layers, lm_head
    auto problem = compareStatistics(grams, reference_["grams"]["choose"]);
    QVERIFY2(problem.empty(), problem.c_str());
    // Batched with padding (prose's windows differ in length), through an adapter's modules.
    lm::LoadOptions options;
    options.adapters = {dir_.file("adapter")};
    const auto adapted = lm::CausalLm::load(dir_.file("model"), options);
    grams = lm_eval::lmInputGrams(*adapted, requestsOf("prose", *adapted));
    problem = compareStatistics(grams, reference_["grams"]["prose_adapter"]);
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void anExampleWithNothingToScoreIsAClearError() {
    io::TextTask task;
    task.name = "blank";
    task.kind = io::TextTaskKind::Generation;
    task.examples = {{}, {}};
    task.examples[0].prompt = "abc";
    task.examples[0].answer = "d";
    task.examples[0].line = 2;
    task.examples[1].prompt = "abc";
    task.examples[1].line = 3; // empty answer
    try {
      lm_eval::statisticsRequests(task, *tokenizer_, 0, 12);
      QFAIL("an empty answer was accepted");
    } catch (const std::runtime_error& e) {
      QCOMPARE(std::string(e.what()),
               std::string("task blank, line 3: the answer tokenizes to nothing after its "
                           "prompt: no token to score for the Fisher information or "
                           "Gram matrices"));
    }
  }

private:
  std::vector<lm_eval::TokenScorer::Request> requestsOf(const std::string& task, const lm::CausalLm& model) {
    const auto data = io::readTextTaskFile(dir_.file("tasks/" + task + ".jsonl"));
    return lm_eval::statisticsRequests(data, *tokenizer_, 0, lm_eval::statisticsWindow(model));
  }

  test::TempDir dir_;
  nlohmann::json expected_, reference_;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
};

MG_TEST_APPLESS_MAIN(LmStatisticsTest)
#include "test_lm_statistics.moc"
