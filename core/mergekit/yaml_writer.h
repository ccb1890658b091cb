#pragma once
// Writes a MergekitConfig as mergekit YAML: keys in mergekit's order, gradients as flow lists
// ([0, 0.5, 1]), numbers in their shortest exact form, model paths relative to the file's folder.
// Reading what it writes gives the same configuration.
#include <string>

#include "mergekit/mergekit_config.h"

namespace mg::mergekit {

// The YAML text; paths are written relative to `folder` (absolute when `folder` is empty).
std::string configYaml(const MergekitConfig& config, const std::string& folder);
// Writes atomically. Throws io::IoError.
void writeConfig(const MergekitConfig& config, const std::string& path);

} // namespace mg::mergekit
