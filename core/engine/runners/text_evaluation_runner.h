#pragma once
// Text tasks in the graph: a Tasks source of JSON Lines files (io/text_task_file.h), and Evaluate of a
// causal language model (core/lm) on them, scored as lm-evaluation-harness scores them (lm_eval).
#include <string>

#include "engine/node_runner.h"

namespace mg::engine {

// The Tasks source's value for a .jsonl file or a folder of them.
NodeOutputs textTasksSource(const std::string& path);

// Evaluate on text tasks: `model` a language model (a Model source's folder, mapped; or a merge, computed
// tensor by tensor, with its base folder's config.json and tokenizer) or a LoRA adapter of one (applied
// unmerged, with its base on `base`). Throws std::runtime_error naming the input otherwise.
NodeOutputs evaluateLanguageModel(NodeRunContext& context, const NodeValue& model, const NodeValue& base,
                                  const TasksValue& tasks);

} // namespace mg::engine
