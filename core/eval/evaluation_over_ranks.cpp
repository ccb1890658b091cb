#include "eval/evaluation_over_ranks.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "cluster/communicator.h"
#include "cluster/work_split.h"

namespace mg::eval {
namespace {

nlohmann::json tallyJson(const TaskTally& t) {
  return {{"task", t.task},
          {"examples", t.examples},
          {"correct", t.correct},
          {"batch_loss_sums", t.batchLossSums},
          {"confusion", t.confusion}};
}

TaskTally tallyFromJson(const nlohmann::json& j) {
  TaskTally t;
  t.task = j.at("task").get<std::string>();
  t.examples = j.at("examples").get<std::int64_t>();
  t.correct = j.at("correct").get<std::int64_t>();
  t.batchLossSums = j.at("batch_loss_sums").get<std::vector<double>>(); // shortest round-trip text: exact
  t.confusion = j.at("confusion").get<std::vector<std::vector<std::int64_t>>>();
  return t;
}

} // namespace

TaskScore evaluateOverRanks(const Classifier& model, const io::TaskData& task,
                            const EvaluationOptions& options, cluster::Communicator& ranks) {
  if (!ranks.spread()) return evaluate(model, task, options);
  // This rank's examples: whole batches of the ones the options select, so every batch is the one a single
  // process would run (a model's logits for an example can depend on its batch's size, in the last bit).
  const auto first = std::clamp<std::int64_t>(options.firstExample, 0, task.size());
  const auto available = task.size() - first;
  const auto n = options.maxExamples > 0 ? std::min(available, options.maxExamples) : available;
  const auto [begin, end] =
      cluster::partOf(n, ranks.rank(), ranks.size(), std::max<std::int64_t>(1, options.batchSize));
  const auto whole = cluster::combineOverRanks(
      ranks,
      [&]() {
        TaskTally tally;
        tally.task = task.name; // no examples left for this rank: an empty part
        if (end > begin) {
          EvaluationOptions mine = options;
          mine.firstExample = first + begin;
          mine.maxExamples = end - begin;
          tally = tallyTask(model, task, mine);
        }
        return tallyJson(tally).dump();
      },
      [](const std::vector<std::string>& parts) {
        TaskTally sum = tallyFromJson(nlohmann::json::parse(parts.front()));
        for (std::size_t r = 1; r < parts.size(); ++r)
          sum.add(tallyFromJson(nlohmann::json::parse(parts[r])));
        return tallyJson(sum).dump();
      });
  return tallyFromJson(nlohmann::json::parse(whole)).score();
}

} // namespace mg::eval
