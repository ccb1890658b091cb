// LoRA operations that make adapter folders: extraction from a fine-tune, exact concatenation. The folder
// lives in the node's scratch folder (one per cache key), so a cached result is still there on the next run.
#include <filesystem>
#include <sstream>

#include "engine/runners/builtin_runners.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "weights/lora_extraction.h"
#include "weights/merged_adapter.h"
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

NodeOutputs runConcatenate(NodeRunContext& context) {
  std::vector<const io::PeftAdapter*> adapters;
  std::vector<double> weights;
  const auto group = context.groupInputs();
  for (const auto& [value, weight] : group) {
    const auto* adapter = std::get_if<AdapterValue>(value);
    if (!adapter)
      throw std::runtime_error("every input of " + context.describe() + " must be a LoRA adapter");
    adapters.push_back(adapter->adapter.get());
    weights.push_back(weight);
  }
  const std::string folder = (std::filesystem::path(context.scratchFolder) / "adapter").string();
  std::filesystem::create_directories(context.scratchFolder);
  const auto report = writeConcatenatedAdapter(adapters, weights, folder);
  std::int64_t rank = 0;
  for (const auto& m : report.modules.modules)
    rank = std::max(rank, m.rank);
  NodeOutputs out;
  out.facts.push_back(std::to_string(report.modules.modules.size()) + " modules, rank up to " +
                      std::to_string(rank) + " (exact)");
  out.values.emplace_back(AdapterValue{std::make_shared<const io::PeftAdapter>(folder), folder});
  return out;
}

} // namespace

void registerLoraRunners(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kLoraExtract, runExtract);
  registry.add(graph::node_types::kLoraCat, runConcatenate);
}

} // namespace mg::engine
