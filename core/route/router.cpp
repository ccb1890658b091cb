#include "route/router.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "io/task_file.h"
#include "route/adapter_library.h"
#include "route/routers_detail.h"

namespace mg::route {

const char* routerMethodName(RouterMethod method) {
  switch (method) {
  case RouterMethod::Nearest: return "nearest";
  case RouterMethod::Arrow: return "arrow";
  case RouterMethod::Trained: return "trained";
  case RouterMethod::Smear: return "smear";
  }
  return "?";
}

std::optional<RouterMethod> routerMethodFromName(std::string_view name) {
  for (const auto method :
       {RouterMethod::Nearest, RouterMethod::Arrow, RouterMethod::Trained, RouterMethod::Smear})
    if (name == routerMethodName(method)) return method;
  return std::nullopt;
}

at::Tensor topKSoftmax(const at::Tensor& scores, int k, double temperature) {
  if (!(temperature > 0)) throw std::invalid_argument("the routing temperature must be positive");
  if (scores.dim() != 2) throw std::invalid_argument("routing scores must be [examples, specialists]");
  at::Tensor kept = scores / temperature;
  const auto columns = scores.size(1);
  if (k > 0 && k < columns) {
    const auto chosen = std::get<1>(scores.topk(k, 1));
    const auto mask = at::zeros_like(scores, at::kBool).scatter_(1, chosen, true);
    kept = kept.masked_fill(mask.logical_not(), -std::numeric_limits<double>::infinity());
  }
  // A row without any usable specialist (all -inf) gets no update at all rather than NaNs.
  return at::softmax(kept, 1).nan_to_num(0.0);
}

namespace {

// The base features of the first `perTask` inputs of the task named after each specialist, and the
// specialist's index as their label.
std::pair<at::Tensor, at::Tensor> fitData(const AdapterLibrary& library,
                                          const std::vector<io::TaskData>& tasks, std::int64_t perTask,
                                          const char* method) {
  std::vector<at::Tensor> features, labels;
  for (std::size_t j = 0; j < library.size(); ++j) {
    const auto& specialist = library.specialists()[j];
    const io::TaskData* task = nullptr;
    for (const auto& t : tasks)
      if (t.name == specialist.name) task = &t;
    if (!task || task->size() == 0) {
      std::string names;
      for (const auto& t : tasks)
        names += (names.empty() ? "" : ", ") + t.name;
      throw std::runtime_error(specialist.folder + ": no task with examples is named '" + specialist.name +
                               "' to fit the " + method +
                               " router on (adapter folders are matched to tasks by name; tasks: " +
                               (names.empty() ? "none" : names) + ")");
    }
    const std::int64_t n = perTask > 0 ? std::min(perTask, task->size()) : task->size();
    const auto inputs = at::from_blob(const_cast<float*>(task->inputs.data()), task->inputShape, at::kFloat);
    features.push_back(library.baseFeatures(inputs.narrow(0, 0, n)));
    labels.push_back(at::full({n}, static_cast<std::int64_t>(j), at::kLong));
  }
  return {at::cat(features), at::cat(labels)};
}

} // namespace

namespace detail {

void checkRouterOptions(const RouterOptions& options) {
  if (options.topK < 0) throw std::runtime_error("top_k must be 0 (all) or more");
  if (!(options.temperature > 0)) throw std::runtime_error("the routing temperature must be positive");
  if (options.fitExamples < 0) throw std::runtime_error("fit_examples must be 0 (all) or more");
}

std::unique_ptr<InputLevelRouter> fitInputLevelRouter(const at::Tensor& features, const at::Tensor& labels,
                                                      std::int64_t specialists,
                                                      const RouterOptions& options) {
  switch (options.method) {
  case RouterMethod::Nearest: {
    std::vector<at::Tensor> prototypes;
    for (std::int64_t j = 0; j < specialists; ++j)
      prototypes.push_back(features.index({labels == j}).mean(0));
    return makeNearestInputRouter(at::stack(prototypes), options.topK, options.temperature);
  }
  case RouterMethod::Trained:
  case RouterMethod::Smear: {
    auto [weight, bias] = fitLinearRouter(features, labels, specialists, options.trainSteps, options.seed);
    const int k = options.method == RouterMethod::Smear ? 0 : options.topK;
    return makeLinearRouter(std::move(weight), std::move(bias), k, options.temperature,
                            routerMethodName(options.method));
  }
  case RouterMethod::Arrow: break;
  }
  throw std::invalid_argument(std::string(routerMethodName(options.method)) +
                              " routing is not fitted on features");
}

} // namespace detail

std::unique_ptr<Router> makeRouter(const AdapterLibrary& library, const std::vector<io::TaskData>& tasks,
                                   const RouterOptions& options) {
  if (library.size() == 0) throw std::runtime_error("routing needs at least one adapter");
  detail::checkRouterOptions(options);
  if (options.method == RouterMethod::Arrow) return detail::makeArrowRouter(library, options);
  const auto [features, labels] =
      fitData(library, tasks, options.fitExamples, routerMethodName(options.method));
  return detail::fitInputLevelRouter(features, labels, static_cast<std::int64_t>(library.size()), options);
}

} // namespace mg::route
