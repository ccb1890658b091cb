#pragma once
// Which task a specialist is for, read from names alone: a model, adapter or node named after a task
// ("rot90", "lora_rot90", "LoRA rot90", ".../adapters/rot90/"). One rule for every place that pairs
// specialists with tasks (the Compare view's normalized mode, the Merge gain node), so they never disagree.
#include <optional>
#include <string>
#include <vector>

namespace mg::eval {

// A label's short name: the last component of a path, without a checkpoint extension
// ("/zoo/adapters/lora_rot90/" -> "lora_rot90", "base.safetensors" -> "base"); other labels as they are.
std::string shortModelName(const std::string& label);

// Whether `name` names `task`: equal, or ending with it after a separator (_ - . space /), ignoring case.
// Returns 2 for equal, 1 for a suffix match, 0 otherwise. The separator keeps "carrot" from naming "rot".
int namesTask(const std::string& name, const std::string& task);

// The task among `tasks` that the short name of `label` names: an equal name before a suffix match, and of
// two suffix matches the longer task ("lora_h_flip" names task "h_flip" rather than task "flip"); nullopt
// when none does.
std::optional<std::size_t> taskNamedBy(const std::string& label, const std::vector<std::string>& tasks);

} // namespace mg::eval
