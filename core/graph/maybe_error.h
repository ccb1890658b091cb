#pragma once
// How the graph refuses an edit a user can ask for (a bad connection, an out-of-range value): not an
// exception but the reason, one line, ready for a status bar or a tooltip. nullopt means done.
#include <optional>
#include <string>

namespace mg::graph {

using MaybeError = std::optional<std::string>;

} // namespace mg::graph
