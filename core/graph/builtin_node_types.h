#pragma once
// The node types Merganser ships, registered in one place. Merge nodes are generated from core/ops' method
// table, one per method, so a method added there appears in the editor with its parameters.
#include <optional>
#include <string>
#include <vector>

namespace mg::graph {

class NodeTypeRegistry;

// Ids of the built-in types the editor creates by itself (dropped files, library entries).
namespace node_types {
inline constexpr const char* kSourceModel = "source.model";
inline constexpr const char* kSourceAdapter = "source.adapter";
inline constexpr const char* kSourceTasks = "source.tasks";
inline constexpr const char* kLoraCat = "lora.cat";
inline constexpr const char* kLoraSvd = "lora.svd";
inline constexpr const char* kLoraExtract = "lora.extract";
inline constexpr const char* kLoraMerged = "lora.merged";
inline constexpr const char* kScale = "op.scale";
inline constexpr const char* kAddDelta = "op.add_delta";
inline constexpr const char* kSubtract = "op.subtract";
inline constexpr const char* kExport = "sink.export";
inline constexpr const char* kEvaluate = "sink.evaluate";
inline constexpr const char* kCompare = "sink.compare";
inline constexpr const char* kSweep = "sink.sweep";
inline constexpr const char* kSearch = "sink.search";
inline constexpr const char* kInterference = "sink.interference";
inline constexpr const char* kFisher = "sink.fisher";
inline constexpr const char* kEmbeddingMap = "sink.embedding_map";
inline constexpr const char* kMergeGain = "sink.merge_gain";
inline constexpr const char* kRouter = "route.router";
inline constexpr const char* kFineTune = "train.fine_tune";
inline constexpr const char* kMergePrefix = "merge."; // + a core/ops method name: "merge.ties"
} // namespace node_types

// Sources, merges, LoRA operations, operators and sinks, in the palette's order.
void registerBuiltinNodeTypes(NodeTypeRegistry& registry);
// Training specialists: the Fine-tune node (training_node_types.cpp).
void registerTrainingNodeTypes(NodeTypeRegistry& registry);
// One node type per core/ops merge method (merge_node_types.cpp).
void registerMergeNodeTypes(NodeTypeRegistry& registry);

// "merge.ties" for "ties"; and back: the core/ops method of a merge node type, nullopt for other types.
std::string mergeNodeTypeId(const std::string& method);
std::optional<std::string> mergeMethodOf(const std::string& typeId);

// The merge methods a Merge gain node offers: those that merge two specialists on their base from weights
// alone (a task vector method, or one that takes an optional base), task_arithmetic first.
std::vector<std::string> pairMergeMethods();

} // namespace mg::graph
