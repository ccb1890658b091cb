// openTensorSource: decides what a path is (by folder contents, file name, then file signature).
#include "io/hdf5_checkpoint.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/model_files.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/sharded_safetensors.h"
#include "io/tensor_source.h"

#include <cstring>
#include <filesystem>
#include <fstream>

namespace mg::io {

namespace {

namespace fs = std::filesystem;

std::unique_ptr<TensorSource> openFolder(const std::string& path) {
  const fs::path folder(path);
  std::error_code ec;
  if (fs::exists(folder / "adapter_config.json", ec)) return std::make_unique<PeftAdapter>(path);
  if (fs::exists(folder / "config.json", ec)) return std::make_unique<HfModelFolder>(path);
  if (fs::exists(folder / "model.safetensors.index.json", ec))
    return std::make_unique<ShardedSafetensors>((folder / "model.safetensors.index.json").string());
  std::vector<std::string> indexes, pickles;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (hasSuffix(name, ".safetensors.index.json")) indexes.push_back(it->path().string());
    if (isPickleFileName(name)) pickles.push_back(name);
  }
  if (indexes.size() == 1) return std::make_unique<ShardedSafetensors>(indexes.front());
  if (indexes.size() > 1) throw IoError(path, "several safetensors indexes; open one of them directly");
  if (!pickles.empty())
    throw IoError(path, "not a model folder: no config.json, adapter_config.json or safetensors index; " +
                            pickleRefusal("its pickled weights (" + pickles.front() + ")"));
  throw IoError(
      path, "not a model folder: expected config.json, adapter_config.json or model.safetensors.index.json");
}

bool hasHdf5Signature(const std::string& path) {
  static const char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  char head[8] = {};
  std::ifstream in(path, std::ios::binary);
  return in.read(head, sizeof head) && std::memcmp(head, kSignature, sizeof head) == 0;
}

} // namespace

std::unique_ptr<TensorSource> openTensorSource(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw IoError(path, "no such file or folder");
  if (fs::is_directory(status)) return openFolder(path);
  // FIFOs, sockets and devices would block or stream forever: refuse them before opening.
  if (!fs::is_regular_file(status)) throw IoError(path, "not a regular file");

  const std::string name = fs::path(path).filename().string();
  if (hasSuffix(name, ".safetensors")) return std::make_unique<SafetensorsFile>(path);
  if (hasSuffix(name, ".bin.index.json")) throw IoError(path, pickleRefusal("pickled shards (" + name + ")"));
  if (hasSuffix(name, ".index.json")) return std::make_unique<ShardedSafetensors>(path);
  if (hasSuffix(name, ".h5") || hasSuffix(name, ".hdf5")) return std::make_unique<Hdf5Checkpoint>(path);
  if (isPickleFileName(name)) throw IoError(path, pickleRefusal("pickled weights (" + name + ")"));
  if (hasHdf5Signature(path)) return std::make_unique<Hdf5Checkpoint>(path);
  // Anything else may be safetensors under another name; its own validation says what is wrong.
  return std::make_unique<SafetensorsFile>(path);
}

} // namespace mg::io
