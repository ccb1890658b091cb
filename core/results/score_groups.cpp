// The model groups of the results file (layout in results_file.h).
#include "results/score_groups.h"

#include <algorithm>
#include <cctype>

#include "io/hdf5_records.h"
#include "io/io_error.h"

namespace mg::results {

using eval::TaskScore;

namespace h5 = io::h5;

namespace {

bool isIndex(const std::string& name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::vector<std::int64_t> flatConfusion(const TaskScore& score, const std::string& file,
                                        const std::string& where) {
  const auto classes = score.confusion.size();
  std::vector<std::int64_t> flat;
  flat.reserve(classes * classes);
  for (const auto& row : score.confusion) {
    if (row.size() != classes)
      throw io::IoError(file, where + ": the confusion matrix of task '" + score.task + "' is not square");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return flat;
}

void writeTask(hid_t modelGroup, const TaskScore& score, hid_t ordered, const std::string& file,
               const std::string& where) {
  const auto name = h5::escapedGroupName(score.task);
  if (h5::hasLink(modelGroup, name))
    throw io::IoError(file, where + " lists task '" + score.task + "' twice");
  const std::string taskWhere = where + " task '" + score.task + "'";
  const auto group = h5::createGroup(modelGroup, name, ordered, file, taskWhere);
  h5::writeStringAttribute(group.get(), "task", score.task, file);
  h5::writeNumber<std::int64_t>(group.get(), "examples", score.examples, file);
  h5::writeNumber<double>(group.get(), "accuracy", score.accuracy, file);
  h5::writeNumber<double>(group.get(), "loss", score.loss, file);
  const auto classes = std::uint64_t(score.confusion.size());
  h5::writeArray(group.get(), "confusion", flatConfusion(score, file, taskWhere), {classes, classes}, file,
                 taskWhere);
  // Routing decisions (version 2), only where a router made the model.
  if (score.routedTo.size() != score.routedCounts.size())
    throw io::IoError(file, taskWhere + ": " + std::to_string(score.routedTo.size()) +
                                " specialists routed to, " + std::to_string(score.routedCounts.size()) +
                                " counts");
  if (!score.routedTo.empty()) {
    h5::writeStrings(group.get(), "routed_to", score.routedTo, file, taskWhere);
    h5::writeArray(group.get(), "routed_counts", score.routedCounts, {score.routedCounts.size()}, file,
                   taskWhere);
  }
  if (score.routingAccuracy)
    h5::writeNumber<double>(group.get(), "routing_accuracy", *score.routingAccuracy, file);
  // A language model's text task (version 4): its kind, tokens and own numbers.
  if (!score.textKind.empty()) {
    h5::writeStringAttribute(group.get(), "text_kind", score.textKind, file);
    h5::writeNumber<std::int64_t>(group.get(), "tokens", score.tokens, file);
  }
  if (score.perplexity) h5::writeNumber<double>(group.get(), "perplexity", *score.perplexity, file);
  if (score.accuracyNorm) h5::writeNumber<double>(group.get(), "accuracy_norm", *score.accuracyNorm, file);
}

TaskScore readTask(const h5::RecordReader& read, hid_t task, const std::string& groupName,
                   const std::string& where) {
  TaskScore score;
  score.task = H5Aexists(task, "task") > 0 ? read.text(task, "task", where) : groupName;
  score.examples = read.number<std::int64_t>(task, "examples", where);
  score.accuracy = read.number<double>(task, "accuracy", where);
  score.loss = read.number<double>(task, "loss", where);
  std::vector<std::uint64_t> dims;
  const auto flat = read.array<std::int64_t>(task, "confusion", 2, dims, where);
  if (dims[0] != dims[1] || dims[0] > 65536)
    throw io::IoError(read.file, where + ": 'confusion' must be a square integer matrix");
  const auto classes = std::size_t(dims[0]);
  for (std::size_t i = 0; i < classes; ++i)
    score.confusion.emplace_back(flat.begin() + i * classes, flat.begin() + (i + 1) * classes);
  if (score.examples < 0 || score.accuracy < 0 || score.accuracy > 1)
    throw io::IoError(read.file, where + ": examples or accuracy out of range");
  if (h5::hasLink(task, "routed_to")) {
    score.routedTo = read.strings(task, "routed_to", where);
    score.routedCounts = read.list<std::int64_t>(task, "routed_counts", where);
    if (score.routedCounts.size() != score.routedTo.size())
      throw io::IoError(read.file, where + ": 'routed_to' and 'routed_counts' differ in length");
  }
  if (H5Aexists(task, "routing_accuracy") > 0)
    score.routingAccuracy = read.number<double>(task, "routing_accuracy", where);
  if (H5Aexists(task, "text_kind") > 0) {
    score.textKind = read.text(task, "text_kind", where);
    score.tokens = read.number<std::int64_t>(task, "tokens", where);
  }
  if (H5Aexists(task, "perplexity") > 0) score.perplexity = read.number<double>(task, "perplexity", where);
  if (H5Aexists(task, "accuracy_norm") > 0)
    score.accuracyNorm = read.number<double>(task, "accuracy_norm", where);
  if ((score.perplexity && !(*score.perplexity >= 1.0)) ||
      (score.accuracyNorm && (*score.accuracyNorm < 0 || *score.accuracyNorm > 1)))
    throw io::IoError(read.file, where + ": perplexity or accuracy_norm out of range");
  return score;
}

} // namespace

void writeModelGroups(hid_t root, hid_t ordered, const std::vector<ModelScores>& results,
                      const std::string& file) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& model = results[i];
    const std::string where = "model " + std::to_string(i) + " ('" + model.model + "')";
    const auto group = h5::createGroup(root, std::to_string(i), ordered, file, where);
    h5::writeStringAttribute(group.get(), "model", model.model, file);
    h5::writeNumber<std::uint64_t>(group.get(), "model_node", model.modelNode, file);
    h5::writeNumber<std::uint64_t>(group.get(), "evaluate_node", model.evaluateNode, file);
    h5::writeStringAttribute(group.get(), "parameter", model.parameter, file);
    h5::writeNumber<double>(group.get(), "parameter_value", model.parameterValue, file);
    for (const auto& score : model.scores)
      writeTask(group.get(), score, ordered, file, where);
  }
}

std::vector<ModelScores> readModelGroups(hid_t root, const std::string& file) {
  const h5::RecordReader read{file};
  const auto children = h5::childNames(root, file, "the file");
  const auto count = std::size_t(std::count_if(children.begin(), children.end(), isIndex));
  std::vector<ModelScores> results;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string name = std::to_string(i);
    if (!h5::hasLink(root, name))
      throw io::IoError(file, "group '" + name + "' is missing (models are groups 0.." +
                                  std::to_string(count - 1) + ")");
    const auto group = h5::openGroup(root, name, file, "model " + name);
    const std::string where = "model " + name;
    ModelScores model;
    model.model = read.text(group.get(), "model", where);
    model.modelNode = read.number<std::uint64_t>(group.get(), "model_node", where);
    model.evaluateNode = read.number<std::uint64_t>(group.get(), "evaluate_node", where);
    model.parameter = read.text(group.get(), "parameter", where);
    model.parameterValue = read.number<double>(group.get(), "parameter_value", where);
    for (const auto& taskGroup : h5::childNames(group.get(), file, where)) {
      const std::string taskWhere = where + " task '" + taskGroup + "'";
      const auto task = h5::openGroup(group.get(), taskGroup, file, taskWhere);
      model.scores.push_back(readTask(read, task.get(), taskGroup, taskWhere));
    }
    results.push_back(std::move(model));
  }
  return results;
}

} // namespace mg::results
