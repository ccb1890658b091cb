// Merge gain: does merging two close tasks lose less than merging two distant ones? For every pair of
// specialists, x = the cosine similarity of their task vectors (parameter embeddings, core/embed) and y =
// what merging the two costs on their own tasks: the merged model's accuracy on each specialist's task minus
// that specialist's own, averaged over the pair, in points. The points travel in NodeOutputs::scatters.
#include <cmath>
#include <cstdio>
#include <map>

#include "engine/result_labels.h"
#include "embed/param_embedding.h"
#include "embed/similarity.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/merged_model.h"
#include "engine/runners/model_accuracy.h"
#include "engine/runners/task_vector_inputs.h"
#include "eval/specialist_names.h"
#include "graph/builtin_node_types.h"
#include "ops/method_schemas.h"
#include "util/line_fit.h"
#include "util/percent_text.h"

namespace mg::engine {

namespace {

std::string fixed(double value, int decimals, bool sign = false) {
  char text[32];
  std::snprintf(text, sizeof text, sign ? "%+.*f" : "%.*f", decimals, value);
  return text;
}

// The task of each specialist (by name, eval/specialist_names.h); one error naming every specialist without
// one, since fixing their names or tasks is one job.
std::vector<std::size_t> tasksOf(const std::vector<embed::TaskVector>& items,
                                 const std::vector<std::string>& names) {
  std::vector<std::size_t> found;
  std::string missing;
  for (const auto& item : items) {
    if (const auto task = eval::taskNamedBy(item.name, names)) {
      found.push_back(*task);
    } else {
      missing += (missing.empty() ? "'" : ", '") + item.name + "'";
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : names)
      list += (list.empty() ? "" : ", ") + name;
    throw std::runtime_error(
        "no task is named after specialist(s) " + missing +
        " (a specialist's task is the one its name is or ends with, as 'LoRA rotate' for "
        "'rotate'; tasks: " +
        (list.empty() ? "none" : list) + ")");
  }
  return found;
}

NodeOutputs runMergeGain(NodeRunContext& context) {
  const NodeValue& base = context.input("base");
  if (!std::holds_alternative<ModelValue>(base))
    throw std::runtime_error(
        "input 'base' of " + context.describe() +
        ": pairs are merged on the base model their specialists were made from: connect it");
  const auto* tasksValue = std::get_if<TasksValue>(&context.input("tasks"));
  if (!tasksValue)
    throw std::runtime_error("input 'tasks' of " + context.describe() + ": expected task data");
  const auto names = taskNames(*tasksValue);
  const auto accuracy = accuracyOn(context, *tasksValue, context.param("examples").get<std::int64_t>());
  const std::string method = context.paramText("method");
  const auto& info = ops::mergeMethod(method);

  std::vector<graph::NodeId> nodes;
  const auto items = taskVectors(context, nodes);
  if (items.size() < 2)
    throw std::runtime_error("a pair needs two specialists: connect them to 'specialists'");
  const auto task = tasksOf(items, names);
  const std::size_t n = items.size(), pairs = n * (n - 1) / 2;

  // A specialist is shown by its task when it is that task's only one here, else by its own name.
  std::map<std::size_t, int> perTask;
  for (const auto t : task)
    ++perTask[t];
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < n; ++i)
    shown.push_back(perTask[task[i]] == 1 ? names[task[i]] : items[i].name);

  const double steps = double(1 + n + pairs);
  double done = 0;
  const auto step = [&](const std::string& what) { context.progress(done++ / steps, what); };

  step("task vectors");
  embed::ParamEmbeddingOptions embedding;
  embedding.seed = context.param("seed").get<std::uint64_t>();
  embedding.dimensions = context.param("sketch").get<std::int64_t>();
  embedding.cancel = context.cancel;
  const auto similarity = embed::cosineSimilarityMatrix(embed::parameterEmbeddings(items, embedding));

  const auto group = context.groupInputs();
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount();
  const auto inputLabel = [&](std::size_t i) { return context.document.inputLabel(context.node, first + i); };

  NodeOutputs out;
  std::vector<double> own;
  for (std::size_t i = 0; i < n; ++i) {
    step(items[i].name + " on " + names[task[i]]);
    own.push_back(accuracy(*group[i].first, inputLabel(i), {task[i]}).front());
    out.facts.push_back(items[i].name + " on its task " + names[task[i]] + ": " + util::percentText(own[i]));
  }

  // Only the parameters the method takes reach it (a task arithmetic merge has no density).
  std::map<std::string, graph::ParamValue> params;
  for (const char* name : {"lambda", "density", "seed"})
    if (info.param(name)) params[name] = context.param(name);

  ScatterValue scatter;
  scatter.kind = "merge_gain";
  scatter.title = labels::kMergeGainTitle;
  scatter.xLabel = labels::kMergeGainX;
  scatter.yLabel = labels::kMergeGainY;
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const std::string label = shown[i] + " × " + shown[j];
      step("merging " + label);
      // Weight 1/2 each: at λ = 1 the merge is the pair's mean (see the node type's lambda).
      const std::vector<std::pair<const NodeValue*, double>> inputs = {{group[i].first, 0.5},
                                                                       {group[j].first, 0.5}};
      const auto merge =
          mergeInputs(context, method, base, inputs, {inputLabel(i), inputLabel(j)}, params, label);
      for (const auto& warning : merge.merged->warnings())
        out.warnings.push_back(label + ": " + warning);
      const auto both =
          task[j] == task[i] ? std::vector<std::size_t>{task[i]} : std::vector<std::size_t>{task[i], task[j]};
      const auto merged = accuracy(NodeValue(merge.model), label, both);
      const double onI = merged.front(), onJ = merged.back();
      const double gain = 100.0 * ((onI - own[i]) + (onJ - own[j])) / 2.0;
      scatter.points.push_back({label, similarity[i][j], gain, {nodes[i], nodes[j]}});
      xs.push_back(similarity[i][j]);
      ys.push_back(gain);
      out.facts.push_back(label + ": similarity " + fixed(similarity[i][j], 3) + ", merged " +
                          util::percentText(onI) + " on " + names[task[i]] + " and " +
                          util::percentText(onJ) + " on " + names[task[j]] + ", gain " +
                          fixed(gain, 1, true) + " points");
    }
  }

  const auto r = util::fitLine(xs, ys).r;
  const std::string correlation =
      r ? "Pearson r = " + fixed(*r, 2) + " over " + std::to_string(pairs) + " pairs"
        : "no correlation: " +
              std::string(pairs < 2 ? "fewer than two pairs" : "similarity or gain does not vary");
  scatter.note =
      "Each point is a pair of specialists merged by " + info.title + " (λ " +
      graph::valueText(context.param("lambda")) +
      ", 1 = their mean): x is the cosine similarity of their task vectors, y the merged model's "
      "accuracy on each one's own task minus that specialist's, averaged over the two, in points "
      "(0: the merge costs nothing). Points rising to the right: close tasks merge with less loss. " +
      correlation + ".";
  out.facts.push_back(correlation + " (similarity against gain)");
  out.scatters.push_back(std::move(scatter));
  return out;
}

} // namespace

void registerMergeGainRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kMergeGain, runMergeGain);
}

} // namespace mg::engine
