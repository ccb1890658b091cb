#pragma once
// Reading the scores an upstream pass produced, shared by the sinks that run the graph again (Sweep, Search).
#include <string>

#include "engine/node_value.h"

namespace mg::engine {

// The mean accuracy over a value's tasks that have one (0 when it has no tasks). Throws std::runtime_error
// when every task is a perplexity task (a language model's: no accuracy to maximise).
double meanAccuracy(const ScoresValue& value);

// One task's score as node facts print it: "81.2%" (accuracy), or "perplexity 48.43" for a language model's
// perplexity task.
std::string scoreText(const eval::TaskScore& score);

// "task score" for each task, two spaces before each: a scores line of a node's facts.
std::string scoresLine(const ScoresValue& value);

// The scores the scored node produced: on its first output, or among its results. Throws
// std::runtime_error naming `where` when it gave none.
ScoresValue scoresOf(const NodeOutputs& outputs, const std::string& where);

} // namespace mg::engine
