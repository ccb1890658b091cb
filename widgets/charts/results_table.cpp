#include "charts/results_table.h"

#include <cstdio>
#include <map>

namespace mg::ui {

namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

// Short names made unique in row order: a second "TIES" becomes "TIES (2)".
std::vector<std::string> uniqueNames(const std::vector<eval::ModelScores>& rows) {
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const auto& row : rows) {
    std::string name = shortModelName(row.model);
    if (name.empty()) name = "model";
    const int count = ++seen[name];
    names.push_back(count == 1 ? name : name + " (" + std::to_string(count) + ")");
  }
  return names;
}

} // namespace

ResultsTable buildResultsTable(std::vector<eval::ModelScores> rows) {
  ResultsTable table;
  table.rows = std::move(rows);
  table.names = uniqueNames(table.rows);
  std::map<std::string, std::size_t> column;
  for (const auto& row : table.rows)
    for (const auto& score : row.scores)
      if (column.emplace(score.task, table.tasks.size()).second) table.tasks.push_back(score.task);
  for (const auto& row : table.rows) {
    std::vector<std::optional<double>> values(table.tasks.size()), perplexities(table.tasks.size());
    for (const auto& score : row.scores) {
      if (score.hasAccuracy()) values[column.at(score.task)] = score.accuracy;
      perplexities[column.at(score.task)] = score.perplexity;
    }
    table.accuracy.push_back(std::move(values));
    table.perplexity.push_back(std::move(perplexities));
  }

  // Specialists: the best-named match (exact before suffix, then by accuracy), else the best shown.
  for (std::size_t t = 0; t < table.tasks.size(); ++t) {
    TaskSpecialist named, best;
    int namedStrength = 0;
    double namedAccuracy = -1, bestAccuracy = 0;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const auto accuracy = table.accuracy[r][t];
      if (!accuracy) continue;
      if (*accuracy > bestAccuracy) {
        bestAccuracy = *accuracy;
        best = {r, SpecialistRule::BestShown};
      }
      const int strength = namesTask(shortModelName(table.rows[r].model), table.tasks[t]);
      if (strength > namedStrength ||
          (strength > 0 && strength == namedStrength && *accuracy > namedAccuracy)) {
        namedStrength = strength;
        namedAccuracy = *accuracy;
        named = {r, SpecialistRule::Named};
      }
    }
    // A named specialist that scored zero cannot normalize anything: fall back to the best shown.
    table.specialists.push_back(named.row && namedAccuracy > 0 ? named : best);
  }
  return table;
}

std::vector<std::size_t> ResultsTable::columns(ScoreMode mode) const {
  std::vector<std::size_t> shown;
  for (std::size_t t = 0; t < tasks.size(); ++t)
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (value(r, t, mode)) {
        shown.push_back(t);
        break;
      }
  return shown;
}

std::optional<double> ResultsTable::value(std::size_t row, std::size_t task, ScoreMode mode) const {
  if (mode == ScoreMode::Perplexity)
    return row < perplexity.size() && task < tasks.size() ? perplexity[row][task] : std::nullopt;
  const auto accuracy = accuracyAt(row, task);
  if (!accuracy || mode == ScoreMode::Absolute) return accuracy;
  const auto& specialist = specialists[task];
  if (!specialist.row) return std::nullopt;
  const auto reference = this->accuracy[*specialist.row][task];
  if (!reference || *reference <= 0) return std::nullopt;
  return *accuracy / *reference;
}

std::optional<double> ResultsTable::accuracyAt(std::size_t row, std::size_t task) const {
  if (row >= accuracy.size() || task >= tasks.size()) return std::nullopt;
  return accuracy[row][task];
}

std::optional<double> ResultsTable::mean(std::size_t row, ScoreMode mode) const {
  double sum = 0;
  int count = 0;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    if (const auto v = value(row, t, mode)) {
      sum += *v;
      ++count;
    }
  }
  if (count == 0) return std::nullopt;
  return sum / count;
}

double ResultsTable::maxValue(ScoreMode mode) const {
  double top = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t t = 0; t < tasks.size(); ++t)
      if (const auto v = value(r, t, mode)) top = std::max(top, *v);
    if (const auto m = mean(r, mode)) top = std::max(top, *m);
  }
  return top;
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csvText(const ResultsTable& table, ScoreMode mode) {
  const auto columns = table.columns(mode);
  std::string out = "model";
  for (const auto t : columns)
    out += "," + csvField(table.tasks[t]);
  out += ",mean\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += csvField(table.names[r]);
    for (const auto t : columns) {
      out += ",";
      if (const auto v = table.value(r, t, mode)) out += number(*v);
    }
    out += ",";
    if (const auto m = table.mean(r, mode)) out += number(*m);
    out += "\n";
  }
  return out;
}

} // namespace mg::ui
