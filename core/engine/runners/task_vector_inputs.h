#pragma once
// The specialists on a node's variadic group (adapters, deltas or fine-tunes of the node's 'base') as task
// vectors, with the node each came from and the name it is shown under. Shared by the sinks that compare
// specialists by their weights (Embedding map, Merge gain).
#include <string>
#include <vector>

#include "embed/param_embedding.h"
#include "engine/node_runner.h"

namespace mg::engine {

// A point's name: the title of the node it comes from, else the file or folder name of its value.
std::string pointName(const NodeRunContext& context, graph::NodeId node, const NodeValue& value);

// Each connected input of the group as a task vector: an adapter's factors, a delta, or a full model minus
// the input 'base' (which must then be a model). Appends each one's source node to `nodes`. Empty when
// nothing is connected; throws std::runtime_error naming the input whose value is not a model, adapter or
// delta.
std::vector<embed::TaskVector> taskVectors(const NodeRunContext& context, std::vector<graph::NodeId>& nodes);

} // namespace mg::engine
