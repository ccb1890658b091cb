// LoRA operations that make adapter folders: extraction from a fine-tune. The folder lives in the node's
// scratch folder (one per cache key), so a cached result is still there on the next run.
#include <filesystem>
#include <sstream>

#include "engine/graph/builtin_runners.h"
#include "engine/graph/node_runner.h"
#include "engine/graph/value_access.h"
#include "engine/lora_extraction.h"
#include "graph/builtin_node_types.h"
#include "io/peft_adapter.h"

namespace mg::engine {

namespace {

NodeOutputs runExtract(NodeRunContext& context) {
  const NodeValue& base = context.input("base");
  const auto baseWeights = modelWeights(context, base, NodeValue{}, "base");
  const auto model = modelWeights(context, context.input("model"), base, "model");
  LoraExtractionOptions options;
  options.maxRank = context.param("max_rank").get<std::int64_t>();
  options.epsilon = context.param("epsilon").get<double>();
  options.baseModelName = valueLabel(base);
  const std::string folder = (std::filesystem::path(context.scratchFolder) / "adapter").string();
  std::filesystem::create_directories(context.scratchFolder);
  context.progress(-1, "extracting by SVD");
  const auto report = extractLoraAdapter(*baseWeights, *model, folder, options);
  NodeOutputs out;
  std::ostringstream fact;
  fact << report.modules.size() << " modules, largest relative error " << report.maxRelativeError();
  out.facts.push_back(fact.str());
  out.values.emplace_back(AdapterValue{std::make_shared<const io::PeftAdapter>(folder), folder});
  return out;
}

} // namespace

void registerLoraRunners(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kLoraExtract, runExtract);
}

} // namespace mg::engine
