// Hugging Face model folders: config.json beside safetensors weights (one file or an indexed set of shards).
#include "io/hf_model_folder.h"

#include "io/io_error.h"
#include "io/model_files.h"
#include "io/path_kind.h"
#include "io/safetensors_file.h"
#include "io/sharded_safetensors.h"
#include "io/text_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace mg::io {

namespace {

namespace fs = std::filesystem;

// Regular files of the folder (links to regular files included), sorted by name.
std::vector<std::string> regularFiles(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (std::error_code e; it->is_regular_file(e)) names.push_back(it->path().filename().string());
  if (ec) throw IoError(folder, "cannot list the folder: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

// The weights to open, by the one rule for model folders (io/path_kind.h).
std::unique_ptr<TensorSource> openWeights(const std::string& folder) {
  const PathDetection weights = modelFolderWeights(folder, true);
  if (weights.kind == PathKind::ShardedIndex) return std::make_unique<ShardedSafetensors>(weights.open);
  if (weights.kind == PathKind::SafetensorsFile) return std::make_unique<SafetensorsFile>(weights.open);
  throw IoError(folder, weights.reason);
}

} // namespace

HfModelFolder::HfModelFolder(std::string folder) : path_(std::move(folder)) {
  std::error_code ec;
  if (!fs::is_directory(path_, ec))
    throw IoError(path_, fs::exists(path_, ec) ? "not a folder" : "no such folder");
  const auto files = regularFiles(path_);
  const std::string configPath = (fs::path(path_) / "config.json").string();
  if (!std::binary_search(files.begin(), files.end(), "config.json"))
    throw IoError(path_, "not a Hugging Face model folder: no config.json");
  configJson_ = readTextFile(configPath);
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(configJson_);
  } catch (const nlohmann::json::exception& e) {
    throw IoError(configPath, std::string("not valid JSON: ") + e.what());
  }
  if (!config.is_object()) throw IoError(configPath, "not a JSON object");
  if (const auto it = config.find("model_type"); it != config.end() && it->is_string()) modelType_ = *it;
  if (const auto it = config.find("architectures");
      it != config.end() && it->is_array() && !it->empty() && it->front().is_string())
    architecture_ = it->front();

  weights_ = openWeights(path_);
  for (const auto& f : files)
    if (f.front() != '.' && !isWeightFileName(f)) companionFiles_.push_back(f);
}

} // namespace mg::io
