#pragma once
// One abstraction over every model file Merganser reads: a source lists its tensors (name, dtype,
// shape) without reading their data, and loads any one of them on demand.
#include "io/tensor.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mg::io {

enum class SourceKind { Safetensors, ShardedSafetensors, HfModel, PeftAdapter, Hdf5 };
const char* sourceKindName(SourceKind k); // "safetensors", "sharded", "hf-model", "peft-adapter", "hdf5"

class TensorSource {
public:
  virtual ~TensorSource() = default;
  virtual SourceKind kind() const = 0;
  // The file or folder this source was opened from.
  virtual const std::string& path() const = 0;
  // Every tensor, in a stable order (sorted by name).
  virtual const std::vector<TensorInfo>& tensors() const = 0;
  // Free-form string metadata (safetensors __metadata__, HDF5 root attributes).
  virtual const std::map<std::string, std::string>& metadata() const = 0;
  // Reads one tensor's bytes; throws IoError naming the file and tensor when it cannot.
  // Safe to call from several threads at once.
  virtual TensorData load(const std::string& name) const = 0;

  const TensorInfo* find(const std::string& name) const;
  bool contains(const std::string& name) const { return find(name) != nullptr; }
  // load() widened to float32.
  std::vector<float> loadFloat32(const std::string& name) const;
};

// Opens PATH as what io::detectPath says it is (io/path_kind.h): a safetensors file (by name or header), a
// sharded index, a model folder (config.json, an index or model.safetensors), a PEFT adapter folder or an
// HDF5 checkpoint. Throws IoError("PATH", "...") with detectPath's reason for anything else (pickles, task
// data, unknown files) or on bad content.
std::unique_ptr<TensorSource> openTensorSource(const std::string& path);

} // namespace mg::io
