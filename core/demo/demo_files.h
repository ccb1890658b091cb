#pragma once
// Writing what the demo trained in the formats the rest of Merganser (and the Hugging Face ecosystem)
// reads: a model folder with config.json, a PEFT adapter folder, task files.
#include <string>

#include "demo/cnn_training.h"
#include "demo/mlp_training.h"

namespace mg::io {
struct TaskData;
struct IdxArray;
} // namespace mg::io

namespace mg::demo {

// Throws std::runtime_error when `folder` exists and is not a demo zoo (a non-empty folder without
// `projectFile`), so a demo never writes over something else.
void checkZooOutputFolder(const std::string& folder, const std::string& projectFile);

// Images [count, 28, 28] in [0, 1] and labels [count] int64 of an IDX file pair, from example `first` on
// (fewer when the file ends first).
at::Tensor fashionImages(const io::IdxArray& images, std::int64_t first, std::int64_t count);
at::Tensor fashionLabels(const io::IdxArray& labels, std::int64_t first, std::int64_t count);

// model.safetensors (float32) of named tensors, with `description` in its metadata.
void writeModelSafetensors(const std::string& folder, const Parameters& parameters,
                           const std::string& description);

// config.json (MerganserMLP) + model.safetensors.
void writeMlpModelFolder(const std::string& folder, const MlpLayout& layout, const Parameters& parameters,
                         const std::string& description);

// config.json (MerganserCNN, eval/cnn_classifier.h) + model.safetensors.
void writeCnnModelFolder(const std::string& folder, const CnnLayout& layout, const Parameters& parameters,
                         const std::string& description);

// adapter_config.json + adapter_model.safetensors, `baseModel` as base_model_name_or_path.
void writeLoraAdapter(const std::string& folder, const Lora& lora, const std::string& baseModel,
                      const std::string& description);

// The inputs of a task [N, 28, 28] in [0, 1] and labels [N] as an io::TaskData.
// `labelNames` empty: Fashion-MNIST's ten.
io::TaskData makeTaskData(const std::string& name, const std::vector<std::string>& skills,
                          const at::Tensor& images, const at::Tensor& labels,
                          const std::vector<std::string>& labelNames = {}, const std::string& split = "test");

} // namespace mg::demo
