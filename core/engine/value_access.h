#pragma once
// Reading input values in runners: the conversions graph::canConnect allows (an Adapter on a Model input is
// its base plus its delta; an Adapter on a Delta input is its delta), with errors that name the input.
#include <string>

#include "engine/node_runner.h"

namespace mg::engine {

// The weights a Model input carries. An AdapterValue is applied to `base` (which must be a ModelValue).
// Throws std::runtime_error ("input 'models 2' of 'TIES' (node 3): ...") when the value does not fit.
WeightSetPtr modelWeights(const NodeRunContext& context, const NodeValue& value, const NodeValue& base,
                          const std::string& inputLabel);

// The task vectors a Delta input carries; an adapter's delta needs `base` for its tensor list.
WeightSetPtr deltaWeights(const NodeRunContext& context, const NodeValue& value, const NodeValue& base,
                          const std::string& inputLabel);

// The label of a value for messages and provenance (a path, or what made it).
std::string valueLabel(const NodeValue& value);

// The classifier task data on input `input` (nullptr when it is not connected or not task data). Throws
// std::runtime_error naming the node when it is text tasks (language models), which only Evaluate scores.
const TasksValue* classifierTasks(const NodeRunContext& context, const std::string& input);

} // namespace mg::engine
