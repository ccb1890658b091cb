#include "io/source_classifier.h"

#include <algorithm>
#include <filesystem>

#include "io/hdf5_util.h"
#include "io/model_files.h"

namespace fs = std::filesystem;

namespace mg::io {

namespace {

bool isHdf5Name(const std::string& name) {
  return hasSuffix(name, ".h5") || hasSuffix(name, ".hdf5");
}

bool pathExists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool hasRootDataset(hid_t file, const char* name) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return false;
  H5O_info_t info; // HDF5 1.10 (Debian 12)
  return H5Oget_info_by_name2(file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_DATASET;
}

// A folder of task files: at least one, and nothing else that holds weights.
bool isTaskFolder(const fs::path& folder) {
  std::error_code ec;
  bool any = false;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_regular_file(ec)) continue;
    if (isHdf5Name(name)) {
      if (!isTaskFile(entry.path().string())) return false;
      any = true;
    } else if (isWeightFileName(name)) {
      return false;
    }
  }
  return any;
}

Classification classifyFolder(const fs::path& folder) {
  if (pathExists(folder / "adapter_config.json")) return {SourceRole::Adapter, {}};
  if (pathExists(folder / "config.json") || pathExists(folder / "model.safetensors.index.json") ||
      pathExists(folder / "model.safetensors"))
    return {SourceRole::Model, {}};
  if (isTaskFolder(folder)) return {SourceRole::Tasks, {}};
  return {std::nullopt, "holds no adapter_config.json, config.json, model.safetensors(.index.json) or task "
                        "files"};
}

} // namespace

const char* sourceRoleName(SourceRole role) {
  switch (role) {
  case SourceRole::Model: return "model";
  case SourceRole::Adapter: return "adapter";
  case SourceRole::Tasks: return "tasks";
  }
  return "unknown";
}

bool isTaskFile(const std::string& path) {
  h5::Lock lock;
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  h5::Handle owner(file);
  return hasRootDataset(file, "inputs") && hasRootDataset(file, "labels");
}

Classification classifySourcePath(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) return {std::nullopt, "no such file or folder"};
  if (fs::is_directory(status)) return classifyFolder(path);
  if (!fs::is_regular_file(status)) return {std::nullopt, "not a regular file"};
  const auto name = fs::path(path).filename().string();
  if (isPickleFileName(name)) return {std::nullopt, pickleRefusal("pickled weights")};
  if (hasSuffix(name, ".safetensors")) return {SourceRole::Model, {}};
  if (isHdf5Name(name)) return {isTaskFile(path) ? SourceRole::Tasks : SourceRole::Model, {}};
  if (name == "adapter_config.json" || name == "config.json" || name == "model.safetensors.index.json")
    return classifyFolder(fs::path(path).parent_path());
  return {std::nullopt, "not a model, adapter or task file (expected .safetensors, .h5, or a folder)"};
}

namespace {

void walk(const fs::path& folder, int depthLeft, std::vector<FoundSource>& found) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    const bool isDir = entry.is_directory(ec);
    if (isDir) {
      const auto c = classifyFolder(entry.path());
      if (c.role) {
        found.push_back({fs::absolute(entry.path()).lexically_normal().string(), *c.role});
      } else if (depthLeft > 0) {
        walk(entry.path(), depthLeft - 1, found);
      }
    } else if (entry.is_regular_file(ec) && (hasSuffix(name, ".safetensors") || isHdf5Name(name))) {
      const auto c = classifySourcePath(entry.path().string());
      if (c.role) found.push_back({fs::absolute(entry.path()).lexically_normal().string(), *c.role});
    }
  }
}

} // namespace

std::vector<FoundSource> findSources(const std::string& folder, int maxDepth) {
  std::vector<FoundSource> found;
  const auto top = classifyFolder(folder);
  if (top.role) {
    found.push_back({fs::absolute(folder).lexically_normal().string(), *top.role});
    return found;
  }
  walk(folder, maxDepth - 1, found);
  std::sort(found.begin(), found.end(),
            [](const FoundSource& a, const FoundSource& b) { return a.path < b.path; });
  return found;
}

} // namespace mg::io
