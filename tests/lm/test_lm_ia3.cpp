// PEFT IA³ adapters applied unmerged by core/lm against the independent float64 reference
// (tests/reference/ia3_reference.py, written from the IA³ equations over lm_reference.py's models): Llama
// with output- and input-scaled modules, GPT-2 (Conv1D, fan_in_fan_out), two IA³ adapters mixed per sequence,
// an IA³ beside a LoRA; the vectors as trainable tensors (autograd through the model equals finite
// differences); vectors that do not fit the model are one-line errors naming the folder.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "io/io_error.h"
#include "io/peft_adapter.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "lm/scoring.h"
#include "lm_reference_models.h"
#include "support/io_fixtures.h"

using namespace mg;

namespace {

double maxDifference(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

std::string writeIa3Reference(const test::TempDir& dir) {
  const std::string python = MG_REFERENCE_PYTHON;
  if (python.empty()) return "skip: no /usr/bin/python3 found at configure time";
  QProcess process;
  process.start(QString::fromStdString(python),
                {QString::fromStdString(std::string(MG_REFERENCE_DIR) + "/ia3_reference.py"), "lm",
                 QString::fromStdString(dir.path())});
  if (!process.waitForFinished(120'000)) return "the reference did not finish";
  if (process.exitCode() == 77) return "skip: " + process.readAllStandardError().toStdString();
  if (process.exitCode() != 0) return process.readAllStandardError().toStdString();
  return {};
}

} // namespace

class LmIa3Test : public QObject {
  Q_OBJECT
  test::TempDir dir_;

  std::string folder(const std::string& name) const { return dir_.file(name); }
  at::Tensor expected(const std::string& model, const std::string& name) const {
    return test::expectedTensor(folder(model), name);
  }
  std::unique_ptr<lm::CausalLm> load(const std::string& model,
                                     const std::vector<std::string>& adapters) const {
    lm::LoadOptions options;
    for (const auto& a : adapters)
      options.adapters.push_back(folder(model + "-" + a));
    return lm::CausalLm::load(folder(model), options);
  }

private Q_SLOTS:
  void initTestCase() {
    const auto problem = writeIa3Reference(dir_);
    if (problem.rfind("skip: ", 0) == 0) QSKIP(problem.c_str());
    QVERIFY2(problem.empty(), problem.c_str());
  }

  void unmergedForwardMatchesTheReference() {
    const struct { std::string model, adapter; } single[] = {{"llama", "i"}, {"llama", "j"}, {"gpt2", "i"}};
    for (const auto& c : single) {
      const auto model = load(c.model, {c.adapter});
      QVERIFY(model->describe().find("+ 1 adapter") != std::string::npos);
      const auto ids = expected(c.model, "ids");
      const auto logits = model->forward(ids);
      const auto diff = maxDifference(logits, expected(c.model, "logits_" + c.adapter));
      QVERIFY2(diff < 1e-4, (c.model + " + " + c.adapter + ": " + std::to_string(diff)).c_str());
      // The adapter changes the model: the base's logits are far from these.
      const auto base = lm::CausalLm::load(folder(c.model));
      QVERIFY(maxDifference(base->forward(ids), logits) > 1e-2);
    }
  }

  void mixedPerSequenceAndBesideALora() {
    const auto ids = expected("llama", "ids");
    const auto model = load("llama", {"i", "j"});
    const auto mix = expected("llama", "mix").to(at::kFloat);
    const auto diff = maxDifference(model->forward(ids, nullptr, &mix), expected("llama", "logits_mix"));
    QVERIFY2(diff < 1e-4, std::to_string(diff).c_str());
    // Scoring passes the weights per sequence: the routers' path.
    const auto logp = at::log_softmax(expected("llama", "logits_mix"), -1);
    std::vector<lm::ScoringRequest> requests;
    for (std::int64_t b = 0; b < 2; ++b) {
      const auto row = ids[b];
      lm::ScoringRequest r{{row.data_ptr<std::int64_t>(), row.data_ptr<std::int64_t>() + row.numel()}, 4, {}};
      r.mix = {mix[b][0].item<float>(), mix[b][1].item<float>()};
      requests.push_back(r);
    }
    const auto scores = lm::scoreContinuations(*model, requests);
    for (std::int64_t b = 0; b < 2; ++b) {
      double want = 0;
      for (std::int64_t t = 4; t < ids.size(1); ++t)
        want += logp[b][t - 1][ids[b][t].item<std::int64_t>()].item<double>();
      QVERIFY(std::abs(scores[static_cast<std::size_t>(b)].logLikelihood - want) < 1e-4);
    }
    // An IA³ and a LoRA in one model, both at weight 1.
    const auto both = load("llama", {"i", "lora"});
    const auto d2 = maxDifference(both->forward(ids), expected("llama", "logits_with_lora"));
    QVERIFY2(d2 < 1e-4, std::to_string(d2).c_str());
  }

  void vectorsAreTrainableThroughTheModel() {
    const auto model = load("llama", {"i"});
    const auto vectors = model->ia3Vectors();
    QCOMPARE(vectors.size(), std::size_t(9)); // k, v, down in 3 layers
    QVERIFY(model->adapterFactors().empty());
    const lm::Ia3Vector* down = nullptr;
    for (const auto& v : vectors) {
      QCOMPARE(v.adapter, std::size_t(0));
      if (v.module == "model.layers.1.mlp.down_proj") down = &v;
      if (v.module == "model.layers.0.self_attn.k_proj") {
        QVERIFY(!v.feedforward);
        QCOMPARE(v.l.sizes().vec(), (std::vector<std::int64_t>{32, 1})); // 2 kv heads × 16
      }
    }
    QVERIFY(down && down->feedforward);
    QCOMPARE(down->l.sizes().vec(), (std::vector<std::int64_t>{1, 96}));
    const auto ids = expected("llama", "ids");
    const auto loss = [&] { return at::log_softmax(model->forward(ids), -1).select(-1, 7).sum(); };
    for (const auto& v : vectors)
      v.l.requires_grad_(true);
    const auto value = loss();
    value.backward();
    // The recorded forward is the same forward.
    {
      at::NoGradGuard noGrad;
      const auto diff = maxDifference(model->forward(ids), expected("llama", "logits_i"));
      QVERIFY2(diff < 1e-4, std::to_string(diff).c_str());
    }
    for (const auto& v : vectors)
      QVERIFY(v.l.grad().defined() && v.l.grad().abs().sum().item<double>() > 0);
    // Central differences on two entries (an output-scaled and an input-scaled one), through the shared
    // tensors.
    at::NoGradGuard noGrad;
    for (const auto* v : {&vectors.front(), down}) {
      const double eps = 1e-2;
      auto entry = v->l.view(-1)[3];
      const double analytic = v->l.grad().view(-1)[3].item<double>();
      const float original = entry.item<float>();
      entry.fill_(original + eps);
      const double up = loss().item<double>();
      entry.fill_(original - eps);
      const double downValue = loss().item<double>();
      entry.fill_(original);
      const double numeric = (up - downValue) / (2 * eps);
      QVERIFY2(std::abs(numeric - analytic) < 2e-2 * std::max(1.0, std::abs(analytic)),
               (v->module + ": " + std::to_string(numeric) + " vs " + std::to_string(analytic)).c_str());
    }
  }

  void vectorsThatDoNotFitAreOneLineErrors() {
    // k_proj has 32 outputs; a 64-value vector is an adapter for another model.
    io::Ia3Config config;
    config.targetModules = {"k_proj"};
    const std::string bad = dir_.file("bad-ia3");
    io::writeIa3Adapter(
        bad, config, {test::rampTensor(io::ia3Key("model.layers.0.self_attn.k_proj"), {64, 1}, 1.0f, 0.0f)});
    lm::LoadOptions options;
    options.adapters = {bad};
    QVERIFY(test::throwsIoError([&] { lm::CausalLm::load(folder("llama"), options); },
                                {bad, "k_proj.ia3_l", "[64, 1]", "32 outputs"}));
    // A module the model does not have.
    const std::string missing = dir_.file("missing-ia3");
    io::writeIa3Adapter(missing, config,
                        {test::rampTensor(io::ia3Key("model.layers.9.self_attn.k_proj"), {32, 1})});
    options.adapters = {missing};
    QVERIFY(test::throwsIoError([&] { lm::CausalLm::load(folder("llama"), options); },
                                {missing, "model.layers.9.self_attn.k_proj", "not a linear module"}));
  }
};

MG_TEST_GUILESS_MAIN(LmIa3Test)
#include "test_lm_ia3.moc"
