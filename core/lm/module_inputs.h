#pragma once
// What each linear module of a language model reads, observed during a forward pass: RegMean's Gram
// matrices of module inputs (lm_eval/lm_statistics.h). Read-only: an observer sees the inputs, never
// changes them, and a forward without one runs exactly as before (one null check per module).
#include <string>

namespace at {
class Tensor;
}

namespace mg::lm {

class ModuleInputObserver {
public:
  virtual ~ModuleInputObserver() = default;
  // `input` [B, T, in] (in the compute dtype, padding rows included) is what the linear module named
  // `module` (its checkpoint name without ".weight", e.g. "model.layers.0.self_attn.q_proj", "lm_head") is
  // about to read. Called on the forward's thread, in the order the modules run.
  virtual void observe(const std::string& module, const at::Tensor& input) = 0;
};

} // namespace mg::lm
