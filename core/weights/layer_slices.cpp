#include "weights/layer_slices.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "weights/merged_weights.h"
#include "ops/method_schemas.h"
#include "util/number_text.h"

namespace mg::engine {
namespace {

// Layers [start, end) of a model renumbered from 0, and its tensors outside the layers: one source of a
// slice as its merge sees it.
class SliceWindow final : public WeightSet {
public:
  SliceWindow(WeightSetPtr model, int start, int end) : model_(std::move(model)) {
    for (const auto& info : model_->tensors()) {
      const int layer = layerIndexOf(info.name);
      if (layer >= 0 && (layer < start || layer >= end)) continue;
      io::TensorInfo local = info;
      if (layer >= 0) local.name = withLayerIndex(info.name, layer - start);
      origins_.emplace(local.name, info.name);
      tensors_.push_back(std::move(local));
    }
    std::sort(tensors_.begin(), tensors_.end(),
              [](const io::TensorInfo& a, const io::TensorInfo& b) { return a.name < b.name; });
    label_ = model_->describe() + " layers [" + std::to_string(start) + ", " + std::to_string(end) + ")";
  }
  const std::vector<io::TensorInfo>& tensors() const override { return tensors_; }
  at::Tensor load(const std::string& name) const override { return model_->load(origins_.at(name)); }
  std::string describe() const override { return label_; }

private:
  WeightSetPtr model_;
  std::vector<io::TensorInfo> tensors_;
  std::map<std::string, std::string> origins_; // window name -> the model's name
  std::string label_;
};

int sliceNumber(const std::string& text, const std::string& spec) {
  const auto n = util::parseInteger(text);
  if (!n || *n < 0 || *n > 1'000'000)
    throw std::invalid_argument("slice '" + spec + "': '" + text + "' is not a non-negative number");
  return static_cast<int>(*n);
}

std::vector<ParamRule> joined(const std::vector<ParamRule>& first, const std::vector<ParamRule>& then) {
  std::vector<ParamRule> out = first;
  out.insert(out.end(), then.begin(), then.end());
  return out;
}

} // namespace

OutputSlice parseSliceSpec(const std::string& text) {
  OutputSlice slice;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto plus = std::min(text.find('+', start), text.size());
    const std::string part = text.substr(start, plus - start);
    const auto colon = part.find(':');
    const auto dash = part.find('-', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || dash == std::string::npos)
      throw std::invalid_argument("slice '" + text + "': a source is N:START-END (model number or base)");
    SliceSource source;
    const std::string model = part.substr(0, colon);
    source.input = model == "base" ? -1 : sliceNumber(model, text) - 1;
    if (source.input < -1 || (model != "base" && source.input < 0))
      throw std::invalid_argument("slice '" + text + "': models are numbered from 1");
    source.layerStart = sliceNumber(part.substr(colon + 1, dash - colon - 1), text);
    source.layerEnd = sliceNumber(part.substr(dash + 1), text);
    slice.sources.push_back(std::move(source));
    start = plus + 1;
  }
  return slice;
}

std::string withLayerIndex(const std::string& name, int layer) {
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('.', start), name.size());
    const std::string part = name.substr(start, end - start);
    if (!part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 9)
      return name.substr(0, start) + std::to_string(layer) + name.substr(end);
    start = end + 1;
  }
  return name;
}

bool isBeforeLayers(const std::string& name) {
  for (const char* key : {"embed", "wte.", "wpe.", "word_embeddings"})
    if (name.find(key) != std::string::npos) return true;
  return false;
}

int layerCountOf(const WeightSet& weights) {
  int count = 0;
  for (const auto& info : weights.tensors())
    count = std::max(count, layerIndexOf(info.name) + 1);
  return count;
}

SlicedMerge::SlicedMerge(const MergeRecipe& recipe) {
  const ops::MethodInfo& method = ops::mergeMethod(recipe.method);
  if (!recipe.take.empty()) throw std::invalid_argument("take rules cannot be combined with slices");
  for (std::size_t s = 0; s < recipe.slices.size(); ++s) {
    const OutputSlice& slice = recipe.slices[s];
    const std::string where = "slice " + std::to_string(s + 1);
    if (slice.sources.empty()) throw std::invalid_argument(where + " has no sources");
    const int length = slice.sources.front().layerEnd - slice.sources.front().layerStart;
    MergeRecipe sub = recipe;
    sub.slices.clear();
    sub.inputs.clear();
    sub.base = nullptr;
    sub.params = joined(slice.params, recipe.params);
    std::vector<int> starts; // of the sub-merge's inputs, to name their tensors for per-model filters
    for (std::size_t k = 0; k < slice.sources.size(); ++k) {
      const SliceSource& src = slice.sources[k];
      const std::string at = where + ", source " + std::to_string(k + 1) + ": ";
      if (src.input >= static_cast<int>(recipe.inputs.size()) || (src.input < 0 && !recipe.base))
        throw std::invalid_argument(at + "names a model that is not in the merge");
      const MergeInput* input = src.input < 0 ? nullptr : &recipe.inputs[std::size_t(src.input)];
      const WeightSetPtr model = input ? input->weights : recipe.base;
      const std::string label = input ? "input " + std::to_string(src.input + 1) + " (" + input->label + ")"
                                      : "the base (" + recipe.baseLabel + ")";
      const int layers = layerCountOf(*model);
      if (src.layerStart < 0 || src.layerEnd <= src.layerStart)
        throw std::invalid_argument(at + "layer_range [" + std::to_string(src.layerStart) + ", " +
                                    std::to_string(src.layerEnd) + ") is empty");
      if (src.layerEnd > layers)
        throw std::invalid_argument(at + "layer_range [" + std::to_string(src.layerStart) + ", " +
                                    std::to_string(src.layerEnd) + ") is beyond the " +
                                    std::to_string(layers) + " layers of " + label);
      if (src.layerEnd - src.layerStart != length)
        throw std::invalid_argument(where + ": all sources must span the same number of layers (" +
                                    std::to_string(length) + " and " +
                                    std::to_string(src.layerEnd - src.layerStart) + ")");
      auto window = std::make_shared<SliceWindow>(model, src.layerStart, src.layerEnd);
      if (!input && method.base != ops::BaseUse::Unused) {
        sub.base = window; // baseLabel and baseFolder stay the recipe's
        continue;
      }
      MergeInput in = input ? *input : MergeInput{nullptr, 1.0, recipe.baseLabel, {}, recipe.baseFolder};
      in.weights = window;
      in.params = joined(src.params, in.params);
      sub.inputs.push_back(std::move(in));
      starts.push_back(src.layerStart);
    }
    // Filters see the names mergekit evaluates them on.
    RuleNaming naming;
    naming.output = [offset = layers_](const std::string& local) {
      const int layer = layerIndexOf(local);
      return layer < 0 ? local : withLayerIndex(local, offset + layer);
    };
    naming.input = [starts](const std::string& local, std::size_t i) {
      const int layer = layerIndexOf(local);
      return layer < 0 ? local : withLayerIndex(local, starts.at(i) + layer);
    };
    try {
      merges_.push_back(std::make_shared<MergedWeights>(std::move(sub), naming));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(where + ": " + e.what());
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(where + ": " + e.what());
    }
    for (const auto& w : merges_.back()->warnings())
      warnings_.push_back(where + ": " + w);
    const bool first = s == 0, last = s + 1 == recipe.slices.size();
    for (const auto& info : merges_.back()->tensors()) {
      const int layer = layerIndexOf(info.name);
      const bool keep = layer >= 0 || (isBeforeLayers(info.name) ? first : last);
      if (!keep) continue;
      io::TensorInfo out = info;
      if (layer >= 0) out.name = withLayerIndex(info.name, layers_ + layer);
      routes_.emplace(out.name, std::make_pair(s, info.name));
      outputs_.push_back(std::move(out));
    }
    layers_ += length;
  }
  std::sort(outputs_.begin(), outputs_.end(),
            [](const io::TensorInfo& a, const io::TensorInfo& b) { return a.name < b.name; });
}

SlicedMerge::~SlicedMerge() = default;

at::Tensor SlicedMerge::load(const std::string& name) const {
  const auto it = routes_.find(name);
  if (it == routes_.end()) throw std::runtime_error("the merge has no tensor '" + name + "'");
  return merges_[it->second.first]->load(it->second.second);
}

} // namespace mg::engine
