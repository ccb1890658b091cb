#pragma once
// A TaskScore as JSON and back, exactly (doubles as their shortest round-trip text): how scores computed on
// one rank of an MPI job reach the others (engine's Sweep over ranks).
#include <nlohmann/json_fwd.hpp>

#include "eval/evaluation.h"

namespace mg::eval {

nlohmann::json taskScoreJson(const TaskScore& score);
// Throws nlohmann::json::exception on a malformed value.
TaskScore taskScoreFromJson(const nlohmann::json& json);

} // namespace mg::eval
