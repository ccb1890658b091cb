#pragma once
// A model's accuracy on some of a Tasks input's tasks, whatever the tasks are: classifier task files (the
// model loaded as a classifier) or text tasks (the model loaded as a language model, an adapter applied
// unmerged; multiple-choice accuracy or generation exact match). The Merge gain node scores specialists and
// their pairwise merges through it.
#include <functional>
#include <string>
#include <vector>

#include "engine/node_runner.h"

namespace mg::engine {

// The accuracies of `model` (an adapter: on the node's 'base') on tasks[indices], labelled `label` in errors.
using AccuracyOn = std::function<std::vector<double>(const NodeValue& model, const std::string& label,
                                                     const std::vector<std::size_t>& indices)>;

// At most `examples` examples per task (0: all). Text tasks of kind perplexity have no accuracy: scoring one
// throws std::runtime_error naming it.
AccuracyOn accuracyOn(NodeRunContext& context, const TasksValue& tasks, std::int64_t examples);

// The tasks' names, in order (classifier or text tasks).
std::vector<std::string> taskNames(const TasksValue& tasks);

} // namespace mg::engine
