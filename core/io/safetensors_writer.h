#pragma once
// Writes safetensors files, streaming: the caller lists the tensors up front and a producer hands
// over each tensor's bytes in turn, so only one tensor needs to be in memory. Every write is atomic:
// a temporary file in the destination folder, flushed and renamed; on any failure nothing is left
// at the destination.
#include "io/tensor.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mg::io {

// Returns the bytes of the tensor described by `info` (its dtype and shape must match).
using TensorProducer = std::function<TensorData(const TensorInfo& info)>;

// Writes one file. `metadata` is merged into __metadata__, which always holds "format": "pt".
void writeSafetensors(const std::string& path, const std::vector<TensorInfo>& tensors,
                      const TensorProducer& produce, const std::map<std::string, std::string>& metadata = {});

// Convenience for tensors already in memory.
void writeSafetensors(const std::string& path, const std::vector<TensorData>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

constexpr std::uint64_t kDefaultShardBytes = 5'000'000'000ULL; // 5 GB, as transformers

struct ShardedWriteResult {
  std::vector<std::string> files; // file names inside the folder, in order
  std::uint64_t totalBytes = 0;   // sum of tensor bytes
};

// Writes `folder`/model.safetensors when everything fits in `maxShardBytes`, otherwise
// model-0000K-of-0000N.safetensors shards plus model.safetensors.index.json. A tensor larger than
// the budget gets a shard of its own. Creates `folder` when missing. Each file is atomic; the index
// is written last, so a reader never sees an index naming a shard that is not there.
ShardedWriteResult writeShardedSafetensors(const std::string& folder, const std::vector<TensorInfo>& tensors,
                                           const TensorProducer& produce,
                                           const std::map<std::string, std::string>& metadata = {},
                                           std::uint64_t maxShardBytes = kDefaultShardBytes,
                                           const std::string& prefix = "model");

// How writeShardedSafetensors divides tensors into files; every process computing it from the same tensors
// gets the same plan (a run over ranks writes each shard where the plan puts it).
struct ShardPlan {
  std::string prefix;
  std::vector<std::vector<TensorInfo>> shards; // in order
  std::vector<std::string> files;              // the shards' file names
  std::uint64_t totalBytes = 0;
};
// Throws IoError naming `folder` for an invalid list, budget or prefix.
ShardPlan planShards(const std::string& folder, const std::vector<TensorInfo>& tensors,
                     std::uint64_t maxShardBytes = kDefaultShardBytes, const std::string& prefix = "model");
// After every shard of `plan` is in `folder`: writes the index (several shards) and removes shards and index
// of an earlier export with the same prefix that this one does not have.
void finishShards(const std::string& folder, const ShardPlan& plan);
// Removes the shard files of `plan` from `folder` (an export that did not finish).
void removeShards(const std::string& folder, const ShardPlan& plan);

// Parses "5GB", "500MB", "1.5GiB", "123" (bytes) into a byte count; throws std::invalid_argument.
std::uint64_t parseByteSize(const std::string& text);

} // namespace mg::io
