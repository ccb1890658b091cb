// Training through a loaded language model: an adapter (lm::CausalLm::adapterFactors) and the whole model
// (lm::CausalLm::parameters, writable and fresh weights). With requires_grad on a LoRA factor the forward
// records autograd, its gradient equals finite differences of the loss, a few gradient steps lower the loss,
// and the inference path (no gradient) gives the same logits as before.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <set>

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

  // parameters() names every tensor of the checkpoint; a mapped model gives gradients (Fisher), a writable
  // one may be changed in place without touching the file, and fresh weights make a model to pre-train.
  void theWholeModelTrains() {
    test::TempDir dir;
    MG_WRITE_REFERENCE_MODELS(dir);
    const auto folder = dir.file("llama_gqa");
    const auto ids = test::expectedTensor(folder, "ids");
    const auto mapped = lm::CausalLm::load(folder);
    const auto parameters = mapped->parameters();
    std::set<std::string> names;
    for (const auto& p : parameters)
      names.insert(p.name);
    QCOMPARE(names.size(), parameters.size());
    QVERIFY(names.count("model.embed_tokens.weight") && names.count("model.norm.weight") &&
            names.count("model.layers.0.mlp.down_proj.weight"));
    const std::int64_t layers = mapped->config().layers;
    QCOMPARE(static_cast<std::int64_t>(parameters.size()),
             9 * layers + 2 + (mapped->config().tieWordEmbeddings ? 0 : 1));
    at::Tensor embed = parameters.front().tensor;
    embed.requires_grad_(true);
    nextTokenLoss(*mapped, ids).backward();
    QVERIFY(embed.grad().abs().sum().item<double>() > 0);
    embed.requires_grad_(false);

    lm::LoadOptions writableOptions;
    writableOptions.writableWeights = true;
    const auto writable = lm::CausalLm::load(folder, writableOptions);
    QCOMPARE(writable->weightMemory().mappedBytes, std::uint64_t(0));
    const at::Tensor before = writable->forward(ids);
    QVERIFY(at::allclose(before, mapped->forward(ids)));
    {
      at::NoGradGuard noGrad;
      writable->parameters().back().tensor.mul_(0.5);
    }
    QVERIFY(!at::allclose(writable->forward(ids), before));
    QVERIFY(at::allclose(lm::CausalLm::load(folder)->forward(ids), before)); // the file is untouched

    // Fresh weights: the folder's config only, the same seed the same model, norms at 1, and all of it
    // trains.
    lm::LoadOptions freshOptions;
    freshOptions.freshWeightsSeed = 3;
    const auto fresh = lm::CausalLm::load(folder, freshOptions);
    QVERIFY(at::equal(fresh->forward(ids), lm::CausalLm::load(folder, freshOptions)->forward(ids)));
    freshOptions.freshWeightsSeed = 4;
    QVERIFY(!at::equal(fresh->forward(ids), lm::CausalLm::load(folder, freshOptions)->forward(ids)));
    std::vector<at::Tensor> trained;
    for (auto& p : fresh->parameters()) {
      if (p.name == "model.norm.weight") QVERIFY(at::equal(p.tensor, at::ones_like(p.tensor)));
      if (p.name == "model.layers.0.self_attn.q_proj.weight")
        QVERIFY(std::abs(p.tensor.std().item<double>() - 0.02) < 0.002);
      trained.push_back(p.tensor.requires_grad_(true));
    }
    const double start = nextTokenLoss(*fresh, ids).item<double>();
    double last = start;
    for (int step = 0; step < 5; ++step) {
      auto l = nextTokenLoss(*fresh, ids);
      l.backward();
      last = l.item<double>();
      at::NoGradGuard noGrad;
      for (auto& t : trained) {
        t.sub_(t.grad(), 1e-2);
        t.grad().zero_();
      }
    }
    QVERIFY2(last < start, (std::to_string(last) + " vs " + std::to_string(start)).c_str());
  }
};

MG_TEST_APPLESS_MAIN(LmTrainingTest)
#include "test_lm_training.moc"
