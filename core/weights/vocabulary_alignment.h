#pragma once
// Embedding and LM-head rows of models whose vocabularies differ, brought to the output's rows before the
// merge (docs/spec/merge-methods.md, "Tensors, vocabularies and tokenizers"):
//   - with a tokenizer source, every model's rows are permuted to the output tokenizer's ids (mergekit's
//     PermutedEmbeddings): a model lacking a token gets the row of the one model that has it, else the
//     base's row, else the mean of the rows of the models that have it, else zeros; padding rows
//     (pad_to_multiple_of) get the mean of the real rows;
//   - without one, methods that work on task vectors of a base (the task arithmetic family, sce, ram,
//     nearswap) crop every input to the base's rows (mergekit's get_task_vectors) and fill the rows a
//     shorter input lacks from the base (a zero task vector: what mergekit gives with tokenizer_source:
//     base when the vocabularies share their first ids; mergekit itself stops there); the other methods
//     take the rows all models have (mergekit's rectify_embed_sizes).
#include "weights/tokenizer_merge.h"
#include "ops/merge_params.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace at {
class Tensor;
}
namespace mg::ops {
struct MethodInfo;
} // namespace mg::ops

namespace mg::engine {

class VocabularyAlignment {
public:
  // `tokenizer`: the output tokenizer's plan, when the recipe has a tokenizer source. `toBase`: the
  // method aligns inputs to the base's rows (alignsToBase).
  VocabularyAlignment(std::optional<TokenizerPlan> tokenizer, bool toBase);

  // True for tensors whose rows are token ids: embeddings and LM heads outside numbered layers, 2-D.
  static bool hasVocabularyRows(const std::string& name, const std::vector<std::int64_t>& shape);
  // Whether `method` with (or without) a base crops and fills inputs to the base's rows.
  static bool alignsToBase(const ops::MethodInfo& method, bool hasBase);

  const std::optional<TokenizerPlan>& tokenizer() const { return tokenizer_; }

  // The output's row count for a vocabulary tensor, from the rows of the models that hold it (base first
  // when `hasBase`; nullopt: the model lacks it). Appends a warning when they differ.
  std::int64_t outputRows(const std::string& name, bool hasBase,
                          const std::vector<std::optional<std::int64_t>>& modelRows,
                          std::vector<std::string>& warnings) const;

  // Brings the models' tensors (base first when `hasBase`; nullopt: the model lacks it) to `rows` rows.
  // Permuted rows come out in float32 rounded to `precision`, their means computed as mergekit does in
  // that dtype (each addition rounded); cropped or filled ones keep their dtype.
  void align(bool hasBase, std::vector<std::optional<at::Tensor>>& models, std::int64_t rows,
             ops::Precision precision) const;

private:
  std::optional<TokenizerPlan> tokenizer_;
  bool toBase_ = false;
};

} // namespace mg::engine
