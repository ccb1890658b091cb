// Loading language models: an adapter applied unmerged gives the logits of the adapter merged into the
// weights (Llama and GPT-2's transposed Conv1D); f32 weights are used from the file mapping without a copy;
// generation stops on end-of-sequence tokens and the caller's predicate; bad folders and adapters are
// one-line errors naming the file and the problem.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>

#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "lm/causal_lm.h"
#include "lm/generation.h"
#include "lm/scoring.h"
#include "lm_reference_models.h"

using namespace mg;

namespace {

// The base with every module's s·B·A added to its weight (transposed for fan_in_fan_out), as a new folder.
std::string writeMerged(const test::TempDir& dir, const std::string& base, const std::string& adapterFolder,
                        const std::string& name) {
  const io::HfModelFolder model(base);
  const io::PeftAdapter adapter(adapterFolder);
  std::map<std::string, at::Tensor> tensors;
  for (const auto& info : model.tensors())
    tensors[info.name] = tensor::toTorchFloat32(model.load(info.name));
  for (const auto& m : adapter.modules()) {
    const auto a = tensor::toTorchFloat32(adapter.load(m.loraA)),
               b = tensor::toTorchFloat32(adapter.load(m.loraB));
    auto delta = at::matmul(b, a) * m.scaling;
    if (adapter.config().fanInFanOut) delta = delta.t();
    tensors.at(m.baseTensor) += delta;
  }
  std::vector<io::TensorData> data;
  for (const auto& [tensorName, t] : tensors)
    data.push_back(tensor::fromTorch(t, tensorName, io::DType::F32));
  const auto out = dir.file(name);
  std::filesystem::create_directories(out);
  io::writeSafetensors(out + "/model.safetensors", data);
  std::filesystem::copy_file(base + "/config.json", out + "/config.json");
  return out;
}

std::string loadError(const std::string& folder, const lm::LoadOptions& options = {}) {
  try {
    lm::CausalLm::load(folder, options);
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

void editConfig(const std::string& folder, const std::function<void(nlohmann::json&)>& edit) {
  auto config = nlohmann::json::parse(test::readBytes(folder + "/config.json"));
  edit(config);
  test::writeBytes(folder + "/config.json", config.dump());
}

} // namespace

class LmLoadingTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;

  std::string folder(const std::string& name) const { return dir_.file(name); }

private Q_SLOTS:
  void initTestCase() { MG_WRITE_REFERENCE_MODELS(dir_); }

  void unmergedAdapterEqualsTheMergedModel() {
    for (const std::string name : {"llama_gqa", "gpt2"}) {
      const auto merged = writeMerged(dir_, folder(name), folder(name + "-a"), name + "-merged");
      lm::LoadOptions options;
      options.adapters = {folder(name + "-a")};
      const auto adapted = lm::CausalLm::load(folder(name), options);
      const auto ids = test::expectedTensor(folder(name), "ids");
      const auto unmerged = adapted->forward(ids);
      const auto reference = lm::CausalLm::load(merged)->forward(ids);
      const auto diff = (unmerged - reference).abs().max().item<double>();
      QVERIFY2(diff < 1e-4, (name + ": " + std::to_string(diff)).c_str());
      // And the adapter changes the model (the comparison is not between two base models).
      QVERIFY((lm::CausalLm::load(folder(name))->forward(ids) - reference).abs().max().item<double>() > 1e-2);
    }
  }

  void float32WeightsAreMappedNotCopied() {
    const auto f32 = lm::CausalLm::load(folder("llama_gqa"));
    QCOMPARE(f32->weightMemory().copiedBytes, std::uint64_t{0});
    const io::HfModelFolder files(folder("llama_gqa"));
    std::uint64_t bytes = 0;
    for (const auto& info : files.tensors())
      bytes += info.nbytes();
    QCOMPARE(f32->weightMemory().mappedBytes, bytes);
    // bf16 weights computed in f32 are converted once.
    const auto bf16 = lm::CausalLm::load(folder("llama_linear_bf16"));
    QCOMPARE(bf16->weightMemory().mappedBytes, std::uint64_t{0});
    QVERIFY(bf16->weightMemory().copiedBytes > 0);
    const auto f16 = lm::CausalLm::load(folder("gpt2")); // f16 weights, likewise
    QCOMPARE(f16->weightMemory().mappedBytes, std::uint64_t{0});
  }

  void generationStopsOnEosAndOnThePredicate() {
    const auto model = lm::CausalLm::load(folder("llama_gqa"));
    const auto expected = test::expectedJson(folder("llama_gqa"));
    const auto prompt = expected["prompt"].get<std::vector<std::int64_t>>();
    const auto greedy = expected["greedy"].get<std::vector<std::int64_t>>();
    lm::GenerationOptions options;
    options.maxNewTokens = 10;
    options.eosIds = {greedy[3]};
    auto out = lm::generateGreedy(*model, prompt, options);
    QVERIFY(out.stoppedBy == lm::Generation::Stop::Eos);
    QCOMPARE(out.tokens, std::vector<std::int64_t>(greedy.begin(), greedy.begin() + 3));
    options.eosIds = {model->config().vocabSize};
    options.stop = [](const std::vector<std::int64_t>& tokens) { return tokens.size() == 2; };
    out = lm::generateGreedy(*model, prompt, options);
    QVERIFY(out.stoppedBy == lm::Generation::Stop::Predicate);
    QCOMPARE(out.tokens, std::vector<std::int64_t>(greedy.begin(), greedy.begin() + 2));
    QCOMPARE(model->config().eosTokenIds, std::vector<std::int64_t>{2});
    engine::CancelToken cancel;
    cancel.cancel();
    options.run.cancel = &cancel;
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, lm::generateGreedy(*model, prompt, options));
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled,
                             lm::scoreContinuations(*model, {{prompt, 1, {}}}, {8, 1, &cancel}));
  }

  void unsupportedArchitectureListsTheSupportedOnes() {
    const auto copy = dir_.file("falcon");
    std::filesystem::copy(folder("qwen2"), copy);
    editConfig(copy, [](auto& c) { c["architectures"] = {"FalconForCausalLM"}; });
    const auto error = loadError(copy);
    QVERIFY2(error.find("config.json") != std::string::npos &&
                 error.find("FalconForCausalLM") != std::string::npos &&
                 error.find("LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, GPT2LMHeadModel") !=
                     std::string::npos &&
                 error.find('\n') == std::string::npos,
             error.c_str());
    editConfig(copy, [](auto& c) {
      c["architectures"] = {"LlamaForCausalLM"};
      c["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}};
    });
    QVERIFY(loadError(copy).find("rope_scaling type \"yarn\" is not supported") != std::string::npos);
  }

  void missingAndMisshapedTensorsAreNamed() {
    const auto copy = dir_.file("short");
    std::filesystem::copy(folder("mistral"), copy);
    editConfig(copy, [](auto& c) { c["num_hidden_layers"] = 3; });
    auto error = loadError(copy);
    QVERIFY2(error.find("model.safetensors") != std::string::npos &&
                 error.find("model.layers.2.input_layernorm.weight is missing") != std::string::npos,
             error.c_str());
    editConfig(copy, [](auto& c) {
      c["num_hidden_layers"] = 2;
      c["intermediate_size"] = 65;
    });
    error = loadError(copy);
    QVERIFY2(error.find("model.layers.0.mlp.gate_proj.weight has shape [64, 32], expected [65, 32]") !=
                 std::string::npos,
             error.c_str());
  }

  void anAdapterOfAModuleTheModelLacksIsAnError() {
    lm::LoadOptions options;
    options.adapters = {folder("gpt2-a")};
    const auto error = loadError(folder("llama_gqa"), options);
    QVERIFY2(error.find("gpt2-a") != std::string::npos &&
                 error.find("transformer.h.0.attn.c_attn is not a linear module of LlamaForCausalLM") !=
                     std::string::npos,
             error.c_str());
  }
};

MG_TEST_APPLESS_MAIN(LmLoadingTest)
#include "test_lm_loading.moc"
