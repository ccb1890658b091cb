#pragma once
// Opens any model path as a WeightSet: checkpoints as they are, PEFT adapters applied to `base`.
#include "weights/weight_set.h"
#include "io/tensor_source.h"

namespace mg::engine {

struct OpenedWeights {
  WeightSetPtr weights;
  std::shared_ptr<const io::TensorSource> source; // what the path itself holds
  bool isAdapter = false;
};

// Throws io::IoError for unreadable input, and for an adapter without a base
// ("... is a LoRA adapter: give the base model it was trained on (--base)").
OpenedWeights openWeights(const std::string& path, const WeightSetPtr& base);

} // namespace mg::engine
