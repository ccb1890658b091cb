// openTensorSource: every kind detected from folder contents, file names or signatures; pickles
// refused; errors name the path.
#include "support/test_registry.h"
#include <QtTest>

#include "io/hdf5_checkpoint.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "io/tensor_source.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::infosOf;
using mg::test::rampTensor;
using mg::test::TempDir;
using mg::test::tensorNamed;
using mg::test::throwsIoError;

namespace {

std::vector<TensorData> tensors() {
  return {rampTensor("a.weight", {2, 3}), rampTensor("b", {4}, 1, 1, DType::F16)};
}

std::vector<TensorInfo> infos() {
  return infosOf(tensors());
}

TensorData produce(const TensorInfo& info) {
  return tensorNamed(tensors(), info.name);
}

std::string mkdir(const TempDir& dir, const std::string& name) {
  QDir().mkpath(QString::fromStdString(dir.file(name)));
  return dir.file(name);
}

SourceKind kindOf(const std::string& path) {
  const auto source = openTensorSource(path);
  if (source->path().empty()) throw std::logic_error("no path");
  return source->kind();
}

} // namespace

class OpenTensorSourceTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void detectsFiles() {
    TempDir dir;
    writeSafetensors(dir.file("model.safetensors"), tensors());
    QCOMPARE(kindOf(dir.file("model.safetensors")), SourceKind::Safetensors);
    QVERIFY(openTensorSource(dir.file("model.safetensors"))->load("b").bytes == tensors()[1].bytes);

    writeHdf5Checkpoint(dir.file("ck.h5"), infos(), produce);
    QCOMPARE(kindOf(dir.file("ck.h5")), SourceKind::Hdf5);
    writeHdf5Checkpoint(dir.file("ck.HDF5"), infos(), produce);
    QCOMPARE(kindOf(dir.file("ck.HDF5")), SourceKind::Hdf5);

    // No telling extension: the signature decides.
    writeHdf5Checkpoint(dir.file("weights.dat"), infos(), produce);
    QCOMPARE(kindOf(dir.file("weights.dat")), SourceKind::Hdf5);
    writeSafetensors(dir.file("weights.st"), tensors());
    QCOMPARE(kindOf(dir.file("weights.st")), SourceKind::Safetensors);
    const auto source = openTensorSource(dir.file("weights.dat"));
    QVERIFY(source->load("a.weight").bytes == tensors()[0].bytes);

    const std::string shards = mkdir(dir, "shards");
    writeShardedSafetensors(shards, infos(), produce, {}, 16);
    QCOMPARE(kindOf(shards + "/model.safetensors.index.json"), SourceKind::ShardedSafetensors);
  }

  void detectsFolders() {
    TempDir dir;
    const std::string hf = mkdir(dir, "hf");
    mg::test::writeBytes(hf + "/config.json", R"({"model_type": "bert"})");
    writeSafetensors(hf + "/model.safetensors", tensors());
    QCOMPARE(kindOf(hf), SourceKind::HfModel);

    const std::string peft = dir.file("peft");
    LoraConfig c;
    c.r = 2;
    c.loraAlpha = 2;
    writePeftAdapter(
        peft, c, {rampTensor(peftKey("q", "lora_A"), {2, 3}), rampTensor(peftKey("q", "lora_B"), {5, 2})});
    QCOMPARE(kindOf(peft), SourceKind::PeftAdapter);
    // An adapter folder that also has a config.json (saved with its base's config) is still an adapter.
    mg::test::writeBytes(peft + "/config.json", "{}");
    QCOMPARE(kindOf(peft), SourceKind::PeftAdapter);

    const std::string shards = mkdir(dir, "shards");
    writeShardedSafetensors(shards, infos(), produce, {}, 16);
    QCOMPARE(kindOf(shards), SourceKind::ShardedSafetensors);

    // An index under another prefix.
    const std::string other = mkdir(dir, "other");
    writeShardedSafetensors(other, infos(), produce, {}, 16, "diffusion_pytorch_model");
    QCOMPARE(kindOf(other), SourceKind::ShardedSafetensors);
  }

  void refusesPickles() {
    TempDir dir;
    for (const char* name : {"pytorch_model.bin", "model.pt", "model.pth", "last.ckpt"}) {
      mg::test::writeBytes(dir.file(name), "PK\x03\x04");
      QVERIFY2(throwsIoError(
                   [&] { openTensorSource(dir.file(name)); },
                   {dir.file(name), "pickled weights", "never unpickles", "convert them to safetensors"}),
               name);
    }
    mg::test::writeBytes(dir.file("pytorch_model.bin.index.json"), "{}");
    QVERIFY(throwsIoError([&] { openTensorSource(dir.file("pytorch_model.bin.index.json")); },
                          {"pytorch_model.bin.index.json", "never unpickles"}));

    const std::string hf = mkdir(dir, "hf");
    mg::test::writeBytes(hf + "/config.json", "{}");
    mg::test::writeBytes(hf + "/pytorch_model.bin", "PK");
    QVERIFY(throwsIoError([&] { openTensorSource(hf); }, {hf, "pytorch_model.bin", "never unpickles"}));

    const std::string bare = mkdir(dir, "bare");
    mg::test::writeBytes(bare + "/pytorch_model.bin", "PK");
    QVERIFY(throwsIoError([&] { openTensorSource(bare); }, {bare, "not a model folder", "never unpickles"}));
  }

  void errorsNameThePath() {
    TempDir dir;
    const std::string missing = dir.file("nothing-here");
    QVERIFY(throwsIoError([&] { openTensorSource(missing); }, {missing + ": no such file or folder"}));

    const std::string empty = mkdir(dir, "empty");
    mg::test::writeBytes(empty + "/notes.txt", "hello");
    QVERIFY(throwsIoError([&] { openTensorSource(empty); },
                          {empty + ": not a model folder: expected adapter_config.json, config.json, "
                                   "model.safetensors, a *.safetensors.index.json or task files"}));

    const std::string text = dir.file("notes.txt");
    mg::test::writeBytes(text, "hello, this is not a model");
    QVERIFY(throwsIoError([&] { openTensorSource(text); }, {text}));

    const std::string fakeH5 = dir.file("fake.h5");
    mg::test::writeBytes(fakeH5, "not hdf5");
    QVERIFY(throwsIoError([&] { openTensorSource(fakeH5); }, {fakeH5, "not an HDF5 file"}));

    const std::string badAdapter = mkdir(dir, "badadapter");
    mg::test::writeBytes(badAdapter + "/adapter_config.json", R"({"peft_type": "PROMPT_TUNING"})");
    writeSafetensors(badAdapter + "/adapter_model.safetensors", tensors());
    QVERIFY(throwsIoError([&] { openTensorSource(badAdapter); },
                          {badAdapter, "unsupported peft_type PROMPT_TUNING"}));
  }
};

MG_TEST_GUILESS_MAIN(OpenTensorSourceTest)
#include "test_open_tensor_source.moc"
