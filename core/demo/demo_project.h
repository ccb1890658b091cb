#pragma once
// The demo's ready project: the base, the task set and the specialists as sources; simple averaging, task
// arithmetic, TIES and DARE merges of the LoRA specialists; an Evaluate node for every model, Router nodes
// (nearest task embedding, Arrow) over the LoRA specialists, a Compare node over all of them, and a Sweep of
// task arithmetic's λ; a Fine-tune node training a 16-shot LoRA for a novel task, scored beside them.
#include <string>
#include <vector>

#include "graph/document.h"

namespace mg::demo {

struct DemoProjectInputs {
  std::string baseFolder, tasksFolder;
  std::string trainTasksFolder; // training data of the Fine-tune node ("": none)
  std::vector<std::pair<std::string, std::string>> loraSpecialists; // task -> adapter folder
  std::vector<std::pair<std::string, std::string>> fullFineTunes;   // task -> model folder
  int sweepSteps = 10; // points of the task-arithmetic lambda sweep
};

graph::Document makeDemoProject(const DemoProjectInputs& inputs);

} // namespace mg::demo
