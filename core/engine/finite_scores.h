#pragma once
// A node's scores must be numbers: a model whose weights went NaN or infinite (a merge gone wrong, an
// overflow in half precision) evaluates to a NaN loss, and a chart or a saved results file of NaN would
// hide where it came from. The executor fails the node that returned them, naming the first one.
#include <optional>
#include <string>

#include "engine/node_value.h"

namespace mg::engine {

// "non-finite score: model 'M' task 'T' has loss nan (the model's outputs are not finite)", or nothing when
// every accuracy, loss and perplexity in `outputs` (its values and its results) is finite.
std::optional<std::string> nonFiniteScores(const NodeOutputs& outputs);

} // namespace mg::engine
