#pragma once
// FineTuneOptions from named text settings, the one parser behind the Fine-tune node's parameters and
// `merganser-cli train`'s options (--rank 8 is setting "rank"), so both accept the same names and values and
// report the same errors.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "train/fine_tune_options.h"

namespace mg::train {

// The setting names, in the Fine-tune node's parameter order: method, rank, alpha, rslora, dropout,
// target_modules, target_regex, feedforward_modules, full_tensors, examples, example_unit,
// validation_examples, evaluate_every, patience, loss, learning_rate, weight_decay, schedule, warmup_steps,
// batch_size, steps, epochs, gradient_accumulation, seed.
const std::vector<std::string>& fineTuneSettingNames();

// Options with every given setting applied over the defaults (lists comma-separated, booleans
// true/false/1/0). Throws std::invalid_argument naming the setting: "rank: 'x' is not an integer", an unknown
// name, and problemWith()'s verdict on the whole.
FineTuneOptions fineTuneOptionsFrom(const std::map<std::string, std::string>& settings);

// The tasks named in `names` (all of them when it is empty), in the order named. Throws std::invalid_argument
// for a name no task has, listing the names there are.
template <typename Task>
std::vector<Task> tasksNamed(const std::vector<Task>& tasks, const std::vector<std::string>& names) {
  if (names.empty()) return tasks;
  std::vector<Task> chosen;
  for (const auto& name : names) {
    const Task* found = nullptr;
    for (const auto& task : tasks)
      if (task.name == name) found = &task;
    if (!found) {
      std::string known;
      for (const auto& task : tasks)
        known += (known.empty() ? "" : ", ") + task.name;
      throw std::invalid_argument("no task '" + name + "' among the tasks (" + known + ")");
    }
    chosen.push_back(*found);
  }
  return chosen;
}

} // namespace mg::train
