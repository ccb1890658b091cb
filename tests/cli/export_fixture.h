#pragma once
// Models and export command lines shared by the tests that attack exports (kills, full disks, read-only
// and vanishing destinations): a base and two fine-tunes of 8 tensors of 384×384 (4.5 MB each), and the
// `merganser-cli` arguments of each export kind.
#include <QString>
#include <QStringList>
#include <ATen/ATen.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

namespace mg::test {

// A model of 8 tensors of 384×384 (4.5 MB): an export writes for a tenth of a second or more.
inline void writeModel(const std::string& path, int seed) {
  at::manual_seed(seed);
  std::vector<io::TensorData> tensors;
  for (int layer = 0; layer < 8; ++layer)
    tensors.push_back(tensor::fromTorch(at::randn({384, 384}), "layers." + std::to_string(layer) + ".weight",
                                        io::DType::F32));
  io::writeSafetensors(path, tensors);
}

struct ExportZoo {
  TempDir dir;
  QString base, hfBase, a, b;
  ExportZoo() {
    namespace fs = std::filesystem;
    writeModel(dir.file("base.safetensors"), 1);
    writeModel(dir.file("a.safetensors"), 2);
    writeModel(dir.file("b.safetensors"), 3);
    fs::create_directories(dir.file("hf"));
    std::ofstream(dir.file("hf/config.json")) << R"({"model_type": "mlp", "torch_dtype": "float32"})";
    fs::copy_file(dir.file("base.safetensors"), dir.file("hf/model.safetensors"));
    base = QString::fromStdString(dir.file("base.safetensors"));
    hfBase = QString::fromStdString(dir.file("hf"));
    a = QString::fromStdString(dir.file("a.safetensors"));
    b = QString::fromStdString(dir.file("b.safetensors"));
  }
};

// The command line of one export kind into `out`: "merge" (one file, or an HDF5 checkpoint when `out` ends
// in .h5), "merge-sharded" (a folder of 1 MB shards), "merge-hf" (a Hugging Face folder, the
// base being one) or "extract-lora" (a PEFT adapter folder). `version` 0 and 1 give two different results.
inline QStringList exportArgs(const QString& kind, const ExportZoo& zoo, const QString& out, int version) {
  if (kind == QLatin1String("extract-lora"))
    return {"extract-lora", "--base", zoo.base, "--model", version == 0 ? zoo.a : zoo.b,
            "--rank",       "4",      "--out",  out};
  QStringList list{"merge",
                   "--method",
                   "task_arithmetic",
                   "--base",
                   kind == QLatin1String("merge-hf") ? zoo.hfBase : zoo.base,
                   "--model",
                   zoo.a,
                   "--model",
                   zoo.b,
                   "--param",
                   version == 0 ? QStringLiteral("lambda=0.3") : QStringLiteral("lambda=0.7"),
                   "--out",
                   out};
  if (kind == QLatin1String("merge-sharded"))
    list << "--shard-size"
         << "1MB";
  return list;
}

// Entries beside `path` that a writer of it leaves while working (".NAME.tmp-*", ".NAME.old-*").
inline QStringList temporariesOf(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path dest(path);
  const std::string prefix = "." + dest.filename().string() + ".";
  QStringList found;
  for (const auto& entry : fs::directory_iterator(dest.parent_path()))
    if (entry.path().filename().string().rfind(prefix, 0) == 0)
      found << QString::fromStdString(entry.path().filename().string());
  return found;
}

} // namespace mg::test
