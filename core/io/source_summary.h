#pragma once
// What a tensor source holds, in numbers: the model of `merganser-cli inspect` and of the GUI's
// library tooltips. Built from headers only; no tensor data is read.
#include "io/tensor_source.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mg::io {

struct AdapterSummary {
  std::string peftType = "LORA"; // or "IA3": rank, alpha and scaling are then 0
  int rank = 0;
  double alpha = 0;
  double scaling = 0;
  bool useRslora = false;
  bool useDora = false;
  bool fanInFanOut = false;
  std::vector<std::string> targetModules;
  std::size_t moduleCount = 0;      // adapted modules found in the weights
  std::size_t replacementCount = 0; // whole tensors replacing the base's (modules_to_save)
  std::string baseModel;
};

struct SourceSummary {
  std::string path;
  SourceKind kind = SourceKind::Safetensors;
  std::uint64_t tensorCount = 0;
  std::uint64_t parameterCount = 0;
  std::uint64_t bytes = 0;
  std::map<std::string, std::uint64_t> dtypeCounts; // dtype name -> tensors
  std::map<std::string, std::string> metadata;
  std::string modelType, architecture;   // HF folders
  std::optional<AdapterSummary> adapter; // PEFT adapters
  std::vector<TensorInfo> tensors;

  // One JSON object with every field above (tensors as {name, dtype, shape}).
  std::string toJson(int indent = 2) const;
};

SourceSummary summarize(const TensorSource& source);

} // namespace mg::io
