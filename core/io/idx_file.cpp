#include "io/idx_file.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>

#include "io/io_error.h"
#include "io/tensor.h"

namespace mg::io {

namespace {

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};

// Reads exactly `size` bytes; false when the file ends first.
bool readExactly(gzFile file, void* out, std::size_t size) {
  auto* bytes = static_cast<unsigned char*>(out);
  while (size > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30));
    const int got = gzread(file, bytes, chunk);
    if (got <= 0) return false;
    bytes += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

} // namespace

IdxArray readIdxFile(const std::string& path) {
  // gzopen reads plain files as they are, so both spellings of the datasets work.
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw IoError(path, "cannot open the file");
  std::array<unsigned char, 4> magic{};
  if (!readExactly(file.get(), magic.data(), magic.size()))
    throw IoError(path, "too short for an IDX header");
  if (magic[0] != 0 || magic[1] != 0) throw IoError(path, "not an IDX file (bad magic number)");
  if (magic[2] != 0x08)
    throw IoError(path,
                  "IDX value type " + std::to_string(magic[2]) + " is not supported (only unsigned bytes)");
  const int dims = magic[3];
  if (dims < 1 || dims > 4) throw IoError(path, "IDX file with " + std::to_string(dims) + " dimensions");
  IdxArray array;
  for (int d = 0; d < dims; ++d) {
    std::array<unsigned char, 4> be{};
    if (!readExactly(file.get(), be.data(), be.size())) throw IoError(path, "truncated IDX header");
    array.shape.push_back((std::int64_t(be[0]) << 24) | (std::int64_t(be[1]) << 16) |
                          (std::int64_t(be[2]) << 8) | be[3]);
  }
  const auto count = checkedNumel(array.shape);
  if (!count || *count > (std::uint64_t(1) << 34))
    throw IoError(path, "IDX dimensions " + shapeToString(array.shape) + " are too large");
  // The header is not trusted with memory: deflate expands at most 1032-fold, so a file cannot hold more
  // values than that many times its size; and the values are read in chunks that grow the array only by
  // what really arrived, so a short file never costs what its header promises.
  std::error_code sizeError;
  const auto fileBytes = std::filesystem::file_size(path, sizeError);
  if (!sizeError && *count > fileBytes * 1032)
    throw IoError(path, "truncated: the header promises " + std::to_string(*count) + " values, the " +
                            std::to_string(fileBytes) + "-byte file cannot hold them");
  constexpr std::size_t kChunk = std::size_t(1) << 20;
  for (std::uint64_t done = 0; done < *count;) {
    const auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, *count - done));
    array.values.resize(static_cast<std::size_t>(done) + chunk);
    if (!readExactly(file.get(), array.values.data() + done, chunk))
      throw IoError(path, "truncated: the header promises " + std::to_string(*count) + " values");
    done += chunk;
  }
  unsigned char extra = 0;
  if (gzread(file.get(), &extra, 1) != 0)
    throw IoError(path, "trailing bytes after the " + std::to_string(*count) + " values");
  return array;
}

const std::vector<std::string>& fashionMnistLabelNames() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

LabelledImages readFashionMnist(const std::string& split, const std::string& folder) {
  if (split != "train" && split != "test")
    throw IoError(folder, "no Fashion-MNIST split '" + split + "' (train or test)");
  const std::string prefix = folder + "/" + (split == "train" ? "train" : "t10k");
  LabelledImages data{readIdxFile(prefix + "-images-idx3-ubyte.gz"),
                      readIdxFile(prefix + "-labels-idx1-ubyte.gz")};
  const std::string images = prefix + "-images-idx3-ubyte.gz";
  if (data.images.shape.size() != 3)
    throw IoError(images, "images must have 3 dimensions, got " + shapeToString(data.images.shape));
  if (data.labels.shape.size() != 1 || data.labels.shape[0] != data.images.shape[0])
    throw IoError(prefix + "-labels-idx1-ubyte.gz", "labels " + shapeToString(data.labels.shape) +
                                                        " do not match images " +
                                                        shapeToString(data.images.shape));
  for (const auto label : data.labels.values)
    if (label >= fashionMnistLabelNames().size())
      throw IoError(prefix + "-labels-idx1-ubyte.gz",
                    "label " + std::to_string(label) + " is not a Fashion-MNIST class");
  return data;
}

} // namespace mg::io
