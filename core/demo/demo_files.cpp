#include "demo/demo_files.h"

#include <ATen/ATen.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/idx_file.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "tensor/torch_convert.h"

namespace fs = std::filesystem;

namespace mg::demo {

void writeMlpModelFolder(const std::string& folder, const MlpLayout& layout, const Parameters& parameters,
                         const std::string& description) {
  fs::create_directories(folder);
  nlohmann::ordered_json config;
  config["architectures"] = {"MerganserMLP"};
  config["model_type"] = "merganser-mlp";
  config["input_size"] = layout.inputSize;
  config["hidden_sizes"] = layout.hiddenSizes;
  config["num_labels"] = layout.numLabels;
  const auto& names = io::fashionMnistLabelNames();
  for (std::size_t i = 0; i < names.size(); ++i) {
    config["id2label"][std::to_string(i)] = names[i];
    config["label2id"][names[i]] = i;
  }
  config["torch_dtype"] = "float32";
  io::writeFileAtomically((fs::path(folder) / "config.json").string(), config.dump(2) + "\n");

  std::vector<io::TensorData> tensors;
  for (const auto& [name, tensor] : parameters)
    tensors.push_back(tensor::fromTorch(tensor, name, io::DType::F32));
  io::writeSafetensors((fs::path(folder) / "model.safetensors").string(), tensors,
                       {{"format", "pt"}, {"merganser.description", description}});
}

void writeLoraAdapter(const std::string& folder, const Lora& lora, const std::string& baseModel,
                      const std::string& description) {
  io::LoraConfig config;
  config.r = lora.rank;
  config.loraAlpha = lora.alpha;
  config.baseModelNameOrPath = baseModel;
  std::vector<io::TensorData> factors;
  for (const auto& [module, f] : lora.modules) {
    config.targetModules.push_back(module);
    factors.push_back(tensor::fromTorch(f.a, io::peftKey(module, "lora_A"), io::DType::F32));
    factors.push_back(tensor::fromTorch(f.b, io::peftKey(module, "lora_B"), io::DType::F32));
  }
  io::writePeftAdapter(folder, config, factors, {{"format", "pt"}, {"merganser.description", description}});
}

io::TaskData makeTaskData(const std::string& name, const std::vector<std::string>& skills,
                          const at::Tensor& images, const at::Tensor& labels) {
  io::TaskData task;
  task.name = name;
  task.skills = skills;
  task.labelNames = io::fashionMnistLabelNames();
  task.split = "test";
  const auto contiguousImages = images.to(at::kFloat).contiguous();
  task.inputShape = contiguousImages.sizes().vec();
  task.inputs.assign(contiguousImages.data_ptr<float>(),
                     contiguousImages.data_ptr<float>() + contiguousImages.numel());
  const auto contiguousLabels = labels.to(at::kLong).contiguous();
  task.labels.assign(contiguousLabels.data_ptr<std::int64_t>(),
                     contiguousLabels.data_ptr<std::int64_t>() + contiguousLabels.numel());
  return task;
}

} // namespace mg::demo
