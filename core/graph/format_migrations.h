#pragma once
// Reading a graph saved by an earlier version of the format: the changes of a node type's inputs that moved
// its ports, undone on the edges of the old file so that it loads as it was drawn.
#include <cstdint>
#include <string>

#include "graph/node.h"

namespace mg::graph::detail {

// The input port an edge saved in format `version` to a node of type `type` means today.
std::size_t migratedInputPort(std::int64_t version, const std::string& type, std::size_t port);

} // namespace mg::graph::detail
