#pragma once
// A Hugging Face model folder: config.json (+ tokenizer and generation files) beside
// model.safetensors or a sharded model.safetensors.index.json. Pickled weights (.bin/.pt) are
// refused with a clear message: Merganser never unpickles.
#include "io/tensor_source.h"

#include <memory>
#include <string>
#include <vector>

namespace mg::io {

class HfModelFolder final : public TensorSource {
public:
  explicit HfModelFolder(std::string folder); // throws IoError
  SourceKind kind() const override { return SourceKind::HfModel; }
  const std::string& path() const override { return path_; }
  const std::vector<TensorInfo>& tensors() const override { return weights_->tensors(); }
  const std::map<std::string, std::string>& metadata() const override { return weights_->metadata(); }
  TensorData load(const std::string& name) const override { return weights_->load(name); }

  // config.json, verbatim.
  const std::string& configJson() const { return configJson_; }
  // config.json's "model_type" and first entry of "architectures" (empty when absent).
  const std::string& modelType() const { return modelType_; }
  const std::string& architecture() const { return architecture_; }
  // The weights themselves (SafetensorsFile or ShardedSafetensors).
  const TensorSource& weights() const { return *weights_; }
  // Files an export copies beside new weights: config.json, generation_config.json, tokenizer
  // files, ... (names inside the folder; weights and index excluded).
  const std::vector<std::string>& companionFiles() const { return companionFiles_; }

private:
  std::string path_;
  std::string configJson_, modelType_, architecture_;
  std::unique_ptr<TensorSource> weights_;
  std::vector<std::string> companionFiles_;
};

} // namespace mg::io
