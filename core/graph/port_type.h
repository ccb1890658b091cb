#pragma once
// What flows along an edge. The types say nothing about colours or names on screen: the editor maps them.
#include <optional>
#include <string_view>

namespace mg::graph {

enum class PortType {
  Model,      // a full weight set (lazy: names, dtypes, shapes, and any one tensor on demand)
  Adapter,    // LoRA factors + config
  Delta,      // a task vector θ − θ0, possibly low-rank
  Tasks,      // evaluation datasets
  Scores,     // per-task metrics
  Embeddings, // task → vector
  Statistics  // per-model statistics a data-aware merge uses (a Fisher node's diagonal Fisher information)
};

// "model", "adapter", "delta", "tasks", "scores", "embeddings", "statistics": the spelling of messages and
// files.
const char* portTypeName(PortType type);
std::optional<PortType> portTypeFromName(std::string_view name);

// Whether an output of type `from` may feed an input of type `to`. The one place the rule lives:
//   - same type: always;
//   - Adapter → Model: the adapter stands for "its base + its delta"; the base is the consuming node's "base"
//     input (merges, subtract, evaluate, ...), or the node takes the adapter as such (export writes an
//     adapter folder) — validation checks which, as it depends on the node and not on the types;
//   - Adapter → Delta: an adapter *is* a low-rank task vector (s·B·A), so scale / add / SVD accept it;
//   - nothing else: a Model is not a Delta (subtract a base first), Scores are not Tasks, ...
bool canConnect(PortType from, PortType to);

} // namespace mg::graph
