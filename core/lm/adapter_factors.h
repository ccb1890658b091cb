#pragma once
// Training an adapter through a loaded model (lm::CausalLm::adapterFactors, lm::CausalLm::ia3Vectors).
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

// One loaded IA³ adapter's scaling vector on one module, shared with the model, in PEFT's shape ([out, 1], or
// [1, in] for a feed-forward module: ready for io::writeIa3Adapter under io::ia3Key(module)). Setting
// requires_grad on it makes the forward record autograd (without its in-place shortcuts), so an IA³ adapter
// can be trained through the model; changing it in place (an optimizer step, under at::NoGradGuard) changes
// the model.
struct Ia3Vector {
  std::string module;      // e.g. "model.layers.0.mlp.down_proj"
  std::size_t adapter = 0; // index into LoadOptions::adapters
  at::Tensor l;
  bool feedforward = false; // scales the module's input (else its output)
};

} // namespace mg::lm
