// PEFT IA³ adapters: the folder PEFT writes (config fields, ia3_l keys, [out, 1] / [1, in] vectors) reads
// back, validates against a base (lengths after fan_in_fan_out, convolutions), and every bad folder is a
// one-line IoError naming the folder and the tensor or field.
#include "support/test_registry.h"
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "io/source_summary.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::FakeSource;
using mg::test::rampTensor;
using mg::test::TempDir;
using mg::test::throwsIoError;

namespace {

const std::string kK = "model.layers.0.self_attn.k_proj";
const std::string kV = "model.layers.0.self_attn.v_proj";
const std::string kDown = "model.layers.0.mlp.down_proj";

Ia3Config llamaConfig() {
  Ia3Config c;
  c.targetModules = {"k_proj", "v_proj", "down_proj"};
  c.feedforwardModules = {"down_proj"};
  c.baseModelNameOrPath = "tiny-llama";
  return c;
}

// k [8, 16], v [8, 16], down [16, 32] (hidden 16, intermediate 32): k and v scale outputs, down its input.
std::vector<TensorData> llamaVectors() {
  return {rampTensor(ia3Key(kK), {8, 1}, 0.5f, 0.125f), rampTensor(ia3Key(kV), {8, 1}, 1.5f, -0.0625f),
          rampTensor(ia3Key(kDown), {1, 32}, 0.25f, 0.03125f)};
}

FakeSource llamaBase() {
  return FakeSource("/models/base", {{kK + ".weight", DType::BF16, {8, 16}},
                                     {kV + ".weight", DType::BF16, {8, 16}},
                                     {kDown + ".weight", DType::BF16, {16, 32}},
                                     {"score.weight", DType::F32, {2, 16}}});
}

std::string handAdapter(const TempDir& dir, const std::string& name, const std::string& configJson,
                        const std::vector<TensorData>& tensors) {
  const std::string folder = dir.file(name);
  QDir().mkpath(QString::fromStdString(folder));
  mg::test::writeBytes(folder + "/adapter_config.json", configJson);
  writeSafetensors(folder + "/adapter_model.safetensors", tensors);
  return folder;
}

const char* kConfig =
    R"({"peft_type": "IA3", "target_modules": ["k_proj", "v_proj", "down_proj"], "feedforward_modules": ["down_proj"]})";

} // namespace

class Ia3AdapterTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void writesAndReadsBack() {
    TempDir dir;
    const std::string folder = dir.file("ia3");
    const auto vectors = llamaVectors();
    writeIa3Adapter(folder, llamaConfig(), vectors, {{"merganser", "test"}});
    PeftAdapter a(folder);
    QVERIFY(a.isIa3());
    QCOMPARE(a.peftType(), std::string("IA3"));
    QVERIFY(a.modules().empty());
    QCOMPARE(a.metadata().at("merganser"), std::string("test"));
    QCOMPARE(a.ia3Config().targetModules, llamaConfig().targetModules);
    QCOMPARE(a.ia3Config().feedforwardModules, llamaConfig().feedforwardModules);
    QCOMPARE(a.config().baseModelNameOrPath, std::string("tiny-llama"));
    QCOMPARE(a.ia3Modules().size(), std::size_t(3));
    // Module-name order: mlp.down_proj, self_attn.k_proj, self_attn.v_proj.
    const Ia3Module& down = a.ia3Modules()[0];
    QCOMPARE(down.module, kDown);
    QCOMPARE(down.key, "base_model.model." + kDown + ".ia3_l");
    QCOMPARE(down.baseTensor, kDown + ".weight");
    QVERIFY(down.feedforward);
    QCOMPARE(down.length, std::int64_t(32));
    QCOMPARE(down.shape, (std::vector<std::int64_t>{1, 32}));
    QCOMPARE(a.ia3Modules()[1].module, kK);
    QVERIFY(!a.ia3Modules()[1].feedforward);
    QCOMPARE(a.ia3Modules()[1].length, std::int64_t(8));
    QVERIFY(a.load(ia3Key(kV)).bytes == vectors[1].bytes);
    a.validateAgainst(llamaBase());
    QVERIFY(throwsIoError([&] { a.requireLora("a LoRA concatenation"); },
                          {folder, "is an IA³ adapter", "a LoRA concatenation"}));
    const auto summary = summarize(a);
    QCOMPARE(summary.adapter->peftType, std::string("IA3"));
    QCOMPARE(summary.adapter->moduleCount, std::size_t(3));
  }

  void configJsonIsWhatPeftWrites() {
    TempDir dir;
    const std::string folder = dir.file("ia3");
    writeIa3Adapter(folder, llamaConfig(), llamaVectors());
    const auto j = nlohmann::json::parse(mg::test::readBytes(folder + "/adapter_config.json"));
    QCOMPARE(j["peft_type"].get<std::string>(), std::string("IA3"));
    QCOMPARE(j["target_modules"].get<std::vector<std::string>>(), llamaConfig().targetModules);
    QCOMPARE(j["feedforward_modules"].get<std::vector<std::string>>(), std::vector<std::string>{"down_proj"});
    QCOMPARE(j["fan_in_fan_out"].get<bool>(), false);
    QVERIFY(j["modules_to_save"].is_null());
    QCOMPARE(j["init_ia3_weights"].get<bool>(), true);
    QCOMPARE(j["base_model_name_or_path"].get<std::string>(), std::string("tiny-llama"));

    // Regex strings survive; an empty target list is filled with the exact modules (and their ff flags).
    Ia3Config regex;
    regex.targetModules = {".*(k_proj|v_proj|down_proj)"};
    regex.targetModulesIsString = true;
    regex.feedforwardModules = {".*down_proj"};
    regex.feedforwardModulesIsString = true;
    const auto config = Ia3Config::fromJson(regex.toJson(), "x");
    QVERIFY(config.targetModulesIsString && config.feedforwardModulesIsString);
    QVERIFY(config.isFeedforward(kDown));
    QVERIFY(!config.isFeedforward(kK));
    QVERIFY(!config.isFeedforward("down_proj.extra")); // re.fullmatch

    Ia3Config empty;
    empty.feedforwardModules = {"down_proj"};
    writeIa3Adapter(dir.file("filled"), empty, llamaVectors());
    PeftAdapter filled(dir.file("filled"));
    QCOMPARE(filled.ia3Config().targetModules, (std::vector<std::string>{kDown, kK, kV}));
    QCOMPARE(filled.ia3Config().feedforwardModules, std::vector<std::string>{kDown});
  }

  void feedforwardListMatchesBySuffix() {
    Ia3Config c;
    c.feedforwardModules = {"mlp.c_proj"};
    QVERIFY(c.isFeedforward("transformer.h.0.mlp.c_proj"));
    QVERIFY(!c.isFeedforward("transformer.h.0.attn.c_proj"));
    c.feedforwardModules = {"proj"}; // PEFT's plain endswith: no dot boundary
    QVERIFY(c.isFeedforward("model.down_proj"));
  }

  void fanInFanOutAndConvolutions() {
    TempDir dir;
    // GPT-2 Conv1D weights are [in, out]: c_attn [16, 48] scales 48 outputs, mlp.c_proj [64, 16] 64 inputs.
    const std::string folder = handAdapter(
        dir, "gpt2",
        R"({"peft_type": "IA3", "target_modules": ["c_attn", "mlp.c_proj"], "feedforward_modules": ["mlp.c_proj"],
            "fan_in_fan_out": true})",
        {rampTensor(ia3Key("h.0.attn.c_attn"), {48, 1}), rampTensor(ia3Key("h.0.mlp.c_proj"), {1, 64})});
    PeftAdapter a(folder);
    a.validateAgainst(FakeSource("/gpt2", {{"h.0.attn.c_attn.weight", DType::F32, {16, 48}},
                                           {"h.0.mlp.c_proj.weight", DType::F32, {64, 16}}}));
    QVERIFY(throwsIoError(
        [&] {
          a.validateAgainst(FakeSource("/gpt2", {{"h.0.attn.c_attn.weight", DType::F32, {48, 16}},
                                                 {"h.0.mlp.c_proj.weight", DType::F32, {64, 16}}}));
        },
        {folder, "h.0.attn.c_attn.ia3_l", "48 values", "output size", "fan_in_fan_out", "is 16"}));

    // Conv2d: [1, channels, 1, 1] either way; out channels, or in channels for a feed-forward module.
    const std::string conv = handAdapter(
        dir, "conv",
        R"({"peft_type": "IA3", "target_modules": ["conv1", "conv2"], "feedforward_modules": ["conv2"]})",
        {rampTensor(ia3Key("conv1"), {1, 6, 1, 1}), rampTensor(ia3Key("conv2"), {1, 6, 1, 1})});
    PeftAdapter c(conv);
    c.validateAgainst(FakeSource(
        "/cnn", {{"conv1.weight", DType::F32, {6, 3, 3, 3}}, {"conv2.weight", DType::F32, {12, 6, 3, 3}}}));
    QVERIFY(throwsIoError(
        [&] {
          c.validateAgainst(FakeSource("/cnn", {{"conv1.weight", DType::F32, {6, 3, 3, 3}},
                                                {"conv2.weight", DType::F32, {6, 12, 3, 3}}}));
        },
        {conv, "conv2.ia3_l", "input size", "is 12"}));
  }

  void keysWithAdapterNamesAndModulesToSave() {
    TempDir dir;
    const std::string folder = handAdapter(
        dir, "named",
        R"({"peft_type": "IA3", "target_modules": ["k_proj"], "feedforward_modules": [], "modules_to_save": ["score"]})",
        {rampTensor("base_model.model." + kK + ".ia3_l.default", {8, 1}),
         rampTensor("base_model.model.score.modules_to_save.default.weight", {2, 16})});
    PeftAdapter a(folder);
    QCOMPARE(a.ia3Modules().size(), std::size_t(1));
    QCOMPARE(a.ia3Modules()[0].module, kK);
    QCOMPARE(a.replacements().at("score.weight"),
             std::string("base_model.model.score.modules_to_save.default.weight"));
    a.validateAgainst(llamaBase());
  }

  void rejectsBadFolders() {
    TempDir dir;
    int n = 0;
    auto rejects = [&](const std::string& configJson, const std::vector<TensorData>& tensors,
                       const std::vector<std::string>& needles) {
      const std::string folder = handAdapter(dir, "bad" + std::to_string(n++), configJson, tensors);
      auto all = needles;
      all.push_back(folder);
      return throwsIoError([&] { PeftAdapter a(folder); }, all);
    };
    const auto good = llamaVectors();
    auto withNan = good;
    withNan[2] = TensorData::fromFloat32(ia3Key(kDown), {1, 32}, std::vector<float>(32, 1.0f));
    reinterpret_cast<float*>(withNan[2].bytes.data())[5] = std::numeric_limits<float>::quiet_NaN();
    auto withInf = good;
    reinterpret_cast<float*>(withInf[0].bytes.data())[0] = std::numeric_limits<float>::infinity();
    struct Case {
      std::string config;
      std::vector<TensorData> tensors;
      std::vector<std::string> needles;
    };
    const std::vector<Case> cases = {
        // A feed-forward vector stored as [out, 1], an output vector stored as [1, in], 1-D, 3-D.
        {kConfig, {good[0], good[1], rampTensor(ia3Key(kDown), {32, 1})}, {"mlp.down_proj.ia3_l", "[1, in]"}},
        {kConfig, {rampTensor(ia3Key(kK), {1, 8})}, {"k_proj.ia3_l", "[out, 1]", "[1, 8]"}},
        {kConfig, {rampTensor(ia3Key(kK), {8})}, {"k_proj.ia3_l", "must be 2-D"}},
        {kConfig, {rampTensor(ia3Key(kK), {1, 8, 2, 1})}, {"k_proj.ia3_l", "convolution"}},
        {kConfig, {rampTensor(ia3Key(kK), {8, 1}, 0, 1, DType::I32)}, {"k_proj.ia3_l", "floating point"}},
        // Non-finite values.
        {kConfig, withNan, {"mlp.down_proj.ia3_l", "non-finite value at index 5"}},
        {kConfig, withInf, {"k_proj.ia3_l", "non-finite value at index 0"}},
        // Two vectors for one module; a key outside PEFT's prefix.
        {kConfig,
         {good[0], rampTensor("base_model.model." + kK + ".ia3_l.default", {8, 1})},
         {"two IA³ vectors"}},
        {kConfig, {rampTensor(kK + ".ia3_l", {8, 1})}, {"not a PEFT key"}},
        // Config: missing keys, wrong types, ff not a subset of targets, a bad regex.
        {R"({"peft_type": "IA3", "feedforward_modules": []})",
         good,
         {"adapter_config.json", "'target_modules' is missing"}},
        {R"({"peft_type": "IA3", "target_modules": ["k_proj"]})", good, {"'feedforward_modules' is missing"}},
        {R"({"peft_type": "IA3", "target_modules": 3, "feedforward_modules": []})",
         good,
         {"'target_modules' must be"}},
        {R"({"peft_type": "IA3", "target_modules": ["k_proj"], "feedforward_modules": ["down_proj"]})",
         good,
         {"feedforward module 'down_proj' is not in target_modules"}},
        {R"({"peft_type": "IA3", "target_modules": "*k_proj", "feedforward_modules": []})",
         good,
         {"'target_modules' is not a valid regular expression"}},
        {R"({"peft_type": "IA3", "target_modules": ["k_proj"], "feedforward_modules": [], "fan_in_fan_out": 1})",
         good,
         {"'fan_in_fan_out' must be true or false"}}};
    for (const auto& c : cases)
      QVERIFY2(rejects(c.config, c.tensors, c.needles), c.needles.front().c_str());
  }

  void rejectsMismatchesWithTheBase() {
    TempDir dir;
    const std::string folder = dir.file("ia3");
    writeIa3Adapter(folder, llamaConfig(), llamaVectors());
    PeftAdapter a(folder);
    QVERIFY(throwsIoError(
        [&] {
          a.validateAgainst(FakeSource("/b", {{kK + ".weight", DType::F32, {8, 16}}}));
        },
        {folder, "target module '" + kDown + "'", "has no weight", "/b"}));
    QVERIFY(throwsIoError(
        [&] {
          a.validateAgainst(FakeSource("/b", {{kK + ".weight", DType::F32, {8, 16}},
                                              {kV + ".weight", DType::F32, {8, 16}},
                                              {kDown + ".weight", DType::F32, {32, 16}}}));
        },
        {folder, kDown + ".ia3_l", "32 values", "input size", "[32, 16]", "is 16"}));
    QVERIFY(throwsIoError(
        [&] {
          a.validateAgainst(FakeSource("/b", {{kK + ".weight", DType::F32, {8}},
                                              {kV + ".weight", DType::F32, {8, 16}},
                                              {kDown + ".weight", DType::F32, {16, 32}}}));
        },
        {folder, kK + ".ia3_l", "does not fit base weight"}));
  }

  void refusesToWriteVectorsThatWouldNotReadBack() {
    TempDir dir;
    QVERIFY(throwsIoError(
        [&] {
          writeIa3Adapter(dir.file("w"), llamaConfig(), {rampTensor(ia3Key(kDown), {32, 1})});
        },
        {dir.file("w"), "down_proj.ia3_l", "[1, in]"}));
    auto nan = TensorData::fromFloat32(ia3Key(kK), {8, 1}, std::vector<float>(8, std::nanf("")));
    QVERIFY(throwsIoError([&] { writeIa3Adapter(dir.file("w"), llamaConfig(), {nan}); }, {"not finite"}));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(dir.file("w") + "/adapter_config.json")));
  }
};

MG_TEST_GUILESS_MAIN(Ia3AdapterTest)
#include "test_ia3_adapter.moc"
