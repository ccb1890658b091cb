#include "engine/runners/builtin_runners.h"

#include "engine/node_runner.h"

namespace mg::engine {

void registerBuiltinRunners(NodeRunnerRegistry& registry) {
  registerSourceRunners(registry);
  registerMergeRunners(registry);
  registerOperatorRunners(registry);
  registerLoraRunners(registry);
  registerExportRunner(registry);
  registerEvaluationRunners(registry);
  registerSweepRunner(registry);
  registerSearchRunner(registry);
  registerInterferenceRunner(registry);
  registerEmbeddingRunner(registry);
  registerRouteRunner(registry);
  registerMergeGainRunner(registry);
  registerFineTuneRunner(registry);
}

} // namespace mg::engine
