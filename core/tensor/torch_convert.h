#pragma once
// Bridges core/io's raw tensors and LibTorch tensors. Declared with a forward declaration so
// headers stay free of torch; callers include <torch/torch.h> in their .cpp.
#include "io/tensor.h"

namespace at {
class Tensor;
}

namespace mg::tensor {

// A float32 CPU tensor of the data's shape (any stored dtype is widened to float32).
at::Tensor toTorchFloat32(const io::TensorData& data);
// The same, taking the bytes over when they already are float32: no copy and no second buffer, which
// is what lets a merge of N inputs stay near N tensors of memory.
at::Tensor toTorchFloat32(io::TensorData&& data);
// Stores a tensor (any float dtype, contiguous or not) as `dtype` under `name`.
io::TensorData fromTorch(const at::Tensor& tensor, const std::string& name, io::DType dtype);
// How many entries of a floating-point tensor are NaN or ±Inf (one pass, no temporaries).
std::uint64_t countNonFinite(const at::Tensor& tensor);

} // namespace mg::tensor
