#include "graph/port_type.h"

#include <array>
#include <cstddef>

namespace mg::graph {

namespace {

constexpr std::array<const char*, 7> kNames = {"model",  "adapter",    "delta",     "tasks",
                                               "scores", "embeddings", "statistics"};

} // namespace

const char* portTypeName(PortType type) {
  return kNames.at(static_cast<std::size_t>(type));
}

std::optional<PortType> portTypeFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) {
      return static_cast<PortType>(i);
    }
  }
  return std::nullopt;
}

bool canConnect(PortType from, PortType to) {
  if (from == to) {
    return true;
  }
  return from == PortType::Adapter && (to == PortType::Model || to == PortType::Delta);
}

} // namespace mg::graph
