#pragma once
// Writing what the demo trained in the formats the rest of Merganser (and the Hugging Face ecosystem)
// reads: a model folder with config.json, a PEFT adapter folder, task files.
#include <string>

#include "demo/mlp_training.h"

namespace mg::io {
struct TaskData;
}

namespace mg::demo {

// config.json (MerganserMLP) + model.safetensors.
void writeMlpModelFolder(const std::string& folder, const MlpLayout& layout, const Parameters& parameters,
                         const std::string& description);

// adapter_config.json + adapter_model.safetensors, `baseModel` as base_model_name_or_path.
void writeLoraAdapter(const std::string& folder, const Lora& lora, const std::string& baseModel,
                      const std::string& description);

// The inputs of a task [N, 28, 28] in [0, 1] and labels [N] as an io::TaskData.
io::TaskData makeTaskData(const std::string& name, const std::vector<std::string>& skills,
                          const at::Tensor& images, const at::Tensor& labels);

} // namespace mg::demo
