#pragma once
// What the data-aware merges (spec, "fisher, regmean") gather on each input model's own task: its diagonal
// Fisher, or the Gram matrices of its dense layers' inputs; which task each input uses; and the HDF5 cache
// that keeps them for the next merge (docs/spec/formats.md, "Data-aware merge statistics").
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "embed/fisher_information.h"
#include "weights/cancel.h"
#include "weights/weight_set.h"

namespace mg::io {
struct TaskData;
struct TextTask;
} // namespace mg::io

namespace mg::embed {

enum class StatisticsKind { Fisher, Grams };

// "fisher", "regmean_gram": the cache files' kind attribute.
const char* statisticsKindName(StatisticsKind kind);
// The kind a data-aware merge method gathers (fisher, regmean); nullopt for any other method.
std::optional<StatisticsKind> statisticsKindOf(const std::string& method);

// The task each input uses, as indices into `tasks`: when every input names one (any of its names, e.g. its
// node title then its path: eval::taskNamedBy), those; else, when there are as many tasks as inputs, the
// i-th task for the i-th input; else std::runtime_error naming the first input without a task.
std::vector<std::size_t> assignTasks(const std::vector<std::vector<std::string>>& inputNames,
                                     const std::vector<std::string>& tasks);

// $XDG_CACHE_HOME/merganser/statistics (~/.cache/merganser/statistics).
std::string defaultStatisticsFolder();

struct StatisticsRequest {
  StatisticsKind kind = StatisticsKind::Fisher;
  std::int64_t examples = 256;
  std::string cacheFolder; // empty: no cache (computed every time)
  // Further fields of the cache key: how statistics that are not exact were estimated (a language model's
  // Fisher: its sampling), so that another estimate is not read for it.
  std::map<std::string, std::string> settings;
  const engine::CancelToken* cancel = nullptr;
};

struct ModelStatistics {
  engine::WeightSetPtr statistics; // one tensor per tensor it informs (MergeInput::statistics)
  bool fromCache = false;
  std::string file;                  // the cache file read or written ("" without a cache)
  std::vector<std::string> warnings; // a cache file that did not read and was replaced
};

// The statistics of `model` (its classifier from `makeClassifier`) on `task`: read from the cache when a
// file for the same model content, task content, examples and kind is there, else computed and stored.
// Throws std::runtime_error naming the model or task when the model cannot be run on the task.
ModelStatistics modelStatistics(const StatisticsRequest& request, const engine::WeightSet& model,
                                const ClassifierFactory& makeClassifier, const io::TaskData& task);

// The same for any model: `compute` gives the statistics when the cache has no file for the same model
// content, task (`task` its name, `taskHash` its content), examples, kind and settings.
ModelStatistics modelStatistics(const StatisticsRequest& request, const engine::WeightSet& model,
                                const std::string& task, const std::string& taskHash,
                                const std::function<std::map<std::string, at::Tensor>()>& compute);

// XXH3-128 (32 hex digits) of the weights' names, shapes and float32 values in name order; of a task's
// name, input shape, inputs and labels.
std::string weightsContentHash(const engine::WeightSet& weights);
std::string taskContentHash(const io::TaskData& task);
// Of a text task's name, kind, generation settings and examples' texts and labels.
std::string textTaskContentHash(const io::TextTask& task);

} // namespace mg::embed
