#pragma once
// A base model with a PEFT LoRA adapter applied, one tensor at a time: adapted weights are
// W + s·B·A (transposed for fan_in_fan_out, (B·A)ᵀ for embeddings; DoRA rescales rows to its
// magnitude vector), modules_to_save tensors replace the base's, everything else is the base's.
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

class AdapterWeights final : public WeightSet {
public:
  // Validates the adapter against the base's names and shapes (no data read); throws io::IoError.
  AdapterWeights(WeightSetPtr base, std::shared_ptr<const io::PeftAdapter> adapter);
  const std::vector<io::TensorInfo>& tensors() const override { return base_->tensors(); }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override;

  const WeightSet& base() const { return *base_; }
  const io::PeftAdapter& adapter() const { return *adapter_; }
  // The adapted module whose weight is `name`, or nullptr.
  const io::LoraModule* moduleFor(const std::string& name) const;
  // The task vector of `name` (s·B·A in the base weight's orientation), or an undefined tensor when the
  // adapter leaves `name` unchanged. Replacements and DoRA give (adapted − base).
  at::Tensor delta(const std::string& name) const;
  // The LoRA factors (as stored, float32), scaling and layout of the module whose weight is `name`, or
  // nullopt when the adapter does not adapt it.
  std::optional<ops::LoraFactors> factors(const std::string& name) const;

private:
  WeightSetPtr base_;
  std::shared_ptr<const io::PeftAdapter> adapter_;
  std::map<std::string, const io::LoraModule*> byTensor_;
};

} // namespace mg::engine
