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
  auto* owner = new std::vector<std::byte>(std::move(data.bytes));
  return at::from_blob(
      owner->data(), data.info.shape, [owner](void*) { delete owner; }, at::kFloat);
}

io::TensorData fromTorch(const at::Tensor& tensor, const std::string& name, io::DType dtype) {
  const auto f32 = tensor.to(at::kFloat).contiguous();
  io::TensorData out;
  out.info = io::TensorInfo{name, dtype, f32.sizes().vec()};
  out.bytes.resize(out.info.nbytes());
  io::convertFromFloat32(dtype, f32.data_ptr<float>(), static_cast<std::size_t>(f32.numel()),
                         out.bytes.data());
  return out;
}

} // namespace mg::tensor
