#pragma once
// A data-aware merge node (fisher, regmean: spec "fisher, regmean") gathers, before it merges, each input
// model's statistics on that model's own task of its Tasks input, through the statistics cache.
#include <string>
#include <vector>

#include "embed/merge_statistics.h"
#include "engine/node_runner.h"
#include "engine/runners/language_model_access.h"

namespace mg::io {
struct TextTask;
}

namespace mg::engine {

// A language model's statistics on a text task (docs/spec/language-models.md "Fisher information and Gram
// matrices") through the cache of `request` (its settings get the estimator's): `weights` key the cache,
// `load` gives the model (with the same weights) only when the cache has no file. `progress` per sequence.
embed::ModelStatistics languageModelStatistics(const embed::StatisticsRequest& request,
                                               const WeightSet& weights,
                                               const std::function<LanguageModel()>& load,
                                               const io::TextTask& task,
                                               const std::function<void(double)>& progress = {});

// One per input of `group` (a merge node's connected models, adapters applied to `base`): the statistics
// of method `method` with `examples` inputs per task. Adds one fact per input (its task, computed or read
// from the cache) and the cache's warnings to `out`. Throws std::runtime_error when the Tasks input is
// missing, an input has no task, or a model cannot be run on its task.
std::vector<WeightSetPtr> dataAwareStatistics(const NodeRunContext& context, const std::string& method,
                                              const NodeValue& base,
                                              const std::vector<std::pair<const NodeValue*, double>>& group,
                                              std::size_t firstGroupInput, std::int64_t examples,
                                              NodeOutputs& out);

// The statistics of a node's 'statistics' input (a Fisher information node's output) for its `models`
// connected models. Throws std::runtime_error when they are not `method`'s or not of as many models.
std::vector<WeightSetPtr> connectedStatistics(const NodeRunContext& context, const std::string& method,
                                              std::size_t models);

// The Fisher information node (graph::node_types::kFisher): each model's Fisher through the same cache,
// summarised per tensor in its facts (mean, largest, share below the merge's default floor 1e-6), and as
// its output (StatisticsValue) for Fisher merges of the same models.
NodeOutputs runFisherNode(NodeRunContext& context);

} // namespace mg::engine
