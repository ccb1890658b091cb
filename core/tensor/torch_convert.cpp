#include "tensor/torch_convert.h"

#include <ATen/ATen.h>

namespace mg::tensor {

at::Tensor toTorchFloat32(const io::TensorData& data) {
  auto out = at::empty(data.info.shape, at::kFloat);
  const std::uint64_t n = data.info.numel();
  if (data.bytes.size() != n * io::dtypeSize(data.info.dtype))
    throw std::logic_error("tensor '" + data.info.name + "': byte count does not match its shape");
  io::convertToFloat32(data.info.dtype, data.bytes.data(), n, out.data_ptr<float>());
  return out;
}

at::Tensor toTorchFloat32(io::TensorData&& data) {
  const auto alignment = reinterpret_cast<std::uintptr_t>(data.bytes.data()) % alignof(float);
  if (data.info.dtype != io::DType::F32 || data.bytes.size() != data.info.numel() * sizeof(float) ||
      alignment != 0 || data.bytes.empty()) {
    return toTorchFloat32(static_cast<const io::TensorData&>(data));
  }
  auto* owner = new io::TensorBytes(std::move(data.bytes));
  return at::from_blob(
      owner->data(), data.info.shape, [owner](void*) { delete owner; }, at::kFloat);
}

io::TensorData fromTorch(const at::Tensor& tensor, const std::string& name, io::DType dtype) {
  const auto f32 = tensor.to(at::kFloat).contiguous();
  io::TensorData out;
  out.info = io::TensorInfo{name, dtype, f32.sizes().vec()};
  if (dtype == io::DType::F32) { // one copy, without zero-filling the buffer first
    const auto* begin = reinterpret_cast<const std::byte*>(f32.data_ptr<float>());
    out.bytes.assign(begin, begin + out.info.nbytes());
    return out;
  }
  out.bytes.resize(out.info.nbytes());
  io::convertFromFloat32(dtype, f32.data_ptr<float>(), static_cast<std::size_t>(f32.numel()),
                         out.bytes.data());
  return out;
}

std::uint64_t countNonFinite(const at::Tensor& tensor) {
  if (tensor.scalar_type() != at::kFloat)
    return static_cast<std::uint64_t>((~at::isfinite(tensor)).sum().item<int64_t>());
  const auto t = tensor.contiguous();
  // NaN and ±Inf are the floats whose exponent bits are all set; comparing bits vectorizes.
  const auto* bits = reinterpret_cast<const std::uint32_t*>(t.data_ptr<float>());
  std::uint64_t count = 0;
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i)
    count += (bits[i] & 0x7f800000u) == 0x7f800000u;
  return count;
}

} // namespace mg::tensor
