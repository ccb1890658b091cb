#pragma once
// Reading the project file a subcommand was given (`run`, `export-yaml`): one place that turns a project
// that cannot be read into the command's one-line error.
#include <optional>
#include <string>

#include "graph/document.h"

namespace mg::cli {

// The project at `path`; nullopt after printing why it cannot be read (a line on stderr), so that the
// caller returns kExitBadInput.
std::optional<graph::Document> loadProjectOrReport(const std::string& path);

} // namespace mg::cli
