#pragma once
// The demo zoo (`merganser-cli demo`): a base MLP trained on Fashion-MNIST (Debian's dataset-fashion-mnist),
// a LoRA specialist per single-skill task written as a PEFT adapter folder, a full fine-tune, a task file
// per task, the interference of each specialist with the others' inputs, and a ready project demo.mgproj
// that merges the specialists with several methods, evaluates everything on every task and compares it.
//
// Layout of the output folder (made in a staging folder and moved into place when complete):
//   base/                 config.json + model.safetensors (MerganserMLP)
//   adapters/<task>/      adapter_config.json + adapter_model.safetensors (PEFT LoRA of base/)
//   finetunes/<task>/     config.json + model.safetensors (a full fine-tune of the trunk)
//   tasks/<task>.h5       test-split examples of each task (io/task_file.h)
//   demo.mgproj           the project
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "weights/cancel.h"

namespace mg::demo {

struct DemoOptions {
  std::string outFolder;
  bool quick = false; // a small zoo in seconds, for tests
  std::uint64_t seed = 7;
  std::string datasetFolder; // empty: Debian's /usr/share/datasets/fashion-mnist
  const engine::CancelToken* cancel = nullptr;
  std::function<void(const std::string& step, double fraction)> progress;
};

struct SpecialistReport {
  std::string task;
  std::string folder;        // the adapter or fine-tune folder
  bool fullFineTune = false; // else a LoRA
  double baseAccuracy = 0;   // on its own task's test examples
  double accuracy = 0;
  double trainSeconds = 0;
};

struct DemoReport {
  std::string projectPath;
  double baseTrainSeconds = 0;
  std::vector<SpecialistReport> specialists;
  double seconds = 0;
};

// Throws std::runtime_error naming the folder and the problem (an existing folder that is not a demo zoo,
// missing dataset files); engine::Cancelled when cancelled (nothing is left at the output folder).
DemoReport buildDemoZoo(const DemoOptions& options);

} // namespace mg::demo
