#pragma once
// The lazy result of a merge: lists the output's tensors at construction (checking that the inputs
// agree on names, shapes and kinds without reading data) and computes one tensor on demand with the
// method of core/ops. Nothing is materialized beyond the tensor being computed.
#include "weights/distinct_warnings.h"
#include "weights/merge_recipe.h"
#include "weights/param_rules.h"
#include "ops/merge_params.h"
#include "weights/tensor_resolution.h"
#include "weights/tokenizer_merge.h"

#include <map>
#include <memory>
#include <set>
#include <regex>

namespace mg::ops {
struct MethodInfo;
}

namespace mg::engine {

class VocabularyAlignment;
class SlicedMerge;

class MergedWeights final : public WeightSet {
public:
  // Throws std::invalid_argument for a bad recipe (unknown method, input count, parameters) and
  // std::runtime_error naming the tensor and input when inputs disagree.
  // A recipe with slices is planned by SlicedMerge (weights/layer_slices.h), which makes one MergedWeights
  // per slice with `naming` set so that filters see mergekit's names.
  explicit MergedWeights(MergeRecipe recipe, RuleNaming naming = {});
  const std::vector<io::TensorInfo>& tensors() const override { return outputs_; }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override { return recipe_.method + " merge"; }

  const MergeRecipe& recipe() const { return recipe_; }
  // Warnings found while planning (cropped vocabularies, tensors only some inputs have).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Warnings the method's kernel reported for the tensors computed so far (karcher ignoring the weights,
  // inputs cropped to a common shape), each once: read them after an export.
  std::vector<std::string> kernelWarnings() const;
  // How the merge was made, as JSON (method, parameters, seed, inputs and weights): export metadata.
  std::string provenanceJson() const;
  // The tokenizer files and config.json vocab_size an HF folder export writes (ExportOptions::tokenizer):
  // empty without a tokenizer source or chat template.
  const TokenizerFiles& tokenizerFiles() const { return tokenizerFiles_; }
  // The compute dtypes the merged tensors are computed in ("bf16", "f32", ...).
  const std::set<std::string>& computedIn() const { return computedIn_; }
  // The parameters and per-input weights the method runs with on tensor `name` for the inputs `present`
  // (indices into recipe().inputs of those that hold it): rules, gradients and per-model values applied.
  ops::MergeParams paramsFor(const std::string& name, const std::vector<std::size_t>& present,
                             std::vector<double>& weights) const;

private:
  // The NAME=VALUE assignments that apply to one tensor after filters and layer gradients.
  std::vector<std::string> assignmentsFor(const std::string& tensorName) const;
  // mergekit's gradient position t of a tensor (its layer among the layers; 0 outside them).
  double positionOf(const std::string& tensorName) const;
  // The input a take-rule routes `name` to: -1 base, >= 0 an input, nullopt when merged.
  std::optional<int> takenFrom(const std::string& name) const;
  const WeightSet& inputAt(int index) const;
  void plan();
  // Which tensor each model holds for one merged tensor, and what mergekit does when some lack it.
  struct TensorPlan {
    TensorSources sources;
    PartialPlan partial;
  };
  TensorPlan planSources(const ops::MethodInfo& method, const std::string& name);
  // The reference's tensors, plus LM heads it ties to its embedding while another input stores them.
  std::vector<io::TensorInfo> outputCandidates(const WeightSet& reference) const;

  MergeRecipe recipe_;
  RuleNaming naming_;
  std::shared_ptr<const SlicedMerge> sliced_; // set when the recipe has slices: it makes the output
  RecipeRules rules_;
  std::vector<std::regex> takeFilters_;
  int layerCount_ = 0;
  std::vector<io::TensorInfo> outputs_;
  std::vector<std::string> warnings_;
  std::shared_ptr<DistinctWarnings> kernelWarnings_ = std::make_shared<DistinctWarnings>();
  std::map<std::string, TensorPlan> plans_;          // merged (floating-point, not taken) tensors
  std::map<std::string, ops::Precision> precisions_; // the compute dtype of each merged tensor
  std::set<std::string> computedIn_;                 // the compute dtypes used, for provenance
  std::shared_ptr<const VocabularyAlignment> vocabulary_;
  TokenizerFiles tokenizerFiles_;
};

} // namespace mg::engine
