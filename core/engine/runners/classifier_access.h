#pragma once
// Runners that run a model on data (Evaluate, Interference, ...) load it the same way: the weights a Model
// input carries (an adapter applied to the base), shaped by the config.json of the model's Hugging Face
// folder, else the base's.
#include <memory>
#include <string>

#include "engine/node_runner.h"
#include "eval/classifier.h"

namespace mg::engine {

// Throws std::runtime_error naming the input when the value is not a model, or the weights do not fit.
std::unique_ptr<eval::Classifier> loadInputClassifier(const NodeRunContext& context, const NodeValue& model,
                                                      const NodeValue& base, const std::string& inputLabel,
                                                      const std::string& torchscript = {});

// The node feeding input `index` of the context's node (graph::kNoNode when unconnected).
graph::NodeId inputSourceNode(const NodeRunContext& context, std::size_t index);

// How charts and facts name the model on input `index`: its node's title ("TIES", "LoRA rotate") when it has
// one, else the value's label (a path).
std::string inputModelLabel(const NodeRunContext& context, std::size_t index, const NodeValue& value);

} // namespace mg::engine
