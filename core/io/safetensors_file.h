#pragma once
// A single .safetensors file. Opening parses and validates the header only (every rule of
// shared/spec/formats.md) and keeps the file open; tensor data is read when load() asks for it.
#include "io/tensor_source.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mg::io {

class SafetensorsFile final : public TensorSource {
public:
  explicit SafetensorsFile(std::string path); // throws IoError
  ~SafetensorsFile() override;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  SourceKind kind() const override { return SourceKind::Safetensors; }
  const std::string& path() const override { return path_; }
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  TensorData load(const std::string& name) const override;

  std::uint64_t fileSize() const { return fileSize_; }
  // Where a tensor's bytes begin in the file (for callers that map the file themselves, e.g. core/lm);
  // throws IoError naming the file when there is no such tensor.
  std::uint64_t fileOffset(const std::string& name) const;

private:
  struct Extent {
    std::uint64_t begin, end; // relative to the data buffer
  };
  void parseHeader(); // fills everything below map_ from the mapped header; throws IoError
  std::string path_;
  std::uint64_t fileSize_ = 0;
  std::uint64_t dataStart_ = 0;    // 8 + header length
  const std::byte* map_ = nullptr; // only while the constructor parses the header
  int fd_ = -1;                    // tensor data is read from it with pread
  std::vector<TensorInfo> tensors_;
  std::map<std::string, Extent> extents_;
  std::map<std::string, std::string> metadata_;
};

} // namespace mg::io
