#pragma once
// Recognizing model files by name: what is a weight file, what is a pickle Merganser refuses.
#include <string>

namespace mg::io {

// .bin, .pt, .pth, .ckpt, .pkl, .pickle (case-insensitive): PyTorch pickles, which can run code on load.
bool isPickleFileName(const std::string& name);
// Files holding weights rather than configuration: safetensors files and their indexes, pickles
// and their indexes, HDF5, Flax msgpack, GGUF, ONNX.
bool isWeightFileName(const std::string& name);
// Whether `name` ends with `suffix`, ignoring ASCII case.
bool hasSuffix(const std::string& name, const std::string& suffix);
// The refusal for pickled weights: "<what> are not loaded (Merganser never unpickles); convert ..."
std::string pickleRefusal(const std::string& what);

} // namespace mg::io
