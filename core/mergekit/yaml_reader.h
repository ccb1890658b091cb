#pragma once
// Reads a mergekit YAML configuration into MergekitConfig, checking it against what Merganser can run: the
// method and every parameter name must be known (ops/method_schemas.h), every value of the right type and
// range, every model a local file or folder. Each problem is one ConfigError naming the file, the line and
// the key ("recipe.yml:12: models[1].parameters.density: expected a number or a list, got a map").
#include <string>

#include "mergekit/mergekit_config.h"

namespace mg::mergekit {

// Throws ConfigError (also for a file that cannot be read).
MergekitConfig readConfig(const std::string& path);
// `text` as if read from `file`; relative model paths are taken from `folder`.
MergekitConfig parseConfig(const std::string& text, const std::string& file, const std::string& folder);

} // namespace mg::mergekit
