// PEFT LoRA adapters: config parsing and writing, rank/alpha patterns, key forms (Linear, embedding,
// DoRA, modules_to_save, adapter names left in), validation against a base and every rejection rule.
#include "support/test_registry.h"
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::FakeSource;
using mg::test::rampTensor;
using mg::test::TempDir;
using mg::test::throwsIoError;

namespace {

const std::string kQ = "model.layers.0.self_attn.q_proj";
const std::string kV = "model.layers.0.self_attn.v_proj";

LoraConfig config(int r, double alpha) {
  LoraConfig c;
  c.r = r;
  c.loraAlpha = alpha;
  return c;
}

// lora_A [r, in] and lora_B [out, r] of a Linear module.
std::vector<TensorData> linearFactors(const std::string& module, int in, int out, int r) {
  return {rampTensor(peftKey(module, "lora_A"), {r, in}, 0.0f, 0.01f),
          rampTensor(peftKey(module, "lora_B"), {out, r}, 1.0f, -0.02f)};
}

template <typename... Lists> std::vector<TensorData> concat(Lists... lists) {
  std::vector<TensorData> all;
  (all.insert(all.end(), lists.begin(), lists.end()), ...);
  return all;
}

// Writes an adapter folder by hand: any config text, any tensors.
std::string handAdapter(const TempDir& dir, const std::string& name, const std::string& configJson,
                        const std::vector<TensorData>& tensors) {
  const std::string folder = dir.file(name);
  QDir().mkpath(QString::fromStdString(folder));
  mg::test::writeBytes(folder + "/adapter_config.json", configJson);
  writeSafetensors(folder + "/adapter_model.safetensors", tensors);
  return folder;
}

std::string configText(const std::string& extra = "") {
  return R"({"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"])" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

FakeSource llamaBase(int hidden = 16) {
  return FakeSource("/models/base", {{kQ + ".weight", DType::BF16, {hidden, hidden}},
                                     {kV + ".weight", DType::BF16, {hidden / 2, hidden}},
                                     {"model.embed_tokens.weight", DType::BF16, {10, hidden}},
                                     {"score.weight", DType::F32, {2, hidden}}});
}

} // namespace

class PeftAdapterTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void writesAndReadsBack() {
    TempDir dir;
    LoraConfig c = config(4, 8);
    c.targetModules = {"q_proj", "v_proj"};
    c.baseModelNameOrPath = "meta-llama/Llama-3.2-1B";
    c.bias = "none";
    const auto factors = concat(linearFactors(kQ, 16, 16, 4), linearFactors(kV, 16, 8, 4));
    const std::string folder = dir.file("adapter");
    writePeftAdapter(folder, c, factors, {{"merganser", "test"}});
    QCOMPARE(mg::test::listFolder(folder),
             (std::vector<std::string>{"adapter_config.json", "adapter_model.safetensors"}));

    PeftAdapter a(folder);
    QCOMPARE(a.kind(), SourceKind::PeftAdapter);
    QCOMPARE(a.path(), folder);
    QCOMPARE(a.tensors().size(), std::size_t(4));
    QCOMPARE(a.metadata().at("merganser"), std::string("test"));
    QCOMPARE(a.config().r, 4);
    QCOMPARE(a.config().loraAlpha, 8.0);
    QCOMPARE(a.config().targetModules, c.targetModules);
    QCOMPARE(a.config().baseModelNameOrPath, c.baseModelNameOrPath);
    QVERIFY(a.replacements().empty());
    QCOMPARE(a.modules().size(), std::size_t(2));
    const LoraModule& q = a.modules()[0];
    QCOMPARE(q.module, kQ);
    QCOMPARE(q.baseTensor, kQ + ".weight");
    QCOMPARE(q.loraA, "base_model.model." + kQ + ".lora_A.weight");
    QCOMPARE(q.loraB, "base_model.model." + kQ + ".lora_B.weight");
    QCOMPARE(q.rank, 4);
    QCOMPARE(q.scaling, 2.0);
    QVERIFY(!q.embedding);
    QVERIFY(!q.magnitude);
    QCOMPARE(a.modules()[1].module, kV);
    QVERIFY(a.load(q.loraB).bytes == factors[1].bytes);
    a.validateAgainst(llamaBase());
  }

  void configJsonIsAValidPeftConfig() {
    LoraConfig c = config(8, 16);
    c.targetModules = {"q_proj"};
    c.rankPattern = {{"z_proj", 2}, {"a_proj", 4}};
    c.alphaPattern = {{"z_proj", 2.5}};
    const auto j = nlohmann::ordered_json::parse(c.toJson());
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items())
      keys.push_back(k);
    const std::vector<std::string> expected = {"peft_type",
                                               "task_type",
                                               "r",
                                               "lora_alpha",
                                               "lora_dropout",
                                               "target_modules",
                                               "fan_in_fan_out",
                                               "bias",
                                               "use_rslora",
                                               "use_dora",
                                               "modules_to_save",
                                               "rank_pattern",
                                               "alpha_pattern",
                                               "base_model_name_or_path",
                                               "inference_mode",
                                               "init_lora_weights",
                                               "layers_to_transform",
                                               "layers_pattern",
                                               "revision"};
    QCOMPARE(keys, expected);
    QCOMPARE(j["peft_type"].get<std::string>(), std::string("LORA"));
    QVERIFY(j["lora_alpha"].is_number_integer()); // 16, not 16.0, as PEFT writes it
    QVERIFY(j["task_type"].is_null());
    QVERIFY(j["modules_to_save"].is_null());
    QCOMPARE(j["lora_dropout"].get<int>(), 0);
    QCOMPARE(j["inference_mode"].get<bool>(), true);
    QCOMPARE(j["rank_pattern"].begin().key(), std::string("z_proj")); // file order kept
    QCOMPARE(j["alpha_pattern"]["z_proj"].get<double>(), 2.5);

    const LoraConfig back = LoraConfig::fromJson(c.toJson(), "adapter_config.json");
    QCOMPARE(back.rankPattern, c.rankPattern);
    QCOMPARE(back.alphaPattern, c.alphaPattern);
    QCOMPARE(back.targetModules, c.targetModules);

    // A single target_modules string (a regex for PEFT) stays a string.
    LoraConfig all = config(8, 16);
    all.targetModules = {"all-linear"};
    all.targetModulesIsString = true;
    QVERIFY(nlohmann::json::parse(all.toJson())["target_modules"].is_string());
    QVERIFY(LoraConfig::fromJson(all.toJson(), "x").targetModulesIsString);
  }

  void parsesEveryField() {
    const LoraConfig c = LoraConfig::fromJson(
        R"({"peft_type": "LORA", "r": 16, "lora_alpha": 32.5, "use_rslora": true, "fan_in_fan_out": true,
            "use_dora": true, "bias": "lora_only", "target_modules": "q_proj|v_proj",
            "rank_pattern": {"b": 2, "a": 4}, "alpha_pattern": {"b": 1.5},
            "modules_to_save": ["score"], "base_model_name_or_path": "gpt2", "task_type": "CAUSAL_LM",
            "lora_dropout": 0.05, "layers_to_transform": null})",
        "adapter_config.json");
    QCOMPARE(c.r, 16);
    QCOMPARE(c.loraAlpha, 32.5);
    QVERIFY(c.useRslora && c.fanInFanOut && c.useDora);
    QCOMPARE(c.bias, std::string("lora_only"));
    QCOMPARE(c.targetModules, std::vector<std::string>{"q_proj|v_proj"});
    QVERIFY(c.targetModulesIsString);
    QCOMPARE(c.rankPattern, (std::vector<std::pair<std::string, int>>{{"b", 2}, {"a", 4}}));
    QCOMPARE(c.alphaPattern, (std::vector<std::pair<std::string, double>>{{"b", 1.5}}));
    QCOMPARE(c.modulesToSave, std::vector<std::string>{"score"});
    QCOMPARE(c.baseModelNameOrPath, std::string("gpt2"));

    const LoraConfig nulls = LoraConfig::fromJson(
        R"({"peft_type": "LORA", "modules_to_save": null, "target_modules": null, "rank_pattern": null})",
        "x");
    QCOMPARE(nulls.r, 8);
    QVERIFY(nulls.modulesToSave.empty() && nulls.targetModules.empty() && nulls.rankPattern.empty());
  }

  void rejectsBadConfigFields() {
    const std::string file = "/adapters/a/adapter_config.json";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"peft_type": "IA3", "r": 8})", "unsupported peft_type IA3"},
        {R"({"r": 8})", "unsupported peft_type"},
        {R"({"peft_type": "LORA", "r": "8"})", "field 'r' must be an integer"},
        {R"({"peft_type": "LORA", "r": 8.5})", "field 'r' must be an integer"},
        {R"({"peft_type": "LORA", "r": 4294967296})", "field 'r' must be an integer that fits in 32 bits"},
        {R"({"peft_type": "LORA", "lora_alpha": "x"})", "field 'lora_alpha' must be a number"},
        {R"({"peft_type": "LORA", "use_rslora": 1})", "field 'use_rslora' must be true or false"},
        {R"({"peft_type": "LORA", "target_modules": [1]})", "field 'target_modules'"},
        {R"({"peft_type": "LORA", "rank_pattern": []})", "field 'rank_pattern' must be an object"},
        {R"({"peft_type": "LORA", "rank_pattern": {"q": 2.5}})",
         "field 'rank_pattern['q']' must be an integer"},
        {R"({"peft_type": "LORA", "alpha_pattern": {"q": "2"}})",
         "field 'alpha_pattern['q']' must be a number"},
        // Not a raw string: moc's tokenizer loses track of a raw string holding "(" and skips the class.
        {"{\"peft_type\": \"LORA\", \"rank_pattern\": {\"(\": 2}}", "regular expression"},
        {R"({"peft_type": "LORA", "modules_to_save": "score"})", "modules_to_save"},
        {R"({"peft_type": "LORA", "bias": false})", "field 'bias' must be a string"},
        {"[1, 2]", "not a JSON object"},
        {"{\"peft_type\": ", "not valid JSON"}};
    for (const auto& c : cases)
      QVERIFY2(throwsIoError([&] { LoraConfig::fromJson(c.first, file); }, {file, c.second}),
               c.first.c_str());
  }

  void patternsFirstMatchWinsAndAreAnchored() {
    LoraConfig c = config(8, 16);
    c.rankPattern = {{"layers\\.0\\.self_attn\\.q_proj", 2}, {"q_proj", 6}};
    c.alphaPattern = {{"v_proj", 3}, {"layers\\.1\\..*", 5}};
    QCOMPARE(c.rankFor("model.layers.0.self_attn.q_proj"), 2); // both keys match: the first wins
    QCOMPARE(c.rankFor("model.layers.1.self_attn.q_proj"), 6);
    QCOMPARE(c.rankFor("q_proj"), 6);                     // (.*\.)? is optional
    QCOMPARE(c.rankFor("model.layers.0.xq_proj"), 8);     // a key matches whole components only
    QCOMPARE(c.rankFor("model.layers.0.q_proj.lora"), 8); // ... and at the end
    QCOMPARE(c.alphaFor("model.layers.1.self_attn.v_proj"), 3.0);
    QCOMPARE(c.alphaFor("model.layers.1.self_attn.k_proj"), 5.0);
    QCOMPARE(c.alphaFor("model.layers.2.self_attn.k_proj"), 16.0);
    QCOMPARE(c.scalingFor("model.layers.0.self_attn.q_proj"), 8.0); // 16 / 2
    QCOMPARE(c.scalingFor("model.layers.0.self_attn.v_proj"), 3.0 / 8.0);

    // File order decides: the same keys the other way round.
    const LoraConfig reversed = LoraConfig::fromJson(
        R"({"peft_type": "LORA", "r": 8, "rank_pattern": {"q_proj": 6, "layers\\.0\\.self_attn\\.q_proj": 2}})",
        "x");
    QCOMPARE(reversed.rankFor("model.layers.0.self_attn.q_proj"), 6);
  }

  void rsLoraAndPatternsInAnAdapter() {
    TempDir dir;
    LoraConfig c = config(4, 8);
    c.useRslora = true;
    c.rankPattern = {{"v_proj", 2}};
    c.alphaPattern = {{"v_proj", 4}};
    writePeftAdapter(dir.file("rs"), c, concat(linearFactors(kQ, 16, 16, 4), linearFactors(kV, 16, 8, 2)));
    PeftAdapter a(dir.file("rs"));
    QCOMPARE(a.modules()[0].rank, 4);
    QCOMPARE(a.modules()[0].scaling, 8.0 / 2.0); // alpha / sqrt(r)
    QCOMPARE(a.modules()[1].rank, 2);
    QCOMPARE(a.modules()[1].scaling, 4.0 / std::sqrt(2.0));
    // The written config names the adapted modules, so PEFT can load it.
    QCOMPARE(a.config().targetModules, (std::vector<std::string>{kQ, kV}));
  }

  void fanInFanOutShapes() {
    TempDir dir;
    const std::string module = "h.0.attn.c_attn";
    const FakeSource gpt2("/models/gpt2", {{module + ".weight", DType::F32, {8, 24}}}); // Conv1D: [in, out]
    LoraConfig c = config(2, 2);
    c.fanInFanOut = true;
    writePeftAdapter(dir.file("conv1d"), c, linearFactors(module, 8, 24, 2));
    PeftAdapter(dir.file("conv1d")).validateAgainst(gpt2);

    c.fanInFanOut = false; // now B·A [24, 8] does not fit the stored [8, 24]
    writePeftAdapter(dir.file("linear"), c, linearFactors(module, 8, 24, 2));
    const std::string folder = dir.file("linear");
    QVERIFY(throwsIoError([&] { PeftAdapter(folder).validateAgainst(gpt2); },
                          {folder, module, "[24, 8]", "[8, 24]", "/models/gpt2"}));
  }

  void embeddingAdapters() {
    TempDir dir;
    const std::string module = "model.embed_tokens";
    const std::string folder =
        handAdapter(dir, "emb", configText(),
                    {rampTensor("base_model.model." + module + ".lora_embedding_A", {4, 10}),
                     rampTensor("base_model.model." + module + ".lora_embedding_B", {16, 4})});
    PeftAdapter a(folder);
    QCOMPARE(a.modules().size(), std::size_t(1));
    QVERIFY(a.modules()[0].embedding);
    QCOMPARE(a.modules()[0].baseTensor, module + ".weight");
    QCOMPARE(a.modules()[0].rank, 4);
    a.validateAgainst(llamaBase()); // base [10, 16] = (B·A)ᵀ
    QVERIFY(throwsIoError([&] { a.validateAgainst(llamaBase(20)); }, {folder, module}));
    QCOMPARE(peftKey(module, "lora_embedding_A"), "base_model.model." + module + ".lora_embedding_A");
  }

  void doraMagnitudes() {
    TempDir dir;
    LoraConfig c = config(4, 8);
    c.useDora = true;
    auto factors = linearFactors(kV, 16, 8, 4);
    factors.push_back(rampTensor(peftKey(kV, "lora_magnitude_vector"), {8}, 1.0f));
    QCOMPARE(factors.back().info.name, "base_model.model." + kV + ".lora_magnitude_vector.weight");
    writePeftAdapter(dir.file("dora"), c, factors);
    PeftAdapter a(dir.file("dora"));
    QCOMPARE(a.modules()[0].magnitude.value(), factors.back().info.name);
    QVERIFY(a.config().useDora);
    a.validateAgainst(llamaBase());

    // The older key form without ".weight".
    auto old = linearFactors(kV, 16, 8, 4);
    old.push_back(rampTensor("base_model.model." + kV + ".lora_magnitude_vector", {8}));
    PeftAdapter b(handAdapter(dir, "dora-old", configText(R"("use_dora": true)"), old));
    QCOMPARE(b.modules()[0].magnitude.value(), old.back().info.name);

    auto wrong = linearFactors(kV, 16, 8, 4);
    wrong.push_back(rampTensor(peftKey(kV, "lora_magnitude_vector"), {16}));
    const std::string folder = handAdapter(dir, "dora-wrong", configText(), wrong);
    QVERIFY(throwsIoError([&] { PeftAdapter x(folder); }, {folder, "magnitude", "[8]", "[16]"}));
  }

  void modulesToSaveAreReplacements() {
    TempDir dir;
    const auto tensors =
        concat(linearFactors(kQ, 16, 16, 4),
               std::vector<TensorData>{rampTensor("base_model.model.score.weight", {2, 16}),
                                       rampTensor("base_model.model." + kQ + ".bias", {16})});
    const std::string folder =
        handAdapter(dir, "save", configText(R"("modules_to_save": ["score"])"), tensors);
    PeftAdapter a(folder);
    QCOMPARE(a.modules().size(), std::size_t(1));
    const std::map<std::string, std::string> expected = {{"score.weight", "base_model.model.score.weight"},
                                                         {kQ + ".bias", "base_model.model." + kQ + ".bias"}};
    QCOMPARE(a.replacements(), expected);
    FakeSource base("/models/base", {{kQ + ".weight", DType::BF16, {16, 16}},
                                     {kQ + ".bias", DType::BF16, {16}},
                                     {"score.weight", DType::F32, {2, 16}}});
    a.validateAgainst(base);
    FakeSource smaller("/models/small", {{kQ + ".weight", DType::BF16, {16, 16}},
                                         {kQ + ".bias", DType::BF16, {16}},
                                         {"score.weight", DType::F32, {3, 16}}});
    QVERIFY(
        throwsIoError([&] { a.validateAgainst(smaller); }, {folder, "score.weight", "[2, 16]", "[3, 16]"}));
    FakeSource noBias("/models/nobias",
                      {{kQ + ".weight", DType::BF16, {16, 16}}, {"score.weight", DType::F32, {2, 16}}});
    QVERIFY(throwsIoError([&] { a.validateAgainst(noBias); }, {folder, kQ + ".bias", "/models/nobias"}));

    // Uncleaned modules_to_save keys name the module's own tensor.
    const std::string raw =
        handAdapter(dir, "save-raw", configText(),
                    {rampTensor("base_model.model.classifier.modules_to_save.default.weight", {2, 16})});
    QCOMPARE(PeftAdapter(raw).replacements().begin()->first, std::string("classifier.weight"));
  }

  void adapterNamesLeftInKeys() {
    TempDir dir;
    const std::string folder =
        handAdapter(dir, "named", configText(),
                    {rampTensor("base_model.model." + kQ + ".lora_A.default.weight", {4, 16}),
                     rampTensor("base_model.model." + kQ + ".lora_B.default.weight", {16, 4}),
                     rampTensor("base_model.model.model.embed_tokens.lora_embedding_A.default", {4, 10}),
                     rampTensor("base_model.model.model.embed_tokens.lora_embedding_B.default", {16, 4})});
    PeftAdapter a(folder);
    QCOMPARE(a.modules().size(), std::size_t(2));
    QCOMPARE(a.modules()[0].module, std::string("model.embed_tokens"));
    QCOMPARE(a.modules()[1].module, kQ);
    QVERIFY(a.replacements().empty());
    a.validateAgainst(llamaBase());
  }

  void rejectsInconsistentAdapters() {
    TempDir dir;
    int n = 0;
    // Each case: config text and tensors that must be refused, with what the message must say.
    auto rejects = [&](const std::string& configJson, const std::vector<TensorData>& tensors,
                       const std::vector<std::string>& needles) {
      const std::string folder = handAdapter(dir, "bad" + std::to_string(n++), configJson, tensors);
      auto all = needles;
      all.push_back(folder);
      return throwsIoError([&] { PeftAdapter a(folder); }, all);
    };
    const auto q = linearFactors(kQ, 16, 16, 4);
    const auto tensor = [](const std::string& suffix, std::vector<std::int64_t> shape, DType t = DType::F32) {
      return rampTensor("base_model.model." + kQ + suffix, std::move(shape), 0, 1, t);
    };
    struct Case {
      std::string config;
      std::vector<TensorData> tensors;
      std::vector<std::string> needles;
    };
    const std::vector<Case> cases = {
        // r in the config, or a rank pattern, does not match lora_A's rows.
        {R"({"peft_type": "LORA", "r": 8, "lora_alpha": 8})", q, {kQ, "rank 8", "4 rows"}},
        {configText(R"("rank_pattern": {"q_proj": 2})"), q, {kQ, "rank 2"}},
        // lora_A rows vs lora_B columns.
        {configText(), {q[0], tensor(".lora_B.weight", {16, 3})}, {kQ, "3 columns"}},
        // r <= 0.
        {R"({"peft_type": "LORA", "r": 0, "lora_alpha": 8})", q, {"r must be positive"}},
        {R"({"peft_type": "LORA", "r": -4, "lora_alpha": 8})", q, {"r must be positive"}},
        {configText(R"("rank_pattern": {"v_proj": 0})"), q, {"rank_pattern['v_proj'] must be positive"}},
        // Non-finite alpha: Python writes NaN (not JSON), nlohmann writes it as null, 1e999 overflows.
        {R"({"peft_type": "LORA", "r": 4, "lora_alpha": NaN})", q, {"adapter_config.json", "not valid JSON"}},
        {R"({"peft_type": "LORA", "r": 4, "lora_alpha": null})", q, {"field 'lora_alpha' must be a number"}},
        {R"({"peft_type": "LORA", "r": 4, "lora_alpha": 1e999})",
         q,
         {"adapter_config.json", "not valid JSON"}},
        {configText(R"("alpha_pattern": {"q_proj": -1e999})"), q, {"not valid JSON"}},
        {configText(R"("alpha_pattern": {"q_proj": null})"),
         q,
         {"alpha_pattern['q_proj']' must be a number"}},
        // A without B, B without A, a magnitude alone.
        {configText(), {q[0]}, {kQ, "lora_A but no lora_B"}},
        {configText(), {q[1]}, {kQ, "lora_B but no lora_A"}},
        {configText(), {tensor(".lora_magnitude_vector.weight", {16})}, {kQ, "magnitude but no lora_A"}},
        // Factors must be 2-D, floating point, in a key form PEFT writes.
        {configText(), {tensor(".lora_A.weight", {4, 16, 1}), q[1]}, {"must be 2-D"}},
        {configText(), {tensor(".lora_A.weight", {4, 16}, DType::I32), q[1]}, {"floating point"}},
        {configText(),
         {q[0], q[1], tensor(".lora_B.bias", {16})},
         {"unsupported LoRA tensor", "lora_B.bias"}},
        {configText(), {rampTensor(kQ + ".lora_A.weight", {4, 16})}, {"not a PEFT key"}},
        {configText(), {q[0], q[1], tensor(".lora_A.default.weight", {4, 16})}, {"two tensors"}},
        // Embedding and Linear factors mixed in one module.
        {configText(), {q[0], tensor(".lora_embedding_B", {16, 4})}, {"mixes embedding and linear"}},
        // Other PEFT methods.
        {R"({"peft_type": "LOHA"})", q, {"unsupported peft_type LOHA"}}};
    for (const auto& c : cases)
      QVERIFY2(rejects(c.config, c.tensors, c.needles), c.needles.back().c_str());
  }

  void refusesToWriteUnreadableConfigs() {
    TempDir dir;
    const std::string folder = dir.file("nan");
    QVERIFY(throwsIoError(
        [&] { writePeftAdapter(folder, config(4, std::nan("")), linearFactors(kQ, 16, 16, 4)); },
        {folder, "lora_alpha is not a finite number"}));
    QVERIFY(throwsIoError([&] { writePeftAdapter(folder, config(0, 8), linearFactors(kQ, 16, 16, 4)); },
                          {folder, "r must be positive"}));
    QVERIFY(mg::test::listFolder(dir.path()).empty());
  }

  void rejectsMissingTargetsAndShapeMismatches() {
    TempDir dir;
    writePeftAdapter(dir.file("a"), config(4, 8), linearFactors("model.layers.5.mlp.up_proj", 16, 32, 4));
    const std::string folder = dir.file("a");
    PeftAdapter a(folder);
    const FakeSource base = llamaBase();
    QVERIFY(throwsIoError([&] { a.validateAgainst(base); },
                          {folder + ": target module 'model.layers.5.mlp.up_proj' has no weight "
                                    "'model.layers.5.mlp.up_proj.weight' in base /models/base"}));

    writePeftAdapter(dir.file("b"), config(4, 8), linearFactors(kV, 16, 16, 4)); // v_proj is [8, 16]
    QVERIFY(throwsIoError([&] { PeftAdapter(dir.file("b")).validateAgainst(base); },
                          {dir.file("b"), kV, "[16, 16]", "[8, 16]"}));

    const FakeSource flat("/models/flat", {{kV + ".weight", DType::F32, {128}}});
    writePeftAdapter(dir.file("c"), config(4, 8), linearFactors(kV, 16, 8, 4));
    QVERIFY(throwsIoError([&] { PeftAdapter(dir.file("c")).validateAgainst(flat); }, {dir.file("c"), "2-D"}));
  }

  void rejectsFoldersThatAreNotAdapters() {
    TempDir dir;
    const std::string pickled = dir.file("pickled");
    QDir().mkpath(QString::fromStdString(pickled));
    mg::test::writeBytes(pickled + "/adapter_config.json", configText());
    mg::test::writeBytes(pickled + "/adapter_model.bin", "PK\x03\x04 pickle");
    QVERIFY(throwsIoError(
        [&] { PeftAdapter a(pickled); },
        {pickled, "pickled adapter weights (adapter_model.bin) are not loaded; convert to safetensors"}));
    const std::string noWeights = dir.file("noweights");
    QDir().mkpath(QString::fromStdString(noWeights));
    mg::test::writeBytes(noWeights + "/adapter_config.json", configText());
    QVERIFY(throwsIoError([&] { PeftAdapter a(noWeights); }, {noWeights, "adapter_model.safetensors"}));
    const std::string noConfig = dir.file("noconfig");
    QDir().mkpath(QString::fromStdString(noConfig));
    writeSafetensors(noConfig + "/adapter_model.safetensors", linearFactors(kQ, 16, 16, 4));
    QVERIFY(throwsIoError([&] { PeftAdapter a(noConfig); }, {noConfig, "adapter_config.json"}));
    QVERIFY(
        throwsIoError([&] { PeftAdapter a(dir.file("missing")); }, {dir.file("missing"), "no such folder"}));
  }
};

MG_TEST_GUILESS_MAIN(PeftAdapterTest)
#include "test_peft_adapter.moc"
