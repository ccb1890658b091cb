#include "io/model_files.h"

#include <algorithm>
#include <cctype>

namespace mg::io {

bool hasSuffix(const std::string& name, const std::string& suffix) {
  if (name.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), name.end() - long(suffix.size()), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool isPickleFileName(const std::string& name) {
  for (const char* ext : {".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle"})
    if (hasSuffix(name, ext)) return true;
  return false;
}

bool isWeightFileName(const std::string& name) {
  if (isPickleFileName(name)) return true;
  for (const char* ext : {".safetensors", ".safetensors.index.json", ".bin.index.json", ".h5", ".hdf5",
                          ".msgpack", ".msgpack.index.json", ".gguf", ".onnx"})
    if (hasSuffix(name, ext)) return true;
  return false;
}

std::string pickleRefusal(const std::string& what) {
  return what + " are not loaded (Merganser never unpickles); convert them to safetensors";
}

} // namespace mg::io
