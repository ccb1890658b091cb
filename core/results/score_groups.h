#pragma once
// Internal to results/results_file.cpp: the format tag and version, and the model groups at the root of
// the results file (layout in results_file.h). Call with io's HDF5 Lock held.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "eval/model_scores.h"

namespace mg::results {

using eval::ModelScores;

inline constexpr const char* kResultsFormat = "merganser-scores";
// 1: scores; 2: routing decisions of tasks, and the matrices, embeddings and scatters; 3: the node that made
// each matrix, embedding map and scatter; 4: language models' text tasks (text_kind, tokens, perplexity,
// accuracy_norm).
inline constexpr std::int64_t kResultsVersion = 4;

// One group "0", "1", ... per model at `root`, tasks in order (`ordered`: a creation-order group property).
void writeModelGroups(hid_t root, hid_t ordered, const std::vector<ModelScores>& results,
                      const std::string& file);
// The groups with a number as name (the other groups are the matrices, embeddings and scatters), which must
// be 0..n-1.
std::vector<ModelScores> readModelGroups(hid_t root, const std::string& file);

} // namespace mg::results
