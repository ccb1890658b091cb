#pragma once
// PEFT's target-module semantics (peft.tuners.tuners_utils.check_target_module_exists), for any model's
// module names: a list entry matches a module whose name is the entry or ends in "." + the entry; a regex
// (target_modules given as one string) must match the whole name.
#include <string>
#include <vector>

namespace mg::train {

// Whether list entry `entry` names `module` ("q_proj" names "model.layers.0.self_attn.q_proj").
bool peftModuleMatches(const std::string& module, const std::string& entry);

// The modules, in their order, that `patterns` (or, when not empty, `regex`) match. Throws
// std::invalid_argument naming `setting` when the regex is not valid or nothing matches (PEFT's error too),
// listing a few of the module names there are.
std::vector<std::string> matchTargetModules(const std::vector<std::string>& modules,
                                            const std::vector<std::string>& patterns,
                                            const std::string& regex,
                                            const std::string& setting = "target_modules");

} // namespace mg::train
