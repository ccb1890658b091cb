#pragma once
// Which tensor each model of a merge holds for one tensor of the output, and what the merge does when only
// some of them hold it — mergekit's rules (docs/spec/merge-methods.md, "Tensors, vocabularies and
// tokenizers"):
//   - an input holds an output tensor under its own name, else under an alias (an older spelling:
//     LayerNorm.gamma for LayerNorm.weight, a missing "transformer."/"bert." prefix), else, for an LM
//     head, under the embedding it is tied to (lm_head.weight ← model.embed_tokens.weight when the
//     checkpoint sets tie_word_embeddings and stores no head);
//   - an input that holds nothing for a tensor is left out of that tensor's merge (mergekit treats a
//     tensor not every model has as optional); what is left is merged, copied or dropped by the method's
//     arity (planPartialTensor).
#include "weights/weight_set.h"

#include <optional>
#include <string>
#include <vector>

namespace mg::ops {
struct MethodInfo;
}

namespace mg::engine {

// Other spellings of `name` in older checkpoints (mergekit's `aliases`), in the order they are tried.
std::vector<std::string> tensorAliases(const std::string& name);
// The tensors an LM head is tied to (mergekit's `tied_names`): empty for tensors that are not heads.
std::vector<std::string> tiedTensorNames(const std::string& name);

// The tensor `weights` holds for `name`: `name` itself, else an alias, else (allowTied) a tied tensor.
std::optional<std::string> resolveTensorName(const WeightSet& weights, const std::string& name,
                                             bool allowTied = true);

// For one output tensor: the name each model holds it under (nullopt: it holds nothing for it).
struct TensorSources {
  std::optional<std::string> base;
  std::vector<std::optional<std::string>> inputs;

  std::size_t inputsHolding() const;
};

// What the merge of a tensor does once the models that lack it are left out.
enum class PartialOutcome {
  Merge, // the method runs on the models that hold it
  Copy,  // only one model holds it: it is the output as is (mergekit's single-tensor shortcut)
  Drop,  // the tensor is left out of the output (model_stock with too few models; no model holds it)
};

struct PartialPlan {
  PartialOutcome outcome = PartialOutcome::Merge;
  int copyFrom = -1; // for Copy: -1 the base, >= 0 an input
  std::string note;  // the warning to show when some model lacks the tensor (empty when all hold it)
};

// mergekit's behaviour for a tensor some models lack, from the method's arity. `labels` name the inputs
// (base first when `hasBase`) for the note. Throws std::runtime_error where mergekit fails: a method that
// needs the base's tensor and the base lacks it, or too few models left for a method that has no
// shortcut (nuslerp with a base).
PartialPlan planPartialTensor(const ops::MethodInfo& method, const std::string& tensor, bool hasBase,
                              const TensorSources& sources, const std::vector<std::string>& labels);

} // namespace mg::engine
