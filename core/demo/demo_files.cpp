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

void writeModelSafetensors(const std::string& folder, const Parameters& parameters,
                           const std::string& description) {
  std::vector<io::TensorData> tensors;
  for (const auto& [name, tensor] : parameters)
    tensors.push_back(tensor::fromTorch(tensor.detach(), name, io::DType::F32));
  io::writeSafetensors((fs::path(folder) / "model.safetensors").string(), tensors,
                       {{"format", "pt"}, {"merganser.description", description}});
}

void checkZooOutputFolder(const std::string& folder, const std::string& projectFile) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return;
  if (!fs::is_directory(folder, ec))
    throw std::runtime_error(folder + ": exists and is not a folder; choose another --out");
  if (!fs::is_empty(folder, ec) && !fs::exists(fs::path(folder) / projectFile, ec))
    throw std::runtime_error(folder + ": exists and is not a Merganser demo zoo; choose another --out");
}

namespace {

at::Tensor idxRows(const io::IdxArray& array, std::int64_t first, std::int64_t count) {
  const auto all = at::from_blob(const_cast<std::uint8_t*>(array.values.data()), array.shape, at::kByte);
  const auto begin = std::min(first, all.size(0));
  return all.narrow(0, begin, std::min(count, all.size(0) - begin));
}

} // namespace

at::Tensor fashionImages(const io::IdxArray& images, std::int64_t first, std::int64_t count) {
  return idxRows(images, first, count).to(at::kFloat) / 255.0;
}

at::Tensor fashionLabels(const io::IdxArray& labels, std::int64_t first, std::int64_t count) {
  return idxRows(labels, first, count).to(at::kLong);
}

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
  writeModelSafetensors(folder, parameters, description);
}

void writeCnnModelFolder(const std::string& folder, const CnnLayout& layout, const Parameters& parameters,
                         const std::string& description) {
  fs::create_directories(folder);
  nlohmann::ordered_json config;
  config["architectures"] = {"MerganserCNN"};
  config["model_type"] = "merganser_cnn";
  config["input_channels"] = 1;
  config["image_size"] = {layout.imageSize, layout.imageSize};
  config["channels"] = layout.channels;
  config["kernel_size"] = layout.kernelSize;
  config["hidden_sizes"] = layout.hiddenSizes;
  config["num_labels"] = layout.numLabels;
  config["torch_dtype"] = "float32";
  io::writeFileAtomically((fs::path(folder) / "config.json").string(), config.dump(2) + "\n");
  writeModelSafetensors(folder, parameters, description);
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
                          const at::Tensor& images, const at::Tensor& labels,
                          const std::vector<std::string>& labelNames, const std::string& split) {
  io::TaskData task;
  task.name = name;
  task.skills = skills;
  task.labelNames = labelNames.empty() ? io::fashionMnistLabelNames() : labelNames;
  task.split = split;
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
