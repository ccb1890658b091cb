#include "cli/project_loading.h"

#include <cstdio>
#include <exception>

#include "graph/project_file.h"

namespace mg::cli {

std::optional<graph::Document> loadProjectOrReport(const std::string& path) {
  try {
    return graph::loadProject(path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return std::nullopt;
  }
}

} // namespace mg::cli
