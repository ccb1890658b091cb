#pragma once
// The Router node on text tasks: the base language model loaded once with every connected adapter (applied
// unmerged), a router fitted on the base's mean last hidden states (route/lm_router.h), and each text task
// scored with every example's adapters mixed as the router chooses on its context, prompt or text.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/node_runner.h"
#include "route/router.h"

namespace mg::engine {

struct RoutedTextTasks {
  std::shared_ptr<std::vector<eval::TaskScore>> scores; // with routedTo, routedCounts, routingAccuracy
  std::string router;                                   // "nearest, top-1"
  std::string model;                                    // the language model's description
};

// `adapters`: (name, PEFT folder) in the node's order; the router fits on `fit` when given, else on `tasks`.
// Throws std::runtime_error naming the node or input (arrow, an adapter without a task, ...), io::IoError.
RoutedTextTasks routeTextTasks(NodeRunContext& context, const ModelValue& base, const TasksValue& tasks,
                               const TasksValue* fit,
                               const std::vector<std::pair<std::string, std::string>>& adapters,
                               const route::RouterOptions& options);

} // namespace mg::engine
