#include "eval/task_score_json.h"

#include <nlohmann/json.hpp>

namespace mg::eval {
namespace {

template <typename T> nlohmann::json optionalJson(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

template <typename T> std::optional<T> optionalFrom(const nlohmann::json& json) {
  return json.is_null() ? std::nullopt : std::optional<T>(json.get<T>());
}

} // namespace

nlohmann::json taskScoreJson(const TaskScore& s) {
  return {{"task", s.task},
          {"examples", s.examples},
          {"accuracy", s.accuracy},
          {"loss", s.loss},
          {"confusion", s.confusion},
          {"routed_to", s.routedTo},
          {"routed_counts", s.routedCounts},
          {"routing_accuracy", optionalJson(s.routingAccuracy)},
          {"text_kind", s.textKind},
          {"perplexity", optionalJson(s.perplexity)},
          {"accuracy_norm", optionalJson(s.accuracyNorm)},
          {"tokens", s.tokens}};
}

TaskScore taskScoreFromJson(const nlohmann::json& j) {
  TaskScore s;
  s.task = j.at("task").get<std::string>();
  s.examples = j.at("examples").get<std::int64_t>();
  s.accuracy = j.at("accuracy").get<double>();
  s.loss = j.at("loss").get<double>();
  s.confusion = j.at("confusion").get<std::vector<std::vector<std::int64_t>>>();
  s.routedTo = j.at("routed_to").get<std::vector<std::string>>();
  s.routedCounts = j.at("routed_counts").get<std::vector<std::int64_t>>();
  s.routingAccuracy = optionalFrom<double>(j.at("routing_accuracy"));
  s.textKind = j.at("text_kind").get<std::string>();
  s.perplexity = optionalFrom<double>(j.at("perplexity"));
  s.accuracyNorm = optionalFrom<double>(j.at("accuracy_norm"));
  s.tokens = j.at("tokens").get<std::int64_t>();
  return s;
}

} // namespace mg::eval
