#pragma once
// Small fixtures for the core/io tests (header-only): tensors with known values, an in-memory
// TensorSource, and a check that a call throws an IoError saying something specific.
#include <QtGlobal>

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/io_error.h"
#include "io/tensor_source.h"

namespace mg::test {

// A float tensor of `shape` holding start, start + step, ... stored as `dtype`.
inline io::TensorData rampTensor(const std::string& name, std::vector<std::int64_t> shape, float start = 0.0f,
                                 float step = 0.25f, io::DType dtype = io::DType::F32) {
  const auto n = io::checkedNumel(shape).value();
  std::vector<float> values(n);
  for (std::size_t i = 0; i < n; ++i)
    values[i] = start + step * float(i);
  return io::TensorData::fromFloat32(name, std::move(shape), values, dtype);
}

// Tensor names and shapes only; load() is not meant to be called.
class FakeSource final : public io::TensorSource {
public:
  FakeSource(std::string path, std::vector<io::TensorInfo> tensors)
      : path_(std::move(path)), tensors_(std::move(tensors)) {
    std::sort(tensors_.begin(), tensors_.end(),
              [](const io::TensorInfo& a, const io::TensorInfo& b) { return a.name < b.name; });
  }
  io::SourceKind kind() const override { return io::SourceKind::Safetensors; }
  const std::string& path() const override { return path_; }
  const std::vector<io::TensorInfo>& tensors() const override { return tensors_; }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  io::TensorData load(const std::string& name) const override {
    throw io::IoError(path_, "FakeSource has no data");
  }

private:
  std::string path_;
  std::vector<io::TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

// True when f() throws an IoError whose message contains every one of `needles`; logs the message otherwise.
// The infos of `tensors`, in order: what a writer is told it will be handed.
inline std::vector<io::TensorInfo> infosOf(const std::vector<io::TensorData>& tensors) {
  std::vector<io::TensorInfo> infos;
  for (const auto& t : tensors)
    infos.push_back(t.info);
  return infos;
}

// The tensor named `name` among `tensors`: a writer's producer over a fixed list.
inline io::TensorData tensorNamed(const std::vector<io::TensorData>& tensors, const std::string& name) {
  for (const auto& t : tensors)
    if (t.info.name == name) return t;
  throw std::logic_error("no tensor '" + name + "' in the fixture");
}

inline bool throwsIoError(const std::function<void()>& f, const std::vector<std::string>& needles) {
  try {
    f();
  } catch (const io::IoError& e) {
    for (const auto& needle : needles)
      if (std::string(e.what()).find(needle) == std::string::npos) {
        qWarning("IoError without '%s': %s", needle.c_str(), e.what());
        return false;
      }
    return true;
  } catch (const std::exception& e) {
    qWarning("not an IoError: %s", e.what());
    return false;
  }
  qWarning("no exception");
  return false;
}

} // namespace mg::test
