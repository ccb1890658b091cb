// Source nodes: a checkpoint or model folder becomes a lazy Model, an adapter folder an Adapter.
#include <filesystem>
#include <stdexcept>

#include "engine/runners/builtin_runners.h"
#include "engine/node_runner.h"
#include "weights/open_weights.h"
#include "graph/builtin_node_types.h"
#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"
#include "io/revision_path.h"

namespace mg::engine {

namespace {

std::string requiredPath(const NodeRunContext& context) {
  const std::string path = context.paramText("path");
  if (path.empty()) throw std::runtime_error("path is not set");
  return path;
}

NodeOutputs runModelSource(NodeRunContext& context) {
  const std::string path = requiredPath(context);
  if (std::filesystem::exists(std::filesystem::path(path) / "adapter_config.json")) {
    throw std::runtime_error(path + ": is a LoRA adapter folder; use a 'LoRA adapter' source node for it");
  }
  const auto opened = openWeights(path, nullptr);
  ModelValue model{
      opened.weights, path, std::dynamic_pointer_cast<const io::HfModelFolder>(opened.source), {}};
  NodeOutputs out;
  out.facts.push_back(std::to_string(opened.weights->tensors().size()) + " tensors (" +
                      io::sourceKindName(opened.source->kind()) + ")");
  out.values.emplace_back(std::move(model));
  return out;
}

NodeOutputs runAdapterSource(NodeRunContext& context) {
  const std::string path = requiredPath(context);
  auto adapter = std::make_shared<const io::PeftAdapter>(io::localPath(path)); // path@rev: that revision's
  NodeOutputs out;
  out.facts.push_back(adapter->isIa3() ? std::to_string(adapter->ia3Modules().size()) + " IA³ modules"
                                       : std::to_string(adapter->modules().size()) + " LoRA modules");
  out.values.emplace_back(AdapterValue{std::move(adapter), path});
  return out;
}

} // namespace

void registerSourceRunners(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kSourceModel, runModelSource);
  registry.add(graph::node_types::kSourceAdapter, runAdapterSource);
}

} // namespace mg::engine
