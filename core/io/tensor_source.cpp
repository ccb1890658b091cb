#include "io/tensor_source.h"

#include <algorithm>

namespace mg::io {

const char* sourceKindName(SourceKind k) {
  switch (k) {
  case SourceKind::Safetensors: return "safetensors";
  case SourceKind::ShardedSafetensors: return "sharded";
  case SourceKind::HfModel: return "hf-model";
  case SourceKind::PeftAdapter: return "peft-adapter";
  case SourceKind::Hdf5: return "hdf5";
  }
  return "unknown";
}

const TensorInfo* TensorSource::find(const std::string& name) const {
  const auto& list = tensors();
  const auto it = std::lower_bound(list.begin(), list.end(), name,
                                   [](const TensorInfo& t, const std::string& n) { return t.name < n; });
  return it != list.end() && it->name == name ? &*it : nullptr;
}

std::vector<float> TensorSource::loadFloat32(const std::string& name) const {
  return load(name).toFloat32();
}

} // namespace mg::io
