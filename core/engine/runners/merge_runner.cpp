// Merge nodes: one runner for every core/ops method, building the same MergeRecipe the CLI builds.
#include "engine/runners/builtin_runners.h"
#include "engine/runners/data_aware_inputs.h"
#include "engine/runners/merged_model.h"
#include "engine/node_runner.h"
#include "graph/builtin_node_types.h"
#include "ops/method_schemas.h"

namespace mg::engine {

namespace {

NodeOutputs runMerge(NodeRunContext& context) {
  const auto method = graph::mergeMethodOf(context.nodeData().type).value();
  const auto group = context.groupInputs();
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount();
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < group.size(); ++i)
    labels.push_back(context.document.inputLabel(context.node, first + i));
  NodeOutputs out;
  std::vector<WeightSetPtr> statistics; // the data-aware methods' (fisher, regmean), gathered on the tasks
  const auto statisticsInput = context.document.nodeType(context.node)->inputIndex("statistics");
  if (statisticsInput && context.document.source({context.node, *statisticsInput})) {
    statistics = connectedStatistics(context, method, group.size());
    out.facts.push_back("statistics from " + context.document.inputLabel(context.node, *statisticsInput));
  } else if (ops::mergeMethod(method).needsData) {
    statistics = dataAwareStatistics(context, method, context.input("base"), group, first,
                                     context.param("examples").get<std::int64_t>(), out);
  }
  auto merge = mergeInputs(context, method, context.input("base"), group, labels, context.nodeData().params,
                           context.nodeData().title, statistics);
  for (const auto& w : merge.merged->warnings())
    out.warnings.push_back(w);
  out.facts.insert(out.facts.begin(), ops::mergeMethod(method).title + " of " + std::to_string(group.size()) +
                                          " inputs, " + std::to_string(merge.merged->tensors().size()) +
                                          " tensors");
  out.values.emplace_back(std::move(merge.model));
  return out;
}

} // namespace

void registerMergeRunners(NodeRunnerRegistry& registry) {
  for (const auto& method : ops::mergeMethods()) {
    registry.add(graph::mergeNodeTypeId(method.name), runMerge);
  }
  registry.add(graph::node_types::kFisher, runFisherNode); // the Fisher merge's statistics on their own
}

} // namespace mg::engine
