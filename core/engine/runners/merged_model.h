#pragma once
// A merge as the value a merge node outputs: the MergeRecipe built from a node's inputs and parameters, as a
// lazy model with the config and provenance an export needs. Shared by the merge nodes and the sinks that
// merge for themselves (Merge gain merges every pair of its specialists).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/node_runner.h"
#include "weights/merged_weights.h"

namespace mg::engine {

struct MergedModel {
  ModelValue model;                            // its weights are `merged`
  std::shared_ptr<const MergedWeights> merged; // the recipe, warnings and tensors
};

// Merges `inputs` (values with their weights and input labels, as a merge node's group holds them; an adapter
// is applied to `base`) with core/ops method `method`. `params` are the method's parameters as a node holds
// them; "seed" is the recipe's seed. The base is used as the method wants it (ignored when it takes none).
// `statistics`: each input's, for a data-aware method (runners/data_aware_inputs.h); empty for the others.
// Throws std::runtime_error naming an input whose value does not fit, std::invalid_argument for a bad recipe.
MergedModel mergeInputs(const NodeRunContext& context, const std::string& method, const NodeValue& base,
                        const std::vector<std::pair<const NodeValue*, double>>& inputs,
                        const std::vector<std::string>& inputLabels,
                        const std::map<std::string, graph::ParamValue>& params, const std::string& title,
                        const std::vector<WeightSetPtr>& statistics = {});

} // namespace mg::engine
