// Hugging Face model folders: single-file and sharded weights, config fields, companion files,
// pickles refused, errors naming the path.
#include "support/test_registry.h"
#include <QtTest>

#include "io/hf_model_folder.h"
#include "io/safetensors_writer.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::rampTensor;
using mg::test::TempDir;
using mg::test::throwsIoError;

namespace {

const char* kConfig = R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4})";

std::vector<TensorData> smallModel() {
  return {rampTensor("model.embed_tokens.weight", {8, 4}),
          rampTensor("model.layers.0.mlp.up_proj.weight", {6, 4}), rampTensor("model.norm.weight", {4}),
          rampTensor("lm_head.weight", {8, 4}, 0, 0.5, DType::BF16)};
}

std::string makeFolder(const TempDir& dir, const std::string& name,
                       const std::map<std::string, std::string>& files) {
  const std::string folder = dir.file(name);
  QDir().mkpath(QString::fromStdString(folder));
  for (const auto& [file, content] : files)
    mg::test::writeBytes(folder + "/" + file, content);
  return folder;
}

void writeSharded(const std::string& folder, const std::vector<TensorData>& tensors) {
  std::vector<TensorInfo> infos;
  for (const auto& t : tensors)
    infos.push_back(t.info);
  const auto result = writeShardedSafetensors(
      folder, infos,
      [&](const TensorInfo& info) {
        for (const auto& t : tensors)
          if (t.info.name == info.name) return t;
        throw std::logic_error("unknown tensor");
      },
      {}, 200);
  QVERIFY(result.files.size() >= 2);
}

} // namespace

class HfModelFolderTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void singleFileModel() {
    TempDir dir;
    const std::string folder = makeFolder(dir, "llama",
                                          {{"config.json", kConfig},
                                           {"generation_config.json", "{}"},
                                           {"tokenizer.json", "{}"},
                                           {"tokenizer_config.json", "{}"},
                                           {"special_tokens_map.json", "{}"},
                                           {"tokenizer.model", "spm"},
                                           {"chat_template.jinja", "{{ messages }}"},
                                           {"README.md", "# model"},
                                           {".gitattributes", "*.safetensors filter=lfs"},
                                           {"training_args.bin", "pickle"},
                                           {"optimizer.pt", "pickle"}});
    QDir().mkpath(QString::fromStdString(folder + "/subfolder"));
    writeSafetensors(folder + "/model.safetensors", smallModel());
    HfModelFolder m(folder);
    QCOMPARE(m.kind(), SourceKind::HfModel);
    QCOMPARE(m.path(), folder);
    QCOMPARE(m.configJson(), std::string(kConfig));
    QCOMPARE(m.modelType(), std::string("llama"));
    QCOMPARE(m.architecture(), std::string("LlamaForCausalLM"));
    QCOMPARE(m.weights().kind(), SourceKind::Safetensors);
    QCOMPARE(m.tensors().size(), std::size_t(4));
    QCOMPARE(m.tensors().front().name, std::string("lm_head.weight"));
    QCOMPARE(m.metadata().at("format"), std::string("pt"));
    QVERIFY(m.load("lm_head.weight").bytes == smallModel()[3].bytes);
    const std::vector<std::string> companions = {"README.md",
                                                 "chat_template.jinja",
                                                 "config.json",
                                                 "generation_config.json",
                                                 "special_tokens_map.json",
                                                 "tokenizer.json",
                                                 "tokenizer.model",
                                                 "tokenizer_config.json"};
    QCOMPARE(m.companionFiles(), companions);
  }

  void shardedModelPrefersTheIndex() {
    TempDir dir;
    const std::string folder =
        makeFolder(dir, "sharded",
                   {{"config.json", R"({"model_type": "gpt2"})"}, {"vocab.json", "{}"}, {"merges.txt", "#"}});
    const auto tensors = smallModel();
    writeSharded(folder, tensors);
    // A stray single file beside the index: the index wins.
    writeSafetensors(folder + "/model.safetensors", {rampTensor("stray", {1})});
    HfModelFolder m(folder);
    QCOMPARE(m.weights().kind(), SourceKind::ShardedSafetensors);
    QCOMPARE(m.tensors().size(), tensors.size());
    QCOMPARE(m.modelType(), std::string("gpt2"));
    QCOMPARE(m.architecture(), std::string());
    QVERIFY(m.load("model.norm.weight").bytes == tensors[2].bytes);
    QCOMPARE(m.companionFiles(), (std::vector<std::string>{"config.json", "merges.txt", "vocab.json"}));
  }

  void otherWeightNames() {
    TempDir dir;
    // One safetensors file under another name (diffusers, adapters saved as models).
    const std::string single = makeFolder(dir, "single", {{"config.json", "{}"}});
    writeSafetensors(single + "/diffusion_pytorch_model.safetensors", smallModel());
    QCOMPARE(HfModelFolder(single).tensors().size(), std::size_t(4));

    const std::string two = makeFolder(dir, "two", {{"config.json", "{}"}});
    writeSafetensors(two + "/a.safetensors", smallModel());
    writeSafetensors(two + "/b.safetensors", smallModel());
    QVERIFY(throwsIoError([&] { HfModelFolder m(two); }, {two, "several .safetensors files"}));
  }

  void refusesPickles() {
    TempDir dir;
    const std::string folder =
        makeFolder(dir, "pickled", {{"config.json", kConfig}, {"pytorch_model.bin", "PK\x03\x04"}});
    QVERIFY(
        throwsIoError([&] { HfModelFolder m(folder); }, {folder, "pytorch_model.bin", "pickled weights",
                                                         "never unpickles", "convert them to safetensors"}));
    const std::string pt = makeFolder(dir, "pt", {{"config.json", kConfig}, {"model.pt", "PK"}});
    QVERIFY(throwsIoError([&] { HfModelFolder m(pt); }, {pt, "model.pt", "never unpickles"}));
  }

  void errorsNameThePath() {
    TempDir dir;
    const std::string noConfig = makeFolder(dir, "noconfig", {});
    writeSafetensors(noConfig + "/model.safetensors", smallModel());
    QVERIFY(throwsIoError([&] { HfModelFolder m(noConfig); }, {noConfig, "config.json"}));

    const std::string badJson = makeFolder(dir, "badjson", {{"config.json", "{\"model_type\": "}});
    writeSafetensors(badJson + "/model.safetensors", smallModel());
    QVERIFY(throwsIoError([&] { HfModelFolder m(badJson); }, {badJson + "/config.json", "not valid JSON"}));

    const std::string array = makeFolder(dir, "array", {{"config.json", "[1]"}});
    writeSafetensors(array + "/model.safetensors", smallModel());
    QVERIFY(throwsIoError([&] { HfModelFolder m(array); }, {array + "/config.json", "not a JSON object"}));

    const std::string noWeights = makeFolder(dir, "noweights", {{"config.json", kConfig}});
    QVERIFY(throwsIoError([&] { HfModelFolder m(noWeights); }, {noWeights, "model.safetensors"}));

    const std::string corrupt =
        makeFolder(dir, "corrupt", {{"config.json", kConfig}, {"model.safetensors", "xx"}});
    QVERIFY(throwsIoError([&] { HfModelFolder m(corrupt); }, {corrupt + "/model.safetensors"}));

    QVERIFY(throwsIoError([&] { HfModelFolder m(dir.file("missing")); },
                          {dir.file("missing"), "no such folder"}));
  }
};

MG_TEST_GUILESS_MAIN(HfModelFolderTest)
#include "test_hf_model_folder.moc"
