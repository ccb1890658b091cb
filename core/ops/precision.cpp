#include "ops/precision.h"

#include <ATen/ATen.h>

namespace mg::ops {

void roundInPlace(at::Tensor& tensor, Precision precision) {
  if (precision == Precision::F32) return;
  tensor.copy_(tensor.to(precision == Precision::BF16 ? at::kBFloat16 : at::kHalf));
}

at::Tensor rounded(const at::Tensor& tensor, Precision precision) {
  if (precision == Precision::F32) return tensor;
  return tensor.to(precision == Precision::BF16 ? at::kBFloat16 : at::kHalf).to(at::kFloat);
}

float roundValue(float value, Precision precision) {
  switch (precision) {
  case Precision::BF16: return static_cast<float>(c10::BFloat16(value));
  case Precision::F16: return static_cast<float>(c10::Half(value));
  case Precision::F32: break;
  }
  return value;
}

const char* toString(Precision precision) {
  switch (precision) {
  case Precision::BF16: return "bf16";
  case Precision::F16: return "f16";
  case Precision::F32: break;
  }
  return "f32";
}

} // namespace mg::ops
