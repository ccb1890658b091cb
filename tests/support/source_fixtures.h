#pragma once
// Real sources on disk for tests of what lists, classifies or opens them (header-only): a .safetensors
// checkpoint, a Hugging Face model folder and a PEFT LoRA adapter folder, all tiny.
#include <QDir>
#include <QString>

#include <string>

#include "io/hdf5_checkpoint.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "support/io_fixtures.h"
#include "support/temp_dir.h"

namespace mg::test {

inline const std::string kFixtureModule = "model.layers.0.self_attn.q_proj";

// A one-layer checkpoint (q_proj weight 4×4) at `path`.
inline std::string writeModelFile(const std::string& path) {
  io::writeSafetensors(path, {rampTensor(kFixtureModule + ".weight", {4, 4})});
  return path;
}

// A Hugging Face model folder: config.json + model.safetensors.
inline std::string writeModelFolder(const std::string& folder) {
  QDir().mkpath(QString::fromStdString(folder));
  writeBytes(folder + "/config.json", R"({"model_type": "llama", "hidden_size": 4})");
  writeModelFile(folder + "/model.safetensors");
  return folder;
}

// A rank-2 LoRA adapter of q_proj for the checkpoints above.
inline std::string writeAdapterFolder(const std::string& folder) {
  io::LoraConfig config;
  config.r = 2;
  config.loraAlpha = 4;
  config.targetModules = {"q_proj"};
  io::writePeftAdapter(folder, config,
                       {rampTensor(io::peftKey(kFixtureModule, "lora_A"), {2, 4}, 0.0f, 0.01f),
                        rampTensor(io::peftKey(kFixtureModule, "lora_B"), {4, 2}, 1.0f, -0.02f)});
  return folder;
}

// A task file: an HDF5 file with root datasets "inputs" (3 examples of 4 features) and "labels".
inline std::string writeTaskFile(const std::string& path) {
  const std::vector<io::TensorData> tensors = {rampTensor("inputs", {3, 4}), rampTensor("labels", {3})};
  std::vector<io::TensorInfo> infos;
  for (const auto& t : tensors)
    infos.push_back(t.info);
  io::writeHdf5Checkpoint(path, infos, [&](const io::TensorInfo& info) {
    return info.name == "inputs" ? tensors[0] : tensors[1];
  });
  return path;
}

} // namespace mg::test
