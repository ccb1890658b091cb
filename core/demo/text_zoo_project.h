#pragma once
// The text zoo's ready project (demo/text_zoo.h): the base language model, the test and validation text tasks
// and the LoRA specialists as sources; merges of all the specialists onto the base (average, task arithmetic,
// TIES); an Evaluate node for the base, each specialist and each merge; the nearest, trained and SMEAR
// routers over the specialists, fitted on the validation tasks; a Compare node over all of them; an Embedding
// map of the specialists (param) and of the tasks (fisher and data, probed with the base); and Merge gain
// over every pair of specialists.
#include <string>
#include <utility>
#include <vector>

#include "graph/document.h"

namespace mg::demo {

struct TextZooProjectInputs {
  std::string baseFolder, testTasksFolder, validationTasksFolder;
  std::vector<std::pair<std::string, std::string>> adapters; // skill -> adapter folder
  bool quick = false;                                        // fewer examples where a node samples them
};

graph::Document makeTextZooProject(const TextZooProjectInputs& inputs);

} // namespace mg::demo
