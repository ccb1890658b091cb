#pragma once
// A folder of safetensors shards described by model.safetensors.index.json.
// Shard names are confined to the folder; a tensor missing from its shard or present in two is an error.
#include "io/safetensors_file.h"

#include <memory>

namespace mg::io {

class ShardedSafetensors final : public TensorSource {
public:
  // indexPath: the *.safetensors.index.json file.
  explicit ShardedSafetensors(std::string indexPath); // throws IoError
  SourceKind kind() const override { return SourceKind::ShardedSafetensors; }
  const std::string& path() const override { return path_; }
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  TensorData load(const std::string& name) const override;

  std::size_t shardCount() const { return shards_.size(); }
  // The shard holding a tensor; throws IoError naming the index when there is no such tensor.
  const SafetensorsFile& shardOf(const std::string& name) const;

private:
  std::string path_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::map<std::string, const SafetensorsFile*> owner_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

} // namespace mg::io
