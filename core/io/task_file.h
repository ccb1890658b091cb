#pragma once
// A task file: the evaluation data of one task, as HDF5 in Merganser's checkpoint layout (so it opens with
// the same code): datasets /inputs (float32 [N, ...]) and /labels (int64 [N]), and root attributes
//   format      "merganser-task"
//   task        the task's name
//   skills      the skills it composes, as a JSON array of strings (e.g. ["rotate90", "clothing-vs-shoes"])
//   label_names the class names, as a JSON array of strings (its length is the number of classes)
//   split       "train", "test", ...
// A task set is a folder of task files (io::classifySourcePath recognises both).
#include <cstdint>
#include <string>
#include <vector>

namespace mg::io {

struct TaskData {
  std::string name;
  std::vector<std::string> skills;
  std::vector<std::string> labelNames;
  std::string split;
  std::vector<std::int64_t> inputShape; // [N, ...]
  std::vector<float> inputs;            // row-major, N × the example size
  std::vector<std::int64_t> labels;     // N, each in [0, labelNames.size())

  std::int64_t size() const { return inputShape.empty() ? 0 : inputShape.front(); }
};

// Writes atomically. Throws std::invalid_argument for inconsistent data (shapes, labels out of range) and
// IoError for the disk.
void writeTaskFile(const std::string& path, const TaskData& task);

// Throws IoError(path, problem): not HDF5, missing datasets or attributes, labels out of range, shapes that
// disagree.
TaskData readTaskFile(const std::string& path);

// Every task file of a folder (sorted by file name), or the one file `path` names.
std::vector<TaskData> readTaskSet(const std::string& path);

} // namespace mg::io
