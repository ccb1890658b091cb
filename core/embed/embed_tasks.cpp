#include "embed/embed_tasks.h"

#include <stdexcept>

#include "io/task_file.h"

namespace mg::embed {

EmbeddingMap embedTaskVectors(const std::vector<TaskVector>& items, const EmbedOptions& options) {
  ParamEmbeddingOptions param = options.param;
  param.seed = options.map.seed;
  if (!param.cancel) param.cancel = options.cancel;
  if (!param.progress && options.progress)
    param.progress = [&](double fraction) { options.progress(fraction, "task vectors"); };
  std::vector<std::string> names;
  for (const auto& item : items)
    names.push_back(item.name);
  return makeEmbeddingMap(EmbeddingKind::Parameter, std::move(names), parameterEmbeddings(items, param),
                          options.map);
}

EmbeddingMap embedTasks(EmbeddingKind kind, const eval::Classifier& probe,
                        const std::vector<io::TaskData>& tasks, const EmbedOptions& options) {
  if (kind == EmbeddingKind::Parameter)
    throw std::invalid_argument("parameter embeddings are of task vectors, not of task data");
  FisherOptions fisher = options.fisher;
  DataEmbeddingOptions data = options.data;
  if (!fisher.cancel) fisher.cancel = options.cancel;
  if (!data.cancel) data.cancel = options.cancel;
  std::vector<std::string> names;
  std::vector<std::vector<float>> vectors;
  const double steps = double(tasks.size()) + (kind == EmbeddingKind::Fisher ? 1.0 : 0.0);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (options.progress) options.progress(double(i) / steps, tasks[i].name);
    names.push_back(tasks[i].name);
    vectors.push_back(kind == EmbeddingKind::Fisher ? fisherEmbedding(probe, tasks[i], fisher)
                                                    : dataEmbedding(probe, tasks[i], data));
  }
  std::vector<float> trivial;
  if (kind == EmbeddingKind::Fisher && !tasks.empty()) {
    if (options.progress) options.progress(double(tasks.size()) / steps, "the trivial task");
    trivial = trivialFisherEmbedding(probe, tasks, fisher);
  }
  EmbeddingMap map =
      makeEmbeddingMap(kind, std::move(names), std::move(vectors), options.map, std::move(trivial));
  for (std::size_t i = 0; i < tasks.size(); ++i)
    map.skills[i] = tasks[i].skills;
  return map;
}

} // namespace mg::embed
