// Fine-tuning a causal language model as a user runs it (train::fineTuneLanguageModel), on a tiny Llama and a
// multiple-choice task separable by construction (the answer is whether the context's last letter is in
// a..c): a fresh LoRA reaches near-perfect validation accuracy, is written as a PEFT folder whose config says
// what PEFT needs, and reloads through CausalLm::load(adapters) scoring what training reported; training
// continues from it; a full fine-tune of the target modules' weights writes a model folder that loads and
// scores the same; LoRA dropout changes training passes only; bad parameters are refused before anything
// is trained or written.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/safetensors_writer.h"
#include "io/text_task_file.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"
#include "text/tokenizer.h"
#include "train/fine_tune.h"
#include "weights/cancel.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

const std::string kLetters = " abcdefghijklmnopqrstuvwxyz";

// One token per character of kLetters after <s> (0) and <unk> (1).
std::string characterTokenizerJson() {
  std::string vocab = R"("<s>": 0, "<unk>": 1)";
  for (std::size_t i = 0; i < kLetters.size(); ++i)
    vocab += ", \"" + kLetters.substr(i, 1) + "\": " + std::to_string(i + 2);
  const std::string special =
      R"("single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true)";
  return R"({"version": "1.0", "truncation": null, "padding": null, "added_tokens": [
      {"id": 0, "content": "<s>", )" +
         special + R"(}, {"id": 1, "content": "<unk>", )" + special + R"(}],
    "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": {"type": "Fuse"},
    "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
              "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "vocab": {)" +
         vocab + R"(}, "merges": []}})";
}

nlohmann::json tinyLlamaConfig() {
  return {{"architectures", {"LlamaForCausalLM"}},
          {"model_type", "llama"},
          {"vocab_size", int(kLetters.size()) + 2},
          {"hidden_size", 64},
          {"intermediate_size", 192},
          {"num_hidden_layers", 2},
          {"num_attention_heads", 4},
          {"num_key_value_heads", 2},
          {"max_position_embeddings", 32},
          {"rms_norm_eps", 1e-6},
          {"rope_theta", 10000.0},
          {"tie_word_embeddings", true},
          {"bos_token_id", 0}};
}

nlohmann::json tinyGpt2Config() {
  return {{"architectures", {"GPT2LMHeadModel"}},
          {"model_type", "gpt2"},
          {"vocab_size", int(kLetters.size()) + 2},
          {"n_embd", 32},
          {"n_head", 4},
          {"n_layer", 2},
          {"n_positions", 32},
          {"layer_norm_epsilon", 1e-5},
          {"activation_function", "gelu_new"},
          {"bos_token_id", 0}};
}

// A tiny model with weights of unit-scale activations (N(0, 1/in) matrices, N(0, 1) embeddings), written as a
// Hugging Face folder with the character tokenizer.
void writeTinyModel(const std::string& folder, const nlohmann::json& config) {
  fs::create_directories(folder);
  io::writeFileAtomically(folder + "/config.json", config.dump(2));
  io::writeFileAtomically(folder + "/tokenizer.json", characterTokenizerJson());
  io::writeFileAtomically(folder + "/tokenizer_config.json", R"({"bos_token": "<s>"})");
  lm::LoadOptions fresh;
  fresh.freshWeightsSeed = 5;
  const auto model = lm::CausalLm::load(folder, fresh);
  auto generator = at::detail::createCPUGenerator(5);
  std::vector<io::TensorData> tensors;
  for (const auto& p : model->parameters()) {
    auto t = p.tensor;
    const bool embedding = p.name.find("embed") != std::string::npos ||
                           p.name.find(".wte.") != std::string::npos ||
                           p.name.find(".wpe.") != std::string::npos;
    const bool conv1d = p.name.rfind("transformer.h.", 0) == 0; // GPT-2's Conv1D: [in, out]
    if (t.dim() == 2)
      t = at::randn(t.sizes(), generator) / (embedding ? 1.0 : std::sqrt(double(t.size(conv1d ? 0 : 1))));

    tensors.push_back(tensor::fromTorch(t, p.name, io::DType::F32));
  }
  io::writeSafetensors(folder + "/model.safetensors", tensors);
}

// "k q d" -> "y" when the last letter is a..c, else "n": separable from the last token alone.
io::TextTask lastLetterTask(std::size_t count, std::uint64_t seed) {
  io::TextTask task;
  task.name = "last-letter";
  task.kind = io::TextTaskKind::MultipleChoice;
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < count; ++i) {
    io::TextExample e;
    for (int l = 0; l < 3; ++l)
      e.context += std::string(l ? " " : "") + char('a' + rng() % 6);
    e.choices = {"y", "n"};
    e.label = e.context.back() <= 'c' ? 0 : 1;
    e.line = i + 1;
    task.examples.push_back(e);
  }
  return task;
}

double accuracyOf(const lm::CausalLm& model, const text::Tokenizer& tokenizer, const io::TextTask& task) {
  lm_eval::CausalLmScorer scorer(model, {});
  return lm_eval::evaluateTextTask(scorer, tokenizer, task).accuracy;
}

} // namespace

class LmFineTuneTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    writeTinyModel(dir_.file("base"), tinyLlamaConfig());
    base_.folder = dir_.file("base");
    base_.tokenizer = text::loadTokenizer(base_.folder);
    task_ = lastLetterTask(120, 3);
    options_.method = train::Method::Lora;
    options_.lora.rank = 4;
    options_.lora.alpha = 8;
    options_.examples = 24; // per class: the correct choice's index
    options_.exampleUnit = train::ExampleUnit::PerClass;
    options_.validationExamples = 16;
    options_.evaluateEvery = 10;
    options_.learningRate = 5e-2;
    options_.batchSize = 16;
    options_.steps = 60;
    options_.seed = 1;
  }

  void aLoraLearnsTheTaskAndReloadsScoringTheSame() {
    const auto out = dir_.file("lora");
    std::vector<train::CurvePoint> seen;
    train::TrainingEvents events;
    events.point = [&](const train::CurvePoint& p) { seen.push_back(p); };
    const auto started = std::chrono::steady_clock::now();
    const auto result = train::fineTuneLanguageModel(base_, {task_}, options_, "", out, events);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    qInfo("LoRA: %lld steps in %.2f s, validation %.3f at step %lld (from %.3f)", (long long)result.stepsRun,
          seconds, result.bestValidation, (long long)result.bestStep, result.curve.front().validation);
    QCOMPARE(result.trainExamples, std::int64_t(48));
    QCOMPARE(result.validationExamples, std::int64_t(32));
    QCOMPARE(result.stepsRun, std::int64_t(60));
    QCOMPARE(seen.size(), result.curve.size());
    QCOMPARE(result.curve.front().step, std::int64_t(0)); // the base's score first
    QCOMPARE(result.curve.back().step, std::int64_t(60));
    QVERIFY2(result.curve.front().validation < 0.8, std::to_string(result.curve.front().validation).c_str());
    QVERIFY2(result.bestValidation >= 0.95, std::to_string(result.bestValidation).c_str());
    QVERIFY(result.curve.back().trainLoss < result.curve[1].trainLoss);
    QCOMPARE(result.folder, out);

    // PEFT's adapter_config.json: the targets as given, the dropout, the base.
    const auto config = nlohmann::json::parse(test::readBytes(out + "/adapter_config.json"));
    QCOMPARE(config["peft_type"].get<std::string>(), std::string("LORA"));
    QCOMPARE(config["target_modules"].get<std::vector<std::string>>(),
             (std::vector<std::string>{"q_proj", "v_proj"}));
    QCOMPARE(config["r"].get<int>(), 4);
    QCOMPARE(config["lora_alpha"].get<double>(), 8.0);
    QCOMPARE(config["lora_dropout"].get<double>(), 0.0);
    QCOMPARE(config["base_model_name_or_path"].get<std::string>(), fs::absolute(base_.folder).string());

    // Reloaded unmerged, it scores the held-apart examples as training measured them. They are the
    // examples the same seed selects: the validation of a second training with no steps to speak of.
    lm::LoadOptions load;
    load.adapters = {out};
    const auto adapted = lm::CausalLm::load(base_.folder, load);
    QCOMPARE(adapted->adapterFactors().size(), std::size_t(4)); // q and v of 2 layers
    auto probe = options_;
    probe.steps = 1;
    probe.learningRate = 1e-12;
    const auto again = train::fineTuneLanguageModel(base_, {task_}, probe, out, dir_.file("probe"), {});
    QCOMPARE(again.curve.front().validation, result.bestValidation); // continued: starts where it ended
    // And the whole task scores far above the base.
    const double baseAccuracy = accuracyOf(*lm::CausalLm::load(base_.folder), *base_.tokenizer, task_);
    const double tuned = accuracyOf(*adapted, *base_.tokenizer, task_);
    QVERIFY2(tuned >= 0.95 && tuned > baseAccuracy + 0.2,
             (std::to_string(tuned) + " vs the base's " + std::to_string(baseAccuracy)).c_str());
  }

  // IA³: ones-vectors on k_proj, v_proj and down_proj (scaling down_proj's input), trained, written in PEFT's
  // layout, reloaded scoring what training reported.
  void anIa3LearnsTheTaskAndReloadsScoringTheSame() {
    auto options = options_;
    options.method = train::Method::Ia3;
    options.learningRate = 1e-1;
    const auto out = dir_.file("ia3");
    const auto result = train::fineTuneLanguageModel(base_, {task_}, options, "", out, {});
    qInfo("IA³: validation %.3f at step %lld (from %.3f)", result.bestValidation, (long long)result.bestStep,
          result.curve.front().validation);
    QVERIFY2(result.bestValidation >= 0.9, std::to_string(result.bestValidation).c_str());
    const auto config = nlohmann::json::parse(test::readBytes(out + "/adapter_config.json"));
    QCOMPARE(config["peft_type"].get<std::string>(), std::string("IA3"));
    QCOMPARE(config["target_modules"].get<std::vector<std::string>>(),
             (std::vector<std::string>{"k_proj", "v_proj", "down_proj"}));
    QCOMPARE(config["feedforward_modules"].get<std::vector<std::string>>(),
             std::vector<std::string>{"down_proj"});
    lm::LoadOptions load;
    load.adapters = {out};
    const auto adapted = lm::CausalLm::load(base_.folder, load);
    const auto vectors = adapted->ia3Vectors();
    QCOMPARE(vectors.size(), std::size_t(6));
    for (const auto& v : vectors) {
      const bool down = v.module.find("down_proj") != std::string::npos;
      QCOMPARE(v.feedforward, down);
      QCOMPARE(v.l.size(down ? 0 : 1), std::int64_t(1)); // [1, in] for down_proj, else [out, 1]
    }
    auto probe = options;
    probe.steps = 1;
    probe.learningRate = 1e-12;
    const auto again = train::fineTuneLanguageModel(base_, {task_}, probe, out, dir_.file("probe-ia3"), {});
    QCOMPARE(again.curve.front().validation, result.bestValidation);
    // An IA³ adapter is not a LoRA to continue from.
    try {
      train::fineTuneLanguageModel(base_, {task_}, options_, out, dir_.file("wrong"), {});
      QFAIL("a LoRA continued from an IA³ adapter");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(std::string(e.what()).find("is a IA3 adapter, not a LORA one") != std::string::npos, e.what());
    }
  }

  // Chosen tensors of the base itself: the target modules' weights by default, written as a model folder.
  void aFullFineTuneWritesAModelThatScoresTheSame() {
    auto options = options_;
    options.method = train::Method::Full;
    options.learningRate = 1e-2;
    const auto out = dir_.file("full");
    const auto result = train::fineTuneLanguageModel(base_, {task_}, options, "", out, {});
    QVERIFY2(result.bestValidation >= 0.9, std::to_string(result.bestValidation).c_str());
    for (const char* file : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
      QVERIFY2(fs::exists(out + "/" + file), file);
    const auto tuned = lm::CausalLm::load(out);
    const auto before = lm::CausalLm::load(base_.folder);
    // Only q and v changed.
    const auto original = before->parameters();
    std::size_t changed = 0;
    for (const auto& p : tuned->parameters()) {
      const auto same = std::find_if(original.begin(), original.end(),
                                     [&](const lm::NamedParameter& o) { return o.name == p.name; });
      QVERIFY(same != original.end());
      const bool differs = !at::equal(p.tensor, same->tensor);
      const bool target =
          p.name.find("q_proj") != std::string::npos || p.name.find("v_proj") != std::string::npos;
      QVERIFY2(differs == target, p.name.c_str());
      changed += differs;
    }
    QCOMPARE(changed, std::size_t(4));
    QVERIFY(accuracyOf(*tuned, *base_.tokenizer, task_) >= 0.9);
  }

  // PEFT's lora_dropout acts on training passes only: scoring and generation (no autograd) are unchanged.
  void loraDropoutActsWhileTrainingOnly() {
    lm::LoadOptions load;
    load.adapters = {dir_.file("lora")};
    const auto model = lm::CausalLm::load(base_.folder, load);
    const auto ids = at::tensor({2, 5, 7, 9}, at::kLong).view({1, 4});
    const at::Tensor plain = model->forward(ids);
    model->setAdapterDropout(0.5, 1);
    {
      at::NoGradGuard noGrad;
      QVERIFY(at::equal(model->forward(ids), plain));
    }
    auto b = model->adapterFactors().front().b;
    b.requires_grad_(true);
    QVERIFY(!at::allclose(model->forward(ids), plain));
    b.requires_grad_(false);
    model->setAdapterDropout(0);
    QVERIFY(at::allclose(model->forward(ids), plain));

    auto options = options_;
    options.lora.dropout = 0.1;
    options.steps = 5;
    train::fineTuneLanguageModel(base_, {task_}, options, "", dir_.file("dropout"), {});
    const auto config = nlohmann::json::parse(test::readBytes(dir_.file("dropout/adapter_config.json")));
    QCOMPARE(config["lora_dropout"].get<double>(), 0.1);
  }

  // GPT-2: PEFT's default target c_attn, Conv1D factors marked fan_in_fan_out, and the adapter reloads.
  void aGpt2LoraTargetsCAttn() {
    train::LanguageModelBase gpt2;
    gpt2.folder = dir_.file("gpt2");
    writeTinyModel(gpt2.folder, tinyGpt2Config());
    gpt2.tokenizer = base_.tokenizer;
    const auto out = dir_.file("gpt2-lora");
    const auto result = train::fineTuneLanguageModel(gpt2, {task_}, options_, "", out, {});
    QVERIFY2(result.bestValidation >= 0.9 && result.bestValidation > result.curve.front().validation,
             std::to_string(result.bestValidation).c_str());
    const auto config = nlohmann::json::parse(test::readBytes(out + "/adapter_config.json"));
    QCOMPARE(config["target_modules"].get<std::vector<std::string>>(), std::vector<std::string>{"c_attn"});
    QCOMPARE(config["fan_in_fan_out"].get<bool>(), true);
    lm::LoadOptions load;
    load.adapters = {out};
    const auto adapted = lm::CausalLm::load(gpt2.folder, load);
    QCOMPARE(adapted->adapterFactors().size(), std::size_t(2));
    QCOMPARE(adapted->adapterFactors().front().module, std::string("transformer.h.0.attn.c_attn"));

    // IA³ on GPT-2: c_attn's output and mlp.c_proj's input scaled, Conv1D sizes read the other way round.
    auto ia3 = options_;
    ia3.method = train::Method::Ia3;
    ia3.steps = 5;
    const auto ia3Out = dir_.file("gpt2-ia3");
    train::fineTuneLanguageModel(gpt2, {task_}, ia3, "", ia3Out, {});
    const auto ia3Config = nlohmann::json::parse(test::readBytes(ia3Out + "/adapter_config.json"));
    QCOMPARE(ia3Config["target_modules"].get<std::vector<std::string>>(),
             (std::vector<std::string>{"c_attn", "mlp.c_proj"}));
    QCOMPARE(ia3Config["feedforward_modules"].get<std::vector<std::string>>(),
             std::vector<std::string>{"mlp.c_proj"});
    QCOMPARE(ia3Config["fan_in_fan_out"].get<bool>(), true);
    lm::LoadOptions ia3Load;
    ia3Load.adapters = {ia3Out};
    const auto vectors = lm::CausalLm::load(gpt2.folder, ia3Load)->ia3Vectors();
    QCOMPARE(vectors.size(), std::size_t(4));
    for (const auto& v : vectors)
      QCOMPARE(v.l.numel(),
               std::int64_t(v.feedforward ? 4 * 32 : 3 * 32)); // c_proj reads 4·n_embd, c_attn makes 3
  }

  // Early stopping after `patience` validations without a better score; a cancel keeps the best so far and
  // writes it.
  void trainingStopsEarlyOrWhenCancelled() {
    auto options = options_;
    options.patience = 2;
    options.steps = 200;
    const auto stopped = train::fineTuneLanguageModel(base_, {task_}, options, "", dir_.file("early"), {});
    QVERIFY(stopped.stoppedEarly && !stopped.cancelled);
    QCOMPARE(stopped.stepsRun, stopped.bestStep + 2 * options.evaluateEvery);
    QCOMPARE(stopped.curve.back().step, stopped.stepsRun);

    engine::CancelToken cancel;
    train::TrainingEvents events;
    events.cancel = &cancel;
    events.point = [&](const train::CurvePoint& p) {
      if (p.step == 20) cancel.cancel();
    };
    const auto out = dir_.file("cancelled");
    const auto cancelled = train::fineTuneLanguageModel(base_, {task_}, options_, "", out, events);
    QVERIFY(cancelled.cancelled && !cancelled.stoppedEarly);
    QCOMPARE(cancelled.stepsRun, std::int64_t(20));
    QVERIFY(cancelled.bestStep <= 20);
    QVERIFY(fs::exists(out + "/adapter_model.safetensors"));
    auto probe = options_;
    probe.steps = 1;
    probe.learningRate = 1e-12;
    const auto again = train::fineTuneLanguageModel(base_, {task_}, probe, out, dir_.file("probe2"), {});
    QCOMPARE(again.curve.front().validation, cancelled.bestValidation);
  }

  // One seed gives the same adapter, byte for byte; two micro-batches of 8 accumulate to a batch of 16.
  void trainingIsDeterministicAndAccumulates() {
    auto options = options_;
    options.steps = 10;
    options.evaluateEvery = 10;
    train::fineTuneLanguageModel(base_, {task_}, options, "", dir_.file("once"), {});
    train::fineTuneLanguageModel(base_, {task_}, options, "", dir_.file("twice"), {});
    QCOMPARE(test::readBytes(dir_.file("once/adapter_model.safetensors")),
             test::readBytes(dir_.file("twice/adapter_model.safetensors")));
    options.batchSize = 8;
    options.gradientAccumulation = 2;
    const auto accumulated =
        train::fineTuneLanguageModel(base_, {task_}, options, "", dir_.file("accumulated"), {});
    options.seed = 2;
    train::fineTuneLanguageModel(base_, {task_}, options, "", dir_.file("other-seed"), {});
    const auto factorsOf = [&](const std::string& name) {
      lm::LoadOptions load;
      load.adapters = {dir_.file(name)};
      std::vector<at::Tensor> out;
      for (const auto& f : lm::CausalLm::load(base_.folder, load)->adapterFactors())
        out.push_back(at::cat({f.a.reshape(-1), f.b.reshape(-1)}));
      return at::cat(out);
    };
    const auto once = factorsOf("once");
    QVERIFY2(at::allclose(factorsOf("accumulated"), once, 1e-4, 1e-5),
             std::to_string((factorsOf("accumulated") - once).abs().max().item<double>()).c_str());
    QVERIFY(!at::allclose(factorsOf("other-seed"), once, 1e-2, 1e-3));
    QCOMPARE(accumulated.stepsRun, std::int64_t(10));
  }

  // Generation and perplexity tasks train too (examples per task); the validation score of a perplexity task
  // is 1 / perplexity, which training raises.
  void generationAndPerplexityTasksTrain() {
    io::TextTask generation, prose;
    generation.name = "echo";
    generation.kind = io::TextTaskKind::Generation;
    generation.maxNewTokens = 4;
    prose.name = "prose";
    prose.kind = io::TextTaskKind::Perplexity;
    std::mt19937_64 rng(9);
    for (int i = 0; i < 40; ++i) {
      io::TextExample g, p;
      const char letter = char('a' + rng() % 6);
      g.prompt = std::string("x ") + letter;
      g.answer = std::string(" ") + letter; // repeat the last letter, then the newline
      generation.examples.push_back(g);
      for (int k = 0; k < 8; ++k)
        p.text += std::string(k ? " " : "") + char('a' + (letter - 'a' + k) % 6);
      prose.examples.push_back(p);
    }
    auto options = options_;
    options.exampleUnit = train::ExampleUnit::PerTask;
    options.examples = 0;
    options.validationExamples = 8;
    const auto result =
        train::fineTuneLanguageModel(base_, {generation, prose}, options, "", dir_.file("mixed"), {});
    QCOMPARE(result.trainExamples, std::int64_t(64));
    QCOMPARE(result.validationExamples, std::int64_t(16));
    // Exact match of the echo and 1 / perplexity of the prose, averaged: both rise.
    QVERIFY2(
        result.bestValidation > result.curve.front().validation + 0.3 && result.bestValidation <= 1.0,
        (std::to_string(result.curve.front().validation) + " -> " + std::to_string(result.bestValidation))
            .c_str());
  }

  // Problems found before the first step, named, and nothing written.
  void badParametersAreRefusedBeforeTraining() {
    io::TextTask generation;
    generation.name = "say";
    generation.kind = io::TextTaskKind::Generation;
    for (int i = 0; i < 8; ++i) {
      io::TextExample e;
      e.prompt = "a b";
      e.answer = " c";
      generation.examples.push_back(e);
    }
    const auto refused = [&](train::FineTuneOptions options, const std::vector<io::TextTask>& tasks,
                             const std::string& words) {
      const auto out = dir_.file("refused");
      try {
        train::fineTuneLanguageModel(base_, tasks, options, "", out, {});
      } catch (const std::exception& e) {
        if (fs::exists(out)) return std::string("wrote ") + out;
        const std::string what = e.what();
        return what.find(words) != std::string::npos && what.find('\n') == std::string::npos
                   ? std::string()
                   : "'" + what + "' does not say '" + words + "'";
      }
      return std::string("trained");
    };
    auto o = options_;
    o.lora.rank = 0;
    QCOMPARE(refused(o, {task_}, "rank must be at least 1"), std::string());
    o = options_;
    o.targetModules = {"nope"};
    QCOMPARE(refused(o, {task_}, "target_modules [nope] match no module"), std::string());
    o = options_;
    o.targetRegex = "model\\.layers\\.9\\..*";
    QCOMPARE(refused(o, {task_}, "match no module"), std::string());
    o = options_;
    o.examples = 100; // per class: the task has about 60 of each
    QCOMPARE(refused(o, {task_}, "task last-letter has"), std::string());
    o = options_;
    o.lmLoss = train::LmLoss::TFew;
    QCOMPARE(refused(o, {task_, generation}, "needs multiple-choice tasks: task say is generation"),
             std::string());
    o = options_; // per class on a task without classes
    QCOMPARE(refused(o, {generation}, "examples per class need multiple-choice tasks"), std::string());
    o = options_;
    o.method = train::Method::Full;
    o.fullTensors = "nothing.*";
    QCOMPARE(refused(o, {task_}, "full_tensors 'nothing.*' matches no tensor"), std::string());
  }

private:
  test::TempDir dir_;
  train::LanguageModelBase base_;
  io::TextTask task_;
  train::FineTuneOptions options_;
};

MG_TEST_APPLESS_MAIN(LmFineTuneTest)
#include "test_lm_fine_tune.moc"
