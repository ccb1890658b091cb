#pragma once
// Internal to the files that hold scores (eval/score_file.cpp, engine/run_file.cpp): the format tag and
// version, and the model groups at the root of such a file (layout in score_file.h). Call with io's HDF5
// Lock held.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "eval/score_file.h"

namespace mg::eval {

inline constexpr const char* kScoreFormat = "merganser-scores";
// 1: scores; 2: routing decisions of tasks, and the run file's matrices, embeddings and scatters.
inline constexpr std::int64_t kScoreVersion = 2;

// One group "0", "1", ... per model at `root`, tasks in order (`ordered`: a creation-order group property).
void writeModelGroups(hid_t root, hid_t ordered, const std::vector<ModelScores>& results,
                      const std::string& file);
// The groups with a number as name (other groups are the run file's), which must be 0..n-1.
std::vector<ModelScores> readModelGroups(hid_t root, const std::string& file);

} // namespace mg::eval
