#pragma once
// A base model with a PEFT LoRA adapter applied, one tensor at a time: adapted weights are
// W + s·B·A (transposed for fan_in_fan_out, (B·A)ᵀ for embeddings; DoRA rescales rows to its
// magnitude vector), modules_to_save tensors replace the base's, everything else is the base's.
#include "weights/weight_set.h"
#include "io/peft_adapter.h"
#include "ops/lora_ops.h"

#include <map>

namespace mg::engine {

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

private:
  at::Tensor factorDelta(const io::LoraModule& m) const; // s·B·A oriented like the base weight
  ops::LoraLayout layoutOf(const io::LoraModule& m) const;

  WeightSetPtr base_;
  std::shared_ptr<const io::PeftAdapter> adapter_;
  std::map<std::string, const io::LoraModule*> byTensor_;
};

} // namespace mg::engine
