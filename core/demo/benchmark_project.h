#pragma once
// The benchmark zoo's ready project (demo/benchmark_zoo.h): the base, the test tasks and the 16 specialists
// as sources; merges of all of them with each data-free method the registry has of average, task arithmetic,
// TIES, TSV-M, Iso-C, Iso-CTS and WUDI; Fisher merging fed by a Fisher information node on the validation
// tasks; KnOTS of the LoRA specialists and its Merge as LoRA adapter; the routers and SMEAR over the LoRA
// specialists; an Evaluate node per model, a Compare node, a Sweep of task arithmetic's λ, the Embedding map
// and Merge gain.
#include <string>
#include <utility>
#include <vector>

#include "graph/document.h"

namespace mg::demo {

struct BenchmarkProjectInputs {
  std::string baseFolder, tasksFolder;
  std::vector<std::pair<std::string, std::string>> loraSpecialists; // task -> adapter folder
  std::vector<std::pair<std::string, std::string>> fullFineTunes;   // task -> model folder
  int sweepSteps = 10;
};

// The merges the project (and `merganser-cli demo --zoo benchmark --table`) make of the specialists, among
// those the method registry has: title, method, parameters (the others at the method's defaults).
struct ZooMerge {
  std::string title, method;
  std::vector<std::pair<std::string, double>> params;
};
std::vector<ZooMerge> benchmarkMerges(std::size_t specialists);

graph::Document makeBenchmarkProject(const BenchmarkProjectInputs& inputs);

} // namespace mg::demo
