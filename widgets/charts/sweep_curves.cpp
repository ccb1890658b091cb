#include "charts/sweep_curves.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "charts/results_table.h"

namespace mg::ui {

namespace {

std::string number(double value, const char* format) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

} // namespace

std::string SweepCurves::title() const {
  std::string text = (parameter.empty() ? std::string("parameter") : parameter) + " sweep";
  if (sweepNode != 0) text += " (node " + std::to_string(sweepNode) + ")";
  return text;
}

std::vector<SweepCurves> gatherSweeps(const std::vector<eval::ModelScores>& results) {
  // Points per sweep, keyed by value so that they come out ascending and a repeated value keeps the last.
  struct Points {
    std::uint64_t node;
    std::string parameter;
    std::map<double, const eval::ModelScores*> byValue;
  };
  std::vector<Points> sweeps;
  for (const auto& result : results) {
    if (result.parameter.empty()) continue;
    auto it = std::find_if(sweeps.begin(), sweeps.end(), [&](const Points& p) {
      return p.node == result.evaluateNode && p.parameter == result.parameter;
    });
    if (it == sweeps.end())
      it = sweeps.insert(sweeps.end(), Points{result.evaluateNode, result.parameter, {}});
    it->byValue[result.parameterValue] = &result;
  }

  std::vector<SweepCurves> out;
  for (const auto& points : sweeps) {
    SweepCurves curves;
    curves.sweepNode = points.node;
    curves.parameter = points.parameter;
    std::map<std::string, std::size_t> column;
    for (const auto& [value, scores] : points.byValue)
      for (const auto& score : scores->scores)
        if (score.hasAccuracy() && column.emplace(score.task, curves.tasks.size()).second)
          curves.tasks.push_back(score.task);
    curves.values.assign(curves.tasks.size(), {});
    for (const auto& [value, scores] : points.byValue) {
      curves.x.push_back(value);
      curves.modelNodes.push_back(scores->modelNode);
      for (auto& row : curves.values)
        row.emplace_back();
      double sum = 0;
      int count = 0;
      for (const auto& score : scores->scores) {
        if (!score.hasAccuracy()) continue; // a perplexity task: no accuracy to plot
        curves.values[column.at(score.task)].back() = score.accuracy;
        sum += score.accuracy;
        ++count;
      }
      curves.mean.push_back(count ? std::optional<double>(sum / count) : std::nullopt);
    }
    out.push_back(std::move(curves));
  }
  return out;
}

std::string sweepCsvText(const SweepCurves& sweep) {
  std::string out = csvField(sweep.parameter.empty() ? "parameter" : sweep.parameter);
  for (const auto& task : sweep.tasks)
    out += "," + csvField(task);
  out += ",mean\n";
  for (std::size_t i = 0; i < sweep.x.size(); ++i) {
    out += number(sweep.x[i], "%.6g");
    for (const auto& row : sweep.values)
      out += "," + (row[i] ? number(*row[i], "%.4f") : std::string());
    out += "," + (sweep.mean[i] ? number(*sweep.mean[i], "%.4f") : std::string());
    out += "\n";
  }
  return out;
}

} // namespace mg::ui
