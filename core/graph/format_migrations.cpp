#include "graph/format_migrations.h"

#include <array>

namespace mg::graph::detail {

namespace {

// An input inserted at `inserted` in format version `since`: ports from there on moved up by one.
struct InsertedInput {
  std::int64_t since;
  const char* type;
  std::size_t inserted;
};

constexpr std::array<InsertedInput, 2> kInsertedInputs = {{
    {2, "merge.fisher", 2}, // 'statistics' (a Fisher information node's output) before the 'models' group
    {2, "route.router", 2}, // 'fit' (the router's own task data) before the 'adapters' group
}};

} // namespace

std::size_t migratedInputPort(std::int64_t version, const std::string& type, std::size_t port) {
  for (const auto& change : kInsertedInputs)
    if (version < change.since && type == change.type && port >= change.inserted) ++port;
  return port;
}

} // namespace mg::graph::detail
