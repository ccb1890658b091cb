// Training an adapter through a loaded language model (lm::CausalLm::adapterFactors): with requires_grad on a
// LoRA factor the forward records autograd, its gradient equals finite differences of the loss, a few
// gradient steps lower the loss, and the inference path (no gradient) gives the same logits as before.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "lm_reference_models.h"

using namespace mg;

namespace {

// Next-token negative log-likelihood of every position of `ids` [B, T].
at::Tensor nextTokenLoss(const lm::CausalLm& model, const at::Tensor& ids) {
  const auto logits = model.forward(ids);
  const auto T = ids.size(1);
  const auto logp = at::log_softmax(logits.slice(1, 0, T - 1), -1);
  return -logp.gather(-1, ids.slice(1, 1, T).unsqueeze(-1)).sum();
}

} // namespace

class LmTrainingTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void anAdapterTrainsThroughTheModel() {
    test::TempDir dir;
    MG_WRITE_REFERENCE_MODELS(dir);
    lm::LoadOptions options;
    options.adapters = {dir.file("llama_gqa-a")};
    const auto model = lm::CausalLm::load(dir.file("llama_gqa"), options);
    const auto ids = test::expectedTensor(dir.file("llama_gqa"), "ids");
    const at::Tensor before = model->forward(ids);

    auto factors = model->adapterFactors();
    QVERIFY(factors.size() >= 7); // every projection of every layer
    QCOMPARE(factors.front().adapter, std::size_t(0));
    at::Tensor b = factors.front().b;
    b.requires_grad_(true);
    auto loss = nextTokenLoss(*model, ids);
    QVERIFY(loss.requires_grad());
    loss.backward();
    const at::Tensor grad = b.grad().clone();
    QVERIFY(grad.abs().max().item<double>() > 0);
    b.requires_grad_(false);

    // Central differences on a few entries of B (float32 model: a tolerance of a few percent).
    const auto flat = b.view(-1);
    for (const std::int64_t index : {std::int64_t(0), std::int64_t(7), flat.numel() - 1}) {
      at::NoGradGuard noGrad;
      const float original = flat[index].item<float>();
      const float eps = 1e-2f;
      flat[index] = original + eps;
      const double up = nextTokenLoss(*model, ids).item<double>();
      flat[index] = original - eps;
      const double down = nextTokenLoss(*model, ids).item<double>();
      flat[index] = original;
      const double numeric = (up - down) / (2.0 * eps), analytic = grad.view(-1)[index].item<double>();
      QVERIFY2(std::abs(numeric - analytic) <= 0.03 * std::abs(analytic) + 2e-3,
               (std::to_string(numeric) + " vs " + std::to_string(analytic)).c_str());
    }

    // Without gradients the forward takes its in-place path again: the same logits as before training.
    QVERIFY(at::equal(model->forward(ids), before));

    // A few plain gradient steps on every factor lower the loss.
    std::vector<at::Tensor> trained;
    for (auto& f : factors)
      for (auto t : {f.a, f.b})
        trained.push_back(t.requires_grad_(true));
    const double start = nextTokenLoss(*model, ids).item<double>();
    double last = start;
    for (int step = 0; step < 5; ++step) {
      auto l = nextTokenLoss(*model, ids);
      l.backward();
      last = l.item<double>();
      at::NoGradGuard noGrad;
      for (auto& t : trained) {
        t.sub_(t.grad(), 1e-3);
        t.grad().zero_();
      }
    }
    QVERIFY2(last < start, (std::to_string(last) + " vs " + std::to_string(start)).c_str());
  }
};

MG_TEST_APPLESS_MAIN(LmTrainingTest)
#include "test_lm_training.moc"
