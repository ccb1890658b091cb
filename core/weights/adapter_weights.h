#pragma once
// A base model with a PEFT adapter applied, one tensor at a time: LoRA-adapted weights are
// W + s·B·A (transposed for fan_in_fan_out, (B·A)ᵀ for embeddings; DoRA rescales rows to its
// magnitude vector); IA³-adapted weights are W ⊙ l (PEFT's merge: l scales the output rows, or the input
// columns of a feed-forward module, after fan_in_fan_out) and their biases b ⊙ l (not for feed-forward
// modules); modules_to_save tensors replace the base's, everything else is the base's.
#include "weights/weight_set.h"
#include "io/peft_adapter.h"
#include "ops/knots_merge.h"
#include "ops/lora_ops.h"

#include <map>

namespace mg::engine {

// How a module's update lies on its weight: an embedding, a fan_in_fan_out (Conv1D) weight, or linear.
ops::LoraLayout loraLayoutOf(const io::PeftAdapter& adapter, const io::LoraModule& m);
// A module's update s·B·A (float32) oriented like its base weight, read from the adapter alone. DoRA's
// rescaling is not part of it: that needs the base weight.
at::Tensor loraUpdateOf(const io::PeftAdapter& adapter, const io::LoraModule& m);

// PEFT's IA³ merge of one weight: w ⊙ l with l ([n] values, float32) along w's output dimension, or its input
// dimension for a feed-forward module (Linear [out, in], [in, out] with fan_in_fan_out; convolutions
// [out, in, k...]).
at::Tensor ia3Scaled(const at::Tensor& w, const at::Tensor& l, bool feedforward, bool fanInFanOut);

class AdapterWeights final : public WeightSet {
public:
  // Validates the adapter against the base's names and shapes (no data read); throws io::IoError.
  AdapterWeights(WeightSetPtr base, std::shared_ptr<const io::PeftAdapter> adapter);
  const std::vector<io::TensorInfo>& tensors() const override { return base_->tensors(); }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override;

  const WeightSet& base() const { return *base_; }
  const io::PeftAdapter& adapter() const { return *adapter_; }
  // The LoRA-adapted module whose weight is `name`, or nullptr.
  const io::LoraModule* moduleFor(const std::string& name) const;
  // The IA³ module whose weight (or, not feed-forward, bias) is `name`, or nullptr.
  const io::Ia3Module* ia3ModuleFor(const std::string& name) const;
  // The task vector of `name` (s·B·A in the base weight's orientation), or an undefined tensor when the
  // adapter leaves `name` unchanged. Replacements, DoRA and IA³ give (adapted − base).
  at::Tensor delta(const std::string& name) const;
  // The LoRA factors (as stored, float32), scaling and layout of the module whose weight is `name`, or
  // nullopt when the adapter does not adapt it (always for IA³).
  std::optional<ops::LoraFactors> factors(const std::string& name) const;

private:
  WeightSetPtr base_;
  std::shared_ptr<const io::PeftAdapter> adapter_;
  std::map<std::string, const io::LoraModule*> byTensor_;
  std::map<std::string, const io::Ia3Module*> ia3ByTensor_; // weights, and biases of output-scaled modules
};

} // namespace mg::engine
