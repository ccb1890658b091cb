#pragma once
// Training an adapter through a loaded model (lm::CausalLm::adapterFactors).
#include <ATen/core/Tensor.h>

#include <cstddef>
#include <string>

namespace mg::lm {

// One loaded adapter's LoRA factors on one module (A [r, in], B [out, r], the adapter's scaling), shared with
// the model: setting requires_grad on them makes the forward record autograd (it then leaves out its
// in-place shortcuts), so an adapter can be trained through the model.
struct AdapterFactors {
  std::string module;      // e.g. "model.layers.0.self_attn.q_proj"
  std::size_t adapter = 0; // index into LoadOptions::adapters
  at::Tensor a, b;
  double scaling = 1.0;
};

} // namespace mg::lm
