#pragma once
// The lazy result of a merge: lists the output's tensors at construction (checking that the inputs
// agree on names, shapes and kinds without reading data) and computes one tensor on demand with the
// method of core/ops. Nothing is materialized beyond the tensor being computed.
#include "weights/merge_recipe.h"
#include "weights/tensor_resolution.h"
#include "weights/tokenizer_merge.h"

#include <map>
#include <memory>
#include <regex>

namespace mg::ops {
struct MethodInfo;
}

namespace mg::engine {

class VocabularyAlignment;

class MergedWeights final : public WeightSet {
public:
  // Throws std::invalid_argument for a bad recipe (unknown method, input count, parameters) and
  // std::runtime_error naming the tensor and input when inputs disagree.
  explicit MergedWeights(MergeRecipe recipe);
  const std::vector<io::TensorInfo>& tensors() const override { return outputs_; }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override { return recipe_.method + " merge"; }

  const MergeRecipe& recipe() const { return recipe_; }
  // Warnings found while planning (cropped vocabularies, tensors only some inputs have).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // How the merge was made, as JSON (method, parameters, seed, inputs and weights): export metadata.
  std::string provenanceJson() const;
  // The tokenizer files and config.json vocab_size an HF folder export writes (ExportOptions::tokenizer):
  // empty without a tokenizer source or chat template.
  const TokenizerFiles& tokenizerFiles() const { return tokenizerFiles_; }

private:
  // The NAME=VALUE assignments that apply to one tensor after filters and layer gradients.
  std::vector<std::string> assignmentsFor(const std::string& tensorName) const;
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
  std::vector<std::regex> paramFilters_, takeFilters_;
  int layerCount_ = 0;
  std::vector<io::TensorInfo> outputs_;
  std::vector<std::string> warnings_;
  std::map<std::string, TensorPlan> plans_; // merged (floating-point, not taken) tensors
  std::shared_ptr<const VocabularyAlignment> vocabulary_;
  TokenizerFiles tokenizerFiles_;
};

} // namespace mg::engine
