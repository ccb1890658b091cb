#include "route/lm_router.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "lm/hidden_states.h"
#include "lm_eval/example_text.h"
#include "lm_eval/harness_requests.h"
#include "route/routers_detail.h"

namespace mg::route {

namespace {

// The routing texts of the first `perTask` examples (0: all) of the task named `name`, or a one-line error.
std::vector<std::string> fitTexts(const std::vector<io::TextTask>& tasks, const std::string& name,
                                  std::int64_t perTask, const char* method) {
  const auto task =
      std::find_if(tasks.begin(), tasks.end(), [&](const io::TextTask& t) { return t.name == name; });
  if (task == tasks.end() || task->examples.empty()) {
    std::string names;
    for (const auto& t : tasks)
      names += (names.empty() ? "" : ", ") + t.name;
    throw std::runtime_error("adapter " + name + ": no text task with examples is named '" + name +
                             "' to fit the " + method +
                             " router on (adapter folders are matched to tasks by name; tasks: " +
                             (names.empty() ? "none" : names) + ")");
  }
  const auto count = perTask > 0 ? std::min<std::size_t>(std::size_t(perTask), task->examples.size())
                                 : task->examples.size();
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i)
    texts.push_back(lm_eval::routingText(*task, task->examples[i]));
  return texts;
}

} // namespace

LmRouter::LmRouter(const lm::CausalLm& model, const text::Tokenizer& tokenizer,
                   std::vector<std::string> adapterNames, const std::vector<io::TextTask>& fitTasks,
                   const RouterOptions& options, lm::RunOptions run)
    : model_(model), tokenizer_(tokenizer), names_(std::move(adapterNames)), run_(run) {
  if (names_.empty()) throw std::runtime_error("routing needs at least one adapter");
  if (names_.size() != model.adapterCount())
    throw std::runtime_error("the language model was loaded with " + std::to_string(model.adapterCount()) +
                             " adapters, not the " + std::to_string(names_.size()) + " to route among");
  if (options.method == RouterMethod::Arrow)
    throw std::runtime_error("arrow routing is not supported for language models (it scores the inputs of "
                             "every adapted layer); use nearest, trained or smear");
  detail::checkRouterOptions(options);
  at::NoGradGuard noGrad;
  std::vector<at::Tensor> features, labels;
  for (std::size_t j = 0; j < names_.size(); ++j) {
    const auto texts = fitTexts(fitTasks, names_[j], options.fitExamples, routerMethodName(options.method));
    features.push_back(this->features(texts));
    labels.push_back(at::full({std::int64_t(texts.size())}, std::int64_t(j), at::kLong));
  }
  router_ =
      detail::fitInputLevelRouter(at::cat(features), at::cat(labels), std::int64_t(names_.size()), options);
}

LmRouter::~LmRouter() = default;

std::string LmRouter::describe() const {
  return router_->describe();
}

std::vector<std::vector<std::int64_t>> LmRouter::sequences(const std::vector<std::string>& texts) const {
  const auto window = model_.config().maxPositions > 0 ? model_.config().maxPositions : std::int64_t(2048);
  std::vector<std::vector<std::int64_t>> out;
  for (const auto& text : texts) {
    auto ids = tokenizer_.encode(text, false);
    if (ids.empty()) ids = {lm_eval::prefixToken(tokenizer_, "routing")};
    const auto kept = std::min<std::ptrdiff_t>(window, std::ptrdiff_t(ids.size()));
    out.emplace_back(ids.end() - kept, ids.end()); // the end: the tokens next to what is scored
  }
  return out;
}

at::Tensor LmRouter::features(const std::vector<std::string>& texts) const {
  if (texts.empty()) return at::empty({0, model_.config().hiddenSize}, at::kFloat);
  const std::vector<std::vector<float>> base(texts.size(), std::vector<float>(names_.size(), 0.0f));
  return lm::meanHiddenStates(model_, sequences(texts), run_, base);
}

at::Tensor LmRouter::scores(const std::vector<std::string>& texts) const {
  at::NoGradGuard noGrad;
  return router_->scores(features(texts));
}

at::Tensor LmRouter::mixes(const std::vector<std::string>& texts) const {
  at::NoGradGuard noGrad;
  return router_->mix(features(texts));
}

RoutedTextScore evaluateRoutedText(const LmRouter& router, lm_eval::CausalLmScorer& scorer,
                                   const text::Tokenizer& tokenizer, const io::TextTask& task,
                                   lm_eval::TextEvaluationOptions options) {
  // The examples evaluateTextTask scores, routed in one batched pass before any is scored.
  const auto size = task.examples.size();
  const auto first =
      std::min<std::size_t>(std::size_t(std::max<std::int64_t>(0, options.firstExample)), size);
  const auto count = options.maxExamples > 0
                         ? std::min<std::size_t>(std::size_t(options.maxExamples), size - first)
                         : size - first;
  std::vector<std::string> texts;
  for (std::size_t i = first; i < first + count; ++i)
    texts.push_back(lm_eval::routingText(task, task.examples[i]));
  const at::Tensor mixes = router.mixes(texts).contiguous();
  const auto adapters = std::size_t(mixes.size(1));
  options.beforeExample = [&](std::size_t i) {
    const float* row = mixes.data_ptr<float>() + (i - first) * adapters;
    scorer.setMix(std::vector<float>(row, row + adapters));
  };
  RoutedTextScore routed;
  routed.score = lm_eval::evaluateTextTask(scorer, tokenizer, task, options);
  routed.routedCounts.assign(adapters, 0);
  if (count > 0) {
    const auto chosen = mixes.argmax(1);
    for (std::int64_t i = 0; i < chosen.size(0); ++i)
      ++routed.routedCounts[std::size_t(chosen[i].item<std::int64_t>())];
  }
  return routed;
}

} // namespace mg::route
