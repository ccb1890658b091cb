// One rule set for what a path is: for every kind of path a user drops or lists, classifySourcePath (the node
// a drop becomes, what the Library lists) and openTensorSource (what is opened) agree. A model or adapter
// opens; task data is tasks and refused as weights; anything refused is refused by both with the same reason.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <functional>
#include <optional>

#include "io/hdf5_checkpoint.h"
#include "io/path_kind.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "io/source_classifier.h"
#include "io/task_file.h"
#include "io/tensor_source.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

using namespace mg::io;
using mg::test::infosOf;
using mg::test::rampTensor;
using mg::test::TempDir;
using mg::test::tensorNamed;
using mg::test::writeBytes;
namespace fs = std::filesystem;

namespace {

std::vector<TensorData> tensors() {
  return {rampTensor("a.weight", {2, 3}), rampTensor("b", {4})};
}

std::vector<TensorInfo> infos() {
  return infosOf(tensors());
}

TensorData produce(const TensorInfo& info) {
  return tensorNamed(tensors(), info.name);
}

TaskData task(const std::string& name) {
  TaskData t;
  t.name = name;
  t.labelNames = {"no", "yes"};
  t.split = "test";
  t.inputShape = {2, 2};
  t.inputs = {0, 1, 2, 3};
  t.labels = {0, 1};
  return t;
}

std::string folder(const std::string& path) {
  fs::create_directories(path);
  return path;
}

void adapter(const std::string& path) {
  LoraConfig c;
  c.r = 2;
  c.loraAlpha = 2;
  writePeftAdapter(path, c,
                   {rampTensor(peftKey("q", "lora_A"), {2, 3}), rampTensor(peftKey("q", "lora_B"), {5, 2})});
}

// One path to decide. `make` builds it under `root` and returns it; `listed` says whether the Library lists
// it when it is recognised (a config.json or a shard index inside a model folder is listed as that folder).
struct Case {
  const char* what;
  std::function<std::string(const std::string& root)> make;
  std::optional<SourceRole> role;
  bool listed = true;
};

std::vector<Case> cases() {
  return {
      {"safetensors file",
       [](const std::string& r) {
         writeSafetensors(r + "/w.safetensors", tensors());
         return r + "/w.safetensors";
       },
       SourceRole::Model},
      {"safetensors under another suffix",
       [](const std::string& r) {
         writeSafetensors(r + "/weights.st", tensors());
         return r + "/weights.st";
       },
       SourceRole::Model},
      {"HDF5 checkpoint",
       [](const std::string& r) {
         writeHdf5Checkpoint(r + "/ck.h5", infos(), produce);
         return r + "/ck.h5";
       },
       SourceRole::Model},
      {"HDF5 checkpoint under another suffix",
       [](const std::string& r) {
         writeHdf5Checkpoint(r + "/weights.dat", infos(), produce);
         return r + "/weights.dat";
       },
       SourceRole::Model},
      {"task file",
       [](const std::string& r) {
         writeTaskFile(r + "/t.h5", task("t"));
         return r + "/t.h5";
       },
       SourceRole::Tasks},
      {"task file under another suffix",
       [](const std::string& r) {
         writeTaskFile(r + "/t.h5", task("t"));
         fs::rename(r + "/t.h5", r + "/t.data");
         return r + "/t.data";
       },
       SourceRole::Tasks},
      {"task folder",
       [](const std::string& r) {
         const auto f = folder(r + "/tasks");
         writeTaskFile(f + "/a.h5", task("a"));
         writeTaskFile(f + "/b.h5", task("b"));
         return f;
       },
       SourceRole::Tasks},
      {"folder holding just model.safetensors",
       [](const std::string& r) {
         const auto f = folder(r + "/m");
         writeSafetensors(f + "/model.safetensors", tensors());
         return f;
       },
       SourceRole::Model},
      {"sharded folder",
       [](const std::string& r) {
         const auto f = folder(r + "/shards");
         writeShardedSafetensors(f, infos(), produce, {}, 16);
         return f;
       },
       SourceRole::Model},
      {"folder with one index under another prefix",
       [](const std::string& r) {
         const auto f = folder(r + "/unet");
         writeShardedSafetensors(f, infos(), produce, {}, 16, "diffusion_pytorch_model");
         return f;
       },
       SourceRole::Model},
      {"index file given directly",
       [](const std::string& r) {
         const auto f = folder(r + "/shards");
         writeShardedSafetensors(f, infos(), produce, {}, 16, "diffusion_pytorch_model");
         return f + "/diffusion_pytorch_model.safetensors.index.json";
       },
       SourceRole::Model, false},
      {"Hugging Face model folder",
       [](const std::string& r) {
         const auto f = folder(r + "/hf");
         writeBytes(f + "/config.json", R"({"model_type": "bert"})");
         writeSafetensors(f + "/model.safetensors", tensors());
         return f;
       },
       SourceRole::Model},
      {"config.json given directly",
       [](const std::string& r) {
         const auto f = folder(r + "/hf");
         writeBytes(f + "/config.json", R"({"model_type": "bert"})");
         writeSafetensors(f + "/model.safetensors", tensors());
         return f + "/config.json";
       },
       SourceRole::Model, false},
      {"PEFT adapter folder",
       [](const std::string& r) {
         adapter(r + "/lora");
         return r + "/lora";
       },
       SourceRole::Adapter},
      {"adapter_config.json given directly",
       [](const std::string& r) {
         adapter(r + "/lora");
         return r + "/lora/adapter_config.json";
       },
       SourceRole::Adapter, false},
      {"model folder with only pickled weights",
       [](const std::string& r) {
         const auto f = folder(r + "/hf");
         writeBytes(f + "/config.json", "{}");
         writeBytes(f + "/pytorch_model.bin", "PK");
         return f;
       },
       std::nullopt},
      {"adapter with only pickled weights",
       [](const std::string& r) {
         const auto f = folder(r + "/lora");
         writeBytes(f + "/adapter_config.json", R"({"peft_type": "LORA", "r": 2, "lora_alpha": 2})");
         writeBytes(f + "/adapter_model.bin", "PK");
         return f;
       },
       std::nullopt},
      {"folder of pickles",
       [](const std::string& r) {
         const auto f = folder(r + "/bare");
         writeBytes(f + "/pytorch_model.bin", "PK");
         return f;
       },
       std::nullopt},
      {"pickle file",
       [](const std::string& r) {
         writeBytes(r + "/model.pt", "PK\x03\x04");
         return r + "/model.pt";
       },
       std::nullopt},
      {"pickled shard index",
       [](const std::string& r) {
         writeBytes(r + "/pytorch_model.bin.index.json", "{}");
         return r + "/pytorch_model.bin.index.json";
       },
       std::nullopt},
      {"folder with two indexes",
       [](const std::string& r) {
         const auto f = folder(r + "/two");
         writeShardedSafetensors(f, infos(), produce, {}, 16, "a");
         writeShardedSafetensors(f, infos(), produce, {}, 16, "b");
         return f;
       },
       std::nullopt},
      {"model folder with two safetensors files and no index",
       [](const std::string& r) {
         const auto f = folder(r + "/hf");
         writeBytes(f + "/config.json", "{}");
         writeSafetensors(f + "/a.safetensors", tensors());
         writeSafetensors(f + "/b.safetensors", tensors());
         return f;
       },
       std::nullopt},
      {"text file",
       [](const std::string& r) {
         writeBytes(r + "/notes.txt", "hello, this is not a model");
         return r + "/notes.txt";
       },
       std::nullopt},
      {"folder without weights",
       [](const std::string& r) {
         const auto f = folder(r + "/empty");
         writeBytes(f + "/notes.txt", "hello");
         return f;
       },
       std::nullopt},
      {"missing path", [](const std::string& r) { return r + "/nothing-here"; }, std::nullopt},
  };
}

std::string roleText(const std::optional<SourceRole>& role) {
  return role ? sourceRoleName(*role) : "refused";
}

// What openTensorSource does with `path`: "" when it opens, else its error.
std::string openError(const std::string& path) {
  try {
    openTensorSource(path);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

// Whether the Library lists `path` when it scans `root`. A weights file beside it keeps `root` itself from
// being a task folder, so the walk reaches `path`.
bool listedBy(const std::string& root, const std::string& path) {
  writeSafetensors(root + "/beside.safetensors", tensors());
  const auto wanted = fs::absolute(path).lexically_normal().string();
  for (const auto& found : findSources(root))
    if (found.path == wanted) return true;
  return false;
}

} // namespace

class PathKindTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void classifierAndOpenerAgree() {
    QStringList disagreements; // every case that fails, not only the first
    for (const Case& c : cases()) {
      TempDir dir;
      const std::string path = c.make(dir.path());
      const Classification classification = classifySourcePath(path);
      const std::string error = openError(path);
      const auto disagree = [&](const char* how) {
        disagreements << QString::asprintf("%s (%s): role %s, open: %s", c.what, how,
                                           roleText(classification.role).c_str(),
                                           error.empty() ? "opens" : error.c_str());
      };
      if (classification.role != c.role) disagree("role");
      if (c.role == SourceRole::Model || c.role == SourceRole::Adapter) {
        if (!error.empty()) disagree("does not open");
      } else if (c.role == SourceRole::Tasks) {
        if (error.find("not weights") == std::string::npos) disagree("opens as weights");
        if (readTaskSet(path).empty()) disagree("no tasks");
      } else if (classification.reason.empty() || error != path + ": " + classification.reason) {
        disagree("refused differently"); // both refuse, with the same one-line reason after the path
      }
      if (c.listed && listedBy(dir.path(), path) != c.role.has_value()) disagree("Library listing");
    }
    QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(QLatin1Char('\n'))));
  }

  void picklesAreRefusedAsPickles() {
    for (const Case& c : cases()) {
      const std::string name = c.what;
      if (name.find("pickle") == std::string::npos) continue;
      TempDir dir;
      const std::string reason = classifySourcePath(c.make(dir.path())).reason;
      QVERIFY2(reason.find("never unpickles") != std::string::npos, (name + ": " + reason).c_str());
    }
  }

  void detectionSaysWhatToOpen() {
    TempDir dir;
    const auto m = folder(dir.file("m"));
    writeSafetensors(m + "/model.safetensors", tensors());
    const auto bare = detectPath(m);
    QVERIFY(bare.kind == PathKind::SafetensorsFile);
    QCOMPARE(fs::path(bare.open), fs::path(m) / "model.safetensors");

    adapter(dir.file("lora"));
    const auto config = detectPath(dir.file("lora/adapter_config.json"));
    QVERIFY(config.kind == PathKind::PeftAdapter);
    QCOMPARE(fs::path(config.open), fs::path(dir.file("lora")));
  }
};

MG_TEST_GUILESS_MAIN(PathKindTest)
#include "test_path_kind.moc"
