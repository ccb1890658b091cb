#pragma once
// The update a PEFT LoRA adapter applies, read from the adapter alone (no base model): one tensor per
// adapted module, named and shaped like the module's base weight, holding s·B·A in that weight's layout
// (loraUpdateOf). A DoRA adapter has no such update, as it rescales rows to norms of the base weights, and
// is refused. The adapter's whole tensors (modules_to_save, trained biases) replace base tensors instead of
// adding to them, so they are not part of it.
#include "weights/weight_set.h"
#include "io/peft_adapter.h"
#include "ops/lora_ops.h"

#include <map>
#include <memory>

namespace mg::engine {

class AdapterDelta final : public WeightSet {
public:
  // Throws std::runtime_error naming the adapter folder when it is a DoRA or an IA³ adapter.
  explicit AdapterDelta(std::shared_ptr<const io::PeftAdapter> adapter);
  const std::vector<io::TensorInfo>& tensors() const override { return tensors_; }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override;

  const io::PeftAdapter& adapter() const { return *adapter_; }
  // How the update of `name` (one of tensors()) lies on its weight. Throws std::runtime_error otherwise.
  ops::LoraLayout layoutOf(const std::string& name) const;

private:
  const io::LoraModule& moduleFor(const std::string& name) const;

  std::shared_ptr<const io::PeftAdapter> adapter_;
  std::vector<io::TensorInfo> tensors_; // sorted by name
  std::map<std::string, const io::LoraModule*> byTensor_;
};

} // namespace mg::engine
