#pragma once
// The built-in runners, one file per family of node types; registerBuiltinRunners (node_runner.h) calls
// them all.
namespace mg::engine {

class NodeRunnerRegistry;

void registerSourceRunners(NodeRunnerRegistry& registry);      // source_runners.cpp
void registerMergeRunners(NodeRunnerRegistry& registry);       // merge_runner.cpp
void registerOperatorRunners(NodeRunnerRegistry& registry);    // operator_runners.cpp
void registerLoraRunners(NodeRunnerRegistry& registry);        // lora_runners.cpp
void registerExportRunner(NodeRunnerRegistry& registry);       // export_runner.cpp
void registerEvaluationRunners(NodeRunnerRegistry& registry);  // eval_runners.cpp
void registerSweepRunner(NodeRunnerRegistry& registry);        // sweep_runner.cpp
void registerSearchRunner(NodeRunnerRegistry& registry);       // search_runner.cpp
void registerInterferenceRunner(NodeRunnerRegistry& registry); // interference_runner.cpp
void registerEmbeddingRunner(NodeRunnerRegistry& registry);    // embed_runner.cpp
void registerRouteRunner(NodeRunnerRegistry& registry);        // route_runner.cpp
void registerMergeGainRunner(NodeRunnerRegistry& registry);    // merge_gain_runner.cpp
void registerFineTuneRunner(NodeRunnerRegistry& registry);     // fine_tune_runner.cpp

} // namespace mg::engine
