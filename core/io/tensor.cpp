#include "io/tensor.h"

#include <regex>

#include <stdexcept>

namespace mg::io {

std::optional<std::uint64_t> checkedNumel(const std::vector<std::int64_t>& shape) {
  std::uint64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) return std::nullopt;
    const auto ud = static_cast<std::uint64_t>(d);
    if (ud != 0 && n > UINT64_MAX / ud) return std::nullopt;
    n *= ud;
  }
  return n;
}

std::uint64_t TensorInfo::numel() const {
  const auto n = checkedNumel(shape);
  if (!n) throw std::overflow_error("tensor '" + name + "' has an invalid shape " + shapeToString(shape));
  return *n;
}

std::uint64_t TensorInfo::nbytes() const {
  const std::uint64_t n = numel();
  const std::uint64_t s = dtypeSize(dtype);
  if (n > UINT64_MAX / s) throw std::overflow_error("tensor '" + name + "' is too large");
  return n * s;
}

std::vector<float> TensorData::toFloat32() const {
  const std::uint64_t n = info.numel();
  if (bytes.size() != n * dtypeSize(info.dtype))
    throw std::logic_error("tensor '" + info.name + "': byte count does not match its shape");
  std::vector<float> out(n);
  convertToFloat32(info.dtype, bytes.data(), n, out.data());
  return out;
}

TensorData TensorData::fromFloat32(std::string name, std::vector<std::int64_t> shape,
                                   const std::vector<float>& values, DType storeAs) {
  TensorData t;
  t.info = TensorInfo{std::move(name), storeAs, std::move(shape)};
  if (t.info.numel() != values.size())
    throw std::logic_error("tensor '" + t.info.name + "': value count does not match its shape");
  t.bytes.resize(t.info.nbytes());
  convertFromFloat32(storeAs, values.data(), values.size(), t.bytes.data());
  return t;
}

std::string shapeToString(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

bool isVocabularyTensor(const std::string& name) {
  static const std::regex pattern(
      R"((^|\.)(embed_tokens|wte|word_embeddings|lm_head|embed_out|shared|tok_embeddings|output)\.weight$)");
  return std::regex_search(name, pattern);
}

} // namespace mg::io
