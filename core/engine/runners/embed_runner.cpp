// The Embedding map node: task embeddings of its items (kind param) or of its tasks (kinds fisher and data,
// probed with the base model), their similarities, clusters and 2-D maps (core/embed). The chosen kind's map
// travels on the output and first in NodeOutputs::embeddings; every other kind the connected inputs allow
// follows it there, so the GUI can switch kind live without running again.
#include <chrono>
#include <cstdio>

#include "embed/embed_tasks.h"
#include "weights/cancel.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/classifier_access.h"
#include "engine/runners/language_model_access.h"
#include "lm_eval/lm_statistics.h"
#include "lm_eval/text_data_embedding.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "engine/runners/task_vector_inputs.h"
#include "eval/classifier.h"
#include "eval/specialist_names.h"
#include "graph/builtin_node_types.h"
#include "io/hf_model_folder.h"
#include "io/task_file.h"

namespace mg::engine {

namespace {

// Examples per text task of a Fisher embedding: one backward pass each.
constexpr std::int64_t kTextFisherExamples = 64;

constexpr embed::EmbeddingKind kKinds[] = {embed::EmbeddingKind::Parameter, embed::EmbeddingKind::Fisher,
                                           embed::EmbeddingKind::Data};

// What one kind's map is made from: the node's inputs, and the base model loaded once for fisher and data.
class MapInputs {
public:
  explicit MapInputs(NodeRunContext& context) : context_(context) {
    base_ = std::get_if<ModelValue>(&context.input("base"));
    tasks_ = std::get_if<TasksValue>(&context.input("tasks"));
    if (tasks_ && tasks_->textTasks)
      std::swap(tasks_, textTasks_); // text tasks: a language model probes them
    if (tasks_ && (!tasks_->tasks || tasks_->tasks->empty())) tasks_ = nullptr;
  }

  // Whether the connected inputs allow `kind` to be computed besides the chosen one (param: items; fisher: a
  // base and classifier tasks; data: a base and classifier or text tasks). A language model's Fisher costs a
  // backward pass through the model per example: computed only when it is the chosen kind.
  bool allow(embed::EmbeddingKind kind) const {
    if (kind == embed::EmbeddingKind::Parameter) return !context_.groupInputs().empty();
    if (textTasks_) return base_ && kind == embed::EmbeddingKind::Data;
    return base_ && tasks_;
  }

  // The kind's map and the node behind each point; `fact` says what was embedded. Throws
  // std::runtime_error saying what to connect when the inputs do not allow it, or why it failed.
  EmbeddingsValue map(embed::EmbeddingKind kind, const embed::EmbedOptions& options, std::string& fact) {
    return kind == embed::EmbeddingKind::Parameter ? parameterMap(options, fact)
                                                   : taskMap(kind, options, fact);
  }

private:
  EmbeddingsValue parameterMap(const embed::EmbedOptions& options, std::string& fact) const {
    std::vector<graph::NodeId> nodes;
    const auto items = taskVectors(context_, nodes);
    if (items.empty())
      throw std::runtime_error("connect the adapters or models to embed to 'items' (parameter embeddings)");
    auto map = embed::embedTaskVectors(items, options);
    // With tasks connected, a specialist gets the skills of the task it is named after ("LoRA rotate":
    // task "rotate"), so the view can colour adapters by skill.
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> skills;
    if (tasks_)
      for (const auto& task : *tasks_->tasks) {
        names.push_back(task.name);
        skills.push_back(task.skills);
      }
    if (textTasks_)
      for (const auto& task : *textTasks_->textTasks) {
        names.push_back(task.name);
        skills.push_back(task.skills);
      }
    for (std::size_t i = 0; i < map.size(); ++i)
      if (const auto task = eval::taskNamedBy(map.names[i], names)) map.skills[i] = skills[*task];
    fact =
        std::to_string(map.size()) + " task vectors, " +
        (options.param.dimensions == 0 ? std::string("exact")
                                       : "sketched to " + std::to_string(options.param.dimensions) +
                                             " dimensions (seed " + std::to_string(options.map.seed) + ")");
    return {std::make_shared<const embed::EmbeddingMap>(std::move(map)), std::move(nodes)};
  }

  EmbeddingsValue taskMap(embed::EmbeddingKind kind, const embed::EmbedOptions& options, std::string& fact) {
    const std::string name = embed::kindName(kind);
    if (!base_)
      throw std::runtime_error(name +
                               " embeddings probe the tasks with the base model: connect a model to 'base'");
    if (textTasks_) return textTaskMap(kind, options, fact);
    if (!tasks_) throw std::runtime_error(name + " embeddings are of tasks: connect task data to 'tasks'");
    if (!probe_) {
      context_.progress(-1, "loading the base model");
      probe_ = eval::loadClassifier(*base_->weights, base_->config.get());
    }
    auto map = embed::embedTasks(kind, *probe_, *tasks_->tasks, options);
    fact = std::to_string(map.size()) + " tasks, " + name + " embeddings of " +
           std::to_string(map.vectors.empty() ? 0 : map.vectors.front().size()) + " values, probed with " +
           probe_->describe();
    const auto tasksInput = context_.document.nodeType(context_.node)->inputIndex("tasks");
    std::vector<graph::NodeId> nodes(map.size(), inputSourceNode(context_, tasksInput.value_or(1)));
    return {std::make_shared<const embed::EmbeddingMap>(std::move(map)), std::move(nodes)};
  }

  // Text tasks probed with the base language model: data, its mean last hidden state over each task's texts;
  // fisher, Task2Vec over its last decoder block and LM head (lm_eval::lmFisherEmbedding) on the tokens each
  // task scores, on at most kTextFisherExamples examples.
  EmbeddingsValue textTaskMap(embed::EmbeddingKind kind, const embed::EmbedOptions& options,
                              std::string& fact) {
    if (!language_.model) language_ = loadLanguageModel(context_, *base_, "base");
    lm::RunOptions run;
    run.batchSize = std::size_t(kLanguageModelBatch);
    run.cancel = context_.cancel;
    std::vector<std::string> names;
    std::vector<std::vector<float>> vectors;
    const auto& tasks = *textTasks_->textTasks;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      if (options.progress) options.progress(double(i) / double(tasks.size()), tasks[i].name);
      names.push_back(tasks[i].name);
      if (kind == embed::EmbeddingKind::Data) {
        vectors.push_back(lm_eval::textDataEmbedding(*language_.model, *language_.tokenizer, tasks[i],
                                                     options.data.maxExamples, run));
        continue;
      }
      const auto requests = lm_eval::statisticsRequests(tasks[i], *language_.tokenizer, kTextFisherExamples,
                                                        lm_eval::statisticsWindow(*language_.model));
      lm_eval::LmFisherOptions fisher;
      fisher.cancel = context_.cancel;
      vectors.push_back(lm_eval::lmFisherEmbedding(*language_.model, requests, fisher));
    }
    auto map = embed::makeEmbeddingMap(kind, std::move(names), std::move(vectors), options.map);
    for (std::size_t i = 0; i < tasks.size(); ++i)
      map.skills[i] = tasks[i].skills;
    fact = std::to_string(map.size()) + " text tasks, " + embed::kindName(kind) + " embeddings of " +
           std::to_string(map.vectors.empty() ? 0 : map.vectors.front().size()) + " values, probed with " +
           language_.model->describe();
    const auto tasksInput = context_.document.nodeType(context_.node)->inputIndex("tasks");
    std::vector<graph::NodeId> nodes(map.size(), inputSourceNode(context_, tasksInput.value_or(1)));
    return {std::make_shared<const embed::EmbeddingMap>(std::move(map)), std::move(nodes)};
  }

  NodeRunContext& context_;
  const ModelValue* base_ = nullptr;
  const TasksValue* tasks_ = nullptr;     // classifier task files
  const TasksValue* textTasks_ = nullptr; // text tasks (JSON Lines)
  LanguageModel language_;                // the base as a language model, loaded once for text tasks
  std::unique_ptr<eval::Classifier> probe_;
};

std::string secondsText(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

NodeOutputs runEmbeddingMap(NodeRunContext& context) {
  const auto kind = embed::parseKind(context.paramText("kind"));
  const auto projection = embed::parseProjection(context.paramText("projection"));
  if (!kind) throw std::runtime_error("unknown kind '" + context.paramText("kind") + "'");
  if (!projection) throw std::runtime_error("unknown projection '" + context.paramText("projection") + "'");
  embed::EmbedOptions options;
  options.map.projection = *projection;
  options.map.seed = std::uint64_t(context.param("seed").get<std::int64_t>());
  options.param.dimensions = context.param("sketch").get<std::int64_t>();
  options.cancel = context.cancel;
  options.progress = context.progress;

  NodeOutputs out;
  MapInputs inputs(context);
  std::string fact;
  EmbeddingsValue chosen = inputs.map(*kind, options, fact); // its errors fail the node
  const auto& map = *chosen.map;
  out.facts.push_back(fact);
  out.facts.push_back(std::to_string(map.clusterCount) + " cluster(s), " + map.metric + " " +
                      (map.metric == "task2vec" ? "distance" : "similarity"));
  for (const auto& line : embed::nearestNeighbourLines(map))
    out.facts.push_back(line);
  out.embeddings.push_back(chosen);
  out.values.emplace_back(std::move(chosen));

  // The other kinds, for the view's kind switch: what fails only costs that kind.
  for (const auto other : kKinds) {
    if (other == *kind || !inputs.allow(other)) continue;
    const std::string name = embed::kindName(other);
    const auto start = std::chrono::steady_clock::now();
    try {
      out.embeddings.push_back(inputs.map(other, options, fact));
      const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
      out.facts.push_back("also " + name + " embeddings for the view (" + secondsText(seconds.count()) +
                          "): " + fact);
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& error) {
      out.warnings.push_back(name + " embeddings not computed: " + error.what());
    }
  }
  return out;
}

} // namespace

void registerEmbeddingRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kEmbeddingMap, runEmbeddingMap);
}

} // namespace mg::engine
