// Hugging Face model folders: config.json beside safetensors weights (one file or an indexed set of shards).
#include "io/hf_model_folder.h"

#include "io/io_error.h"
#include "io/model_files.h"
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

// The weights to open: the index when there is one (model.safetensors.index.json preferred over
// other *.safetensors.index.json), else model.safetensors, else a single *.safetensors file.
std::unique_ptr<TensorSource> openWeights(const std::string& folder, const std::vector<std::string>& files) {
  const auto path = [&](const std::string& name) { return (fs::path(folder) / name).string(); };
  const auto has = [&](const std::string& name) {
    return std::binary_search(files.begin(), files.end(), name);
  };
  std::vector<std::string> indexes, singles;
  for (const auto& f : files) {
    if (f.front() == '.') continue; // temporaries of an unfinished export, macOS "._" shadows
    if (hasSuffix(f, ".safetensors.index.json")) indexes.push_back(f);
    if (hasSuffix(f, ".safetensors")) singles.push_back(f);
  }
  if (has("model.safetensors.index.json"))
    return std::make_unique<ShardedSafetensors>(path("model.safetensors.index.json"));
  if (indexes.size() == 1) return std::make_unique<ShardedSafetensors>(path(indexes.front()));
  if (indexes.size() > 1)
    throw IoError(folder,
                  "several safetensors indexes and none is model.safetensors.index.json; open one directly");
  if (has("model.safetensors")) return std::make_unique<SafetensorsFile>(path("model.safetensors"));
  if (singles.size() == 1) return std::make_unique<SafetensorsFile>(path(singles.front()));
  if (singles.size() > 1)
    throw IoError(folder, "several .safetensors files without an index and none is model.safetensors");

  const auto pickle = std::find_if(files.begin(), files.end(), isPickleFileName);
  if (pickle != files.end())
    throw IoError(folder,
                  pickleRefusal("no safetensors weights, only pickled weights (" + *pickle + "), which"));
  throw IoError(folder, "no model.safetensors or model.safetensors.index.json");
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

  weights_ = openWeights(path_, files);
  for (const auto& f : files)
    if (f.front() != '.' && !isWeightFileName(f)) companionFiles_.push_back(f);
}

} // namespace mg::io
