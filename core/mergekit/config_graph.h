#pragma once
// A mergekit configuration as a graph and back. Import: a source node per model (a model+LoRA reference is
// the model plus the adapter through Add deltas), the merge node of the method holding every parameter
// (scalars as its parameters and input weights, per-input values, gradients, filters and slices in its
// "rules" and "slices" texts, graph/merge_rules.h; dtype, tokenizer and chat template as parameters) and
// an Export node (out_dtype as its dtype). Export: the recipe of one merge node, from the same places.
// Importing then exporting gives an equivalent configuration.
#include <string>
#include <vector>

#include "graph/document.h"
#include "mergekit/mergekit_config.h"

namespace mg::mergekit {

struct ImportedGraph {
  graph::Document document;
  graph::NodeId merge = graph::kNoNode;
  graph::NodeId exporter = graph::kNoNode;
  std::vector<std::string> warnings; // what the file says that Merganser reads differently, one line each
};

// `exportPath`: the Export node's path (may be empty). Throws ConfigError naming the key and its line for
// what the graph cannot hold (a base model for a method that takes none, a filter the rule text cannot
// spell, ...).
ImportedGraph importConfig(const MergekitConfig& config, const std::string& exportPath);

// The configuration of merge node `merge`. Its model inputs must be model files or folders (sources, or a
// model plus an adapter through Add deltas). Throws std::invalid_argument naming the node and the problem.
MergekitConfig exportConfig(const graph::Document& document, graph::NodeId merge);

// Where an imported recipe's Export node writes by default: "<folder of the YAML>/<its stem>-merged".
std::string defaultExportPath(const std::string& yamlPath);

} // namespace mg::mergekit
