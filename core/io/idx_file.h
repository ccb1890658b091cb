#pragma once
// The IDX format of MNIST and Fashion-MNIST (gzip-compressed or not): a big-endian header (two zero bytes,
// a type code, the number of dimensions, each dimension as u32) followed by the values. Only unsigned bytes
// (type 0x08) occur in these datasets, and only those are read.
#include <cstdint>
#include <string>
#include <vector>

namespace mg::io {

struct IdxArray {
  std::vector<std::int64_t> shape;
  std::vector<std::uint8_t> values; // row-major
};

// Throws IoError(path, problem) for a missing or unreadable file, a bad header, an unsupported type, or data
// that is shorter or longer than the header says.
IdxArray readIdxFile(const std::string& path);

// Fashion-MNIST as Debian's dataset-fashion-mnist package ships it.
inline constexpr const char* kFashionMnistFolder = "/usr/share/datasets/fashion-mnist";
// The ten class names, in label order.
const std::vector<std::string>& fashionMnistLabelNames();

struct LabelledImages {
  IdxArray images; // [N, 28, 28]
  IdxArray labels; // [N]
};

// "train" (60000 examples) or "test" (10000) from `folder`; checks that images and labels agree.
LabelledImages readFashionMnist(const std::string& split, const std::string& folder = kFashionMnistFolder);

} // namespace mg::io
