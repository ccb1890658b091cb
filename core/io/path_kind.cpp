#include "io/path_kind.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "io/hdf5_util.h"
#include "io/io_error.h"
#include "io/revision_path.h"
#include "io/model_files.h"

namespace fs = std::filesystem;

namespace mg::io {

namespace {

constexpr const char* kNotAModelFolder =
    "not a model folder: expected adapter_config.json, config.json, model.safetensors, a "
    "*.safetensors.index.json or task files (.h5)";

PathDetection found(PathKind kind, const fs::path& open) {
  return {kind, open.string(), {}};
}

PathDetection refused(std::string reason) {
  return {std::nullopt, {}, std::move(reason)};
}

bool isHdf5Name(const std::string& name) {
  return hasSuffix(name, ".h5") || hasSuffix(name, ".hdf5");
}

// Regular files of a folder (links to regular files included) by name, hidden ones left out, sorted.
std::vector<std::string> visibleFiles(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (std::error_code e; !name.empty() && name.front() != '.' && it->is_regular_file(e))
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool contains(const std::vector<std::string>& sorted, const std::string& name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

bool hasHdf5Signature(const std::string& path) {
  static const char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  char head[8] = {};
  std::ifstream in(path, std::ios::binary);
  return in.read(head, sizeof head) && std::memcmp(head, kSignature, sizeof head) == 0;
}

// The safetensors layout's first bytes: a little-endian header length within the format's bound that fits
// the file, then the header's opening brace.
bool hasSafetensorsSignature(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size < 9) return false;
  unsigned char head[9] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(head), sizeof head)) return false;
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i)
    length = (length << 8) | head[i];
  return length >= 2 && length <= 100'000'000 && length <= size - 8 && head[8] == '{';
}

bool hasRootDataset(hid_t file, const char* name) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return false;
  H5O_info_t info; // HDF5 1.10 (Debian 12)
  return H5Oget_info_by_name2(file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_DATASET;
}

PathDetection hdf5File(const std::string& path) {
  return found(isTaskFile(path) ? PathKind::TaskFile : PathKind::Hdf5Checkpoint, path);
}

// A folder of task files: at least one, and nothing else that holds weights.
bool isTaskFolder(const fs::path& folder, const std::vector<std::string>& files) {
  bool any = false;
  for (const auto& name : files) {
    if (isHdf5Name(name)) {
      if (!isTaskFile((folder / name).string())) return false;
      any = true;
    } else if (isWeightFileName(name)) {
      return false;
    }
  }
  return any;
}

// Only pickled weights are refused here: an adapter whose weights are missing or broken is still an adapter
// (the drop makes its node), and opening it says what is wrong.
PathDetection adapterFolder(const fs::path& folder, const std::vector<std::string>& files) {
  if (!contains(files, "adapter_model.safetensors") && contains(files, "adapter_model.bin"))
    return refused(pickleRefusal("pickled adapter weights (adapter_model.bin)"));
  return found(PathKind::PeftAdapter, folder);
}

PathDetection detectFolder(const fs::path& folder) {
  const auto files = visibleFiles(folder);
  if (contains(files, "adapter_config.json")) return adapterFolder(folder, files);
  if (contains(files, "config.json")) {
    const auto weights = modelFolderWeights(folder.string(), true);
    return weights.kind ? found(PathKind::HfModelFolder, folder) : weights;
  }
  auto weights = modelFolderWeights(folder.string(), false);
  if (weights.kind) return weights;
  if (isTaskFolder(folder, files)) return found(PathKind::TaskFolder, folder);
  const auto pickle = std::find_if(files.begin(), files.end(), isPickleFileName);
  if (pickle != files.end())
    return refused(std::string(kNotAModelFolder) + "; " +
                   pickleRefusal("its pickled weights (" + *pickle + ")"));
  return refused(weights.reason.empty() ? kNotAModelFolder : weights.reason);
}

PathDetection detectFile(const fs::path& path) {
  const std::string name = path.filename().string();
  if (name == "adapter_config.json" || name == "config.json") {
    // A configuration names its folder: the folder is what opens.
    const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    auto detection = detectFolder(folder);
    if (detection.kind == PathKind::PeftAdapter || detection.kind == PathKind::HfModelFolder)
      return detection;
    return refused(detection.kind ? name + " of a folder that is not a model or adapter folder"
                                  : detection.reason);
  }
  if (hasSuffix(name, ".bin.index.json")) return refused(pickleRefusal("pickled shards (" + name + ")"));
  if (isPickleFileName(name)) return refused(pickleRefusal("pickled weights (" + name + ")"));
  if (hasSuffix(name, ".safetensors.index.json")) return found(PathKind::ShardedIndex, path);
  if (hasSuffix(name, ".safetensors")) return found(PathKind::SafetensorsFile, path);
  if (isHdf5Name(name) || hasHdf5Signature(path.string())) return hdf5File(path.string());
  if (hasSafetensorsSignature(path.string())) return found(PathKind::SafetensorsFile, path);
  return refused("not a model, adapter or task file: neither safetensors, a safetensors index nor HDF5");
}

} // namespace

const char* pathKindName(PathKind kind) {
  switch (kind) {
  case PathKind::PeftAdapter: return "PEFT adapter";
  case PathKind::HfModelFolder: return "Hugging Face model folder";
  case PathKind::ShardedIndex: return "sharded safetensors";
  case PathKind::SafetensorsFile: return "safetensors file";
  case PathKind::Hdf5Checkpoint: return "HDF5 checkpoint";
  case PathKind::TaskFile: return "task file";
  case PathKind::TaskFolder: return "task folder";
  }
  return "unknown";
}

PathDetection modelFolderWeights(const std::string& folder, bool anySingleFile) {
  const fs::path dir(folder);
  const auto files = visibleFiles(dir);
  std::vector<std::string> indexes, singles;
  for (const auto& name : files) {
    if (hasSuffix(name, ".safetensors.index.json")) indexes.push_back(name);
    if (hasSuffix(name, ".safetensors")) singles.push_back(name);
  }
  if (contains(files, "model.safetensors.index.json"))
    return found(PathKind::ShardedIndex, dir / "model.safetensors.index.json");
  if (indexes.size() == 1) return found(PathKind::ShardedIndex, dir / indexes.front());
  if (indexes.size() > 1)
    return refused("several safetensors indexes and none is model.safetensors.index.json; open one directly");
  if (contains(files, "model.safetensors"))
    return found(PathKind::SafetensorsFile, dir / "model.safetensors");
  if (!anySingleFile) return refused({});
  if (singles.size() == 1) return found(PathKind::SafetensorsFile, dir / singles.front());
  if (singles.size() > 1)
    return refused("several .safetensors files without an index and none is model.safetensors");
  const auto pickle = std::find_if(files.begin(), files.end(), isPickleFileName);
  if (pickle != files.end())
    return refused(pickleRefusal("no safetensors weights, only pickled weights (" + *pickle + "), which"));
  return refused("no model.safetensors or model.safetensors.index.json");
}

bool isTaskFile(const std::string& path) {
  h5::Lock lock;
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  try {
    h5::readInChildFirst(path);
  } catch (const IoError&) {
    return false; // a file that crashes the library is no task file
  }
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  h5::Handle owner(file);
  return hasRootDataset(file, "inputs") && hasRootDataset(file, "labels");
}

PathDetection detectPath(const std::string& path) {
  if (const auto revision =
          parseRevisionPath(path)) { // PATH@REV: what that revision held (io/revision_path.h)
    try {
      return detectPath(materializeRevision(*revision));
    } catch (const IoError& error) {
      return refused(error.problem());
    }
  }
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) return refused("no such file or folder");
  if (fs::is_directory(status)) return detectFolder(path);
  // FIFOs, sockets and devices would block or stream forever: refuse them before reading a byte.
  if (!fs::is_regular_file(status)) return refused("not a regular file");
  return detectFile(path);
}

} // namespace mg::io
