#pragma once
// Text tasks in the graph: a Tasks source of JSON Lines files (io/text_task_file.h), and Evaluate of a
// causal language model (core/lm) on them, scored as lm-evaluation-harness scores them (lm_eval).
#include <string>

#include "engine/node_runner.h"

namespace mg::lm_eval {
struct TextTaskScore;
}

namespace mg::engine {

// A text task's numbers as the task scores Compare charts (perplexity apart, mean NLL per token as the loss).
eval::TaskScore taskScoreOf(const lm_eval::TextTaskScore& text);
// "prose: perplexity 12.3", "choose: accuracy 60% (normalized by length 40%)", "say: exact match 50%"; a
// classifier task's "task: accuracy 90%".
std::string factOf(const eval::TaskScore& score);

// The Tasks source's value for a .jsonl file or a folder of them.
NodeOutputs textTasksSource(const std::string& path);

// Evaluate on text tasks: `model` a language model (a Model source's folder, mapped; or a merge, computed
// tensor by tensor, with its base folder's config.json and tokenizer) or a LoRA adapter of one (applied
// unmerged, with its base on the node's 'base'). Throws std::runtime_error naming the input otherwise.
NodeOutputs evaluateLanguageModel(NodeRunContext& context, const NodeValue& model, const TasksValue& tasks);

} // namespace mg::engine
