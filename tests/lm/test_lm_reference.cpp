// core/lm against the independent float64 PyTorch reference (tests/reference/lm_reference.py, written from
// the Hugging Face modeling semantics): logits of Llama (GQA, llama3 and linear RoPE scaling, sharded and
// bf16 weights), Mistral (sliding window), Qwen2 (q/k/v biases, sliding window from max_window_layers) and
// GPT-2 within 1e-4; batched scoring with padding; greedy generation with and without the KV cache; LoRA
// adapters applied unmerged, alone and mixed per sequence; long batches, computed in blocks, equal one
// sequence at a time.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>

#include "lm/causal_lm.h"
#include "lm/generation.h"
#include "lm/hidden_states.h"
#include "lm/scoring.h"
#include "lm_reference_models.h"

using namespace mg;

namespace {

const std::vector<std::string> kCases = {"llama_gqa", "llama_linear_bf16", "mistral", "qwen2", "gpt2"};

double maxDifference(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

} // namespace

class LmReferenceTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  bool ready_ = false;

  std::string folder(const std::string& name) const { return dir_.file(name); }

private Q_SLOTS:
  void initTestCase() {
    MG_WRITE_REFERENCE_MODELS(dir_);
    ready_ = true;
  }

  void logitsMatchTheReference() {
    for (const auto& name : kCases) {
      const auto model = lm::CausalLm::load(folder(name));
      const auto ids = test::expectedTensor(folder(name), "ids");
      const auto diff = maxDifference(model->forward(ids), test::expectedTensor(folder(name), "logits"));
      QVERIFY2(diff < 1e-4, (name + ": logits differ by " + std::to_string(diff)).c_str());
    }
  }

  void batchedScoringWithPaddingMatchesTheReference() {
    for (const auto& name : kCases) {
      const auto model = lm::CausalLm::load(folder(name));
      const auto ids = test::expectedTensor(folder(name), "ids");
      const auto logits = test::expectedTensor(folder(name), "logits");
      const auto expected = test::expectedJson(folder(name));
      const auto start = expected["continuation_start"].get<std::size_t>();
      std::vector<lm::ScoringRequest> requests;
      for (std::int64_t b = 0; b < ids.size(0); ++b) {
        const auto row = ids[b];
        requests.push_back({std::vector<std::int64_t>(row.data_ptr<std::int64_t>(),
                                                      row.data_ptr<std::int64_t>() + row.numel()),
                            start,
                            {}});
      }
      // A shorter sequence in the same batch is right-padded; causal attention keeps its score exact.
      auto shorter = requests[1];
      shorter.tokens.resize(start + 3);
      requests.insert(requests.begin(), shorter);
      const auto scores = lm::scoreContinuations(*model, requests, {3, 1, nullptr});
      QCOMPARE(scores.size(), std::size_t{3});
      const auto logp = at::log_softmax(logits, -1);
      double shortExpected = 0;
      for (std::size_t t = start; t < shorter.tokens.size(); ++t)
        shortExpected += logp[1][static_cast<std::int64_t>(t) - 1][shorter.tokens[t]].item<double>();
      QVERIFY2(std::abs(scores[0].logLikelihood - shortExpected) < 1e-4, name.c_str());
      QCOMPARE(scores[0].tokens, std::int64_t{3});
      for (std::size_t b = 0; b < 2; ++b) {
        const auto& want = expected["scores"][b];
        QVERIFY2(std::abs(scores[b + 1].logLikelihood - want["log_likelihood"].get<double>()) < 1e-4,
                 (name + ": " + std::to_string(scores[b + 1].logLikelihood) + " vs " +
                  std::to_string(want["log_likelihood"].get<double>()))
                     .c_str());
        QCOMPARE(scores[b + 1].tokens, want["tokens"].get<std::int64_t>());
      }
    }
  }

  void greedyGenerationWithAndWithoutTheCacheMatchesTheReference() {
    for (const auto& name : kCases) {
      const auto model = lm::CausalLm::load(folder(name));
      const auto expected = test::expectedJson(folder(name));
      const auto prompt = expected["prompt"].get<std::vector<std::int64_t>>();
      const auto want = expected["greedy"].get<std::vector<std::int64_t>>();
      for (const bool cache : {true, false}) {
        lm::GenerationOptions options;
        options.maxNewTokens = static_cast<std::int64_t>(want.size());
        options.eosIds = {model->config().vocabSize}; // no token ends it: the reference does not stop either
        options.useCache = cache;
        const auto got = lm::generateGreedy(*model, prompt, options);
        QVERIFY2(got.tokens == want, (name + (cache ? " with" : " without") + " the cache").c_str());
        QVERIFY(got.stoppedBy == lm::Generation::Stop::Length);
      }
    }
  }

  void loraAppliedUnmergedMatchesTheReference() {
    const struct {
      std::string model, adapter;
    } single[] = {{"llama_gqa", "a"}, {"llama_gqa", "b"}, {"gpt2", "a"}};
    for (const auto& c : single) {
      lm::LoadOptions options;
      options.adapters = {folder(c.model + "-" + c.adapter)};
      const auto model = lm::CausalLm::load(folder(c.model), options);
      const auto ids = test::expectedTensor(folder(c.model), "ids");
      const auto diff =
          maxDifference(model->forward(ids), test::expectedTensor(folder(c.model), "logits_" + c.adapter));
      QVERIFY2(diff < 1e-4, (c.model + " + " + c.adapter + ": " + std::to_string(diff)).c_str());
    }
    // Two adapters mixed with per-sequence weights: one merged model per sequence.
    lm::LoadOptions options;
    options.adapters = {folder("llama_gqa-a"), folder("llama_gqa-b")};
    const auto model = lm::CausalLm::load(folder("llama_gqa"), options);
    const auto ids = test::expectedTensor(folder("llama_gqa"), "ids");
    const auto mix = test::expectedTensor(folder("llama_gqa"), "mix").to(at::kFloat);
    const auto diff = maxDifference(model->forward(ids, nullptr, &mix),
                                    test::expectedTensor(folder("llama_gqa"), "logits_mix"));
    QVERIFY2(diff < 1e-4, std::to_string(diff).c_str());
    // Scoring passes the same weights per sequence.
    const auto logp = at::log_softmax(test::expectedTensor(folder("llama_gqa"), "logits_mix"), -1);
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
  }

  void longBatchesRunInBlocksAndEqualOneSequenceAtATime() {
    // 3 × 2100 tokens: attention runs a sequence at a time (its scores pass the per-block budget) and the
    // MLP in blocks of rows, or of whole sequences with per-sequence adapter weights; the logits equal those
    // of each sequence alone.
    lm::LoadOptions options;
    options.adapters = {folder("llama_gqa-a"), folder("llama_gqa-b")};
    const auto model = lm::CausalLm::load(folder("llama_gqa"), options);
    at::manual_seed(3);
    const auto ids = at::randint(0, model->config().vocabSize, {3, 2100}, at::kLong);
    const auto mix = at::rand({3, 2});
    for (const bool mixed : {false, true}) {
      const auto batched = model->forward(ids, nullptr, mixed ? &mix : nullptr);
      for (std::int64_t b = 0; b < 3; ++b) {
        const auto rowMix = mix.narrow(0, b, 1);
        const auto alone = model->forward(ids.narrow(0, b, 1), nullptr, mixed ? &rowMix : nullptr);
        // float32 sums over 2100 keys, blocked differently by the matrix products: 1e-3, where a wrong
        // block (another sequence's keys, a shifted row) is off by the logits' own size.
        const auto diff = maxDifference(batched.narrow(0, b, 1), alone);
        QVERIFY2(diff < 1e-3, std::to_string(diff).c_str());
      }
    }
  }

  void slidingWindowLimitsWhatATokenSees() {
    // Mistral's window is 5: without it, the logits of the first 5 positions stay, later ones change.
    const auto copy = dir_.file("mistral_nowindow");
    std::filesystem::copy(folder("mistral"), copy);
    auto config = nlohmann::json::parse(test::readBytes(copy + "/config.json"));
    config.erase("sliding_window");
    test::writeBytes(copy + "/config.json", config.dump());
    const auto ids = test::expectedTensor(folder("mistral"), "ids");
    const auto windowed = lm::CausalLm::load(folder("mistral"))->forward(ids);
    const auto full = lm::CausalLm::load(copy)->forward(ids);
    QVERIFY(maxDifference(windowed.narrow(1, 0, 5), full.narrow(1, 0, 5)) < 1e-6);
    QVERIFY(maxDifference(windowed.narrow(1, 5, ids.size(1) - 5), full.narrow(1, 5, ids.size(1) - 5)) > 1e-2);
    // Qwen2 slides only with use_sliding_window.
    const auto qwen = lm::CausalLm::load(folder("qwen2"));
    QCOMPARE(qwen->config().slidingFromLayer, std::int64_t{1});
    QVERIFY(qwen->config().slidingAt(1) && !qwen->config().slidingAt(0));
  }

  void bf16ComputeStaysCloseToFloat32() {
    lm::LoadOptions options;
    options.dtype = lm::ComputeDtype::BF16;
    const auto model = lm::CausalLm::load(folder("llama_linear_bf16"), options);
    const auto ids = test::expectedTensor(folder("llama_linear_bf16"), "ids");
    const auto logits = model->forward(ids);
    QCOMPARE(logits.scalar_type(), at::kFloat);
    const auto expected = test::expectedTensor(folder("llama_linear_bf16"), "logits");
    const auto relative = maxDifference(logits, expected) / expected.abs().max().item<double>();
    QVERIFY2(relative < 0.05, std::to_string(relative).c_str());
    QVERIFY2(model->weightMemory().copiedBytes == 0, "bf16 weights computed in bf16 are mapped, not copied");
  }

  void meanHiddenStateIgnoresPadding() {
    const auto model = lm::CausalLm::load(folder("qwen2"));
    const std::vector<std::vector<std::int64_t>> sequences = {{7, 8, 9, 10, 11, 12, 13}, {20, 21, 22}, {30}};
    const auto together = lm::meanHiddenStates(*model, sequences, {3, 1, nullptr});
    QCOMPARE(together.sizes().vec(), (std::vector<std::int64_t>{3, 48}));
    for (std::size_t i = 0; i < sequences.size(); ++i) {
      const auto alone = lm::meanHiddenStates(*model, {sequences[i]});
      QVERIFY(maxDifference(alone[0], together[static_cast<std::int64_t>(i)]) < 1e-5);
      at::Tensor hidden;
      model->forward(at::tensor(sequences[i], at::kLong).unsqueeze(0), nullptr, nullptr, &hidden);
      QVERIFY(maxDifference(hidden[0].mean(0), alone[0]) < 1e-6);
    }
  }
};

MG_TEST_APPLESS_MAIN(LmReferenceTest)
#include "test_lm_reference.moc"
