// The Embedding map node: task embeddings of its items (kind param) or of its tasks (kinds fisher and data,
// probed with the base model), their similarities, clusters and 2-D maps (core/embed). The map travels on
// the output and in NodeOutputs::embeddings, so the GUI can draw it and select the node behind a point.
#include "embed/embed_tasks.h"
#include "engine/graph/builtin_runners.h"
#include "engine/graph/classifier_access.h"
#include "engine/graph/node_runner.h"
#include "engine/graph/task_vector_inputs.h"
#include "eval/classifier.h"
#include "graph/builtin_node_types.h"
#include "io/hf_model_folder.h"
#include "io/task_file.h"

namespace mg::engine {

namespace {

NodeOutputs runEmbeddingMap(NodeRunContext& context) {
  const auto kind = embed::parseKind(context.paramText("kind"));
  const auto projection = embed::parseProjection(context.paramText("projection"));
  if (!kind) throw std::runtime_error("unknown kind '" + context.paramText("kind") + "'");
  if (!projection) throw std::runtime_error("unknown projection '" + context.paramText("projection") + "'");
  embed::EmbedOptions options;
  options.map.projection = *projection;
  options.map.seed = std::uint64_t(context.param("seed").get<std::int64_t>());
  options.cancel = context.cancel;
  options.progress = context.progress;

  NodeOutputs out;
  std::vector<graph::NodeId> nodes;
  embed::EmbeddingMap map;
  const bool itemsConnected = !context.groupInputs().empty();
  if (*kind == embed::EmbeddingKind::Parameter) {
    const auto items = taskVectors(context, nodes);
    if (items.empty())
      throw std::runtime_error("connect the adapters or models to embed to 'items' (parameter embeddings)");
    map = embed::embedTaskVectors(items, options);
    out.facts.push_back(std::to_string(map.size()) + " task vectors, sketched to " +
                        std::to_string(options.param.dimensions) + " dimensions (seed " +
                        std::to_string(options.map.seed) + ")");
    if (!std::holds_alternative<std::monostate>(context.input("tasks")))
      out.warnings.push_back("'tasks' is not used by parameter embeddings (kind param embeds the items)");
  } else {
    const auto* base = std::get_if<ModelValue>(&context.input("base"));
    if (!base)
      throw std::runtime_error(std::string(embed::kindName(*kind)) +
                               " embeddings probe the tasks with the base model: connect a model to 'base'");
    const auto* tasks = std::get_if<TasksValue>(&context.input("tasks"));
    if (!tasks || tasks->tasks->empty())
      throw std::runtime_error(std::string(embed::kindName(*kind)) +
                               " embeddings are of tasks: connect task data to 'tasks'");
    context.progress(-1, "loading the base model");
    const auto probe = eval::loadClassifier(*base->weights, base->config.get());
    map = embed::embedTasks(*kind, *probe, *tasks->tasks, options);
    nodes.assign(map.size(), inputSourceNode(context, 1));
    out.facts.push_back(std::to_string(map.size()) + " tasks, " + embed::kindName(*kind) + " embeddings of " +
                        std::to_string(map.vectors.empty() ? 0 : map.vectors.front().size()) +
                        " values, probed with " + probe->describe());
    if (itemsConnected)
      out.warnings.push_back(std::string("'items' are not used by ") + embed::kindName(*kind) +
                             " embeddings, which embed the tasks (kind param embeds the items)");
  }
  out.facts.push_back(std::to_string(map.clusterCount) + " cluster(s), " + map.metric + " " +
                      (map.metric == "task2vec" ? "distance" : "similarity"));
  for (const auto& line : embed::nearestNeighbourLines(map))
    out.facts.push_back(line);
  EmbeddingsValue value{std::make_shared<const embed::EmbeddingMap>(std::move(map)), std::move(nodes)};
  out.embeddings.push_back(value);
  out.values.emplace_back(std::move(value));
  return out;
}

} // namespace

void registerEmbeddingRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kEmbeddingMap, runEmbeddingMap);
}

} // namespace mg::engine
