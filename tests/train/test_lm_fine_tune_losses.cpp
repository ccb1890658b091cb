// The losses a language model fine-tunes with (train/lm_losses.h) against the independent reference
// tests/reference/tfew_losses_reference.py, written from T-Few's equations (Liu et al. 2022, §3.2) on the
// tiny Llama and text tasks of lm_eval_reference.py: per example, cross-entropy on the correct choice,
// unlikelihood on the wrong choices' tokens and the length-normalized choice loss; the cross-entropy of
// generation (answer and stop) and perplexity (rolling windows) examples; a batch's terms are the mean of its
// examples'. The gradient of the T-Few loss through a LoRA factor equals finite differences; losses that need
// choices refuse other examples.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include "io/text_task_file.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "support/lm_eval_fixture.h"
#include "text/tokenizer.h"
#include "train/lm_losses.h"

using namespace mg;

namespace {

bool closeToReference(double ours, double theirs) {
  return std::abs(ours - theirs) <= 1e-4 * std::abs(theirs) + 1e-6;
}

std::string mismatch(const std::string& what, double ours, double theirs) {
  return what + ": " + std::to_string(ours) + ", the reference " + std::to_string(theirs);
}

} // namespace

class LmFineTuneLossesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    nlohmann::json expected;
    MG_WRITE_LM_EVAL_REFERENCE(dir_, expected);
    const auto problem = test::runLmReference("tfew_losses_reference.py", dir_);
    QVERIFY2(problem.empty(), problem.c_str());
    reference_ = nlohmann::json::parse(test::readBytes(dir_.file("tfew_losses.json")));
    tokenizer_ = text::loadTokenizer(dir_.file("model"));
    model_ = lm::CausalLm::load(dir_.file("model"));
  }

  void multipleChoiceLossesMatchThePaper() {
    const auto task = io::readTextTaskFile(dir_.file("tasks/choose.jsonl"));
    const auto& theirs = reference_["choose"];
    QCOMPARE(theirs.size(), task.examples.size());
    std::vector<train::LmTrainingExample> examples;
    double meanCe = 0, meanUl = 0, meanLn = 0;
    for (std::size_t i = 0; i < task.examples.size(); ++i) {
      examples.push_back(train::lmTrainingExample(*tokenizer_, task, task.examples[i], maxLength()));
      const auto terms = train::lmLossTerms(*model_, {&examples.back()}, train::LmLoss::TFew);
      const auto& ref = theirs[i];
      const std::string at = "example " + std::to_string(i) + " ";
      for (const auto& [name, ours, key] : {std::tuple{"cross-entropy", terms.crossEntropy, "lm"},
                                            std::tuple{"unlikelihood", terms.unlikelihood, "ul"},
                                            std::tuple{"length-normalized", terms.lengthNormalized, "ln"}}) {
        const double value = ours.item<double>(), expected = ref[key].get<double>();
        QVERIFY2(closeToReference(value, expected), mismatch(at + name, value, expected).c_str());
      }
      QVERIFY(closeToReference(terms.total().item<double>(),
                               ref["lm"].get<double>() + ref["ul"].get<double>() + ref["ln"].get<double>()));
      meanCe += ref["lm"].get<double>() / double(theirs.size());
      meanUl += ref["ul"].get<double>() / double(theirs.size());
      meanLn += ref["ln"].get<double>() / double(theirs.size());
      // The plain cross-entropy runs the correct choice alone, with the same value.
      const auto plain = train::lmLossTerms(*model_, {&examples.back()}, train::LmLoss::CrossEntropy);
      QVERIFY(!plain.unlikelihood.defined() && !plain.lengthNormalized.defined());
      QVERIFY(closeToReference(plain.crossEntropy.item<double>(), ref["lm"].get<double>()));
    }
    // A batch (padded together) is the mean of its examples.
    std::vector<const train::LmTrainingExample*> batch;
    for (const auto& e : examples)
      batch.push_back(&e);
    const auto terms = train::lmLossTerms(*model_, batch, train::LmLoss::TFew);
    QVERIFY2(closeToReference(terms.crossEntropy.item<double>(), meanCe),
             mismatch("batch cross-entropy", terms.crossEntropy.item<double>(), meanCe).c_str());
    QVERIFY(closeToReference(terms.unlikelihood.item<double>(), meanUl));
    QVERIFY(closeToReference(terms.lengthNormalized.item<double>(), meanLn));
    const auto unlikely = train::lmLossTerms(*model_, batch, train::LmLoss::Unlikelihood);
    QVERIFY(unlikely.unlikelihood.defined() && !unlikely.lengthNormalized.defined());
    QVERIFY(closeToReference(unlikely.total().item<double>(), meanCe + meanUl));
    const auto normalized = train::lmLossTerms(*model_, batch, train::LmLoss::LengthNormalized);
    QVERIFY(!normalized.unlikelihood.defined() && normalized.lengthNormalized.defined());
    QVERIFY(closeToReference(normalized.total().item<double>(), meanCe + meanLn));
  }

  void generationAndPerplexityCrossEntropyMatch() {
    for (const char* name : {"say", "prose"}) {
      const auto task = io::readTextTaskFile(dir_.file(std::string("tasks/") + name + ".jsonl"));
      const auto& theirs = reference_[name];
      QCOMPARE(theirs.size(), task.examples.size());
      for (std::size_t i = 0; i < task.examples.size(); ++i) {
        const auto example = train::lmTrainingExample(*tokenizer_, task, task.examples[i], maxLength());
        const double ours =
            train::lmLossTerms(*model_, {&example}, train::LmLoss::CrossEntropy).crossEntropy.item<double>();
        QVERIFY2(closeToReference(ours, theirs[i].get<double>()),
                 mismatch(std::string(name) + " example " + std::to_string(i), ours, theirs[i].get<double>())
                     .c_str());
      }
      // Losses that compare choices refuse examples without them, saying so.
      const auto example = train::lmTrainingExample(*tokenizer_, task, task.examples[0], maxLength());
      try {
        train::lmLossTerms(*model_, {&example}, train::LmLoss::TFew);
        QFAIL("a T-Few loss on a task without choices");
      } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).find("multiple-choice") != std::string::npos, e.what());
      }
    }
  }

  // The T-Few loss's gradient through a LoRA factor, against central differences of the loss.
  void theGradientThroughALoraEqualsFiniteDifferences() {
    lm::LoadOptions options;
    options.adapters = {dir_.file("adapter")};
    const auto adapted = lm::CausalLm::load(dir_.file("model"), options);
    const auto task = io::readTextTaskFile(dir_.file("tasks/choose.jsonl"));
    std::vector<train::LmTrainingExample> examples;
    for (const auto& e : task.examples)
      examples.push_back(train::lmTrainingExample(*tokenizer_, task, e, maxLength()));
    std::vector<const train::LmTrainingExample*> batch;
    for (const auto& e : examples)
      batch.push_back(&e);
    at::Tensor a = adapted->adapterFactors().front().a;
    a.requires_grad_(true);
    train::lmLossTerms(*adapted, batch, train::LmLoss::TFew).total().backward();
    const at::Tensor grad = a.grad().clone();
    a.requires_grad_(false);
    a.mutable_grad() = at::Tensor();
    QVERIFY(grad.abs().max().item<double>() > 0);
    const auto flat = a.view(-1);
    for (const std::int64_t index : {std::int64_t(0), flat.numel() / 2, flat.numel() - 1}) {
      at::NoGradGuard noGrad;
      const float original = flat[index].item<float>();
      const float eps = 1e-2f;
      const auto lossAt = [&](float value) {
        flat[index] = value;
        return train::lmLossTerms(*adapted, batch, train::LmLoss::TFew).total().item<double>();
      };
      const double numeric = (lossAt(original + eps) - lossAt(original - eps)) / (2.0 * eps);
      flat[index] = original;
      const double analytic = grad.view(-1)[index].item<double>();
      QVERIFY2(std::abs(numeric - analytic) <= 0.03 * std::abs(analytic) + 2e-3,
               mismatch("d loss / d A[" + std::to_string(index) + "]", analytic, numeric).c_str());
    }
  }

private:
  std::int64_t maxLength() const { return model_->config().maxPositions; }

  test::TempDir dir_;
  nlohmann::json reference_;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  std::unique_ptr<lm::CausalLm> model_;
};

MG_TEST_APPLESS_MAIN(LmFineTuneLossesTest)
#include "test_lm_fine_tune_losses.moc"
