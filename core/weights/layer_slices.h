#pragma once
// mergekit's `slices`: an output made of slices, each merging layers [start, end) of its sources layer by
// layer (passthrough: copying the one source, which stacks layers: a frankenmerge). Output layers are
// numbered consecutively across slices; tensors outside the layers come from the first slice's merge
// (before the layers: embeddings) or the last one's (after them: final norm, LM head), as plan.py does.
// Each slice is a models-form merge (MergedWeights) of windows onto its sources' layers, so gradients run
// over the slice's layers (t = k/(n−1), 1 for a one-layer slice) and filters see the names mergekit
// evaluates them on: the output name for recipe-wide and slice rules, the source's own name per model.
#include "weights/merge_recipe.h"

#include <map>
#include <memory>
#include <utility>

namespace mg::engine {

class MergedWeights;

// Parses the command line's "N:START-END[+N:START-END...]" (N: 1-based model number or "base"): one output
// slice. Throws std::invalid_argument.
OutputSlice parseSliceSpec(const std::string& text);

// The name with its layer index (the component layerIndexOf finds) replaced by `layer`.
std::string withLayerIndex(const std::string& tensorName, int layer);
// Whether a tensor outside the layers comes before them (embeddings) rather than after (norm, head).
bool isBeforeLayers(const std::string& tensorName);
// Layers of a weight set: the highest layer index + 1 (0 without layers).
int layerCountOf(const WeightSet& weights);

// The stacked output of a recipe with slices.
class SlicedMerge {
public:
  // Throws std::invalid_argument for bad slices ("slice 2, source 1: layer_range [20, 28) is beyond the 24
  // layers of input 1 (a)") and what each slice's merge throws, prefixed with its slice.
  explicit SlicedMerge(const MergeRecipe& recipe);
  ~SlicedMerge();

  const std::vector<io::TensorInfo>& tensors() const { return outputs_; }
  at::Tensor load(const std::string& name) const;
  const std::vector<std::string>& warnings() const { return warnings_; }
  int layerCount() const { return layers_; }
  // The first slice's merge (its tokenizer files and compute dtypes describe the output's).
  const MergedWeights& first() const { return *merges_.front(); }
  const MergedWeights& slice(std::size_t i) const { return *merges_.at(i); }
  std::size_t sliceCount() const { return merges_.size(); }

private:
  std::vector<std::shared_ptr<MergedWeights>> merges_;
  std::map<std::string, std::pair<std::size_t, std::string>> routes_; // output name -> (slice, its name)
  std::vector<io::TensorInfo> outputs_;
  std::vector<std::string> warnings_;
  int layers_ = 0;
};

} // namespace mg::engine
