#pragma once
// Internal to core/lm: attaches PEFT LoRA and IA³ adapters to a model's linear modules, unmerged.
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "lm/projection.h"

namespace mg::lm::detail {

// Adapter k's factors (or IA³ vectors) go to the projections its modules name (PEFT names,
// "base_model.model." stripped; a GPT-2 adapter made on GPT2Model without "transformer." is matched too).
// Throws io::IoError naming the adapter folder: a module the model does not have, factors or vectors whose
// shapes do not fit it, an IA³ module marked feed-forward in one adapter and not in another, DoRA, embedding
// LoRAs or replaced tensors (modules_to_save), which an unmerged application cannot express.
void attachAdapters(const std::vector<std::string>& folders, const std::vector<Projection*>& projections,
                    at::ScalarType dtype, const std::string& modelDescription);

} // namespace mg::lm::detail
