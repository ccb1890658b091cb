#include "io/task_file.h"
#include "io/revision_path.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "io/hdf5_checkpoint.h"
#include "io/io_error.h"
#include "io/model_files.h"

namespace mg::io {

namespace {

constexpr const char* kFormat = "merganser-task";

std::string jsonList(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

std::vector<std::string> parseList(const std::string& path, const std::string& what,
                                   const std::string& text) {
  try {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const std::exception&) {
    throw IoError(path, "attribute '" + what + "' is not a JSON array of strings");
  }
}

void checkConsistent(const TaskData& task) {
  if (task.inputShape.empty()) throw std::invalid_argument("task '" + task.name + "': inputs have no shape");
  const auto n = task.inputShape.front();
  const auto count = checkedNumel(task.inputShape);
  if (!count || *count != task.inputs.size())
    throw std::invalid_argument("task '" + task.name + "': inputs hold " +
                                std::to_string(task.inputs.size()) + " values for shape " +
                                shapeToString(task.inputShape));
  if (static_cast<std::int64_t>(task.labels.size()) != n)
    throw std::invalid_argument("task '" + task.name + "': " + std::to_string(task.labels.size()) +
                                " labels for " + std::to_string(n) + " inputs");
  if (task.labelNames.empty()) throw std::invalid_argument("task '" + task.name + "': no label names");
  for (const auto label : task.labels)
    if (label < 0 || label >= static_cast<std::int64_t>(task.labelNames.size()))
      throw std::invalid_argument("task '" + task.name + "': label " + std::to_string(label) +
                                  " is not one of the " + std::to_string(task.labelNames.size()) +
                                  " classes");
}

} // namespace

void writeTaskFile(const std::string& path, const TaskData& task) {
  checkConsistent(task);
  const std::vector<TensorInfo> tensors = {
      {"inputs", DType::F32, task.inputShape},
      {"labels", DType::I64, {static_cast<std::int64_t>(task.labels.size())}}};
  const std::map<std::string, std::string> metadata = {{"format", kFormat},
                                                       {"task", task.name},
                                                       {"skills", jsonList(task.skills)},
                                                       {"label_names", jsonList(task.labelNames)},
                                                       {"split", task.split}};
  writeHdf5Checkpoint(
      path, tensors,
      [&](const TensorInfo& info) {
        TensorData data;
        data.info = info;
        const auto* begin = info.name == "inputs" ? reinterpret_cast<const std::byte*>(task.inputs.data())
                                                  : reinterpret_cast<const std::byte*>(task.labels.data());
        data.bytes.assign(begin, begin + info.nbytes());
        return data;
      },
      metadata);
}

TaskData readTaskFile(const std::string& path) {
  const Hdf5Checkpoint file(path);
  const auto& metadata = file.metadata();
  auto attribute = [&](const char* name) {
    const auto it = metadata.find(name);
    if (it == metadata.end())
      throw IoError(path, std::string("not a task file: no attribute '") + name + "'");
    return it->second;
  };
  if (attribute("format") != kFormat)
    throw IoError(path, "not a task file: format is '" + attribute("format") + "'");
  const auto* inputs = file.find("inputs");
  const auto* labels = file.find("labels");
  if (!inputs || !labels) throw IoError(path, "not a task file: datasets 'inputs' and 'labels' are required");
  if (!isFloatingPoint(inputs->dtype)) throw IoError(path, "inputs must be floating point");
  if (labels->dtype != DType::I64 || labels->shape.size() != 1)
    throw IoError(path, "labels must be a 1-D int64 dataset");

  TaskData task;
  task.name = attribute("task");
  task.skills = parseList(path, "skills", attribute("skills"));
  task.labelNames = parseList(path, "label_names", attribute("label_names"));
  task.split = attribute("split");
  task.inputShape = inputs->shape;
  task.inputs = file.loadFloat32("inputs");
  const TensorData labelData = file.load("labels");
  task.labels.resize(labelData.bytes.size() / sizeof(std::int64_t));
  std::memcpy(task.labels.data(), labelData.bytes.data(), task.labels.size() * sizeof(std::int64_t));
  try {
    checkConsistent(task);
  } catch (const std::invalid_argument& e) {
    throw IoError(path, e.what());
  }
  return task;
}

std::vector<TaskData> readTaskSet(const std::string& given) {
  namespace fs = std::filesystem;
  const std::string path = localPath(given); // PATH@REV: the task file or folder as it was then
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {readTaskFile(path)};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file(ec) && (hasSuffix(name, ".h5") || hasSuffix(name, ".hdf5")))
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw IoError(path, "holds no task files (.h5)");
  std::vector<TaskData> tasks;
  for (const auto& file : files)
    tasks.push_back(readTaskFile(file));
  return tasks;
}

} // namespace mg::io
