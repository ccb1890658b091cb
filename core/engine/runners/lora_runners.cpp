// LoRA operations that make adapter folders: extraction from a fine-tune, SVD of task vectors or of an
// adapter's own update, exact concatenation. The folder lives in the node's scratch folder (one per cache
// key), so a cached result is still there on the next run.
#include <algorithm>
#include <filesystem>
#include <sstream>

#include "engine/runners/builtin_runners.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "weights/ia3_merge.h"
#include "weights/lora_extraction.h"
#include "weights/merged_adapter.h"
#include "weights/merged_weights.h"
#include "graph/builtin_node_types.h"
#include "io/peft_adapter.h"

namespace mg::engine {

namespace {

// Where the node writes its adapter: "adapter" in its scratch folder.
std::string adapterFolder(const NodeRunContext& context) {
  std::filesystem::create_directories(context.scratchFolder);
  return (std::filesystem::path(context.scratchFolder) / "adapter").string();
}

// The adapter a truncated SVD wrote, with what it did.
NodeOutputs svdAdapterOutputs(const LoraExtractionReport& report, const std::string& folder) {
  NodeOutputs out;
  std::int64_t rank = 0;
  for (const auto& m : report.modules)
    rank = std::max(rank, m.rank);
  std::ostringstream fact;
  fact << report.modules.size() << " modules of rank up to " << rank << ", largest relative error "
       << report.maxRelativeError();
  out.facts.push_back(fact.str());
  if (!report.replaced.empty()) {
    out.facts.push_back(std::to_string(report.replaced.size()) +
                        " tensors saved whole (modules_to_save, biases), e.g. '" + report.replaced.front() +
                        "'");
  }
  if (!report.dropped.empty()) {
    out.warnings.push_back(
        std::to_string(report.dropped.size()) +
        " changed tensors that are not weight matrices (biases, norms) are left out, as an "
        "adapter made from task vectors cannot carry them, e.g. '" +
        report.dropped.front() + "'");
  }
  out.values.emplace_back(AdapterValue{std::make_shared<const io::PeftAdapter>(folder), folder});
  return out;
}

NodeOutputs runExtract(NodeRunContext& context) {
  const NodeValue& base = context.input("base");
  const auto baseWeights = modelWeights(context, base, NodeValue{}, "base");
  const auto model = modelWeights(context, context.input("model"), base, "model");
  LoraExtractionOptions options;
  options.maxRank = context.param("max_rank").get<std::int64_t>();
  options.epsilon = context.param("epsilon").get<double>();
  options.baseModelName = valueLabel(base);
  const std::string folder = adapterFolder(context);
  context.progress(-1, "extracting by SVD");
  return svdAdapterOutputs(extractLoraAdapter(*baseWeights, *model, folder, options), folder);
}

// SVD to LoRA: task vectors, or an adapter's own update (no base needed), as an adapter of at most `rank`
// per module. adapter_config.json names the model the task vectors were taken from when that is known (a
// Subtract upstream; an adapter's own base model), else none.
NodeOutputs runSvd(NodeRunContext& context) {
  const NodeValue& input = context.input("delta");
  const auto* adapter = std::get_if<AdapterValue>(&input);
  const auto deltas = adapter ? nullptr : deltaWeights(context, input, NodeValue{}, "delta");
  LoraExtractionOptions options;
  options.maxRank = context.param("rank").get<std::int64_t>();
  const std::string folder = adapterFolder(context);
  context.progress(-1, "truncated SVD per weight matrix");
  if (adapter) {
    options.baseModelName = adapter->adapter->config().baseModelNameOrPath;
    return svdAdapterOutputs(adapterToLoraAdapter(adapter->adapter, folder, options), folder);
  }
  if (const auto* delta = std::get_if<DeltaValue>(&input)) options.baseModelName = delta->base;
  return svdAdapterOutputs(deltaToLoraAdapter(*deltas, folder, options), folder);
}

// IA³ inputs: PEFT's weighted IA³ merge, l = Σ w_i·l_i per module (weights/ia3_merge.h).
NodeOutputs runWeightedIa3(NodeRunContext& context, const std::vector<const io::PeftAdapter*>& adapters,
                           const std::vector<double>& weights) {
  const std::string folder = adapterFolder(context);
  const auto report = writeWeightedIa3Adapter(adapters, weights, folder);
  NodeOutputs out;
  out.facts.push_back(std::to_string(report.modules) + " IA³ modules, weighted IA³ merge (exact)");
  if (report.replacements)
    out.facts.push_back(std::to_string(report.replacements) + " modules_to_save tensors carried over");
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
      throw std::runtime_error("every input of " + context.describe() + " must be a LoRA or an IA³ adapter");
    adapters.push_back(adapter->adapter.get());
    weights.push_back(weight);
  }
  for (const auto* a : adapters)
    if (a->isIa3() != adapters.front()->isIa3())
      throw std::runtime_error(context.describe() +
                               " combines adapters of one kind: " + adapters.front()->path() + " is " +
                               adapters.front()->peftType() + " but " + a->path() + " is " + a->peftType());
  if (!adapters.empty() && adapters.front()->isIa3()) return runWeightedIa3(context, adapters, weights);
  const std::string folder = adapterFolder(context);
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

// A merge node's result as an adapter (weights/merged_adapter.h decides exact or truncated).
NodeOutputs runMergedAsLora(NodeRunContext& context) {
  const auto* model = std::get_if<ModelValue>(&context.input("model"));
  const auto* merged = model ? dynamic_cast<const MergedWeights*>(model->weights.get()) : nullptr;
  if (!merged)
    throw std::runtime_error(context.describe() + ": 'model' must come from a merge node of LoRA adapters");
  const auto rank = context.param("rank").get<std::int64_t>();
  const std::string folder = adapterFolder(context);
  context.progress(-1, "writing the merge as an adapter");
  const auto report = writeMergedAdapter(*merged, folder, rank > 0 ? std::optional(rank) : std::nullopt);
  NodeOutputs out;
  std::int64_t largest = 0;
  for (const auto& m : report.modules.modules)
    largest = std::max(largest, m.rank);
  std::ostringstream fact;
  fact << report.modules.modules.size() << " modules, rank up to " << largest;
  if (report.exact)
    fact << " (exact)";
  else
    fact << ", largest relative error " << report.modules.maxRelativeError();
  out.facts.push_back(fact.str());
  out.values.emplace_back(AdapterValue{std::make_shared<const io::PeftAdapter>(folder), folder});
  return out;
}

} // namespace

void registerLoraRunners(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kLoraExtract, runExtract);
  registry.add(graph::node_types::kLoraSvd, runSvd);
  registry.add(graph::node_types::kLoraCat, runConcatenate);
  registry.add(graph::node_types::kLoraMerged, runMergedAsLora);
}

} // namespace mg::engine
