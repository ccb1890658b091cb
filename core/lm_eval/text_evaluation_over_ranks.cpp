#include "lm_eval/text_evaluation_over_ranks.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "cluster/communicator.h"
#include "cluster/work_split.h"

namespace mg::lm_eval {
namespace {

std::string tallyText(const TextTaskTally& t) {
  return nlohmann::json{{"examples", t.examples},
                        {"tokens", t.tokens},
                        {"log_likelihoods", t.logLikelihoods},
                        {"correct", t.correct},
                        {"correct_norm", t.correctNorm},
                        {"matches", t.matches}}
      .dump(); // doubles as their shortest round-trip text: exact
}

TextTaskTally tallyFrom(const std::string& text, const io::TextTask& task) {
  const auto j = nlohmann::json::parse(text);
  TextTaskTally t;
  t.task = task.name;
  t.kind = task.kind;
  t.examples = j.at("examples").get<std::int64_t>();
  t.tokens = j.at("tokens").get<std::int64_t>();
  t.logLikelihoods = j.at("log_likelihoods").get<std::vector<double>>();
  t.correct = j.at("correct").get<std::int64_t>();
  t.correctNorm = j.at("correct_norm").get<std::int64_t>();
  t.matches = j.at("matches").get<std::int64_t>();
  return t;
}

} // namespace

TextTaskScore evaluateTextTaskOverRanks(TokenScorer& model, const text::Tokenizer& tokenizer,
                                        const io::TextTask& task, const TextEvaluationOptions& options,
                                        cluster::Communicator& ranks) {
  if (!ranks.spread()) return evaluateTextTask(model, tokenizer, task, options);
  const auto available = std::max<std::int64_t>(0, std::int64_t(task.examples.size()) - options.firstExample);
  const auto n = options.maxExamples > 0 ? std::min(available, options.maxExamples) : available;
  const auto [begin, end] = cluster::partOf(n, ranks.rank(), ranks.size());
  const auto whole = cluster::combineOverRanks(
      ranks,
      [&]() {
        TextTaskTally tally;
        tally.task = task.name;
        tally.kind = task.kind;
        if (end > begin) {
          TextEvaluationOptions mine = options;
          mine.firstExample = options.firstExample + begin;
          mine.maxExamples = end - begin; // beforeExample still sees indices of the whole task
          tally = tallyTextTask(model, tokenizer, task, mine);
        } else if (n == 0) {
          tally = tallyTextTask(model, tokenizer, task, options); // one process's error for a task with none
        }
        return tallyText(tally);
      },
      [&](const std::vector<std::string>& parts) {
        TextTaskTally sum = tallyFrom(parts.front(), task);
        for (std::size_t r = 1; r < parts.size(); ++r)
          sum.add(tallyFrom(parts[r], task));
        return tallyText(sum);
      });
  return tallyFrom(whole, task).score();
}

} // namespace mg::lm_eval
