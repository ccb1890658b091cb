#include "engine/runners/sweep_points.h"

#include <nlohmann/json.hpp>

#include "cluster/communicator.h"
#include "cluster/work_split.h"
#include "eval/task_score_json.h"

namespace mg::engine {
namespace {

nlohmann::json pointJson(std::size_t index, const SweepPoint& point) {
  auto scores = nlohmann::json::array();
  if (point.scores.scores)
    for (const auto& s : *point.scores.scores)
      scores.push_back(eval::taskScoreJson(s));
  return {{"index", index},
          {"scores", scores},
          {"model", point.scores.model},
          {"model_node", point.scores.modelNode},
          {"parameter", point.scores.parameter},
          {"parameter_value", point.scores.parameterValue},
          {"warnings", point.warnings}};
}

SweepPoint pointFromJson(const nlohmann::json& j) {
  SweepPoint point;
  auto scores = std::make_shared<std::vector<eval::TaskScore>>();
  for (const auto& s : j.at("scores"))
    scores->push_back(eval::taskScoreFromJson(s));
  point.scores.scores = std::move(scores);
  point.scores.model = j.at("model").get<std::string>();
  point.scores.modelNode = j.at("model_node").get<graph::NodeId>();
  point.scores.parameter = j.at("parameter").get<std::string>();
  point.scores.parameterValue = j.at("parameter_value").get<double>();
  point.warnings = j.at("warnings").get<std::vector<std::string>>();
  return point;
}

} // namespace

std::vector<SweepPoint> sweepHere(std::size_t count, const PointRunner& run, const CancelToken* cancel) {
  std::vector<SweepPoint> points;
  for (std::size_t i = 0; i < count; ++i) {
    if (cancel) cancel->throwIfCancelled();
    points.push_back(run(i));
  }
  return points;
}

std::vector<SweepPoint> sweepOverRanks(std::size_t count, const PointRunner& run,
                                       cluster::Communicator& ranks, const CancelToken* cancel) {
  std::string all;
  try {
    all = cluster::combineOverRanks(
        ranks,
        [&]() {
          auto mine = nlohmann::json::array();
          for (std::size_t i = 0; i < count; ++i) {
            if (cluster::ownerOf(static_cast<std::int64_t>(i), ranks.size()) != ranks.rank()) continue;
            if (cancel) cancel->throwIfCancelled();
            mine.push_back(pointJson(i, run(i)));
          }
          return mine.dump();
        },
        [count](const std::vector<std::string>& parts) { // the points in order
          std::vector<nlohmann::json> byIndex(count);
          for (const auto& part : parts)
            for (auto& point : nlohmann::json::parse(part)) {
              const auto index = point.at("index").get<std::size_t>();
              byIndex.at(index) = std::move(point);
            }
          return nlohmann::json(byIndex).dump();
        });
  } catch (const cluster::RankFailure&) {
    if (cancel && cancel->cancelled()) throw Cancelled();
    throw;
  }
  std::vector<SweepPoint> points;
  for (const auto& point : nlohmann::json::parse(all))
    points.push_back(pointFromJson(point));
  return points;
}

} // namespace mg::engine
