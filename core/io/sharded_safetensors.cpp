#include "io/sharded_safetensors.h"

#include "io/io_error.h"
#include "io/strict_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace mg::io {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Real indexes are a few hundred kilobytes; the limit only stops a hostile file from eating memory.
constexpr std::uintmax_t kMaxIndexBytes = 100'000'000;

std::string readIndex(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw IoError(path, "cannot open: " + ec.message());
  if (size > kMaxIndexBytes)
    throw IoError(path, "index is " + std::to_string(size) + " bytes, more than any real index");
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw IoError(path, "cannot read");
  return text;
}

bool isWithin(const fs::path& child, const fs::path& folder) {
  const auto mismatch = std::mismatch(folder.begin(), folder.end(), child.begin(), child.end());
  return mismatch.first == folder.end();
}

// The canonical path of the shard `name` named by the index, which must stay inside `folder`
// (canonical): no absolute names, no "..", no NUL, no link that resolves outside.
fs::path confineShard(const std::string& indexPath, const fs::path& folder, const std::string& name) {
  const std::string where = "shard " + quoteName(name) + " ";
  if (name.empty()) throw IoError(indexPath, "weight_map names an empty shard file");
  if (name.find('\0') != std::string::npos) throw IoError(indexPath, where + "contains a NUL character");
  const fs::path relative(name);
  if (relative.is_absolute())
    throw IoError(indexPath, where + "is an absolute path; shards must be in the folder");
  for (const auto& part : relative)
    if (part == "..") throw IoError(indexPath, where + "uses '..'; shards must be in the folder");
  std::error_code ec;
  const fs::path resolved = fs::canonical(folder / relative, ec);
  if (ec) throw IoError(indexPath, where + "is missing: " + ec.message());
  if (!isWithin(resolved, folder))
    throw IoError(indexPath, where + "resolves outside the folder, to " + quoteName(resolved.string()));
  return resolved;
}

} // namespace

ShardedSafetensors::ShardedSafetensors(std::string indexPath) : path_(std::move(indexPath)) {
  const json index = parseStrictJson(readIndex(path_), path_, "index");
  if (!index.is_object()) throw IoError(path_, "index is not a JSON object");
  const auto weightMap = index.find("weight_map");
  if (weightMap == index.end() || !weightMap->is_object())
    throw IoError(path_, "index has no weight_map object");

  if (const auto meta = index.find("metadata"); meta != index.end()) {
    if (!meta->is_object()) throw IoError(path_, "index metadata is not a JSON object");
    for (const auto& [key, value] : meta->items())
      if (key != "total_size") metadata_[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }

  std::error_code ec;
  const fs::path folderPath = fs::path(path_).parent_path();
  const fs::path folder = fs::canonical(folderPath.empty() ? fs::path(".") : folderPath, ec);
  if (ec) throw IoError(path_, "cannot resolve its folder: " + ec.message());

  // Open each distinct shard once, in the order the index first names it.
  std::map<std::string, const SafetensorsFile*> shardByName;
  std::map<const SafetensorsFile*, std::string> nameOfShard;
  for (const auto& [tensor, value] : weightMap->items()) {
    if (!value.is_string())
      throw IoError(path_, "weight_map entry for " + quoteName(tensor) + " is not a file name");
    const std::string& shardName = value.get_ref<const std::string&>();
    auto [it, fresh] = shardByName.emplace(shardName, nullptr);
    if (fresh) {
      shards_.push_back(std::make_unique<SafetensorsFile>(confineShard(path_, folder, shardName).string()));
      it->second = shards_.back().get();
      nameOfShard[it->second] = shardName;
    }
    if (!it->second->contains(tensor))
      throw IoError(path_, "tensor " + quoteName(tensor) + " is not in its shard " + quoteName(shardName));
    owner_[tensor] = it->second;
  }

  // Every tensor of every shard must be the one the index points at: a copy elsewhere is ambiguous.
  for (const auto& shard : shards_) {
    for (const TensorInfo& info : shard->tensors()) {
      const auto owner = owner_.find(info.name);
      if (owner == owner_.end())
        throw IoError(path_, "shard " + quoteName(nameOfShard[shard.get()]) + " holds tensor " +
                                 quoteName(info.name) + ", which the weight_map does not list");
      if (owner->second != shard.get())
        throw IoError(path_, "tensor " + quoteName(info.name) +
                                 " is present in two shards: " + quoteName(nameOfShard[owner->second]) +
                                 " and " + quoteName(nameOfShard[shard.get()]));
    }
    for (const auto& [key, value] : shard->metadata())
      metadata_.emplace(key, value); // the index wins
  }

  tensors_.reserve(owner_.size());
  for (const auto& [name, shard] : owner_)
    tensors_.push_back(*shard->find(name)); // owner_ is sorted
}

const SafetensorsFile& ShardedSafetensors::shardOf(const std::string& name) const {
  const auto it = owner_.find(name);
  if (it == owner_.end()) throw IoError(path_, "no tensor named " + quoteName(name));
  return *it->second;
}

TensorData ShardedSafetensors::load(const std::string& name) const {
  const auto it = owner_.find(name);
  if (it == owner_.end()) throw IoError(path_, "no tensor named " + quoteName(name));
  return it->second->load(name);
}

} // namespace mg::io
